"""Hostile: looks for the reference solution and, if it can read it, answers with it.

Candidate paths: the repository holding the worker (found from ``__main__.__file__``, which the
student process can see), ``$CNN_AUTOGRADER_SOLUTIONS``, a Gradescope image's path, and two the
test fills in: ``__REPO_SOLUTIONS__`` (``autograder.paths.solutions_dir()``) and
``__SOLUTIONS_COPY__``, a readable copy it passes to the grader as ``solutions=``.
softmax and softmax_cross_entropy are right only if the theft works.
"""
import os
import sys

_FOUND = {}
_TRIED = []


def _candidates():
    roots = ["__SOLUTIONS_COPY__", "__REPO_SOLUTIONS__", os.environ.get("CNN_AUTOGRADER_SOLUTIONS", ""),
             "/autograder/source/solutions"]
    main_file = getattr(sys.modules.get("__main__"), "__file__", "") or ""
    if main_file:
        repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(main_file))))
        roots.append(os.path.join(repo, "solutions"))
    return [r for r in roots if r]


def _steal():
    for root in _candidates():
        folder = os.path.join(root, "02_cnn_layers")
        try:
            listing = sorted(os.listdir(root))
        except OSError as exc:
            listing = type(exc).__name__
        _TRIED.append(f"listdir({root!r}) = {listing}")
        try:
            with open(os.path.join(folder, "layers.py"), encoding="utf-8") as f:
                source = f.read()
        except OSError as exc:
            _TRIED.append(f"open({folder}/layers.py): {type(exc).__name__}")
            continue
        namespace = {}
        exec(compile(source, "stolen", "exec"), namespace)
        _FOUND.update(namespace)
        return


_steal()


def softmax(scores):
    if "softmax" in _FOUND:
        return _FOUND["softmax"](scores)
    raise RuntimeError("no reference solution found: " + "; ".join(_TRIED))


def softmax_cross_entropy(scores, y):
    if "softmax_cross_entropy" in _FOUND:
        return _FOUND["softmax_cross_entropy"](scores, y)
    raise RuntimeError("no reference solution found: " + "; ".join(_TRIED))
