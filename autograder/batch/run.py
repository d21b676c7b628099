"""The batch: grade a folder of submissions with N worker processes, resumably.

discover -> keep this shard's students -> skip those whose result is current (same digest of
the submission and of the grader) -> grade the others in worker processes, each result written
atomically by this process as it arrives -> mark the shard complete -> (whole batches) the
gradebooks and the class report.

Why it survives ``kill -9`` at any moment: a result is recorded only by an atomic rename, so a
file is either whole or absent; the next run deletes leftover temporary files, trusts only
results that parse and match both digests, and grades the rest. Workers die with this process
(``PR_SET_PDEATHSIG``), so no orphan keeps grading or writing after it; a lock file keeps two
runs of one shard from writing one folder at the same time. A submission that cannot be read
scores 0 with the reason; a grader failure on one submission is recorded as ``error`` (graded
again by the next run), and neither stops the batch.
"""
from __future__ import annotations

import concurrent.futures as futures
import ctypes
import datetime
import fcntl
import hashlib
import multiprocessing
import os
import signal
import sys
import time
import traceback
import uuid
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from autograder import __version__
from autograder.batch import records as store
from autograder.batch.discover import Entry, content_hash, discover, file_key, graded_path
from autograder.batch.records import Record, Status
from autograder.batch.shards import Shard, select, write_manifest
from autograder.core import messages
from autograder.core.results import CheckResult, Report
from autograder.core.rubric import load_rubric, validate
from autograder.paths import solutions_dir
from autograder.registry import ASSIGNMENTS

PACKAGE = Path(__file__).resolve().parent.parent
PR_SET_PDEATHSIG = 1
# Parts of the package that do not decide a grade: editing them does not regrade the class.
NOT_GRADING = ("batch", "report", "cli.py", "__main__.py", "pytest_plugin.py", "selfcheck.py", "release.py")
ATTEMPTS = 2        # a submission whose worker dies twice (killed for memory...) is an error


class BatchError(RuntimeError):
    """The batch cannot run (unknown assignment, folder missing, another run holds the lock)."""


@dataclass(frozen=True)
class Options:
    assignment: str
    jobs: int = 1
    lang: str = "en"
    solutions: str | None = None
    shard: Shard = field(default_factory=Shard)
    progress: bool = False
    regrade: bool = False          # grade every submission again, current or not
    quiz_ids: bool = False         # the names are the roster ids of the 01 quiz (plain layouts)
    title: str = ""                # the assignment column of the Canvas gradebook


@dataclass(frozen=True)
class Summary:
    run_id: str
    total: int                      # this shard's students
    graded: tuple[str, ...]         # graded by this run
    skipped: tuple[str, ...]        # current results kept
    unreadable: tuple[str, ...]
    errors: tuple[str, ...]
    ignored: tuple[str, ...]        # names in the folder that are no submission
    slowest: tuple[str, float] | None
    elapsed: float
    written: tuple[Path, ...] = ()


def grader_digest(assignment: str, solutions: str | None = None) -> str:
    """A digest of what decides a grade besides the submission: the grader's code and rubrics,
    the assignment's reference solutions and (digested again) the instructor's secret."""
    digest = hashlib.sha256(f"cnn-autograder {__version__}\0{assignment}\0".encode())
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if path.suffix in (".py", ".toml") and "__pycache__" not in relative.parts \
                and relative.parts[0] not in NOT_GRADING:
            digest.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
    folder = solutions_dir(solutions) / assignment
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    secret = os.environ.get("CNN_AUTOGRADER_SECRET", "").encode("utf-8", "surrogatepass")
    digest.update(hashlib.sha256(b"secret\0" + secret).digest())
    return digest.hexdigest()


