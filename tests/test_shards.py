"""Shards (autograder/batch/shards.py): --shard i/n splits a class without overlap, and merge
refuses an incomplete split and otherwise writes the same gradebook as one unsplit batch."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from autograder.batch import records as store
from autograder.batch.run import Options, run_batch
from autograder.batch.shards import Shard, merge_manifests, parse_shard, select

from batch_helpers import ASSIGNMENT, FILES, correct, folder, solution, stubs, zipped
from grading_helpers import run_cli


@pytest.mark.parametrize("text, shard", [("0/1", Shard(0, 1)), ("3/10", Shard(3, 10)), (" 1 / 2 ", Shard(1, 2))])
def test_parse_shard(text, shard):
    assert parse_shard(text) == shard


@pytest.mark.parametrize("text", ["", "1", "2/2", "-1/3", "1/0", "a/b", "1/2/3"])
def test_parse_shard_refuses_with_what_to_write(text):
    with pytest.raises(ValueError, match="0 <= i < n"):
        parse_shard(text)


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 12, 13])
def test_shards_split_a_class_into_disjoint_balanced_parts(count):
    students = [f"s{i:02d}" for i in range(12)]
    parts = [select(students, Shard(i, count)) for i in range(count)]
    assert sorted(s for part in parts for s in part) == students          # each exactly once
    assert max(map(len, parts)) - min(map(len, parts)) <= 1


def _class(root: Path) -> Path:
    subs = root / "subs"
    subs.mkdir()
    folder(subs, "alice", correct())
    folder(subs, "bob", stubs())
    zipped(subs, "carol", correct())
    for file in FILES:
        (subs / f"smithbob_340934_2084_{file}").write_bytes(solution(file))
    folder(subs, "dave", {"quiz_answers.py": solution("quiz_answers.py")})
    return subs


def _gradebook(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    """One class graded whole, and in two shards into one folder."""
    root = tmp_path_factory.mktemp("split")
    subs = _class(root)
    run_batch(subs, root / "whole", Options(ASSIGNMENT, jobs=2))
    first = run_batch(subs, root / "shared", Options(ASSIGNMENT, jobs=1, shard=Shard(0, 2)))
    return root, subs, first


def test_a_shard_grades_its_part_and_writes_no_gradebook(split):
    root, _, first = split
    assert first.total == 3 and not (root / "shared" / "gradebook.csv").exists()
    manifest = json.loads((root / "shared" / "shards" / "0-of-2.json").read_text())
    assert manifest["complete"] and sorted(manifest["students"]) == sorted(first.graded)


def test_merge_refuses_a_split_with_a_shard_missing(split):
    root, _, _ = split
    done = run_cli("merge", str(root / "shared"), "--assignment", ASSIGNMENT)
    assert done.returncode == 1 and "shard 1/2 has not run" in done.stderr
    assert not (root / "shared" / "gradebook.csv").exists()


def test_merged_shards_give_the_gradebook_of_one_batch(split):
    root, subs, _ = split
    run_batch(subs, root / "shared", Options(ASSIGNMENT, jobs=1, shard=Shard(1, 2)))
    done = run_cli("merge", str(root / "shared"), "--assignment", ASSIGNMENT)
    assert done.returncode == 0, done.stderr
    assert _gradebook(root / "shared" / "gradebook.csv") == _gradebook(root / "whole" / "gradebook.csv")
    assert len(_gradebook(root / "shared" / "gradebook.csv")) == 6
    assert (root / "shared" / "report.md").read_text().startswith(f"# Class report: {ASSIGNMENT}")


def test_merge_reads_shards_from_several_folders_and_flags_stale_results(tmp_path, split):
    root, subs, _ = split
    if not (root / "shared" / "shards" / "1-of-2.json").exists():      # run alone (pytest -k)
        run_batch(subs, root / "shared", Options(ASSIGNMENT, jobs=1, shard=Shard(1, 2)))
    records = store.load_folder(root / "shared" / "results")
    merged = merge_manifests([root / "shared"], ASSIGNMENT, records)
    assert not merged.problems and len(merged.records) == 5
    stale = [r for r in records if r.student_id != "alice"]            # alice's result lost
    assert any("alice has no current result" in p
               for p in merge_manifests([root / "shared"], ASSIGNMENT, stale).problems)
    manifest = root / "shared" / "shards" / "1-of-2.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "complete": False}))
    try:
        problems = merge_manifests([root / "shared"], ASSIGNMENT, records).problems
        assert any("shard 1/2 has not finished" in p for p in problems)
    finally:
        manifest.write_text(json.dumps(data))
    assert "no shard manifest" in merge_manifests([tmp_path], ASSIGNMENT, []).problems[0]
