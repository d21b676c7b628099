"""The command line contract (docs/contract.md §8-9): formats, exit codes, zips, missing files."""
import json
import zipfile

import pytest

from grading_helpers import ASSIGNMENTS, SOLUTIONS, cli_json, run_cli

GRADESCOPE_KEYS = {"score", "max_score", "execution_time", "output", "tests"}
TEST_KEYS = {"name", "function", "score", "max_score", "status", "output", "visibility"}


def test_json_is_a_superset_of_gradescope_results():
    data = cli_json("grade", str(SOLUTIONS / "01_convolution"), "--assignment", "01_convolution")
    assert GRADESCOPE_KEYS <= set(data)
    assert data["score"] == data["max_score"] == 100
    for test in data["tests"]:
        assert TEST_KEYS <= set(test)
        assert test["status"] in ("passed", "failed")
    quiz = [t for t in data["tests"] if t["name"].startswith("quiz.")]
    assert len(quiz) == 10 and all(t["function"] is None for t in quiz)
    assert {t["function"] for t in data["tests"]} >= {"correlate2d", "max_pool2d", "receptive_field"}


def test_gradescope_format_has_only_gradescope_fields():
    done = run_cli("grade", str(ASSIGNMENTS / "02_cnn_layers"), "--assignment", "02_cnn_layers",
                   "--format", "gradescope")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == GRADESCOPE_KEYS and data["score"] == 0
    assert all(set(t) == TEST_KEYS for t in data["tests"])


def test_text_and_markdown_reports(tmp_path):
    done = run_cli("grade", str(ASSIGNMENTS / "02_cnn_layers"), "--assignment", "02_cnn_layers")
    assert done.returncode == 0
    assert "conv_backward" in done.stdout and "0 / 18" in done.stdout and "What to fix" in done.stdout
    out = tmp_path / "report.md"
    done = run_cli("grade", str(SOLUTIONS / "02_cnn_layers"), "--assignment", "02_cnn_layers",
                   "--format", "markdown", "--output", str(out))
    assert done.returncode == 0 and done.stdout == ""
    assert out.read_text().startswith("# 02_cnn_layers: 100 / 100")


def _zip(path, files, folder=""):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"{folder}{name}", data)
        archive.writestr(f"{folder}notes.txt", "ignored")
    return path


@pytest.mark.parametrize("folder", ["", "my_submission/"], ids=["at-root", "one-top-folder"])
def test_zip_submissions(tmp_path, folder):
    files = {p.name: p.read_bytes() for p in (SOLUTIONS / "02_cnn_layers").glob("layers.py")}
    archive = _zip(tmp_path / "sub.zip", files, folder)
    data = cli_json("grade", str(archive), "--assignment", "02_cnn_layers")
    assert data["score"] == 100


def test_missing_file_costs_its_functions_with_a_message(tmp_path):
    files = {"convolution.py": (SOLUTIONS / "01_convolution" / "convolution.py").read_bytes()}
    archive = _zip(tmp_path / "sub.zip", files)
    data = cli_json("grade", str(archive), "--assignment", "01_convolution")
    assert data["score"] == 80
    quiz = [t for t in data["tests"] if t["name"].startswith("quiz.")]
    assert all(t["score"] == 0 and "quiz_answers.py is missing" in t["output"] for t in quiz)


@pytest.mark.parametrize("args, message", [
    (["grade", "does-not-exist", "--assignment", "02_cnn_layers"], "does not exist"),
    (["grade", str(SOLUTIONS / "02_cnn_layers"), "--assignment", "99_nope"], "unknown assignment"),
    (["grade", str(SOLUTIONS / "02_cnn_layers" / "layers.py"), "--assignment", "02_cnn_layers"],
     "neither a folder nor a .zip"),
])
def test_bad_input_exits_2_with_a_message_on_stderr(args, message):
    done = run_cli(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert message in done.stderr


def test_only_json_goes_to_stdout_even_with_progress():
    done = run_cli("grade", str(SOLUTIONS / "02_cnn_layers"), "--assignment", "02_cnn_layers",
                   "--format", "json", "--progress")
    assert done.returncode == 0
    json.loads(done.stdout)
    assert "grading 02_cnn_layers" in done.stderr


def test_example_command_shows_a_real_report():
    done = run_cli("example")
    assert done.returncode == 0, done.stderr
    assert "80 / 100" in done.stdout
    for function in ("conv_backward", "relu_backward", "softmax"):
        assert function in done.stdout


def test_the_example_is_built_from_todays_reference(tmp_path):
    """Each of the example's mistakes applies to the reference once and changes it; a reference
    that no longer has a mistake's line is named, with the file to update."""
    from autograder.example import MISTAKES, ExampleError, example_source
    source = example_source()
    for mistake in MISTAKES:
        assert mistake.new in source and mistake.old not in source
    solutions = tmp_path / "solutions" / "02_cnn_layers"
    solutions.mkdir(parents=True)
    (solutions / "layers.py").write_text(source, encoding="utf-8")
    with pytest.raises(ExampleError, match="conv_backward .* found it 0 times: update autograder/example.py"):
        example_source(str(tmp_path / "solutions"))
    with pytest.raises(ExampleError, match="not here"):
        example_source(str(tmp_path / "nowhere"))


def test_python_dash_m_and_version():
    done = run_cli("--version")
    assert done.returncode == 0 and "cnn-autograder" in done.stdout


def test_the_grader_works_without_the_hint_library():
    """Wheels leave autograder.hints out (it holds near-working layers); grading still works."""
    import subprocess
    import sys
    code = ("import sys\n"
            "sys.modules['autograder.hints'] = None\n"
            "import autograder.registry as registry\n"
            "assert all(spec.hints == {} for spec in registry.ASSIGNMENTS.values())\n"
            "from autograder.grading.runner import grade\n"
            f"print(grade({str(ASSIGNMENTS / '02_cnn_layers')!r}, '02_cnn_layers').score)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0.0"


def test_pyproject_keeps_the_hints_out_of_wheels():
    import tomllib

    from autograder.paths import REPO_ROOT
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    assert "autograder.hints" in config["tool"]["setuptools"]["packages"]["find"]["exclude"]


def test_artifacts_draw_where_outputs_differ(tmp_path):
    from autograder.example import build_example
    example = build_example(tmp_path / "example")
    data = cli_json("grade", str(example), "--assignment", "02_cnn_layers", "--artifacts", str(tmp_path))
    stride = next(t for t in data["tests"] if t["name"] == "conv_backward.stride")
    picture = tmp_path / "conv_backward.stride.png"
    assert str(picture) in stride["output"]
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    passed = [t["name"] for t in data["tests"] if t["status"] == "passed"]
    assert not any((tmp_path / f"{name}.png").exists() for name in passed)
