"""The solution notebooks of assignments 01-03: their structure, and a run top to bottom.

Structure (plain JSON, no Jupyter needed): nbformat 4, kernel ``python3``, no stored outputs,
balanced ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers in code cells only, and every
exercise section (a ``## `` heading whose cells hold a solution region) ending with a
self-check cell; together the self-check cells name every graded function of the assignment.

Execution (nbclient and ipykernel): each notebook runs in its own folder, as a student runs it,
with no cell raising. A recording wrapper around ``autograder.selfcheck.check``, installed by
a cell the test prepends, collects every self-check's result, so the test asserts full points
whatever the printed format; a few outputs of the slides' worked examples are checked as text.
"""
from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path

import pytest

from autograder.registry import ASSIGNMENTS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = {name: ROOT / "solutions" / name / spec.notebook for name, spec in ASSIGNMENTS.items()}
# The Keras lab trains for minutes on a CPU; its quick mode (a few thousand images, one epoch)
# runs every cell in CI (the registry's notebook_env). The kernel inherits the test's environment.
KERNEL_ENV = {name: spec.notebook_env for name, spec in ASSIGNMENTS.items() if spec.notebook_env}
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
SELF_CHECK_IMPORT = "from autograder.selfcheck import check"
CHECK_CALL = re.compile(r"""^\s*check\((?:"([A-Za-z0-9_]+)")?\)\s*$""", re.MULTILINE)
CELL_TIMEOUT_S = 300
RESULTS_TAG = "@@SELF_CHECK_RESULTS@@"

# Prepended and appended to the notebook in memory (never to the file): record every check().
RECORDER = '''
import autograder.selfcheck as _selfcheck_module
_SELF_CHECK_RESULTS = []
_original_check = _selfcheck_module.check
def _recording_check(function=None, *args, **kwargs):
    result = _original_check(function, *args, **kwargs)
    _SELF_CHECK_RESULTS.append({"function": function, "score": float(result.score),
                                "max_score": float(result.max_score), "passed": bool(result.passed)})
    return result
_selfcheck_module.check = _recording_check
'''
REPORTER = f'import json as _json\nprint("{RESULTS_TAG}" + _json.dumps(_SELF_CHECK_RESULTS))'


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


@cache
def load(name: str) -> dict:
    return json.loads(NOTEBOOKS[name].read_text(encoding="utf-8"))


def sections(notebook: dict) -> list[tuple[str, list[dict]]]:
    """(heading, cells) for every ``## `` section; the cells before the first one are skipped."""
    out: list[tuple[str, list[dict]]] = []
    for cell in notebook["cells"]:
        text = source(cell)
        if cell["cell_type"] == "markdown" and text.startswith("## "):
            out.append((text.splitlines()[0], []))
        elif out:
            out[-1][1].append(cell)
    return out


def is_self_check(cell: dict) -> bool:
    return cell["cell_type"] == "code" and SELF_CHECK_IMPORT in source(cell) \
        and CHECK_CALL.search(source(cell)) is not None


def checked_functions(notebook: dict) -> list[str | None]:
    """The argument of every ``check(...)`` call of the self-check cells, in order (None: all)."""
    return [m.group(1) for cell in notebook["cells"] if is_self_check(cell)
            for m in CHECK_CALL.finditer(source(cell))]


