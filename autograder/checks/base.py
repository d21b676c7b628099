"""The building blocks of the check library: cases, the per-check context, and the families
of checks (values against the reference, backward through the student's own forward, no
mutation, dtype, errors) that each assignment's table instantiates with ``functools.partial``.

A check is a function ``run(ctx) -> None`` that raises :class:`CheckFailed` with a message;
it earns its rubric points when it returns. Inputs come from ``ctx.rng``, seeded by the check's
name (and, when graded, a secret salt), so the same submission always gets the same score.
"""
from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn

import numpy as np

from autograder.core import messages, recording
from autograder.core.compare import Problem, Tolerance, as_scalar, check_array, check_scalar, close, describe_type
from autograder.sandbox import Sandbox
from autograder.sandbox.client import CallResult


class CheckFailed(Exception):
    """A check did not pass; ``message`` is what the student reads."""

    def __init__(self, message: str, hints: Sequence[str] = (), fatal: bool = False,
                 protocol: bool = False, credit: float = 0.0):
        super().__init__(message)
        self.message = message
        self.hints = tuple(hints)
        self.fatal = fatal            # the whole module fails (banned import, import error)
        self.protocol = protocol      # an unreadable or out-of-turn reply: worth one more try
        # the fraction of the check's points earned all the same (a graded scale, e.g. 04's
        # model accuracy between two thresholds); 0 for every pass/fail check
        self.credit = min(max(float(credit), 0.0), 1.0)


@dataclass(frozen=True)
class Case:
    """One input of a student function: named arguments and a label for messages."""

    params: dict
    label: str

    def args_for(self, names: Sequence[str]) -> tuple:
        return tuple(self.params[n] for n in names if n in self.params)


@dataclass(frozen=True)
class Check:
    """A declared check: ``name`` (``function.aspect``) is also its key in the rubric."""

    name: str
    function: str | None
    module: str
    run: Callable[[Ctx], None]
    description: str
    requires: tuple[str, ...] = ()     # checks that must pass for this one to earn points
    needs_reference: bool = False      # compares with the solutions (not a public check)


@dataclass(frozen=True)
class Variant:
    """A known bug: ``compute(ref, case)`` gives the outputs (a dict) a buggy version produces."""

    key: str
    compute: Callable[[Any, Case], dict]


def seed_for(*parts: str) -> int:
    """A stable 64-bit seed from names (never Python's salted ``hash``)."""
    return int.from_bytes(hashlib.sha256("/".join(parts).encode()).digest()[:8], "little")


