"""``pytest`` in an assignment folder: the public checks as tests, with short feedback.

The ``conftest.py`` and ``test_public.py`` that ``cnn-autograder release`` writes into every
assignment folder only import from here. One test per public check, its id the check's name (so
``pytest -k conv_forward`` runs that function's checks). What a student reads:

- a failed check is one short block: its message, with no traceback, report or assertion;
- a check that fails only because another selected check failed (a property that counts only
  with correct values, or the same message, such as a stub's ``NotImplementedError``) gets no
  block of its own: the first one's block names it, and pytest counts it as "same cause";
- the points per function come last (pytest's one-line-per-failure list is left out: the
  points say the same), covering only the checks that ran, in ``$CNN_AUTOGRADER_LANG``; when
  all of them pass, what the graded run adds.
"""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from autograder.core.messages import default_lang, plural, render
from autograder.core.results import Report
from autograder.registry import ASSIGNMENTS

TEST_NAME = "test_public_check"


def check_names(folder: str | Path) -> list[str]:
    """The public checks of the assignment in ``folder``: the tests' parameters."""
    from autograder.selfcheck import public_check_names

    return public_check_names(folder)


def causes(report: Report, selected: list[str]) -> dict[str, str]:
    """Failed check -> the selected failed check it fails because of, for the checks that need
    no block of their own: one gated on the values of a failed check (``requires``), or one
    failing with the same message as an earlier one. Roots are not keys."""
    results = {r.name: r for r in report.results}
    requires = {c.name: c.requires for c in ASSIGNMENTS[report.assignment].checks()}
    failed = [n for n in selected if n in results and not results[n].passed]
    first_with: dict[str, str] = {}
    found: dict[str, str] = {}
    for name in failed:
        gate = next((r for r in requires.get(name, ()) if r in failed), None)
        same = first_with.setdefault(results[name].message, name)
        if gate is not None:
            found[name] = gate
        elif same != name:
            found[name] = same
    return {name: _root(name, found) for name in found}


def short_names(names: list[str]) -> str:
    """Check names, those of one function together: ``conv_forward (grid, rect), relu.zeros``."""
    cases: dict[str, list[str]] = {}
    for name in names:
        function, _, case = name.partition(".")
        cases.setdefault(function, []).append(case)
    return ", ".join(f"{f}.{c[0]}" if len(c) == 1 else f"{f} ({', '.join(c)})" for f, c in cases.items())


def _root(name: str, found: dict[str, str]) -> str:
    seen = {name}
    while name in found and found[name] not in seen:
        name = found[name]
        seen.add(name)
    return name


class PublicChecks:
    """The public checks of one assignment folder, run once for the tests pytest selected."""

    def __init__(self, folder: Path, selected: list[str], width: int = 100):
        from autograder.grading.runner import GraderSetupError
        from autograder.grading.submission import SubmissionError
        from autograder.selfcheck import SelfCheckError, run

        self.folder, self.selected, self.width = folder, selected, width
        self.lang = default_lang()
        self.ran: list[str] = []
        self.error = ""
        functions = {name.split(".")[0] for name in selected}
        known = {c.function for c in ASSIGNMENTS[_assignment(folder)].checks() if c.function}
        only = next(iter(functions)) if len(functions) == 1 and functions <= known else None
        try:
            self.report: Report | None = run(folder, only, self.lang)
        except (SelfCheckError, SubmissionError, GraderSetupError) as exc:   # the checks cannot run
            self.error, self.report, self.results = str(exc), None, {}
            self.causes = {name: selected[0] for name in selected[1:]}
            return
        self.results = {r.name: r for r in self.report.results}
        self.causes = causes(self.report, selected)

    def verdict(self, name: str) -> None:
        """Pass, or fail with the check's block (no traceback)."""
        self.ran.append(name)
        if self.error:
            pytest.fail(textwrap.fill(self.error, self.width) if name not in self.causes else
                        render("pytest.same_as", self.lang, cause=self.causes[name]), pytrace=False)
        result = self.results[name]
        if result.passed:
            return
        if name in self.causes:
            pytest.fail(render("pytest.same_as", self.lang, cause=self.causes[name]), pytrace=False)
        text = textwrap.fill(result.message, self.width, break_long_words=False, break_on_hyphens=False)
        followers = [n for n in self.selected if self.causes.get(n) == name]
        if followers:
            text += "\n" + textwrap.fill(plural("pytest.also_failed", self.lang, len(followers),
                                                names=short_names(followers)), self.width)
        pytest.fail(text, pytrace=False)

    def summary(self) -> str:
        from autograder.selfcheck import points_summary

        return "" if self.report is None else points_summary(self.report, self.ran)


def _assignment(folder: Path) -> str:
    from autograder.selfcheck import find_assignment

    return find_assignment(folder)


_KEY = pytest.StashKey[PublicChecks]()


def _name(nodeid: str) -> str | None:
    """The check a test id names (``test_public.py::test_public_check[conv_forward.basic]``)."""
    _, _, param = nodeid.partition(f"::{TEST_NAME}[")
    return param[:-1] if param.endswith("]") else None


@pytest.fixture
def public_checks(request) -> PublicChecks:
    """The run of the selected public checks, shared by the tests of one pytest session."""
    config = request.config
    if _KEY not in config.stash:
        folder = Path(request.path).resolve().parent
        selected = [name for item in request.session.items
                    if Path(item.path).resolve().parent == folder and (name := _name(item.nodeid))]
        try:
            width = min(100, config.get_terminal_writer().fullwidth - 4)
        except Exception:  # noqa: BLE001 - a plain width is fine
            width = min(100, shutil.get_terminal_size().columns - 4)
        config.stash[_KEY] = PublicChecks(folder, selected, max(width, 60))
    return config.stash[_KEY]


def pytest_report_teststatus(report, config):
    """A check that failed because of another one: counted as "same cause", with no block."""
    checks = config.stash.get(_KEY, None)
    if checks is None or report.when != "call" or not report.failed:
        return None
    name = _name(report.nodeid)
    if name in checks.causes:
        word = render("pytest.same_cause", checks.lang)
        return word, "f", (word.upper(), {"yellow": True})
    return None


def pytest_terminal_summary(terminalreporter, config):
    """The points of the checks that ran, last; pytest's list of failed test ids left out."""
    checks = config.stash.get(_KEY, None)
    if checks is None:
        return
    if hasattr(terminalreporter, "reportchars"):      # the short summary would repeat every id
        terminalreporter.reportchars = terminalreporter.reportchars.replace("f", "")
    terminalreporter.write(checks.summary())
