"""Not wrong, only noisy: prints at import, to sys.__stdout__, to fd 1 and fd 2. Earns 100."""
import os
import sys

print("importing layers.py")
_affine_forward, _softmax = affine_forward, softmax


def affine_forward(x, w, b):
    sys.__stdout__.write("\x00\x00\x00\x00\x00\x00\x00\x10{\"ok\": true}...\n")
    sys.__stdout__.flush()
    os.write(1, b"\x00" * 16 + b"fd 1\n")
    os.write(2, b"fd 2\n")
    return _affine_forward(x, w, b)


def softmax(scores):
    print("softmax", file=sys.stderr)
    return _softmax(scores)
