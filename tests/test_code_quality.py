"""ruff and mypy, configured in pyproject.toml, pass on the repository (issue 18).

Run from the repository root with this interpreter (``-m ruff``, ``-m mypy``: the ``test``
extra installs both), so CI, ``.ci/run`` and a laptop check the same files with the same
settings. Each failure prints the tool's own report."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("command", [("ruff", "check", "--no-cache", "."), ("mypy",)], ids=["ruff", "mypy"])
def test_code_quality_tool_passes(command: tuple[str, ...]) -> None:
    done = _run(*command)
    assert done.returncode == 0, (f"`{' '.join(command)}` exited {done.returncode}:\n"
                                  f"{done.stdout}\n{done.stderr}")
