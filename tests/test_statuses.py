"""Typed statuses (autograder.core.results.Status): a wrong answer, a check gated by another, a
module that cannot be graded and a grader bug each read as what they are, in every report,
while Gradescope's two-status format still reads passed or failed."""
from __future__ import annotations

import json

import pytest

from autograder.core.results import STATUSES, CheckResult
from autograder.report import to_gradescope, to_json, to_text

from grading_helpers import SOLUTIONS, by_name, grade_files

REFERENCE = (SOLUTIONS / "01_convolution" / "convolution.py").read_text(encoding="utf-8")
# correlate2d flips the kernel: its basic check fails, the checks that require it are gated
FLIPPED = REFERENCE.replace("def correlate2d(", "def _correlate2d(") + '''

def correlate2d(image, kernel, stride=1, pad=0):
    return _correlate2d(image, np.asarray(kernel)[::-1, ::-1], stride, pad)
'''


def test_failed_gated_and_blocked(tmp_path):
    report = grade_files(tmp_path, "01_convolution", {"convolution.py": FLIPPED}, only="correlate2d")
    results = by_name(report)
    assert results["correlate2d.basic"].status == "failed" and results["correlate2d.basic"].score == 0
    assert results["correlate2d.float32"].status == "gated"
    assert "correlate2d.basic" in results["correlate2d.float32"].message
    text = to_text(report)
    assert "correlate2d.float32" in text          # a gated check is listed with the ones to fix

    report = grade_files(tmp_path / "b", "01_convolution", {"convolution.py": REFERENCE})
    quiz = [r for r in report.results if r.name.startswith("quiz.")]
    assert quiz and all(r.status == "blocked" and "quiz_answers.py" in r.message for r in quiz)
    assert by_name(report)["correlate2d.basic"].status == "passed"


def test_grader_error_fails_closed(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the grader")

    monkeypatch.setattr("autograder.checks.base.check_array", broken)
    report = grade_files(tmp_path, "01_convolution", {"convolution.py": REFERENCE}, only="correlate2d.basic")
    result = by_name(report)["correlate2d.basic"]
    assert result.status == "error" and result.score == 0 and "internal grader error" in result.message


def test_gradescope_reads_two_statuses_and_json_keeps_the_typed_one():
    results = tuple(CheckResult(f"f.{s}", "f", "m", 1.0 if s == "passed" else 0.0, 1.0, s,
                                "" if s == "passed" else f"why {s}") for s in STATUSES)
    from autograder.core.results import Report
    report = Report("01_convolution", "sub", results)
    graded = json.loads(to_gradescope(report))
    assert [t["status"] for t in graded["tests"]] == ["passed"] + ["failed"] * (len(STATUSES) - 1)
    assert "outcome" not in graded["tests"][0]
    extended = json.loads(to_json(report))
    assert [t["outcome"] for t in extended["tests"]] == list(STATUSES)
    assert [t["output"] for t in extended["tests"][1:]] == [f"why {s}" for s in STATUSES[1:]]


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="not one of passed, failed, gated, blocked, error"):
        CheckResult("f.x", "f", "m", 0.0, 1.0, "skipped", "")  # type: ignore[arg-type]
