"""autograder/pictures.py: the figures are judged through their matplotlib objects (colour
limits, images, circles, texts), never by eye."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.image import AxesImage

from autograder.pictures import learning_curve_figure, mismatch_figure, plot_learning_curve, plot_mismatch

TITLE = "conv_forward, x (2, 5, 5, 3), stride=1, pad=0: out[1, 3, 2, 2] is 2.41, expected 0.0123."


def _panels(fig):
    """(expected, yours, difference) axes with their image, in order; colour-bar axes left out."""
    panels = [ax for ax in fig.axes if ax.get_images()]
    assert [ax.get_title().split()[0] for ax in panels] == ["expected", "yours", "yours"]
    return [(ax, ax.get_images()[0]) for ax in panels]


def _limits(image: AxesImage) -> tuple[float, float]:
    return image.norm.vmin, image.norm.vmax


def _worst(ax):
    marks = [a for a in ax.patches + ax.lines if a.get_gid() == "worst"]
    assert len(marks) == 1, "one circle per panel"
    mark = marks[0]
    return tuple(mark.center) if hasattr(mark, "center") else (mark.get_xdata()[0], mark.get_ydata()[0])


def _bias_case():
    """A conv output whose expected values are ~0.1 and the student's carry a bias of 2.4."""
    rng = np.random.default_rng(7)
    expected = rng.normal(scale=0.1, size=(2, 5, 5, 3))
    got = expected + np.array([-0.3, 0.5, 2.4])
    return got, expected, (1, 3, 2, 2)


def test_each_panel_has_its_own_colour_scale():
    got, expected, index = _bias_case()
    fig = mismatch_figure(TITLE, "out", got, expected, index)
    (_, exp_img), (_, got_img), _ = _panels(fig)
    exp_slice, got_slice = expected[1, :, :, 2], got[1, :, :, 2]
    assert _limits(exp_img) == (exp_slice.min(), exp_slice.max())
    assert _limits(got_img) == (got_slice.min(), got_slice.max())     # 2.4 is not drawn like 0.1
    np.testing.assert_array_equal(exp_img.get_array(), exp_slice)
    np.testing.assert_array_equal(got_img.get_array(), got_slice)


def test_every_colour_bar_is_numbered_within_its_panel():
    got, expected, index = _bias_case()
    fig = mismatch_figure(TITLE, "out", got, expected, index)
    for _, image in _panels(fig):
        bar = image.colorbar
        assert bar is not None
        low, high = _limits(image)
        ticks = [t for t in bar.get_ticks() if low <= t <= high]
        assert len(ticks) >= 3
        labels = [bar.formatter(t) for t in ticks]
        assert all(label.strip() for label in labels) and len(set(labels)) == len(labels), labels


def test_a_constant_offset_is_one_flat_colour_and_its_value_is_on_the_scale():
    got, expected, index = _bias_case()           # offset 2.4 plus rounding in the last bits
    fig = mismatch_figure(TITLE, "out", got, expected, index)
    _, _, (_, diff_img) = _panels(fig)
    low, high = _limits(diff_img)
    assert low == -high and high >= 2.4 * (1 - 1e-12)
    data = np.asarray(diff_img.get_array())
    np.testing.assert_allclose(data, 2.4, rtol=1e-12)
    colours = diff_img.cmap(diff_img.norm(data)).reshape(-1, 4)
    assert len(np.unique(colours, axis=0)) == 1, "rounding noise must not show as structure"


def test_an_exact_constant_offset_gives_a_single_valued_difference():
    expected = np.arange(36, dtype=np.float64).reshape(6, 6) / 8
    fig = mismatch_figure("affine_forward: out[0, 0] is 0.75, expected 0.25.", "out", expected + 0.5,
                          expected, (0, 0))
    _, _, (_, diff_img) = _panels(fig)
    assert np.unique(np.asarray(diff_img.get_array())).tolist() == [0.5]
    assert _limits(diff_img) == (-0.5, 0.5)


def test_the_difference_scale_is_symmetric_and_signed():
    expected = np.zeros((3, 4))
    got = expected.copy()
    got[1, 2], got[2, 0] = -3.0, 1.0
    fig = mismatch_figure("x", "dx", got, expected, (1, 2))
    _, _, (_, diff_img) = _panels(fig)
    assert _limits(diff_img) == (-3.0, 3.0)
    assert diff_img.norm(0.0) == pytest.approx(0.5)      # 0 is the middle (white) colour


