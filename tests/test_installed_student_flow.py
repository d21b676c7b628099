"""The student's path from the wheel: the package built from this tree, installed in a fresh
virtual environment (no repository, no solutions, no hint library), an assignment folder copied
out of assignments/. Stubs score 0; one classic bug (a conv layer without its bias) is named
with its likely cause in English, Portuguese and Spanish; fixed, it earns every public point,
and pytest in the folder passes.

Building and installing takes ~30 s; the dependencies come from the package index (pip's
cache keeps later runs short)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.core.messages import render
from autograder.paths import REPO_ROOT

from corpus_tools import load_entry, patch_module
from grading_helpers import ASSIGNMENTS, SOLUTIONS

ASSIGNMENT = "02_cnn_layers"
BUG = REPO_ROOT / "tests" / "corpus" / "layers" / "conv_forward_no_bias.py"


def _run(args: list, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run a command as a student's shell would: no PYTHONPATH (nothing of the repository on
    the path), no user site, none of the grader's variables; English unless asked."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV") and not k.startswith("CNN_AUTOGRADER_")}
    env["PYTHONNOUSERSITE"] = "1"
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def _ok(done: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert done.returncode == 0, f"{done.args}: rc {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """The bin/ folder of a fresh virtual environment with the wheel installed."""
    root = tmp_path_factory.mktemp("installed")
    source = root / "source"          # a copy, so that building writes nothing into the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, source / name)
    shutil.copytree(REPO_ROOT / "autograder", source / "autograder",   # links followed (MNIST)
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _ok(_run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", root / "dist", source], root))
    (wheel,) = (root / "dist").glob("cnn_autograder-*.whl")
    _ok(_run([sys.executable, "-m", "venv", root / "venv"], root))
    _ok(_run([root / "venv" / "bin" / "python", "-m", "pip", "install", "-q", wheel], root))
    return root / "venv" / "bin"


def _squeeze(text: str) -> str:
    """Text without whitespace: the report wraps lines (also at hyphens) and indents them."""
    return re.sub(r"\s+", "", text)


def _check(venv: Path, folder: Path, *options: str) -> subprocess.CompletedProcess:
    return _run([venv / "cnn-autograder", "check", *options], folder)


def _points(venv: Path, folder: Path) -> tuple[float, float, dict]:
    report = json.loads(_check(venv, folder, "--format", "json").stdout)
    by_function: dict[str, list[float]] = {}
    for test in report["tests"]:
        got = by_function.setdefault(test["function"] or test["name"].split(".")[0], [0.0, 0.0])
        got[0] += test["score"]
        got[1] += test["max_score"]
    return report["score"], report["max_score"], by_function


def test_the_installed_package_is_not_the_repository(venv, tmp_path):
    done = _ok(_run([venv / "python", "-c", "import autograder, autograder.paths as p; "
                     "print(autograder.__file__); print(p.solutions_dir().is_dir())"], tmp_path))
    location, solutions = done.stdout.split()
    assert Path(location).is_relative_to(venv.parent) and solutions == "False", done.stdout
    hidden = _run([venv / "python", "-c", "import autograder.hints"], tmp_path)
    assert hidden.returncode != 0 and "ModuleNotFoundError" in hidden.stderr


PAGE = 60      # lines: what a student reads for one failing function (issue 19: "under a page")


def test_stub_then_one_bug_named_in_three_languages_then_full_points(venv, tmp_path):
    folder = tmp_path / ASSIGNMENT
    shutil.copytree(ASSIGNMENTS / ASSIGNMENT, folder)
    student = folder / "layers.py"

    score, max_score, functions = _points(venv, folder)          # the stubs
    assert score == 0 and max_score > 0 and all(s == 0 for s, _ in functions.values()), functions

    reference = (SOLUTIONS / ASSIGNMENT / "layers.py").read_text(encoding="utf-8")
    entry = load_entry(BUG)
    student.write_text(patch_module(reference, entry.source), encoding="utf-8")
    score, max_score, functions = _points(venv, folder)
    assert functions[entry.function][0] < functions[entry.function][1], functions
    assert all(s == m for f, (s, m) in functions.items() if f != entry.function), functions
    for lang in ("en", "pt", "es"):
        options = () if lang == "en" else ("--lang", lang)          # English is the default
        out = _check(venv, folder, *options).stdout
        hint = render(f"hint.{entry.hint}", lang)
        assert _squeeze(hint) in _squeeze(out), f"{lang}: the hint {entry.hint} is not in\n{out[:3000]}"
        assert len(out.splitlines()) <= PAGE, f"{lang}: {len(out.splitlines())} lines for one failing function"
    assert render(f"hint.{entry.hint}", "pt") != render(f"hint.{entry.hint}", "en")
    failing = _run([venv / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider"], folder)
    assert failing.returncode == 1
    assert len(failing.stdout.splitlines()) <= PAGE, failing.stdout

    student.write_text(reference, encoding="utf-8")                  # fixed
    score, max_score, functions = _points(venv, folder)
    assert score == max_score > 0, functions
    _ok(_run([venv / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider"], folder))
