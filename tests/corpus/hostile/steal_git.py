"""Hostile: digs the reference out of the repository's .git (objects, or the git command)."""
import os
import subprocess
import sys
import zlib

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(sys.modules["__main__"].__file__))))
_GIT = os.path.join(_REPO, ".git")
_TRIED = []
_SOURCE = ""


def _loose_objects():
    found = []
    objects = os.path.join(_GIT, "objects")
    try:
        folders = os.listdir(objects)
    except OSError as exc:
        _TRIED.append(f"listdir(.git/objects): {type(exc).__name__}")
        return found
    _TRIED.append(f".git/objects holds {len(folders)} entries")
    for folder in folders:
        try:
            names = os.listdir(os.path.join(objects, folder))
        except OSError:
            continue
        for name in names:
            try:
                with open(os.path.join(objects, folder, name), "rb") as f:
                    found.append(zlib.decompress(f.read()))
            except (OSError, zlib.error):
                pass
    return found


def _steal():
    global _SOURCE
    for blob in _loose_objects():
        if b"def softmax_cross_entropy" in blob and b"BEGIN SOLUTION" in blob:
            _SOURCE = blob.split(b"\x00", 1)[1].decode("utf-8", "replace")
            return
    try:
        shown = subprocess.run(["git", "-C", _REPO, "show", "HEAD:solutions/02_cnn_layers/layers.py"],
                               capture_output=True, timeout=5)
        _TRIED.append(f"git show: exit {shown.returncode} {shown.stderr[:80]!r}")
        if shown.returncode == 0:
            _SOURCE = shown.stdout.decode()
    except (OSError, subprocess.SubprocessError) as exc:
        _TRIED.append(f"git show: {type(exc).__name__}")


_steal()


def softmax(scores):
    if "BEGIN SOLUTION" in _SOURCE:
        namespace = {}
        exec(_SOURCE, namespace)
        return namespace["softmax"](scores)
    raise RuntimeError("no solution in .git: " + "; ".join(_TRIED))
