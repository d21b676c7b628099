"""`release` writes atomically: everything is built in a temporary folder and swapped in only
when all is built; a missing solutions folder or package is a clear error before anything is
written; a failure half-way leaves the previous release as it was."""
import filecmp
import shutil
import subprocess
import sys

import pytest

from autograder import release as release_module
from autograder import selfcheck
from autograder.release import BEGIN, ReleaseError, ReleaseSetupError, check_release, release

from grading_helpers import SOLUTIONS, run_cli


def _snapshot(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _leftovers(parent):
    return [p.name for p in parent.iterdir() if "-building-" in p.name or "-old-" in p.name]


@pytest.fixture
def previous(tmp_path):
    """An earlier release, with a file of the instructor's own next to the assignments."""
    out = tmp_path / "course" / "assignments"
    (out / "02_cnn_layers").mkdir(parents=True)
    (out / "02_cnn_layers" / "layers.py").write_text("# the previous release\n")
    (out / "NOTES.md").write_text("kept\n")
    return out


@pytest.fixture
def quick_record(monkeypatch):
    """Recording runs the public checks on the solutions: skipped here, where only the files
    and the swap matter."""
    monkeypatch.setattr(selfcheck, "record", lambda assignment: {})


def _solutions_copy(tmp_path, names=("01_convolution", "02_cnn_layers")):
    copy = tmp_path / "solutions"
    for name in names:
        shutil.copytree(SOLUTIONS / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_a_missing_solutions_folder_is_a_clear_error_and_writes_nothing(tmp_path, previous):
    before = _snapshot(previous)
    done = run_cli("release", "--solutions", str(tmp_path / "nowhere"), "--output", str(previous))
    assert done.returncode == 2, done.stderr
    assert "no solutions folder at" in done.stderr and "--solutions" in done.stderr
    assert "Errno" not in done.stderr and "Traceback" not in done.stderr
    assert _snapshot(previous) == before and _leftovers(previous.parent) == []
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ReleaseSetupError, match="holds none of the assignments"):
        check_release(empty)


def test_the_default_output_is_next_to_the_solutions(tmp_path):
    done = run_cli("release", "--solutions", str(tmp_path / "nowhere"))
    assert done.returncode == 2 and not (tmp_path / "assignments").exists()


def test_missing_tensorflow_is_named_before_anything_is_written(tmp_path, previous):
    """Without Keras, 04's recording cannot be made: say so, with the command that installs it."""
    before = _snapshot(previous)
    code = ("import sys\n"
            "sys.modules['keras'] = None\n"          # find_spec('keras') is None: not installed
            "from autograder.cli import main\n"
            f"sys.exit(main(['release', '--solutions', {str(SOLUTIONS)!r}, '--output', {str(previous)!r}]))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "04_keras_cnn" in done.stderr and "keras" in done.stderr and "pip install" in done.stderr
    assert "Nothing was written" in done.stderr and "Traceback" not in done.stderr
    assert _snapshot(previous) == before and _leftovers(previous.parent) == []


def test_a_failure_half_way_leaves_the_previous_release(tmp_path, previous, quick_record):
    solutions = _solutions_copy(tmp_path)
    broken = solutions / "02_cnn_layers" / "layers.py"
    broken.write_text(broken.read_text() + f"\n{BEGIN}\n")          # never closed: fails on 02
    before = _snapshot(previous)
    with pytest.raises(ReleaseError, match="never closed"):
        release(solutions, previous)                               # 01 was built first
    assert _snapshot(previous) == before
    assert _leftovers(previous.parent) == []


def test_a_release_swaps_in_the_new_folder_and_keeps_the_rest(tmp_path, previous, quick_record):
    solutions = _solutions_copy(tmp_path)
    (previous / "03_optimization").mkdir()
    (previous / "03_optimization" / "optim.py").write_text("# not released now\n")
    written = release(solutions, previous, names=("02_cnn_layers",))
    assert all(path.is_file() and previous in path.parents for path in written)
    assert "the previous release" not in (previous / "02_cnn_layers" / "layers.py").read_text()
    assert (previous / "NOTES.md").read_text() == "kept\n"
    assert (previous / "03_optimization" / "optim.py").read_text() == "# not released now\n"
    assert not (previous / "01_convolution").exists()
    assert _leftovers(previous.parent) == []
    assert previous.stat().st_mode & 0o755 == 0o755                 # not mkdtemp's 0700
    fresh = tmp_path / "fresh"
    release(solutions, fresh)
    assert sorted(p.name for p in fresh.iterdir()) == ["01_convolution", "02_cnn_layers"]
    assert filecmp.cmp(fresh / "02_cnn_layers" / "conftest.py", previous / "02_cnn_layers" / "conftest.py",
                       shallow=False)


def test_release_refuses_a_file_as_output_and_unknown_names(tmp_path, quick_record):
    target = tmp_path / "assignments"
    target.write_text("not a folder")
    with pytest.raises(ReleaseSetupError, match="is a file"):
        release(_solutions_copy(tmp_path, ("02_cnn_layers",)), target)
    with pytest.raises(ReleaseSetupError, match="has no 05_nope"):
        check_release(SOLUTIONS, ("05_nope",))
    solutions = _solutions_copy(tmp_path / "own", ("02_cnn_layers",))
    for output in (solutions, solutions.parent, solutions / "02_cnn_layers" / "out"):
        with pytest.raises(ReleaseSetupError, match="holds or is inside the solutions"):
            release(solutions, output)
    assert (solutions / "02_cnn_layers" / "layers.py").is_file()
    assert target.read_text() == "not a folder"


def test_the_recording_reads_the_solutions_given(tmp_path, monkeypatch):
    """release(solutions=...) records from that folder, not the kit's (record() finds the
    solutions through CNN_AUTOGRADER_SOLUTIONS, which release points there meanwhile)."""
    from autograder.paths import solutions_dir

    seen = []
    monkeypatch.setattr(selfcheck, "record", lambda assignment: seen.append(solutions_dir()) or {})
    monkeypatch.delenv(release_module.SOLUTIONS_VARIABLE, raising=False)
    solutions = _solutions_copy(tmp_path, ("02_cnn_layers",))
    release(solutions, tmp_path / "out")
    assert seen == [solutions.resolve()]
    assert release_module.SOLUTIONS_VARIABLE not in __import__("os").environ
