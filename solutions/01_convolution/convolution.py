"""Image convolution and shape arithmetic (assignment 01).

Single-channel images ``image``: ``(H, W)``; kernels ``kernel``: ``(HH, WW)``.
Output size: ``H_out = (H + 2*pad - HH) // stride + 1``, likewise for ``W_out``; trailing
rows/columns that do not fill a window are ignored (floor), like Keras ``padding="valid"``.
Padding is per side: ``pad=1`` adds one row on top and one at the bottom.

No function modifies its array arguments; the dtype follows the input (integer or bool images
give float64). Bad arguments raise ``ValueError`` naming the argument.
Only numpy and the standard library may be imported here.
"""
import math

import numpy as np


# ---------------------------------------------------------------------------
# Provided helpers (not graded).
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


def _check_2d(array, name):
    """Raise ValueError unless ``array`` is a 2-D (H, W) array."""
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (H, W), got shape {array.shape}.")


# ---------------------------------------------------------------------------
# Correlation, convolution, template matching
# ---------------------------------------------------------------------------

def correlate2d(image, kernel, stride=1, pad=0):
    """2-D cross-correlation of one image with one kernel (no kernel flip).

    image: (H, W), kernel: (HH, WW) -> out: (H_out, W_out), H_out = (H + 2*pad - HH) // stride + 1,
    W_out = (W + 2*pad - WW) // stride + 1;
    out[i, j] = sum_{p, q} image_pad[i*stride + p, j*stride + q] * kernel[p, q].
    ValueError when the kernel is larger than the padded image.
    """
    ### BEGIN SOLUTION
    image, kernel = np.asarray(image), np.asarray(kernel)
    _check_2d(image, "image")
    _check_2d(kernel, "kernel")
    stride = _check_int(stride, "stride", 1)
    pad = _check_int(pad, "pad", 0)
    (h, w), (hh, ww) = image.shape, kernel.shape
    if hh > h + 2 * pad or ww > w + 2 * pad:
        raise ValueError(f"kernel {hh}x{ww} is larger than the padded image "
                         f"{h + 2 * pad}x{w + 2 * pad} (image with pad={pad}).")
    dtype = _float_dtype(image, kernel)
    padded = np.pad(image.astype(dtype, copy=False), pad)
    windows = np.lib.stride_tricks.sliding_window_view(padded, (hh, ww))[::stride, ::stride]
    return np.tensordot(windows, kernel.astype(dtype, copy=False), axes=([2, 3], [0, 1]))
    ### END SOLUTION


def convolve2d(image, kernel, stride=1, pad=0):
    """True 2-D convolution: rotate the kernel by 180 degrees, then correlate.

    image: (H, W), kernel: (HH, WW) -> out: (H_out, W_out), same size rule as correlate2d.
    """
    ### BEGIN SOLUTION
    kernel = np.asarray(kernel)
    _check_2d(kernel, "kernel")
    return correlate2d(image, kernel[::-1, ::-1], stride=stride, pad=pad)
    ### END SOLUTION


def template_match(image, template):
    """The slides' template matching: multiply, add, divide by the number of pixels.

    image: (H, W), template: (HH, WW) -> out: (H - HH + 1, W - WW + 1)
    = correlate2d(image, template) / template.size.
    """
    ### BEGIN SOLUTION
    template = np.asarray(template)
    return correlate2d(image, template) / template.size
    ### END SOLUTION


def relu(x):
    """Rectified linear unit, elementwise: max(x, 0). x: any shape -> same shape."""
    ### BEGIN SOLUTION
    x = np.asarray(x)
    return np.where(x > 0, x, 0).astype(_float_dtype(x), copy=False)
    ### END SOLUTION


