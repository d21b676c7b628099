"""Splitting a batch over the tasks of a scheduler, and putting the pieces back together.

``--shard i/n`` (``0 <= i < n``) grades every n-th student in student-id order, starting with
the i-th: the tasks of a Slurm job array or the pods of a Kubernetes Indexed Job each take one
index, see the same folder, and so split it without talking to each other. Each task writes
its results into the shared output folder (one file per student: no two tasks write one file)
and a manifest, ``shards/<i>-of-<n>.json``: the students it owns with the digests of their
submissions, and ``complete`` once all of them are recorded. :func:`merge_manifests` checks
that every shard of a split finished and that each of its students has a current result
before any gradebook is written from them.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from autograder.batch.records import Record, write_atomic


@dataclass(frozen=True)
class Shard:
    index: int = 0
    count: int = 1

    @property
    def label(self) -> str:
        return f"{self.index}-of-{self.count}"

    def owns(self, position: int) -> bool:
        return position % self.count == self.index


def parse_shard(text: str) -> Shard:
    """``"3/10"`` -> Shard(3, 10); ValueError with what to write otherwise."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not match or int(match[2]) < 1 or int(match[1]) >= int(match[2]):
        raise ValueError(f"--shard {text!r} is not i/n with 0 <= i < n: write e.g. --shard 0/4 for the "
                         f"first of four shards (Slurm: $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT with "
                         f"--array=0-3; Kubernetes: $JOB_COMPLETION_INDEX/<completions>).")
    return Shard(int(match[1]), int(match[2]))


def select(items: list, shard: Shard) -> list:
    """The items (sorted by student id by the caller) this shard owns: round robin, so shards
    differ in size by one at most."""
    return [item for position, item in enumerate(items) if shard.owns(position)]


def manifest_path(output: Path, shard: Shard) -> Path:
    return output / "shards" / f"{shard.label}.json"


def write_manifest(output: Path, shard: Shard, assignment: str, owned: dict[str, str],
                   complete: bool, run_id: str) -> None:
    """``owned``: student id -> digest of the submission this shard grades for them."""
    data = {"assignment": assignment, "shard": shard.index, "shards": shard.count, "run_id": run_id,
            "complete": complete, "students": owned}
    write_atomic(manifest_path(output, shard), json.dumps(data, indent=1, ensure_ascii=False) + "\n")


@dataclass(frozen=True)
class Merged:
    """The records of a whole split, or why they are not whole yet."""

    records: tuple[Record, ...]
    problems: tuple[str, ...]


def merge_manifests(outputs: list[Path], assignment: str, records: list[Record]) -> Merged:
    """The records the manifests under ``outputs`` expect (one per student, the current digest),
    and every problem: a missing or unfinished shard, a split of another size, a student with no
    current result, a student in two shards with different submissions."""
    problems: list[str] = []
    manifests = []
    for output in outputs:
        for path in sorted((output / "shards").glob("*-of-*.json")):
            try:
                manifests.append((path, json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError) as exc:
                problems.append(f"{path} cannot be read ({exc}): run that shard again.")
    if not manifests:
        return Merged((), (f"no shard manifest under {', '.join(map(str, outputs))}: run `cnn-autograder "
                           f"batch ... --output DIR` (with --shard i/n for a split) first.",))
    counts = {m.get("shards") for _, m in manifests}
    for path, manifest in manifests:
        if manifest.get("assignment") != assignment:
            problems.append(f"{path} is a shard of {manifest.get('assignment')!r}, not {assignment}.")
    if len(counts) > 1:
        problems.append(f"the manifests come from splits of different sizes ({sorted(map(str, counts))}): "
                        f"delete the old shards/ files, or merge one split at a time.")
    count = max((c for c in counts if isinstance(c, int)), default=1)
    present = {m.get("shard"): (path, m) for path, m in manifests if m.get("shards") == count}
    for index in range(count):
        if index not in present:
            problems.append(f"shard {index}/{count} has not run (no shards/{index}-of-{count}.json): run it.")
        elif not present[index][1].get("complete"):
            problems.append(f"shard {index}/{count} has not finished (killed, or still running): run it "
                            f"again; it resumes where it stopped.")
    expected: dict[str, str] = {}
    for _index, (_path, manifest) in sorted(present.items()):
        for student, digest in manifest.get("students", {}).items():
            if student in expected and expected[student] != digest:
                problems.append(f"student {student} is in two shards with different submissions: the "
                                f"folder changed between shards; run the whole split again.")
            expected[student] = digest
    chosen = []
    for student, digest in sorted(expected.items()):
        record = next((r for r in records if r.student_id == student and r.content_sha256 == digest
                       and r.status != "error"), None)
        if record is None:
            problems.append(f"student {student} has no current result: run their shard again.")
        else:
            chosen.append(record)
    return Merged(tuple(chosen), tuple(problems))