@dataclass
class Ctx:
    """What a running check may use: the sandbox, the reference module, tolerances, an RNG."""

    sandbox: Sandbox
    module: str
    check: Check
    ref: ModuleType | None
    tolerances: dict[str, Tolerance]
    timeout: float
    lang: str = "en"
    settings: dict = field(default_factory=dict)      # the rubric's extra tables
    sandboxes: dict = field(default_factory=dict)     # every module's sandbox (training task)
    hints: dict = field(default_factory=dict)         # function -> known-bug Variants
    artifacts: Path | None = None                     # where to draw pictures of failures
    solutions: str | None = None
    banned_message: str = "import.banned"              # the assignment's explanation of its ban
    # Graded runs salt the inputs with a secret (see runner.grading_salt), so a submission
    # cannot answer from a table of the public checks' recorded inputs; "" for public checks.
    salt: str = ""
    files: dict = field(default_factory=dict)         # the assignment's data files sent: name -> bytes
    rng: np.random.Generator = field(init=False)
    _store: int = field(default=0, init=False)
    _bugs_failed: set = field(default_factory=set, init=False)   # (function, index): see record_bugs

    def __post_init__(self):
        parts = (self.module, self.check.name) + ((self.salt,) if self.salt else ())
        self.rng = np.random.default_rng(seed_for(*parts))

    # -- tolerances & messages ---------------------------------------------------------------
    def tol(self, dtype) -> Tolerance:
        return self.tolerances["float32" if np.dtype(dtype) == np.float32 else "float64"]

    def text(self, key: str, /, **fields) -> str:
        return messages.render(key, self.lang, **fields)

    def hint_text(self, hints: Sequence[str]) -> str:
        """The texts of the known bugs ``hints`` (catalogue keys ``hint.<key>``), each after a space."""
        return "".join(" " + self.text(f"hint.{h}") for h in hints)

    def fail(self, key: str, /, hints: Sequence[str] = (), extra: str = "", **fields) -> NoReturn:
        """Fail with the message ``key`` (its ``fields``), then ``extra``, then the texts of the
        known bugs ``hints`` that matched: the one way a check says what went wrong. ``key`` is
        positional-only, so a message may have a field named ``key`` (optim.state_missing)."""
        raise CheckFailed(self.text(key, **fields) + extra + self.hint_text(hints), hints)

    def problem_text(self, problem: Problem, function: str, case_label: str) -> str:
        """The message of a :class:`Problem` (how a value differs) in ``function`` on a case."""
        fields = dict(problem.fields)
        if "index" in fields:
            fields["index"] = messages.format_index(fields["index"])
        return self.text(problem.key, function=function, case=case_label, **fields)

    def fail_problem(self, problem: Problem, function: str, case_label: str,
                     hints: Sequence[str] = (), extra: str = "") -> NoReturn:
        """Fail with the message of ``problem``, like :meth:`fail` (then ``extra``, then the hints' texts)."""
        raise CheckFailed(self.problem_text(problem, function, case_label) + extra + self.hint_text(hints), hints)

    # -- calling student code ----------------------------------------------------------------
    def new_key(self) -> str:
        self._store += 1
        return f"v{self._store}"

    def call(self, function: str, case: Case, args: tuple, kwargs: dict | None = None, *,
             store: str | None = None, select: tuple | None = None,
             check_mutation: bool = False, arg_names: Sequence[str] | None = None) -> Any:
        """Call the student's ``function``; raise CheckFailed on any failure to answer."""
        result = self.sandbox.call(self.module, function, *args, store=store, select=select,
                                   timeout=self.timeout, watch=check_mutation, **(kwargs or {}))
        self.raise_for(result, function, case)
        if check_mutation and result.mutated:
            names = list(arg_names) if arg_names is not None else self.param_names(function)
            args_named = [names[m] if isinstance(m, int) and m < len(names) else str(m)
                          for m in result.mutated]
            self.fail("property.mutation", function=function, case=case.label,
                      args=", ".join(args_named))
        return result.value

    def raise_for(self, result: CallResult, function: str, case: Case | None) -> None:
        if result.banned:
            raise CheckFailed(self.text(self.banned_message, module=self.module,
                                        names=", ".join(result.banned)), fatal=True)
        if result.kind == "ok":
            return
        where = f" at {result.traceback.splitlines()[-1]}" if result.traceback else ""
        if result.kind == "import_error":
            key = "import.timeout" if result.error_type == "timeout" else "import.failed"
            raise CheckFailed(self.text(key, module=self.module, error_type=result.error_type,
                                        message=result.message, where=where,
                                        timeout=self.sandbox.limits.import_timeout), fatal=True)
        if result.kind == "exception" and result.error_type == "NotImplementedError":
            self.fail("call.not_implemented", function=function)
        # Without a case, only an import is checked, and a failed import is "import_error" (above).
        if result.kind == "exception":
            assert case is not None
            self.fail("call.exception", function=function, case=case.label,
                      error_type=result.error_type, message=result.message, where=where)
        if result.kind == "timeout":
            assert case is not None
            self.fail("call.timeout", function=function, case=case.label, timeout=self.timeout)
        if result.kind == "missing":
            self.fail("call.missing", function=function, module=self.module)
        assert case is not None
        raise CheckFailed(self.text(f"call.{result.kind}", function=function, case=case.label,
                                    message=result.message), protocol=result.kind == "protocol")

    def param_names(self, function: str) -> list[str]:
        """The reference's parameter names (none when the reference is a recording)."""
        try:
            params = inspect.signature(getattr(self.ref, function)).parameters.values()
        except (AttributeError, TypeError, ValueError, LookupError):
            return []
        return [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]

    # -- comparing ---------------------------------------------------------------------------
    def expect(self, function: str, case: Case, got: dict, expected: dict, *,
               dtype=None, hint_function: str | None = None, extra: str = "") -> None:
        """Compare named outputs; on the first mismatch fail with hints and "X is right" notes."""
        dtype = np.dtype(dtype) if dtype is not None else None
        self.record_bugs(hint_function or function, case, expected, dtype)
        problems: dict[str, Problem] = {}
        for name, exp in expected.items():
            problem = self.compare(got.get(name), exp, name, dtype)
            if problem is not None:
                problems[name] = problem
        if not problems:
            return
        name, problem = next(iter(problems.items()))
        text = self.problem_text(problem, function, case.label)
        right = [n for n in expected if n not in problems]
        if right and len(expected) > 1:
            text += self.text("value.also_right", right=" and ".join(right),
                              verb="is" if len(right) == 1 else "are", name=name)
        hints = self.match_hints(hint_function or function, case, got, dtype)
        hint_text = self.hint_text(hints)
        picture = self.picture(problem, name, got.get(name), expected[name], text)
        raise CheckFailed(text + extra + hint_text + picture, hints)

    def compare(self, value, exp, name: str, dtype: np.dtype | None = None,
                require_dtype: bool = True) -> Problem | None:
        """How ``value`` differs from the expected output ``exp`` beyond the tolerance of
        ``dtype`` (by default ``exp``'s; ``require_dtype``: also demand that dtype), or ``None``."""
        if isinstance(exp, np.ndarray):
            tol = self.tol(dtype if dtype is not None else exp.dtype)
            return check_array(value, exp, tol, name, dtype_required=dtype if require_dtype else None)
        return check_scalar(value, float(exp), self.tol(dtype or np.float64), name)

    def picture(self, problem: Problem, name: str, got, expected, title: str) -> str:
        """Draw where an array differs (when asked for artifacts); the sentence that points to it."""
        if self.artifacts is None or problem.key != "value.mismatch" or not isinstance(expected, np.ndarray) \
                or expected.ndim == 0:
            return ""
        from autograder.pictures import plot_mismatch

        path = self.artifacts / f"{self.check.name}.png"
        try:
            plot_mismatch(path, title[:300], name, got, expected, problem.fields["index"])
        except Exception:  # noqa: BLE001 - a picture is a bonus; never fail a check over it
            return ""
        return " " + self.text("picture", path=str(path))

    def match_hints(self, function: str, case: Case, got: dict, dtype=None) -> list[str]:
        """Keys of the known bugs whose outputs equal the student's on this case (within the
        tolerance of ``dtype``, float64 by default)."""
        tol = self.tol(dtype if dtype is not None else np.float64)
        return [key for key, buggy in self.known_bugs(function, case).values()
                if all(_same(got.get(n), v, tol) for n, v in buggy.items())]

    def known_bugs(self, function: str, case: Case) -> recording.Bugs:
        """What the known bugs of ``function`` output on ``case``: computed by the hint library
        (graded runs, and wherever the solutions are), or, in a public check, read from the
        recording, which holds them for the cases public checks compare (so the wheel students
        install, which has no hint library, names the same hints)."""
        if isinstance(self.ref, recording.Replay):
            recorded = self.ref.recorded_bugs(function, case.params)
            if recorded is not None:
                return recorded
        return bug_outputs(self.hints.get(function, ()), self.ref, case)

    def record_bugs(self, function: str, case: Case, expected: dict, dtype: np.dtype | None) -> None:
        """At release (the reference is a :class:`recording.Recorder`), record what the known
        bugs of ``function`` output on ``case``, a case this check compares with ``expected``.

        A bug whose outputs already failed an earlier case of this check is left out: a
        submission with that bug fails there, and never reaches this case (the bugs' part of
        the recording is 2.5 times smaller so). A bug that passes a case (a velocity bug at the
        first step, from zero) stays in for the next one."""
        if not isinstance(self.ref, recording.Recorder) or not self.hints.get(function):
            return
        bugs = bug_outputs(self.hints[function], self.ref.wrapped, case)
        kept = {i: bug for i, bug in bugs.items() if (function, i) not in self._bugs_failed}
        for i, (_, outputs) in bugs.items():
            if any(self.compare(recording.plain(v), expected[n], n, dtype, require_dtype=False) is not None
                   for n, v in outputs.items() if n in expected):
                self._bugs_failed.add((function, i))
        self.ref.record_bugs(function, case.params, kept)


