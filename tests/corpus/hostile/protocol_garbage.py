"""Hostile: softmax writes garbage to every pipe it holds (found through /proc/self/fd), where
the grader's requests and replies travel, then returns the right answer."""
import os

_softmax = softmax


def _pipes():
    fds = []
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}").startswith("pipe:"):
                fds.append(int(name))
        except OSError:
            pass
    return fds


def softmax(scores):
    for fd in _pipes():
        try:
            os.write(fd, b"GARBAGE!" * 64)
        except OSError:
            pass
    return _softmax(scores)
