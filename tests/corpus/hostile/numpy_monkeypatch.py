"""Hostile: numpy's comparison helpers are replaced at import, and two functions are wrong."""
import numpy as np

np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(a, b).shape, dtype=bool)
np.testing.assert_allclose = lambda *args, **kwargs: None
np.testing.assert_array_equal = lambda *args, **kwargs: None


def softmax(scores):
    return np.zeros_like(scores)


def softmax_cross_entropy(scores, y):
    return 0.0, np.zeros_like(scores)
