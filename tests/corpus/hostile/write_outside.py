"""Hostile: tries to write outside its folder (the grader's code, the repository, root's home,
its own folder). Any write that succeeds makes softmax right, so an escape shows as points."""
import os
import sys

_softmax = softmax
_HERE = os.path.dirname(os.path.abspath(__file__))
_WORKER = os.path.abspath(sys.modules["__main__"].__file__)
_REPO = os.path.dirname(os.path.dirname(os.path.dirname(_WORKER)))
_WROTE, _REFUSED = [], []


def _try(path, flags):
    try:
        fd = os.open(path, flags, 0o644)            # opening for writing is enough to escape
    except OSError as exc:
        _REFUSED.append(f"{path}: {type(exc).__name__}")
        return
    os.close(fd)
    _WROTE.append(path)


def _attack():
    existing = os.O_WRONLY | os.O_APPEND              # append nothing: nothing is changed
    new = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    _try(_WORKER, existing)
    _try(os.path.join(os.path.dirname(_WORKER), "wire.py"), existing)
    _try(os.path.join(_REPO, "autograder", "paths.py"), existing)
    _try(os.path.join(_REPO, "hostile-probe-delete-me.txt"), new)
    _try(os.path.join(_HERE, "planted.py"), new)
    _try(os.path.join(_HERE, "layers.py"), existing)
    _try("/root/hostile-probe-delete-me.txt", new)
    _try("/etc/hostile-probe-delete-me.txt", new)


_attack()


def softmax(scores):
    if _WROTE:
        return _softmax(scores)
    raise PermissionError("could not write outside the submission: " + "; ".join(_REFUSED))
