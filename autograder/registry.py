"""The assignments the grader knows.

:data:`ASSIGNMENTS` is the explicit registry (no discovery, no registration on import): an
assignment's student files, the tables that check them in report order, and the hint tables
(:mod:`autograder.hints`) of known bugs per module.
"""
from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import cast

from autograder.checks import convolution, keras_cnn, keras_files, layers, optim, quiz, regularization, training
from autograder.checks.base import Check, Variant
from autograder.sandbox.wire import BANNED_IMPORTS

# Assignment 04 uses Keras on TensorFlow. Keras itself tries to import jax, scipy and sklearn
# (optional back ends), so only what no Keras code imports can be refused at run time.
KERAS_BANNED = ("torch", "torchvision", "solutions", "autograder")

# The hint library (autograder/hints/<module>.py, a BUGS table each) is not in the wheel students
# install (pyproject.toml): its known bugs are a few characters away from working code. There
# the public checks read the bugs' outputs from the recording shipped with the assignment
# (autograder.core.recording), and graded runs, which need the solutions anyway, run where
# the library is.
@functools.cache
def hint_table(module: str) -> dict[str, list[Variant]] | None:
    """The BUGS table of ``autograder/hints/<module>.py``; None when the hint library is not
    installed (the student wheel)."""
    try:
        return importlib.import_module(f"autograder.hints.{module}").BUGS
    except ModuleNotFoundError as exc:
        if exc.name is not None and (exc.name + ".").startswith("autograder.hints."):
            return None
        raise           # a module the hint library itself imports is missing: say so


@dataclass(frozen=True)
class Assignment:
    """An assignment: everything the kit knows of it, in one entry.

    Its own files live where the name says: ``solutions/<name>/`` (the modules and the notebook
    ``<name>.ipynb``), ``autograder/rubrics/<name>.toml``, ``autograder/checks/<module>.py`` (the
    tables) and ``autograder/hints/<module>.py`` (known bugs); ``assignments/<name>/`` is generated
    from them by ``cnn-autograder release``. CONTRIBUTING.md lists the steps to add one.
    """

    name: str                                      # NN_topic: the folders' and the rubric's name
    title: str                                     # one line for humans
    modules: tuple[str, ...]                       # the student's files <module>.py
    tables: tuple[Callable[[], Iterator[Check]], ...]   # the check tables, in report order
    hinted: tuple[str, ...] = ()                   # modules with a known-bug table in autograder/hints
    # What student modules may not import (statically, and at run time in the sandbox):
    banned: tuple[str, ...] = BANNED_IMPORTS
    banned_message: str = "import.banned"          # the catalogue key that explains the ban
    requires: tuple[str, ...] = ()                 # packages the grader itself needs (keras)
    # Files of the submission that are not modules (04's trained models): read as bytes (each
    # within submission.file_limit), given to the checks as ctx.files, never to student code. A
    # missing one costs only the checks that read it.
    data_files: tuple[str, ...] = ()
    # Other assignments whose reference solutions a graded run imports (03's network uses 02's
    # layers): a Gradescope image carries them too.
    uses: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()                 # the data the grader needs: "mnist"
    # The environment its notebook runs in under test (04's quick mode: one short epoch on CPU).
    notebook_env: dict[str, str] = field(default_factory=dict)
    # module -> function -> known bugs; by default loaded from the hint library (empty in the wheel)
    hints: dict[str, dict[str, list[Variant]]] = field(default=cast("dict[str, dict[str, list[Variant]]]", None))

    def __post_init__(self) -> None:
        if self.hints is None:
            tables = {m: hint_table(m) for m in self.hinted}
            object.__setattr__(self, "hints", {m: t for m, t in tables.items() if t is not None})

    def checks(self) -> list[Check]:
        return [check for table in self.tables for check in table()]

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(f"{m}.py" for m in self.modules)

    @property
    def wanted(self) -> tuple[str, ...]:
        """Every file the grader reads from a submission: the modules, then the data files."""
        return self.files + self.data_files

    @property
    def notebook(self) -> str:
        """The notebook's file name, in ``solutions/<name>/`` and the release."""
        return f"{self.name}.ipynb"


ASSIGNMENTS: dict[str, Assignment] = {a.name: a for a in (
    Assignment("01_convolution", "Image convolution, pooling and shape arithmetic",
               modules=("convolution", "quiz_answers"), tables=(convolution.checks, quiz.checks),
               hinted=("convolution",)),
    Assignment("02_cnn_layers", "CNN layers, forward and backward", modules=("layers",), tables=(layers.checks,),
               hinted=("layers",)),
    Assignment("03_optimization", "Optimizers, regularization, dropout and initialisation",
               modules=("optim", "regularization"),
               tables=(optim.checks, regularization.checks, training.checks),
               hinted=("optim", "regularization"), uses=("02_cnn_layers",), datasets=("mnist",)),
    Assignment("04_keras_cnn", "CNNs in Keras: LeNet-5, your own net, transfer learning",
               modules=("keras_cnn",), tables=(keras_cnn.checks, keras_files.checks),
               banned=KERAS_BANNED, banned_message="import.banned_keras", requires=("keras",),
               data_files=keras_files.MODEL_FILES, datasets=("mnist",),
               notebook_env={"CNN_AUTOGRADER_QUICK": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}),
)}


def get_assignment(name: str) -> Assignment:
    """The assignment called ``name``, or a ValueError listing the known ones."""
    if name not in ASSIGNMENTS:
        known = ", ".join(sorted(ASSIGNMENTS))
        raise ValueError(f"unknown assignment {name!r}: choose one of {known} (the folder names "
                         f"under assignments/).")
    return ASSIGNMENTS[name]
