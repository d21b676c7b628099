"""Grading one submission of one assignment: the orchestration.

collect the files -> scan imports -> one sandboxed process per student module -> run the
checks in table order (gated checks wait for the values they depend on) -> a :class:`Report`.
A check that crashes, hangs or cheats costs its own points; a grader bug fails closed (0 points,
a visible message), never open.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import importlib.util
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits
from tqdm import tqdm

from autograder.checks.base import Check, CheckFailed, Ctx, Variant
from autograder.core import messages
from autograder.core.results import CheckResult, Report, Status
from autograder.core.rubric import Rubric, load_rubric, validate
from autograder.datasets import FASHION_DIRS
from autograder.grading.submission import banned_imports, collect
from autograder.paths import PACKAGED_DATA, REPO_ROOT, data_dir, solutions_dir
from autograder.references import reference
from autograder.registry import get_assignment
from autograder.sandbox import Sandbox, SandboxLimits, wire
from autograder.sandbox.client import CallResult
from autograder.sandbox.limits import ChildLimits, isolation_level
from autograder.sandbox.wire import BANNED_IMPORTS

MAX_MESSAGE = 6000      # characters of one check's message (hints and picture note included)


class GraderSetupError(RuntimeError):
    """The grader cannot grade this assignment here (a package it needs is not installed)."""


def require_packages(assignment: str, packages: tuple[str, ...]) -> None:
    """Fail before grading, never by scoring students 0, when the grader lacks a package."""
    missing = [p for p in packages if importlib.util.find_spec(p) is None]
    if missing:
        raise GraderSetupError(f"grading {assignment} needs {', '.join(missing)}, which is not installed "
                               f"for {sys.executable}: pip install \"cnn-autograder[tf]\" (TensorFlow "
                               f"with Keras), then grade again.")


def hidden_paths(solutions: str | None = None, banned: tuple[str, ...] = BANNED_IMPORTS) -> tuple[str, ...]:
    """Folders the student process must not see: the solutions and what holds copies of them,
    the installed banned packages (see :func:`banned_package_dirs`), and every copy of the
    data the grader evaluates on (see :func:`held_out_data_dirs`)."""
    paths: list[Path | str] = [solutions_dir(solutions)]
    paths += [REPO_ROOT / d for d in (".git", "tests", "bench", "solutions")]
    paths += banned_package_dirs(banned)
    paths += held_out_data_dirs()
    found = sorted({str(p) for p in paths if Path(p).is_dir()})
    # a folder inside a hidden one is hidden with it (and could not be mounted over once its
    # parent is an empty tmpfs): TensorFlow, once imported, lists tensorflow/_api/v2 in __path__
    return tuple(p for p in found if not any(Path(p).is_relative_to(q) and p != q for q in found))


def held_out_data_dirs() -> list[Path]:
    """The folders that hold MNIST or Fashion-MNIST, whose test splits the grader evaluates on
    (assignment 04): the kit's ``datasets/`` (or ``$CNN_AUTOGRADER_DATA``) and the copy packaged
    in the wheel (``autograder/_data``), Debian's ``/usr/share/datasets`` and
    ``$FASHION_MNIST_DIR``, Keras's download cache (``datasets/`` under ``$KERAS_HOME`` and
    ``~/.keras``) and apt's package cache (``dataset-fashion-mnist``'s .deb stays there).

    Hiding is a second line only: folders can be hidden, single files cannot, a copy elsewhere
    on the machine is not known here, and without full isolation nothing is hidden at all. The
    first line is that held-out images never enter the student process and accuracies are
    computed outside it (``autograder.checks.keras_cnn``)."""
    folders = [data_dir(), REPO_ROOT / "datasets", PACKAGED_DATA, *FASHION_DIRS, Path("/usr/share/datasets"),
               Path.home() / ".keras" / "datasets", Path("/var/cache/apt/archives")]
    for variable, below in (("FASHION_MNIST_DIR", ""), ("KERAS_HOME", "datasets")):
        if os.environ.get(variable):
            folders.append(Path(os.environ[variable]) / below)
    return folders


def banned_package_dirs(banned: tuple[str, ...] = BANNED_IMPORTS) -> list[str]:
    """The folders of the installed banned packages (TensorFlow, Keras...). The worker's import
    hook runs inside the student's process, which can remove it; an empty folder in place of
    the package cannot be undone from there. ``autograder`` is banned too but holds the worker."""
    folders = []
    for name in banned:
        if name == "autograder":
            continue
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        folders += list(spec.submodule_search_locations or []) if spec is not None else []
    return folders


def grading_salt(assignment: str, files: dict[str, bytes], solutions: str | None = None) -> str:
    """The secret that seeds a graded run's inputs, so they differ from the public checks' (whose
    recorded inputs and outputs every student has): a digest of ``CNN_AUTOGRADER_SECRET`` (an
    instructor's secret, for courses that publish their solutions), the assignment's reference
    solution files (which students do not have) and the submission's own files (so one
    student's feedback does not reveal another's inputs). The same files always get the same
    inputs, hence the same score."""
    digest = hashlib.sha256(b"cnn-autograder graded inputs\0")
    digest.update(os.environ.get("CNN_AUTOGRADER_SECRET", "").encode("utf-8", "surrogatepass") + b"\0")
    folder = solutions_dir(solutions) / assignment
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in sorted(files):
        digest.update(name.encode("utf-8", "surrogatepass") + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


def grade(submission: str | Path, assignment: str, *, solutions: str | None = None,
          lang: str = "en", progress: bool = False, only: str | None = None,
          public: dict[str, Any] | None = None, function: str | None = None,
          artifacts: str | Path | None = None, student_id: str | None = None) -> Report:
    """Grade the submission (a folder or .zip) of ``assignment``; ``only`` filters check names.

    numpy's BLAS runs single-threaded meanwhile: the checks and the training task multiply
    small matrices, where two OpenBLAS threads made the training task 10x slower on 2 cores,
    and one thread keeps every expected value bit-reproducible.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _grade(submission, assignment, solutions=solutions, lang=lang, progress=progress,
                      only=only, public=public, function=function,
                      artifacts=Path(artifacts) if artifacts is not None else None,
                      student_id=student_id)


