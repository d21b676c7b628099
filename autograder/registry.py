"""The assignments the grader knows.

:data:`ASSIGNMENTS` is the explicit registry (no discovery, no registration on import): an
assignment's student files, the tables that check them in report order, and the hint tables
(:mod:`autograder.hints`) of known bugs per module.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable, Iterator

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
HINT_MODULES = ("convolution", "layers", "optim", "regularization")


def _hint_tables() -> dict[str, dict[str, list[Variant]]]:
    """module -> its BUGS table; empty when the hint library is not installed."""
    try:
        return {m: importlib.import_module(f"autograder.hints.{m}").BUGS for m in HINT_MODULES}
    except ModuleNotFoundError as exc:
        if exc.name is not None and (exc.name + ".").startswith("autograder.hints."):
            return {}
        raise           # a module the hint library itself imports is missing: say so


HINTS = _hint_tables()


@dataclass(frozen=True)
class Assignment:
    """An assignment: its student modules (file ``<module>.py``) and its checks."""

    name: str
    modules: tuple[str, ...]
    tables: tuple[Callable[[], Iterator[Check]], ...]
    hints: dict[str, dict[str, list[Variant]]] = field(default_factory=dict)  # module -> BUGS
    # What student modules may not import (statically, and at run time in the sandbox):
    banned: tuple[str, ...] = BANNED_IMPORTS
    banned_message: str = "import.banned"          # the catalogue key that explains the ban
    requires: tuple[str, ...] = ()                 # packages the grader itself needs (keras)
    # Files of the submission that are not modules (04's trained models): read as bytes (each
    # within submission.file_limit), given to the checks as ctx.files, never to student code. A
    # missing one costs only the checks that read it.
    data_files: tuple[str, ...] = ()

    def checks(self) -> list[Check]:
        return [check for table in self.tables for check in table()]

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(f"{m}.py" for m in self.modules)

    @property
    def wanted(self) -> tuple[str, ...]:
        """Every file the grader reads from a submission: the modules, then the data files."""
        return self.files + self.data_files


ASSIGNMENTS: dict[str, Assignment] = {
    "01_convolution": Assignment("01_convolution", ("convolution", "quiz_answers"),
                                 (convolution.checks, quiz.checks),
                                 {m: HINTS[m] for m in ("convolution",) if m in HINTS}),
    "02_cnn_layers": Assignment("02_cnn_layers", ("layers",), (layers.checks,),
                                {m: HINTS[m] for m in ("layers",) if m in HINTS}),
    "03_optimization": Assignment("03_optimization", ("optim", "regularization"),
                                  (optim.checks, regularization.checks, training.checks),
                                  {m: HINTS[m] for m in ("optim", "regularization") if m in HINTS}),
    "04_keras_cnn": Assignment("04_keras_cnn", ("keras_cnn",), (keras_cnn.checks, keras_files.checks),
                               banned=KERAS_BANNED, banned_message="import.banned_keras", requires=("keras",),
                               data_files=keras_files.MODEL_FILES),
}


def get_assignment(name: str) -> Assignment:
    """The assignment called ``name``, or a ValueError listing the known ones."""
    if name not in ASSIGNMENTS:
        known = ", ".join(sorted(ASSIGNMENTS))
        raise ValueError(f"unknown assignment {name!r}: choose one of {known} (the folder names "
                         f"under assignments/).")
    return ASSIGNMENTS[name]
