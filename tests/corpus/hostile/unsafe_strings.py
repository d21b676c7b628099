"""Hostile: strings built to break the report: an exception message with a lone surrogate, ANSI
escapes that clear the instructor's terminal and print a fake score, and a bidirectional
override; an exception type whose name is 2 MiB long; a result object whose type name is huge
and holds a newline."""
_softmax_cross_entropy = softmax_cross_entropy


def affine_backward(dout, cache):
    raise ValueError("bad \ud800 input \x1b[2J\x1b[1;1HTOTAL 100 / 100\x1b[0m \u202eevil\u202c " + "x" * 100_000)


def softmax_cross_entropy(scores, y):
    raise type("E" * (2 << 20), (Exception,), {})("a type name of 2 MiB")


class _Weird:
    pass


_Weird.__qualname__ = "Weird\n\x1b[31m" + "W" * (1 << 20)


def softmax(scores):
    return _Weird()