def test_the_worst_element_is_circled_in_every_panel():
    got, expected, index = _bias_case()
    fig = mismatch_figure(TITLE, "out", got, expected, index)
    for ax, _ in _panels(fig):
        assert _worst(ax) == (2, 3)                      # (column, row) of out[1, 3, 2, 2]


def test_the_title_names_the_message_and_the_slice_shown():
    got, expected, index = _bias_case()
    title = mismatch_figure(TITLE, "out", got, expected, index)._suptitle.get_text()
    assert "stride=1, pad=0" in title                     # the case, from the message
    assert "out[1, :, :, 2] (n = 1, channel 2)" in title
    assert "(2, 5, 5, 3)" in title and "out[1, 3, 2, 2]" in title


def test_small_slices_carry_their_values_large_ones_do_not():
    got, expected, index = _bias_case()
    fig = mismatch_figure(TITLE, "out", got, expected, index)
    for ax, image in _panels(fig):
        texts = [t.get_text() for t in ax.texts]
        assert len(texts) == 25
        assert f"{np.asarray(image.get_array())[3, 2]:.3g}" in texts
    rng = np.random.default_rng(0)
    big = rng.normal(size=(9, 9))
    fig = mismatch_figure("x", "out", big + 1, big, (4, 4))
    assert all(len(ax.texts) == 0 for ax, _ in _panels(fig))


def test_constant_panels_and_nan_still_get_numbered_finite_scales():
    expected = np.zeros((1, 3, 3, 1))
    got = np.full((1, 3, 3, 1), np.nan)
    got[0, 0, 0, 0] = 1.0
    fig = mismatch_figure("x", "out", got, expected, (0, 1, 1, 0))
    for _, image in _panels(fig):
        low, high = _limits(image)
        assert np.isfinite([low, high]).all() and low < high
    (_, exp_img), _, _ = _panels(fig)
    assert _limits(exp_img) == (-1.0, 1.0)                # all zeros: a readable range around 0


@pytest.mark.parametrize("shape, index, position", [
    ((6,), (4,), (4,)),
    ((3, 4, 5), (2, 1, 3), (1, 3)),                 # [2] is drawn: row 1, column 3
    ((2, 2, 2, 2, 3), (1, 0, 1, 1, 2), (35,)),      # flattened: 24 + 6 + 3 + 2
])
def test_other_ranks(shape, index, position):
    rng = np.random.default_rng(1)
    expected = rng.normal(size=shape)
    got = expected.copy()
    got[index] += 5
    fig = mismatch_figure("x", "y", got, expected, index)
    data_axes = [ax for ax in fig.axes if ax.get_title()]
    assert len(data_axes) == 3
    for ax in data_axes:
        assert _worst(ax)[:len(position)] == position[::-1]        # (x, y) = (column, row)


def test_plot_mismatch_writes_a_png(tmp_path):
    got, expected, index = _bias_case()
    path = plot_mismatch(tmp_path / "deep" / "conv_forward.basic.png", TITLE, "out", got, expected, index)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_learning_curve_has_labelled_axes_and_the_threshold_line(tmp_path):
    losses = list(np.linspace(2.3, 0.3, 240))
    fig = learning_curve_figure("the training task with your adam", losses, "test accuracy 62.0% (needed: 85%)",
                                accuracy=0.62, threshold=0.85)
    loss_ax, accuracy_ax = fig.axes
    assert loss_ax.get_xlabel() and loss_ax.get_ylabel() and accuracy_ax.get_ylabel() == "test accuracy"
    assert any(list(line.get_ydata()) == [0.85, 0.85] for line in accuracy_ax.lines)
    assert accuracy_ax.patches[0].get_height() == pytest.approx(0.62)
    assert len(loss_ax.lines) == 2                          # the losses and their running mean
    alone = learning_curve_figure("t", losses[:5], "note")
    assert len(alone.axes) == 1 and alone.axes[0].get_xlabel() and alone.axes[0].get_ylabel()
    path = plot_learning_curve(tmp_path / "train.mnist.png", "t", losses, "note", accuracy=0.9, threshold=0.85)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
