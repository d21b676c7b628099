"""What a cnn-autograder test cell shows when a student runs it (nbgrader is not needed).

The cell's value says where its points come from. Its plain-text form is ``0``: should an
nbgrader pipeline ever run these cells without cnn-autograder's preprocessors, nbgrader would
read 0 points, never full marks (fail closed). Jupyter shows the Markdown form instead.
"""
from __future__ import annotations


class GradedOutside:
    """The value of a test cell: 0 for nbgrader, an explanation for people."""

    def __init__(self, group: str, files: list[str], points: float):
        self.group, self.files, self.points = group, list(files), points

    def __repr__(self) -> str:
        return "0"

    def _repr_markdown_(self) -> str:
        files = ", ".join(f"`{name}`" for name in self.files)
        return (f"**{self.group}** ({self.points:g} points) is graded from {files} as you submit it, "
                f"outside this notebook, on inputs of the grader's own. Run the self-check cells "
                f"(`check(\"{self.group}\")`) to see the public checks now.")


def graded_outside(group: str, files: list[str], points: float) -> GradedOutside:
    return GradedOutside(group, files, points)
