"""Hostile submissions of 02's layers.py: each trick costs the functions that play it, with a
clear message, and nothing else; grading always completes and no score is inflated.

Every file of ``tests/corpus/hostile/`` is appended to the reference solution, so its
definitions replace the reference's and the rest of the module stays correct. The table below
says which functions must lose all their points and what one of their messages says. Hangs use
the rubric's own limits (10 s a call, 20 s an import); only three cases hang.
"""
from __future__ import annotations

import resource
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from autograder.registry import get_assignment
from autograder.grading.rubric import load_rubric
from autograder.paths import REPO_ROOT, solutions_dir
from autograder.sandbox.limits import isolation_level

from grading_helpers import SOLUTIONS, function_score, grade_files

ASSIGNMENT = "02_cnn_layers"
REFERENCE = SOLUTIONS / ASSIGNMENT / "layers.py"
CORPUS = Path(__file__).parent / "corpus" / "hostile"
FUNCTIONS = tuple(dict.fromkeys(c.function for c in get_assignment(ASSIGNMENT).checks()))
ROOT_ONLY = pytest.mark.skipif(isolation_level() != "full", reason="hiding files needs root")


@dataclass(frozen=True)
class Hostile:
    """A corpus file, the functions it must cost (``"*"``: all) with words one of each one's
    messages holds (a tuple: alternatives), and texts that must appear in the messages of
    named checks (``{copy}`` stands for the readable copy of the solutions)."""

    file: str
    messages: dict[str, str | tuple[str, ...]]
    marks: tuple = ()
    says: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def lost(self) -> tuple[str, ...]:
        return FUNCTIONS if "*" in self.messages else tuple(self.messages)

    def expected(self, function: str) -> tuple[str, ...]:
        wanted = self.messages.get(function, self.messages.get("*", ""))
        return wanted if isinstance(wanted, tuple) else (wanted,)


CASES = [
    Hostile("infinite_loop", {"relu_backward": "did not finish within 10 s"}),
    Hostile("import_sleep", {"*": "importing layers.py took longer than 20 s"}),
    Hostile("memory_grab", {"softmax": "raised MemoryError",
                            "softmax_cross_entropy": ("MemoryError", "did not finish within 10 s")}),
    Hostile("exits", {"relu_backward": "exited with code 0 (sys.exit or os._exit",
                      "avg_pool_backward": "raised SystemExit: leaving",
                      "max_pool_backward": "raised KeyboardInterrupt",
                      "conv_backward": "raised GeneratorExit",
                      "affine_backward": "died: killed",
                      "softmax": "died: segmentation fault"}),
    Hostile("numpy_monkeypatch", {"softmax": "probs[0, 0] is 0, expected",
                                  "softmax_cross_entropy": "loss is 0, expected"}),
    Hostile("lying_types", {"softmax": "probs is a LyingArray, expected a numpy.ndarray",
                            "softmax_cross_entropy": "loss is a LyingFloat, expected a number"}),
    Hostile("wrong_values", {"softmax": "probs is a list, expected a numpy.ndarray",
                             "softmax_cross_entropy": "loss is nan",
                             "relu_forward": "out is a ndarray of dtype object (not numbers)"}),
    Hostile("banned_scipy", {"*": "layers.py imports scipy"}),
    Hostile("banned_tensorflow", {"*": "layers.py imports tensorflow"}),
    Hostile("banned_solutions", {"*": "layers.py imports solutions"}),
    Hostile("banned_in_function", {"*": "layers.py imports scipy"}),
    Hostile("banned_runtime", {"*": "layers.py imports scipy"}),
    Hostile("banned_evasion", {"softmax": "tensorflow"}, (ROOT_ONLY,)),
    Hostile("steal_solutions", {"softmax": "no reference solution found",
                                "softmax_cross_entropy": "no reference solution found"}, (ROOT_ONLY,),
            {"softmax.basic": ("02_cnn_layers/layers.py): FileNotFoundError",)}),
    Hostile("steal_git", {"softmax": "no solution in .git"}, (ROOT_ONLY,),
            {"softmax.basic": ("listdir(.git/objects): FileNotFoundError", "git show: ")}),
    Hostile("output_flood", {"conv_backward": "printed more than the output limit of 4 MB"}),
    Hostile("stdout_noise", {}),
    Hostile("write_outside", {"softmax": "could not write outside the submission"}, (ROOT_ONLY,)),
    Hostile("fork_bomb", {"softmax": "children, then BlockingIOError"}, (ROOT_ONLY,)),  # RLIMIT_NPROC
    Hostile("huge_return", {"softmax": "too large to send back"}),
    Hostile("protocol_garbage", {"softmax": "returned something the grader could not read"}),
]