def public_checks(assignment: str) -> list[Check]:
    """The checks students run locally: the rubric's ``[public] checks`` patterns."""
    rubric = load_rubric(assignment)
    patterns = rubric.extra.get("public", {}).get("checks", [])
    return [c for c in get_assignment(assignment).checks()
            if any(fnmatch.fnmatchcase(c.name, p) for p in patterns)]


def _grade(submission: str | Path, assignment: str, *, solutions: str | None, lang: str, progress: bool,
           only: str | None, public: dict[str, Any] | None, function: str | None, artifacts: Path | None,
           student_id: str | None) -> Report:
    """``public``: run only the public checks, against this recording (module -> Replay or
    Recorder) instead of the solutions. ``function``: only that function's checks."""
    start = time.monotonic()
    spec = get_assignment(assignment)
    require_packages(assignment, spec.requires)
    rubric = load_rubric(assignment)
    if student_id is not None:          # the roster's id: the quiz must be this student's
        rubric = dataclasses.replace(rubric, extra={**rubric.extra, "student_id": student_id})
    checks = spec.checks()
    validate(rubric, [c.name for c in checks])
    if public is not None:
        names = {c.name for c in public_checks(assignment)}
        checks = [c for c in checks if c.name in names]
    if function:      # a student function, or a group of checks of none ("quiz", "train")
        checks = [c for c in checks if (c.function or c.name.split(".")[0]) == function]
    if only:
        checks = _select(checks, only)
    collected = collect(submission, spec.wanted)
    notes = list(collected.notes)
    limits = SandboxLimits(ChildLimits(memory_bytes=rubric.memory_bytes), rubric.call_timeout,
                           rubric.import_timeout)
    if isolation_level() != "full":
        print("cnn-autograder: warning: cannot isolate student code here (namespaces need root with "
              "CAP_SYS_ADMIN), so it could read solutions/; it still runs in a separate process with "
              "time, memory and output limits. Grade as root (Gradescope's image does; with Docker, "
              "add --cap-add SYS_ADMIN) or as a user that cannot read the solutions.", file=sys.stderr)
    session = _Session(rubric=rubric, lang=lang, solutions=solutions, artifacts=artifacts,
                       banned_message=spec.banned_message, hints=spec.hints,
                       salt="" if public is not None else grading_salt(assignment, collected.files, solutions),
                       files={name: collected.files[name] for name in spec.data_files if name in collected.files})
    for module in spec.modules:
        file = f"{module}.py"
        if file not in collected.files:
            session.blocked[module] = messages.render("file.missing", lang, file=file,
                                                      found=", ".join(collected.found) or "no .py files")
            continue
        banned = banned_imports(collected.files[file], spec.banned)
        if banned:
            session.blocked[module] = messages.render(spec.banned_message, lang, module=module,
                                                      names=", ".join(banned))
            continue
        if public is not None:
            session.refs[module] = public[module]
        elif any(c.needs_reference and c.module == module for c in checks):
            session.refs[module] = reference(assignment, module, solutions)
    results: list[CheckResult] = []
    try:
        for module in spec.modules:
            if module not in session.blocked:
                session.sandboxes[module] = Sandbox({f"{module}.py": collected.files[f"{module}.py"]}, limits,
                                                    hidden_paths(solutions, spec.banned), spec.banned)
        for check in tqdm(checks, desc=f"grading {assignment}", disable=not progress, file=sys.stderr):
            item = rubric.points[check.name]
            t0 = time.monotonic()
            outcome = _run_one(check, session)
            if outcome.status == "passed":
                session.passed.add(check.name)
            results.append(CheckResult(
                name=check.name, function=check.function, module=check.module,
                score=item.points if outcome.status == "passed" else round(item.points * outcome.credit, 4),
                max_score=item.points, status=outcome.status,
                message=wire.sanitize(outcome.message, MAX_MESSAGE) if outcome.message else "",
                description=check.description, hints=outcome.hints, elapsed=time.monotonic() - t0))
    finally:
        isolation = (next(iter(session.sandboxes.values())).isolation if session.sandboxes
                     else isolation_level())
        for sandbox in session.sandboxes.values():
            sandbox.close()
    results = _apply_runtime_bans(results, session.blocked)
    return Report(assignment=assignment, submission=str(submission), results=tuple(results),
                  notes=tuple(notes), execution_time=time.monotonic() - start, isolation=isolation,
                  lang=lang)


