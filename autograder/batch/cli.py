"""The ``batch``, ``merge`` and ``gradescope`` sub-commands (registered by autograder/cli.py).

Exit codes: 0 when every submission has a result (whatever the scores, unreadable ones
included, scored 0 with the reason); 1 when the grader failed on some submissions (listed; a
rerun grades them again) or a merge is incomplete; 2 when nothing could run (bad arguments).
Summaries and logs go to stderr; the files are the output.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

LANG_HELP = "language of the students' messages: en, pt or es (default: $CNN_AUTOGRADER_LANG, else en)"


def _error(message: str) -> int:
    print(f"cnn-autograder: error: {message}", file=sys.stderr)
    return 2


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"--jobs {value!r}: give a number of worker processes >= 1 "
                                         f"(e.g. --jobs {os.cpu_count() or 2}, one per core).")
    return jobs


def _shard(value: str):
    from autograder.batch.shards import parse_shard

    try:
        return parse_shard(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_batch(args: argparse.Namespace) -> int:
    from autograder.batch.run import BatchError, Options, run_batch
    from autograder.core.rubric import RubricError
    from autograder.grading.runner import GraderSetupError
    from autograder.sandbox.limits import isolation_level

    options = Options(args.assignment, jobs=args.jobs, lang=args.lang, solutions=args.solutions,
                      shard=args.shard, progress=args.progress, regrade=args.regrade,
                      quiz_ids=args.quiz_ids, title=args.canvas_title or "")
    if isolation_level() != "full":
        print("cnn-autograder: warning: cannot isolate student code here (namespaces need root with "
              "CAP_SYS_ADMIN); each submission still runs in a separate process with time, memory and "
              "output limits.", file=sys.stderr)
    try:
        summary = run_batch(args.folder, args.output, options)
    except (BatchError, RubricError, GraderSetupError) as exc:
        return _error(str(exc))
    except OSError as exc:
        return _error(f"cannot write {args.output}: {exc.strerror or exc} ({exc.filename or ''}).")
    shard = f" (shard {args.shard.index}/{args.shard.count})" if args.shard.count > 1 else ""
    print(f"{args.assignment}{shard}: {summary.total} submissions; graded {len(summary.graded)}, kept "
          f"{len(summary.skipped)} current results, {len(summary.unreadable)} unreadable, "
          f"{len(summary.errors)} grader errors; {summary.elapsed:.1f} s.", file=sys.stderr)
    if summary.slowest:
        print(f"slowest: {summary.slowest[0]} ({summary.slowest[1]:.1f} s)", file=sys.stderr)
    for name in summary.ignored:
        print(f"not a submission: {name}", file=sys.stderr)
    for path in summary.written:
        print(f"wrote {path}", file=sys.stderr)
    if summary.errors:
        print(f"the grader failed on {', '.join(summary.errors)}: see {Path(args.output) / 'logs'}; run the "
              f"same command again to grade them again.", file=sys.stderr)
        return 1
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from autograder.batch import records as store
    from autograder.batch.publish import publish
    from autograder.batch.shards import merge_manifests

    outputs = [Path(o) for o in args.outputs]
    missing = [str(o) for o in outputs if not o.is_dir()]
    if missing:
        return _error(f"{', '.join(missing)}: no such folder; give the --output folder(s) of the shards.")
    records = [r for o in outputs for r in store.load_folder(o / "results")]
    merged = merge_manifests(outputs, args.assignment, records)
    for problem in merged.problems:
        print(f"cnn-autograder merge: {problem}", file=sys.stderr)
    if merged.problems and not args.partial:
        print("no gradebook written (--partial writes one from the results there are).", file=sys.stderr)
        return 1
    target = Path(args.output) if args.output else outputs[0]
    try:
        written = publish(list(merged.records), target, args.assignment, args.canvas_title or "")
    except OSError as exc:
        return _error(f"cannot write {target}: {exc.strerror or exc}.")
    print(f"{args.assignment}: merged {len(merged.records)} results.", file=sys.stderr)
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 1 if merged.problems else 0


def cmd_gradescope_build(args: argparse.Namespace) -> int:
    from autograder.batch.gradescope import GradescopeError, build_zip

    try:
        for assignment in args.assignment:
            path = build_zip(assignment, Path(args.output), args.solutions)
            print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB): upload it as the autograder of "
                  f"{assignment} (base image: Ubuntu 24.04).", file=sys.stderr)
    except GradescopeError as exc:
        return _error(str(exc))
    except OSError as exc:
        return _error(f"cannot write {args.output}: {exc.strerror or exc}.")
    return 0


def cmd_gradescope_run(args: argparse.Namespace) -> int:
    from autograder.batch.gradescope import run_in_gradescope

    root = Path(args.root)
    if not (root / "submission").is_dir():
        return _error(f"{root / 'submission'} is not a folder: this runs inside Gradescope's image "
                      f"(--root is /autograder there).")
    run_in_gradescope(args.assignment, root, args.lang)
    return 0


def add_parsers(sub) -> None:
    """Register ``batch``, ``merge`` and ``gradescope`` on the main parser's sub-parsers."""
    from autograder.core.messages import LANGUAGES
    from autograder.registry import ASSIGNMENTS as ASSIGNMENT_NAMES

    batch = sub.add_parser("batch", help="grade a folder of submissions (resumable, in parallel)",
                           description="Grade every submission in FOLDER: one folder or .zip per student "
                                       "(the name is the student id), or an unzipped Moodle or Canvas "
                                       "bulk download. Results go to OUTPUT/results/<id>.json, then "
                                       "OUTPUT/gradebook*.csv and OUTPUT/report.md. Run it again to grade "
                                       "only what changed (or what a killed run left).")
    batch.add_argument("folder", help="the folder of submissions")
    batch.add_argument("--assignment", required=True, help="the assignment folder name, e.g. 02_cnn_layers")
    batch.add_argument("--output", required=True, help="the folder to write results into (created)")
    batch.add_argument("--jobs", type=_jobs, default=1, help="worker processes (default 1; one per core)")
    batch.add_argument("--shard", type=_shard, default=_shard("0/1"),
                       help="grade only shard i of n (i/n, 0 <= i < n), e.g. a job array's task; "
                            "then `cnn-autograder merge` writes the gradebook")
    batch.add_argument("--regrade", action="store_true", help="grade every submission again, even current ones")
    batch.add_argument("--quiz-ids", action="store_true",
                       help="the folder/zip names are the roster ids of the 01 quiz: each quiz must be "
                            "answered for its own name")
    batch.add_argument("--canvas-title", help="the assignment column of gradebook_canvas.csv, e.g. "
                                              "'CNN layers (1234)' (default: the assignment name)")
    batch.add_argument("--solutions", help="folder of the reference solutions")
    batch.add_argument("--lang", default=None, choices=LANGUAGES, help=LANG_HELP)
    batch.add_argument("--progress", action=argparse.BooleanOptionalAction, default=sys.stderr.isatty(),
                       help="show a progress bar with ETA on stderr")
    batch.set_defaults(func=cmd_batch)

    merge = sub.add_parser("merge", help="merge the results of batch shards into one gradebook",
                           description="Check that every shard of a split finished, then write the "
                                       "gradebooks and the class report from their results.")
    merge.add_argument("outputs", nargs="+", help="the --output folder(s) of the shards")
    merge.add_argument("--assignment", required=True, help="the assignment folder name")
    merge.add_argument("--output", help="where to write the gradebooks (default: the first folder)")
    merge.add_argument("--canvas-title", help="the assignment column of gradebook_canvas.csv")
    merge.add_argument("--partial", action="store_true",
                       help="write the gradebook even if some shards or results are missing (exit 1)")
    merge.set_defaults(func=cmd_merge)

    gradescope = sub.add_parser("gradescope", help="build autograder.zip for Gradescope (and run inside it)")
    actions = gradescope.add_subparsers(dest="action", required=True, metavar="ACTION")
    build = actions.add_parser("build", help="write OUTPUT/<assignment>/autograder.zip")
    build.add_argument("--assignment", required=True, action="append", choices=sorted(ASSIGNMENT_NAMES),
                       help="the assignment (repeat for several)")
    build.add_argument("--output", default="gradescope", help="the folder to write into (default: gradescope)")
    build.add_argument("--solutions", help="folder of the reference solutions")
    build.set_defaults(func=cmd_gradescope_build)
    run = actions.add_parser("run", help="grade /autograder/submission into /autograder/results/results.json "
                                         "(what run_autograder calls)")
    run.add_argument("--assignment", required=True, choices=sorted(ASSIGNMENT_NAMES))
    run.add_argument("--root", default="/autograder", help="Gradescope's folder (default /autograder)")
    run.add_argument("--lang", default=None, choices=LANGUAGES, help=LANG_HELP)
    run.set_defaults(func=cmd_gradescope_run)
