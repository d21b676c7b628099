"""Pictures for feedback, where a picture beats a number: where an output differs from the
expected one, and the training task's learning curve.

``mismatch_figure`` and ``learning_curve_figure`` are pure functions of arrays that return a
matplotlib ``Figure`` (drawn with the Agg canvas, no pyplot state); ``plot_mismatch`` and
``plot_learning_curve`` only save them as PNG files.

A mismatch is drawn as three panels of the same 2-D slice through the worst element (for
images ``(N, H, W, C)``: the ``H x W`` map of that element's ``n`` and channel):

- expected, on its own colour scale;
- yours, on *its own* colour scale (a 2.4 is not drawn like a 0.1 because 0.1 is what was
  expected);
- yours - expected, on a diverging scale centred on 0 and symmetric (``-m .. m``, ``m`` the
  largest ``|difference|``): a constant offset (a missing bias) is one flat colour whose value
  the colour bar reads, rounding noise near 0 stays white, and the sign shows which way it is off.

Every colour bar is numbered; the worst element is circled in every panel; slices of at most
8 x 8 carry their values as text.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
from matplotlib import colormaps, patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle
from matplotlib.ticker import FormatStrFormatter

ANNOTATE_MAX = 8            # slices up to 8 x 8 show their values as text
_VALUES = colormaps["viridis"].with_extremes(bad="lightgrey")    # NaN shows grey, not as a value
_DIFF = colormaps["RdBu_r"].with_extremes(bad="lightgrey")       # blue below, white 0, red above
_FLAT = 1e-9                # a range below 1e-9 of the values' size is a constant plus rounding


def _figure(**kwargs) -> Figure:
    fig = Figure(layout="constrained", **kwargs)
    FigureCanvasAgg(fig)
    return fig


def _slice(array: np.ndarray, index: tuple) -> tuple[np.ndarray, tuple, str]:
    """The 2-D (or 1-D) slice through ``index`` that is drawn, the worst element's position in it
    (row, col) or (i,), and what the slice is, in words.

    ``(N, H, W, C)`` -> ``[n, :, :, c]`` (H x W); ``(N, A, B)`` -> ``[n]`` (A x B); 2-D and 1-D
    arrays as they are; higher ranks flattened.
    """
    index = tuple(int(i) for i in index)
    if array.ndim == 4:
        return (array[index[0], :, :, index[3]], (index[1], index[2]),
                f"[{index[0]}, :, :, {index[3]}] (n = {index[0]}, channel {index[3]})")
    if array.ndim == 3:
        return array[index[0]], (index[1], index[2]), f"[{index[0]}] (n = {index[0]})"
    if array.ndim in (1, 2):
        return array, index[:array.ndim], ""
    return array.reshape(-1), (int(np.ravel_multi_index(index, array.shape)),), " (flattened)"


def value_limits(data: np.ndarray) -> tuple[float, float]:
    """Colour limits of one panel: the finite minimum and maximum of its own data, widened
    around the value when the data are constant (up to rounding), so that the colour bar is
    numbered and rounding noise is not drawn as structure."""
    finite = data[np.isfinite(data)]
    if finite.size == 0:
        return -1.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    size = max(abs(low), abs(high))
    if high - low <= _FLAT * size or size == 0.0:
        middle = (low + high) / 2
        spread = abs(middle) * 0.1 if middle else 1.0
        return middle - spread, middle + spread
    return low, high


def diff_limits(diff: np.ndarray) -> tuple[float, float]:
    """Symmetric limits ``(-m, m)`` of the difference panel, ``m`` its largest finite
    ``|value|`` (1 when there is none)."""
    finite = np.abs(diff[np.isfinite(diff)])
    largest = float(finite.max()) if finite.size else 0.0
    largest = largest if largest > 0.0 else 1.0
    return -largest, largest


def _annotate(ax, data: np.ndarray, image) -> None:
    """Write each value on its cell, black or white by the cell's brightness."""
    for (row, col), value in np.ndenumerate(data):
        rgba = image.cmap(image.norm(value)) if np.isfinite(value) else (0.8, 0.8, 0.8, 1.0)
        light = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2] > 0.5
        ax.text(col, row, f"{value:.3g}", ha="center", va="center", fontsize=6.5,
                color="black" if light else "white")


def _circle(ax, x: float, y: float, radius: float | None = None) -> None:
    """Circle the worst element, black with a white rim (visible on every colour map): on an
    image a circle of ``radius`` cells around it (its value stays readable), on a line plot a
    ring marker."""
    rim = [patheffects.withStroke(linewidth=3.5, foreground="white")]
    if radius is None:
        (mark,) = ax.plot([x], [y], "o", mfc="none", mec="black", ms=14, mew=1.8, path_effects=rim)
    else:
        mark = ax.add_patch(Circle((x, y), radius, fill=False, edgecolor="black", linewidth=1.8,
                                   path_effects=rim))
    mark.set_gid("worst")


def _image_panel(fig, ax, data, position, title, cmap, limits) -> None:
    image = ax.imshow(data, cmap=cmap, vmin=limits[0], vmax=limits[1], interpolation="nearest")
    ax.set_title(title, fontsize=9)
    bar = fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    bar.formatter = FormatStrFormatter("%.3g")
    bar.update_ticks()
    bar.ax.tick_params(labelsize=7)
    if data.shape[0] <= ANNOTATE_MAX and data.shape[1] <= ANNOTATE_MAX:
        _annotate(ax, data, image)
    _circle(ax, position[1], position[0], radius=max(0.48, 0.05 * max(data.shape)))


