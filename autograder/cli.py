"""The ``cnn-autograder`` command line: a thin layer over the library.

Only reports go to stdout; logs and errors go to stderr. ``grade`` exits 0 whenever grading
completed, whatever the score, and 2 when the grader could not run (bad arguments, unknown
assignment, unreadable submission), with a message saying what to fix.
"""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path

from autograder import __version__

LANG_HELP = ("language of the messages: en, pt (português) or es (español); default: "
             "$CNN_AUTOGRADER_LANG, else en")


def _error(message: str) -> int:
    print(f"cnn-autograder: error: {message}", file=sys.stderr)
    return 2


def _check_artifacts(value: str | None) -> str | None:
    """Why ``--artifacts`` cannot be used, or None. It is a folder, created when needed."""
    if value is None:
        return None
    path = Path(value)
    if not value.strip():
        return "--artifacts is empty: give a folder to draw the pictures into, e.g. --artifacts pictures."
    if path.exists() and not path.is_dir():
        return (f"--artifacts {value} is a file, not a folder: give a folder to draw the pictures "
                f"into (it is created if missing), e.g. --artifacts {path.with_suffix('')}_pictures.")
    existing = next((p for p in [path, *path.absolute().parents] if p.exists()), None)
    if existing is not None and not existing.is_dir():
        return f"--artifacts {value}: {existing} is a file, so no folder can be made under it."
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        return f"--artifacts {value}: {existing} is not writable; choose a folder you can write to."
    return None


def _check_output(value: str | None) -> str | None:
    """Why ``--output`` cannot be written, checked before grading, or None."""
    if value is None:
        return None
    path = Path(value)
    if not value.strip():
        return "--output is empty: give a file name, e.g. --output report.json, or leave it out for stdout."
    if path.is_dir():
        return f"--output {value} is a folder: give a file name in it, e.g. --output {path / 'report.txt'}."
    parent = path.absolute().parent
    if not parent.is_dir():
        what = "is a file" if parent.exists() else "does not exist"
        return (f"--output {value}: the folder {parent} {what}; create the folder first, or choose "
                f"another path.")
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"--output {value} cannot be written here (permission denied); choose another path."
    return None


def _check_only(value: str | None, assignment: str) -> str | None:
    """Why ``--only`` selects nothing, or None."""
    if value is None:
        return None
    from autograder.registry import ASSIGNMENTS

    names = [c.name for c in ASSIGNMENTS[assignment].checks()]
    if not value.strip():
        return (f"--only is empty: give part of a check's name, e.g. --only {names[0].split('.')[0]}, "
                f"or leave it out.")
    if not any(value in name for name in names):
        groups = sorted({n.split(".")[0] for n in names}, key=[n.split(".")[0] for n in names].index)
        return (f"--only {value!r} matches no check of {assignment}: it keeps the checks whose name "
                f"contains it, and the names are <function>.<case>, e.g. {names[0]}; the groups are "
                f"{', '.join(groups)}.")
    return None


def _cmd_verify_data(args: argparse.Namespace) -> int:
    from autograder.datasets import DatasetError, load_mnist

    try:
        data = load_mnist(args.folder)
    except DatasetError as exc:
        return _error(str(exc))
    print(f"MNIST verified: {len(data.train.labels)} training and {len(data.test.labels)} test images.")
    return 0


