"""Hostile: conv_backward prints 100 MB; relu_forward then prints one line, as debugging code
does, and is otherwise right (it must keep its points)."""
import sys

_relu_forward = relu_forward


def conv_backward(dout, cache):
    line = "x" * 999
    for _ in range(100_000):
        print(line)
    raise RuntimeError("unreachable: the output limit stops the loop")


def relu_forward(x):
    print("relu_forward called with", getattr(x, "shape", None))
    sys.stdout.flush()
    return _relu_forward(x)
