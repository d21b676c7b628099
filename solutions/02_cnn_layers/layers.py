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
    ### BEGIN SOLUTION
    x = np.asarray(x)
    _check_ndim(x, 4, "x", "(N, H, W, C)")
    pad = _check_int(pad, "pad", 0)
    x = x.astype(_float_dtype(x), copy=False)
    return np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    ### END SOLUTION


def conv_forward(x, w, b, stride=1, pad=0):
    """Forward pass of a convolutional layer (cross-correlation).

    x: (N, H, W, C), w: (HH, WW, C, F), b: (F,) -> out: (N, H_out, W_out, F) with
    H_out = (H + 2*pad - HH) // stride + 1 and W_out = (W + 2*pad - WW) // stride + 1;
    out[n, i, j, f] = b[f] + sum_{p, q, c} x_pad[n, i*stride + p, j*stride + q, c] * w[p, q, c, f].
    Returns (out, cache).
    """
    ### BEGIN SOLUTION
    x, w, b = np.asarray(x), np.asarray(w), np.asarray(b)
    _check_ndim(x, 4, "x", "(N, H, W, C)")
    _check_ndim(w, 4, "w", "(HH, WW, C, F)")
    _check_ndim(b, 1, "b", "(F,)")
    stride = _check_int(stride, "stride", 1)
    pad = _check_int(pad, "pad", 0)
    n, h, wd, c = x.shape
    hh, ww, wc, f = w.shape
    if wc != c:
        raise ValueError(f"w has {wc} input channels (w.shape[2]) but x has {c} (x.shape[3]).")
    if b.shape != (f,):
        raise ValueError(f"b must have shape ({f},) to match w's {f} filters, got {b.shape}.")
    if hh > h + 2 * pad or ww > wd + 2 * pad:
        raise ValueError(f"filter {hh}x{ww} (w) is larger than the padded input "
                         f"{h + 2 * pad}x{wd + 2 * pad} (x with pad={pad}).")
    dtype = _float_dtype(x, w, b)
    x, w, b = x.astype(dtype, copy=False), w.astype(dtype, copy=False), b.astype(dtype, copy=False)
    x_pad = zero_pad(x, pad) if pad else x
    h_out, w_out = (h + 2 * pad - hh) // stride + 1, (wd + 2 * pad - ww) // stride + 1
    # im2col: one row per output pixel (n, i, j), one column per filter tap and channel (p, q, c)
    # and a last column of ones whose weights are the bias, so that one matmul
    # cols (N*H_out*W_out, HH*WW*C + 1) @ w_b (HH*WW*C + 1, F) computes the layer. cols is filled
    # one filter tap (p, q) at a time, each a strided slice of all pixels. With few channels
    # (measured: up to about 16) the copies run faster channels-first, so then x is transposed
    # to (C, N, H, W) and cols is stored transposed (Fortran order); matmul reads either order
    # without a copy. `taps` views cols as (HH, WW, <the layout of x without H, W>).
    m, k = n * h_out * w_out, hh * ww * c
    channels_first = c <= 16
    if channels_first:
        images = np.ascontiguousarray(x_pad.transpose(3, 0, 1, 2))   # free when C = 1
        cols_t = np.empty((k + 1, m), dtype=dtype)
        taps = cols_t[:k].reshape(hh, ww, c, n, h_out, w_out)
        cols_t[k] = 1
        cols = cols_t.T
    else:
        images = x_pad
        cols = np.empty((m, k + 1), dtype=dtype)
        taps = cols[:, :k].reshape(n, h_out, w_out, hh, ww, c).transpose(3, 4, 0, 1, 2, 5)
        cols[:, k] = 1
    lead = (slice(None),) * (2 if channels_first else 1)      # the axes before H and W
    for p in range(hh):              # loop over the filter's taps, vectorised over pixels
        for q in range(ww):
            taps[p, q] = images[lead + (slice(p, p + stride * (h_out - 1) + 1, stride),
                                        slice(q, q + stride * (w_out - 1) + 1, stride))]
    w_b = np.concatenate([w.reshape(k, f), b[np.newaxis]])
    out = (cols @ w_b).reshape(n, h_out, w_out, f)
    cache = (cols, w, stride, pad, x.shape, channels_first)
    return out, cache
    ### END SOLUTION


