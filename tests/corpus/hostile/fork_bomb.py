"""Hostile (kept small and safe): forks up to 200 children that exit at once and are never
reaped, so they stay as zombies and count against the process limit."""
import os


def softmax(scores):
    forked = 0
    error = "none"
    for _ in range(200):
        try:
            pid = os.fork()
        except OSError as exc:
            error = type(exc).__name__
            break
        if pid == 0:
            os._exit(0)
        forked += 1
    raise RuntimeError(f"forked {forked} of 200 children, then {error}")
