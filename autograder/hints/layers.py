"""Known bugs of ``layers.py`` (assignment 02) and the hints that teach them.

Each bug (:func:`~autograder.hints.declare.bug`) recomputes, from the inputs of a failing case,
the outputs one buggy implementation gives (the output names of the check: ``out``; ``dx``,
``dw``, ``db``; ``probs``; ``loss``, ``dscores``). When every output a bug returns equals the
student's, the failing message gets the text ``hint.<key>``. Every bug here is declared with its
function's reference outputs (``reference=``), so it returns only the outputs it changes on that
case and nothing when it has no effect there (stride 1 for a stride bug, N = 1 for a batch bug):
a hint never fires on outputs that are merely right. Bugs run on float64 copies of the inputs
and use the reference module ``ref`` or a few lines of plain numpy.

Texts say what is wrong and why, never the reference's code.
"""
from __future__ import annotations

import numpy as np

from autograder.checks.base import Case
from autograder.hints.declare import Variant, bug, forms

MODULE = "layers"


# ---------------------------------------------------------------------------
# Inputs of a case, as float64
# ---------------------------------------------------------------------------

def _f64(value):
    value = np.asarray(value)
    return value.astype(np.float64) if value.dtype.kind == "f" else value


def _pair(value) -> tuple[int, int]:
    return (int(value[0]), int(value[1])) if isinstance(value, (tuple, list)) else (int(value), int(value))


def _conv_args(case: Case):
    """(x, w, b, stride, pad) of a conv case."""
    p = case.params
    return _f64(p["x"]), _f64(p["w"]), _f64(p["b"]), p.get("stride", 1), p.get("pad", 0)


def _pool_kwargs(case: Case) -> dict:
    return {k: case.params[k] for k in ("pool_size", "stride") if k in case.params}


