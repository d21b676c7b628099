"""Known bugs of ``convolution.py`` (assignment 01)."""
from __future__ import annotations

import numpy as np

from autograder.checks.base import Variant, register_hints

MODULE = "convolution"


def flipped(ref, case):
    p = case.params
    return {"out": ref.correlate2d(p["image"], np.asarray(p["kernel"])[::-1, ::-1], p.get("stride", 1), p.get("pad", 0))}


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


register_hints(MODULE, "correlate2d", [Variant("correlate_flipped", flipped)], {
    "hint.correlate_flipped": "Your output is a true convolution (kernel flipped): correlate2d must "
                              "not flip the kernel; only convolve2d does."})
register_hints(MODULE, "convolve2d", [Variant("convolve_not_flipped", not_flipped),
                                      Variant("convolve_one_axis", only_one_axis)], {
    "hint.convolve_not_flipped": "Your output is a correlation: convolve2d rotates the kernel by 180 "
                                 "degrees first (kernel[::-1, ::-1]).",
    "hint.convolve_one_axis": "Your kernel is flipped on one axis only: a 180-degree rotation flips both."})
register_hints(MODULE, "template_match", [Variant("template_not_divided", not_divided)], {
    "hint.template_not_divided": "Your map is not divided by the number of pixels of the template "
                                 "(template.size)."})
register_hints(MODULE, "max_pool2d", [Variant("ceil_zero_padding", ceil_zero_padding),
                                      Variant("ceil_ignored", ceil_ignored)], {
    "hint.ceil_zero_padding": "Your partial border windows count padded zeros: a partial window takes "
                              "the max of the pixels it holds only (pad with -inf, or slice).",
    "hint.ceil_ignored": "Your output ignores ceil_mode=True: partial windows at the border must count."})
