"""Correct submissions of 01 and 03 written unlike the reference earn 100: plain loops, a
student's own quiz numbers answered in several formats, in-place optimizer state, another
valid dropout mask draw and a uniform Xavier. And the one sign convention docs/contract.md §5 excludes."""
from pathlib import Path

from autograder import quiz
from autograder.grading.runner import grade

from grading_helpers import SOLUTIONS, by_name, function_score, grade_files

CORPUS = Path(__file__).parent / "corpus" / "correct_other"


def _failed(report):
    return {r.name: r.message for r in report.results if r.status != "passed"}


def test_loops_convolution_with_the_reference_quiz_earns_100(tmp_path):
    report = grade_files(tmp_path, "01_convolution", {
        "convolution.py": (CORPUS / "convolution_loops.py").read_text(),
        "quiz_answers.py": (SOLUTIONS / "01_convolution" / "quiz_answers.py").read_text()})
    assert _failed(report) == {} and report.score == 100


def _answers_as_a_student_writes_them(student_id):
    answers, right = {}, quiz._answers(student_id)
    for q in quiz.generate(student_id):
        if q.kind == "volume":
            answers[q.id] = "{}x{}x{}".format(*right[q.id])       # "27x27x96"
        elif q.kind == "bool":
            answers[q.id] = str(right[q.id])                      # "True"
        elif right[q.id] >= 1000:
            answers[q.id] = f"{right[q.id]:,}"                    # "34,944"
        else:
            answers[q.id] = right[q.id]
    return answers


def test_a_students_own_quiz_is_graded_from_their_id(tmp_path):
    student = "2026-UY-4711"
    answers = _answers_as_a_student_writes_them(student)
    source = f"STUDENT_ID = {student!r}\nANSWERS = {answers!r}\n"
    report = grade_files(tmp_path, "01_convolution", {
        "convolution.py": (SOLUTIONS / "01_convolution" / "convolution.py").read_text(),
        "quiz_answers.py": source})
    assert _failed(report) == {} and report.score == 100
    # the same answers under another id are (almost all) wrong: the numbers are per student
    other = grade_files(tmp_path / "other", "01_convolution", {
        "convolution.py": (SOLUTIONS / "01_convolution" / "convolution.py").read_text(),
        "quiz_answers.py": source.replace(student, "someone-else")})
    assert function_score(other, "quiz")[0] <= 6
    wrong = by_name(other)["quiz.q4"]
    assert not wrong.passed and "is not right" in wrong.message


def test_quiz_without_student_id_says_so(tmp_path):
    report = grade_files(tmp_path, "01_convolution", {
        "convolution.py": (SOLUTIONS / "01_convolution" / "convolution.py").read_text(),
        "quiz_answers.py": 'STUDENT_ID = ""\nANSWERS = {"q1": 3}\n'})
    assert "set it to your student number" in by_name(report)["quiz.q1"].message
    assert function_score(report, "quiz")[0] == 0 and report.score == 80


def _optimization(tmp_path, optim_source):
    return grade_files(tmp_path, "03_optimization", {
        "optim.py": optim_source, "regularization.py": (CORPUS / "regularization_alt.py").read_text()})


def test_in_place_optimizers_and_other_random_draws_earn_100(tmp_path):
    report = _optimization(tmp_path, (CORPUS / "optim_inplace.py").read_text())
    assert _failed(report) == {} and report.score == 100


def test_the_cs231n_velocity_sign_costs_momentum_with_a_hint(tmp_path):
    source = (CORPUS / "optim_inplace.py").read_text().replace(
        '    v *= config["momentum"]\n    v += config["learning_rate"] * dw\n    return w - v, config',
        '    v *= config["momentum"]\n    v -= config["learning_rate"] * dw\n    return w + v, config')
    report = _optimization(tmp_path, source)
    assert function_score(report, "momentum")[0] < function_score(report, "momentum")[1]
    assert any("velocity_sign" in r.hints for r in report.results if r.function == "momentum")
    assert {r.function or r.name for r in report.results if not r.passed} == {"momentum"}


def test_the_roster_id_binds_the_quiz(tmp_path):
    """An instructor passes the roster's id: a quiz answered for someone else's id scores 0."""
    folder = SOLUTIONS / "01_convolution"
    other = grade(folder, "01_convolution", student_id="2026-001")
    quiz_rows = other.by_function()["quiz"]
    assert sum(r.score for r in quiz_rows) == 0 and sum(r.max_score for r in quiz_rows) == 20
    assert "is '2026-001''s" in by_name(other)["quiz.q3"].message
    assert grade(folder, "01_convolution", student_id="reference").score == 100
