"""Hostile: right numbers in the wrong containers, and NaNs."""
import numpy as np

_softmax = softmax


def softmax(scores):
    return _softmax(scores).tolist()                     # a list, not an ndarray


def softmax_cross_entropy(scores, y):
    scores = np.asarray(scores)
    return float("nan"), np.full(scores.shape, np.nan, dtype=scores.dtype)


def relu_forward(x):
    out = np.maximum(x, 0)
    return out.astype(object), x                          # an object array: never decoded