def max_pool2d(image, size=2, stride=2, ceil_mode=False):
    """Max pooling of one image with a square ``size`` x ``size`` window.

    image: (H, W) -> out: (H_out, W_out). Floor mode: H_out = (H - size) // stride + 1.
    Ceil mode (PyTorch's rule): H_out = ceil((H - size) / stride) + 1, minus one if the last
    window would start outside the image; a partial window at the border takes the max of the
    pixels it holds. A window larger than the image is a ValueError in both modes.
    """
    ### BEGIN SOLUTION
    image = np.asarray(image)
    _check_2d(image, "image")
    ph, pw = _pair(size, "size")
    sh, sw = _pair(stride, "stride")
    h, w = image.shape
    if ph > h or pw > w:
        raise ValueError(f"pooling window {ph}x{pw} (size) is larger than the image {h}x{w}.")

    def out_size(n, f, s):
        if not ceil_mode:
            return (n - f) // s + 1
        out = math.ceil((n - f) / s) + 1
        return out - 1 if (out - 1) * s >= n else out

    h_out, w_out = out_size(h, ph, sh), out_size(w, pw, sw)
    dtype = _float_dtype(image)
    need_h, need_w = (h_out - 1) * sh + ph, (w_out - 1) * sw + pw
    padded = np.full((max(h, need_h), max(w, need_w)), -np.inf, dtype=dtype)
    padded[:h, :w] = image
    windows = np.lib.stride_tricks.sliding_window_view(padded, (ph, pw))[::sh, ::sw]
    return windows[:h_out, :w_out].max(axis=(2, 3))
    ### END SOLUTION


# ---------------------------------------------------------------------------
# Shape arithmetic
# ---------------------------------------------------------------------------

def conv_output_size(n, f, stride=1, pad=0):
    """Output size along one axis: (n + 2*pad - f) // stride + 1 (floor rule).

    ValueError when the filter ``f`` is larger than the padded input ``n + 2*pad``.
    """
    ### BEGIN SOLUTION
    n, f = _check_int(n, "n", 1), _check_int(f, "f", 1)
    stride, pad = _check_int(stride, "stride", 1), _check_int(pad, "pad", 0)
    if f > n + 2 * pad:
        raise ValueError(f"filter size f={f} is larger than the padded input n + 2*pad = {n + 2 * pad}.")
    return (n + 2 * pad - f) // stride + 1
    ### END SOLUTION


def fits(n, f, stride=1, pad=0):
    """Whether a filter of size ``f`` tiles the padded input exactly: (n + 2*pad - f) % stride == 0.

    False when the filter is larger than the padded input.
    """
    ### BEGIN SOLUTION
    n, f = _check_int(n, "n", 1), _check_int(f, "f", 1)
    stride, pad = _check_int(stride, "stride", 1), _check_int(pad, "pad", 0)
    if f > n + 2 * pad:
        return False
    return (n + 2 * pad - f) % stride == 0
    ### END SOLUTION


def same_padding(f):
    """Padding that keeps the size at stride 1 for an odd filter size ``f``: (f - 1) // 2.

    ValueError for an even ``f`` (no symmetric padding keeps the size).
    """
    ### BEGIN SOLUTION
    f = _check_int(f, "f", 1)
    if f % 2 == 0:
        raise ValueError(f"same padding needs an odd filter size f, got f={f}.")
    return (f - 1) // 2
    ### END SOLUTION


def conv_param_count(f, c_in, c_out, bias=True):
    """Learnable parameters of a conv layer with ``c_out`` filters of f x f x c_in (``f`` an int,
    the filter's side): f*f*c_in*c_out (+ c_out biases)."""
    ### BEGIN SOLUTION
    f = _check_int(f, "f", 1)
    c_in, c_out = _check_int(c_in, "c_in", 1), _check_int(c_out, "c_out", 1)
    return f * f * c_in * c_out + (c_out if bias else 0)
    ### END SOLUTION


def dense_param_count(n_in, n_out, bias=True):
    """Learnable parameters of a dense layer: n_in*n_out (+ n_out biases)."""
    ### BEGIN SOLUTION
    n_in, n_out = _check_int(n_in, "n_in", 1), _check_int(n_out, "n_out", 1)
    return n_in * n_out + (n_out if bias else 0)
    ### END SOLUTION


def receptive_field(layers):
    """Receptive field of a stack of layers, given as (f, stride) pairs, nearest the input first:

    r = 1 + sum_l (f_l - 1) * prod_{k < l} stride_k.
    """
    ### BEGIN SOLUTION
    r, jump = 1, 1
    for i, layer in enumerate(layers):
        if not isinstance(layer, (tuple, list)) or len(layer) != 2:
            raise ValueError(f"layers[{i}] must be a pair (f, stride), got {layer!r}.")
        f = _check_int(layer[0], f"layers[{i}] f", 1)
        stride = _check_int(layer[1], f"layers[{i}] stride", 1)
        r += (f - 1) * jump
        jump *= stride
    return r
    ### END SOLUTION
