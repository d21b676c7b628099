"""The class report (autograder/batch/class_report.py): a pure function of the records."""
from __future__ import annotations

from matplotlib.figure import Figure

from autograder.batch.class_report import class_stats, function_figure, score_figure, to_markdown
from autograder.batch.records import Record
from autograder.core.messages import CATALOG
from autograder.core.results import CheckResult, Report

HINT = next(k[len("hint."):] for k in CATALOG["en"] if k.startswith("hint."))


def _record(student: str, conv: float, pool: float, hints=(), status="graded") -> Record:
    results = (
        CheckResult("conv_forward.basic", "conv_forward", "layers", conv, 10, "passed" if conv == 10 else "failed",
                    "" if conv == 10 else "wrong", hints=hints),
        CheckResult("max_pool_forward.basic", "max_pool_forward", "layers", pool, 5,
                    "passed" if pool == 5 else "failed", "" if pool == 5 else "wrong"),
    )
    return Record(student, "", "folder", student, "c", "g", status, Report("02_cnn_layers", student, results))


RECORDS = [_record("a", 10, 5), _record("b", 0, 5, (HINT,)), _record("c", 0, 0, (HINT,)),
           _record("d", 10, 0), _record("e", 0, 0, status="unreadable"), _record("f", 0, 0, status="error")]


def test_stats_count_students_functions_and_hints():
    stats = class_stats(RECORDS, "02_cnn_layers")
    assert sorted(stats.scores) == [0, 0, 5, 10, 15]              # the grader error is left out
    assert stats.unreadable == ("e",) and stats.errors == ("f",)
    conv, pool = stats.functions
    assert (conv.function, conv.full, conv.students, conv.max_points) == ("conv_forward", 2, 4, 10)
    assert (pool.full, pool.students) == (2, 4) and conv.hints == ((HINT, 2),)
    assert stats.hints == ((HINT, 2, ("conv_forward",)),)


def test_the_page_says_what_to_reteach_with_the_hint_text():
    stats = class_stats(RECORDS, "02_cnn_layers")
    page = to_markdown(stats, ("s.png", "f.png"))
    assert "5 submissions graded" in page and "## Re-teach on Monday" in page
    first = next(line for line in page.splitlines() if line.startswith("1. "))
    assert "conv_forward" in first and "2 of 4" in first and CATALOG["en"][f"hint.{HINT}"] in first
    assert f"| `{HINT}` | 2 | conv_forward |" in page
    assert "![score distribution](s.png)" in page and "Not counted" in page and "f" in page


def test_figures_are_objects_with_one_bar_per_function():
    stats = class_stats(RECORDS, "02_cnn_layers")
    assert isinstance(score_figure(stats), Figure)
    bars = function_figure(stats).axes[0].patches
    assert len(bars) == 2 and all(abs(b.get_width() - 50) < 1e-9 for b in bars)


def test_an_empty_class_gives_a_short_page():
    assert "No graded submission yet." in to_markdown(class_stats([], "01_convolution"))
