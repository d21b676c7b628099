"""The batch (autograder/batch/run.py, discover.py, records.py, gradebook.py): LMS layouts,
malformed submissions, gradebooks Canvas and Moodle read, resuming, and kill -9 at any moment.

Submissions are of 01 (about a second each); a test grades at most ten.
"""
from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.batch import records as store
from autograder.batch.discover import canvas_file_name, discover, file_key, parse_name
from autograder.batch.run import Options, grader_digest, run_batch
from autograder.paths import REPO_ROOT

from batch_helpers import ASSIGNMENT, FILES, correct, folder, solution, stub, stubs, zipped


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


# --- layouts --------------------------------------------------------------------------------

@pytest.mark.parametrize("name, is_dir, expected", [
    ("alice", True, ("folder", "alice", "", "")),
    ("alice.zip", False, ("zip", "alice", "", "")),
    ("Ana Lima_123456_assignsubmission_file_", True, ("moodle", "123456", "Ana Lima", "")),
    ("Ana Lima_123456_assignsubmission_file_layers.py", False, ("moodle", "123456", "Ana Lima", "layers.py")),
    ("Ana Lima_123456_assignsubmission_onlinetext_", True, ("moodle", "123456", "Ana Lima", "<onlinetext>")),
    ("smithbob_340934_208490284_layers.py", False, ("canvas", "340934", "smithbob", "layers.py")),
    ("smithbob_LATE_340934_208490284_layers-1.py", False, ("canvas", "340934", "smithbob", "layers.py")),
    ("smithbob_340934_208490284_work.zip", False, ("canvas", "340934", "smithbob", "work.zip")),
    ("notes.txt", False, None),
])
def test_names_of_plain_moodle_and_canvas_downloads(name, is_dir, expected):
    found = parse_name(name, is_dir, ("layers.py",))
    assert (found and (found.source, found.student_id, found.name, found.file)) == expected


def test_canvas_renaming_is_undone_only_towards_a_wanted_name():
    assert canvas_file_name("optim-2.py", ("optim.py",)) == "optim.py"
    assert canvas_file_name("my-notes.py", ("optim.py",)) == "my-notes.py"
    assert canvas_file_name("optim.py", ("optim.py",)) == "optim.py"


def test_discover_groups_each_student_and_says_what_it_ignores(tmp_path):
    folder(tmp_path, "alice", correct())
    zipped(tmp_path, "bob", correct())
    folder(tmp_path, "Ana Lima_501_assignsubmission_file_", correct())
    folder(tmp_path, "Ana Lima_501_assignsubmission_onlinetext_", {"onlinetext.html": b"<p>hi</p>"})
    for file in FILES:
        (tmp_path / f"Rui Sá_502_assignsubmission_file_{file}").write_bytes(solution(file))
        (tmp_path / f"smithbob_LATE_340934_2084_{file[:-3]}-1.py").write_bytes(solution(file))
    folder(tmp_path, "carol", correct())
    zipped(tmp_path, "carol", correct())          # two submissions under one id
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "link").symlink_to(tmp_path / "alice")
    found = discover(tmp_path, FILES)
    by_id = {e.student_id: e for e in found.entries}
    assert sorted(by_id) == ["340934", "501", "502", "alice", "bob", "carol"]
    assert by_id["501"].source == "moodle" and by_id["501"].name == "Ana Lima" and not by_id["501"].files
    assert [n for n, _ in by_id["502"].files] == sorted(FILES) and by_id["502"].name == "Rui Sá"
    assert by_id["340934"].late and [n for n, _ in by_id["340934"].files] == sorted(FILES)
    assert "several submissions under the id carol" in by_id["carol"].problem
    assert any("notes.txt" in i for i in found.ignored) and any("link" in i and "symbolic" in i for i in found.ignored)
    assert any("onlinetext" in i for i in found.ignored)


def test_file_keys_are_safe_and_distinct():
    assert file_key("12345") == "12345" and file_key("a.b-c_d") == "a.b-c_d"
    odd = ["../x", "x/y", "ação", "a b", ".hidden"]
    keys = [file_key(s) for s in odd]
    assert len(set(keys)) == len(keys) and all("/" not in k and not k.startswith(".") for k in keys)


# --- one batch: malformed submissions, gradebooks, resume ------------------------------------

