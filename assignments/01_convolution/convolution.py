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
    raise NotImplementedError('01_convolution, correlate2d: implement it (see the docstring); it returns out: (H_out, W_out), H_out = (H + 2*pad - HH) // stride + 1, W_out = (W + 2*pad - WW) // stride + 1.')


def convolve2d(image, kernel, stride=1, pad=0):
    """True 2-D convolution: rotate the kernel by 180 degrees, then correlate.

    image: (H, W), kernel: (HH, WW) -> out: (H_out, W_out), same size rule as correlate2d.
    """
    raise NotImplementedError('01_convolution, convolve2d: implement it (see the docstring); it returns out: (H_out, W_out), same size rule as correlate2d.')


def template_match(image, template):
    """The slides' template matching: multiply, add, divide by the number of pixels.

    image: (H, W), template: (HH, WW) -> out: (H - HH + 1, W - WW + 1)
    = correlate2d(image, template) / template.size.
    """
    raise NotImplementedError('01_convolution, template_match: implement it (see the docstring); it returns out: (H - HH + 1, W - WW + 1) = correlate2d(image, template) / template.size.')


def relu(x):
    """Rectified linear unit, elementwise: max(x, 0). x: any shape -> same shape."""
    raise NotImplementedError('01_convolution, relu: implement it (see the docstring); it returns same shape.')


def max_pool2d(image, size=2, stride=2, ceil_mode=False):
    """Max pooling of one image with a square ``size`` x ``size`` window.

    image: (H, W) -> out: (H_out, W_out). Floor mode: H_out = (H - size) // stride + 1.
    Ceil mode (PyTorch's rule): H_out = ceil((H - size) / stride) + 1, minus one if the last
    window would start outside the image; a partial window at the border takes the max of the
    pixels it holds. A window larger than the image is a ValueError in both modes.
    """
    raise NotImplementedError('01_convolution, max_pool2d: implement it (see the docstring); it returns out: (H_out, W_out).')


# ---------------------------------------------------------------------------
# Shape arithmetic
# ---------------------------------------------------------------------------

def conv_output_size(n, f, stride=1, pad=0):
    """Output size along one axis: (n + 2*pad - f) // stride + 1 (floor rule).

    ValueError when the filter ``f`` is larger than the padded input ``n + 2*pad``.
    """
    raise NotImplementedError('01_convolution, conv_output_size: implement it (see the docstring).')


def fits(n, f, stride=1, pad=0):
    """Whether a filter of size ``f`` tiles the padded input exactly: (n + 2*pad - f) % stride == 0.

    False when the filter is larger than the padded input.
    """
    raise NotImplementedError('01_convolution, fits: implement it (see the docstring).')


def same_padding(f):
    """Padding that keeps the size at stride 1 for an odd filter size ``f``: (f - 1) // 2.

    ValueError for an even ``f`` (no symmetric padding keeps the size).
    """
    raise NotImplementedError('01_convolution, same_padding: implement it (see the docstring).')


def conv_param_count(f, c_in, c_out, bias=True):
    """Learnable parameters of a conv layer with ``c_out`` filters of f x f x c_in (``f`` an int,
    the filter's side): f*f*c_in*c_out (+ c_out biases)."""
    raise NotImplementedError('01_convolution, conv_param_count: implement it (see the docstring).')


def dense_param_count(n_in, n_out, bias=True):
    """Learnable parameters of a dense layer: n_in*n_out (+ n_out biases)."""
    raise NotImplementedError('01_convolution, dense_param_count: implement it (see the docstring).')


def receptive_field(layers):
    """Receptive field of a stack of layers, given as (f, stride) pairs, nearest the input first:

    r = 1 + sum_l (f_l - 1) * prod_{k < l} stride_k.
    """
    raise NotImplementedError('01_convolution, receptive_field: implement it (see the docstring).')
