"""The shape-arithmetic quiz of assignment 01, generated per student.

Questions come from a seed derived from ``STUDENT_ID`` (SHA-256, so every student gets their
own numbers, and the grader regenerates the same ones). The kinds follow the slides: output
volume of a conv layer, "does it fit?", padding for same size, parameters of conv and dense
layers, pooling output, receptive field of a stack, dense vs conv, and an AlexNet-style chain.
Pure functions: no I/O.

Two sides. The student's: :func:`generate` gives :class:`Question` objects that hold no answer
in any form (a notebook may display, ``vars()`` or pickle them freely), and :func:`check_answer`
compares salted digests. The grader's: :func:`_answers` computes the right answers from the id.
The package is open source, so that function is no secret; what matters is that showing the
quiz never shows its answers.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograder.core.messages import render

AnswerKind = str   # "int", "bool" or "volume" (a triple of ints)


@dataclass(frozen=True)
class Question:
    """One question as a student sees it: its id (``q1``), topic, kind of answer and English
    text; the numbers of its text are ``fields``, so it can be shown in any catalogue language.
    It carries no answer (nor a digest of one): displaying it reveals nothing."""

    id: str
    topic: str
    kind: AnswerKind
    text: str
    fields: dict = field(default_factory=dict, compare=False)

    def text_in(self, lang: str = "en") -> str:
        """The question in ``lang`` (``en``, ``pt``, ``es``)."""
        return render(f"quiz.text.{self.id}", lang, **self.fields)

    def topic_in(self, lang: str = "en") -> str:
        return render(f"quiz.topic.{self.id}", lang)


def _question(qid: str, kind: AnswerKind, answer: Any, **fields) -> tuple[Question, Any]:
    """A question and, apart from it, its right answer."""
    return Question(qid, render(f"quiz.topic.{qid}"), kind, render(f"quiz.text.{qid}", "en", **fields),
                    fields), answer


def quiz_seed(student_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"cnn-autograder quiz 01:{student_id}".encode()).digest()[:8], "little")


def _out(n, f, s=1, p=0):
    return (n + 2 * p - f) // s + 1


def generate(student_id: str) -> list[Question]:
    """The ten questions of ``student_id`` (a non-empty string), without their answers."""
    return [q for q, _ in _quiz(student_id)]


def _answers(student_id: str) -> dict[str, Any]:
    """The grader's side: question id -> the right answer (canonical form, see
    :func:`normalise`) of ``student_id``'s quiz."""
    return {q.id: answer for q, answer in _quiz(student_id)}


