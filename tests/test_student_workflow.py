"""A student's path through 02: the released folder, the local feedback (pytest in the folder,
no solutions needed), and the points of each function going to full as it is implemented."""
import shutil
import subprocess
import sys

from autograder.core.recording import FILENAME
from autograder.selfcheck import run

from corpus_tools import patch_module
from grading_helpers import ASSIGNMENTS, SOLUTIONS

ORDER = ["zero_pad", "conv_forward", "conv_backward", "max_pool_forward", "max_pool_backward",
         "avg_pool_forward", "avg_pool_backward", "relu_forward", "relu_backward", "affine_forward",
         "affine_backward", "softmax", "softmax_cross_entropy"]


def _points(report):
    return {f: (sum(r.score for r in rows), sum(r.max_score for r in rows))
            for f, rows in report.by_function().items()}


def _function_source(path, name):
    import ast
    source = path.read_text()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            lines = source.splitlines(keepends=True)
            return "".join(lines[node.lineno - 1:node.end_lineno])
    raise LookupError(name)


def test_student_fills_in_layers_one_function_at_a_time(tmp_path):
    folder = tmp_path / "02_cnn_layers"
    shutil.copytree(ASSIGNMENTS / "02_cnn_layers", folder)
    assert (folder / FILENAME).is_file()

    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=folder,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stdout[-2000:]
    assert "public checks of 02_cnn_layers: 0 /" in done.stdout
    assert all(score == 0 for score, _ in _points(run(folder)).values())

    reference = SOLUTIONS / "02_cnn_layers" / "layers.py"
    done_so_far = []
    for function in ORDER:
        student = folder / "layers.py"
        student.write_text(patch_module(student.read_text(), _function_source(reference, function)))
        done_so_far.append(function)
        points = _points(run(folder))
        for name, (score, max_score) in points.items():
            if name in done_so_far:
                assert score == max_score, f"after {function}: {name} has {score} / {max_score}"
            else:
                assert score == 0, f"after {function}: {name} has {score} without being written"

    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=folder,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:]


def test_check_command_and_quiz_self_check(tmp_path):
    from autograder import quiz
    folder = tmp_path / "01_convolution"
    shutil.copytree(ASSIGNMENTS / "01_convolution", folder)
    shutil.copy(SOLUTIONS / "01_convolution" / "convolution.py", folder)
    done = subprocess.run([sys.executable, "-m", "autograder", "check", str(folder), "--function", "fits"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "fits" in done.stdout and "5 / 5" in done.stdout
    q = quiz.generate("ana-2026")[1]
    answer = quiz._answers("ana-2026")[q.id]
    assert quiz.check_answer("ana-2026", q.id, answer) and not quiz.check_answer("ana-2026", q.id, not answer)
    assert str(answer) not in quiz.answer_key("ana-2026").values()


KERAS_ORDER = ["build_lenet5", "train", "build_model", "build_fashion_cnn", "build_transfer_model", "unfreeze_top",
               "extract_features"]


def test_student_fills_in_the_keras_lab_one_function_at_a_time(tmp_path):
    """04: the same path, with Keras in the student process (the public checks need no
    reference: they compare against values the grader computes)."""
    import pytest

    pytest.importorskip("keras")
    folder = tmp_path / "04_keras_cnn"
    shutil.copytree(ASSIGNMENTS / "04_keras_cnn", folder)
    assert all(score == 0 for score, _ in _points(run(folder)).values())

    reference = SOLUTIONS / "04_keras_cnn" / "keras_cnn.py"
    student = folder / "keras_cnn.py"
    for index, function in enumerate(KERAS_ORDER):
        student.write_text(patch_module(student.read_text(), _function_source(reference, function)))
        for name, (score, max_score) in _points(run(folder)).items():
            if name in KERAS_ORDER[:index + 1]:
                assert score == max_score, f"after {function}: {name} has {score} / {max_score}"
            else:
                assert score == 0, f"after {function}: {name} has {score} without being written"

    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=folder,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:]
    assert not (folder / "mnist_cnn.keras").exists()
