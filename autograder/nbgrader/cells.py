"""The cells cnn-autograder owns in an nbgrader notebook, and the source notebook built from the
student release's.

One **test cell** per graded group: a student function (``conv_forward``), or the checks of no
single function (``quiz``, ``train``), as :meth:`Report.by_function` groups them. Its
``grade_id`` is ``cnn-<group>``, its points the rubric's points of the group's checks. Its
source only says where the points come from: during ``nbgrader autograde`` it is not run, and
its outputs are replaced by the trusted result. Markdown cells and self-check cells are
locked (nbgrader restores their source), with ``grade_id`` ``cnn-locked-<n>``.

Pure functions of plain notebook dicts (nbformat 4 JSON): no nbgrader import, no files.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from autograder.core.rubric import load_rubric
from autograder.registry import get_assignment

GRADE_PREFIX = "cnn-"
LOCK_PREFIX = "cnn-locked-"
SCHEMA_VERSION = 3                  # nbgrader 0.9's cell metadata format
_SELF_CHECK = re.compile(r"""\bcheck\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\)""")


@dataclass(frozen=True)
class GradedGroup:
    """What one test cell grades: the checks of ``name`` in the student files ``files``."""

    name: str                       # "conv_forward"; "quiz" or "train" for checks of no function
    files: tuple[str, ...]          # ("layers.py",)
    points: float

    @property
    def grade_id(self) -> str:
        return GRADE_PREFIX + self.name


def graded_groups(assignment: str) -> tuple[GradedGroup, ...]:
    """The test cells of ``assignment``, in the order of its check table."""
    rubric = load_rubric(assignment)
    names: dict[str, list] = {}
    for check in get_assignment(assignment).checks():
        names.setdefault(check.function or check.name.split(".")[0], []).append(check)
    return tuple(GradedGroup(name, tuple(dict.fromkeys(f"{c.module}.py" for c in checks)),
                             round(sum(rubric.points[c.name].points for c in checks), 6))
                 for name, checks in names.items())


def grade_metadata(group: GradedGroup, points: float | None = None) -> dict:
    """nbgrader metadata of ``group``'s test cell: an autograded, locked code cell."""
    return {"grade": True, "solution": False, "locked": True, "task": False,
            "grade_id": group.grade_id, "points": group.points if points is None else points,
            "schema_version": SCHEMA_VERSION}


def locked_metadata(grade_id: str) -> dict:
    return {"grade": False, "solution": False, "locked": True, "task": False,
            "grade_id": grade_id, "schema_version": SCHEMA_VERSION}


def grade_source(group: GradedGroup) -> str:
    """The test cell's source: where its points come from, and how to see them early."""
    files = ", ".join(group.files)
    return (f"# Graded by cnn-autograder: {group.name}, {group.points:g} points, from {files} as you\n"
            f"# submit it. The grader checks your file outside this notebook, on inputs of its own, and\n"
            f"# writes your points and what to fix here: nothing this notebook prints or changes counts.\n"
            f"# To see the public checks now, run the self-check cells.\n"
            f"from autograder.nbgrader.placeholder import graded_outside\n"
            f"\n"
            f"graded_outside({group.name!r}, {list(group.files)!r}, {group.points:g})")


def grade_cell(group: GradedGroup, points: float | None = None) -> dict:
    """A fresh test cell of ``group`` (nbformat 4.5: with a cell id)."""
    return {"cell_type": "code", "id": _cell_id(group.grade_id), "execution_count": None,
            "metadata": {"deletable": False, "editable": False,
                         "nbgrader": grade_metadata(group, points)},
            "outputs": [], "source": grade_source(group)}


def grade_id_of(cell: dict) -> str | None:
    """The nbgrader ``grade_id`` a cell claims, or None (no or malformed nbgrader metadata)."""
    meta = cell.get("metadata", {})
    nbgrader = meta.get("nbgrader") if isinstance(meta, dict) else None
    grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
    return grade_id if isinstance(grade_id, str) else None


def self_checked(source: str) -> list[str]:
    """The functions a self-check cell checks, in order: ``check("conv_forward")`` -> conv_forward."""
    return _SELF_CHECK.findall(source)


def source_notebook(release: dict, assignment: str) -> dict:
    """The nbgrader source notebook of ``assignment`` from the release's notebook ``release``.

    Each test cell follows the self-check cell of its function; groups no self-check cell
    names (the quiz, the training task) follow at the end, under a heading. Markdown and
    self-check cells are locked. The release notebook holds no solutions (``cnn-autograder
    release`` strips them), so neither does this one.
    """
    groups = {g.name: g for g in graded_groups(assignment)}
    notebook = copy.deepcopy(release)
    notebook["nbformat"], notebook["nbformat_minor"] = 4, max(5, notebook.get("nbformat_minor", 5))
    placed: set[str] = set()
    cells: list[dict] = []
    for index, cell in enumerate(notebook["cells"]):
        cell.setdefault("id", f"c{index:03d}")
        meta = cell.setdefault("metadata", {})
        meta.pop("nbgrader", None)
        text = _text(cell.get("source", ""))
        checked = self_checked(text) if cell["cell_type"] == "code" else []
        if cell["cell_type"] == "markdown" or checked or text.strip() == _WHOLE_CHECK:
            meta["nbgrader"] = locked_metadata(f"{LOCK_PREFIX}{index:03d}")
            meta.update(deletable=False, editable=False)
        cells.append(cell)
        for name in checked:
            if name in groups and name not in placed:
                cells.append(grade_cell(groups[name]))
                placed.add(name)
    rest = [g for name, g in groups.items() if name not in placed]
    if rest:
        cells.append({"cell_type": "markdown", "id": "cnn-graded-rest", "source": _REST_HEADING,
                      "metadata": {"deletable": False, "editable": False,
                                   "nbgrader": locked_metadata(f"{LOCK_PREFIX}rest")}})
        cells += [grade_cell(g) for g in rest]
    notebook["cells"] = cells
    return notebook


_WHOLE_CHECK = "from autograder.selfcheck import check\n\ncheck()"
_REST_HEADING = ("## Graded test cells\n\nThe points of the parts below come, like the others, from "
                 "your files as you submit them, graded outside this notebook.")


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def _cell_id(grade_id: str) -> str:
    """A valid nbformat cell id (letters, digits, - and _; at most 64 characters)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", grade_id)[:64]
