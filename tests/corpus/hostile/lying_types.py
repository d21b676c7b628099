"""Hostile: values that pretend to equal anything (an ndarray subclass, a float subclass)."""
import numpy as np


class LyingArray(np.ndarray):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __array_finalize__(self, obj):
        self.lie = True


class LyingFloat(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = float.__hash__


def softmax(scores):
    return np.zeros(np.shape(scores)).view(LyingArray)


def softmax_cross_entropy(scores, y):
    return LyingFloat(0.0), np.zeros(np.shape(scores)).view(LyingArray)
