"""The course-wide options of cnn-autograder's nbgrader steps (``c.CnnAutograder.*``)."""
from __future__ import annotations

import os
from pathlib import Path

from traitlets import Bool, Unicode
from traitlets.config import LoggingConfigurable

from autograder.core.messages import LANGUAGES


class CnnAutograder(LoggingConfigurable):
    """Written by ``cnn-autograder nbgrader setup`` into ``nbgrader_config.py``."""

    lang = Unicode("en", help=f"language of the feedback: {', '.join(LANGUAGES)}").tag(config=True)
    bind_quiz_to_student_id = Bool(
        False, help="grade 01's quiz for the nbgrader student id (a quiz answered for another "
                    "STUDENT_ID scores 0), as `cnn-autograder grade --student-id`").tag(config=True)
    solutions = Unicode(
        "", help="folder of the reference solutions (default: $CNN_AUTOGRADER_SOLUTIONS or the "
                 "kit's solutions/)").tag(config=True)
    release = Unicode(
        "", help="the student release the source folders must match (default: the kit's "
                 "assignments/)").tag(config=True)

    @property
    def solutions_or_none(self) -> str | None:
        return self.solutions or None

    @property
    def language(self) -> str:
        return self.lang if self.lang in LANGUAGES else "en"


def course_root(config) -> str:
    """The course directory nbgrader works in (``CourseDirectory.root``, else the current
    folder, where nbgrader's converters run)."""
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=config).root or os.getcwd()


def source_folder(config, assignment: str) -> Path:
    """``source/<assignment>/`` of the course nbgrader works in."""
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    return Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
