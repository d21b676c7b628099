"""Self-checks for students: the public checks of an assignment, run on the student's own
files, without the solutions (reference outputs come from the recording shipped with the
assignment, see :mod:`autograder.core.recording`).

In a notebook: ``from autograder.selfcheck import check; check("conv_forward")``.
In a terminal: ``cnn-autograder check`` or ``pytest`` inside the assignment folder.
"""
from __future__ import annotations

import dataclasses
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from autograder.core import recording
from autograder.core.messages import default_lang, plural, render
from autograder.core.results import Report
from autograder.core.rubric import load_rubric
from autograder.grading.runner import grade
from autograder.paths import solutions_dir
from autograder.references import reference
from autograder.registry import ASSIGNMENTS
from autograder.report.text import to_text


class SelfCheckError(ValueError):
    """The folder is not an assignment, or its expected values cannot be found."""


def find_assignment(folder: Path) -> str:
    """The assignment a folder holds: its own name if it is one, else by its student files."""
    folder = Path(folder).resolve()
    if folder.name in ASSIGNMENTS:
        return folder.name
    for name, spec in ASSIGNMENTS.items():
        if all((folder / f).is_file() for f in spec.files if f != "quiz_answers.py"):
            return name
    raise SelfCheckError(f"{folder} holds no assignment: run the check inside an assignment "
                         f"folder ({', '.join(ASSIGNMENTS)}), next to your .py files.")


def expectations(folder: Path, assignment: str) -> dict:
    """module -> a stand-in for the reference: the shipped recording (which also holds the
    known bugs' outputs, for the hints), else the solutions."""
    modules = ASSIGNMENTS[assignment].modules
    shipped = Path(folder) / recording.FILENAME
    if shipped.is_file():
        store = recording.load(shipped)
        return {m: recording.Replay(m, store) for m in modules}
    if (solutions_dir() / assignment).is_dir():
        return {m: reference(assignment, m) for m in modules}
    raise SelfCheckError(f"{shipped} is missing: it holds the expected values of the public "
                         f"checks. Get a fresh copy of the assignment folder.")


def record(assignment: str) -> dict:
    """Run the public checks on the solutions and record every reference call they make, and
    what every known bug outputs on each case they compare (see :mod:`autograder.core.recording`)."""
    spec = ASSIGNMENTS[assignment]
    missing = [m for m in spec.hinted if m not in spec.hints]
    if missing:
        raise SelfCheckError(f"the hint library (autograder/hints) is not importable here, so the "
                             f"recording of {assignment} would name no likely cause: release from "
                             f"the repository or an editable install of it.")
    store: dict = {}
    recorders = {m: recording.Recorder(reference(assignment, m), m, store)
                 for m in ASSIGNMENTS[assignment].modules}
    report = grade(solutions_dir() / assignment, assignment, public=recorders)
    failed = [r.name for r in report.results if not r.passed]
    if failed:
        raise SelfCheckError(f"the solutions fail public checks of {assignment}: {failed}")
    return store


def run(folder: str | Path = ".", function: str | None = None, lang: str | None = None,
        artifacts: str | Path | None = None) -> Report:
    """Grade the public checks of the assignment in ``folder`` (one function's, if given)."""
    folder = Path(folder)
    assignment = find_assignment(folder)
    if function is not None:
        known = {c.function or c.name.split(".")[0] for c in ASSIGNMENTS[assignment].checks()}
        if function not in known:
            raise SelfCheckError(f"{assignment} has no graded function {function!r}; "
                                 f"choose one of {', '.join(sorted(f for f in known if f))}.")
    return grade(folder, assignment, public=expectations(folder, assignment), function=function,
                 lang=lang or default_lang(), artifacts=artifacts)


def public_check_names(folder: str | Path) -> list[str]:
    """The names of the public checks of the assignment in ``folder`` (pytest's ids)."""
    from autograder.grading.runner import public_checks

    return [c.name for c in public_checks(find_assignment(Path(folder)))]