@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Eight submissions of 01 in every layout and every way of being malformed, graded once."""
    subs = tmp_path_factory.mktemp("subs")
    folder(subs, "s01-correct", correct())
    folder(subs, "s02-stub", stubs())
    (subs / "s03-badzip.zip").write_bytes(os.urandom(300))
    folder(subs, "s04-syntax", {"convolution.py": b"def correlate2d(:\n",
                                "quiz_answers.py": solution("quiz_answers.py")})
    folder(subs, "s05-missing", {"quiz_answers.py": solution("quiz_answers.py")})
    folder(subs, "s06-latin1", {"convolution.py": solution("convolution.py") + b'GREETING = "caf\xe9"\n',
                                "quiz_answers.py": solution("quiz_answers.py")})
    folder(subs, "s07-empty", {})
    zipped(subs, "s08-zip", correct(), top="my work/")
    folder(subs, "Ana Lima_501_assignsubmission_file_", correct())
    for file in FILES:
        (subs / f"smithbob_LATE_340934_2084_{file[:-3]}-1.py").write_bytes(solution(file))
    out = tmp_path_factory.mktemp("out")
    summary = run_batch(subs, out, Options(ASSIGNMENT, jobs=2))
    return subs, out, summary


def test_every_submission_gets_a_result_and_malformed_ones_a_clear_message(graded):
    subs, out, summary = graded
    assert summary.total == 10 and not summary.errors and set(summary.unreadable) == {"s03-badzip"}
    got = {r.student_id: r for r in store.load_folder(out / "results")}
    assert len(got) == 10
    assert got["s01-correct"].score == 100 and got["s08-zip"].score == 100
    assert got["501"].score == 100 and got["340934"].score == 100 and got["340934"].late
    assert got["s02-stub"].score == 0 and got["s07-empty"].score == 0
    bad = got["s03-badzip"]
    assert bad.status == "unreadable" and bad.score == 0 and all(not r.passed for r in bad.report.results)
    assert "not a readable .zip" in bad.report.notes[0] or "neither a folder nor a .zip" in bad.report.notes[0]
    assert "every check scores 0" in bad.report.notes[0]

    def function_points(student, function):
        return sum(r.score for r in got[student].report.by_function()[function])

    for student in ("s04-syntax", "s06-latin1"):     # the module fails to import: its functions only
        assert function_points(student, "correlate2d") == 0 and function_points(student, "quiz") == 20
        assert any("could not be imported" in r.message for r in got[student].report.results)
    assert function_points("s05-missing", "quiz") == 20 and got["s05-missing"].score == 20
    assert any("convolution.py is missing" in r.message for r in got["s05-missing"].report.results)
    assert any("convolution.py is missing" in r.message for r in got["s07-empty"].report.results)


def test_results_are_whole_json_with_the_gradescope_form(graded):
    _, out, _ = graded
    for path in (out / "results").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["format"] == store.FORMAT and data["gradescope"]["score"] == data["score"]
        assert json.loads(json.dumps(store.to_dict(store.from_dict(data)))) == data    # lossless
    assert not list((out / "results").glob(".*.tmp"))


def test_the_gradebook_has_points_per_function_and_the_total(graded):
    _, out, _ = graded
    rows = _rows(out / "gradebook.csv")
    header = rows[0]
    assert (header[:3] == ["student_id", "name", "correlate2d"]
            and header[-4:] == ["total", "max_total", "status", "late"])
    assert "quiz" in header and len(rows) == 11
    by_id = {r[0]: dict(zip(header, r)) for r in rows[1:]}
    assert by_id["s01-correct"]["total"] == "100" and by_id["s03-badzip"]["status"] == "unreadable"
    assert by_id["501"]["name"] == "Ana Lima" and by_id["340934"]["late"] == "yes"
    for row in by_id.values():
        functions = [float(row[h]) for h in header[2:-4]]
        assert abs(sum(functions) - float(row["total"])) < 1e-6


def test_the_canvas_gradebook_follows_canvas_importer_rules(graded):
    """canvas-lms GradebookImporter: row[0] holds "Student", row[1] "ID", the student columns end
    with "Section"; a row whose first cell holds "Points Possible" sets the points; students are
    found by ID (Canvas user id), else SIS Login ID."""
    _, out, _ = graded
    rows = _rows(out / "gradebook_canvas.csv")
    header, possible = rows[0], rows[1]
    assert "Student" in header[0] and "ID" in header[1] and header[2:5] == ["SIS User ID", "SIS Login ID", "Section"]
    assert header[5] == ASSIGNMENT and "Points Possible" in possible[0] and possible[5] == "100"
    by_name = {r[0]: r for r in rows[2:]}
    assert by_name["smithbob"][1] == "340934" and by_name["smithbob"][5] == "100"
    assert by_name["s02-stub"][1] == "" and by_name["s02-stub"][3] == "s02-stub" and by_name["s02-stub"][5] == "0"
    assert len(rows) == 12


def test_the_moodle_worksheet_follows_moodles_offline_grading_import(graded):
    """assignfeedback_offline: columns "Identifier" ("Participant <id>"), "Grade" and "Last
    modified (grade)" must be there; only Moodle downloads have participant ids."""
    _, out, _ = graded
    rows = _rows(out / "gradebook_moodle.csv")
    assert {"Identifier", "Grade", "Last modified (grade)", "Feedback comments"} <= set(rows[0])
    row = dict(zip(rows[0], rows[1]))
    assert len(rows) == 2 and row["Identifier"] == "Participant 501" and row["Grade"] == "100"