def _pool_geometry(case: Case):
    """(x, (ph, pw), (sh, sw), (H_out, W_out)) of a pooling case; stride None = pool size."""
    x = _f64(case.params["x"])
    ph, pw = _pair(case.params.get("pool_size", 2))
    stride = case.params.get("stride")
    sh, sw = (ph, pw) if stride is None else _pair(stride)
    return x, (ph, pw), (sh, sw), ((x.shape[1] - ph) // sh + 1, (x.shape[2] - pw) // sw + 1)


# ---------------------------------------------------------------------------
# Reference outputs of each graded function on a case (what a variant is compared against)
# ---------------------------------------------------------------------------

def _ref_zero_pad(ref, case):
    return {"out": ref.zero_pad(_f64(case.params["x"]), case.params["pad"])}


def _ref_conv_forward(ref, case):
    x, w, b, stride, pad = _conv_args(case)
    return {"out": ref.conv_forward(x, w, b, stride=stride, pad=pad)[0]}


def _ref_conv_backward(ref, case):
    x, w, b, stride, pad = _conv_args(case)
    cache = ref.conv_forward(x, w, b, stride=stride, pad=pad)[1]
    return dict(zip(("dx", "dw", "db"), ref.conv_backward(_f64(case.params["dout"]), cache)))


def _ref_pool_forward(name):
    def outputs(ref, case):
        return {"out": getattr(ref, name)(_f64(case.params["x"]), **_pool_kwargs(case))[0]}
    return outputs


def _ref_pool_backward(forward, backward):
    def outputs(ref, case):
        cache = getattr(ref, forward)(_f64(case.params["x"]), **_pool_kwargs(case))[1]
        return {"dx": getattr(ref, backward)(_f64(case.params["dout"]), cache)}
    return outputs


def _ref_relu_backward(ref, case):
    cache = ref.relu_forward(_f64(case.params["x"]))[1]
    return {"dx": ref.relu_backward(_f64(case.params["dout"]), cache)}


def _ref_affine_backward(ref, case):
    p = case.params
    cache = ref.affine_forward(_f64(p["x"]), _f64(p["w"]), _f64(p["b"]))[1]
    return dict(zip(("dx", "dw", "db"), ref.affine_backward(_f64(p["dout"]), cache)))


def _ref_softmax(ref, case):
    return {"probs": ref.softmax(_f64(case.params["scores"]))}


def _ref_sce(ref, case):
    loss, dscores = ref.softmax_cross_entropy(_f64(case.params["scores"]), case.params["y"])
    return {"loss": loss, "dscores": dscores}


# ---------------------------------------------------------------------------
# Plain numpy versions of the layers with a bug switched on
# ---------------------------------------------------------------------------

def _conv_grads(x, w, dout, stride, pad, *, step=None, assign=None, batch=None):
    """(dx, dx_pad, dw) of a conv layer by windows, with optional bugs.

    step: the window of output (i, j) starts at (i*step, j*step) (a correct layer: the stride);
    assign: "window" overwrites each window's dx (summed over F), "filter" keeps only the last
    filter's term of the last window (loops over F innermost with '='); batch: the examples
    whose products enter dw (None: all).
    """
    n, h, wd, c = x.shape
    hh, ww, _, f = w.shape
    _, h_out, w_out, _ = dout.shape
    step = stride if step is None else step
    x_pad = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    examples = slice(None) if batch is None else batch
    for i in range(h_out):
        for j in range(w_out):
            rows, cols = slice(i * step, i * step + hh), slice(j * step, j * step + ww)
            g = dout[:, i, j, :]                                          # (N, F)
            window = x_pad[:, rows, cols, :]                              # (N, HH, WW, C)
            dw += np.einsum("nhwc,nf->hwcf", window[examples], g[examples])
            if assign == "filter":
                dx_pad[:, rows, cols, :] = w[np.newaxis, ..., -1] * g[:, -1, None, None, None]
            elif assign == "window":
                dx_pad[:, rows, cols, :] = np.einsum("hwcf,nf->nhwc", w, g)
            else:
                dx_pad[:, rows, cols, :] += np.einsum("hwcf,nf->nhwc", w, g)
    return dx_pad[:, pad:pad + h, pad:pad + wd, :], dx_pad, dw


def _first_max(window):
    """Mask of the first maximum (row-major) of each (ph, pw) window: (N, ph, pw, C)."""
    n, ph, pw, c = window.shape
    flat = window.transpose(0, 3, 1, 2).reshape(n, c, ph * pw)
    mask = np.zeros_like(flat)
    np.put_along_axis(mask, np.argmax(flat, axis=2)[..., None], 1.0, axis=2)
    return mask.reshape(n, c, ph, pw).transpose(0, 2, 3, 1)


def _last_max(window):
    return _first_max(window[:, ::-1, ::-1, :])[:, ::-1, ::-1, :]


def _all_max(window):
    return (window == window.max(axis=(1, 2), keepdims=True)).astype(np.float64)


def _whole(window):
    return np.ones_like(window)


def _pool_dx(case: Case, route, assign: str | None = None, scale: float = 1.0):
    """dx of a pooling layer whose window (i, j) sends ``scale * dout * route(window)``.

    assign: None adds (+=); "window" overwrites the whole window; "element" overwrites only
    the elements the route selects (dx[argmax] = dout).
    """
    x, (ph, pw), (sh, sw), (h_out, w_out) = _pool_geometry(case)
    dout = _f64(case.params["dout"])
    dx = np.zeros_like(x)
    for i in range(h_out):
        for j in range(w_out):
            rows, cols = slice(i * sh, i * sh + ph), slice(j * sw, j * sw + pw)
            mask = route(x[:, rows, cols, :])
            g = scale * mask * dout[:, i:i + 1, j:j + 1, :]
            if assign == "window":
                dx[:, rows, cols, :] = g
            elif assign == "element":
                dx[:, rows, cols, :] = np.where(mask > 0, g, dx[:, rows, cols, :])
            else:
                dx[:, rows, cols, :] += g
    return dx


def _unstable_softmax(scores, axis=1):
    exp = np.exp(scores)
    return exp / exp.sum(axis=axis, keepdims=True)


# ---------------------------------------------------------------------------
# The bugs, per function
# ---------------------------------------------------------------------------

def _zero_pad_all_axes(ref, case):
    return {"out": np.pad(_f64(case.params["x"]), case.params["pad"])}


def _conv_flipped(ref, case):
    x, w, b, stride, pad = _conv_args(case)
    return {"out": ref.conv_forward(x, w[::-1, ::-1], b, stride=stride, pad=pad)[0]}


def _conv_no_bias(ref, case):
    x, w, b, stride, pad = _conv_args(case)
    return {"out": ref.conv_forward(x, w, np.zeros_like(b), stride=stride, pad=pad)[0]}


def _conv_stride_one(crop: bool):
    def compute(ref, case):
        x, w, b, stride, pad = _conv_args(case)
        out = ref.conv_forward(x, w, b, stride=1, pad=pad)[0]
        if crop:            # the right output size, but window (i, j) starts at (i, j)
            h_out, w_out = case.params["dout"].shape[1:3]
            out = out[:, :h_out, :w_out]
        return {"out": out}
    return compute


def _conv_no_pad(ref, case):
    x, w, b, stride, _ = _conv_args(case)
    return {"out": ref.conv_forward(x, w, b, stride=stride, pad=0)[0]}


def _conv_pad_one_side(before: bool):
    def compute(ref, case):
        x, w, b, stride, pad = _conv_args(case)
        side = (2 * pad, 0) if before else (0, 2 * pad)
        x_pad = np.pad(x, ((0, 0), side, side, (0, 0)))
        return {"out": ref.conv_forward(x_pad, w, b, stride=stride, pad=0)[0]}
    return compute


def _conv_backward_bug(*, outputs=("dx", "dw"), **options):
    def compute(ref, case):
        x, w, _, stride, pad = _conv_args(case)
        dx, _, dw = _conv_grads(x, w, _f64(case.params["dout"]), stride, pad, **options)
        return {k: v for k, v in (("dx", dx), ("dw", dw)) if k in outputs}
    return compute


def _conv_dx_not_cropped(ref, case):
    x, w, _, stride, pad = _conv_args(case)
    return {"dx": _conv_grads(x, w, _f64(case.params["dout"]), stride, pad)[1]}


def _conv_dx_minus_pad(ref, case):
    """dx_pad[:, pad:-pad, pad:-pad] is empty when pad = 0 (and right otherwise)."""
    x, _, _, _, pad = _conv_args(case)
    if pad != 0:
        return {}
    return {"dx": np.zeros((x.shape[0], 0, 0, x.shape[3]))}


def _conv_db_mean(over_pixels: bool):
    def compute(ref, case):
        dout = _f64(case.params["dout"])
        return {"db": dout.mean(axis=(0, 1, 2)) if over_pixels else dout.sum(axis=(0, 1, 2)) / dout.shape[0]}
    return compute


def _conv_dw_last_example(ref, case):
    x, w, _, stride, pad = _conv_args(case)
    n = x.shape[0]
    return {"dw": _conv_grads(x, w, _f64(case.params["dout"]), stride, pad, batch=slice(n - 1, n))[2]}


def _pool_stride_one(name):
    def compute(ref, case):
        if "stride" in case.params:          # only stride=None (the default) is misread
            return {}
        return {"out": getattr(ref, name)(_f64(case.params["x"]), case.params["pool_size"], 1)[0]}
    return compute


def _max_pool_dx(route, assign=None):
    def compute(ref, case):
        return {"dx": _pool_dx(case, route, assign)}
    return compute


def _avg_pool_sum(ref, case):
    _, (ph, pw), _, _ = _pool_geometry(case)
    return {"out": ref.avg_pool_forward(_f64(case.params["x"]), **_pool_kwargs(case))[0] * (ph * pw)}


def _avg_pool_dx(divided: bool, assign=None):
    """dx of average pooling; divided=False: every element gets the whole dout."""
    def compute(ref, case):
        _, (ph, pw), _, _ = _pool_geometry(case)
        return {"dx": _pool_dx(case, _whole, assign, scale=1.0 / (ph * pw) if divided else 1.0)}
    return compute


def _relu_ge_zero(ref, case):
    return {"dx": _f64(case.params["dout"]) * (_f64(case.params["x"]) >= 0)}


def _softmax_no_shift(ref, case):
    return {"probs": _unstable_softmax(_f64(case.params["scores"]))}


def _softmax_wrong_axis(ref, case):
    return {"probs": ref.softmax(_f64(case.params["scores"]).T).T}


def _sce_times_n(name):
    """``name`` N times too large: a sum instead of a mean (loss), or not divided by N (dscores)."""
    def compute(ref, case):
        return {name: _ref_sce(ref, case)[name] * _f64(case.params["scores"]).shape[0]}
    return compute


def _sce_no_shift(ref, case):
    scores, y = _f64(case.params["scores"]), np.asarray(case.params["y"])
    n = scores.shape[0]
    probs = _unstable_softmax(scores)
    loss = float(-np.log(probs[np.arange(n), y]).mean())
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1
    # A non-finite loss is left to the no-shift texts of dscores and the log-of-probs variant.
    return {"dscores": dscores / n, **({"loss": loss} if np.isfinite(loss) else {})}


def _sce_log_of_probs(ref, case):
    """A stable softmax, then log of the label's probability: -inf where it underflows to 0."""
    scores, y = _f64(case.params["scores"]), np.asarray(case.params["y"])
    probs = ref.softmax(scores)
    with np.errstate(divide="ignore"):
        loss = float(-np.log(probs[np.arange(scores.shape[0]), y]).mean())
    return {"loss": loss} if not np.isfinite(loss) else {}


def _affine_dx_flat(ref, case):
    dx = _ref_affine_backward(ref, case)["dx"]
    return {"dx": dx.reshape(dx.shape[0], -1)}


def _affine_db_mean(ref, case):
    return {"db": _f64(case.params["dout"]).mean(axis=0)}


# ---------------------------------------------------------------------------
# The table: known bugs per function, in the order their hints are tried
# ---------------------------------------------------------------------------

_MAXP_F, _MAXP_B = _ref_pool_forward("max_pool_forward"), _ref_pool_backward("max_pool_forward", "max_pool_backward")
_AVGP_F, _AVGP_B = _ref_pool_forward("avg_pool_forward"), _ref_pool_backward("avg_pool_forward", "avg_pool_backward")

_MAX_ALL, _MAX_WHOLE = _max_pool_dx(_all_max), _max_pool_dx(_whole)

BUGS: dict[str, list[Variant]] = {
    "zero_pad": [
        bug("zero_pad.all_axes", _zero_pad_all_axes, reference=_ref_zero_pad),
    ],
    "conv_forward": [
        bug("conv_forward.flipped", _conv_flipped, reference=_ref_conv_forward),
        bug("conv_forward.no_bias", _conv_no_bias, reference=_ref_conv_forward),
        *forms("conv_forward.stride_ignored", _ref_conv_forward,
               _conv_stride_one(crop=False), _conv_stride_one(crop=True)),
        bug("conv_forward.pad_ignored", _conv_no_pad, reference=_ref_conv_forward),
        *forms("conv_forward.pad_one_side", _ref_conv_forward,
               _conv_pad_one_side(before=False), _conv_pad_one_side(before=True)),
    ],
    "conv_backward": [
        bug("conv_backward.stride_ignored", _conv_backward_bug(step=1), reference=_ref_conv_backward),
        bug("conv_backward.dx_minus_pad", _conv_dx_minus_pad, reference=_ref_conv_backward),
        bug("conv_backward.dx_not_cropped", _conv_dx_not_cropped, reference=_ref_conv_backward),
        *forms("conv_backward.dx_assigned", _ref_conv_backward,
               _conv_backward_bug(assign="window", outputs=("dx",)),
               _conv_backward_bug(assign="filter", outputs=("dx",))),
        *forms("conv_backward.db_mean", _ref_conv_backward,
               _conv_db_mean(over_pixels=False), _conv_db_mean(over_pixels=True)),
        bug("conv_backward.dw_last_example", _conv_dw_last_example, reference=_ref_conv_backward),
    ],
    "max_pool_forward": [
        bug("max_pool_forward.stride_default", _pool_stride_one("max_pool_forward"), reference=_MAXP_F),
    ],
    "max_pool_backward": [
        bug("max_pool_backward.ties_all", _MAX_ALL, reference=_MAXP_B),
        bug("max_pool_backward.ties_last", _max_pool_dx(_last_max), reference=_MAXP_B),
        *forms("max_pool_backward.assigned", _MAXP_B,
               _max_pool_dx(_first_max, assign="window"), _max_pool_dx(_first_max, assign="element")),
        bug("max_pool_backward.whole_window", _MAX_WHOLE, reference=_MAXP_B, defer_to=(_MAX_ALL,)),
    ],
    "avg_pool_forward": [
        bug("avg_pool_forward.sum", _avg_pool_sum, reference=_AVGP_F),
        bug("avg_pool_forward.stride_default", _pool_stride_one("avg_pool_forward"), reference=_AVGP_F),
    ],
    "avg_pool_backward": [
        bug("avg_pool_backward.not_divided", _avg_pool_dx(divided=False), reference=_AVGP_B),
        bug("avg_pool_backward.assigned", _avg_pool_dx(divided=True, assign="window"), reference=_AVGP_B),
    ],
    "relu_backward": [
        bug("relu_backward.ge_zero", _relu_ge_zero, reference=_ref_relu_backward),
    ],
    "affine_backward": [
        bug("affine_backward.dx_flat", _affine_dx_flat, reference=_ref_affine_backward),
        bug("affine_backward.db_mean", _affine_db_mean, reference=_ref_affine_backward),
    ],
    "softmax": [
        bug("softmax.no_shift", _softmax_no_shift, reference=_ref_softmax),
        bug("softmax.wrong_axis", _softmax_wrong_axis, reference=_ref_softmax),
    ],
    "softmax_cross_entropy": [
        bug("softmax_cross_entropy.loss_sum", _sce_times_n("loss"), reference=_ref_sce),
        bug("softmax_cross_entropy.dscores_not_divided", _sce_times_n("dscores"), reference=_ref_sce),
        bug("softmax_cross_entropy.no_shift", _sce_no_shift, reference=_ref_sce),
        bug("softmax_cross_entropy.log_of_probs", _sce_log_of_probs, reference=_ref_sce),
    ],
}

