"""function: softmax_cross_entropy
hint: none
message: dscores has dtype float64, expected float32

The scores are cast to float64 first: float32 in, float64 out.
"""
import numpy as np


def softmax_cross_entropy(scores, y):
    """Mean cross-entropy through log-sum-exp, and (probs - onehot) / N."""
    scores = scores.astype(np.float64)
    n = scores.shape[0]
    if y.shape != (n,):
        raise ValueError(f"y must hold one label per row of scores: shape ({n},), got {y.shape}")
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(n)
    loss = -log_probs[rows, y].mean()
    dscores = np.exp(log_probs)
    dscores[rows, y] -= 1
    dscores /= n
    return float(loss), dscores
