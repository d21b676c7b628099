"""A correct layers.py in the plainest style: nested loops over N, H_out, W_out and F.

Nothing is vectorised beyond one window at a time; caches are tuples of the inputs.
"""
import numpy as np


def _float(*arrays):
    dtype = np.result_type(*arrays)
    return dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def _two(value, name):
    if isinstance(value, (tuple, list)):
        a, b = value
    else:
        a = b = value
    if a < 1 or b < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(a), int(b)


def zero_pad(x, pad):
    if pad < 0:
        raise ValueError(f"pad must be >= 0, got {pad}")
    n, h, w, c = x.shape
    out = np.zeros((n, h + 2 * pad, w + 2 * pad, c), dtype=_float(x))
    out[:, pad:pad + h, pad:pad + w, :] = x
    return out


def conv_forward(x, w, b, stride=1, pad=0):
    if stride < 1:
        raise ValueError(f"stride must be >= 1, got {stride}")
    if pad < 0:
        raise ValueError(f"pad must be >= 0, got {pad}")
    N, H, W, C = x.shape
    HH, WW, C2, F = w.shape
    if C2 != C:
        raise ValueError(f"x has {C} channels but the filters w expect {C2}")
    if HH > H + 2 * pad or WW > W + 2 * pad:
        raise ValueError(f"the filter w ({HH}x{WW}) is larger than the padded input")
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = (W + 2 * pad - WW) // stride + 1
    xp = zero_pad(x, pad)
    out = np.zeros((N, H_out, W_out, F), dtype=_float(x, w, b))
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                for f in range(F):
                    window = xp[n, i * stride:i * stride + HH, j * stride:j * stride + WW, :]
                    out[n, i, j, f] = np.sum(window * w[:, :, :, f]) + b[f]
    return out, (x, w, b, stride, pad)


def conv_backward(dout, cache):
    x, w, b, stride, pad = cache
    N, H, W, C = x.shape
    HH, WW, _, F = w.shape
    _, H_out, W_out, _ = dout.shape
    dtype = _float(dout, x, w)
    xp = zero_pad(x, pad)
    dxp = np.zeros(xp.shape, dtype=dtype)
    dw = np.zeros(w.shape, dtype=dtype)
    db = np.zeros(b.shape, dtype=dtype)
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                for f in range(F):
                    g = dout[n, i, j, f]
                    rows = slice(i * stride, i * stride + HH)
                    cols = slice(j * stride, j * stride + WW)
                    dw[:, :, :, f] += xp[n, rows, cols, :] * g
                    dxp[n, rows, cols, :] += w[:, :, :, f] * g
                    db[f] += g
    return dxp[:, pad:pad + H, pad:pad + W, :], dw, db


def _pool_setup(x, pool_size, stride):
    ph, pw = _two(pool_size, "pool_size")
    sh, sw = (ph, pw) if stride is None else _two(stride, "stride")
    N, H, W, C = x.shape
    if ph > H or pw > W:
        raise ValueError(f"pool_size {ph}x{pw} is larger than the input {H}x{W}")
    return ph, pw, sh, sw, (H - ph) // sh + 1, (W - pw) // sw + 1


def max_pool_forward(x, pool_size=2, stride=None):
    ph, pw, sh, sw, H_out, W_out = _pool_setup(x, pool_size, stride)
    N, H, W, C = x.shape
    out = np.zeros((N, H_out, W_out, C), dtype=_float(x))
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                for c in range(C):
                    out[n, i, j, c] = x[n, i * sh:i * sh + ph, j * sw:j * sw + pw, c].max()
    return out, (x, ph, pw, sh, sw)


def max_pool_backward(dout, cache):
    x, ph, pw, sh, sw = cache
    N, H_out, W_out, C = dout.shape
    dx = np.zeros(x.shape, dtype=_float(dout, x))
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                for c in range(C):
                    window = x[n, i * sh:i * sh + ph, j * sw:j * sw + pw, c]
                    p, q = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, i * sh + p, j * sw + q, c] += dout[n, i, j, c]
    return dx


def avg_pool_forward(x, pool_size=2, stride=None):
    ph, pw, sh, sw, H_out, W_out = _pool_setup(x, pool_size, stride)
    N, H, W, C = x.shape
    out = np.zeros((N, H_out, W_out, C), dtype=_float(x))
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                for c in range(C):
                    out[n, i, j, c] = x[n, i * sh:i * sh + ph, j * sw:j * sw + pw, c].mean()
    return out, (x.shape, x.dtype, ph, pw, sh, sw)


def avg_pool_backward(dout, cache):
    shape, dtype, ph, pw, sh, sw = cache
    N, H_out, W_out, C = dout.shape
    dx = np.zeros(shape, dtype=_float(dout, np.empty(0, dtype)))
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                for c in range(C):
                    dx[n, i * sh:i * sh + ph, j * sw:j * sw + pw, c] += dout[n, i, j, c] / (ph * pw)
    return dx


def relu_forward(x):
    out = np.zeros(x.shape, dtype=_float(x))
    for k in np.ndindex(x.shape):
        if x[k] > 0:
            out[k] = x[k]
    return out, x


def relu_backward(dout, cache):
    x = cache
    dx = np.zeros(x.shape, dtype=_float(dout, x))
    for k in np.ndindex(x.shape):
        if x[k] > 0:
            dx[k] = dout[k]
    return dx


def affine_forward(x, w, b):
    N = x.shape[0]
    D = int(np.prod(x.shape[1:]))
    if D != w.shape[0]:
        raise ValueError(f"x has D = {D} features but w has shape {w.shape}")
    xf = x.reshape(N, D)
    out = np.zeros((N, w.shape[1]), dtype=_float(x, w, b))
    for n in range(N):
        for m in range(w.shape[1]):
            out[n, m] = np.dot(xf[n], w[:, m]) + b[m]
    return out, (x, w)


def affine_backward(dout, cache):
    x, w = cache
    N = x.shape[0]
    xf = x.reshape(N, -1)
    dtype = _float(dout, x, w)
    dxf = np.zeros(xf.shape, dtype=dtype)
    dw = np.zeros(w.shape, dtype=dtype)
    db = np.zeros(w.shape[1], dtype=dtype)
    for n in range(N):
        dxf[n] = w @ dout[n]
        dw += np.outer(xf[n], dout[n])
        db += dout[n]
    return dxf.reshape(x.shape), dw, db


def softmax(scores):
    N, C = scores.shape
    probs = np.zeros((N, C), dtype=_float(scores))
    for n in range(N):
        e = np.exp(scores[n] - scores[n].max())
        probs[n] = e / e.sum()
    return probs


def softmax_cross_entropy(scores, y):
    N, C = scores.shape
    if len(y) != N:
        raise ValueError(f"y has {len(y)} labels but scores has {N} rows")
    dscores = np.zeros((N, C), dtype=_float(scores))
    loss = 0.0
    for n in range(N):
        shifted = scores[n] - scores[n].max()
        log_sum = np.log(np.exp(shifted).sum())
        loss += log_sum - shifted[y[n]]
        dscores[n] = np.exp(shifted - log_sum)
        dscores[n, y[n]] -= 1
    return loss / N, dscores / N
