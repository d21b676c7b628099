"""Where the kit's folders are: found relative to the package, never the working directory.

``CNN_AUTOGRADER_SOLUTIONS`` points the grader at another copy of the reference solutions
(a Gradescope image, a course directory); ``CNN_AUTOGRADER_DATA`` at another data folder.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# The wheel students install carries MNIST inside the package (``autograder/_data/mnist`` is a
# link to ``datasets/mnist`` in the repository, copied into the wheel by setuptools).
PACKAGED_DATA = Path(__file__).resolve().parent / "_data"


def solutions_dir(override: str | os.PathLike | None = None) -> Path:
    """The folder holding ``01_convolution/``, ``02_cnn_layers/``... of the reference solutions."""
    chosen = override or os.environ.get("CNN_AUTOGRADER_SOLUTIONS")
    return Path(chosen).resolve() if chosen else REPO_ROOT / "solutions"


def assignments_dir() -> Path:
    """The student release, generated from ``solutions/``."""
    return REPO_ROOT / "assignments"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The folder holding ``mnist/`` (vendored, with checksums): the repository's ``datasets/``,
    else the copy packaged in the installed wheel."""
    chosen = override or os.environ.get("CNN_AUTOGRADER_DATA")
    if chosen:
        return Path(chosen).resolve()
    repository = REPO_ROOT / "datasets"
    return repository if (repository / "mnist").is_dir() or not (PACKAGED_DATA / "mnist").is_dir() else PACKAGED_DATA
