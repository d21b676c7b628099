"""The grader of assignment 02 against known-bad code (tests/corpus/layers/).

Each corpus file is one bug: the reference layers.py with the file's functions swapped in
(``corpus_tools.patch_module``). Graded, the named function must lose points with the expected
message and hint, and every other function must keep its points, except the dependents the
file documents (``also:``), which must lose some. A bug in a forward pass usually comes with a
correct backward pass in the same file, because the cache format is the submission's own.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from autograder.checks import families as fam
from autograder.checks.base import Ctx
from autograder.core import messages
from autograder.core.rubric import load_rubric
from autograder.hints.layers import BUGS
from autograder.references import reference
from autograder.registry import get_assignment

from corpus_tools import load_corpus, parse_metadata, patch_module
from grading_helpers import SOLUTIONS, grade_files

ASSIGNMENT = "02_cnn_layers"
CORPUS = Path(__file__).parent / "corpus" / "layers"
ENTRIES = load_corpus(CORPUS)
REFERENCE = SOLUTIONS / ASSIGNMENT / "layers.py"


@lru_cache(maxsize=1)
def reference_source() -> str:
    return REFERENCE.read_text(encoding="utf-8")


def graded_functions() -> set[str]:
    return {c.function for c in get_assignment(ASSIGNMENT).checks() if c.function}


def test_corpus_is_large_and_well_formed():
    assert len(ENTRIES) >= 25
    functions = graded_functions()
    known = {v.key for variants in BUGS.values() for v in variants}
    for entry in ENTRIES:
        where = entry.path.name
        assert entry.function in functions, f"{where}: unknown function {entry.function!r}"
        assert set(entry.also) <= functions, f"{where}: unknown also {entry.also}"
        assert entry.hint is None or entry.hint in known, f"{where}: unknown hint {entry.hint!r}"
        assert set(entry.hints_also) <= known, f"{where}: unknown hints_also {entry.hints_also}"
        assert entry.message, f"{where}: empty message"


def test_every_hint_has_a_text_and_a_corpus_entry():
    keys = {v.key for variants in BUGS.values() for v in variants}
    without_text = sorted(k for k in keys if f"hint.{k}" not in messages.CATALOG["en"])
    assert without_text == []
    exercised = {e.hint for e in ENTRIES}
    assert sorted(keys - exercised) == []


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.path.stem for e in ENTRIES])
def test_bug_is_caught_with_its_message_and_hint(entry, tmp_path):
    source = patch_module(reference_source(), entry.source)
    report = grade_files(tmp_path, ASSIGNMENT, {"layers.py": source})
    groups = report.by_function()
    failed = {f: [f"{r.name}: {r.message}" for r in rows if r.status != "passed"]
              for f, rows in groups.items()}

    assert failed[entry.function], f"{entry.function} kept full points"
    collateral = {f: msgs for f, msgs in failed.items()
                  if msgs and f != entry.function and f not in entry.also}
    assert collateral == {}, "functions without the bug lost points"
    unaffected = [f for f in entry.also if not failed.get(f)]
    assert unaffected == [], "documented dependents (also:) kept full points"

    messages_of = "\n".join(failed[entry.function])
    assert entry.message in messages_of, f"{entry.message!r} not in:\n{messages_of}"
    hints = {h for r in groups[entry.function] for h in r.hints}
    if entry.hint is not None:
        assert entry.hint in hints, f"hint {entry.hint!r} not given; got {sorted(hints)}:\n{messages_of}"
    unexpected = hints - {entry.hint, *entry.hints_also}
    assert unexpected == set(), f"misleading hints {sorted(unexpected)}:\n{messages_of}"


# ---------------------------------------------------------------------------
# No hint fires on right answers: the reference's outputs on every case of every check
# ---------------------------------------------------------------------------

def _reference_outputs(ctx: Ctx, kw: dict, case) -> tuple[str, dict]:
    """(function, outputs) of the reference on ``case``, as the check would expect them."""
    if "spec" in kw:
        return kw["spec"].name, fam.reference_outputs(ctx, kw["spec"], case)
    forward, back = kw["forward"], kw["back"]
    args, kwargs = forward.split(case)
    cache = getattr(ctx.ref, forward.name)(*(fam._promote(a) for a in args), **kwargs)[1]
    value = getattr(ctx.ref, back.name)(fam._promote(case.params["dout"]), cache)
    return back.name, fam.expected_of(value, back.outputs)


def test_no_hint_matches_the_reference():
    ref = reference(ASSIGNMENT, "layers")
    rubric = load_rubric(ASSIGNMENT)
    matched = []
    for check in get_assignment(ASSIGNMENT).checks():
        if check.run.func not in (fam.values, fam.backward):
            continue
        ctx = Ctx(None, "layers", check, ref, rubric.tolerances, rubric.call_timeout, hints=BUGS)
        kw = check.run.keywords
        for case in kw["cases"](ctx.rng):
            function, outputs = _reference_outputs(ctx, kw, case)
            hints = ctx.match_hints(function, case, outputs)
            if hints:
                matched.append(f"{check.name} ({case.label}): {hints}")
    assert matched == []


# ---------------------------------------------------------------------------
# corpus_tools.patch_module
# ---------------------------------------------------------------------------

MODULE = '''"""A module."""
import numpy as np


def helper(x):
    return x


@staticmethod
def decorated(x):
    return 1


def last(x):
    return helper(x) + 1
'''


def test_patch_replaces_in_place_and_appends_new_definitions():
    patch = '''"""function: decorated
hint: none
message: x
"""
import numpy as np
import math


def decorated(x):
    return 2


def _new_helper():
    return math.pi
'''
    result = patch_module(MODULE, patch)
    namespace: dict = {}
    exec(compile(result, "<patched>", "exec"), namespace)
    assert namespace["decorated"](0) == 2                      # decorator went with the old body
    assert namespace["last"](1) == 2 and namespace["_new_helper"]() == np.pi
    assert result.count("import numpy as np") == 1             # known import skipped
    assert "function: decorated" not in result                 # the metadata docstring dropped
    assert result.index("def decorated") < result.index("def last") < result.index("def _new_helper")


def test_patch_rejects_source_that_does_not_parse():
    with pytest.raises(ValueError, match="cannot patch"):
        patch_module(MODULE, "def helper(:\n")


def test_metadata_needs_the_three_keys():
    with pytest.raises(ValueError, match="missing metadata"):
        parse_metadata('"""function: relu_forward\nhint: none\n"""\n')
    meta = parse_metadata('"""function: f\nhint: none\nmessage: a: b\n\nprose: not metadata\n"""\n')
    assert meta == {"function": "f", "hint": "none", "message": "a: b"}
