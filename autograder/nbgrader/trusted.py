"""``nbgrader autograde``: the points of the test cells come from the submitted modules only.

:class:`GradeModules` (before the notebook runs) reads the module files from ``submitted/``
(regular files only, as ``cnn-autograder grade`` reads a submission), grades a private copy
of them with :func:`autograder.grading.runner.grade` (the sandboxed grader), and looks at the
submitted notebook's test cells. :class:`WriteTrustedResults` (after the notebook ran, just
before nbgrader's SaveAutoGrades) makes sure each test cell is there exactly once, with its
source metadata, and writes its outputs from that grade: the points as the cell's value, the
messages as its text; a notes cell first says what was wrong with the notebook. Without a
trusted grade every test cell scores 0, with the reason (fails closed).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
import uuid
from collections import Counter
from pathlib import Path

from nbformat import from_dict
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.core.messages import render
from autograder.grading.runner import grade
from autograder.grading.submission import SubmissionError, collect
from autograder.nbgrader.cells import GradedGroup, grade_cell, grade_id_of, grade_metadata, graded_groups
from autograder.nbgrader.feedback import cell_outputs, group_score, group_text, notes_markdown
from autograder.nbgrader.options import CnnAutograder, source_folder
from autograder.nbgrader.records import EXECUTION, TRUSTED, ExecutionEvent, ExecutionLog, NotebookFinding, TrustedGrade
from autograder.registry import ASSIGNMENTS, get_assignment

MAX_NOTEBOOK_BYTES = 64 << 20


class GradeModules(NbGraderPreprocessor):
    """Grade the submitted modules before any of the notebook's code runs."""

    def preprocess(self, nb, resources):
        ids = resources["nbgrader"]
        if ids["assignment"] not in ASSIGNMENTS:
            return nb, resources
        from nbgrader.coursedir import CourseDirectory

        options = CnnAutograder(config=self.config)
        coursedir = CourseDirectory(config=self.config)
        submitted = Path(coursedir.format_path(coursedir.submitted_directory, ids["student"],
                                               ids["assignment"]))
        source = source_folder(self.config, ids["assignment"])
        findings = inspect_notebook(_read_notebook(submitted / f"{ids['notebook']}.ipynb"),
                                    _read_notebook(source / f"{ids['notebook']}.ipynb"),
                                    graded_groups(ids["assignment"]))
        resources[TRUSTED] = grade_submitted(submitted, ids["assignment"], options,
                                             ids["student"], findings)
        self.log.info("cnn-autograder: %s of %s: %s", ids["assignment"], ids["student"],
                      "not graded" if resources[TRUSTED].report is None
                      else f"{resources[TRUSTED].report.score:g} / {resources[TRUSTED].report.max_score:g}")
        return nb, resources


def grade_submitted(submitted: Path, assignment: str, options: CnnAutograder, student: str,
                    findings: tuple[NotebookFinding, ...] = ()) -> TrustedGrade:
    """Read the student files of ``submitted`` once, then grade that copy in a private folder."""
    spec = get_assignment(assignment)
    wanted = getattr(spec, "wanted", spec.files)
    try:
        collected = collect(submitted, wanted)
    except SubmissionError as exc:
        return TrustedGrade(assignment, None, (), findings, why_not=str(exc))
    digests = tuple((name, hashlib.sha256(data).hexdigest()) for name, data in sorted(collected.files.items()))
    with tempfile.TemporaryDirectory(prefix="cnn-autograder-pristine-") as folder:
        for name, data in collected.files.items():
            Path(folder, name).write_bytes(data)        # a name of ``wanted``: no folder, no link
        report = grade(folder, assignment, solutions=options.solutions_or_none, lang=options.language,
                       student_id=student if options.bind_quiz_to_student_id else None)
    notes = tuple(dict.fromkeys(collected.notes + report.notes))
    report = dataclasses.replace(report, submission=str(submitted), notes=notes)
    return TrustedGrade(assignment, report, digests, findings)


def inspect_notebook(submitted: dict | str, source: dict | str,
                     groups: tuple[GradedGroup, ...]) -> tuple[NotebookFinding, ...]:
    """What is wrong with the submitted notebook's test cells: a test cell missing, there more
    than once, or changed (its source or nbgrader settings differ from the source notebook's).
    A notebook that cannot be read (a str: why) is one finding."""
    if isinstance(submitted, str):
        return (NotebookFinding("unreadable", detail=submitted),)
    cells = [c for c in submitted.get("cells", []) if isinstance(c, dict)]
    counts = Counter(grade_id_of(c) for c in cells)
    originals = {grade_id_of(c): c for c in source.get("cells", [])} if isinstance(source, dict) else {}
    findings = []
    for group in groups:
        count = counts.get(group.grade_id, 0)
        if count == 0:
            findings.append(NotebookFinding("missing", group.name))
            continue
        if count > 1:
            findings.append(NotebookFinding("duplicated", group.name, count))
        cell = next(c for c in cells if grade_id_of(c) == group.grade_id)
        original = originals.get(group.grade_id)
        if original is not None and (_text(cell.get("source")) != _text(original.get("source"))
                                     or _flags(cell) != _flags(original)):
            findings.append(NotebookFinding("changed", group.name))
    return tuple(findings)


