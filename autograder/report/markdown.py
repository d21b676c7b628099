"""Markdown: for feedback files, nbgrader comments and course web pages."""
from __future__ import annotations

from autograder.core.messages import plural, render
from autograder.core.results import Report


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _points(points: float, lang: str) -> str:
    return plural("report.points_n", lang, points, points=f"{points:g}")


def to_markdown(report: Report) -> str:
    """A points table per function, then the failed checks with their messages."""
    def word(key: str, **fields: object) -> str:
        return render(f"report.{key}", report.lang, **fields)

    lines = [f"# {report.assignment}: {report.score:g} / {report.max_score:g}", "",
             f"| {word('function')} | {word('points')} | {word('checks_passed')} |", "| --- | ---: | ---: |"]
    for function, results in report.by_function().items():
        score, max_score = sum(r.score for r in results), sum(r.max_score for r in results)
        ok = sum(r.passed for r in results)
        lines.append(f"| `{function}` | {round(score, 4):g} / {max_score:g} | {ok} / {len(results)} |")
    lines += [""] + [f"> {note}" for note in report.notes]
    failed = [r for r in report.results if not r.passed]
    if failed:
        lines += ["", f"## {word('what_to_fix').rstrip(':')}", ""]
        lines += [f"- **{r.name}** ({_points(r.max_score, report.lang)}): {_cell(r.message)}" for r in failed]
    return "\n".join(lines) + "\n"
