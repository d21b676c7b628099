"""Rubrics: points, tolerances and limits per assignment, read from ``autograder/rubrics``.

A rubric is declarative TOML so an instructor can re-weight checks without touching code; it
is validated against the check table: every check has points, every point has a check, and
the total is 100.
"""
from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.core.compare import Tolerance

RUBRICS = Path(__file__).resolve().parent.parent / "rubrics"


class RubricError(ValueError):
    """A rubric does not match its check table, or is malformed."""


@dataclass(frozen=True)
class Item:
    points: float
    why: str


@dataclass(frozen=True)
class Rubric:
    assignment: str
    points: dict[str, Item]
    tolerances: dict[str, Tolerance]
    call_timeout: float
    import_timeout: float
    memory_bytes: int
    extra: dict[str, Any]

    @property
    def total(self) -> float:
        return round(sum(i.points for i in self.points.values()), 6)


def parse_rubric(text: str, source: str = "<rubric>") -> Rubric:
    """Parse rubric TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(f"{source} is not valid TOML: {exc}") from None
    try:
        points = {name: Item(float(v["points"]), str(v["why"])) for name, v in data["points"].items()}
        tolerances = {k: Tolerance(float(v["rtol"]), float(v["floor"])) for k, v in data["tolerance"].items()}
        limits = data["limits"]
        return Rubric(str(data["assignment"]), points, tolerances, float(limits["call_timeout_s"]),
                      float(limits["import_timeout_s"]), int(limits["memory_mb"]) << 20,
                      {k: v for k, v in data.items() if k not in ("assignment", "points", "tolerance", "limits")})
    except (KeyError, TypeError, ValueError) as exc:
        raise RubricError(f"{source}: missing or malformed entry {exc}") from None


def load_rubric(assignment: str, folder: Path | None = None) -> Rubric:
    """The rubric of ``assignment`` (``02_cnn_layers``), from ``folder`` (by default
    :data:`RUBRICS`, looked up when called)."""
    path = (folder if folder is not None else RUBRICS) / f"{assignment}.toml"
    if not path.is_file():
        raise RubricError(f"no rubric for assignment {assignment!r} (expected {path})")
    return parse_rubric(path.read_text(encoding="utf-8"), str(path))


def validate(rubric: Rubric, check_names: Sequence[str]) -> None:
    """Raise RubricError unless the rubric and the check table name the same checks, total 100."""
    names = list(check_names)
    missing = [n for n in names if n not in rubric.points]
    unknown = [n for n in rubric.points if n not in names]
    if missing or unknown:
        raise RubricError(f"rubric {rubric.assignment}: checks without points {missing}, "
                          f"points without checks {unknown}")
    if abs(rubric.total - 100) > 1e-6:
        raise RubricError(f"rubric {rubric.assignment}: points add up to {rubric.total}, not 100")
