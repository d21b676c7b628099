"""The ``cnn-autograder`` command line: a thin layer over the library.

Only reports go to stdout; logs and errors go to stderr. ``grade`` exits 0 whenever grading
completed, whatever the score, and 2 when the grader could not run (bad arguments, unknown
assignment, unreadable submission), with a message saying what to fix.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder import __version__


LANG_HELP = ("language of the messages: en, pt (português) or es (español); default: "
             "$CNN_AUTOGRADER_LANG, else en")


def _error(message: str) -> int:
    print(f"cnn-autograder: error: {message}", file=sys.stderr)
    return 2


def _cmd_verify_data(args: argparse.Namespace) -> int:
    from autograder.datasets import DatasetError, load_mnist

    try:
        data = load_mnist(args.folder)
    except DatasetError as exc:
        return _error(str(exc))
    print(f"MNIST verified: {len(data.train.labels)} training and {len(data.test.labels)} test images.")
    return 0


def _cmd_grade(args: argparse.Namespace) -> int:
    from autograder.registry import ASSIGNMENTS
    from autograder.grading.rubric import RubricError
    from autograder.grading.runner import GraderSetupError, grade
    from autograder.grading.submission import SubmissionError
    from autograder.report import FORMATS

    if args.assignment not in ASSIGNMENTS:
        return _error(f"unknown assignment {args.assignment!r}: choose one of "
                      f"{', '.join(sorted(ASSIGNMENTS))} (--assignment takes the folder name).")
    try:
        report = grade(args.submission, args.assignment, solutions=args.solutions,
                       lang=args.lang, progress=args.progress, only=args.only,
                       artifacts=args.artifacts, student_id=args.student_id)
    except (SubmissionError, RubricError, FileNotFoundError, GraderSetupError) as exc:
        return _error(str(exc))
    text = FORMATS[args.format](report)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            return _error(f"cannot write --output {args.output}: {exc.strerror}")
    else:
        sys.stdout.write(text)
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    """The public checks of the assignment in a folder, as a student runs them."""
    from autograder.grading.runner import GraderSetupError
    from autograder.grading.submission import SubmissionError
    from autograder.selfcheck import SelfCheckError, run
    from autograder.report import FORMATS

    try:
        report = run(args.folder, args.function, args.lang, artifacts=args.artifacts)
    except (SelfCheckError, SubmissionError, ValueError, GraderSetupError) as exc:
        return _error(str(exc))
    sys.stdout.write(FORMATS[args.format](report))
    return 0


def _cmd_release(args: argparse.Namespace) -> int:
    from autograder.paths import assignments_dir, solutions_dir
    from autograder.release import ReleaseError, release

    try:
        written = release(solutions_dir(args.solutions), assignments_dir())
    except (ReleaseError, SyntaxError, OSError) as exc:
        return _error(str(exc))
    print(f"wrote {len(written)} files under {assignments_dir()}", file=sys.stderr)
    return 0


def _cmd_example(args: argparse.Namespace) -> int:
    """Grade the bundled example submission (three realistic mistakes) and print the report.

    The example lives in the repository's tests/, not in the installed package: it is mostly
    working code, which the package that students install must not carry.
    """
    from autograder.paths import REPO_ROOT

    example = REPO_ROOT / "tests" / "example_submission" / "02_cnn_layers"
    if not example.is_dir():
        return _error(f"the example submission is not here ({example}); it ships with the "
                      f"cnn-autograder repository, not with the installed package.")
    args.submission, args.assignment = str(example), "02_cnn_layers"
    return _cmd_grade(args)


def build_parser() -> argparse.ArgumentParser:
    from autograder.grading.messages import LANGUAGES

    parser = argparse.ArgumentParser(prog="cnn-autograder",
                                     description="Auto-graded course kit for convolutional neural networks.")
    parser.add_argument("--version", action="version", version=f"cnn-autograder {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    grade = sub.add_parser("grade", help="grade one submission (a folder or a .zip)")
    grade.add_argument("submission", help="the folder holding the student files, or a .zip of it")
    grade.add_argument("--assignment", required=True, help="the assignment folder name, e.g. 02_cnn_layers")
    grade.add_argument("--format", choices=("text", "json", "gradescope", "markdown"), default="text")
    grade.add_argument("--output", help="write the report to this file instead of stdout")
    grade.add_argument("--solutions", help="folder of the reference solutions "
                                           "(default: $CNN_AUTOGRADER_SOLUTIONS or the kit's solutions/)")
    grade.add_argument("--lang", default=None, choices=LANGUAGES, help=LANG_HELP)
    grade.add_argument("--only", help="run only the checks whose name contains this text")
    grade.add_argument("--student-id", help="the student's id on the roster: the 01 quiz must have "
                                            "been answered for it")
    grade.add_argument("--artifacts", help="draw pictures of wrong outputs (and the training "
                                           "curve) into this folder")
    grade.add_argument("--progress", action=argparse.BooleanOptionalAction, default=sys.stderr.isatty(),
                       help="show a progress bar on stderr")
    grade.set_defaults(func=_cmd_grade)

    check = sub.add_parser("check", help="run the public checks on your files (no solutions needed)")
    check.add_argument("folder", nargs="?", default=".", help="your assignment folder (default: here)")
    check.add_argument("--function", help="only this function's checks, e.g. conv_forward")
    check.add_argument("--format", choices=("text", "json", "gradescope", "markdown"), default="text")
    check.add_argument("--lang", default=None, choices=LANGUAGES, help=LANG_HELP)
    check.add_argument("--artifacts", help="draw pictures of wrong outputs into this folder")
    check.set_defaults(func=_cmd_check)

    example = sub.add_parser("example", help="grade the bundled example submission of 02_cnn_layers")
    example.add_argument("--format", choices=("text", "json", "gradescope", "markdown"), default="text")
    example.add_argument("--lang", default=None, choices=LANGUAGES, help=LANG_HELP)
    example.add_argument("--artifacts", help="draw pictures of wrong outputs into this folder")
    example.set_defaults(func=_cmd_example, output=None, solutions=None, only=None, progress=False,
                         student_id=None)

    rel = sub.add_parser("release", help="regenerate assignments/ (student stubs) from solutions/")
    rel.add_argument("--solutions", help="folder of the reference solutions (default: the kit's)")
    rel.set_defaults(func=_cmd_release)

    verify = sub.add_parser("verify-data", help="verify the vendored MNIST files against SHA256SUMS")
    verify.add_argument("folder", nargs="?", default=None, help="a folder holding MNIST (default: the kit's)")
    verify.set_defaults(func=_cmd_verify_data)
    return parser


def main(argv: list[str] | None = None) -> int:
    from autograder.grading.messages import default_lang

    args = build_parser().parse_args(argv)
    if getattr(args, "lang", "") is None:
        try:
            args.lang = default_lang()
        except ValueError as exc:
            return _error(str(exc))
    return args.func(args)
