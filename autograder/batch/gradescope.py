"""Gradescope: build ``autograder.zip`` for one assignment, and grade inside Gradescope.

Gradescope's autograder specification (gradescope-autograders.readthedocs.io, "Autograder
Specifications"): the zip holds ``setup.sh`` and ``run_autograder`` at its root; it is
extracted into ``/autograder/source``; ``setup.sh`` runs once when the image is built;
``run_autograder`` is copied to ``/autograder/run_autograder`` and runs for each submission,
in ``/autograder``, with the student's files in ``/autograder/submission``; it must write
``/autograder/results/results.json``.

The zip built here holds, under ``cnn-autograder/``: the grader package (hint library
included: graded runs need it), the reference solutions the assignment needs (03 also needs
02's layers), MNIST where the assignment trains or evaluates (03, 04), ``pyproject.toml``; and
``requirements.txt`` pinning every dependency to the version installed where the zip was
built. ``setup.sh`` makes a virtual environment with them (Python >= 3.11: choose Gradescope's
Ubuntu 24.04 base image, or it installs python3.11 with apt); ``run_autograder`` runs
``python -m autograder gradescope run``, which grades the submission and always writes a
``results.json`` holding only the fields Gradescope documents (our ``function`` of each test
goes into the test's ``extra_data``): an unreadable submission scores 0 with the reason, a
grader failure scores 0 with a visible message (it fails closed).
"""
from __future__ import annotations

import importlib.metadata
import io
import json
import os
import re
import stat
import sys
import time
import traceback
import zipfile
from pathlib import Path

from autograder.batch.records import write_atomic
from autograder.core.results import Report
from autograder.paths import REPO_ROOT, data_dir, solutions_dir
from autograder.registry import ASSIGNMENTS
from autograder.report.json_report import results_dict

# The distributions to pin: the package's own dependencies, and TensorFlow for 04.
RUNTIME = ("numpy", "matplotlib", "tqdm", "threadpoolctl", "pytest")
KERAS = ("tensorflow-cpu",)

# Gradescope's documented results.json fields (Autograder Specifications, "Output format")
FORMATS = ("text", "html", "simple_format", "md", "ansi")
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
# field -> the type (or types) isinstance accepts for it
_Types = type | tuple[type, ...]
TOP_FIELDS: dict[str, _Types] = {
    "score": (int, float), "execution_time": (int, float), "output": str, "output_format": str,
    "test_output_format": str, "test_name_format": str, "visibility": str,
    "stdout_visibility": str, "extra_data": dict, "tests": list, "leaderboard": list}
TEST_FIELDS: dict[str, _Types] = {
    "score": (int, float), "max_score": (int, float), "status": str, "name": str,
    "name_format": str, "number": str, "output": str, "output_format": str, "tags": list,
    "visibility": str, "extra_data": dict}

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
set -euo pipefail
SOURCE="${{AUTOGRADER_ROOT:-/autograder}}/source"
PYTHON=python3
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  # cnn-autograder needs Python >= 3.11 (Ubuntu 24.04 has 3.12; 22.04 has python3.11 in apt)
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11 python3.11-venv
  PYTHON=python3.11
elif ! python3 -m venv --help >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
fi
"$PYTHON" -m venv "${{AUTOGRADER_ROOT:-/autograder}}/venv"
"${{AUTOGRADER_ROOT:-/autograder}}/venv/bin/pip" install --no-cache-dir --disable-pip-version-check -q \\
  -r "$SOURCE/requirements.txt"
