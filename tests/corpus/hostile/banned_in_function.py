"""Hostile: the banned import hides inside a function body (found by the static scan)."""


def softmax(scores):
    import scipy.special
    return scipy.special.softmax(scores, axis=1)