def conv_backward(dout, cache):
    """Backward pass of a convolutional layer.

    dout: (N, H_out, W_out, F), the upstream gradient; cache from conv_forward.
    Returns (dx, dw, db) shaped like x (N, H, W, C), w (HH, WW, C, F) and b (F,).
    """
    ### BEGIN SOLUTION
    cols, w, stride, pad, x_shape, channels_first = cache
    dout = np.asarray(dout)
    dtype = _float_dtype(dout, w)
    n, h, wd, c = x_shape
    hh, ww, _, f = w.shape
    h_out, w_out = (h + 2 * pad - hh) // stride + 1, (wd + 2 * pad - ww) // stride + 1
    if dout.shape != (n, h_out, w_out, f):
        raise ValueError(f"dout has shape {dout.shape}, expected the forward output's "
                         f"{(n, h_out, w_out, f)}.")
    m, k = n * h_out * w_out, hh * ww * c
    dout = dout.astype(dtype, copy=False).reshape(m, f)
    w = w.astype(dtype, copy=False)
    dw_b = (cols.T @ dout).astype(dtype, copy=False)   # (HH*WW*C + 1, F): dw, then db
    dw, db = dw_b[:k].reshape(hh, ww, c, f), dw_b[k]
    # col2im: dcols = dout @ w.T is the gradient of cols (in the order conv_forward stored it);
    # each tap's part is added back where it was copied from, (C, N, H, W) or (N, H, W, C).
    if channels_first:
        dtaps = (w.reshape(k, f) @ dout.T).reshape(hh, ww, c, n, h_out, w_out)
        dx_pad = np.zeros((c, n, h + 2 * pad, wd + 2 * pad), dtype=dtype)
    else:
        dtaps = (dout @ w.reshape(k, f).T).reshape(n, h_out, w_out, hh, ww, c)
        dtaps = dtaps.transpose(3, 4, 0, 1, 2, 5)
        dx_pad = np.zeros((n, h + 2 * pad, wd + 2 * pad, c), dtype=dtype)
    lead = (slice(None),) * (2 if channels_first else 1)      # the axes before H and W
    for p in range(hh):              # loop over the filter's taps, vectorised over pixels
        for q in range(ww):
            dx_pad[lead + (slice(p, p + stride * (h_out - 1) + 1, stride),
                           slice(q, q + stride * (w_out - 1) + 1, stride))] += dtaps[p, q]
    if channels_first:
        dx_pad = np.ascontiguousarray(dx_pad.transpose(1, 2, 3, 0))  # free when C = 1
    dx = dx_pad[:, pad:pad + h, pad:pad + wd] if pad else dx_pad
    return dx, dw, db
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    x = np.asarray(x)
    (ph, pw), (sh, sw), (h_out, w_out) = _pool_geometry(x, pool_size, stride)
    x = x.astype(_float_dtype(x), copy=False)
    # One strided slice of all windows per window position (p, q), in row-major order.
    taps = [x[:, p:p + sh * (h_out - 1) + 1:sh, q:q + sw * (w_out - 1) + 1:sw]
            for p in range(ph) for q in range(pw)]
    out = taps[0].copy()
    for tap in taps[1:]:
        np.maximum(out, tap, out=out)
    # argmax = the position of the first maximum in row-major order (the tie rule of
    # docs/contract.md §1, what np.argmax picks): the number of positions passed before the
    # first one equal to the max.
    argmax = np.zeros(out.shape, dtype=np.min_scalar_type(ph * pw))
    searching = taps[0] != out
    for tap in taps[1:]:
        argmax += searching
        searching &= tap != out
    nan = np.isnan(out)               # np.maximum propagates NaN; np.argmax picks the first NaN
    if nan.any():
        first = np.argmax(np.isnan(np.stack([tap[nan] for tap in taps])), axis=0)
        argmax[nan] = first
    return out, (x.shape, x.dtype, argmax, (ph, pw), (sh, sw))
    ### END SOLUTION


