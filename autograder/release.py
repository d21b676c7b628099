"""Generate the student release ``assignments/`` from ``solutions/`` (one source of truth).

Each ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region becomes a stub: inside a function,
``raise NotImplementedError`` naming the task and what to return; at module level, nothing but a
comment. Docstrings, signatures and provided helpers stay as they are. Pure: :func:`stub_source`
maps text to text; :func:`release` writes files, atomically (a temporary folder swapped in).
"""
from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
SOLUTIONS_VARIABLE = "CNN_AUTOGRADER_SOLUTIONS"
_COPIED_SUFFIXES = (".py", ".ipynb", ".md", ".txt", ".csv", ".json", ".npz", ".png")


class ReleaseError(ValueError):
    """Unbalanced or nested solution markers."""


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _returns(doc: str | None) -> str:
    """What a function returns, from its docstring: a 'Returns ...' sentence or '-> ...'."""
    if not doc:
        return ""
    text = " ".join(doc.split())
    match = re.search(r"Returns? (.+?)(?:\.\s|\.$|$)", text)
    if match:
        return match.group(1)
    match = re.search(r"->\s*(.+?)(?:\.\s|\.$|;|$)", text)
    return match.group(1) if match else ""


def stub_source(source: str, task: str, filename: str = "<source>", top_level_raise: bool = False) -> str:
    """The student version of one solution file's text.

    ``top_level_raise``: a region outside any function becomes ``raise NotImplementedError``
    too (notebook cells, where the next lines need what the region computes); in modules it
    becomes a comment (``quiz_answers.py``'s answers).
    """
    try:
        tree = ast.parse(source, filename)
    except SyntaxError:
        if not top_level_raise:
            raise
        tree = ast.parse("")              # a cell with IPython syntax: regions are top level
    owner = {}
    for fn in _functions(tree):
        for lineno in range(fn.lineno, (fn.end_lineno or fn.lineno) + 1):
            owner[lineno] = fn              # innermost wins: ast.walk visits outer first
    out, inside, start = [], False, 0
    for number, line in enumerate(source.splitlines(keepends=True), 1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ReleaseError(f"{filename}:{number}: nested {BEGIN}")
            inside, start = True, number
            indent = line[: len(line) - len(line.lstrip())]
            fn = owner.get(number)
            if fn is None and top_level_raise:
                out.append(f"{indent}# YOUR CODE HERE\n")
                out.append(f"{indent}raise NotImplementedError({task + ': write the code of this cell.'!r})\n")
            elif fn is None:
                out.append(f"{indent}# {task}: your code here\n")
            else:
                what = _returns(ast.get_docstring(fn))
                message = f"{task}, {fn.name}: implement it (see the docstring)"
                if what:
                    message += f"; it returns {what}"
                out.append(f"{indent}raise NotImplementedError({message + '.'!r})\n")
            continue
        if stripped == END:
            if not inside:
                raise ReleaseError(f"{filename}:{number}: {END} without {BEGIN}")
            inside = False
            continue
        if not inside:
            out.append(line)
    if inside:
        raise ReleaseError(f"{filename}:{start}: {BEGIN} is never closed")
    return "".join(out)


def stub_notebook(text: str, task: str, filename: str = "<notebook>") -> str:
    """The student version of a solution notebook (nbformat 4 JSON): solution regions of code
    cells stubbed, outputs and execution counts cleared."""
    notebook = json.loads(text)
    for number, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") == "code":
            source = "".join(cell.get("source", []))
            stubbed = stub_source(source, task, f"{filename} cell {number}", top_level_raise=True)
            cell["source"] = stubbed.splitlines(keepends=True)
            cell["outputs"] = []
            cell["execution_count"] = None
        elif BEGIN in "".join(cell.get("source", [])):
            raise ReleaseError(f"{filename} cell {number}: solution markers outside a code cell")
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


# Written into every assignment folder: `pytest` there runs the public checks. Both files only
# import from autograder/pytest_plugin.py, where what pytest prints is decided (and tested).
PUBLIC_TEST = '''"""Run `pytest` in this folder to check your work: the public checks of this assignment.

One test per check (`pytest -k conv_forward` runs one function's); a failed check prints its
message, and the summary at the end gives your points per function. The graded run repeats the
checks on other inputs, so passing these is necessary, not sufficient. (Generated by
`cnn-autograder release`; do not edit.)
"""
from pathlib import Path

import pytest

from autograder.pytest_plugin import check_names

HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize("name", check_names(HERE))
def test_public_check(name, public_checks):
    public_checks.verdict(name)
'''

PUBLIC_CONFTEST = '''"""How pytest reports the public checks: a short block per failed check, your points last
(generated by `cnn-autograder release`; do not edit; the code is autograder/pytest_plugin.py)."""
from autograder.pytest_plugin import (  # noqa: F401
    public_checks,
    pytest_report_teststatus,
    pytest_terminal_summary,
)
'''


class ReleaseSetupError(ReleaseError):
    """Release cannot start: the solutions or a package it needs are missing. Nothing was written."""


def check_release(solutions: Path, names: tuple[str, ...] | None = None) -> list[Path]:
    """The assignment folders of ``solutions`` to release, after checking that everything the
    release needs is here (so that it fails before writing anything, saying what to get)."""
    import importlib.util
    import sys

    from autograder.registry import ASSIGNMENTS

    solutions = Path(solutions)
    if not solutions.is_dir():
        raise ReleaseSetupError(
            f"no solutions folder at {solutions}: release needs the reference solutions "
            f"(the folder holding {', '.join(ASSIGNMENTS)}). They are in the cnn-autograder "
            f"repository, not in the installed package: run release from a clone of it, or pass "
            f"--solutions DIR (or set CNN_AUTOGRADER_SOLUTIONS). Nothing was written.")
    folders = sorted(p for p in solutions.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    if names:
        unknown = [n for n in names if n not in {f.name for f in folders}]
        if unknown:
            raise ReleaseSetupError(f"{solutions} has no {', '.join(unknown)}; it holds "
                                    f"{', '.join(f.name for f in folders) or 'no assignment folder'}.")
        folders = [f for f in folders if f.name in names]
    if not any(f.name in ASSIGNMENTS for f in folders):
        raise ReleaseSetupError(f"{solutions} holds none of the assignments ({', '.join(ASSIGNMENTS)}): "
                                f"pass --solutions the folder that holds them. Nothing was written.")
    for folder in folders:
        spec = ASSIGNMENTS.get(folder.name)
        missing = [p for p in (spec.requires if spec else ()) if importlib.util.find_spec(p) is None]
        if missing:
            raise ReleaseSetupError(
                f"releasing {folder.name} records its public checks on the solutions, which needs "
                f"{', '.join(missing)} (TensorFlow), not installed for {sys.executable}: "
                f"pip install \"cnn-autograder[tf]\" (or pip install tensorflow), then release again. "
                f"Nothing was written.")
    return folders


def release(solutions: Path, assignments: Path, names: tuple[str, ...] | None = None) -> list[Path]:
    """Regenerate ``assignments/<name>/`` for each assignment folder under ``solutions`` (only
    ``names``, if given): stubbed modules and notebooks, provided files as they are, and for
    graded assignments the recording of the public checks' expected values plus the pytest
    files that run them. Returns the files written, at their final paths.

    Atomic: everything is built in a temporary folder next to ``assignments`` and swapped in only
    once every assignment is built; if anything fails, ``assignments`` is left as it was. Other
    entries of an existing ``assignments`` (assignments not released now, other files) are kept.
    """
    solutions, assignments = Path(solutions).resolve(), Path(assignments).resolve()
    folders = check_release(solutions, names)
    if assignments.exists() and not assignments.is_dir():
        raise ReleaseSetupError(f"{assignments} is a file: give release a folder to write the "
                                f"assignments into. Nothing was written.")
    if solutions.is_relative_to(assignments) or assignments.is_relative_to(solutions):
        raise ReleaseSetupError(f"the release would replace {assignments}, which holds or is inside the "
                                f"solutions {solutions}: write it to another folder. Nothing was written.")
    assignments.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{assignments.name}-building-", dir=assignments.parent))
    building.chmod(assignments.stat().st_mode & 0o7777 if assignments.is_dir() else 0o777 & ~_umask())
    try:
        built = {folder.name for folder in folders}
        if assignments.is_dir():                # keep what this release does not rebuild
            for entry in assignments.iterdir():
                if entry.name not in built:
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.copytree(entry, building / entry.name, symlinks=True)
                    else:
                        shutil.copy2(entry, building / entry.name, follow_symlinks=False)
        with _solutions_at(solutions):
            written = [f for folder in folders for f in _release_one(folder, building / folder.name)]
        _swap(building, assignments)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return [assignments / path.relative_to(building) for path in written]


def _release_one(folder: Path, target: Path) -> list[Path]:
    """Write the student version of one solutions folder into ``target`` (a new folder)."""
    from autograder.core import recording
    from autograder.registry import ASSIGNMENTS
    from autograder.selfcheck import record

    written = []
    target.mkdir(parents=True)
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix not in _COPIED_SUFFIXES:
            continue
        dest = target / path.relative_to(folder)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".py":
            dest.write_text(stub_source(path.read_text(encoding="utf-8"), folder.name, str(path)),
                            encoding="utf-8")
        elif path.suffix == ".ipynb":
            dest.write_text(stub_notebook(path.read_text(encoding="utf-8"), folder.name, str(path)),
                            encoding="utf-8")
        else:
            shutil.copyfile(path, dest)
        written.append(dest)
    if folder.name in ASSIGNMENTS:
        recording.save(record(folder.name), target / recording.FILENAME)
        (target / "test_public.py").write_text(PUBLIC_TEST, encoding="utf-8")
        (target / "conftest.py").write_text(PUBLIC_CONFTEST, encoding="utf-8")
        written += [target / recording.FILENAME, target / "test_public.py", target / "conftest.py"]
    return written


@contextlib.contextmanager
def _solutions_at(solutions: Path):
    """Point the recording (:func:`autograder.selfcheck.record`, which finds the solutions with
    :func:`autograder.paths.solutions_dir`) at ``solutions`` while the release runs."""
    saved = os.environ.get(SOLUTIONS_VARIABLE)
    os.environ[SOLUTIONS_VARIABLE] = str(solutions)
    try:
        yield
    finally:
        if saved is None:
            del os.environ[SOLUTIONS_VARIABLE]
        else:
            os.environ[SOLUTIONS_VARIABLE] = saved


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _swap(built: Path, target: Path) -> None:
    """Put the folder ``built`` at ``target``; the old ``target`` goes only once the new one is in
    place (and comes back if the rename fails)."""
    if not target.exists():
        built.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        built.rename(target)
    except OSError:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
