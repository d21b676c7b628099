"""function: softmax
hint: none
message: modified its argument scores

The row maximum is subtracted in place, which changes the caller's scores.
"""
import numpy as np


def softmax(scores):
    """Row-wise softmax, shifted by the row maximum."""
    scores -= scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)
