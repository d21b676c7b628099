"""The class report of one assignment: what to re-teach on Monday, on one Markdown page.

Pure functions of the records: :func:`class_stats` computes, :func:`to_markdown` writes the
page, :func:`score_figure` and :func:`function_figure` draw its two pictures (matplotlib
``Figure`` objects on the Agg canvas, no pyplot state); :func:`write_class_report` is the thin
writer. Unreadable submissions count in the distribution (they score 0 like any other);
submissions the grader failed on are left out and named, since their 0 says nothing about the
students.

"Fully right" means every point of that function earned. The bug hints are the keys of the
known-bug library (``autograder/hints``) that matched a student's wrong output: counted once
per student, they say which misconception to address, not merely which function fails.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from autograder.batch.records import Record, write_atomic
from autograder.core.messages import CATALOG

TOP_FUNCTIONS = 3       # functions named under "re-teach on Monday"
TOP_HINTS = 8


@dataclass(frozen=True)
class FunctionStats:
    function: str
    max_points: float
    mean_points: float
    full: int                   # students with every point of the function
    students: int               # readable submissions (unreadable ones say nothing of a function)
    hints: tuple[tuple[str, int], ...]   # (hint key, students), most frequent first

    @property
    def pass_rate(self) -> float:
        return self.full / self.students if self.students else 0.0


@dataclass(frozen=True)
class ClassStats:
    assignment: str
    scores: tuple[float, ...]
    max_score: float
    functions: tuple[FunctionStats, ...]     # in the assignment's order
    hints: tuple[tuple[str, int, tuple[str, ...]], ...]   # (key, students, functions)
    unreadable: tuple[str, ...]
    errors: tuple[str, ...]
    late: int

    @property
    def count(self) -> int:
        return len(self.scores)


def class_stats(records: list[Record], assignment: str) -> ClassStats:
    """The numbers of the report, from the records of one assignment."""
    counted = [r for r in records if r.status != "error"]
    order: dict[str, None] = {}
    per_function: dict[str, list[tuple[float, float, set[str]]]] = defaultdict(list)
    hint_students: Counter = Counter()
    hint_functions: dict[str, set[str]] = defaultdict(set)
    for record in (r for r in counted if r.status == "graded"):    # unreadable: nothing to learn from
        seen_hints: set[str] = set()
        for function, results in record.report.by_function().items():
            order.setdefault(function, None)
            hints = {h for r in results for h in r.hints}
            per_function[function].append((sum(r.score for r in results), sum(r.max_score for r in results), hints))
            for hint in hints:
                hint_functions[hint].add(function)
            seen_hints |= hints
        hint_students.update(seen_hints)
    functions = []
    for function in order:
        rows = per_function[function]
        top = max(m for _, m, _ in rows)
        counts = Counter(h for _, _, hs in rows for h in hs)
        functions.append(FunctionStats(function, top, statistics.fmean(s for s, _, _ in rows),
                                       sum(1 for s, m, _ in rows if s >= m - 1e-9), len(rows),
                                       tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))))
    hint_rows = tuple((k, n, tuple(f for f in order if f in hint_functions[k]))
                      for k, n in sorted(hint_students.items(), key=lambda kv: (-kv[1], kv[0])))
    return ClassStats(assignment, tuple(r.score for r in counted),
                      max((r.max_score for r in counted), default=100.0), tuple(functions), hint_rows,
                      tuple(r.student_id for r in counted if r.status == "unreadable"),
                      tuple(r.student_id for r in records if r.status == "error"),
                      sum(1 for r in counted if r.late))


def hint_text(key: str) -> str:
    """The English text of a known-bug hint (what the student was told)."""
    return CATALOG["en"].get(f"hint.{key}", key)


def _points(value: float) -> str:
    return f"{round(value, 1):g}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(stats: ClassStats, pictures: tuple[str, str] | None = None) -> str:
    """The page; ``pictures`` are the file names of the score and function figures, if drawn."""
    lines = [f"# Class report: {stats.assignment}", ""]
    if not stats.count:
        return "\n".join(lines + ["No graded submission yet.", ""])
    scores = sorted(stats.scores)
    lines += [f"{stats.count} submissions graded: mean {_points(statistics.fmean(scores))}, median "
              f"{_points(statistics.median(scores))}, lowest {_points(scores[0])}, highest {_points(scores[-1])} "
              f"(of {_points(stats.max_score)}); {sum(s >= stats.max_score - 1e-9 for s in scores)} full marks, "
              f"{sum(s == 0 for s in scores)} zero."]
    if stats.unreadable:
        lines += ["", f"Unreadable (0 points, the reason in their result): {', '.join(stats.unreadable)}."]
    if stats.errors:
        lines += ["", f"Not counted, the grader failed on them (run the batch again): {', '.join(stats.errors)}."]
    if stats.late:
        lines += ["", f"{stats.late} of them marked late by the LMS."]
    lines += [""]
    if pictures:
        lines += [f"![score distribution]({pictures[0]})", ""]
    weakest = sorted(stats.functions, key=lambda f: (f.pass_rate, f.mean_points / (f.max_points or 1)))
    weakest = [f for f in weakest if f.pass_rate < 1][:TOP_FUNCTIONS]
    lines += ["## Re-teach on Monday", ""]
    if not weakest:
        lines += ["Every function is fully right in every submission.", ""]
    for rank, f in enumerate(weakest, 1):
        line = (f"{rank}. **{f.function}**: fully right in {f.full} of {f.students} submissions "
                f"({f.pass_rate:.0%}), mean {_points(f.mean_points)} of {_points(f.max_points)} points.")
        if f.hints:
            key, count = f.hints[0]
            line += f" Most frequent known bug ({count} students): {hint_text(key)}"
        lines.append(line)
    lines += ["", "## Functions, weakest first", ""]
    if pictures:
        lines += [f"![pass rate per function]({pictures[1]})", ""]
    lines += ["| function | fully right | mean points | known bugs seen (students) |", "| --- | ---: | ---: | --- |"]
    for f in sorted(stats.functions, key=lambda f: (f.pass_rate, f.function)):
        bugs = ", ".join(f"`{k}` ({n})" for k, n in f.hints[:3]) or "-"
        lines.append(f"| `{f.function}` | {f.full}/{f.students} ({f.pass_rate:.0%}) | "
                     f"{_points(f.mean_points)} / {_points(f.max_points)} | {bugs} |")
    lines += ["", "## Most frequent known bugs", ""]
    if not stats.hints:
        lines += ["No known bug of the hint library matched a wrong output.", ""]
    else:
        lines += ["| bug | students | functions | what the students were told |", "| --- | ---: | --- | --- |"]
        for key, count, functions in stats.hints[:TOP_HINTS]:
            lines.append(f"| `{key}` | {count} | {', '.join(functions)} | {_cell(hint_text(key))} |")
        lines.append("")
    return "\n".join(lines)


def score_figure(stats: ClassStats) -> Figure:
    """Histogram of the totals, one bar per tenth of the maximum."""
    fig = Figure(figsize=(6, 3), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    top = stats.max_score or 100.0
    ax.hist(stats.scores, bins=[top * i / 10 for i in range(11)], color="#4c72b0", edgecolor="white")
    ax.set_xlim(0, top)
    ax.set_xlabel(f"total points (of {_points(top)})")
    ax.set_ylabel("submissions")
    ax.set_title(f"{stats.assignment}: score distribution ({stats.count} submissions)")
    return fig


def function_figure(stats: ClassStats) -> Figure:
    """Share of submissions fully right, per function, weakest at the top."""
    ordered = sorted(stats.functions, key=lambda f: (-f.pass_rate, f.function))
    fig = Figure(figsize=(6, 0.8 + 0.28 * len(ordered)), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.barh([f.function for f in ordered], [100 * f.pass_rate for f in ordered], color="#55a868")
    ax.set_xlim(0, 100)
    ax.set_xlabel("submissions fully right (%)")
    ax.set_title(f"{stats.assignment}: pass rate per function")
    return fig


def write_class_report(records: list[Record], output: Path, assignment: str) -> list[Path]:
    """Write ``report.md`` and its two pictures into ``output``; the paths written."""
    stats = class_stats(records, assignment)
    paths = [output / "report.md"]
    pictures = None
    if stats.count:
        pictures = ("report_scores.png", "report_functions.png")
        for name, figure in zip(pictures, (score_figure(stats), function_figure(stats))):
            temporary = output / f".{name}.tmp.png"
            figure.savefig(temporary, dpi=100)
            temporary.replace(output / name)
            paths.append(output / name)
    write_atomic(paths[0], to_markdown(stats, pictures))
    return paths
