"""Hostile submissions of 02's layers.py: each trick costs the functions that play it, with a
clear message, and nothing else; grading always completes and no score is inflated.

Every file of ``tests/corpus/hostile/`` is appended to the reference solution, so its
definitions replace the reference's and the rest of the module stays correct. The table below
says which functions must lose all their points and what one of their messages says. Hangs use
the rubric's own limits (10 s a call, 20 s an import); only three cases hang.
"""
from __future__ import annotations

import base64
import os
import resource
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from autograder.core.rubric import load_rubric
from autograder.paths import REPO_ROOT, solutions_dir
from autograder.registry import get_assignment
from autograder.report import FORMATS
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
    # checks (not functions) that must fail, with words of their message; the rest pass
    checks: dict[str, str] = field(default_factory=dict)
    # functions whose trick may or may not cost them (it depends on timing); nobody else pays
    either: tuple[str, ...] = ()

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
    Hostile("forged_replies", {"max_pool_forward": ("could not read", "is a float", "out of turn"),
                               "max_pool_backward": ("could not read", "out of turn", "is a float", "Error"),
                               "relu_backward": "could not read"}, either=("avg_pool_backward",)),
    Hostile("unsafe_strings", {"affine_backward": "raised ValueError: bad \ufffd input \ufffd[2J",
                               "softmax_cross_entropy": "raised EEEE",
                               "softmax": "probs is a Weird\ufffd\ufffd[31mWWW"}),
    Hostile("mutation_forge", {}, checks={"relu_forward.no_mutation": "modified its argument x"}),
    Hostile("host_traces", {}, (ROOT_ONLY,)),      # asserted by _assert_no_host_traces
    Hostile("memorize_public", {"*": ("expected", "not earned yet", "raised ValueError", "should raise")}),
]


PROBES = (REPO_ROOT / "hostile-probe-delete-me.txt", Path("/root/hostile-probe-delete-me.txt"),
          Path("/etc/hostile-probe-delete-me.txt"))          # what write_outside tries to create


def _source(name: str, **fields: str) -> str:
    patch = (CORPUS / f"{name}.py").read_text(encoding="utf-8")
    for key, value in fields.items():
        patch = patch.replace(key, value)
    return REFERENCE.read_text(encoding="utf-8") + "\n\n# --- hostile patch ---\n" + patch


def _recording_b64() -> str:
    """The public checks' recording of 02, as the memorising submission pastes it."""
    recorded = REPO_ROOT / "assignments" / ASSIGNMENT / "public_checks.bin"
    return base64.b64encode(recorded.read_bytes()).decode()


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
    rubric = load_rubric(ASSIGNMENT)
    for function in FUNCTIONS:
        score, max_score = function_score(report, function)
        rows = [r for r in report.results if r.function == function]
        if function in case.either:
            continue
        if function in case.lost:
            assert score == 0, f"{case.file}: {function} kept {score} of {max_score} points"
            messages = [r.message for r in rows]
            assert any(w in m for w in case.expected(function) for m in messages), \
                f"{case.file}: no message of {function} says {case.expected(function)}: {messages}"
        else:
            failed = {r.name: r.message for r in rows if r.status != "passed"}
            wanted = {name: text for name, text in case.checks.items() if name.split(".")[0] == function}
            assert sorted(failed) == sorted(wanted), f"{case.file}: {function} lost {failed}"
            for name, text in wanted.items():
                assert text in failed[name], failed[name]
    lost = sum(points[f] for f in case.lost) + sum(rubric.points[n].points for n in case.checks)
    either = sum(points[f] for f in case.either)
    assert 100 - lost - either - 1e-9 <= report.score <= 100 - lost + 1e-9
    assert report.max_score == 100
    messages = {r.name: r.message for r in report.results}
    for name, texts in case.says.items():
        for text in texts:
            assert text.format(copy=copy) in messages[name], messages[name]


TRACE_KEY, TRACE_FILE = 0x636E6E61, "cnn-hostile-trace"      # what host_traces tries to leave


def _host_writable_folders(top: str = "/", depth: int = 4) -> list[str]:
    """Folders somebody other than root may write to (world-writable), found by walking."""
    found = []
    try:
        entries = list(os.scandir(top))
    except OSError:
        return found
    for entry in entries:
        if entry.path.startswith(("/proc", "/sys")) or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_mode & stat.S_IWOTH:
                found.append(entry.path)
        except OSError:
            continue
        if depth > 1:
            found += _host_writable_folders(entry.path, depth - 1)
    return found