def test_a_rerun_keeps_current_results_and_regrades_what_changed(graded, tmp_path):
    subs, out, _ = graded
    before = {p.name: p.read_bytes() for p in (out / "results").glob("*.json")}
    (subs / "s02-stub" / "convolution.py").write_bytes(solution("convolution.py"))
    summary = run_batch(subs, out, Options(ASSIGNMENT, jobs=1))
    assert summary.graded == ("s02-stub",) and len(summary.skipped) == 9
    after = {p.name: p.read_bytes() for p in (out / "results").glob("*.json")}
    assert {n for n in after if after[n] != before[n]} == {"s02-stub.json"}
    assert store.load(out / "results" / "s02-stub.json").score == 80      # the quiz still a stub's
    (subs / "s02-stub" / "convolution.py").write_bytes(stub("convolution.py"))


# --- kill -9 at any moment --------------------------------------------------------------------

def _children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] not in "ZX"
    except (OSError, IndexError):
        return False


def test_a_batch_killed_at_any_moment_ends_with_each_submission_graded_once(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    for i in range(8):
        (folder if i % 2 else zipped)(subs, f"s{i}", correct() if i % 3 else stubs())
    out = tmp_path / "out"
    command = [sys.executable, "-m", "autograder", "batch", str(subs), "--assignment", ASSIGNMENT,
               "--jobs", "2", "--output", str(out), "--no-progress"]
    rng = random.Random(17)
    grader = grader_digest(ASSIGNMENT)
    first_seen: dict[str, bytes] = {}        # a result, the first time it was seen whole
    kills = 0
    for _attempt in range(6):
        proc = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + rng.uniform(0.8, 4.0)
        workers: set[int] = set()
        while time.monotonic() < deadline and proc.poll() is None:
            workers |= _children(proc.pid)
            time.sleep(0.05)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=60)
        assert _wait_gone(workers), "a worker outlived the killed batch"
        for path in (out / "results").glob("*.json") if (out / "results").is_dir() else []:
            data = path.read_bytes()
            assert store.from_dict(json.loads(data))          # never half a file
            first_seen.setdefault(path.name, data)
        if proc.returncode == 0:
            break
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert kills >= 1
    results = {p.name: p.read_bytes() for p in (out / "results").glob("*.json")}
    assert sorted(results) == [f"s{i}.json" for i in range(8)]
    if grader_digest(ASSIGNMENT) != grader:         # someone edited the grader meanwhile: all regraded
        pytest.skip("the grader's code changed during the test, so every result was rightly regraded")
    for name, data in first_seen.items():      # once recorded, never graded again
        assert results[name] == data, f"{name} was graded twice"
    assert not list((out / "results").glob(".*.tmp"))
    rows = _rows(out / "gradebook.csv")
    assert sorted(r[0] for r in rows[1:]) == [f"s{i}" for i in range(8)]
    assert json.loads((out / "shards" / "0-of-1.json").read_text())["complete"] is True
    assert "kept 8 current results" in done.stderr or "graded" in done.stderr


def _wait_gone(pids: set[int], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.1)
    return False


def test_a_second_batch_on_the_same_output_is_refused(tmp_path):
    from autograder.batch.run import BatchError, _lock
    from autograder.batch.shards import Shard

    held = _lock(tmp_path, Shard())
    try:
        with pytest.raises(BatchError, match="another batch is writing"):
            run_batch(tmp_path, tmp_path, Options(ASSIGNMENT))
    finally:
        os.close(held)


def test_bad_arguments_exit_2_with_a_message(tmp_path):
    from grading_helpers import run_cli

    done = run_cli("batch", str(tmp_path / "nope"), "--assignment", ASSIGNMENT, "--output", str(tmp_path / "o"))
    assert done.returncode == 2 and "is not a folder" in done.stderr
    done = run_cli("batch", str(tmp_path), "--assignment", "99_x", "--output", str(tmp_path / "o"))
    assert done.returncode == 2 and "unknown assignment" in done.stderr
    done = run_cli("batch", str(tmp_path), "--assignment", ASSIGNMENT, "--output", str(tmp_path / "o"),
                   "--jobs", "0")
    assert done.returncode == 2 and "--jobs" in done.stderr
