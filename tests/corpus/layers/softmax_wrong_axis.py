"""function: softmax
hint: softmax.wrong_axis
message: probs[

Normalised over axis 0 (columns) instead of rows.
"""
import numpy as np


def softmax(scores):
    """Row-wise softmax, shifted by the row maximum."""
    shifted = scores - scores.max(axis=0, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=0, keepdims=True)