def unreadable_report(assignment: str, submission: str, reason: str, lang: str = "en") -> Report:
    """Every check of ``assignment`` failed with ``reason``: for a submission that cannot be
    read at all (fails closed: 0 points, the reason visible)."""
    spec = ASSIGNMENTS[assignment]
    rubric = load_rubric(assignment)
    message = messages.render("batch.unreadable", lang, reason=reason)
    results = tuple(CheckResult(name=c.name, function=c.function, module=c.module, score=0.0,
                                max_score=rubric.points[c.name].points, status="blocked", message=message,
                                description=c.description) for c in spec.checks())
    return Report(assignment=assignment, submission=submission, results=results, notes=(message,), lang=lang)


# --- in the worker processes ---------------------------------------------------------------

def _start_worker(log: str, parent: int) -> None:
    """Die with the batch (so a killed batch leaves no orphan grading), and log to a file."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:          # the batch died before prctl took effect
        os._exit(1)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stderr = open(2, "w", buffering=1, encoding="utf-8", errors="replace", closefd=False)


def _grade_one(path: str, options: Options, student_id: str | None) -> tuple[str, Report | None, str]:
    """(status, report, error) of one submission, never raising."""
    from autograder.grading.runner import grade
    from autograder.grading.submission import SubmissionError

    try:
        report = grade(path, options.assignment, solutions=options.solutions, lang=options.lang,
                       student_id=student_id)
        return "graded", report, ""
    except SubmissionError as exc:
        return "unreadable", unreadable_report(options.assignment, path, str(exc), options.lang), ""
    except Exception:  # noqa: BLE001 - one submission's grader failure must not stop the batch
        text = traceback.format_exc()
        print(f"cnn-autograder batch: grading {path} failed:\n{text}", file=sys.stderr)
        return "error", None, text.strip().splitlines()[-1]


# --- in the batch process -------------------------------------------------------------------

@dataclass
class _Job:
    entry: Entry
    key: str
    digest: str
    path: str = ""
    attempts: int = 0


def _lock(output: Path, shard: Shard):
    output.mkdir(parents=True, exist_ok=True)
    fd = os.open(output / f".lock-{shard.label}", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise BatchError(f"another batch is writing {output} (shard {shard.index}/{shard.count}); wait "
                         f"for it to finish, or choose another --output.") from None
    return fd


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def check_setup(assignment: str) -> None:
    """Fail before grading anyone when the grader cannot grade ``assignment`` here."""
    from autograder.grading.runner import require_packages

    if assignment not in ASSIGNMENTS:
        raise BatchError(f"unknown assignment {assignment!r}: choose one of {', '.join(sorted(ASSIGNMENTS))} "
                         f"(--assignment takes the folder name).")
    spec = ASSIGNMENTS[assignment]
    require_packages(assignment, spec.requires)
    validate(load_rubric(assignment), [c.name for c in spec.checks()])


def run_batch(folder: str | os.PathLike, output: str | os.PathLike, options: Options) -> Summary:
    """Grade the submissions in ``folder`` into ``output`` (see the module's docstring)."""
    start = time.monotonic()
    folder, output = Path(folder), Path(output)
    if not folder.is_dir():
        raise BatchError(f"{folder} is not a folder: give the folder holding one folder or .zip per "
                         f"student (or an unzipped Moodle or Canvas download).")
    check_setup(options.assignment)
    lock = _lock(output, options.shard)
    try:
        return _run(folder, output, options, start)
    finally:
        os.close(lock)


def _run(folder: Path, output: Path, options: Options, start: float) -> Summary:
    run_id = uuid.uuid4().hex[:12]
    results, staging = output / "results", output / "staging" / options.shard.label
    results.mkdir(parents=True, exist_ok=True)
    store.remove_leftovers(results)
    spec = ASSIGNMENTS[options.assignment]
    found = discover(folder, spec.files)
    entries = select(list(found.entries), options.shard)
    grader = grader_digest(options.assignment, options.solutions)
    jobs, skipped = [], []
    for entry in entries:
        job = _Job(entry, file_key(entry.student_id), content_hash(entry))
        old = store.load(results / f"{job.key}.json")
        if (not options.regrade and old is not None and old.status != "error" and old.student_id == entry.student_id
                and old.content_sha256 == job.digest and old.grader_sha256 == grader):
            skipped.append(entry.student_id)
        else:
            jobs.append(job)
    owned = {e.student_id: content_hash(e) for e in entries}
    write_manifest(output, options.shard, options.assignment, owned, complete=False, run_id=run_id)

    def record(job: _Job, status: Status, report: Report | None, error: str = "") -> None:
        if report is None:      # the grader failed: 0 until a later run grades it
            report = unreadable_report(options.assignment, job.path, "the grader failed on this submission "
                                       f"({error}); it is graded again by the next run", options.lang)
        rel = ", ".join(str(p.relative_to(folder)) for p in job.entry.paths)
        store.save(Record(student_id=job.entry.student_id, name=job.entry.name, source=job.entry.source,
                          submission=rel, content_sha256=job.digest, grader_sha256=grader, status=status,
                          report=report, run_id=run_id, graded_at=_now(), late=job.entry.late, error=error),
                   results, job.key)

    outcome: dict[str, str] = {}
    times: dict[str, float] = {}
    bar = tqdm(total=len(jobs), desc=f"batch {options.assignment}", unit="submission", file=sys.stderr,
               disable=not options.progress, dynamic_ncols=True)
    todo = []
    for job in jobs:
        if job.entry.problem:
            job.path = str(job.entry.paths[0])
            record(job, "unreadable", unreadable_report(options.assignment, job.path, job.entry.problem,
                                                        options.lang))
            outcome[job.entry.student_id] = "unreadable"
            bar.update()
        else:
            job.path = str(graded_path(job.entry, staging))
            todo.append(job)
    logs = output / "logs"
    logs.mkdir(exist_ok=True)
    while todo:
        todo = _grade_all(todo, options, logs / f"workers-{options.shard.label}.log", record, outcome, times, bar)
    bar.close()
    write_manifest(output, options.shard, options.assignment, owned, complete=True, run_id=run_id)
    written: tuple[Path, ...] = ()
    if options.shard.count == 1:
        from autograder.batch.publish import publish

        current = [r for r in store.load_folder(results) if owned.get(r.student_id) == r.content_sha256]
        written = tuple(publish(current, output, options.assignment, options.title))
    slowest = max(times.items(), key=lambda kv: kv[1]) if times else None
    by = lambda status: tuple(k for k, v in outcome.items() if v == status)  # noqa: E731
    return Summary(run_id, len(entries), tuple(outcome), tuple(skipped), by("unreadable"), by("error"),
                   found.ignored, slowest, time.monotonic() - start, written)


def _grade_all(todo: list[_Job], options: Options, log: Path, record, outcome, times, bar) -> list[_Job]:
    """Grade ``todo`` in a pool; the jobs to try again if a worker died (the pool broke)."""
    context = multiprocessing.get_context("spawn")
    retry: list[_Job] = []
    with futures.ProcessPoolExecutor(max_workers=max(1, options.jobs), mp_context=context,
                                     initializer=_start_worker, initargs=(str(log), os.getpid())) as pool:
        running = {pool.submit(_grade_one, job.path, options,
                               job.entry.student_id if options.quiz_ids else None): job for job in todo}
        for future in futures.as_completed(running):
            job = running[future]
            try:
                status, report, error = future.result()
            except BrokenProcessPool:
                job.attempts += 1
                if job.attempts < ATTEMPTS:
                    retry.append(job)
                    continue
                status, report, error = "error", None, "its worker process died twice (out of memory?)"
            record(job, status, report, error)
            outcome[job.entry.student_id] = status
            if report is not None:
                times[job.entry.student_id] = report.execution_time
            bar.set_postfix_str(job.entry.student_id[:24], refresh=False)
            bar.update()
    return retry
