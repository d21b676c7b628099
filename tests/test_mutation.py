"""Mutation is decided by the grader, not reported by the child: array arguments travel in a
file both processes map, and the grader reads back what the call wrote. A submission that
patches the worker's own snapshot cannot hide an in-place write, and the functions that had no
mutation check (dropout) have one."""
from __future__ import annotations

import numpy as np
import pytest

from autograder.sandbox import Sandbox, SandboxLimits

from grading_helpers import SOLUTIONS, by_name, grade_files

PROBE = '''
import sys
import numpy as np


def scale(x, y=None):
    x *= 2                          # in place
    return x.sum()


def scale_kw(x, y=None):
    y[0] = 7
    return 0.0


def honest(x, y=None):
    return float(x.sum())


def blind_the_worker():
    worker = sys.modules["__main__"]
    worker._TOBYTES = lambda array, order="C": b""   # every snapshot looks the same
    return True
'''


@pytest.fixture()
def box():
    with Sandbox({"probe.py": PROBE.encode()}, SandboxLimits(call_timeout=10, import_timeout=20)) as sandbox:
        yield sandbox


def test_in_place_writes_are_seen_by_the_grader_even_when_the_worker_is_blinded(box):
    x, y = np.arange(6.0).reshape(2, 3), np.zeros(3)
    assert box.call("probe", "blind_the_worker").value is True
    assert box.call("probe", "scale", x, watch=True).mutated == (0,)
    assert box.call("probe", "scale_kw", x, y=y, watch=True).mutated == ("y",)
    assert box.call("probe", "honest", x, y=y, watch=True).mutated == ()
    assert np.array_equal(x, np.arange(6.0).reshape(2, 3)), "the grader's own array never changes"


def test_watched_arguments_arrive_as_plain_writable_arrays(box):
    x = np.arange(12, dtype=np.float32).reshape(3, 4)[:, ::2]        # not contiguous
    result = box.call("probe", "honest", x, watch=True)
    assert result.ok and result.value == pytest.approx(float(x.sum())) and result.mutated == ()


DROPOUT_IN_PLACE = ("    return x * mask, mask\n", "    x *= mask\n    return x, mask\n")


def test_dropout_that_multiplies_x_in_place_loses_exactly_its_no_mutation_check(tmp_path):
    files = {name: (SOLUTIONS / "03_optimization" / name).read_text(encoding="utf-8")
             for name in ("optim.py", "regularization.py")}
    old, new = DROPOUT_IN_PLACE
    assert files["regularization.py"].count(old) == 1
    files["regularization.py"] = files["regularization.py"].replace(old, new)
    report = grade_files(tmp_path, "03_optimization", files, only="dropout")
    failed = {r.name: r.message for r in report.results if r.status != "passed"}
    assert list(failed) == ["dropout_forward.no_mutation"], failed
    assert "modified its argument x" in failed["dropout_forward.no_mutation"]
    assert by_name(report)["dropout_backward.no_mutation"].status == "passed"
