"""What a cnn-autograder test cell and the notes cell show: pure functions of a Report.

A test cell's outputs are a text (the group's points, then one paragraph per distinct failure,
as the terminal report words it) and, as the cell's value, the points, which nbgrader reads.
Nothing goes to stderr (nbgrader would read 0) and the value never exceeds the cell's points.
"""
from __future__ import annotations

import textwrap

from autograder.core.messages import plural, render
from autograder.core.results import CheckResult, Report
from autograder.nbgrader.cells import GradedGroup
from autograder.report.text import failure_label

WIDTH = 100


def group_score(report: Report | None, group: GradedGroup, points: float) -> float:
    """The points ``group`` earned, within [0, ``points``] (the test cell's points)."""
    if report is None:
        return 0.0
    earned = sum(r.score for r in report.by_function().get(group.name, []))
    return round(min(max(earned, 0.0), points), 6)


def group_text(report: Report | None, group: GradedGroup, points: float, lang: str,
               why_not: str = "") -> str:
    """The text of ``group``'s test cell: its points and what to fix, or why it was not graded."""
    score = group_score(report, group, points)
    files = ", ".join(group.files)
    lines = [render("nbgrader.cell_score", lang, group=group.name, score=_fmt(score),
                    points=plural("report.points_n", lang, points, points=_fmt(points)), files=files)]
    if report is None:
        lines += textwrap.wrap(render("nbgrader.not_graded", lang, reason=why_not), WIDTH)
        return "\n".join(lines) + "\n"
    results = report.by_function().get(group.name, [])
    failed = [r for r in results if not r.passed]
    for note in _notes_for(report, group):
        lines += ["", *textwrap.wrap(note, WIDTH)]
    if failed:
        lines += ["", render("report.what_to_fix", lang)]
        for message, rows in _by_message(failed):
            lines += textwrap.wrap(render("report.failure", lang, names=failure_label(rows, lang),
                                          message=message), WIDTH, subsequent_indent="    ")
    elif results:
        lines.append(plural("nbgrader.all_passed", lang, len(results)))
    return "\n".join(lines) + "\n"


def cell_outputs(text: str, score: float, execution_count: int | None = None) -> list[dict]:
    """The outputs of a test cell: the text on stdout, then the points as the cell's value."""
    return [{"output_type": "stream", "name": "stdout", "text": text},
            {"output_type": "execute_result", "execution_count": execution_count,
             "metadata": {}, "data": {"text/plain": _fmt(score)}}]


def notes_markdown(files: list[str], notes: list[str], lang: str) -> str:
    """The Markdown cell put first in the graded notebook: where the points come from, and
    what was wrong with the notebook (each note already a sentence)."""
    text = render("nbgrader.notes_title", lang, files=", ".join(f"`{f}`" for f in files) or "-")
    if notes:
        text += "\n\n" + render("nbgrader.notes_intro", lang) + "\n\n"
        text += "\n".join(f"- {note}" for note in notes)
    return text + "\n"


def excerpt(source: str, limit: int = 60) -> str:
    """The first non-empty line of a cell, safe inside Markdown inline code."""
    line = next((s.strip() for s in str(source).splitlines() if s.strip()), "")
    line = "".join(ch if ch.isprintable() else " " for ch in line).replace("`", "'")
    return line if len(line) <= limit else line[:limit - 3] + "..."


def _notes_for(report: Report, group: GradedGroup) -> list[str]:
    """The report's notes about this group's files (a missing file, one refused)."""
    return [n for n in report.notes if any(f in n for f in group.files)]


def _by_message(failed: list[CheckResult]) -> list[tuple[str, list[CheckResult]]]:
    groups: dict[str, list[CheckResult]] = {}
    for result in failed:
        groups.setdefault(result.message, []).append(result)
    return list(groups.items())


def _fmt(x: float) -> str:
    return f"{round(x, 4):g}"
