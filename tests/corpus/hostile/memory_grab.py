"""Hostile: softmax allocates 745 GiB at once; softmax_cross_entropy grows a list until the
memory limit stops it (on its first case only, so the test pays for one blow-up) and is wrong
on the others."""
import numpy as np


def softmax(scores):
    return np.ones(10**11)


def softmax_cross_entropy(scores, y):
    if len(scores) == 5:
        hoard = []
        while True:
            hoard.append([0] * 100_000)
    return 0.0, np.zeros_like(scores)
