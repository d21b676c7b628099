"""``nbgrader autograde``, first sanitizing step: only the source notebook's cell metadata survives.

nbgrader trusts the ``nbgrader`` metadata of a submitted notebook more than it should: a cell
claiming a schema version from the future stops ``autograde`` for the whole class, a duplicated
test cell is emptied into metadata that fails validation (no row for that student), an unknown
``grade_id`` loses its id but keeps ``grade: true``. Here, before nbgrader's own steps, each
cell claiming a ``grade_id`` of the source notebook gets the source's metadata (the first such
cell only), and every other cell loses its ``nbgrader`` metadata. nbgrader's OverwriteCells
then restores the locked cells' source as usual.
"""
from __future__ import annotations

import copy
import json

from nbformat import from_dict
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.nbgrader.cells import grade_id_of
from autograder.nbgrader.options import source_folder
from autograder.registry import ASSIGNMENTS


class ScrubCellMetadata(NbGraderPreprocessor):
    """Replace every cell's nbgrader metadata with the source notebook's, or drop it."""

    def preprocess(self, nb, resources):
        assignment = resources["nbgrader"]["assignment"]
        if assignment not in ASSIGNMENTS:
            return nb, resources
        source = source_folder(self.config, assignment)
        notebook = source / f"{resources['nbgrader']['notebook']}.ipynb"
        known = source_metadata(json.loads(notebook.read_text(encoding="utf-8")))
        scrub(nb, known)
        return nb, resources


def source_metadata(source: dict) -> dict[str, dict]:
    """grade_id -> the nbgrader metadata of that cell in the source notebook."""
    return {grade_id: cell["metadata"]["nbgrader"] for cell in source.get("cells", [])
            if (grade_id := grade_id_of(cell)) is not None}


def scrub(nb, known: dict[str, dict]) -> None:
    """In place: the first cell claiming each known grade_id gets its source metadata; every
    other nbgrader metadata goes."""
    seen = set()
    for cell in nb.cells:
        if not isinstance(cell.get("metadata"), dict):
            cell["metadata"] = from_dict({})
        if "nbgrader" not in cell["metadata"]:
            continue
        grade_id = grade_id_of(cell)
        if grade_id in known and grade_id not in seen:
            cell["metadata"]["nbgrader"] = from_dict(copy.deepcopy(known[grade_id]))
            seen.add(grade_id)
        else:
            del cell["metadata"]["nbgrader"]
