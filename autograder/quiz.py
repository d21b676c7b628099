"""The shape-arithmetic quiz of assignment 01, generated per student.

Questions come from a seed derived from ``STUDENT_ID`` (SHA-256, so every student gets their
own numbers, and the grader regenerates the same ones). The kinds follow the slides: output
volume of a conv layer, "does it fit?", padding for same size, parameters of conv and dense
layers, pooling output, receptive field of a stack, dense vs conv, and an AlexNet-style chain.
Pure functions: no I/O.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

AnswerKind = str   # "int", "bool" or "volume" (a triple of ints)


@dataclass(frozen=True)
class Question:
    """One question: its id (``q1``), kind of answer, English text and the right answer."""

    id: str
    topic: str
    kind: AnswerKind
    text: str
    answer: Any


def quiz_seed(student_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"cnn-autograder quiz 01:{student_id}".encode()).digest()[:8], "little")


def _out(n, f, s=1, p=0):
    return (n + 2 * p - f) // s + 1


def generate(student_id: str) -> list[Question]:
    """The ten questions of ``student_id`` (a non-empty string)."""
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
    qs.append(Question("q1", "conv output volume", "volume",
                       f"An input volume of {n}x{n}x{c} goes through a conv layer of {k} filters of "
                       f"{f}x{f}, stride {s}, padding {p}. What is the output volume (height, width, depth)?",
                       (_out(n, f, s, p), _out(n, f, s, p), k)))
    # q2: does it fit? (the slides' 7x7 input with a 3x3 filter at stride 3)
    n, f, s = int(rng.integers(7, 40)), pick([3, 5, 7]), pick([2, 3, 4])
    qs.append(Question("q2", "does it fit", "bool",
                       f"A {f}x{f} filter slides over a {n}x{n} input with stride {s} and no padding. "
                       f"Does it tile the input exactly (True/False)?", (n - f) % s == 0))
    # q3: padding for same size
    f = pick([3, 5, 7, 9, 11])
    qs.append(Question("q3", "same padding", "int",
                       f"What padding keeps the spatial size unchanged for a {f}x{f} filter at stride 1?",
                       (f - 1) // 2))
    # q4: conv parameter count (the slides' 760)
    f, c, k = pick([1, 3, 5, 7, 11]), pick([1, 3, 16, 32, 64]), pick([8, 10, 32, 96, 128])
    qs.append(Question("q4", "conv parameters", "int",
                       f"How many learnable parameters (weights and biases) has a conv layer of {k} "
                       f"filters of {f}x{f} over an input of depth {c}?", f * f * c * k + k))
    # q5: dense parameter count
    n_in, n_out = pick([120, 400, 784, 1024, 4096]), pick([10, 84, 100, 500])
    qs.append(Question("q5", "dense parameters", "int",
                       f"How many learnable parameters has a dense layer from {n_in} inputs to {n_out} "
                       f"outputs (weights and biases)?", n_in * n_out + n_out))
    # q6: pooling output (AlexNet's 55 -> 27 with 3x3 stride 2)
    size, s = pick([2, 3]), 2
    n = int(rng.integers(10, 120))
    qs.append(Question("q6", "pooling output", "int",
                       f"A {size}x{size} max pooling with stride {s} (no padding, trailing rows dropped) "
                       f"is applied to a {n}x{n} map. What is the output width?", _out(n, size, s)))
    # q7: receptive field of a stack
    layers = [(pick([3, 5]), pick([1, 2])) for _ in range(3)]
    r, jump = 1, 1
    for f_l, s_l in layers:
        r, jump = r + (f_l - 1) * jump, jump * s_l
    desc = ", then ".join(f"{f_l}x{f_l} stride {s_l}" for f_l, s_l in layers)
    qs.append(Question("q7", "receptive field", "int",
                       f"A stack of layers, nearest the input first: {desc}. How many input pixels wide "
                       f"is the receptive field of one output unit?", r))
    # q8, q9: dense vs conv (the slides' 200x200 image)
    side, hidden, k, f = pick([32, 64, 100, 200]), pick([100, 500, 1000]), pick([16, 32, 64]), pick([3, 5])
    dense = side * side * 3 * hidden + hidden
    conv = f * f * 3 * k + k
    qs.append(Question("q8", "dense vs conv", "int",
                       f"A {side}x{side} RGB image is fully connected to {hidden} hidden units. How many "
                       f"learnable parameters has that layer?", dense))
    qs.append(Question("q9", "dense vs conv", "int",
                       f"Instead, a conv layer of {k} filters of {f}x{f} is applied to the same image. How "
                       f"many times more parameters has the dense layer? Round to the nearest integer.",
                       int(math.floor(dense / conv + 0.5))))
    # q10: an AlexNet-style chain (227 -> conv 11 s4 -> 55 -> pool 3 s2 -> 27 -> conv 5 p2 -> 27 -> pool -> 13)
    n = pick([227, 224 + 3, 195, 259])
    f1, s1 = 11, 4
    a = _out(n, f1, s1)
    b = _out(a, 3, 2)
    c2 = _out(b, 5, 1, 2)
    d = _out(c2, 3, 2)
    qs.append(Question("q10", "AlexNet chain", "int",
                       f"An AlexNet-style chain on a {n}x{n}x3 image: conv 11x11 stride 4 (no padding), "
                       f"max pool 3x3 stride 2, conv 5x5 stride 1 padding 2, max pool 3x3 stride 2. "
                       f"What is the final spatial width?", d))
    return qs


def normalise(kind: AnswerKind, value: Any) -> Any:
    """A student's answer in canonical form, or ``None`` when it cannot be read as ``kind``."""
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no", "sim", "não", "nao", "sí", "si"):
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


def is_correct(question: Question, value: Any) -> bool:
    """Whether ``value`` answers ``question``."""
    got = normalise(question.kind, value)
    return got is not None and got == question.answer


def answer_digest(question: Question, value: Any, student_id: str) -> str:
    """A salted hash of a (normalised) answer: notebooks ship digests of the right answers, so a
    student can check an answer locally without the answer being readable."""
    got = normalise(question.kind, value)
    return hashlib.sha256(f"{student_id}|{question.id}|{got!r}".encode()).hexdigest()[:16]


def answer_key(student_id: str) -> dict[str, str]:
    """Salted digests of ``student_id``'s right answers, question id -> digest: what a
    notebook may show so that an answer can be checked without the answer being printed."""
    return {q.id: answer_digest(q, q.answer, student_id) for q in generate(student_id)}


def check_answer(student_id: str, qid: str, value: Any) -> bool:
    """Whether ``value`` answers question ``qid`` of ``student_id``'s quiz (by digest)."""
    question = next((q for q in generate(student_id) if q.id == qid), None)
    if question is None:
        raise ValueError(f"no question {qid!r}: the quiz has {', '.join(q.id for q in generate(student_id))}.")
    return answer_digest(question, value, student_id) == answer_key(student_id)[qid]
