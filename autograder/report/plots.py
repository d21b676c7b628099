"""Pictures for feedback, where a picture beats a number: where an output differs from the
expected one, and the training task's learning curve. Pure functions of arrays -> PNG files."""
from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _slice(array: np.ndarray, index: tuple) -> tuple[np.ndarray, str]:
    """A 2-D (or 1-D) view through the worst element: images (N, H, W, C) -> [n, :, :, c]."""
    if array.ndim == 4:
        return array[index[0], :, :, index[3]], f"[{index[0]}, :, :, {index[3]}]"
    if array.ndim == 3:
        return array[index[0]], f"[{index[0]}]"
    if array.ndim <= 2:
        return array, ""
    return array.reshape(-1), " (flattened)"


def plot_mismatch(path: Path, title: str, name: str, got: np.ndarray, expected: np.ndarray,
                  index: tuple) -> Path:
    """Expected, got and |got - expected| side by side, the worst element circled."""
    plt = _pyplot()
    got_s, where = _slice(np.asarray(got, dtype=np.float64), index)
    exp_s, _ = _slice(np.asarray(expected, dtype=np.float64), index)
    diff = np.abs(got_s - exp_s)
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6))
    if got_s.ndim == 1:
        axes[0].plot(exp_s, label="expected")
        axes[0].plot(got_s, "--", label="yours")
        axes[0].legend()
        axes[1].plot(got_s - exp_s)
        axes[1].set_title("yours - expected")
        axes[2].plot(diff)
        axes[2].set_title("|difference|")
    else:
        vmin, vmax = float(np.nanmin(exp_s)), float(np.nanmax(exp_s))
        for ax, data, label in ((axes[0], exp_s, "expected"), (axes[1], got_s, "yours")):
            image = ax.imshow(data, cmap="viridis", vmin=vmin, vmax=vmax)
            ax.set_title(f"{label} {name}{where}")
            fig.colorbar(image, ax=ax, fraction=0.046)
        image = axes[2].imshow(diff, cmap="magma")
        axes[2].set_title("|yours - expected|")
        fig.colorbar(image, ax=axes[2], fraction=0.046)
        if len(index) >= 2:
            row, col = (index[1], index[2]) if got.ndim == 4 else ((index[1], index[2]) if got.ndim == 3 else index[:2])
            for ax in axes:
                ax.plot(col, row, "o", mfc="none", mec="red", ms=12, mew=2)
    fig.suptitle("\n".join(textwrap.wrap(title, 130)), fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def plot_learning_curve(path: Path, title: str, step_loss: list[float], threshold_note: str) -> Path:
    """The loss of every mini-batch, with a running mean."""
    plt = _pyplot()
    losses = np.asarray(step_loss, dtype=np.float64)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    ax.plot(losses, alpha=0.4, label="mini-batch loss")
    if len(losses) >= 10:
        kernel = np.ones(10) / 10
        ax.plot(np.arange(9, len(losses)), np.convolve(losses, kernel, mode="valid"), label="mean of 10")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title(f"{title}\n{threshold_note}", fontsize=9)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
