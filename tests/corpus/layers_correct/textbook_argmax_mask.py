"""A correct layers.py in the textbook style of lecture notes.

* conv backward: dx is the "full" correlation of the stride-dilated dout with the filter
  rotated by 180 degrees (channels swapped), dw a correlation of the padded input with the
  dilated dout;
* max-pool backward: a loop over windows, each window's mask built by argmax on the window
  reshaped to (ph*pw, C), as in many lecture notes;
* softmax and the loss through an explicit log-sum-exp.
"""
import numpy as np


def _ftype(*arrays):
    t = np.result_type(*arrays)
    return t if np.issubdtype(t, np.floating) else np.float64


def zero_pad(x, pad):
    if pad < 0:
        raise ValueError("pad must be a non-negative integer, got %r" % (pad,))
    n, h, w, c = x.shape
    out = np.zeros((n, h + 2 * pad, w + 2 * pad, c), dtype=_ftype(x))
    out[:, pad:h + pad, pad:w + pad, :] = x
    return out


def conv_forward(x, w, b, stride=1, pad=0):
    if stride < 1:
        raise ValueError("stride must be >= 1, got %r" % (stride,))
    if pad < 0:
        raise ValueError("pad must be >= 0, got %r" % (pad,))
    N, H, W, C = x.shape
    HH, WW, Cw, F = w.shape
    if Cw != C:
        raise ValueError("input channels differ: x has C=%d, w has %d" % (C, Cw))
    if HH > H + 2 * pad or WW > W + 2 * pad:
        raise ValueError("filter size %dx%d exceeds the padded input" % (HH, WW))
    t = _ftype(x, w, b)
    xp = zero_pad(x, pad).astype(t)
    H_out, W_out = (H + 2 * pad - HH) // stride + 1, (W + 2 * pad - WW) // stride + 1
    out = np.zeros((N, H_out, W_out, F), dtype=t)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                r = i * stride
                for j in range(W_out):
                    q = j * stride
                    out[n, i, j, f] = np.sum(xp[n, r:r + HH, q:q + WW, :] * w[..., f])
            out[n, :, :, f] += b[f]
    return out, (x, w, b, stride, pad)


def _dilate(dout, s):
    N, H_out, W_out, F = dout.shape
    d = np.zeros((N, (H_out - 1) * s + 1, (W_out - 1) * s + 1, F), dtype=dout.dtype)
    d[:, ::s, ::s, :] = dout
    return d


def conv_backward(dout, cache):
    x, w, b, s, pad = cache
    N, H, W, C = x.shape
    HH, WW, _, F = w.shape
    t = _ftype(dout, x, w)
    dout = dout.astype(t)
    xp = zero_pad(x, pad).astype(t)
    d = _dilate(dout, s)                                     # (N, Hd, Wd, F)
    Hd, Wd = d.shape[1:3]
    # dw[p, q, c, f] = sum_{n, y, x} xp[n, p + y, q + x, c] * d[n, y, x, f]
    dw = np.zeros(w.shape, dtype=t)
    for p in range(HH):
        for q in range(WW):
            dw[p, q] = np.tensordot(xp[:, p:p + Hd, q:q + Wd, :], d, axes=([0, 1, 2], [0, 1, 2]))
    # dx_pad = full correlation of d with the rotated filter (C and F swapped)
    dpad = np.pad(d, ((0, 0), (HH - 1, HH - 1), (WW - 1, WW - 1), (0, 0)))
    rot = w[::-1, ::-1]                                      # (HH, WW, C, F)
    core_h, core_w = Hd + HH - 1, Wd + WW - 1
    core = np.zeros((N, core_h, core_w, C), dtype=t)
    for p in range(HH):
        for q in range(WW):
            core += dpad[:, p:p + core_h, q:q + core_w, :] @ rot[p, q].T
    dxp = np.zeros(xp.shape, dtype=t)                        # rows past the last window get 0
    dxp[:, :core_h, :core_w, :] = core
    db = dout.sum(axis=(0, 1, 2))
    return dxp[:, pad:pad + H, pad:pad + W, :], dw, db


