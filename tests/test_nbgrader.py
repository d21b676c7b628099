"""A real nbgrader course graded by cnn-autograder (issue 16), from setup to export.

setup -> ``nbgrader generate_assignment`` -> submissions in ``submitted/`` (correct, stub, two
buggy, one writing to stderr, and one hostile notebook per trick of
:mod:`nbgrader_tricks`) -> ``nbgrader autograde`` -> ``generate_feedback`` -> ``export``.
The gradebook must hold, for every student, the scores ``cnn-autograder grade`` gives the
same module files, function by function, and nothing else.

The hostile notebooks that attack the gradebook and other students' files need the notebook
confinement (root with CAP_SYS_ADMIN, as CI runs); elsewhere the module is skipped.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.paths import REPO_ROOT
from autograder.sandbox.limits import isolation_level

from corpus_tools import patch_module
from nbgrader_tricks import STDERR_MODULE_HEAD, STUDENTS, Student

pytest.importorskip("nbgrader")
pytestmark = pytest.mark.skipif(isolation_level() != "full",
                                reason="notebook confinement needs root with CAP_SYS_ADMIN (CI has it)")

ASSIGNMENT = "02_cnn_layers"
SECRET = "nbgrader-test-secret-7d1e"
BIN = Path(sys.executable).parent
SOLUTION = (REPO_ROOT / "solutions" / ASSIGNMENT / "layers.py").read_text()
STUB = (REPO_ROOT / "assignments" / ASSIGNMENT / "layers.py").read_text()
BUGS = {"bug1": "conv_backward_db_mean.py", "bug2": "max_pool_backward_ties_last.py"}


def modules(kind: str) -> str:
    if kind == "solution":
        return SOLUTION
    if kind == "stub":
        return STUB
    if kind == "stderr":
        return STDERR_MODULE_HEAD + SOLUTION
    return patch_module(SOLUTION, (REPO_ROOT / "tests" / "corpus" / "layers" / BUGS[kind]).read_text())


def fill(template: str, **values: str) -> str:
    for name, value in values.items():
        template = template.replace("{%s!r}" % name, repr(value)).replace("{%s}" % name, value)
    return template


@dataclass
class Course:
    root: Path
    expected: dict          # student -> the CLI's JSON report of the same module files
    submitted: dict         # student -> the module file's bytes as submitted
    autograde: subprocess.CompletedProcess
    feedback: subprocess.CompletedProcess
    export: subprocess.CompletedProcess


def run(*args, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
               CNN_AUTOGRADER_SECRET=SECRET, CNN_AUTOGRADER_LANG="en")
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    root = tmp_path_factory.mktemp("course")
    setup = run(BIN / "cnn-autograder", "nbgrader", "setup", root, "--assignments", ASSIGNMENT,
                "--cell-timeout", "10", "--notebook-timeout", "120", cwd=root)
    assert setup.returncode == 0, setup.stderr
    generate = run(BIN / "nbgrader", "generate_assignment", ASSIGNMENT, cwd=root)
    assert generate.returncode == 0, generate.stderr[-3000:]
    release = root / "release" / ASSIGNMENT
    released = json.loads((release / f"{ASSIGNMENT}.ipynb").read_text())
    by_text: dict[str, dict] = {}
    expected, submitted = {}, {}
    for student in STUDENTS:
        folder = root / "submitted" / student.name / ASSIGNMENT
        shutil.copytree(release, folder)
        text = modules(student.modules)
        (folder / "layers.py").write_text(text)
        notebook = student.notebook(released) if student.notebook else released
        source = json.dumps(notebook, indent=1)
        source = fill(source, course=str(root), me=student.name, victim="correct")
        if student.name == "rewrite":
            source = json.dumps(_filled_cells(notebook, str(root), student.name))
        (folder / f"{ASSIGNMENT}.ipynb").write_text(source)
        submitted[student.name] = (folder / "layers.py").read_bytes()
        if text not in by_text:
            pristine = tmp_path_factory.mktemp("cli") / ASSIGNMENT
            pristine.mkdir()
            (pristine / "layers.py").write_text(text)
            cli = run(BIN / "cnn-autograder", "grade", pristine, "--assignment", ASSIGNMENT,
                      "--format", "json", cwd=pristine)
            assert cli.returncode == 0, cli.stderr
            by_text[text] = json.loads(cli.stdout)
        expected[student.name] = by_text[text]
    autograde = run(BIN / "nbgrader", "autograde", ASSIGNMENT, cwd=root)
    time.sleep(4)              # what a detached process of a notebook would write, it has written
    feedback = run(BIN / "nbgrader", "generate_feedback", ASSIGNMENT, cwd=root)
    export = run(BIN / "nbgrader", "export", cwd=root)
    return Course(root, expected, submitted, autograde, feedback, export)


def _filled_cells(notebook: dict, course: str, me: str) -> dict:
    """The rewrite trick carries whole modules: fill its cell after building the notebook."""
    nb = json.loads(json.dumps(notebook))
    for cell in nb["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = fill(text, course=course, me=me, victim="correct", solution=SOLUTION, stub=STUB)
    return nb


def grades(course: Course) -> dict[str, dict[str, tuple]]:
    """student -> grade cell -> (auto_score, manual_score, extra_credit, max_score)."""
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        for student in gb.students:
            submission = gb.find_submission(ASSIGNMENT, student.id)
            found[student.id] = {g.name: (g.auto_score, g.manual_score, g.extra_credit, g.max_score)
                                 for nb in submission.notebooks for g in nb.grades}
    return found


def per_function(report: dict) -> dict[str, float]:
    scores: dict[str, float] = {}
    for test in report["tests"]:
        key = "cnn-" + (test["function"] or test["name"].split(".")[0])
        scores[key] = round(scores.get(key, 0.0) + test["score"], 6)
    return scores


def feedback_html(course: Course, student: str) -> str:
    return (course.root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()


def test_every_submission_is_graded_and_exported(course):
    assert course.autograde.returncode == 0, course.autograde.stderr[-5000:]
    assert course.feedback.returncode == 0, course.feedback.stderr[-3000:]
    assert course.export.returncode == 0, course.export.stderr[-3000:]
    found = grades(course)
    assert set(found) == {s.name for s in STUDENTS}
    for student, cells in found.items():
        assert cells and all(auto is not None for auto, *_ in cells.values()), (student, cells)
    with open(course.root / "grades.csv", newline="") as file:
        rows = [r for r in csv.DictReader(file) if r["assignment"] == ASSIGNMENT]
    assert sorted(r["student_id"] for r in rows) == sorted(s.name for s in STUDENTS)
    for student in STUDENTS:
        assert (course.root / "feedback" / student.name / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()


@pytest.mark.parametrize("student", STUDENTS, ids=lambda s: s.name)
def test_scores_are_those_of_the_modules_as_submitted(course, student: Student):
    """Honest or hostile, a submission gets, cell by cell, what `cnn-autograder grade` gives
    its module files: never more, and a notebook's tricks or failures cost nothing."""
    report = course.expected[student.name]
    cells = grades(course)[student.name]
    assert {name: auto for name, (auto, *_) in cells.items()} == per_function(report)
    assert round(sum(auto for auto, *_ in cells.values()), 6) == report["score"]
    assert sum(maximum for *_, maximum in cells.values()) == 100


