"""MNIST and Fashion-MNIST loaders: IDX parsing, checksum verification, clear errors.

The canonical MNIST files are vendored in ``datasets/mnist/`` with ``SHA256SUMS`` of their
decompressed content; the first load of each file in a process verifies it. Fashion-MNIST is
read from Debian's ``dataset-fashion-mnist`` package (``/usr/share/datasets/fashion-mnist/``),
from ``$FASHION_MNIST_DIR``, or from a folder given explicitly. Nothing here touches the
network; :func:`download_mnist` is offered for users who have one, and verifies what it gets.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from autograder.paths import data_dir

MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
FASHION_DIRS = (Path("/usr/share/datasets/fashion-mnist"),)
MNIST_MIRROR = "https://storage.googleapis.com/cvdf-datasets/mnist/"
_IDX_DTYPES: dict[int, npt.DTypeLike] = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4",
                                         0x0E: ">f8"}
_VERIFIED: set[tuple[str, str]] = set()


class DatasetError(ValueError):
    """A data file is missing, damaged or not what its checksum says."""


@dataclass(frozen=True)
class Split:
    """One split of an image data set: images (N, 28, 28) uint8 and labels (N,) uint8."""

    images: np.ndarray
    labels: np.ndarray


@dataclass(frozen=True)
class Dataset:
    """Train and test splits of MNIST or Fashion-MNIST."""

    train: Split
    test: Split


# ---------------------------------------------------------------------------
# Pure parsing
# ---------------------------------------------------------------------------

def parse_idx(content: bytes, name: str = "<bytes>") -> np.ndarray:
    """Parse the decompressed bytes of an IDX file into an array of its declared shape."""
    if len(content) < 4:
        raise DatasetError(f"{name} is truncated: an IDX file starts with a 4-byte magic number, "
                           f"it has {len(content)} bytes.")
    if content[0] != 0 or content[1] != 0:
        raise DatasetError(f"{name} is not an IDX file (bad magic number {content[:4].hex()}).")
    type_code, ndim = content[2], content[3]
    if type_code not in _IDX_DTYPES:
        raise DatasetError(f"{name}: unknown IDX element type 0x{type_code:02x}.")
    header = 4 + 4 * ndim
    if len(content) < header:
        raise DatasetError(f"{name} is truncated: its header needs {header} bytes, it has {len(content)}.")
    shape = struct.unpack(f">{ndim}I", content[4:header])
    dtype = np.dtype(_IDX_DTYPES[type_code])
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(content) != expected:
        raise DatasetError(f"{name} is truncated or padded: shape {shape} needs {expected} bytes, "
                           f"the file holds {len(content)}.")
    return np.frombuffer(content, dtype=dtype, offset=header).reshape(shape)


def read_checksums(text: str) -> dict[str, str]:
    """Parse a ``SHA256SUMS`` file: ``<hex digest>  <file name>`` per line, # comments."""
    sums = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            digest, _, filename = line.partition(" ")
            sums[filename.strip().lstrip("*")] = digest.lower()
    return sums


# ---------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------

def _restore_hint(folder: Path, kind: str) -> str:
    if kind == "mnist":
        return (f"Restore it with `git checkout -- datasets/mnist` in the cnn-autograder "
                f"repository, or set CNN_AUTOGRADER_DATA to a folder holding mnist/ (with a "
                f"network, autograder.datasets.download_mnist('{folder}') fetches and verifies it).")
    return ("Install Debian's package with `apt-get install dataset-fashion-mnist`, or set "
            "FASHION_MNIST_DIR to a folder holding the four IDX files (gzip or not).")


def _find(folder: Path, stem: str) -> Path | None:
    for candidate in (folder / f"{stem}.gz", folder / stem):
        if candidate.is_file():
            return candidate
    return None