def points_summary(report: Report, ran: Iterable[str] | None = None) -> str:
    """Points per function of the public checks that ran (``ran``: their names; default: all of
    the report), for pytest's terminal summary, in the report's language; when every one of them
    passed, what the graded run adds (:func:`coverage_note`)."""
    from autograder.grading.runner import public_checks

    word = lambda key, **fields: render(key, report.lang, **fields)  # noqa: E731
    total = len(public_checks(report.assignment))
    if ran is not None:
        chosen = set(ran)
        report = dataclasses.replace(report, results=tuple(r for r in report.results if r.name in chosen))
    points = plural("report.points_n", report.lang, report.max_score, points=f"{report.max_score:g}")
    if len(report.results) == total:
        title = word("pytest.summary", assignment=report.assignment, score=f"{report.score:g}", points=points)
    else:
        title = word("pytest.summary_some", assignment=report.assignment, ran=len(report.results),
                     total=total, score=f"{report.score:g}", points=points)
    lines = ["", title]
    for function, results in report.by_function().items():
        score, max_score = sum(r.score for r in results), sum(r.max_score for r in results)
        mark = "" if score == max_score else f"  {word('pytest.see_above')}"
        lines.append(f"  {function:<24} {round(score, 4):>6g} / {max_score:<5g}{mark}".rstrip())
    note = coverage_note(report)
    if note:
        lines += [""] + textwrap.wrap(note, 100)
    return "\n".join(lines) + "\n"


def not_run_here(report: Report) -> list[str]:
    """The graded checks that the public run of ``report`` leaves out, read from the rubric: the
    non-public checks of the functions it covers (and those that need them, like 03's training
    task), in check order."""
    from autograder.grading.runner import public_checks

    ran = {r.name for r in report.results}
    functions = {r.function or r.name.split(".")[0] for r in report.results}
    public = {c.name for c in public_checks(report.assignment)}
    every = ASSIGNMENTS[report.assignment].checks()
    whole = functions == {c.function or c.name.split(".")[0] for c in every if c.name in public}
    return [c.name for c in every
            if c.name not in public and c.name not in ran
            and (whole or (c.function or c.name.split(".")[0]) in functions or set(c.requires) & ran)]


def coverage_note(report: Report) -> str:
    """When every check of ``report`` passed: that they passed, what the graded run adds that
    did not run here (named from the rubric, with its reason in English), and that it repeats
    every check on other inputs. Empty while something fails."""
    from autograder.grading.runner import public_checks

    if not report.results or any(not r.passed for r in report.results):
        return ""
    ran = [r.name for r in report.results]
    functions = list(report.by_function())
    public = public_checks(report.assignment)
    if set(ran) == {c.name for c in public}:
        sentences = [render("report.all_public_pass", report.lang)]
    elif set(ran) == {c.name for c in public if (c.function or c.name.split(".")[0]) in functions}:
        sentences = [render("report.function_public_pass", report.lang, functions=", ".join(functions))]
    else:
        sentences = [plural("report.selected_public_pass", report.lang, len(ran))]
    left_out = not_run_here(report)
    if left_out:
        if report.lang == "en":         # the rubric's reasons are English
            why = load_rubric(report.assignment).points
            left_out = [f"{name} ({why[name].why})" for name in left_out]
        sentences.append(plural("report.not_run_here", report.lang, len(left_out), names=", ".join(left_out)))
    sentences.append(render("report.other_inputs", report.lang))
    return " ".join(sentences)


@dataclass(frozen=True)
class SelfCheck:
    """What a notebook's self-check cell gives back (and prints)."""

    report: Report

    @property
    def score(self) -> float:
        return self.report.score

    @property
    def max_score(self) -> float:
        return self.report.max_score

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.report.results)

    def __repr__(self) -> str:
        return render("report.selfcheck", self.report.lang, score=f"{self.score:g}",
                      max_score=f"{self.max_score:g}")


def check(function: str | None = None, folder: str | Path = ".", lang: str | None = None) -> SelfCheck:
    """Run the public checks (of one function) and print what passed and what to fix, in
    ``lang`` (default: ``$CNN_AUTOGRADER_LANG``, else English)."""
    lang = lang or default_lang()
    result = SelfCheck(run(folder, function, lang))
    text = to_text(result.report)
    note = coverage_note(result.report)
    if note:
        text += "\n" + "\n".join(textwrap.wrap(note, 100)) + "\n"
    sys.stdout.write(text)
    return result