def _quiz(student_id: str) -> list[tuple[Question, Any]]:
    """The ten (question, answer) pairs of ``student_id``."""
    if not isinstance(student_id, str) or not student_id.strip():
        raise ValueError("STUDENT_ID must be a non-empty string (your student number or login).")
    rng = np.random.default_rng(quiz_seed(student_id.strip()))
    pick = lambda seq: seq[int(rng.integers(len(seq)))]  # noqa: E731
    qs = []

    # q1: output volume of a conv layer (the slides' 32x32x3 with ten 5x5 filters, stride 1, pad 2)
    f, s = pick([3, 5, 7]), pick([1, 2])
    p = pick([0, (f - 1) // 2])
    n = int(rng.integers(6, 30)) * s + f - 2 * p
    n = n if (n + 2 * p - f) % s == 0 else n + (s - (n + 2 * p - f) % s)
    c, k = pick([1, 3, 16]), pick([6, 10, 32, 64])
    qs.append(_question("q1", "volume", (_out(n, f, s, p), _out(n, f, s, p), k), n=n, c=c, k=k, f=f, s=s, p=p))
    # q2: does it fit? (the slides' 7x7 input with a 3x3 filter at stride 3)
    n, f, s = int(rng.integers(7, 40)), pick([3, 5, 7]), pick([2, 3, 4])
    qs.append(_question("q2", "bool", (n - f) % s == 0, f=f, n=n, s=s))
    # q3: padding for same size
    f = pick([3, 5, 7, 9, 11])
    qs.append(_question("q3", "int", (f - 1) // 2, f=f))
    # q4: conv parameter count (the slides' 760)
    f, c, k = pick([1, 3, 5, 7, 11]), pick([1, 3, 16, 32, 64]), pick([8, 10, 32, 96, 128])
    qs.append(_question("q4", "int", f * f * c * k + k, k=k, f=f, c=c))
    # q5: dense parameter count
    n_in, n_out = pick([120, 400, 784, 1024, 4096]), pick([10, 84, 100, 500])
    qs.append(_question("q5", "int", n_in * n_out + n_out, n_in=n_in, n_out=n_out))
    # q6: pooling output (AlexNet's 55 -> 27 with 3x3 stride 2)
    size, s = pick([2, 3]), 2
    n = int(rng.integers(10, 120))
    qs.append(_question("q6", "int", _out(n, size, s), size=size, s=s, n=n))
    # q7: receptive field of a stack
    layers = [(pick([3, 5]), pick([1, 2])) for _ in range(3)]
    r, jump = 1, 1
    for f_l, s_l in layers:
        r, jump = r + (f_l - 1) * jump, jump * s_l
    (f1, s1), (f2, s2), (f3, s3) = layers
    qs.append(_question("q7", "int", r, f1=f1, s1=s1, f2=f2, s2=s2, f3=f3, s3=s3))
    # q8, q9: dense vs conv (the slides' 200x200 image)
    side, hidden, k, f = pick([32, 64, 100, 200]), pick([100, 500, 1000]), pick([16, 32, 64]), pick([3, 5])
    dense = side * side * 3 * hidden + hidden
    conv = f * f * 3 * k + k
    qs.append(_question("q8", "int", dense, side=side, hidden=hidden))
    qs.append(_question("q9", "int", int(math.floor(dense / conv + 0.5)), k=k, f=f))
    # q10: an AlexNet-style chain (227 -> conv 11 s4 -> 55 -> pool 3 s2 -> 27 -> conv 5 p2 -> 27 -> pool -> 13)
    n = pick([227, 224 + 3, 195, 259])
    f1, s1 = 11, 4
    a = _out(n, f1, s1)
    b = _out(a, 3, 2)
    c2 = _out(b, 5, 1, 2)
    d = _out(c2, 3, 2)
    qs.append(_question("q10", "int", d, n=n))
    return qs


def normalise(kind: AnswerKind, value: Any) -> Any:
    """A student's answer in canonical form, or ``None`` when it cannot be read as ``kind``."""
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no", "sim", "não", "nao",
                                                                "sí", "si"):
            return value.strip().lower() in ("true", "yes", "sim", "sí", "si")
        return None
    if kind == "int":
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            text = value.strip().replace(",", "").replace("_", "")
            return int(text) if text.lstrip("-").isdigit() else None
        return None
    if kind == "volume":
        if isinstance(value, str):
            parts = value.lower().replace("x", ",").replace("×", ",").replace("(", "").replace(")", "").split(",")
            value = [p.strip() for p in parts if p.strip()]
        if isinstance(value, (list, tuple)) and len(value) == 3:
            items = [normalise("int", v) for v in value]
            return tuple(items) if None not in items else None
        return None
    raise ValueError(f"unknown answer kind {kind!r}")


def is_correct(question: Question, value: Any, answer: Any) -> bool:
    """Whether ``value`` (as a student wrote it) equals ``answer`` (from :func:`_answers`)."""
    got = normalise(question.kind, value)
    return got is not None and got == answer


def answer_digest(question: Question, value: Any, student_id: str) -> str:
    """A salted hash of a (normalised) answer: notebooks ship digests of the right answers, so a
    student can check an answer locally without the answer being readable."""
    got = normalise(question.kind, value)
    return hashlib.sha256(f"{student_id}|{question.id}|{got!r}".encode()).hexdigest()[:16]


def answer_key(student_id: str) -> dict[str, str]:
    """Salted digests of ``student_id``'s right answers, question id -> digest: what a
    notebook may show so that an answer can be checked without the answer being printed."""
    return {q.id: answer_digest(q, answer, student_id) for q, answer in _quiz(student_id)}


def check_answer(student_id: str, qid: str, value: Any) -> bool:
    """Whether ``value`` answers question ``qid`` of ``student_id``'s quiz (by digest)."""
    question = next((q for q in generate(student_id) if q.id == qid), None)
    if question is None:
        raise ValueError(f"no question {qid!r}: the quiz has {', '.join(q.id for q in generate(student_id))}.")
    return answer_digest(question, value, student_id) == answer_key(student_id)[qid]
