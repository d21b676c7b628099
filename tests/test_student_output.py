"""What a student reads: `pytest` in an assignment folder (a short block per failed check, the
points last, only for what ran, in the chosen language), the text report's labels and plurals,
and the note on what the local checks do not cover."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from autograder.core.messages import LANGUAGES, plural, render
from autograder.core.results import CheckResult, Report
from autograder.grading.runner import public_checks
from autograder.pytest_plugin import causes, short_names
from autograder.registry import ASSIGNMENTS as REGISTRY
from autograder.report.text import failure_label, to_text
from autograder.selfcheck import coverage_note, not_run_here, points_summary

from corpus_tools import patch_module
from grading_helpers import ASSIGNMENTS, SOLUTIONS

CORPUS = SOLUTIONS.parent / "tests" / "corpus" / "layers"
FUNCTIONS_02 = list(dict.fromkeys(c.function for c in public_checks("02_cnn_layers")))


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "02_cnn_layers"
    shutil.copytree(ASSIGNMENTS / "02_cnn_layers", target)
    return target


def _pytest(folder, *args, lang=None):
    env = {k: v for k, v in os.environ.items() if k != "CNN_AUTOGRADER_LANG"}
    if lang:
        env["CNN_AUTOGRADER_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=folder,
                          capture_output=True, text=True, timeout=600, env=env)


def _with_bug(folder, corpus_file=None):
    source = (SOLUTIONS / "02_cnn_layers" / "layers.py").read_text()
    if corpus_file:
        source = patch_module(source, (CORPUS / corpus_file).read_text())
    (folder / "layers.py").write_text(source)


def _summary(stdout: str) -> str:
    """From the points summary to the end."""
    start = re.search(r"^(public checks of|verificações públicas de|verificaciones públicas de)", stdout, re.M)
    assert start, stdout[-3000:]
    return stdout[start.start():]


def test_untouched_stubs_print_one_short_block_per_function(folder):
    done = _pytest(folder)
    out = done.stdout
    assert done.returncode == 1, out[-3000:]
    lines = out.splitlines()
    assert len(lines) <= 80, f"{len(lines)} lines:\n{out}"        # it was 637 with 36 checks
    for noise in ("AssertionError", "assert 'failed'", "CheckResult(", "public_report", "Traceback",
                  "short test summary"):
        assert noise not in out
    # each stub's NotImplementedError once, in the block of the first check it fails
    for function in FUNCTIONS_02:
        assert out.count(f"{function} is not implemented yet") <= 1, function
    assert "same cause" in lines[-1] and "failed" in lines[-1]
    summary = _summary(out)
    assert "FAILURES" not in summary and "___" not in summary     # the summary comes last
    for function in FUNCTIONS_02:
        assert re.search(rf"^  {function} +0 / ", summary, re.M), function


def test_one_bug_gives_blocks_for_that_function_only(folder):
    _with_bug(folder, "conv_forward_stride_ignored.py")
    done = _pytest(folder)
    out = done.stdout
    assert done.returncode == 1
    headers = re.findall(r"^_+ test_public_check\[(.+?)\] _+$", out, re.M)
    assert headers and all(h.startswith("conv_forward.") for h in headers), headers
    assert "stride=2" in out and "AssertionError" not in out
    assert len(out.splitlines()) <= 15 + 6 * len(headers) + len(FUNCTIONS_02)
    summary = _summary(out)
    assert re.search(r"^  conv_forward +\d+ / 16 +<- see the failed tests above$", summary, re.M)
    assert summary.count("<- see the failed tests above") == 1


def test_dash_k_summarises_only_what_ran(folder):
    done = _pytest(folder, "-k", "conv_forward")
    summary = _summary(done.stdout)
    assert re.search(r"that ran \(\d+ of \d+\)", summary)
    functions = re.findall(r"^  (\w+) ", summary, re.M)
    assert functions == ["conv_forward"], summary
    assert "zero_pad" not in done.stdout and "softmax" not in done.stdout


def test_dash_k_on_a_gated_check_names_its_cause(folder):
    done = _pytest(folder, "-k", "zero_pad.float32")
    assert done.returncode == 1
    assert "zero_pad.values failed" in done.stdout
    assert re.findall(r"^  (\w+) ", _summary(done.stdout), re.M) == ["zero_pad"]


@pytest.mark.parametrize("lang, title, mark, same", [
    ("pt", "verificações públicas de 02_cnn_layers", "<- veja os testes que falharam acima", "mesma causa"),
    ("es", "verificaciones públicas de 02_cnn_layers", "<- ver las pruebas fallidas arriba", "misma causa"),
])
def test_pytest_summary_speaks_the_chosen_language(folder, lang, title, mark, same):
    done = _pytest(folder, "-k", "relu", lang=lang)
    assert title in done.stdout and mark in done.stdout
    assert same in done.stdout.splitlines()[-1]
    assert "public checks" not in done.stdout and "see the failed" not in done.stdout


def test_all_passing_says_what_the_graded_run_adds(folder):
    _with_bug(folder)
    done = _pytest(folder)
    assert done.returncode == 0, done.stdout[-3000:]
    summary = _summary(done.stdout)
    assert "All public checks pass." in summary and "other inputs" in summary
    public = {c.name for c in public_checks("02_cnn_layers")}
    for check in REGISTRY["02_cnn_layers"].checks():
        if check.name not in public:
            assert check.name in summary


# the pure parts --------------------------------------------------------------------------

def _result(name, status="failed", message="m", points=1.0, function=None):
    return CheckResult(name=name, function=function or name.split(".")[0], module="layers",
                       score=points if status == "passed" else 0.0, max_score=points, status=status,
                       message="" if status == "passed" else message)


def test_causes_group_gated_checks_and_repeated_messages():
    stub = "conv_forward is not implemented yet"
    results = (_result("conv_forward.basic", message=stub), _result("conv_forward.grid", message=stub),
               _result("conv_forward.float32", message="not earned yet"),
               _result("conv_backward.basic", message=stub), _result("relu_forward.basic", message="x"))
    report = Report("02_cnn_layers", ".", results)
    names = [r.name for r in results]
    assert causes(report, names) == {"conv_forward.grid": "conv_forward.basic",
                                     "conv_forward.float32": "conv_forward.basic",
                                     "conv_backward.basic": "conv_forward.basic"}
    # deselected, the cause is not claimed: a selected check keeps its own block
    assert causes(report, ["conv_forward.float32", "relu_forward.basic"]) == {}
    assert short_names(["conv_forward.grid", "conv_forward.rect", "relu_forward.basic"]) == \
        "conv_forward (grid, rect), relu_forward.basic"


def test_points_summary_covers_only_the_checks_that_ran():
    results = (_result("zero_pad.values", "passed", points=2), _result("conv_forward.basic", points=3),
               _result("softmax.basic", points=4))
    report = Report("02_cnn_layers", ".", results)
    text = points_summary(report, ["conv_forward.basic"])
    assert "0 / 3 points" in text and "zero_pad" not in text and "softmax" not in text
    assert "that ran (1 of" in text
    assert "1 / 1 point\n" in points_summary(Report("02_cnn_layers", ".", (_result("zero_pad.values", "passed"),)),
                                             ["zero_pad.values"])


def test_coverage_note_names_the_checks_left_out_from_the_rubric():
    public = public_checks("02_cnn_layers")
    ran = tuple(_result(c.name, "passed", function=c.function) for c in public if c.function == "conv_backward")
    report = Report("02_cnn_layers", ".", ran)
    left_out = [c.name for c in REGISTRY["02_cnn_layers"].checks()
                if c.function == "conv_backward" and c.name not in {p.name for p in public}]
    assert not_run_here(report) == left_out
    note = coverage_note(report)
    assert note.startswith("All public checks of conv_backward pass.")
    assert all(name in note for name in left_out) and "other inputs" in note
    assert coverage_note(Report("02_cnn_layers", ".", ran + (_result("relu_forward.basic"),))) == ""
    assert coverage_note(report.__class__(**{**report.__dict__, "lang": "pt"})).startswith(
        "Todas as verificações públicas de conv_backward passam.")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_counts_take_singular_and_plural(lang):
    one, two = plural("report.points_n", lang, 1, points="1"), plural("report.points_n", lang, 2, points="2")
    assert one != two.replace("2", "1")
    more_one = plural("report.more_checks", lang, 1, name="a.b")
    more_two = plural("report.more_checks", lang, 2, name="a.b")
    assert more_one != more_two.replace("2", "1")
    assert {"en": "1 point", "pt": "1 ponto", "es": "1 punto"}[lang] == one
    assert {"en": "a.b and 1 more check", "pt": "a.b e mais 1 verificação",
            "es": "a.b y 1 verificación más"}[lang] == more_one


def test_a_grouped_failure_names_each_function_with_its_points():
    rows = [_result("conv_forward.basic", message="same", points=3),
            _result("conv_forward.grid", message="same", points=3),
            _result("conv_backward.basic", message="same", points=4)]
    assert failure_label(rows, "en") == \
        "conv_forward.basic and 1 more check, 6 points; conv_backward.basic, 4 points"
    text = to_text(Report("02_cnn_layers", ".", tuple(rows) + (_result("relu_forward.basic", points=1),)))
    assert "[relu_forward.basic, 1 point] m" in text
    assert " pts" not in text and "more checks" not in text


def test_quiz_feedback_gives_the_formula_of_its_own_question(tmp_path):
    from autograder.grading.runner import grade
    from autograder.quiz import _answers

    folder = tmp_path / "01"
    folder.mkdir()
    shutil.copy(SOLUTIONS / "01_convolution" / "convolution.py", folder)
    answers = _answers("ana-2026")
    wrong = {qid: (not a if isinstance(a, bool) else (a[0] + 1, a[1], a[2]) if isinstance(a, tuple) else a + 1)
             for qid, a in answers.items()}
    (folder / "quiz_answers.py").write_text(f"STUDENT_ID = 'ana-2026'\nANSWERS = {wrong!r}\n")
    for lang in LANGUAGES:
        report = grade(folder, "01_convolution", only="quiz.", lang=lang)
        messages = {r.name: r.message for r in report.results}
        assert render("quiz.formula.q9", lang) in messages["quiz.q9"]
        assert "H_out" not in messages["quiz.q9"] and "f*f*3*k + k" in messages["quiz.q9"]
        assert render("quiz.formula.q1", lang) in messages["quiz.q1"]