def _cmd_grade(args: argparse.Namespace) -> int:
    from autograder.core.rubric import RubricError
    from autograder.grading.runner import GraderSetupError, grade
    from autograder.grading.submission import SubmissionError
    from autograder.registry import ASSIGNMENTS
    from autograder.report import FORMATS

    if args.assignment not in ASSIGNMENTS:
        return _error(f"unknown assignment {args.assignment!r}: choose one of "
                      f"{', '.join(sorted(ASSIGNMENTS))} (--assignment takes the folder name).")
    if args.student_id is not None and not args.student_id.strip():
        return _error("--student-id is empty: give the student's id on the roster (the STUDENT_ID "
                      "their quiz was generated for), or leave the option out.")
    problem = (_check_only(args.only, args.assignment) or _check_output(args.output)
               or _check_artifacts(args.artifacts))
    if problem:
        return _error(problem)
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
    from autograder.report import FORMATS
    from autograder.selfcheck import SelfCheckError, coverage_note, run

    folder = Path(args.folder)
    if not folder.exists():
        return _error(f"{args.folder} does not exist: give your assignment folder (the one holding "
                      f"your .py files), or run the command inside it.")
    if not folder.is_dir():
        return _error(f"{args.folder} is a file: give the assignment folder that holds it "
                      f"({folder.absolute().parent}), or run the command inside it.")
    if args.function is not None and not args.function.strip():
        return _error("--function is empty: give a function name, e.g. --function conv_forward, or "
                      "leave it out to run every public check.")
    problem = _check_artifacts(args.artifacts)
    if problem:
        return _error(problem)
    try:
        report = run(args.folder, args.function, args.lang, artifacts=args.artifacts)
    except (SelfCheckError, SubmissionError, ValueError, GraderSetupError) as exc:
        return _error(str(exc))
    text = FORMATS[args.format](report)
    note = coverage_note(report) if args.format in ("text", "markdown") else ""
    if note:
        text += "\n" + ("\n".join(textwrap.wrap(note, 100)) if args.format == "text" else note) + "\n"
    sys.stdout.write(text)
    return 0


def _cmd_release(args: argparse.Namespace) -> int:
    """Build the student release in a temporary folder, then swap it in: on any failure the
    previous release is left as it was."""
    from autograder.core.rubric import RubricError
    from autograder.grading.runner import GraderSetupError
    from autograder.paths import solutions_dir
    from autograder.release import ReleaseError, release
    from autograder.selfcheck import SelfCheckError

    solutions = solutions_dir(args.solutions)
    output = Path(args.output).resolve() if args.output else solutions.parent / "assignments"
    try:
        written = release(solutions, output)
    except (ReleaseError, SelfCheckError, RubricError, GraderSetupError, SyntaxError) as exc:
        return _error(str(exc))
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        return _error(f"release could not write {output}: {exc.strerror or exc}{where}. The previous "
                      f"release there, if any, is unchanged.")
    except ImportError as exc:
        return _error(f"release needs {exc.name or exc}, which cannot be imported here ({exc}): install "
                      f"it (pip install \"cnn-autograder[tf]\" for TensorFlow), then release again. "
                      f"The previous release, if any, is unchanged.")
    print(f"wrote {len(written)} files under {output}", file=sys.stderr)
    return 0


def _cmd_example(args: argparse.Namespace) -> int:
    """Grade the bundled example submission (assignment 02's reference with three realistic
    mistakes, built from the solutions: :mod:`autograder.example`) and print the report."""
    import tempfile

    from autograder.example import ASSIGNMENT, ExampleError, build_example

    with tempfile.TemporaryDirectory(prefix="cnn-autograder-example-") as scratch:
        try:
            example = build_example(Path(scratch) / "example_submission", args.solutions)
        except ExampleError as exc:
            return _error(str(exc))
        args.submission, args.assignment = str(example), ASSIGNMENT
        return _cmd_grade(args)


def build_parser() -> argparse.ArgumentParser:
    from autograder.core.messages import LANGUAGES

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
    rel.add_argument("--solutions", help="folder of the reference solutions (default: "
                                         "$CNN_AUTOGRADER_SOLUTIONS or the kit's solutions/)")
    rel.add_argument("--output", help="the folder to write the release into (default: assignments/ "
                                      "next to the solutions folder); replaced only once all is built")
    rel.set_defaults(func=_cmd_release)

    verify = sub.add_parser("verify-data", help="verify the vendored MNIST files against SHA256SUMS")
    verify.add_argument("folder", nargs="?", default=None, help="a folder holding MNIST (default: the kit's)")
    verify.set_defaults(func=_cmd_verify_data)

    from autograder.batch.cli import add_parsers as add_batch_parsers  # batch, merge, gradescope
    add_batch_parsers(sub)
    from autograder.nbgrader.cli import add_subcommand as add_nbgrader_parser  # nbgrader setup
    add_nbgrader_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from autograder.core.messages import default_lang

    args = build_parser().parse_args(argv)
    if getattr(args, "lang", "") is None:
        try:
            args.lang = default_lang()
        except ValueError as exc:
            return _error(str(exc))
    return args.func(args)
