"""``nbgrader generate_assignment``: refuse to release anything but the student release's files.

nbgrader copies every non-notebook file of ``source/<assignment>/`` to students verbatim. For a
cnn-autograder assignment each such file must be byte for byte the one of the student release
(``cnn-autograder release``, which tests keep free of solution code): a solution module dropped
into ``source/`` stops the generation of that assignment, and nbgrader removes what it had
copied to ``release/``.
"""
from __future__ import annotations

import os
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import find_all_files

from autograder.nbgrader.options import CnnAutograder, course_root, source_folder
from autograder.paths import assignments_dir
from autograder.registry import ASSIGNMENTS


class SourceLeak(RuntimeError):
    """A file of source/ is not the release's: nbgrader would hand it to students."""


class GuardSource(NbGraderPreprocessor):
    """First step of ``generate_assignment`` for cnn-autograder assignments."""

    def preprocess(self, nb, resources):
        assignment = resources["nbgrader"]["assignment"]
        if assignment not in ASSIGNMENTS:
            return nb, resources
        from nbgrader.coursedir import CourseDirectory

        coursedir = CourseDirectory(config=self.config)
        source = source_folder(self.config, assignment)
        options = CnnAutograder(config=self.config)
        release = Path(options.release or assignments_dir()) / assignment
        problems = leaks(source, release, coursedir.ignore)
        if problems:
            raise SourceLeak(f"generate_assignment refused {assignment}: {'; '.join(problems)}. "
                             f"nbgrader copies these files to every student; run `cnn-autograder "
                             f"nbgrader setup {course_root(self.config)} --assignments {assignment}` "
                             f"to restore the release's files, and keep other files out of source/.")
        return nb, resources


def leaks(source: Path, release: Path, ignore: list[str]) -> list[str]:
    """Why the files nbgrader would copy from ``source`` are not exactly ``release``'s."""
    problems = []
    for name in sorted(find_all_files(str(source), list(ignore) + ["*.ipynb"])):
        relative = os.path.relpath(name, source)
        ours = release / relative
        if os.path.islink(name):
            problems.append(f"{relative} is a link")
        elif not ours.is_file():
            problems.append(f"{relative} is not a file of the student release ({release})")
        elif Path(name).read_bytes() != ours.read_bytes():
            problems.append(f"{relative} differs from the student release's {ours}")
    return problems