def read_idx_file(path: Path, expected_sha256: str | None = None, *, kind: str = "mnist") -> np.ndarray:
    """Read a (gzip-compressed or raw) IDX file; verify the SHA-256 of its content if given."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"{path} is missing. {_restore_hint(path.parent, kind)}") from None
    if not raw:
        raise DatasetError(f"{path} is empty (0 bytes): truncated. {_restore_hint(path.parent, kind)}")
    if path.suffix == ".gz":
        try:
            content = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            reason = "truncated" if isinstance(exc, EOFError) else "not a valid gzip file"
            raise DatasetError(f"{path} is {reason} ({exc}). {_restore_hint(path.parent, kind)}") from None
    else:
        content = raw
    if expected_sha256 is not None:
        key = (str(path), expected_sha256)
        if key not in _VERIFIED:
            actual = hashlib.sha256(content).hexdigest()
            if actual != expected_sha256:
                raise DatasetError(
                    f"{path} does not match its checksum: expected SHA-256 {expected_sha256}, "
                    f"got {actual}. The file is damaged or not the canonical one. "
                    f"{_restore_hint(path.parent, kind)}")
            _VERIFIED.add(key)
    try:
        return parse_idx(content, str(path))
    except DatasetError as exc:
        raise DatasetError(f"{exc} {_restore_hint(path.parent, kind)}") from None


def _load_four(folder: Path, checksums: dict[str, str] | None, kind: str) -> Dataset:
    arrays = {}
    for key, stem in MNIST_FILES.items():
        path = _find(folder, stem)
        if path is None:
            raise DatasetError(f"{folder / (stem + '.gz')} is missing. {_restore_hint(folder, kind)}")
        expected = None
        if checksums is not None:
            if stem not in checksums:
                raise DatasetError(f"{folder / 'SHA256SUMS'} has no line for {stem}. "
                                   f"{_restore_hint(folder, kind)}")
            expected = checksums[stem]
        arrays[key] = read_idx_file(path, expected, kind=kind)
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise DatasetError(f"{folder}: {split} images {images.shape} and labels {labels.shape} "
                               f"do not pair up. {_restore_hint(folder, kind)}")
    return Dataset(Split(arrays["train_images"], arrays["train_labels"]),
                   Split(arrays["test_images"], arrays["test_labels"]))


def load_mnist(folder: str | os.PathLike | None = None) -> Dataset:
    """MNIST: train (60000, 28, 28) / test (10000, 28, 28) uint8 images and (N,) uint8 labels.

    ``folder`` (default ``datasets/mnist`` of the kit, or ``$CNN_AUTOGRADER_DATA/mnist``) must
    hold the four IDX files and ``SHA256SUMS``; every file is verified on its first load.
    """
    folder = Path(folder) if folder is not None else data_dir() / "mnist"
    sums_path = folder / "SHA256SUMS"
    if not sums_path.is_file():
        raise DatasetError(f"{sums_path} is missing: the checksums of MNIST are needed to verify "
                           f"it. {_restore_hint(folder, 'mnist')}")
    return _load_four(folder, read_checksums(sums_path.read_text()), "mnist")


def load_fashion_mnist(folder: str | os.PathLike | None = None) -> Dataset:
    """Fashion-MNIST, same shapes as MNIST, from ``folder``, ``$FASHION_MNIST_DIR`` or Debian's
    ``/usr/share/datasets/fashion-mnist``. Verified against a ``SHA256SUMS`` there if present."""
    if folder is None and os.environ.get("FASHION_MNIST_DIR"):
        folder = os.environ["FASHION_MNIST_DIR"]
    candidates = [Path(folder)] if folder is not None else list(FASHION_DIRS)
    for candidate in candidates:
        if candidate.is_dir():
            sums = candidate / "SHA256SUMS"
            checksums = read_checksums(sums.read_text()) if sums.is_file() else None
            return _load_four(candidate, checksums, "fashion")
    where = ", ".join(str(c) for c in candidates)
    raise DatasetError(f"Fashion-MNIST not found (looked in {where}). {_restore_hint(candidates[0], 'fashion')}")


# ---------------------------------------------------------------------------
# Helpers for models
# ---------------------------------------------------------------------------

def to_float(images: np.ndarray, dtype: type = np.float32) -> np.ndarray:
    """Scale uint8 images (N, 28, 28) to floats in [0, 1] (same shape)."""
    return np.asarray(images).astype(dtype) / dtype(255)


def add_channel(images: np.ndarray) -> np.ndarray:
    """(N, H, W) -> (N, H, W, 1): the channels-last axis that conv layers expect."""
    return np.asarray(images)[..., np.newaxis]


def download_mnist(folder: str | os.PathLike, base_url: str = MNIST_MIRROR) -> Path:
    """Fetch the four MNIST files into ``folder`` and verify them against the vendored sums.

    For users with a network only: the kit itself never downloads (its copy is vendored).
    """
    import urllib.request

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sums_text = (data_dir() / "mnist" / "SHA256SUMS").read_text()
    sums = read_checksums(sums_text)
    for stem in MNIST_FILES.values():
        target = folder / f"{stem}.gz"
        with urllib.request.urlopen(base_url + stem + ".gz", timeout=60) as response:
            target.write_bytes(response.read())
        read_idx_file(target, sums[stem])
    (folder / "SHA256SUMS").write_text(sums_text)
    return folder