# the grader itself runs from source (PYTHONPATH in run_autograder): its hint library is not
# part of the wheel students install
"${{AUTOGRADER_ROOT:-/autograder}}/venv/bin/python" -c "import numpy, matplotlib, tqdm, threadpoolctl"
echo "cnn-autograder for {assignment} is set up."
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission, in /autograder: the student's files are in
# submission/, the grade goes to results/results.json (written by the command below, always).
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}}"
export PYTHONPATH="$ROOT/source/cnn-autograder"
export CNN_AUTOGRADER_SOLUTIONS="$ROOT/source/cnn-autograder/solutions"
export CNN_AUTOGRADER_DATA="$ROOT/source/cnn-autograder/datasets"
cd "$ROOT" || exit 1
exec "$PYTHON" -m autograder gradescope run --assignment {assignment} --root "$ROOT"
"""


class GradescopeError(RuntimeError):
    """The autograder zip cannot be built here (a dependency is not installed...)."""


def pins(assignment: str) -> list[str]:
    """``name==version`` for every dependency, from this environment."""
    lines = []
    spec = ASSIGNMENTS[assignment]
    for name in RUNTIME + (KERAS if "keras" in spec.requires else ()):
        try:
            lines.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            raise GradescopeError(f"{name} is not installed for {sys.executable}, so its version cannot be "
                                  f"pinned: install it (pip install -e \".[tf]\" for TensorFlow), then build "
                                  f"again.") from None
    return lines


def zip_members(assignment: str, solutions: str | None = None) -> dict[str, bytes]:
    """Name inside the zip -> bytes: what :func:`build_zip` writes."""
    if assignment not in ASSIGNMENTS:
        raise GradescopeError(f"unknown assignment {assignment!r}: choose one of {', '.join(ASSIGNMENTS)}.")
    spec = ASSIGNMENTS[assignment]
    members = {"setup.sh": SETUP_SH.format(assignment=assignment).encode(),
               "run_autograder": RUN_AUTOGRADER.format(assignment=assignment).encode(),
               "requirements.txt": ("\n".join(pins(assignment)) + "\n").encode()}
    base = "cnn-autograder/"
    members[base + "pyproject.toml"] = (REPO_ROOT / "pyproject.toml").read_bytes()
    package = REPO_ROOT / "autograder"
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".toml"):
            members[base + str(path.relative_to(REPO_ROOT))] = path.read_bytes()
    for needed in (assignment, *spec.uses):
        folder = solutions_dir(solutions) / needed
        if not folder.is_dir():
            raise GradescopeError(f"the reference solutions of {needed} are not in {folder}: give --solutions.")
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix != ".ipynb":
                members[f"{base}solutions/{needed}/{path.name}"] = path.read_bytes()
    if "mnist" in spec.datasets:
        mnist = data_dir() / "mnist"
        for path in sorted(mnist.iterdir()):
            if path.is_file():
                members[f"{base}datasets/mnist/{path.name}"] = path.read_bytes()
    return members


def build_zip(assignment: str, output: Path, solutions: str | None = None) -> Path:
    """Write ``output/<assignment>/autograder.zip``; its path."""
    members = zip_members(assignment, solutions)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            executable = name in ("setup.sh", "run_autograder")
            info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    target = output / assignment / "autograder.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(".autograder.zip.tmp")
    temporary.write_bytes(buffer.getvalue())
    os.replace(temporary, target)
    return target


def gradescope_results(report: Report) -> dict:
    """``results.json`` with only Gradescope's documented fields: our ``function`` and the
    module of each test go into its ``extra_data``, the maximum score into the top one's."""
    data = results_dict(report, extended=False)
    data["extra_data"] = {"assignment": report.assignment, "max_score": data.pop("max_score")}
    for test, result in zip(data["tests"], report.results):
        function = test.pop("function", None)
        test["extra_data"] = {"function": function, "module": result.module, "hints": list(result.hints)}
    data["output_format"] = "text"
    data["test_output_format"] = "text"
    return data