def _assert_no_host_traces(case: Hostile) -> None:
    """Nothing the child made outlives it: no System V object under the corpus's key, no file
    in any world-writable folder of the host (nor in /)."""
    for kind in ("shm", "sem", "msg"):
        table = Path(f"/proc/sysvipc/{kind}")
        if table.exists():
            keys = [line.split()[0] for line in table.read_text().splitlines()[1:] if line.split()]
            assert str(TRACE_KEY) not in keys, f"{case.file}: a System V {kind} object outlived the child"
    left = [f for f in ["/"] + _host_writable_folders() if os.path.lexists(os.path.join(f, TRACE_FILE))]
    assert left == [], f"{case.file}: files left on the host in {left}"


def _assert_reports_are_safe(report, case: Hostile) -> None:
    """Every report format renders, encodes as UTF-8, stays small, and carries no control
    character (an ANSI escape rewrites the reader's terminal) nor a bidirectional override."""
    for name, render in FORMATS.items():
        text = render(report)
        data = text.encode("utf-8")            # a lone surrogate would raise here
        assert len(data) < 1 << 20, f"{case.file}: the {name} report is {len(data)} bytes"
        unsafe = {c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) < 0xa0
                  or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069}
        assert unsafe == set(), f"{case.file}: the {name} report holds {sorted(map(hex, map(ord, unsafe)))}"


@pytest.mark.parametrize("case", [pytest.param(c, id=c.file, marks=c.marks) for c in CASES])
def test_hostile_submission_costs_only_its_own_points(case, tmp_path, points, solutions_copy):
    source = _source(case.file, __SOLUTIONS_COPY__=str(solutions_copy),
                     __REPO_SOLUTIONS__=str(solutions_dir()),
                     __PUBLIC_RECORDING_B64__=_recording_b64())
    before = _peak_rss_mb()
    report = grade_files(tmp_path, ASSIGNMENT, {"layers.py": source}, solutions=str(solutions_copy))
    _assert_costs_exactly(report, case, points, solutions_copy)
    _assert_reports_are_safe(report, case)
    _assert_no_host_traces(case)
    assert _peak_rss_mb() - before < 300, "the grader's own memory grew by hundreds of MB"
    assert not any(p.exists() for p in PROBES), "a submission wrote outside its folder"


def test_corpus_and_table_agree():
    assert sorted(c.file for c in CASES) == sorted(p.stem for p in CORPUS.glob("*.py"))


def test_memorised_public_cases_pass_locally_but_earn_nothing_when_graded(tmp_path):
    """The attack is real: run as a student would (the public checks, against the recording the
    assignment ships), the memorising submission earns most public points (41.5 of 50 when the
    issue was filed, 76 of 98 once the public subset widened). Graded, with inputs seeded by the
    grader's secret, it earns nothing."""
    from autograder import selfcheck

    folder = tmp_path / ASSIGNMENT
    folder.mkdir()
    recorded = REPO_ROOT / "assignments" / ASSIGNMENT / "public_checks.bin"
    shutil.copy(recorded, folder / "public_checks.bin")
    (folder / "layers.py").write_text(_source("memorize_public", __PUBLIC_RECORDING_B64__=_recording_b64()),
                                      encoding="utf-8")
    local = selfcheck.run(folder)
    assert local.score >= 40, [r.message for r in local.results if r.score == 0]
    graded = grade_files(tmp_path / "graded", ASSIGNMENT, {"layers.py": (folder / "layers.py").read_text()})
    assert graded.score == 0, [r.name for r in graded.results if r.score]


def test_graded_inputs_depend_on_a_secret_and_on_the_submission(monkeypatch):
    from autograder.grading.runner import grading_salt

    files = {"layers.py": b"x = 1\n"}
    first = grading_salt(ASSIGNMENT, files)
    assert first == grading_salt(ASSIGNMENT, dict(files)), "the same files must get the same inputs"
    assert first != grading_salt(ASSIGNMENT, {"layers.py": b"x = 2\n"})
    monkeypatch.setenv("CNN_AUTOGRADER_SECRET", "course secret")
    assert grading_salt(ASSIGNMENT, files) != first