def max_pool_backward(dout, cache):
    """Backward pass of max pooling.

    dout: (N, H_out, W_out, C); cache from max_pool_forward -> dx: (N, H, W, C). Each window's
    gradient goes to its first maximal element (row-major); overlapping windows accumulate.
    """
    ### BEGIN SOLUTION
    x_shape, dtype, argmax, (ph, pw), (sh, sw) = cache
    dout = np.asarray(dout)
    if dout.shape != argmax.shape:
        raise ValueError(f"dout has shape {dout.shape}, expected {argmax.shape}.")
    dtype = _float_dtype(dout, np.empty(0, dtype))
    dout = dout.astype(dtype, copy=False)
    h_out, w_out = argmax.shape[1], argmax.shape[2]
    overlap = sh < ph or sw < pw
    finite = np.isfinite(dout).all()  # dout * False is 0 only for finite dout (inf * 0 is nan)
    dx = np.zeros(x_shape, dtype=dtype)
    for k in range(ph * pw):             # loop over window positions, vectorised over pixels
        p, q = divmod(k, pw)
        window = dx[:, p:p + sh * (h_out - 1) + 1:sh, q:q + sw * (w_out - 1) + 1:sw]
        hit = argmax == k
        if finite and not overlap:
            np.multiply(dout, hit, out=window)
        else:
            window += dout * hit if finite else np.where(hit, dout, 0)
    return dx
    ### END SOLUTION


def avg_pool_forward(x, pool_size=2, stride=None):
    """Forward pass of average pooling.

    x: (N, H, W, C) -> out: (N, H_out, W_out, C), same geometry as max_pool_forward.
    Returns (out, cache).
    """
    ### BEGIN SOLUTION
    x = np.asarray(x)
    size, stride, _ = _pool_geometry(x, pool_size, stride)
    x = x.astype(_float_dtype(x), copy=False)
    out = _windows(x, size, stride).mean(axis=(-2, -1), dtype=x.dtype)
    return out, (x.shape, x.dtype, size, stride)
    ### END SOLUTION


