"""The wheel students install: what it carries (MNIST, the rubrics, the sandbox's files) and
what it must not (the hint library, the solutions), and MNIST found inside it when there is
no repository around it."""
from __future__ import annotations

import gzip
import hashlib
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path

import pytest

from autograder import paths
from autograder.datasets import load_mnist, read_checksums
from autograder.paths import REPO_ROOT
from autograder.registry import ASSIGNMENTS


@cache
def wheel(folder: str) -> zipfile.ZipFile:
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", folder, str(REPO_ROOT)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    (built,) = Path(folder).glob("cnn_autograder-*.whl")
    return zipfile.ZipFile(built)


@pytest.fixture(scope="module")
def names(tmp_path_factory):
    archive = wheel(str(tmp_path_factory.mktemp("wheel")))
    return archive, set(archive.namelist())


def test_the_wheel_carries_mnist_with_its_checksums(names):
    archive, files = names
    sums = read_checksums(archive.read("autograder/_data/mnist/SHA256SUMS").decode())
    assert len(sums) == 4
    for name, digest in sums.items():
        member = f"autograder/_data/mnist/{name}.gz"
        assert member in files, f"{member} is not in the wheel"
        assert hashlib.sha256(gzip.decompress(archive.read(member))).hexdigest() == digest


def test_the_wheel_has_what_grading_needs_and_no_hints_or_solutions(names):
    _, files = names
    for needed in ["autograder/sandbox/worker.py", "autograder/sandbox/wire.py", "autograder/sandbox/probes.py",
                   *(f"autograder/rubrics/{a}.toml" for a in ASSIGNMENTS)]:
        assert needed in files, f"{needed} is not in the wheel"
    assert not [f for f in files if f.startswith(("autograder/hints", "solutions", "tests", "datasets/"))]


def test_mnist_is_found_in_the_package_when_there_is_no_repository(tmp_path, monkeypatch):
    monkeypatch.delenv("CNN_AUTOGRADER_DATA", raising=False)
    monkeypatch.setattr(paths, "REPO_ROOT", tmp_path)            # a wheel install: no datasets/ beside it
    assert paths.data_dir() == paths.PACKAGED_DATA
    data = load_mnist()
    assert data.train.images.shape == (60000, 28, 28) and data.test.labels.shape == (10000,)