def test_expected_scores_span_the_range(course):
    scores = {s.modules: course.expected[s.name]["score"] for s in STUDENTS}
    assert scores["solution"] == scores["stderr"] == 100
    assert scores["stub"] == 0
    assert 0 < scores["bug1"] < 100 and 0 < scores["bug2"] < 100


def test_no_manual_score_or_extra_credit_appeared(course):
    for student, cells in grades(course).items():
        for name, (_, manual, extra, _) in cells.items():
            assert manual is None and extra is None, (student, name, manual, extra)


def test_notebooks_could_not_touch_submitted_or_source_files(course):
    for student in STUDENTS:
        path = course.root / "submitted" / student.name / ASSIGNMENT / "layers.py"
        assert path.read_bytes() == course.submitted[student.name], student.name
    assert (course.root / "source" / ASSIGNMENT / "layers.py").read_text() == STUB
    assert not (course.root / "autograder.py").exists()
    assert not (course.root / "source" / ASSIGNMENT / "python").exists()


def test_feedback_shows_our_messages_and_no_solution(course):
    secret_lines = [line.strip() for line in SOLUTION.splitlines()
                    if len(line.strip()) > 30 and line.strip() not in STUB]
    assert len(secret_lines) > 20
    for student in STUDENTS:
        if student.name == "rewrite":        # its own notebook carries the solution it tried to plant
            continue
        html = feedback_html(course, student.name)
        assert SECRET not in html
        assert not [line for line in secret_lines if line in html], student.name
        assert "graded from layers.py as you submitted it" in html
    failed = [t for t in course.expected["buggy_db"]["tests"] if t["status"] == "failed"]
    text = " ".join(feedback_html(course, "buggy_db").split())
    assert failed and all(" ".join(_html_text(t["output"]).split())[:80] in text for t in failed)


def test_an_honest_notebook_runs_and_may_write_its_folder(course):
    assert "a notebook may write files in its folder" in feedback_html(course, "stderr")


@pytest.mark.parametrize("student", [s for s in STUDENTS if s.problem], ids=lambda s: s.name)
def test_feedback_says_what_was_wrong_with_the_notebook(course, student: Student):
    assert student.problem in feedback_html(course, student.name)


def _html_text(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("'", "&#39;"))
