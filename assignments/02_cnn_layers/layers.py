"""Layers of a convolutional network, forward and backward (assignment 02).

Conventions (docs/contract.md §1), used by every function below:

* Layout is channels-last (NHWC). Images ``x``: ``(N, H, W, C)``; conv filters ``w``:
  ``(HH, WW, C, F)``; conv bias ``b``: ``(F,)``.
* Output size of conv and pooling: ``H_out = (H + 2*pad - HH) // stride + 1`` (likewise for
  ``W_out``); trailing rows/columns that do not fill a window are ignored, like Keras
  ``padding="valid"``.
* Cross-correlation (no kernel flip), as in every deep-learning framework.
* Forward functions return ``(out, cache)``; backward functions take ``(dout, cache)``.
* No function modifies its array arguments; the dtype follows the input (integer or bool
  inputs give float64; mixed float inputs give ``np.result_type`` of them).
* Bad arguments raise ``ValueError`` with a message naming the argument.

Only numpy and the standard library may be imported here.
"""
import numpy as np


# ---------------------------------------------------------------------------
# Provided helpers (not graded): argument checking and dtype rules.
# ---------------------------------------------------------------------------

def _float_dtype(*arrays):
    """The result dtype of ``arrays``: their common float type, float64 for int/bool."""
    dtype = np.result_type(*arrays)
    return dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def _check_int(value, name, minimum):
    """Return ``value`` as an int, or raise ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an int, got {value!r} ({type(value).__name__}).")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}.")
    return int(value)


def _pair(value, name, minimum=1):
    """``(h, w)`` from an int or a pair of ints, each >= ``minimum``."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair (height, width), got {value!r}.")
        return (_check_int(value[0], f"{name}[0]", minimum),
                _check_int(value[1], f"{name}[1]", minimum))
    value = _check_int(value, name, minimum)
    return value, value


def _check_ndim(array, ndim, name, layout):
    """Raise ValueError unless ``array`` has ``ndim`` dimensions."""
    if array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions {layout}, got shape {array.shape}.")


def _windows(x, size, stride):
    """Strided view of the pooling/conv windows of ``x``, without copying.

    x: (N, H, W, C) -> (N, H_out, W_out, C, HH, WW), H_out = (H - HH) // sh + 1.
    """
    (hh, ww), (sh, sw) = size, stride
    view = np.lib.stride_tricks.sliding_window_view(x, (hh, ww), axis=(1, 2))
    return view[:, ::sh, ::sw]


# ---------------------------------------------------------------------------
# Padding and convolution
# ---------------------------------------------------------------------------

def zero_pad(x, pad):
    """Pad the two spatial axes of ``x`` with ``pad`` zeros on every side.

    x: (N, H, W, C) -> x_padded: (N, H + 2*pad, W + 2*pad, C). ``pad=0`` returns a copy.
    """
    raise NotImplementedError('02_cnn_layers, zero_pad: implement it (see the docstring); it returns x_padded: (N, H + 2*pad, W + 2*pad, C).')


def conv_forward(x, w, b, stride=1, pad=0):
    """Forward pass of a convolutional layer (cross-correlation).

    x: (N, H, W, C), w: (HH, WW, C, F), b: (F,) -> out: (N, H_out, W_out, F) with
    H_out = (H + 2*pad - HH) // stride + 1 and W_out = (W + 2*pad - WW) // stride + 1;
    out[n, i, j, f] = b[f] + sum_{p, q, c} x_pad[n, i*stride + p, j*stride + q, c] * w[p, q, c, f].
    Returns (out, cache).
    """
    raise NotImplementedError('02_cnn_layers, conv_forward: implement it (see the docstring); it returns (out, cache).')


def conv_backward(dout, cache):
    """Backward pass of a convolutional layer.

    dout: (N, H_out, W_out, F), the upstream gradient; cache from conv_forward.
    Returns (dx, dw, db) shaped like x (N, H, W, C), w (HH, WW, C, F) and b (F,).
    """
    raise NotImplementedError('02_cnn_layers, conv_backward: implement it (see the docstring); it returns (dx, dw, db) shaped like x (N, H, W, C), w (HH, WW, C, F) and b (F,).')


# ---------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------