@dataclass
class _Session:
    """What the checks of one graded submission share: the rubric and language, the student's
    sandboxes and the references per module, the modules blocked (module -> why every check of
    it fails) and the checks passed so far (for ``requires``)."""

    rubric: Rubric
    lang: str
    solutions: str | None
    artifacts: Path | None
    banned_message: str
    hints: dict[str, dict[str, list[Variant]]]          # module -> function -> known bugs
    salt: str
    files: dict[str, bytes]                             # the assignment's data files sent
    sandboxes: dict[str, Sandbox] = field(default_factory=dict)
    refs: dict[str, Any] = field(default_factory=dict)
    blocked: dict[str, str] = field(default_factory=dict)
    passed: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Outcome:
    """What one check came to: its status, the message a student reads (empty when it passed),
    the hints that matched, and the fraction of its points earned when it did not pass (a
    graded scale, e.g. 04's model accuracy between two thresholds; 0 otherwise)."""

    status: Status
    message: str = ""
    hints: tuple[str, ...] = ()
    credit: float = 0.0
    protocol: bool = False          # the child broke the protocol: worth one more try


def _run_one(check: Check, session: _Session) -> _Outcome:
    """Run one check (gated or blocked ones are not run).

    A check that met an unreadable or out-of-turn reply runs once more in a fresh student
    process and fails only if that happens again: stray frames from an earlier call (a thread,
    a ``__del__`` run late) cannot cost an honest check anything, while a function that writes
    them itself fails both times.
    """
    if check.module in session.blocked:
        return _Outcome("blocked", session.blocked[check.module])
    missing = [r for r in check.requires if r not in session.passed]
    if missing:
        functions = sorted({name.split(".")[0] for name in missing})
        return _Outcome("gated", messages.render("property.gated", session.lang, function=", ".join(functions),
                                                 failed=", ".join(missing)))
    sandbox = session.sandboxes[check.module]
    rubric = session.rubric
    for attempt in (1, 2):
        ctx = Ctx(sandbox, check.module, check, session.refs.get(check.module), rubric.tolerances,
                  rubric.call_timeout, session.lang, settings=rubric.extra, sandboxes=session.sandboxes,
                  hints=session.hints.get(check.module, {}), artifacts=session.artifacts,
                  solutions=session.solutions, banned_message=session.banned_message, salt=session.salt,
                  files=session.files)
        outcome = _attempt(check, ctx, sandbox, session.blocked, session.lang)
        if not outcome.protocol or attempt == 2:
            return outcome
        sandbox.restart()
    raise AssertionError("unreachable")


