"""The terminal report: a table of points per function, then the messages of what failed."""
from __future__ import annotations

import textwrap

from autograder.core.messages import plural, render
from autograder.core.results import CheckResult, Report


def _fmt(x: float) -> str:
    return f"{x:g}"


def to_text(report: Report, width: int = 100) -> str:
    """A readable table: function, points, checks passed; then one paragraph per failure."""
    def word(key: str, **fields: object) -> str:
        return render(f"report.{key}", report.lang, **fields)

    groups = report.by_function()
    name_w = max([len(n) for n in groups] + [8, len(word("function")), len(word("total"))])
    lines = [f"cnn-autograder: {report.assignment} ({report.submission})", ""]
    lines.append(f"{word('function'):<{name_w}}  {word('points'):>13}  {word('checks')}")
    lines.append(f"{'-' * name_w}  {'-' * 13}  {'-' * 20}")
    for function, results in groups.items():
        score, max_score = sum(r.score for r in results), sum(r.max_score for r in results)
        ok = sum(r.passed for r in results)
        mark = "" if ok == len(results) else "  <-"
        lines.append(f"{function:<{name_w}}  {_fmt(round(score, 4)):>6} / {_fmt(max_score):<4}  "
                     f"{word('passed', ok=ok, n=len(results))}{mark}")
    lines.append(f"{'-' * name_w}  {'-' * 13}")
    lines.append(f"{word('total'):<{name_w}}  {_fmt(report.score):>6} / {_fmt(report.max_score):<4}")
    for note in report.notes:
        lines += ["", *textwrap.wrap(note, width)]
    failed = [r for r in report.results if not r.passed]
    if failed:
        lines += ["", word("what_to_fix")]
        for message, rows in _by_message(failed):
            lines.append("")
            lines += textwrap.wrap(word("failure", names=failure_label(rows, report.lang), message=message),
                                   width, subsequent_indent="    ")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def failure_label(rows: list[CheckResult], lang: str) -> str:
    """What failed with one message, function by function, each with its own points:
    ``conv_forward.basic and 1 more check, 6 points; conv_backward.basic, 4 points``."""
    by_function: dict[str, list[CheckResult]] = {}
    for r in rows:
        by_function.setdefault(r.function or r.name.split(".")[0], []).append(r)
    parts = []
    for group in by_function.values():
        points = round(sum(r.max_score for r in group), 4)
        name = group[0].name if len(group) == 1 else plural("report.more_checks", lang, len(group) - 1,
                                                               name=group[0].name)
        parts.append(f"{name}, {plural('report.points_n', lang, points, points=_fmt(points))}")
    return "; ".join(parts)


def _by_message(failed: list[CheckResult]) -> list[tuple[str, list[CheckResult]]]:
    """Failures grouped by identical message (a file that does not import fails every check
    with one message: say it once), in order of first appearance."""
    groups: dict[str, list[CheckResult]] = {}
    for r in failed:
        groups.setdefault(r.message, []).append(r)
    return list(groups.items())
