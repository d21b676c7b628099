"""The public checks catch the classic bugs: a student who runs them locally (against the
recording shipped with the assignment, as `cnn-autograder check` and `pytest` in the folder do)
loses points on a bug's function whenever the graded run does.

The graded side is held by the corpus tests: every entry of tests/corpus/layers/ loses points
on its function when graded (test_corpus_layers.py), and so does every one-line bug of 01 and 03
(test_corpus_small_bugs.py). Here each of them is run as a student would run it.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_corpus_small_bugs import BUGS

from autograder import selfcheck
from autograder.grading.runner import public_checks
from autograder.registry import get_assignment

from corpus_tools import load_corpus, patch_module
from grading_helpers import ASSIGNMENTS, SOLUTIONS, function_score

LAYERS = load_corpus(Path(__file__).parent / "corpus" / "layers")

# Checks left out of the rubrics' [public] lists, each for the reason given there.
GRADED_ONLY = {
    "01_convolution": set(),
    "02_cnn_layers": {"conv_backward.grid"},    # 90 kB of recording; stride, pad, rect catch its bugs
    "03_optimization": {"train.mnist"},         # needs the reference 02 layers, which students lack
}

# Bugs that may pass every public check and still lose points when graded: bug id -> why.
# Empty: each bug of the corpora is caught locally.
PASSES_LOCALLY: dict[str, str] = {}


def run_public(tmp_path: Path, assignment: str, files: dict[str, str]):
    """The public checks on ``files`` in a copy of the assignment folder, with its shipped
    recording, without the solutions (as a student runs them)."""
    folder = tmp_path / assignment
    folder.mkdir(parents=True)
    for name, source in files.items():
        (folder / name).write_text(source, encoding="utf-8")
    shutil.copy(ASSIGNMENTS / assignment / "public_checks.bin", folder)
    return selfcheck.run(folder, lang="en")


def _cases():
    reference = (SOLUTIONS / "02_cnn_layers" / "layers.py").read_text(encoding="utf-8")
    for entry in LAYERS:
        yield pytest.param("02_cnn_layers", entry.function,
                           lambda entry=entry: {"layers.py": patch_module(reference, entry.source)},
                           id=entry.path.stem)
    for bug in BUGS:
        def files(bug=bug):
            found = {p.name: p.read_text(encoding="utf-8") for p in (SOLUTIONS / bug.assignment).glob("*.py")}
            found[bug.file] = found[bug.file].replace(bug.old, bug.new)
            return found
        yield pytest.param(bug.assignment, bug.function, files, id=bug.id)


@pytest.mark.parametrize("assignment, function, files", list(_cases()))
def test_public_checks_catch_the_bug(assignment, function, files, tmp_path, request):
    bug = request.node.callspec.id
    report = run_public(tmp_path, assignment, files())
    score, max_score = function_score(report, function)
    assert max_score > 0, f"{bug}: {function} has no public check"
    if bug in PASSES_LOCALLY:
        assert score == max_score, f"{bug} is caught locally now: drop it from PASSES_LOCALLY"
    else:
        assert score < max_score, (f"{bug}: {function} keeps its {max_score:g} public points, yet "
                                   f"loses points when graded; widen the rubric's [public] checks")


@pytest.mark.parametrize("assignment", sorted(GRADED_ONLY))
def test_every_check_is_public_but_the_documented_ones(assignment):
    public = {c.name for c in public_checks(assignment)}
    hidden = {c.name for c in get_assignment(assignment).checks()} - public
    assert hidden == GRADED_ONLY[assignment], "a check left [public] (or joined it): give the reason"


@pytest.mark.parametrize("assignment", sorted(GRADED_ONLY))
def test_the_shipped_recording_answers_every_public_check(assignment, tmp_path):
    """The solutions earn every public point against the recording: it is not stale."""
    files = {p.name: p.read_text(encoding="utf-8") for p in (SOLUTIONS / assignment).glob("*.py")}
    report = run_public(tmp_path, assignment, files)
    failed = [f"{r.name}: {r.message}" for r in report.results if r.status != "passed"]
    assert failed == [], "run `cnn-autograder release`: the recording misses public checks"
    assert report.max_score > 0
