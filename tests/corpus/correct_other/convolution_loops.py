"""A correct convolution.py written with plain loops (a typical first-year style)."""
import math

import numpy as np


def _check(stride, pad):
    if not isinstance(stride, int) or stride < 1:
        raise ValueError("stride must be a positive integer")
    if not isinstance(pad, int) or pad < 0:
        raise ValueError("pad must be a non-negative integer")


def correlate2d(image, kernel, stride=1, pad=0):
    _check(stride, pad)
    image = np.array(image)
    kernel = np.array(kernel)
    dtype = np.result_type(image, kernel)
    if not np.issubdtype(dtype, np.floating):
        dtype = np.float64
    H, W = image.shape
    HH, WW = kernel.shape
    if HH > H + 2 * pad or WW > W + 2 * pad:
        raise ValueError("kernel is larger than the padded image")
    padded = np.zeros((H + 2 * pad, W + 2 * pad), dtype=dtype)
    padded[pad:pad + H, pad:pad + W] = image
    Ho = (H + 2 * pad - HH) // stride + 1
    Wo = (W + 2 * pad - WW) // stride + 1
    out = np.zeros((Ho, Wo), dtype=dtype)
    for i in range(Ho):
        for j in range(Wo):
            total = 0.0
            for p in range(HH):
                for q in range(WW):
                    total += padded[i * stride + p, j * stride + q] * kernel[p, q]
            out[i, j] = total
    return out


def convolve2d(image, kernel, stride=1, pad=0):
    kernel = np.array(kernel)
    flipped = np.zeros_like(kernel)
    HH, WW = kernel.shape
    for p in range(HH):
        for q in range(WW):
            flipped[p, q] = kernel[HH - 1 - p, WW - 1 - q]
    return correlate2d(image, flipped, stride, pad)


def template_match(image, template):
    template = np.array(template)
    return correlate2d(image, template) / (template.shape[0] * template.shape[1])


def relu(x):
    x = np.array(x, dtype=np.result_type(np.asarray(x), np.float16) if np.issubdtype(np.asarray(x).dtype, np.floating) else np.float64)
    out = x.copy()
    out[out < 0] = 0
    out[out == 0] = 0          # turns -0.0 into 0.0
    return out


def max_pool2d(image, size=2, stride=2, ceil_mode=False):
    image = np.array(image)
    dtype = image.dtype if np.issubdtype(image.dtype, np.floating) else np.float64
    H, W = image.shape
    if size > H or size > W:
        raise ValueError("pooling window size is larger than the image")
    if ceil_mode:
        Ho = math.ceil((H - size) / stride) + 1
        Wo = math.ceil((W - size) / stride) + 1
        if (Ho - 1) * stride >= H:
            Ho -= 1
        if (Wo - 1) * stride >= W:
            Wo -= 1
    else:
        Ho = (H - size) // stride + 1
        Wo = (W - size) // stride + 1
    out = np.zeros((Ho, Wo), dtype=dtype)
    for i in range(Ho):
        for j in range(Wo):
            window = image[i * stride:min(i * stride + size, H), j * stride:min(j * stride + size, W)]
            out[i, j] = window.max()
    return out


def conv_output_size(n, f, stride=1, pad=0):
    _check(stride, pad)
    if f > n + 2 * pad:
        raise ValueError("filter size f does not fit in the padded input")
    return (n + 2 * pad - f) // stride + 1


def fits(n, f, stride=1, pad=0):
    _check(stride, pad)
    if f > n + 2 * pad:
        return False
    return (n + 2 * pad - f) % stride == 0


def same_padding(f):
    if f % 2 == 0:
        raise ValueError("f must be odd for same padding")
    return (f - 1) // 2


def conv_param_count(f, c_in, c_out, bias=True):
    if isinstance(f, tuple):
        fh, fw = f
    else:
        fh = fw = f
    count = fh * fw * c_in * c_out
    if bias:
        count += c_out
    return count


def dense_param_count(n_in, n_out, bias=True):
    return n_in * n_out + (n_out if bias else 0)


def receptive_field(layers):
    r = 1
    jump = 1
    for f, s in layers:
        r = r + (f - 1) * jump
        jump = jump * s
    return r
