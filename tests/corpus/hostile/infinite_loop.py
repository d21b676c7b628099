"""Hostile: relu_backward spins forever on image batches (4-D), and is wrong otherwise."""


def relu_backward(dout, cache):
    if dout.ndim == 4:
        while True:
            pass
    return dout
