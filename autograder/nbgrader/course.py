"""``cnn-autograder nbgrader setup``: create or update an nbgrader course directory.

Writes, for each chosen assignment, ``source/<assignment>/`` (the release's stub modules and
other student files, and the notebook with its test and locked cells, see :mod:`cells`), and a
block of ``nbgrader_config.py`` between two marker lines (the rest of the file is the
instructor's and is kept). Nothing of ``solutions/`` is ever written into the course.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from autograder.nbgrader.cells import source_notebook
from autograder.paths import assignments_dir, solutions_dir
from autograder.registry import ASSIGNMENTS, get_assignment

BEGIN = "# >>> cnn-autograder: written by `cnn-autograder nbgrader setup`; run it again to change this block"
END = "# <<< cnn-autograder"

# nbgrader 0.9's default pipelines with ours in place (tests/test_nbgrader_course.py compares
# them with the installed nbgrader's defaults, so an nbgrader upgrade cannot drop a step silently).
GENERATE = ("autograder.nbgrader.guard.GuardSource",
            "nbgrader.preprocessors.IncludeHeaderFooter", "nbgrader.preprocessors.InstantiateTests",
            "nbgrader.preprocessors.LockCells", "nbgrader.preprocessors.ClearSolutions",
            "nbgrader.preprocessors.ClearOutput", "nbgrader.preprocessors.CheckCellMetadata",
            "nbgrader.preprocessors.ComputeChecksums", "nbgrader.preprocessors.SaveCells",
            "nbgrader.preprocessors.ClearHiddenTests", "nbgrader.preprocessors.ClearMarkScheme",
            "nbgrader.preprocessors.ComputeChecksums", "nbgrader.preprocessors.CheckCellMetadata")
SANITIZE = ("autograder.nbgrader.sanitize.ScrubCellMetadata",
            "nbgrader.preprocessors.ClearOutput", "nbgrader.preprocessors.DeduplicateIds",
            "nbgrader.preprocessors.OverwriteKernelspec", "nbgrader.preprocessors.OverwriteCells",
            "nbgrader.preprocessors.CheckCellMetadata")
AUTOGRADE = ("autograder.nbgrader.trusted.GradeModules",
             "autograder.nbgrader.execute.ConfinedExecute",
             "nbgrader.preprocessors.IgnorePattern", "nbconvert.preprocessors.ClearMetadataPreprocessor",
             "nbgrader.preprocessors.LimitOutput",
             "autograder.nbgrader.trusted.WriteTrustedResults",
             "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
             "nbgrader.preprocessors.CheckCellMetadata")
OURS = ("GuardSource", "ScrubCellMetadata", "GradeModules", "ConfinedExecute", "WriteTrustedResults")
# nbgrader copies every non-notebook file of source/ to students: these never go (the guard
# refuses anything that is not the release's anyway).
IGNORE = (".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*", "*solution*", "*.orig",
          "*.bak", "*~", "*.swp")
NOT_RELEASED = ("__pycache__", ".pytest_cache", ".ipynb_checkpoints")


class CourseError(ValueError):
    """The course directory cannot be set up as asked; the message says what to do."""


@dataclass(frozen=True)
class Settings:
    """What ``setup`` writes into ``nbgrader_config.py``; see ``cnn-autograder nbgrader setup -h``."""

    assignments: tuple[str, ...]
    cell_timeout: int = 120             # seconds one notebook cell may run
    notebook_timeout: int = 1800        # seconds the whole notebook may run
    lang: str = "en"
    bind_quiz_to_student_id: bool = False
    solutions: str | None = None
    release: str | None = None


def release_files(assignment: str, release: Path) -> list[Path]:
    """The student files of ``assignment`` in the release (the notebook included)."""
    folder = release / assignment
    if not (folder / f"{assignment}.ipynb").is_file():
        raise CourseError(f"{folder} holds no {assignment}.ipynb: give the student release "
                          f"(--release, default: the kit's assignments/), or regenerate it with "
                          f"cnn-autograder release.")
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.is_symlink() and p.name not in NOT_RELEASED
                  and not p.name.startswith("."))


def setup(course: Path, settings: Settings) -> list[Path]:
    """Create or update the course directory ``course``; returns the files written."""
    release = Path(settings.release).resolve() if settings.release else assignments_dir()
    for name in settings.assignments:
        get_assignment(name)
    plan = {name: release_files(name, release) for name in settings.assignments}
    for name, files in plan.items():
        _refuse_strangers(course / "source" / name, {p.name for p in files})
    written = []
    for name, files in plan.items():
        target = course / "source" / name
        target.mkdir(parents=True, exist_ok=True)
        for path in files:
            if path.suffix == ".ipynb":
                notebook = source_notebook(json.loads(path.read_text(encoding="utf-8")), name)
                _write(target / path.name, json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
            else:
                shutil.copyfile(path, target / path.name)
            written.append(target / path.name)
    managed = tuple(sorted(set(settings.assignments) | _managed(course)))
    config = course / "nbgrader_config.py"
    old = config.read_text(encoding="utf-8") if config.is_file() else None
    full = Settings(**{**settings.__dict__, "assignments": managed, "release": str(release),
                       "solutions": str(solutions_dir(settings.solutions))})
    _write(config, updated_config(old, config_block(full)))
    written.append(config)
    return written


def config_block(settings: Settings) -> str:
    """The lines of ``nbgrader_config.py`` cnn-autograder owns, between the markers."""
    exclude = {name: list(_wanted(name)) for name in settings.assignments}
    lines = [
        BEGIN,
        f"# Graded by cnn-autograder: {', '.join(settings.assignments)}. The test cells' points come",
        "# from the submitted modules, graded by the sandboxed grader; notebooks run confined.",
        "# Non-notebook files of source/ that nbgrader must never copy to students:",
        f"c.CourseDirectory.ignore = {list(IGNORE)!r}",
        "# The students' modules are theirs: autograde must not replace them with the stubs.",
        f"c.Autograde.exclude_overwriting = {exclude!r}",
        f"c.GenerateAssignment.preprocessors = {_list(GENERATE)}",
        f"c.Autograde.sanitize_preprocessors = {_list(SANITIZE)}",
        f"c.Autograde.autograde_preprocessors = {_list(AUTOGRADE)}",
        "# nbgrader skips a preprocessor that is not enabled, silently:",
        *[f"c.{name}.enabled = True" for name in OURS],
        f"c.ConfinedExecute.timeout = {settings.cell_timeout}          # seconds per cell",
        f"c.ConfinedExecute.notebook_timeout = {settings.notebook_timeout}  # seconds per notebook",
        "c.ConfinedExecute.interrupt_on_timeout = True",
        f"c.CnnAutograder.lang = {settings.lang!r}",
        f"c.CnnAutograder.bind_quiz_to_student_id = {settings.bind_quiz_to_student_id!r}",
        f"c.CnnAutograder.solutions = {settings.solutions!r}",
        f"c.CnnAutograder.release = {settings.release!r}",
        END,
    ]
    return "\n".join(lines) + "\n"


def updated_config(old: str | None, block: str) -> str:
    """``old`` (the current nbgrader_config.py, or None) with cnn-autograder's block replaced."""
    if old is None:
        return "c = get_config()  # noqa: F821 (nbgrader's configuration object)\n\n" + block
    start, end = old.find(BEGIN), old.find(END)
    if start < 0 or end < start:
        return old.rstrip("\n") + "\n\n" + block
    return old[:start] + block + old[end + len(END):].lstrip("\n")


