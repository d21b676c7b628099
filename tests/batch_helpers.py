"""Building folders of submissions for the batch tests (assignment 01: about a second each)."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from grading_helpers import ASSIGNMENTS, SOLUTIONS

ASSIGNMENT = "01_convolution"
FILES = ("convolution.py", "quiz_answers.py")


def solution(name: str) -> bytes:
    return (SOLUTIONS / ASSIGNMENT / name).read_bytes()


def stub(name: str) -> bytes:
    return (ASSIGNMENTS / ASSIGNMENT / name).read_bytes()


def folder(root: Path, name: str, files: dict[str, bytes]) -> Path:
    path = root / name
    path.mkdir(parents=True)
    for file, data in files.items():
        (path / file).write_bytes(data)
    return path


def zipped(root: Path, name: str, files: dict[str, bytes], top: str = "") -> Path:
    path = root / f"{name}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for file, data in files.items():
            archive.writestr(f"{top}{file}", data)
    return path


def correct() -> dict[str, bytes]:
    return {f: solution(f) for f in FILES}


def stubs() -> dict[str, bytes]:
    return {f: stub(f) for f in FILES}


def copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target)