def _attempt(check: Check, ctx: Ctx, sandbox: Sandbox, blocked: dict[str, str], lang: str) -> _Outcome:
    """One run of a check."""
    try:
        imported = sandbox.import_module(check.module)
        if imported.kind != "ok":
            ctx.raise_for(imported, check.function or check.module, None)
        check.run(ctx)
    except CheckFailed as failure:
        if failure.fatal:
            blocked[check.module] = failure.message
        _forget(sandbox)
        return _Outcome("blocked" if failure.fatal else "failed", failure.message, failure.hints,
                        failure.credit, failure.protocol)
    except Exception:  # noqa: BLE001 - a grader bug must fail closed, visibly
        traceback.print_exc(file=sys.stderr)
        _forget(sandbox)
        return _Outcome("error", f"internal grader error in {check.name}: this check scored 0. Please report "
                                 f"it to your instructor (the grader's log has the details).")
    # Dropping the values this check kept in the child can run student code (a cache's
    # __del__, a generator's finally): if that misbehaves, this check answers for it.
    dropped = _forget(sandbox)
    if dropped is not None and dropped.kind in ("timeout", "crash", "protocol"):
        return _Outcome("failed", messages.render("call.forget", lang, function=check.function or check.module,
                                                  kind=dropped.kind, message=dropped.message),
                        protocol=dropped.kind == "protocol")
    return _Outcome("passed", credit=1.0)


def _forget(sandbox: Sandbox) -> CallResult | None:
    try:
        return sandbox.forget()
    except Exception:  # noqa: BLE001 - the next request restarts a broken child anyway
        return None


def _select(checks: list[Check], only: str) -> list[Check]:
    """The checks whose name contains ``only``, with the checks they require (transitively)."""
    by_name = {c.name: c for c in checks}
    wanted = {c.name for c in checks if only in c.name}
    todo = list(wanted)
    while todo:
        for required in by_name[todo.pop()].requires:
            if required not in wanted:
                wanted.add(required)
                todo.append(required)
    return [c for c in checks if c.name in wanted]


def _apply_runtime_bans(results: list[CheckResult], blocked: dict[str, str]) -> list[CheckResult]:
    """A module caught importing a banned package at run time loses every check, before or after
    (partial credit included)."""
    out = []
    for result in results:
        if result.module in blocked and (result.passed or result.score > 0):
            result = dataclasses.replace(result, score=0.0, status="blocked", message=blocked[result.module])
        out.append(result)
    return out