def _wanted(assignment: str) -> tuple[str, ...]:
    spec = get_assignment(assignment)
    return getattr(spec, "wanted", spec.files)


def _list(names: tuple[str, ...]) -> str:
    return "[\n    " + ",\n    ".join(repr(n) for n in names) + ",\n]"


def _managed(course: Path) -> set[str]:
    """The assignments of ``source/`` set up before (their notebook has our test cells)."""
    found = set()
    for name in ASSIGNMENTS:
        notebook = course / "source" / name / f"{name}.ipynb"
        if notebook.is_file() and '"cnn-' in notebook.read_text(encoding="utf-8", errors="replace"):
            found.add(name)
    return found


def _refuse_strangers(folder: Path, known: set[str]) -> None:
    """Refuse to update a source folder holding files the release does not have: nbgrader
    would hand them to every student (a solution file, say)."""
    if not folder.is_dir():
        return
    strangers = sorted(p.name for p in folder.iterdir()
                       if p.name not in known and p.name not in NOT_RELEASED)
    if strangers:
        raise CourseError(f"{folder} holds {', '.join(strangers)}, which the student release does "
                          f"not: nbgrader copies every file there to students. Move them out of "
                          f"source/, then run setup again.")


def _write(path: Path, text: str) -> None:
    """Write ``text`` through a temporary file and a rename (never a half-written file)."""
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