def _pool_geometry(x, pool_size, stride):
    """Validate pooling arguments; return ((ph, pw), (sh, sw), (H_out, W_out))."""
    _check_ndim(x, 4, "x", "(N, H, W, C)")
    ph, pw = _pair(pool_size, "pool_size")
    sh, sw = (ph, pw) if stride is None else _pair(stride, "stride")
    h, w = x.shape[1], x.shape[2]
    if ph > h or pw > w:
        raise ValueError(f"pool_size {ph}x{pw} is larger than the input {h}x{w} (x.shape[1:3]).")
    return (ph, pw), (sh, sw), ((h - ph) // sh + 1, (w - pw) // sw + 1)


def max_pool_forward(x, pool_size=2, stride=None):
    """Forward pass of max pooling.

    x: (N, H, W, C) -> out: (N, H_out, W_out, C), H_out = (H - ph) // sh + 1,
    W_out = (W - pw) // sw + 1. ``pool_size`` is an int or (ph, pw); ``stride`` an int,
    (sh, sw) or None (stride = pool_size, as Keras). Returns (out, cache).
    """
    raise NotImplementedError('02_cnn_layers, max_pool_forward: implement it (see the docstring); it returns (out, cache).')


def max_pool_backward(dout, cache):
    """Backward pass of max pooling.

    dout: (N, H_out, W_out, C); cache from max_pool_forward -> dx: (N, H, W, C). Each window's
    gradient goes to its first maximal element (row-major); overlapping windows accumulate.
    """
    raise NotImplementedError('02_cnn_layers, max_pool_backward: implement it (see the docstring); it returns dx: (N, H, W, C).')


def avg_pool_forward(x, pool_size=2, stride=None):
    """Forward pass of average pooling.

    x: (N, H, W, C) -> out: (N, H_out, W_out, C), same geometry as max_pool_forward.
    Returns (out, cache).
    """
    raise NotImplementedError('02_cnn_layers, avg_pool_forward: implement it (see the docstring); it returns (out, cache).')


def avg_pool_backward(dout, cache):
    """Backward pass of average pooling.

    dout: (N, H_out, W_out, C); cache from avg_pool_forward -> dx: (N, H, W, C). Every element
    of a window receives dout / (ph * pw); overlapping windows accumulate.
    """
    raise NotImplementedError('02_cnn_layers, avg_pool_backward: implement it (see the docstring); it returns dx: (N, H, W, C).')


# ---------------------------------------------------------------------------
# ReLU and affine
# ---------------------------------------------------------------------------

def relu_forward(x):
    """Forward pass of ReLU: out = max(x, 0), elementwise.

    x: any shape -> out: same shape. Returns (out, cache).
    """
    raise NotImplementedError('02_cnn_layers, relu_forward: implement it (see the docstring); it returns (out, cache).')


def relu_backward(dout, cache):
    """Backward pass of ReLU: dx = dout * (x > 0), so relu'(0) = 0.

    dout: shaped like x; cache from relu_forward -> dx: shaped like x.
    """
    raise NotImplementedError('02_cnn_layers, relu_backward: implement it (see the docstring); it returns dx: shaped like x.')


def affine_forward(x, w, b):
    """Forward pass of a fully-connected (affine) layer.

    x: (N, d1, ..., dk), flattened row-major to (N, D) with D = d1*...*dk; w: (D, M);
    b: (M,) -> out: (N, M) = x_flat @ w + b. Returns (out, cache).
    """
    raise NotImplementedError('02_cnn_layers, affine_forward: implement it (see the docstring); it returns (out, cache).')


def affine_backward(dout, cache):
    """Backward pass of an affine layer.

    dout: (N, M); cache from affine_forward -> (dx, dw, db) shaped (N, d1, ..., dk), (D, M), (M,).
    """
    raise NotImplementedError('02_cnn_layers, affine_backward: implement it (see the docstring); it returns (dx, dw, db) shaped (N, d1, ..., dk), (D, M), (M,).')


# ---------------------------------------------------------------------------
# Softmax and the loss
# ---------------------------------------------------------------------------

def softmax(scores):
    """Row-wise softmax, stable for scores up to +-1e4.

    scores: (N, C) -> probs: (N, C), each row non-negative and summing to 1.
    """
    raise NotImplementedError('02_cnn_layers, softmax: implement it (see the docstring); it returns probs: (N, C), each row non-negative and summing to 1.')


def softmax_cross_entropy(scores, y):
    """Mean softmax cross-entropy loss and its gradient.

    scores: (N, C); y: (N,) integer labels in [0, C) ->
    loss = mean_i(-log softmax(scores)[i, y_i]) (a scalar) and
    dscores: (N, C) = (softmax(scores) - onehot(y)) / N.
    """
    raise NotImplementedError('02_cnn_layers, softmax_cross_entropy: implement it (see the docstring); it returns loss = mean_i(-log softmax(scores)[i, y_i]) (a scalar) and dscores: (N, C) = (softmax(scores) - onehot(y)) / N.')
