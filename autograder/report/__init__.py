"""Reporters: pure functions from a :class:`~autograder.core.results.Report` to text (the
pictures are drawn by :mod:`autograder.pictures`)."""
from autograder.report.json_report import to_gradescope, to_json
from autograder.report.markdown import to_markdown
from autograder.report.text import to_text

FORMATS = {"text": to_text, "json": to_json, "gradescope": to_gradescope, "markdown": to_markdown}

__all__ = ["FORMATS", "to_gradescope", "to_json", "to_markdown", "to_text"]
