"""Full marks for every correct layers.py, whatever its style (tests/corpus/layers_correct/).

Each file is a complete module written unlike the reference: naive loops, im2col with index
arrays, einsum over strided views, float32 throughout, object caches, textbook formulas. A
failed check here means a check or a tolerance rejects a right answer.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from grading_helpers import grade_files

CORRECT = Path(__file__).parent / "corpus" / "layers_correct"
MODULES = sorted(CORRECT.glob("*.py"))


def test_there_are_enough_styles():
    assert len(MODULES) >= 6


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_correct_implementation_earns_full_marks(path, tmp_path):
    report = grade_files(tmp_path, "02_cnn_layers", {"layers.py": path.read_text(encoding="utf-8")})
    failed = [f"{r.name}: {r.message}" for r in report.results if r.status != "passed"]
    assert failed == [], f"{path.name} scored {report.score}:\n" + "\n".join(failed)
    assert report.score == report.max_score == 100