def _line_panel(ax, data, position, title, color, symmetric=False) -> None:
    steps = np.arange(data.size)
    ax.plot(steps, data, ".-", color=color, lw=1, ms=4)
    ax.axhline(0.0, color="grey", lw=0.6)
    if symmetric:
        ax.set_ylim(*(1.15 * v for v in diff_limits(data)))
    ax.set_title(title, fontsize=9)
    ax.set_xlabel("index")
    _circle(ax, position[0], float(data[position[0]]) if np.isfinite(data[position[0]]) else 0.0)


def mismatch_figure(title: str, name: str, got: np.ndarray, expected: np.ndarray, index: tuple) -> Figure:
    """Expected, yours and yours - expected of the slice through the worst element, each with its
    own numbered colour bar (line plots for 1-D slices).

    ``got``, ``expected``: arrays of one shape, any rank (``(N, H, W, C)`` draws ``H x W``);
    ``index``: the worst element, one int per axis; ``name``: the output's name (``dx``);
    ``title``: the check's message, which names the function and the case.
    """
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    got_s, position, where = _slice(got, index)
    exp_s, _, _ = _slice(expected, index)
    diff = got_s - exp_s
    fig = _figure(figsize=(12.5, 4.4) if got_s.ndim == 2 else (12.5, 3.6))
    axes = fig.subplots(1, 3)
    worst = f"{name}[{', '.join(str(int(i)) for i in index)}]"
    if got_s.ndim == 1:
        _line_panel(axes[0], exp_s, position, "expected", "tab:blue")
        _line_panel(axes[1], got_s, position, "yours", "tab:orange")
        _line_panel(axes[2], diff, position, "yours - expected", "tab:red", symmetric=True)
    else:
        _image_panel(fig, axes[0], exp_s, position, "expected", _VALUES, value_limits(exp_s))
        _image_panel(fig, axes[1], got_s, position, "yours", _VALUES, value_limits(got_s))
        _image_panel(fig, axes[2], diff, position, "yours - expected (0 is white)", _DIFF, diff_limits(diff))
        for ax in axes:
            ax.set_xlabel("column")
            ax.set_ylabel("row")
    fig.suptitle("\n".join(textwrap.wrap(title, 150)[:4]
                           + [f"shown: {name}{where} of {name}.shape = {got.shape}; circled: the worst "
                              f"element, {worst}"]),
                 fontsize=9)
    return fig


def plot_mismatch(path: Path, title: str, name: str, got: np.ndarray, expected: np.ndarray,
                  index: tuple) -> Path:
    """Save :func:`mismatch_figure` as a PNG file at ``path``."""
    return _save(mismatch_figure(title, name, got, expected, index), path)


def learning_curve_figure(title: str, step_loss: list[float], threshold_note: str, *,
                          accuracy: float | None = None, threshold: float | None = None) -> Figure:
    """The loss of every mini-batch with a running mean of 10; given ``accuracy`` and
    ``threshold``, a second panel shows the test accuracy against the threshold line."""
    losses = np.asarray(step_loss, dtype=np.float64)
    judged = accuracy is not None and threshold is not None
    fig = _figure(figsize=(10, 3.8) if judged else (7.5, 3.8))
    axes = fig.subplots(1, 2, width_ratios=(4, 1)) if judged else [fig.subplots()]
    ax = axes[0]
    ax.plot(np.arange(1, len(losses) + 1), losses, alpha=0.4, label="mini-batch loss")
    if len(losses) >= 10:
        mean = np.convolve(losses, np.ones(10) / 10, mode="valid")
        ax.plot(np.arange(10, len(losses) + 1), mean, label="mean of the last 10")
    ax.set_xlabel("step (mini-batch)")
    ax.set_ylabel("training loss (data + penalty)")
    ax.legend(fontsize=8)
    if accuracy is not None and threshold is not None:     # judged
        bar = axes[1]
        passed = accuracy >= threshold
        bar.bar([0], [accuracy], width=0.6, color="tab:green" if passed else "tab:red")
        bar.axhline(threshold, color="black", ls="--", lw=1.2)
        bar.text(0.75, threshold, f"needed {threshold:.0%}", ha="right", va="bottom", fontsize=8)
        bar.text(0, accuracy, f"{accuracy:.1%}", ha="center", va="bottom", fontsize=8)
        bar.set_ylim(0, 1.05)
        bar.set_xlim(-0.8, 0.8)
        bar.set_xticks([0], ["test"])
        bar.set_ylabel("test accuracy")
    fig.suptitle(f"{title}\n{threshold_note}", fontsize=9)
    return fig


def plot_learning_curve(path: Path, title: str, step_loss: list[float], threshold_note: str, *,
                        accuracy: float | None = None, threshold: float | None = None) -> Path:
    """Save :func:`learning_curve_figure` as a PNG file at ``path``."""
    return _save(learning_curve_figure(title, step_loss, threshold_note, accuracy=accuracy,
                                       threshold=threshold), path)


def _save(fig: Figure, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    return path