PROBES = (REPO_ROOT / "hostile-probe-delete-me.txt", Path("/root/hostile-probe-delete-me.txt"),
          Path("/etc/hostile-probe-delete-me.txt"))          # what write_outside tries to create


def _source(name: str, **fields: str) -> str:
    patch = (CORPUS / f"{name}.py").read_text(encoding="utf-8")
    for key, value in fields.items():
        patch = patch.replace(key, value)
    return REFERENCE.read_text(encoding="utf-8") + "\n\n# --- hostile patch ---\n" + patch


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture(scope="module")
def points() -> dict[str, float]:
    rubric = load_rubric(ASSIGNMENT)
    totals: dict[str, float] = {}
    for check in get_assignment(ASSIGNMENT).checks():
        totals[check.function] = totals.get(check.function, 0.0) + rubric.points[check.name].points
    return totals


@pytest.fixture(scope="module")
def solutions_copy():
    """A copy of the solutions that anybody may read: only the sandbox hides it from the child."""
    folder = Path(tempfile.mkdtemp(prefix="hostile-solutions-"))
    folder.chmod(0o755)
    shutil.copytree(SOLUTIONS, folder / "solutions")
    layers = folder / "solutions" / ASSIGNMENT / "layers.py"
    assert layers.stat().st_mode & stat.S_IROTH and (folder / "solutions").stat().st_mode & stat.S_IXOTH
    yield folder / "solutions"
    shutil.rmtree(folder, ignore_errors=True)


def _assert_costs_exactly(report, case: Hostile, points: dict[str, float], copy: Path) -> None:
    for function in FUNCTIONS:
        score, max_score = function_score(report, function)
        rows = [r for r in report.results if r.function == function]
        if function in case.lost:
            assert score == 0, f"{case.file}: {function} kept {score} of {max_score} points"
            messages = [r.message for r in rows]
            assert any(w in m for w in case.expected(function) for m in messages), \
                f"{case.file}: no message of {function} says {case.expected(function)}: {messages}"
        else:
            failed = {r.name: r.message for r in rows if r.status != "passed"}
            assert failed == {}, f"{case.file}: {function} lost points to another function's trick"
    assert report.score == pytest.approx(100 - sum(points[f] for f in case.lost))
    assert report.max_score == 100
    messages = {r.name: r.message for r in report.results}
    for name, texts in case.says.items():
        for text in texts:
            assert text.format(copy=copy) in messages[name], messages[name]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.file, marks=c.marks) for c in CASES])
def test_hostile_submission_costs_only_its_own_points(case, tmp_path, points, solutions_copy):
    source = _source(case.file, __SOLUTIONS_COPY__=str(solutions_copy),
                     __REPO_SOLUTIONS__=str(solutions_dir()))
    before = _peak_rss_mb()
    report = grade_files(tmp_path, ASSIGNMENT, {"layers.py": source}, solutions=str(solutions_copy))
    _assert_costs_exactly(report, case, points, solutions_copy)
    assert _peak_rss_mb() - before < 300, "the grader's own memory grew by hundreds of MB"
    assert not any(p.exists() for p in PROBES), "a submission wrote outside its folder"


def test_corpus_and_table_agree():
    assert sorted(c.file for c in CASES) == sorted(p.stem for p in CORPUS.glob("*.py"))