# ---------------------------------------------------------------------------
# Structure
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_clean_nbformat4(name):
    notebook = load(name)
    assert notebook["nbformat"] == 4, f"{name}: nbformat {notebook['nbformat']}, expected 4"
    kernel = notebook["metadata"].get("kernelspec", {}).get("name")
    assert kernel == "python3", f"{name}: kernelspec {kernel!r}, expected 'python3'"
    stored = [i for i, cell in enumerate(notebook["cells"])
              if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not stored, f"{name}: cells {stored} have stored outputs or execution counts; clear them before committing"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_solution_markers_are_balanced(name):
    for number, cell in enumerate(load(name)["cells"]):
        lines = [line.strip() for line in source(cell).splitlines()]
        markers = [line for line in lines if "BEGIN SOLUTION" in line or "END SOLUTION" in line]
        if cell["cell_type"] != "code":
            assert not markers, f"{name} cell {number}: solution markers in a {cell['cell_type']} cell"
            continue
        assert all(m in (BEGIN, END) for m in markers), \
            f"{name} cell {number}: a marker line must be exactly {BEGIN!r} or {END!r}, got {markers}"
        assert markers == [BEGIN, END] * (len(markers) // 2), \
            f"{name} cell {number}: markers {markers} are not BEGIN/END pairs (nested, unclosed or reversed)"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_exercise_section_ends_with_a_self_check(name):
    exercises = 0
    for heading, cells in sections(load(name)):
        code = [c for c in cells if c["cell_type"] == "code"]
        if not any(BEGIN in source(c) for c in code):
            continue
        exercises += 1
        assert code and is_self_check(code[-1]), \
            f"{name}, section {heading!r}: has a solution region, but its last code cell is not a " \
            f"self-check cell ({SELF_CHECK_IMPORT}; check(\"<function>\"))"
    assert exercises >= 4, f"{name}: {exercises} exercise sections, expected at least 4"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_self_checks_name_every_graded_function(name):
    graded = {c.function for c in ASSIGNMENTS[name].checks() if c.function is not None}
    named = set(checked_functions(load(name)))
    assert named - {None} <= graded, f"{name}: self-checks of unknown functions {sorted(named - {None} - graded)}"
    assert graded <= named, f"{name}: no self-check cell checks {sorted(graded - named)}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_downloads_nothing(name):
    code = "\n".join(source(c) for c in load(name)["cells"] if c["cell_type"] == "code")
    for word in ("download", "urllib", "requests", "http://", "https://", "pip install"):
        assert word not in code, f"{name}: the code mentions {word!r}; the notebooks run offline"


# ---------------------------------------------------------------------------
# Execution
# ---------------------------------------------------------------------------

@cache
def executed(name: str) -> tuple[list[dict], list[dict]]:
    """Run the notebook in its folder; (its cells with outputs, the self-check results)."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(str(NOTEBOOKS[name]), as_version=4)
    cells = notebook.cells
    notebook.cells = [nbformat.v4.new_code_cell(RECORDER), *cells, nbformat.v4.new_code_cell(REPORTER)]
    client = nbclient.NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS[name].parent)}})
    saved = {key: os.environ.get(key) for key in KERNEL_ENV.get(name, {})}
    os.environ.update(KERNEL_ENV.get(name, {}))
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as error:
        pytest.fail(f"{name}: a cell raised while running top to bottom:\n{error}")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    report = "".join(o.get("text", "") for o in notebook.cells[-1].outputs if o.output_type == "stream")
    assert RESULTS_TAG in report, f"{name}: the recording of the self-checks did not come back: {report!r}"
    results = json.loads(report.split(RESULTS_TAG, 1)[1])
    return [dict(c) for c in notebook.cells[1:-1]], results


def output_text(cells: list[dict]) -> str:
    """Everything the code cells printed, whitespace collapsed to single spaces."""
    parts = []
    for cell in cells:
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                parts.append(output["text"])
            elif output["output_type"] in ("execute_result", "display_data"):
                parts.append(output.get("data", {}).get("text/plain", ""))
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_self_checks_earn_full_points(name):
    cells, results = executed(name)
    expected = checked_functions(load(name))
    assert [r["function"] for r in results] == expected, \
        f"{name}: the self-checks that ran {[r['function'] for r in results]} differ from the cells' {expected}"
    for r in results:
        what = f"check({r['function']!r})" if r["function"] else "check()"
        assert r["max_score"] > 0, f"{name}: {what} ran no public check (0 points possible)"
        assert r["passed"] and r["score"] == r["max_score"], \
            f"{name}: {what} gave the solutions {r['score']:g} / {r['max_score']:g} points"
    errors = [o for c in cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors, f"{name}: error outputs {[(e['ename'], e['evalue']) for e in errors]}"


def test_convolution_notebook_shows_the_slides_examples():
    text = output_text(executed("01_convolution")[0])
    for shown in ["0.77 -0.11 0.11 0.33 0.55 -0.11 0.33",     # X image, diagonal feature: first row
                  "1.00 0.33 0.55 0.33",                       # after ReLU and ceil-mode pooling: 4x4
                  "36,000,000,000 weights", "4,800,000,000 weights", "30,000 weights",
                  "760", "34,944", "(32, 32, 10)", "pool3 6x6x256"]:
        assert shown in text, f"01_convolution: the output does not show {shown!r}"
    assert text.count(" right") >= 10 and "not right yet" not in text and "no answer yet" not in text, \
        "01_convolution: the reference quiz answers should all be reported right"
    for qid in range(1, 11):
        assert f"q{qid} " in text, f"01_convolution: question q{qid} is not printed"


def test_layers_notebook_gradient_checks_are_tight():
    text = output_text(executed("02_cnn_layers")[0])
    errors = [float(e) for e in re.findall(r"max relative error ([0-9.]+e[-+][0-9]+)", text)]
    assert len(errors) >= 20, f"02_cnn_layers: {len(errors)} gradient checks printed, expected at least 20"
    assert max(errors) < 1e-6, f"02_cnn_layers: a gradient check printed a relative error of {max(errors):.1e}"
    assert "loss with logits of 1e4" in text and "nan" in text, "02_cnn_layers: the naive softmax demo is missing"


def test_optimization_notebook_trains_the_cnn():
    text = output_text(executed("03_optimization")[0])
    for optimizer in ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam"):
        assert f"{optimizer} C = " in text, f"03_optimization: no trajectory result for {optimizer}"
    match = re.search(r"63 steps in [0-9.]+ s, train accuracy [0-9.]+, test accuracy ([0-9.]+)", text)
    assert match, "03_optimization: the training cell did not report its accuracy"
    assert float(match.group(1)) >= 0.8, f"03_optimization: test accuracy {match.group(1)} after one epoch"
