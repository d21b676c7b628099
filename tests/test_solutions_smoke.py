"""The reference solutions load and give the slides' numbers (first brick; see the oracle tests)."""
import numpy as np

from autograder.references import reference


def test_max_pool_slides_example():
    conv = reference("01_convolution", "convolution")
    image = np.array([[1, 1, 2, 4, 5, 6], [5, 6, 7, 8, 1, 2], [3, 2, 1, 0, 5, 4],
                      [1, 2, 3, 4, 3, 2], [0, 4, 3, 2, 7, 1], [2, 1, 5, 3, 4, 6]])
    out = conv.max_pool2d(image, 2, 2)
    assert out.shape == (3, 3)
    assert out.dtype == np.float64
