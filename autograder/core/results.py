"""Typed results of grading. Reporters are pure functions of a :class:`Report`."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

Status = Literal["passed", "failed", "gated", "blocked", "error"]
"""What became of a check:

- ``passed``: it earned its points;
- ``failed``: the student's code answered wrongly (or, on a graded scale such as a model's
  accuracy, earned part of the points: ``score`` says how much);
- ``gated``: not run, because a check it requires (of the same function) did not pass;
- ``blocked``: not run, because its module could not be graded at all (the file is missing,
  imports a banned package, or fails to import);
- ``error``: the grader itself failed on it; it scores 0 (fails closed) and says so.

Gradescope knows only passed and failed: :attr:`CheckResult.passed` is the one question
reporters in that format ask.
"""
STATUSES: tuple[str, ...] = get_args(Status)
Visibility = Literal["visible", "hidden", "after_due_date", "after_published"]


@dataclass(frozen=True)
class CheckResult:
    """One sub-check of one student function (or one quiz question)."""

    name: str                       # "conv_backward.stride"
    function: str | None            # the student function graded, None for a quiz question
    module: str                     # "layers"
    score: float
    max_score: float
    status: Status
    message: str                    # what a student reads; empty when passed
    description: str = ""           # what the check verifies, one line
    hints: tuple[str, ...] = ()     # keys of the known-bug hints that matched
    visibility: Visibility = "visible"
    elapsed: float = 0.0

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"check {self.name}: status {self.status!r} is not one of {', '.join(STATUSES)}")

    @property
    def passed(self) -> bool:
        """Whether the check earned its points (every other status lost them, wholly or partly)."""
        return self.status == "passed"


@dataclass(frozen=True)
class Report:
    """The grade of one submission of one assignment."""

    assignment: str
    submission: str
    results: tuple[CheckResult, ...]
    notes: tuple[str, ...] = ()      # messages about the whole submission (missing files...)
    execution_time: float = 0.0
    isolation: str = "full"
    meta: dict[str, Any] = field(default_factory=dict)
    lang: str = "en"                 # the language of the messages (and of the reports' words)

    @property
    def score(self) -> float:
        return round(sum(r.score for r in self.results), 6)

    @property
    def max_score(self) -> float:
        return round(sum(r.max_score for r in self.results), 6)

    def by_function(self) -> dict[str, list[CheckResult]]:
        """Results grouped by student function, in order; checks of no single function (quiz
        questions ``quiz.q1``, the training task ``train.mnist``) by their name's prefix."""
        groups: dict[str, list[CheckResult]] = {}
        for result in self.results:
            groups.setdefault(result.function or result.name.split(".")[0], []).append(result)
        return groups
