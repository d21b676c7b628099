"""Shared helpers of the grading tests: grade a folder of files, look results up by name."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from autograder.core.results import Report
from autograder.grading.runner import grade
from autograder.paths import REPO_ROOT

SOLUTIONS = REPO_ROOT / "solutions"
ASSIGNMENTS = REPO_ROOT / "assignments"


def grade_files(tmp_path: Path, assignment: str, files: dict[str, str], **kwargs) -> Report:
    """Write ``files`` (name -> source) into a fresh folder and grade it."""
    folder = tmp_path / "submission"
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in files.items():
        (folder / name).write_text(source, encoding="utf-8")
    return grade(folder, assignment, **kwargs)


def by_name(report: Report) -> dict:
    return {r.name: r for r in report.results}


def function_score(report: Report, function: str) -> tuple[float, float]:
    """(score, max) of a function, or of a group of checks of none ("quiz", "train")."""
    rows = report.by_function().get(function, [])
    return sum(r.score for r in rows), sum(r.max_score for r in rows)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", *args], capture_output=True,
                          text=True, cwd=cwd or REPO_ROOT, timeout=600)


def cli_json(*args: str) -> dict:
    done = run_cli(*args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
