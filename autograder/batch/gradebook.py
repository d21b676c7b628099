"""Gradebooks as CSV: pure functions of the records (plus one thin writer).

* ``gradebook.csv``: ``student_id, name, <points of each function>..., total, max_total,
  status, late``: one row per student, one column per graded function (and ``quiz``,
  ``train``), in the assignment's order. Moodle's gradebook import (Grades > Import > CSV file)
  maps ``student_id`` to a user field (ID number, username or email) and any column to a grade
  item; most spreadsheets open it as it is.
* ``gradebook_canvas.csv``: what Canvas's Gradebook > Import reads (canvas-lms
  ``GradebookImporter``): a header row ``Student, ID, SIS User ID, SIS Login ID, Section``
  (the student columns end at ``Section``), then one column per assignment, a ``Points
  Possible`` row, and students matched by ``ID`` (the Canvas user id of a Canvas download),
  else by ``SIS Login ID`` (a plain folder's name is put there). Only the total goes in: Canvas
  makes every unknown column a new assignment, so points per function would become new
  assignments; they are in ``gradebook.csv``.
* ``gradebook_moodle.csv`` (Moodle downloads only): the assignment's offline grading worksheet
  (Assignment > Grading action > Upload grading worksheet, ``assignfeedback_offline``): it needs
  ``Identifier`` (``Participant <id>``, the id of the download's folder names), ``Grade`` and
  ``Last modified (grade)`` (a grade changed in Moodle after that time is not overwritten), and
  takes ``Feedback comments`` when that feedback type is on.

Text cells that a spreadsheet would run as a formula (starting with ``= + - @``) get a leading
``'``; numbers are written with a dot, at most 4 decimals.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from autograder.batch.records import Record, write_atomic

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def points(value: float) -> str:
    return f"{round(value, 4):g}"


def cell(text: str) -> str:
    text = "".join(c if c.isprintable() else " " for c in str(text))
    return "'" + text if text.startswith(_FORMULA) else text


def columns(records: list[Record]) -> list[str]:
    """The functions (and groups: quiz, train) in report order, over every record."""
    seen: dict[str, None] = {}
    for record in records:
        for function in record.report.by_function():
            seen.setdefault(function, None)
    return list(seen)


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def gradebook(records: list[Record]) -> str:
    """``gradebook.csv``: points per function and the total, one row per student."""
    functions = columns(records)
    rows = [["student_id", "name", *functions, "total", "max_total", "status", "late"]]
    for record in sorted(records, key=lambda r: r.student_id):
        groups = record.report.by_function()
        per = [points(sum(r.score for r in groups.get(f, []))) if f in groups else "" for f in functions]
        rows.append([cell(record.student_id), cell(record.name), *per, points(record.score),
                     points(record.max_score), record.status, "yes" if record.late else ""])
    return _csv(rows)


def canvas_gradebook(records: list[Record], title: str) -> str:
    """``gradebook_canvas.csv`` for Canvas's Gradebook import; ``title`` names the assignment
    column (``"CNN layers (1234)"`` with Canvas's assignment id matches an existing assignment;
    an unknown title creates one)."""
    top = max((r.max_score for r in records), default=100.0)
    rows = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", cell(title)],
            ["    Points Possible", "", "", "", "", points(top)]]
    for record in sorted(records, key=lambda r: r.student_id):
        canvas = record.source == "canvas"
        rows.append([cell(record.name or record.student_id), record.student_id if canvas else "", "",
                     "" if canvas else cell(record.student_id), "", points(record.score)])
    return _csv(rows)


def moodle_worksheet(records: list[Record], modified: str) -> str:
    """``gradebook_moodle.csv``, Moodle's offline grading worksheet, for the records that came
    from a Moodle download; ``modified`` is the ``Last modified (grade)`` time written."""
    rows = [["Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)", "Feedback comments"]]
    for record in sorted((r for r in records if r.source == "moodle"), key=lambda r: int(r.student_id)):
        rows.append([f"Participant {record.student_id}", cell(record.name), points(record.score),
                     points(record.max_score), modified, cell(feedback(record))])
    return _csv(rows)


def feedback(record: Record) -> str:
    """One line per function that lost points, for the LMS's comment field."""
    lines = []
    for function, results in record.report.by_function().items():
        lost = [r for r in results if not r.passed]
        if lost:
            got, top = sum(r.score for r in results), sum(r.max_score for r in results)
            lines.append(f"{function}: {points(got)}/{points(top)}")
    return "; ".join(lines) if lines else "All checks passed."


def write_gradebooks(records: list[Record], output: Path, title: str, modified: str) -> list[Path]:
    """Write the gradebooks of ``records`` into ``output`` (atomically); the paths written."""
    written = [output / "gradebook.csv", output / "gradebook_canvas.csv"]
    write_atomic(written[0], gradebook(records))
    write_atomic(written[1], canvas_gradebook(records, title))
    if any(r.source == "moodle" for r in records):
        written.append(output / "gradebook_moodle.csv")
        write_atomic(written[-1], moodle_worksheet(records, modified))
    return written