def _params(x, pool_size, stride):
    ph, pw = pool_size if isinstance(pool_size, tuple) or isinstance(pool_size, list) else (pool_size, pool_size)
    if stride is None:
        sh, sw = ph, pw
    elif isinstance(stride, (tuple, list)):
        sh, sw = stride
    else:
        sh = sw = stride
    if sh <= 0 or sw <= 0:
        raise ValueError("stride must be positive, got %r" % (stride,))
    if ph > x.shape[1] or pw > x.shape[2]:
        raise ValueError("pool window %dx%d larger than the input %dx%d" % (ph, pw, x.shape[1], x.shape[2]))
    return ph, pw, sh, sw


def max_pool_forward(x, pool_size=2, stride=None):
    ph, pw, sh, sw = _params(x, pool_size, stride)
    N, H, W, C = x.shape
    H_out, W_out = 1 + (H - ph) // sh, 1 + (W - pw) // sw
    out = np.empty((N, H_out, W_out, C), dtype=_ftype(x))
    for i in range(H_out):
        for j in range(W_out):
            out[:, i, j, :] = np.max(x[:, i * sh:i * sh + ph, j * sw:j * sw + pw, :], axis=(1, 2))
    return out, (x, (ph, pw, sh, sw))


def max_pool_backward(dout, cache):
    x, (ph, pw, sh, sw) = cache
    N, H_out, W_out, C = dout.shape
    dx = np.zeros(x.shape, dtype=_ftype(dout, x))
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                window = x[n, i * sh:i * sh + ph, j * sw:j * sw + pw, :].reshape(ph * pw, C)
                mask = np.zeros_like(window, dtype=bool)
                mask[np.argmax(window, axis=0), np.arange(C)] = True
                dx[n, i * sh:i * sh + ph, j * sw:j * sw + pw, :] += \
                    (mask * dout[n, i, j, :]).reshape(ph, pw, C)
    return dx


def avg_pool_forward(x, pool_size=2, stride=None):
    ph, pw, sh, sw = _params(x, pool_size, stride)
    N, H, W, C = x.shape
    H_out, W_out = 1 + (H - ph) // sh, 1 + (W - pw) // sw
    out = np.empty((N, H_out, W_out, C), dtype=_ftype(x))
    for i in range(H_out):
        for j in range(W_out):
            out[:, i, j, :] = np.mean(x[:, i * sh:i * sh + ph, j * sw:j * sw + pw, :], axis=(1, 2))
    return out, (x.shape, _ftype(x), (ph, pw, sh, sw))


def avg_pool_backward(dout, cache):
    shape, t, (ph, pw, sh, sw) = cache
    N, H_out, W_out, C = dout.shape
    dx = np.zeros(shape, dtype=np.result_type(t, dout))
    for i in range(H_out):
        for j in range(W_out):
            dx[:, i * sh:i * sh + ph, j * sw:j * sw + pw, :] += dout[:, i, j, None, None, :] / (ph * pw)
    return dx


def relu_forward(x):
    out = x.astype(_ftype(x), copy=True)
    out[out <= 0] = 0
    return out, x


def relu_backward(dout, cache):
    dx = dout.astype(_ftype(dout, cache), copy=True)
    dx[cache <= 0] = 0
    return dx


def affine_forward(x, w, b):
    if x[0].size != w.shape[0]:
        raise ValueError("x has %d features per example, w expects D = %d" % (x[0].size, w.shape[0]))
    out = x.reshape(x.shape[0], w.shape[0]).dot(w) + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    dx = dout.dot(w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], w.shape[0]).T.dot(dout)
    db = np.sum(dout, axis=0)
    return dx, dw, db


def _logsumexp(scores):
    m = np.max(scores, axis=1, keepdims=True)
    return m + np.log(np.sum(np.exp(scores - m), axis=1, keepdims=True))


def softmax(scores):
    return np.exp(scores - _logsumexp(scores))


def softmax_cross_entropy(scores, y):
    N = scores.shape[0]
    if np.shape(y) != (N,):
        raise ValueError("y must have shape (%d,) to label every row of scores, got %r" % (N, np.shape(y)))
    log_probs = scores - _logsumexp(scores)
    loss = -np.mean(log_probs[np.arange(N), y])
    dscores = np.exp(log_probs)
    dscores[np.arange(N), y] -= 1
    return loss, dscores / N
