"""Load the reference solutions (trusted code) by path.

Assignment folders start with a digit, so they are not importable packages; each module is
loaded from its file under a private name, so two assignments never collide in ``sys.modules``.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from autograder.paths import solutions_dir


def load_module(path: str | os.PathLike, name: str | None = None) -> ModuleType:
    """Import one Python file as a fresh module (not registered in ``sys.modules``)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such module file: {path}")
    name = name or f"_cnn_autograder_{path.parent.name}_{path.stem}"
    # spec (and its loader) is None only for a file name without a Python suffix, which fails
    # here with AttributeError as it always has: the ignores below keep that, adding no check.
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[name] = module            # dataclasses & pickling look modules up by name
    try:
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    finally:
        sys.modules.pop(name, None)
    return module


@cache
def _load_reference(root: str, assignment: str, module: str) -> ModuleType:
    path = Path(root) / assignment / f"{module}.py"
    if not path.is_file():
        raise FileNotFoundError(
            f"reference solution {assignment}/{module}.py not found under {root}. Point "
            f"CNN_AUTOGRADER_SOLUTIONS (or --solutions) at the folder holding the solutions.")
    return load_module(path, f"_cnn_autograder_ref_{assignment}_{module}")


def reference(assignment: str, module: str, root: str | os.PathLike | None = None) -> ModuleType:
    """The reference module ``solutions/<assignment>/<module>.py`` (cached)."""
    return _load_reference(str(solutions_dir(root)), assignment, module)
