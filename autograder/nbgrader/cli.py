"""``cnn-autograder nbgrader setup COURSE_DIR --assignments NAME...``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.registry import ASSIGNMENTS

NEXT_STEPS = """\
Next, in {course}:
  nbgrader generate_assignment {first}      # the student version, in release/
  (students' submissions go to submitted/<student>/{first}/, e.g. by nbgrader collect)
  nbgrader autograde {first}                # grades as root for full isolation
  nbgrader generate_feedback {first}        # HTML per student, in feedback/
  nbgrader export                           # grades.csv, one row per student and assignment
"""


def add_subcommand(sub) -> None:
    """Register ``nbgrader`` (with its ``setup``) on the CLI's sub-command parsers."""
    from autograder.core.messages import LANGUAGES

    parser = sub.add_parser("nbgrader", help="set up an nbgrader course graded by cnn-autograder")
    commands = parser.add_subparsers(dest="nbgrader_command", required=True, metavar="COMMAND")
    setup = commands.add_parser(
        "setup", help="create or update an nbgrader course directory for some assignments",
        description="Write source/<assignment>/ (the stub modules and the notebook, with one test "
                    "cell per graded function) and cnn-autograder's block of nbgrader_config.py "
                    "into COURSE_DIR. Run it again after `cnn-autograder release` or to change "
                    "an option; the rest of nbgrader_config.py is kept.")
    setup.add_argument("course", metavar="COURSE_DIR", help="the nbgrader course directory (created if missing)")
    setup.add_argument("--assignments", nargs="+", required=True, choices=ASSIGNMENTS, metavar="NAME",
                       help=f"assignments to set up: {', '.join(ASSIGNMENTS)}")
    setup.add_argument("--cell-timeout", type=int, default=120,
                       help="seconds one notebook cell may run during autograde (default 120)")
    setup.add_argument("--notebook-timeout", type=int, default=1800,
                       help="seconds a whole notebook may run during autograde (default 1800)")
    setup.add_argument("--lang", choices=LANGUAGES, default=None,
                       help="language of the feedback (default: $CNN_AUTOGRADER_LANG, else en)")
    setup.add_argument("--bind-quiz", action="store_true",
                       help="grade 01's quiz for the nbgrader student id (as grade --student-id)")
    setup.add_argument("--solutions", help="folder of the reference solutions (default: "
                                           "$CNN_AUTOGRADER_SOLUTIONS or the kit's solutions/)")
    setup.add_argument("--release", help="the student release to copy from (default: the kit's assignments/)")
    setup.set_defaults(func=run_setup)


def run_setup(args: argparse.Namespace) -> int:
    from autograder.nbgrader.course import CourseError, Settings, setup

    for name, value in (("--cell-timeout", args.cell_timeout), ("--notebook-timeout", args.notebook_timeout)):
        if value < 1:
            return _error(f"{name} {value}: give a number of seconds, at least 1.")
    course = Path(args.course)
    if course.exists() and not course.is_dir():
        return _error(f"{args.course} is a file: give a folder for the course (created if missing).")
    settings = Settings(tuple(dict.fromkeys(args.assignments)), args.cell_timeout, args.notebook_timeout,
                        args.lang or "en", args.bind_quiz, args.solutions, args.release)
    try:
        written = setup(course.resolve(), settings)
    except CourseError as exc:
        return _error(str(exc))
    except OSError as exc:
        return _error(f"cannot write the course directory {args.course}: {exc.strerror or exc} "
                      f"({exc.filename}).")
    print(f"wrote {len(written)} files under {course.resolve()}", file=sys.stderr)
    print(NEXT_STEPS.format(course=course.resolve(), first=settings.assignments[0]), file=sys.stderr)
    return 0


def _error(message: str) -> int:
    print(f"cnn-autograder: error: {message}", file=sys.stderr)
    return 2