def avg_pool_backward(dout, cache):
    """Backward pass of average pooling.

    dout: (N, H_out, W_out, C); cache from avg_pool_forward -> dx: (N, H, W, C). Every element
    of a window receives dout / (ph * pw); overlapping windows accumulate.
    """
    ### BEGIN SOLUTION
    x_shape, dtype, (ph, pw), (sh, sw) = cache
    dout = np.asarray(dout)
    dtype = _float_dtype(dout, np.empty(0, dtype))
    h_out, w_out = dout.shape[1], dout.shape[2]
    expected = (x_shape[0], (x_shape[1] - ph) // sh + 1, (x_shape[2] - pw) // sw + 1, x_shape[3])
    if dout.shape != expected:
        raise ValueError(f"dout has shape {dout.shape}, expected {expected}.")
    share = dout.astype(dtype, copy=False) / (ph * pw)
    dx = np.zeros(x_shape, dtype=dtype)
    for p in range(ph):
        for q in range(pw):
            dx[:, p:p + sh * h_out:sh, q:q + sw * w_out:sw, :] += share
    return dx
    ### END SOLUTION


# ---------------------------------------------------------------------------
# ReLU and affine
# ---------------------------------------------------------------------------

def relu_forward(x):
    """Forward pass of ReLU: out = max(x, 0), elementwise.

    x: any shape -> out: same shape. Returns (out, cache).
    """
    ### BEGIN SOLUTION
    x = np.asarray(x)
    dtype = _float_dtype(x)
    out = np.where(x > 0, x, 0).astype(dtype, copy=False)
    return out, x
    ### END SOLUTION


def relu_backward(dout, cache):
    """Backward pass of ReLU: dx = dout * (x > 0), so relu'(0) = 0.

    dout: shaped like x; cache from relu_forward -> dx: shaped like x.
    """
    ### BEGIN SOLUTION
    x = cache
    dout = np.asarray(dout)
    if dout.shape != x.shape:
        raise ValueError(f"dout has shape {dout.shape}, expected {x.shape}.")
    dtype = _float_dtype(dout, np.empty(0, _float_dtype(x)))
    return np.where(x > 0, dout, 0).astype(dtype, copy=False)
    ### END SOLUTION


def affine_forward(x, w, b):
    """Forward pass of a fully-connected (affine) layer.

    x: (N, d1, ..., dk), flattened row-major to (N, D) with D = d1*...*dk; w: (D, M);
    b: (M,) -> out: (N, M) = x_flat @ w + b. Returns (out, cache).
    """
    ### BEGIN SOLUTION
    x, w, b = np.asarray(x), np.asarray(w), np.asarray(b)
    if x.ndim < 1:
        raise ValueError(f"x must have shape (N, d1, ..., dk), got a scalar.")
    _check_ndim(w, 2, "w", "(D, M)")
    _check_ndim(b, 1, "b", "(M,)")
    x_flat = x.reshape(x.shape[0], -1)
    if x_flat.shape[1] != w.shape[0]:
        raise ValueError(f"x has D = {x_flat.shape[1]} features per example but w has "
                         f"{w.shape[0]} rows (w.shape[0]); they must match.")
    if b.shape != (w.shape[1],):
        raise ValueError(f"b must have shape ({w.shape[1]},) to match w, got {b.shape}.")
    dtype = _float_dtype(x, w, b)
    x_flat, w = x_flat.astype(dtype, copy=False), w.astype(dtype, copy=False)
    out = x_flat @ w + b.astype(dtype, copy=False)
    return out, (x_flat, w, x.shape)
    ### END SOLUTION


def affine_backward(dout, cache):
    """Backward pass of an affine layer.

    dout: (N, M); cache from affine_forward -> (dx, dw, db) shaped (N, d1, ..., dk), (D, M), (M,).
    """
    ### BEGIN SOLUTION
    x_flat, w, x_shape = cache
    dout = np.asarray(dout)
    if dout.shape != (x_flat.shape[0], w.shape[1]):
        raise ValueError(f"dout has shape {dout.shape}, expected {(x_flat.shape[0], w.shape[1])}.")
    dtype = _float_dtype(dout, w)
    dout = dout.astype(dtype, copy=False)
    dx = (dout @ w.T.astype(dtype, copy=False)).reshape(x_shape)
    dw = x_flat.T.astype(dtype, copy=False) @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
    ### END SOLUTION


# ---------------------------------------------------------------------------
# Softmax and the loss
# ---------------------------------------------------------------------------

def softmax(scores):
    """Row-wise softmax, stable for scores up to +-1e4.

    scores: (N, C) -> probs: (N, C), each row non-negative and summing to 1.
    """
    ### BEGIN SOLUTION
    scores = np.asarray(scores)
    _check_ndim(scores, 2, "scores", "(N, C)")
    scores = scores.astype(_float_dtype(scores), copy=False)
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
    ### END SOLUTION


def softmax_cross_entropy(scores, y):
    """Mean softmax cross-entropy loss and its gradient.

    scores: (N, C); y: (N,) integer labels in [0, C) ->
    loss = mean_i(-log softmax(scores)[i, y_i]) (a scalar) and
    dscores: (N, C) = (softmax(scores) - onehot(y)) / N.
    """
    ### BEGIN SOLUTION
    scores, y = np.asarray(scores), np.asarray(y)
    _check_ndim(scores, 2, "scores", "(N, C)")
    n, c = scores.shape
    if y.shape != (n,):
        raise ValueError(f"y must have shape ({n},), one label per row of scores, got {y.shape}.")
    if n and (not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= c):
        raise ValueError(f"y must hold integer labels in [0, {c}), got dtype {y.dtype} "
                         f"and range [{y.min()}, {y.max()}].")
    scores = scores.astype(_float_dtype(scores), copy=False)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(n)
    loss = -log_probs[rows, y].mean()
    dscores = np.exp(log_probs)
    dscores[rows, y] -= 1
    dscores /= n
    return float(loss), dscores
    ### END SOLUTION
