"""Hostile: softmax returns a 1.5 GB array."""
import numpy as np


def softmax(scores):
    return np.zeros((3 << 29) // 8)
