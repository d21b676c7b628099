"""The 01 quiz never shows its answers (issue 14 §4): whatever a notebook does with what
``autograder.quiz.generate(id)`` returns (echo it, print it, pretty-print it, look inside it,
pickle it), no right answer comes out. The grader computes the answers itself (``_answers``).
"""
from __future__ import annotations

import dataclasses
import pickle
import re

import pytest
from IPython.core.formatters import DisplayFormatter
from IPython.lib.pretty import pretty

from autograder import quiz
from autograder.core.messages import LANGUAGES

STUDENTS = ["reference", "ana-2026", "2026-UY-4711", "20261234", "someone"] + [f"s{i:03d}" for i in range(40)]
SHOWN = {"id", "topic", "kind", "text", "fields"}          # all a Question holds
NUMBER = re.compile(r"(?<![\w.])\d[\d,_]*")          # not the 1 of a field named f1


def renderings(obj) -> dict[str, str]:
    """Every way a notebook or a curious student turns ``obj`` into text."""
    shown = {"repr": repr(obj), "str": str(obj), "format": format(obj, ""), "pretty": pretty(obj)}
    data, metadata = DisplayFormatter().format(obj)         # what Jupyter's display() sends
    for mime, value in {**data, **{f"meta {k}": v for k, v in metadata.items()}}.items():
        shown[f"display {mime}"] = str(value)
    for method in ("_repr_html_", "_repr_markdown_", "_repr_latex_", "_repr_json_", "_repr_mimebundle_"):
        if callable(getattr(obj, method, None)):
            shown[method] = str(getattr(obj, method)())
    items = obj if isinstance(obj, list) else [obj]
    shown["vars"] = repr([vars(q) for q in items])
    shown["asdict"] = repr([dataclasses.asdict(q) for q in items])
    shown["pickled state"] = repr([q.__reduce_ex__(pickle.HIGHEST_PROTOCOL)[2] for q in items])
    return shown


def numbers(text: str) -> set[int]:
    return {int(n.replace(",", "").replace("_", "")) for n in NUMBER.findall(text)}


def question_numbers(questions) -> set[int]:
    """The numbers a question shows by itself: its id, its text in every language, its fields."""
    found = set()
    for q in questions:
        found |= numbers(q.id) | {int(v) for v in q.fields.values()}
        for lang in LANGUAGES:
            found |= numbers(q.text_in(lang)) | numbers(q.topic_in(lang))
    return found


def leaked(text: str, questions, answers: dict) -> list:
    """Answers visible in ``text``: a number no question text holds that is (part of) an answer,
    or a volume written as a tuple."""
    extra = numbers(text) - question_numbers(questions)
    out = []
    for q in questions:
        answer = answers[q.id]
        parts = answer if q.kind == "volume" else (() if q.kind == "bool" else (answer,))
        if q.kind == "volume" and (repr(answer) in text or "{}x{}x{}".format(*answer) in text):
            out.append((q.id, answer))
        out += [(q.id, answer) for p in parts if p in extra]
    return out


@pytest.mark.parametrize("student", STUDENTS)
def test_showing_the_quiz_shows_no_answer(student):
    questions, answers = quiz.generate(student), quiz._answers(student)
    assert [q.id for q in questions] == list(answers)
    for q in questions:
        assert {f.name for f in dataclasses.fields(q)} == SHOWN and set(vars(q)) == SHOWN
        assert not [name for name in dir(q) if "answer" in name.lower() or "digest" in name.lower()]
        restored = pickle.loads(pickle.dumps(q))
        assert restored == q and set(vars(restored)) == SHOWN
        for how, text in renderings(q).items():
            assert not leaked(text, [q], answers), f"{student} {q.id}: {how} shows the answer: {text}"
    for how, text in renderings(questions).items():
        assert not leaked(text, questions, answers), f"{student}: the list's {how} shows an answer"


def test_the_leak_detector_sees_an_answer_when_one_is_shown():
    """Not a vacuous test: a repr that appends the answer is caught, for every non-bool kind."""
    student = "ana-2026"
    questions, answers = quiz.generate(student), quiz._answers(student)
    caught = [q.id for q in questions
              if leaked(f"{q!r} answer={answers[q.id]!r}", [q], answers)]
    assert caught == [q.id for q in questions if q.kind != "bool"]


def test_the_students_self_check_still_works_without_answers_in_the_questions():
    for student in STUDENTS[:5]:
        answers = quiz._answers(student)
        for q in quiz.generate(student):
            right = answers[q.id]
            wrong = (not right) if q.kind == "bool" else \
                tuple(v + 1 for v in right) if q.kind == "volume" else right + 1
            assert quiz.check_answer(student, q.id, right) and not quiz.check_answer(student, q.id, wrong)
            assert quiz.is_correct(q, right, right) and not quiz.is_correct(q, wrong, right)