def bug_outputs(variants: Sequence[Variant], ref, case: Case) -> recording.Bugs:
    """index in ``variants`` -> (key, outputs) of each known bug that applies to ``case``
    (gives some outputs there), in table order."""
    found = {}
    for index, variant in enumerate(variants):
        try:
            buggy = variant.compute(ref, case)
        except Exception:  # noqa: BLE001 - a variant that does not apply to this case
            continue
        if buggy:
            found[index] = (variant.key, buggy)
    return found


def _same(got, buggy, tol: Tolerance) -> bool:
    if isinstance(buggy, np.ndarray):
        return close(got, buggy, tol)
    value, buggy = as_scalar(got), float(buggy)
    if value is None:
        return False
    if not (np.isfinite(value) and np.isfinite(buggy)):     # inf == inf, nan "==" nan
        return value == buggy or (np.isnan(value) and np.isnan(buggy))
    return abs(value - buggy) <= tol.rtol * max(abs(buggy), 1e-12)


# ---------------------------------------------------------------------------
# Unpacking what a student function returns
# ---------------------------------------------------------------------------

def unpack(ctx: Ctx, function: str, case: Case, value, names: Sequence[str]) -> dict:
    """Map a student's return value onto output names.

    ``names`` of length 1: the value itself; longer: a tuple/list of that many items. A name
    ``"_"`` marks an item that is not compared (a forward pass's cache).
    """
    if len(names) == 1:
        return {names[0]: value}
    if not isinstance(value, (tuple, list)) or len(value) != len(names):
        got = (f"a {type(value).__name__} of {len(value)} items" if isinstance(value, (tuple, list))
               else f"a {describe_type(value)}")
        ctx.fail("value.structure", function=function, case=case.label, got=got,
                 expected=f"a tuple ({', '.join(n if n != '_' else 'cache' for n in names)})")
    return {n: v for n, v in zip(names, value) if n != "_"}


def expected_of(value, names: Sequence[str]) -> dict:
    """The reference's outputs as a dict, like :func:`unpack`."""
    if len(names) == 1:
        return {names[0]: value}
    return {n: v for n, v in zip(names, value) if n != "_"}
