"""Every bad option is the grader not being able to run (docs/contract.md §8): exit 2, nothing on
stdout, and a message on stderr naming the option and how to fix it, before any grading."""
import pytest

from grading_helpers import ASSIGNMENTS, SOLUTIONS, run_cli

SUBMISSION = str(SOLUTIONS / "02_cnn_layers")
STUBS = str(ASSIGNMENTS / "02_cnn_layers")


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    root = tmp_path_factory.mktemp("options")
    (root / "a_file.txt").write_text("not a folder")
    return root


CASES = [
    (["grade", SUBMISSION, "--assignment", "02_cnn_layers", "--artifacts", "{root}/a_file.txt"],
     "--artifacts {root}/a_file.txt is a file, not a folder"),
    (["grade", SUBMISSION, "--assignment", "02_cnn_layers", "--artifacts", "{root}/a_file.txt/pics"],
     "is a file, so no folder can be made under it"),
    (["grade", SUBMISSION, "--assignment", "02_cnn_layers", "--only", "no_such_check"],
     "--only 'no_such_check' matches no check of 02_cnn_layers"),
    (["grade", SUBMISSION, "--assignment", "02_cnn_layers", "--only="], "--only is empty"),
    (["grade", SUBMISSION, "--assignment", "02_cnn_layers", "--student-id= "], "--student-id is empty"),
    (["grade", SUBMISSION, "--assignment", "02_cnn_layers", "--output", "{root}/missing/report.txt"],
     "the folder {root}/missing does not exist"),
    (["grade", SUBMISSION, "--assignment", "02_cnn_layers", "--output", "{root}"], "is a folder: give a file name"),
    (["grade", SUBMISSION, "--assignment", "02_cnn_layers", "--output="], "--output is empty"),
    (["grade", "{root}/no_such_folder", "--assignment", "02_cnn_layers"], "does not exist"),
    (["grade", SUBMISSION, "--assignment", "02_cnn_layers", "--lang", "fr"], "invalid choice: 'fr'"),
    (["check", STUBS, "--function", "no_such_function"], "has no graded function 'no_such_function'"),
    (["check", STUBS, "--function="], "--function is empty"),
    (["check", "{root}/no_such_folder"], "does not exist: give your assignment folder"),
    (["check", STUBS + "/layers.py"], "is a file: give the assignment folder that holds it"),
    (["check", STUBS, "--artifacts", "{root}/a_file.txt"], "is a file, not a folder"),
    (["example", "--artifacts", "{root}/a_file.txt"], "is a file, not a folder"),
]


@pytest.mark.parametrize("args, message", CASES, ids=[" ".join(a[2:] if a[0] == "grade" else a[:1] + a[2:])
                                                       for a, _ in CASES])
def test_a_bad_option_exits_2_with_a_message(paths, args, message):
    done = run_cli(*[a.format(root=paths) for a in args])
    assert done.returncode == 2, (done.stdout[-500:], done.stderr[-500:])
    assert done.stdout == ""
    assert message.format(root=paths) in done.stderr
    assert "Traceback" not in done.stderr
    assert not (paths / "missing").exists() and (paths / "a_file.txt").read_text() == "not a folder"


def test_an_artifacts_folder_that_does_not_exist_yet_is_fine(tmp_path):
    done = run_cli("grade", SUBMISSION, "--assignment", "02_cnn_layers", "--only", "zero_pad",
                   "--artifacts", str(tmp_path / "new" / "pictures"))
    assert done.returncode == 0, done.stderr
    assert "total" in done.stdout
