"""Gradescope (autograder/batch/gradescope.py): the autograder.zip, and a run in Gradescope's
layout simulated under a temporary root: ``/autograder/source`` (the zip extracted),
``/autograder/run_autograder`` (copied there by Gradescope), ``submission/`` and
``results/results.json``, validated against the fields Gradescope documents."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.batch.gradescope import FORMATS, RUNTIME, VISIBILITIES, build_zip, check_results, zip_members

from grading_helpers import ASSIGNMENTS, SOLUTIONS


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory) -> Path:
    return build_zip("02_cnn_layers", tmp_path_factory.mktemp("gs"))


def test_the_zip_has_setup_and_run_autograder_at_its_root(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        names = archive.namelist()
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
        requirements = archive.read("requirements.txt").decode().split()
    assert "setup.sh" in names and "run_autograder" in names        # at the root, not in a folder
    assert modes["setup.sh"] & stat.S_IXUSR and modes["run_autograder"] & stat.S_IXUSR
    assert "cnn-autograder/solutions/02_cnn_layers/layers.py" in names
    assert "cnn-autograder/autograder/hints/layers.py" in names    # graded runs need the hints
    assert not any(n.endswith(".ipynb") or "__pycache__" in n or "/datasets/" in n for n in names)
    assert not any("01_convolution" in n and "solutions" in n for n in names)
    assert sorted(r.split("==")[0] for r in requirements) == sorted(RUNTIME)
    assert all(len(r.split("==")) == 2 and r.split("==")[1] for r in requirements)   # pinned


def test_the_scripts_are_valid_bash(autograder_zip, tmp_path):
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(tmp_path)
    for script in ("setup.sh", "run_autograder"):
        text = (tmp_path / script).read_text()
        assert text.startswith("#!/usr/bin/env bash\n")
        done = subprocess.run(["bash", "-n", str(tmp_path / script)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert "requirements.txt" in (tmp_path / "setup.sh").read_text()


def test_03_carries_the_02_layers_and_mnist():
    names = set(zip_members("03_optimization"))
    assert {"cnn-autograder/solutions/02_cnn_layers/layers.py", "cnn-autograder/solutions/03_optimization/optim.py",
            "cnn-autograder/datasets/mnist/train-images-idx3-ubyte.gz"} <= names


def _simulate(autograder_zip: Path, root: Path, files: dict[str, bytes]) -> dict:
    """Lay out Gradescope's /autograder under ``root``, run run_autograder there, read results.json."""
    source = root / "source"
    source.mkdir(parents=True)
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(source)
    shutil.copy(source / "run_autograder", root / "run_autograder")
    os.chmod(root / "run_autograder", 0o755)
    (root / "submission").mkdir()
    (root / "results").mkdir()
    for name, data in files.items():
        (root / "submission" / name).write_bytes(data)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    done = subprocess.run([str(root / "run_autograder")], cwd=root, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def _documented(data: dict) -> None:
    """Gradescope's documented results.json fields, checked here independently of check_results."""
    assert set(data) <= {"score", "execution_time", "output", "output_format", "test_output_format",
                         "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
    assert isinstance(data["score"], (int, float)) and isinstance(data["execution_time"], (int, float))
    assert isinstance(data["output"], str) and data["output_format"] in FORMATS
    for test in data["tests"]:
        assert set(test) <= {"score", "max_score", "status", "name", "name_format", "number", "output",
                             "output_format", "tags", "visibility", "extra_data"}
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
        assert isinstance(test["score"], (int, float)) and isinstance(test["max_score"], (int, float))
        assert test["status"] in ("passed", "failed") and test["visibility"] in VISIBILITIES
        assert isinstance(test["extra_data"], dict)
    assert abs(sum(t["score"] for t in data["tests"]) - data["score"]) < 1e-6


def test_a_correct_submission_scores_full_marks_in_gradescopes_layout(autograder_zip, tmp_path):
    data = _simulate(autograder_zip, tmp_path / "autograder",
                     {"layers.py": (SOLUTIONS / "02_cnn_layers" / "layers.py").read_bytes()})
    _documented(data)
    assert check_results(data) == []
    assert data["score"] == 100 and all(t["status"] == "passed" for t in data["tests"])
    assert {t["extra_data"]["function"] for t in data["tests"]} >= {"conv_forward", "softmax"}


def test_a_stub_and_an_empty_submission_score_zero_with_messages(autograder_zip, tmp_path):
    stub = _simulate(autograder_zip, tmp_path / "a" / "autograder",
                     {"layers.py": (ASSIGNMENTS / "02_cnn_layers" / "layers.py").read_bytes()})
    _documented(stub)
    assert stub["score"] == 0 and all(t["status"] == "failed" and t["output"] for t in stub["tests"])
    empty = _simulate(autograder_zip, tmp_path / "b" / "autograder", {})
    _documented(empty)
    assert empty["score"] == 0 and "layers.py is missing" in empty["tests"][0]["output"]


def test_check_results_names_what_departs_from_the_documented_format():
    assert check_results({"score": 1.0, "tests": []}) == []
    problems = check_results({"score": "1", "visibility": "public", "tests": [
        {"score": 1, "status": "ok", "function": "f", "tags": [1]}]})
    assert any("score is str" in p for p in problems) and any("visibility 'public'" in p for p in problems)
    assert any("status 'ok'" in p for p in problems) and any("unknown field 'function'" in p for p in problems)
    assert any("tags must be strings" in p for p in problems)
    assert check_results([]) == ["results.json is not a JSON object"]
