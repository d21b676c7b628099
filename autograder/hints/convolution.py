"""Known bugs of ``convolution.py`` (assignment 01)."""
from __future__ import annotations

import numpy as np

from autograder.hints.declare import Variant, bug

MODULE = "convolution"


def flipped(ref, case):
    p = case.params
    kernel = np.asarray(p["kernel"])[::-1, ::-1]
    return {"out": ref.correlate2d(p["image"], kernel, p.get("stride", 1), p.get("pad", 0))}


def not_flipped(ref, case):
    p = case.params
    return {"out": ref.correlate2d(p["image"], p["kernel"], p.get("stride", 1), p.get("pad", 0))}


def only_one_axis(ref, case):
    p = case.params
    k = np.asarray(p["kernel"])
    return {"out": ref.correlate2d(p["image"], k[::-1, :], p.get("stride", 1), p.get("pad", 0))} \
        if not np.array_equal(k[::-1, :], k[::-1, ::-1]) else {}


def not_divided(ref, case):
    return {"out": ref.correlate2d(case.params["image"], case.params["template"])}


def ceil_zero_padding(ref, case):
    p = case.params
    if not p.get("ceil_mode"):
        return {}
    image = np.asarray(p["image"], dtype=np.float64)
    out = ref.max_pool2d(image, p["size"], p["stride"], True)
    h, w = image.shape
    size, s = p["size"], p["stride"]
    padded_max = out.copy()
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            if i * s + size > h or j * s + size > w:
                padded_max[i, j] = max(out[i, j], 0.0)
    return {"out": padded_max} if not np.array_equal(padded_max, out) else {}


def ceil_ignored(ref, case):
    p = case.params
    return {"out": ref.max_pool2d(p["image"], p["size"], p["stride"], False)} if p.get("ceil_mode") else {}


def relu_float64(ref, case):
    """Right values, promoted to float64 (a float64 mask or constant), for a float32 ``x``."""
    x = np.asarray(case.params["x"])
    return {"out": ref.relu(x).astype(np.float64)} if x.dtype == np.float32 else {}


BUGS: dict[str, list[Variant]] = {
    "correlate2d": [bug("correlate_flipped", flipped)],
    "convolve2d": [bug("convolve_not_flipped", not_flipped),
                   bug("convolve_one_axis", only_one_axis)],
    "template_match": [bug("template_not_divided", not_divided)],
    "relu": [bug("relu_float64", relu_float64)],
    "max_pool2d": [bug("ceil_zero_padding", ceil_zero_padding),
                   bug("ceil_ignored", ceil_ignored)],
}
