"""Checks of ``quiz_answers.py`` (assignment 01): each student's own shape-arithmetic questions,
regenerated from their ``STUDENT_ID`` (see :mod:`autograder.quiz`)."""
from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from autograder import quiz
from autograder.checks.base import Case, Check, Ctx
from autograder.checks.declare import Table

MODULE = "quiz_answers"
table = Table(MODULE)
QUESTION_IDS = tuple(f"q{i}" for i in range(1, 11))


def _student_answers(ctx: Ctx) -> tuple[str, dict]:
    label = Case({}, "")
    result = ctx.sandbox.attr(MODULE, "STUDENT_ID", timeout=ctx.timeout)
    ctx.raise_for(result, "STUDENT_ID", label)
    student_id = result.value
    if not isinstance(student_id, str) or not student_id.strip():
        ctx.fail("quiz.no_id", got=repr(student_id))
    expected_id = ctx.settings.get("student_id")
    if expected_id is not None and student_id.strip() != str(expected_id).strip():
        ctx.fail("quiz.other_id", got=student_id, expected=expected_id)
    result = ctx.sandbox.attr(MODULE, "ANSWERS", timeout=ctx.timeout)
    ctx.raise_for(result, "ANSWERS", label)
    if not isinstance(result.value, dict):
        ctx.fail("quiz.no_answers", got=type(result.value).__name__)
    return student_id.strip(), result.value


def question(ctx: Ctx, qid: str) -> None:
    """The answer to question ``qid`` of this student's quiz is right."""
    student_id, answers = _student_answers(ctx)
    q = next(q for q in quiz.generate(student_id) if q.id == qid)
    answer = quiz._answers(student_id)[qid]      # computed here, in the grader's process
    if qid not in answers or answers[qid] is None:
        ctx.fail("quiz.unanswered", qid=qid, text=q.text_in(ctx.lang))
    if quiz.normalise(q.kind, answers[qid]) is None:
        ctx.fail("quiz.unreadable", qid=qid, got=repr(answers[qid]), kind=q.kind)
    if not quiz.is_correct(q, answers[qid], answer):
        ctx.fail("quiz.wrong", qid=qid, topic=q.topic_in(ctx.lang), got=repr(answers[qid]),
                 text=q.text_in(ctx.lang), formula=ctx.text(f"quiz.formula.{qid}"))


def checks() -> Iterator[Check]:
    # A question is not a student function: ``function`` is None; answers are checked against
    # the grader's own computation, not the reference solutions.
    for qid in QUESTION_IDS:
        yield table.check(f"quiz.{qid}", partial(question, qid=qid), f"quiz question {qid}",
                          reference=False, function=None)
