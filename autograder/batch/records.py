"""The result of one student in a batch: a typed record, its JSON file, written atomically.

One file per student, ``results/<id>.json`` (:func:`~autograder.batch.discover.file_key`),
holding the whole :class:`~autograder.core.results.Report` (so every reporter can be run
again from the files alone), who and what was graded, and the ``gradescope`` form of the same
report (docs/contract.md §9) for tools that read that format.

A file is written to a temporary name in the same folder, flushed to disk, then renamed over
the old one (``os.replace`` is atomic on POSIX), and the folder entry is flushed too: a process
killed at any moment leaves either the old file or the new one, never half of one. A leftover
temporary file is deleted by the next run (:func:`remove_leftovers`).
"""
from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from autograder.core.results import CheckResult, Report
from autograder.report.json_report import results_dict

FORMAT = "cnn-autograder.batch/1"
Status = Literal["graded", "unreadable", "error"]
# graded: the grader ran (whatever the score); unreadable: the submission could not be read at
# all (bad zip, several submissions under one id) and every check scores 0 with the reason;
# error: the grader itself failed on it (it is graded again by the next run, never skipped).


@dataclass(frozen=True)
class Record:
    """One student's graded submission."""

    student_id: str
    name: str                 # the name in the LMS's download ("" for plain folders)
    source: str               # folder, zip, moodle, canvas
    submission: str           # what was graded, relative to the batch folder
    content_sha256: str       # of what the student sent (autograder.batch.discover.content_hash)
    grader_sha256: str        # of the grader, rubric and solutions that graded it
    status: Status
    report: Report
    run_id: str = ""
    graded_at: str = ""       # ISO 8601, UTC
    late: bool = False        # Canvas marked it LATE
    error: str = ""           # for status "error": what went wrong in the grader

    @property
    def score(self) -> float:
        return self.report.score

    @property
    def max_score(self) -> float:
        return self.report.max_score


def to_dict(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {"format": FORMAT}
    out.update({f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name != "report"})
    out["score"], out["max_score"] = record.score, record.max_score
    out["report"] = dataclasses.asdict(record.report)
    out["gradescope"] = results_dict(record.report, extended=False)
    return out


def from_dict(data: dict) -> Record:
    """The record of a result file's JSON; ValueError when it is not one."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not a batch result (format {data.get('format') if isinstance(data, dict) else None!r})")
    try:
        raw = data["report"]
        results = tuple(CheckResult(**{**r, "hints": tuple(r.get("hints", ()))}) for r in raw["results"])
        report = Report(**{**raw, "results": results, "notes": tuple(raw.get("notes", ()))})
        fields = {f.name for f in dataclasses.fields(Record)} - {"report"}
        return Record(report=report, **{k: data[k] for k in fields if k in data})
    except (KeyError, TypeError) as exc:
        raise ValueError(f"malformed batch result: {exc}") from None


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves the old content or the new, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def save(record: Record, folder: Path, key: str) -> Path:
    path = folder / f"{key}.json"
    write_atomic(path, json.dumps(to_dict(record), indent=1, ensure_ascii=False) + "\n")
    return path


def load(path: Path) -> Record | None:
    """The record in ``path``, or None when it is missing or not a whole, valid result."""
    try:
        return from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def load_folder(folder: Path) -> list[Record]:
    """Every valid record in ``folder`` (``results/`` of a batch), sorted by student id."""
    if not folder.is_dir():
        return []
    records = [load(p) for p in sorted(folder.glob("*.json"))]
    return sorted((r for r in records if r is not None), key=lambda r: r.student_id)


def remove_leftovers(folder: Path) -> int:
    """Delete the temporary files a killed run left in ``folder``; how many there were."""
    count = 0
    for path in folder.glob(".*.tmp") if folder.is_dir() else []:
        try:
            path.unlink()
            count += 1
        except OSError:
            pass
    return count
