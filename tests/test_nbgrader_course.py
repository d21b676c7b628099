"""cnn-autograder's nbgrader layer, step by step and without running nbgrader: the test cells
and the source notebook, the configuration block, the guard against leaks, the metadata scrub,
the notebook inspection, the placing of test cells and their outputs (tests/test_nbgrader.py
runs the whole course with real nbgrader)."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from autograder.core.results import CheckResult, Report
from autograder.nbgrader import cells as cells_module
from autograder.nbgrader.cells import GradedGroup, grade_cell, graded_groups, self_checked, source_notebook
from autograder.nbgrader.course import (
    AUTOGRADE,
    BEGIN,
    END,
    GENERATE,
    OURS,
    SANITIZE,
    CourseError,
    Settings,
    config_block,
    setup,
    updated_config,
)
from autograder.nbgrader.feedback import cell_outputs, excerpt, group_score, group_text
from autograder.nbgrader.placeholder import graded_outside
from autograder.paths import REPO_ROOT
from autograder.registry import ASSIGNMENTS

nbgrader = pytest.importorskip("nbgrader")
from nbformat import from_dict  # noqa: E402  (nbgrader brings nbformat)

RELEASE = REPO_ROOT / "assignments"


def released(assignment: str) -> dict:
    return json.loads((RELEASE / assignment / f"{assignment}.ipynb").read_text())


@pytest.mark.parametrize("assignment", sorted(ASSIGNMENTS))
def test_groups_cover_the_rubric(assignment):
    groups = graded_groups(assignment)
    assert round(sum(g.points for g in groups), 6) == 100
    assert len({g.grade_id for g in groups}) == len(groups)
    assert all(g.grade_id.startswith("cnn-") and g.files for g in groups)


@pytest.mark.parametrize("assignment", sorted(ASSIGNMENTS))
def test_source_notebook_has_one_locked_test_cell_per_group(assignment):
    from nbgrader.nbgraderformat import MetadataValidator

    notebook = source_notebook(released(assignment), assignment)
    MetadataValidator().validate_nb(from_dict(notebook))       # nbgrader accepts it
    ids = [c["metadata"]["nbgrader"]["grade_id"] for c in notebook["cells"]
           if c["metadata"].get("nbgrader", {}).get("grade")]
    assert ids == [g.grade_id for g in graded_groups(assignment)] or \
        sorted(ids) == sorted(g.grade_id for g in graded_groups(assignment))
    for cell in notebook["cells"]:
        meta = cell["metadata"].get("nbgrader")
        if cell["cell_type"] == "markdown":
            assert meta and meta["locked"] and not meta["grade"]
        if meta and meta["grade"]:
            assert meta["locked"] and not meta["solution"] and meta["points"] > 0
    assert len({c["id"] for c in notebook["cells"]}) == len(notebook["cells"])
    text = json.dumps(notebook)
    assert "BEGIN SOLUTION" not in text


def test_a_test_cell_follows_the_self_check_of_its_function():
    notebook = source_notebook(released("02_cnn_layers"), "02_cnn_layers")
    sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in notebook["cells"]]
    checked = [i for i, s in enumerate(sources) if 'check("conv_forward")' in s]
    assert checked and notebook["cells"][checked[0] + 1]["metadata"]["nbgrader"]["grade_id"] == "cnn-conv_forward"


def test_self_checked_reads_the_calls():
    assert self_checked('from x import check\n\ncheck("relu")\ncheck( "softmax" )\ncheck()') == ["relu", "softmax"]


def test_the_test_cell_value_is_zero_for_nbgrader_and_words_for_people():
    value = graded_outside("conv_forward", ["layers.py"], 16)
    assert repr(value) == "0"
    assert "layers.py" in value._repr_markdown_() and "16 points" in value._repr_markdown_()
    group = GradedGroup("relu_forward", ("layers.py",), 4.0)
    namespace: dict = {}
    exec(grade_cell(group)["source"], namespace)               # the cell runs in a plain kernel


def test_config_block_registers_and_enables_every_step():
    block = config_block(Settings(("01_convolution", "02_cnn_layers"), 30, 600, "pt", True, "/s", "/r"))
    config = _load_config(block)
    assert config.Autograde.exclude_overwriting == {"01_convolution": ["convolution.py", "quiz_answers.py"],
                                                   "02_cnn_layers": ["layers.py"]}
    for name in OURS:
        assert config[name].enabled is True
    assert config.ConfinedExecute.timeout == 30 and config.ConfinedExecute.notebook_timeout == 600
    assert config.CnnAutograder.lang == "pt" and config.CnnAutograder.bind_quiz_to_student_id is True
    assert "*solution*" in config.CourseDirectory.ignore and ".*" in config.CourseDirectory.ignore
    assert config.Autograde.autograde_preprocessors.index("autograder.nbgrader.execute.ConfinedExecute") < \
        config.Autograde.autograde_preprocessors.index("autograder.nbgrader.trusted.WriteTrustedResults") < \
        config.Autograde.autograde_preprocessors.index("nbgrader.preprocessors.SaveAutoGrades")


def test_our_pipelines_are_nbgraders_with_our_steps_in_place():
    """An nbgrader upgrade that adds or renames a default step fails here, not silently."""
    from nbgrader.converters import Autograde, GenerateAssignment

    def defaults(cls, trait):
        return [f"{c.__module__.rsplit('.', 1)[0]}.{c.__name__}" for c in cls.class_traits()[trait].default()]

    def ours_removed(steps):
        return [s for s in steps if not s.startswith("autograder.")]

    assert ours_removed(GENERATE) == defaults(GenerateAssignment, "preprocessors")
    assert ours_removed(SANITIZE) == defaults(Autograde, "sanitize_preprocessors")
    autograde = defaults(Autograde, "autograde_preprocessors")
    assert autograde[0] == "nbgrader.preprocessors.Execute"      # replaced by ConfinedExecute
    assert ours_removed(AUTOGRADE) == autograde[1:]


def test_updated_config_keeps_the_instructors_lines():
    first = updated_config(None, f"{BEGIN}\nA\n{END}\n")
    assert first.startswith("c = get_config()")
    mine = first + "\nc.Exchange.root = '/srv/exchange'\n"
    again = updated_config(mine, f"{BEGIN}\nB\n{END}\n")
    assert "\nB\n" in again and "\nA\n" not in again and "c.Exchange.root = '/srv/exchange'" in again
    assert again.count(BEGIN) == 1


def test_setup_writes_the_release_files_and_refuses_strangers(tmp_path):
    written = setup(tmp_path, Settings(("02_cnn_layers",)))
    source = tmp_path / "source" / "02_cnn_layers"
    assert (source / "layers.py").read_bytes() == (RELEASE / "02_cnn_layers" / "layers.py").read_bytes()
    assert (tmp_path / "nbgrader_config.py") in written
    (source / "layers_solution.py").write_text("leak")
    with pytest.raises(CourseError, match="layers_solution.py"):
        setup(tmp_path, Settings(("02_cnn_layers",)))
    (source / "layers_solution.py").unlink()
    setup(tmp_path, Settings(("01_convolution",)))             # a second assignment keeps the first
    config = _load_config((tmp_path / "nbgrader_config.py").read_text())
    assert set(config.Autograde.exclude_overwriting) == {"01_convolution", "02_cnn_layers"}


def test_the_cli_names_a_bad_option(tmp_path):
    cli = [sys.executable, "-m", "autograder", "nbgrader", "setup", str(tmp_path)]
    bad = subprocess.run(cli + ["--assignments", "02_cnn_layers", "--cell-timeout", "0"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "--cell-timeout 0" in bad.stderr
    (tmp_path / "file").write_text("")
    bad = subprocess.run(cli[:-1] + [str(tmp_path / "file"), "--assignments", "02_cnn_layers"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "is a file" in bad.stderr


def test_guard_lists_files_that_are_not_the_releases(tmp_path):
    from autograder.nbgrader.guard import leaks

    release = tmp_path / "release"
    source = tmp_path / "source"
    for folder in (release, source):
        folder.mkdir()
        (folder / "layers.py").write_text("stub")
    assert leaks(source, release, []) == []
    (source / "layers.py").write_text("the solution")
    (source / "notes.txt").write_text("")
    (source / "nb.ipynb").write_text("{}")
    problems = leaks(source, release, [])
    assert len(problems) == 2 and "layers.py differs" in problems[0] and "notes.txt" in problems[1]


def test_scrub_keeps_only_the_source_metadata():
    from autograder.nbgrader.sanitize import scrub

    known = {"cnn-relu": {"grade": True, "solution": False, "locked": True, "grade_id": "cnn-relu",
                          "points": 4, "schema_version": 3}}
    nb = from_dict({"cells": [
        {"cell_type": "code", "source": "", "metadata": {"nbgrader": {"grade_id": "cnn-relu", "points": 1e9,
                                                                     "schema_version": 3, "grade": True}}},
        {"cell_type": "code", "source": "", "metadata": {"nbgrader": {"grade_id": "cnn-relu"}}},
        {"cell_type": "code", "source": "", "metadata": {"nbgrader": {"grade_id": "x", "schema_version": 99}}},
        {"cell_type": "code", "source": "", "metadata": {"nbgrader": "garbage"}},
        {"cell_type": "code", "source": "", "metadata": {}}]})
    scrub(nb, known)
    assert nb.cells[0].metadata.nbgrader == known["cnn-relu"]
    assert all("nbgrader" not in c.metadata for c in nb.cells[1:])


def test_inspect_notebook_names_missing_duplicated_and_changed_cells():
    from autograder.nbgrader.trusted import inspect_notebook

    groups = (GradedGroup("a", ("m.py",), 1.0), GradedGroup("b", ("m.py",), 1.0), GradedGroup("c", ("m.py",), 1.0))
    source = {"cells": [grade_cell(g) for g in groups]}
    edited = json.loads(json.dumps(grade_cell(groups[2])))
    edited["source"] = "10**9"
    submitted = {"cells": [grade_cell(groups[0]), grade_cell(groups[0]), edited]}
    found = inspect_notebook(submitted, source, groups)
    assert [(f.kind, f.group, f.count) for f in found] == [("duplicated", "a", 2), ("missing", "b", 0),
                                                           ("changed", "c", 0)]
    assert inspect_notebook("not JSON", source, groups)[0].kind == "unreadable"


def test_place_test_cells_restores_missing_and_demotes_copies():
    from autograder.nbgrader.trusted import place_test_cells

    groups = (GradedGroup("a", ("m.py",), 1.0), GradedGroup("b", ("m.py",), 2.0))
    nb = from_dict({"cells": [grade_cell(groups[0]), grade_cell(groups[0])]})
    placed = place_test_cells(nb, groups)
    assert [g.name for g, _ in placed] == ["a", "b"]
    assert placed[0][1] is nb.cells[0] and placed[1][1] is nb.cells[2]
    assert "nbgrader" not in nb.cells[1].metadata
    assert nb.cells[2].id not in (nb.cells[0].id, nb.cells[1].id)


def _report(*results: CheckResult) -> Report:
    return Report("02_cnn_layers", "x", tuple(results))


def test_a_test_cell_shows_points_within_its_own_and_the_messages():
    group = GradedGroup("relu_forward", ("layers.py",), 4.0)
    report = _report(CheckResult("relu_forward.values", "relu_forward", "layers", 3.0, 3.0, "passed", ""),
                     CheckResult("relu_forward.dtype", "relu_forward", "layers", 0.0, 1.0, "failed",
                                 "relu_forward, float32: out has dtype float64"),
                     CheckResult("other.values", "other", "layers", 5.0, 5.0, "passed", ""))
    assert group_score(report, group, 4.0) == 3.0
    assert group_score(report, group, 2.0) == 2.0             # never above the cell's points
    assert group_score(None, group, 4.0) == 0.0
    text = group_text(report, group, 4.0, "en")
    assert text.startswith("relu_forward: 3 / 4 points, graded from layers.py")
    assert "[relu_forward.dtype, 1 point] relu_forward, float32: out has dtype float64" in text
    assert "Not graded (the reason)" in group_text(None, group, 4.0, "en", "the reason")
    assert "relu_forward: 3 / 4 pontos" in group_text(report, group, 4.0, "pt")
    outputs = cell_outputs(text, 3.0)
    assert [o["output_type"] for o in outputs] == ["stream", "execute_result"]
    assert outputs[0]["name"] == "stdout" and outputs[1]["data"]["text/plain"] == "3"


def test_nbgrader_reads_our_outputs_as_the_points():
    from nbgrader.utils import determine_grade

    group = GradedGroup("relu_forward", ("layers.py",), 4.0)
    cell = from_dict(grade_cell(group))
    cell.outputs = [from_dict(o) for o in cell_outputs("text", 2.5)]
    assert determine_grade(cell) == (2.5, 4.0)


def test_excerpt_is_one_safe_line():
    assert excerpt("\n\n  while True:  # `x`\n    pass") == "while True:  # 'x'"
    assert len(excerpt("x" * 500)) == 60


def _load_config(text: str):
    from traitlets.config import Config

    c = Config()
    namespace = {"c": c, "get_config": lambda: c}
    exec(text, namespace)
    return c


def test_cells_module_imports_no_nbgrader():
    code = ("import sys, autograder.nbgrader.cells, autograder.nbgrader.placeholder, "
            "autograder.nbgrader.course; print('nbgrader' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert cells_module.GRADE_PREFIX == "cnn-"


@pytest.mark.skipif(__import__("autograder.sandbox.limits", fromlist=["x"]).isolation_level() != "full",
                    reason="needs root with CAP_SYS_ADMIN")
def test_a_confined_kernel_sees_only_its_scratch_copy(tmp_path):
    """What the kernel's command runs as: another user, its folder writable, the course hidden,
    the host read-only, the secret gone, and nothing left running afterwards."""
    from autograder.nbgrader.confinement import Confinement

    course, submission = tmp_path / "course", tmp_path / "course" / "autograded" / "s" / "a"
    submission.mkdir(parents=True)
    (submission / "layers.py").write_text("x = 1\n")
    (course / "gradebook.db").write_text("scores")
    probe = (
        "import os, json, subprocess, sys\n"
        "course = sys.argv[1]\n"
        "out = {'uid': os.getuid(), 'files': sorted(os.listdir('.')),\n"
        "       'course': os.listdir(course) if os.path.isdir(course) else None,\n"
        "       'secret': os.environ.get('CNN_AUTOGRADER_SECRET')}\n"
        "open('mine.txt', 'w').write('ok')\n"
        "try:\n"
        "    open(sys.argv[2], 'w')\n"
        "    out['host'] = 'written'\n"
        "except OSError as exc:\n"
        "    out['host'] = type(exc).__name__\n"
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], start_new_session=True,\n"
        "                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(json.dumps(out))\n")
    confinement = Confinement.create(submission, [str(course)], cpu_seconds=60, memory_bytes=4 << 30)
    try:
        command = confinement.command([sys.executable, "-c", probe, str(course), str(tmp_path / "host.txt")])
        done = subprocess.run(command, cwd=confinement.work, env=confinement.env, capture_output=True,
                              text=True, timeout=60, start_new_session=True)
        assert done.returncode == 0, done.stderr
        seen = json.loads(done.stdout)
        assert seen["uid"] == confinement.uid != 0
        assert seen["files"] == ["layers.py"] and seen["course"] in ([], None) and seen["secret"] is None
        assert seen["host"] != "written" and not (tmp_path / "host.txt").exists()
        assert (confinement.work / "mine.txt").read_text() == "ok"
    finally:
        confinement.close()
    assert not confinement.root.exists()
    for _ in range(50):         # killed; gone once reaped
        left = subprocess.run(["ps", "-o", "stat=", "-u", str(confinement.uid)], capture_output=True, text=True)
        if not [s for s in left.stdout.split() if not s.startswith("Z")]:
            break
        time.sleep(0.1)
    assert not [s for s in left.stdout.split() if not s.startswith("Z")], left.stdout
