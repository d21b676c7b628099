"""function: softmax
hint: softmax.no_shift
message: non-finite values

exp of the raw scores: inf / inf = NaN for large logits.
"""
import numpy as np


def softmax(scores):
    """Row-wise softmax, shifted by the row maximum."""
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)