class WriteTrustedResults(NbGraderPreprocessor):
    """Write each test cell's outputs from the trusted grade, just before SaveAutoGrades."""

    def preprocess(self, nb, resources):
        assignment = resources["nbgrader"]["assignment"]
        if assignment not in ASSIGNMENTS:
            return nb, resources
        lang = CnnAutograder(config=self.config).language
        trusted = resources.get(TRUSTED)
        execution = resources.get(EXECUTION)
        if not isinstance(trusted, TrustedGrade):
            trusted = TrustedGrade(assignment, None, (), why_not=render("nbgrader.no_grading_step", lang))
        if not isinstance(execution, ExecutionLog):
            execution = ExecutionLog()
        cells = place_test_cells(nb, graded_groups(assignment))
        for group, cell in cells:
            points = _points(cell, group)
            cell["metadata"]["nbgrader"] = from_dict({**grade_metadata(group, points),
                                                      **_checksum(cell)})
            cell["metadata"]["deletable"] = cell["metadata"]["editable"] = False
            cell["outputs"] = [from_dict(o) for o in cell_outputs(
                group_text(trusted.report, group, points, lang, trusted.why_not),
                group_score(trusted.report, group, points))]
            cell["execution_count"] = None
        notes = [finding_note(f, lang) for f in trusted.findings]
        notes += [event_note(e, lang) for e in execution.events]
        files = [name for name, _ in trusted.files] or list(get_assignment(assignment).files)
        nb.cells.insert(0, from_dict({"cell_type": "markdown", "metadata": {},
                                      "id": f"cnn-notes-{uuid.uuid4().hex[:8]}",
                                      "source": notes_markdown(files, notes, lang)}))
        return nb, resources


def place_test_cells(nb, groups: tuple[GradedGroup, ...]) -> list[tuple[GradedGroup, object]]:
    """Each group's test cell, exactly once: the first cell claiming its grade_id (later ones
    lose their nbgrader metadata), or a new cell at the end of the notebook."""
    ours = {g.grade_id: g for g in groups}
    found: dict[str, object] = {}
    for cell in nb.cells:
        grade_id = grade_id_of(cell)
        if grade_id in ours:
            if grade_id in found or cell.get("cell_type") != "code":
                del cell["metadata"]["nbgrader"]
            else:
                found[grade_id] = cell
    taken = {c.get("id") for c in nb.cells}
    placed = []
    for group in groups:
        cell = found.get(group.grade_id)
        if cell is None:
            fresh = grade_cell(group)
            if fresh["id"] in taken:
                fresh["id"] = f"{fresh['id'][:50]}-{uuid.uuid4().hex[:8]}"
            cell = from_dict(fresh)
            nb.cells.append(cell)
        placed.append((group, cell))
    return placed


def finding_note(finding: NotebookFinding, lang: str) -> str:
    key = {"missing": "nbgrader.cell_missing", "duplicated": "nbgrader.cell_duplicated",
           "changed": "nbgrader.cell_changed", "unreadable": "nbgrader.notebook_unreadable"}[finding.kind]
    return render(key, lang, group=finding.group, count=finding.count, reason=finding.detail)


def event_note(event: ExecutionEvent, lang: str) -> str:
    return render(f"nbgrader.{event.kind}", lang, cell=event.code_cell, excerpt=event.excerpt,
                  limit=event.limit, reason=event.detail)


def _points(cell, group: GradedGroup) -> float:
    """The cell's points as nbgrader restored them from the gradebook, else the rubric's."""
    try:
        points = float(cell["metadata"]["nbgrader"]["points"])
    except (KeyError, TypeError, ValueError):
        return group.points
    return points if 0 <= points < float("inf") else group.points


def _checksum(cell) -> dict:
    checksum = cell.get("metadata", {}).get("nbgrader", {}).get("checksum")
    return {"checksum": checksum} if isinstance(checksum, str) else {}


def _flags(cell: dict) -> tuple:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    meta = meta if isinstance(meta, dict) else {}
    return tuple(meta.get(k) for k in ("grade", "solution", "locked", "task", "points"))


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source or "")


def _read_notebook(path: Path) -> dict | str:
    """The notebook's JSON, or why it cannot be read (a str)."""
    try:
        with open(path, "rb") as file:
            if not os.path.isfile(path) or os.path.islink(path):
                return "not a regular file"
            data = file.read(MAX_NOTEBOOK_BYTES + 1)
    except OSError as exc:
        return exc.strerror or str(exc)
    if len(data) > MAX_NOTEBOOK_BYTES:
        return f"larger than {MAX_NOTEBOOK_BYTES >> 20} MB"
    try:
        notebook = json.loads(data)
    except ValueError as exc:
        return f"not JSON ({exc})"[:200]
    return notebook if isinstance(notebook, dict) else "not a notebook"