def check_results(data: object) -> list[str]:
    """What in ``data`` departs from Gradescope's documented ``results.json`` format."""
    if not isinstance(data, dict):
        return ["results.json is not a JSON object"]
    problems = [f"unknown top-level field {k!r}" for k in data if k not in TOP_FIELDS]
    problems += [f"{k} is {type(v).__name__}, expected {_kind(TOP_FIELDS[k])}" for k, v in data.items()
                 if k in TOP_FIELDS and (not isinstance(v, TOP_FIELDS[k]) or isinstance(v, bool))]
    if "score" not in data and not all(isinstance(t, dict) and "score" in t for t in data.get("tests", [])):
        problems.append("no top-level score and a test without a score")
    if "score" not in data and not data.get("tests"):
        problems.append("neither a score nor tests")
    for key in ("output_format", "test_output_format", "test_name_format"):
        if key in data and data[key] not in FORMATS:
            problems.append(f"{key} {data[key]!r} is not one of {FORMATS}")
    for key in ("visibility", "stdout_visibility"):
        if key in data and data[key] not in VISIBILITIES:
            problems.append(f"{key} {data[key]!r} is not one of {VISIBILITIES}")
    for i, test in enumerate(data.get("tests", []) if isinstance(data.get("tests"), list) else []):
        if not isinstance(test, dict):
            problems.append(f"tests[{i}] is not an object")
            continue
        problems += [f"tests[{i}]: unknown field {k!r}" for k in test if k not in TEST_FIELDS]
        problems += [f"tests[{i}].{k} is {type(v).__name__}, expected {_kind(TEST_FIELDS[k])}"
                     for k, v in test.items() if k in TEST_FIELDS
                     and (not isinstance(v, TEST_FIELDS[k]) or isinstance(v, bool))]
        if test.get("status", "passed") not in ("passed", "failed"):
            problems.append(f"tests[{i}].status {test['status']!r} is not passed or failed")
        if test.get("visibility", "visible") not in VISIBILITIES:
            problems.append(f"tests[{i}].visibility {test['visibility']!r} is not one of {VISIBILITIES}")
        for key in ("output_format", "name_format"):
            if key in test and test[key] not in FORMATS:
                problems.append(f"tests[{i}].{key} {test[key]!r} is not one of {FORMATS}")
        if not all(isinstance(t, str) for t in test.get("tags", [])):
            problems.append(f"tests[{i}].tags must be strings")
    return problems


def _kind(kind) -> str:
    return " or ".join(k.__name__ for k in kind) if isinstance(kind, tuple) else kind.__name__


def run_in_gradescope(assignment: str, root: Path, lang: str = "en") -> dict:
    """Grade ``root/submission`` and write ``root/results/results.json``; the data written.
    Never raises for a submission: what cannot be graded scores 0 with a visible reason."""
    from autograder.batch.run import unreadable_report
    from autograder.grading.runner import grade
    from autograder.grading.submission import SubmissionError

    start = time.monotonic()
    submission = root / "submission"
    try:
        report = grade(submission, assignment, lang=lang)
    except SubmissionError as exc:
        report = unreadable_report(assignment, str(submission), str(exc), lang)
    except Exception as exc:  # noqa: BLE001 - fail closed, visibly: 0 and the reason
        traceback.print_exc()
        report = unreadable_report(assignment, str(submission), f"The grader failed ({type(exc).__name__}); "
                                   f"tell your instructor, who sees the details in the autograder's output.", lang)
    data = gradescope_results(report)
    data["execution_time"] = round(time.monotonic() - start, 3)
    problems = check_results(data)
    if problems:        # a bug of ours: say so rather than upload a file Gradescope may reject
        data = {"score": 0.0, "output": "The grader produced an invalid result (" + "; ".join(problems[:3])
                + "): tell your instructor.", "execution_time": data["execution_time"], "tests": []}
    write_atomic(root / "results" / "results.json", json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    summary = re.sub(r"\s+", " ", data.get("output", ""))[:200]
    print(f"cnn-autograder: {assignment}: {data.get('score')} / {sum(t.get('max_score', 0) for t in data['tests']):g}; "
          f"{summary}")
    return data
