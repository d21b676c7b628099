"""What cnn-autograder's autograde steps hand each other, typed, under one resources key each.

:class:`TrustedGrade` (from :class:`~autograder.nbgrader.trusted.GradeModules`) and
:class:`ExecutionLog` (from :class:`~autograder.nbgrader.execute.ConfinedExecute`) travel in
nbconvert's ``resources`` dict of one notebook's autograde pass, which no notebook code can
reach; :class:`~autograder.nbgrader.trusted.WriteTrustedResults` reads both.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from autograder.core.results import Report

TRUSTED = "cnn_autograder_trusted"
EXECUTION = "cnn_autograder_execution"

Event = Literal["kernel_died", "cell_timeout", "notebook_timeout", "output_cut", "not_run"]


@dataclass(frozen=True)
class NotebookFinding:
    """Something wrong with the submitted notebook's test cells."""

    kind: Literal["missing", "duplicated", "changed", "unreadable"]
    group: str = ""
    count: int = 0
    detail: str = ""


@dataclass(frozen=True)
class TrustedGrade:
    """The grade of the submitted modules, taken before any notebook code ran."""

    assignment: str
    report: Report | None                 # None: the submission could not be read at all
    files: tuple[tuple[str, str], ...]    # (name, sha256) of each graded file
    findings: tuple[NotebookFinding, ...] = ()
    why_not: str = ""                     # why report is None


@dataclass(frozen=True)
class ExecutionEvent:
    """What happened while the notebook ran: where (a code cell, 1-based), and what."""

    kind: Event
    code_cell: int = 0
    excerpt: str = ""
    limit: float = 0.0
    detail: str = ""


@dataclass
class ExecutionLog:
    """The events of one notebook's execution, in order."""

    events: list[ExecutionEvent] = field(default_factory=list)
    confined: bool = False
