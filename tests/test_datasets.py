"""autograder.datasets: the vendored MNIST, Fashion-MNIST, IDX parsing and every error message.

The real MNIST is decompressed and hashed once (the ``mnist`` fixture) and once more by the CLI
test; every error path runs on small IDX files fabricated here, or on a tmp copy of the vendored
folder broken so that the loader fails on its first file, before any full decompress.
Nothing here downloads: the autouse ``no_network`` fixture makes any attempt fail the test.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from autograder import datasets
from autograder.datasets import (
    MNIST_FILES,
    DatasetError,
    add_channel,
    load_fashion_mnist,
    load_mnist,
    parse_idx,
    read_checksums,
    read_idx_file,
    to_float,
)
from autograder.paths import REPO_ROOT

VENDORED = REPO_ROOT / "datasets" / "mnist"
SHARED_SUMS = REPO_ROOT.parent / "shared" / "datasets" / "mnist" / "SHA256SUMS"
# Canonical per-digit counts of MNIST (0..9); the files are checksum-verified, so these are exact.
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
MNIST_HINT = ("git checkout -- datasets/mnist", "CNN_AUTOGRADER_DATA")
FASHION_HINT = ("apt-get install dataset-fashion-mnist", "FASHION_MNIST_DIR")
# IDX element type codes, written out here rather than taken from the module under test.
IDX_CODES = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09, np.dtype(">i2"): 0x0B,
             np.dtype(">i4"): 0x0C, np.dtype(">f4"): 0x0D, np.dtype(">f8"): 0x0E}
LFS_POINTER = b"version https://git-lfs.github.com/spec/v1\noid sha256:0123\nsize 9912422\n"


# ---------------------------------------------------------------------------
# Helpers and fixtures
# ---------------------------------------------------------------------------

def assert_says(excinfo: pytest.ExceptionInfo, *parts: str) -> None:
    """Every one of ``parts`` occurs in the exception's message (all missing ones are named)."""
    message = str(excinfo.value)
    missing = [part for part in parts if part not in message]
    assert not missing, f"the message lacks {missing}; it reads: {message}"


def idx_bytes(array: np.ndarray, type_code: int | None = None, magic: bytes = b"\x00\x00") -> bytes:
    """The IDX encoding of ``array`` (any shape): magic, type code, ndim, big-endian dims, data."""
    dtype = np.dtype(array.dtype).newbyteorder(">") if array.dtype.itemsize > 1 else array.dtype
    code = IDX_CODES[dtype] if type_code is None else type_code
    header = magic + bytes([code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(dtype).tobytes()


def fabricate(folder: Path, *, n_train: int = 6, n_test: int = 4, gz: bool = True,
              sums: bool = True, seed: int = 0) -> dict[str, bytes]:
    """Write a tiny four-file MNIST-like set into ``folder``; return each stem's IDX content.

    Images are (N, 28, 28) uint8, labels (N,) uint8; with ``sums`` a matching SHA256SUMS.
    """
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {"train": n_train, "test": n_test}
    contents = {}
    for key, stem in MNIST_FILES.items():
        split, kind = key.split("_")
        n = counts[split]
        array = (rng.integers(0, 256, (n, 28, 28), dtype=np.uint8) if kind == "images"
                 else rng.integers(0, 10, n, dtype=np.uint8))
        contents[stem] = idx_bytes(array)
    for stem, content in contents.items():
        write_idx(folder, stem, content, gz=gz)
    if sums:
        write_sums(folder, contents)
    return contents


def write_idx(folder: Path, stem: str, content: bytes, *, gz: bool = True) -> Path:
    """Write one IDX file as ``stem.gz`` (gzip) or ``stem`` (raw); return its path."""
    path = folder / (f"{stem}.gz" if gz else stem)
    path.write_bytes(gzip.compress(content, mtime=0) if gz else content)
    return path


def write_sums(folder: Path, contents: dict[str, bytes]) -> None:
    lines = [f"{hashlib.sha256(c).hexdigest()}  {stem}" for stem, c in contents.items()]
    (folder / "SHA256SUMS").write_text("# fabricated\n" + "\n".join(lines) + "\n")


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def flip_last_byte(content: bytes) -> bytes:
    """``content`` with its last byte changed: one damaged pixel or label, same length."""
    return content[:-1] + bytes([content[-1] ^ 0xFF])


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any download attempt fails the test: the kit's data is vendored."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"a test tried to reach the network ({args!r}); nothing may download")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(datasets, "download_mnist", refuse)


@pytest.fixture(autouse=True)
def fresh_verification(monkeypatch):
    """Each test starts with nothing verified, and leaves the process's cache as it found it."""
    monkeypatch.setattr(datasets, "_VERIFIED", set())
    monkeypatch.delenv("CNN_AUTOGRADER_DATA", raising=False)
    monkeypatch.delenv("FASHION_MNIST_DIR", raising=False)


@pytest.fixture(scope="module")
def mnist() -> datasets.Dataset:
    """The vendored MNIST through the default path: decompressed and verified once per module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CNN_AUTOGRADER_DATA", raising=False)
        return load_mnist()


@pytest.fixture
def vendored_copy(tmp_path) -> Path:
    """A writable copy of ``datasets/mnist`` to break."""
    return Path(shutil.copytree(VENDORED, tmp_path / "mnist"))


# ---------------------------------------------------------------------------
# The vendored MNIST
# ---------------------------------------------------------------------------

def test_vendored_mnist_shapes_dtypes_counts(mnist):
    assert mnist.train.images.shape == (60000, 28, 28)
    assert mnist.train.labels.shape == (60000,)
    assert mnist.test.images.shape == (10000, 28, 28)
    assert mnist.test.labels.shape == (10000,)
    for split in (mnist.train, mnist.test):
        assert split.images.dtype == np.uint8 and split.labels.dtype == np.uint8
    assert mnist.train.images.min() == 0 and mnist.train.images.max() == 255


def test_vendored_mnist_labels_and_histogram(mnist):
    for name, split, expected in (("train", mnist.train, TRAIN_COUNTS), ("test", mnist.test, TEST_COUNTS)):
        assert 0 <= split.labels.min() and split.labels.max() <= 9, f"{name} labels outside 0..9"
        counts = np.bincount(split.labels, minlength=10).tolist()
        assert counts == expected, f"{name} label histogram {counts}, expected {expected}"


def test_vendored_folder_keeps_checksums_and_provenance():
    assert read_checksums((VENDORED / "SHA256SUMS").read_text()).keys() == set(MNIST_FILES.values())
    readme = (VENDORED / "README.md").read_text()
    assert "LeCun" in readme and "SHA256SUMS" in readme
    for stem in MNIST_FILES.values():
        assert (VENDORED / f"{stem}.gz").is_file(), f"{stem}.gz is not vendored"


@pytest.mark.skipif(not SHARED_SUMS.is_file(), reason=f"{SHARED_SUMS} is absent (no shared/ beside the checkout)")
def test_vendored_checksums_equal_shared():
    vendored = read_checksums((VENDORED / "SHA256SUMS").read_text())
    shared = read_checksums(SHARED_SUMS.read_text())
    assert vendored == shared


def test_read_checksums_accepts_binary_marker_and_comments():
    text = f"# comment\n\n{'AB' * 32}  *file-a\n{'cd' * 32}  file-b\n"
    assert read_checksums(text) == {"file-a": "ab" * 32, "file-b": "cd" * 32}


# ---------------------------------------------------------------------------
# Helpers for models
# ---------------------------------------------------------------------------

def test_to_float_scales_to_unit_range_float32_by_default():
    images = np.array([[[0, 128], [255, 1]]], dtype=np.uint8)  # (N, H, W) = (1, 2, 2)
    before = images.copy()
    out = to_float(images)
    assert out.dtype == np.float32 and out.shape == images.shape
    assert out.min() == 0.0 and out.max() == 1.0
    np.testing.assert_allclose(out, images / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(images, before)
    assert not np.shares_memory(out, images)


def test_to_float_float64_when_asked():
    images = np.arange(256, dtype=np.uint8).reshape(1, 16, 16)
    out = to_float(images, np.float64)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, np.arange(256).reshape(1, 16, 16) / 255.0)
    assert images.dtype == np.uint8 and images[0, 15, 15] == 255


def test_add_channel_appends_a_last_axis(mnist):
    out = add_channel(mnist.test.images)
    assert out.shape == (10000, 28, 28, 1)
    np.testing.assert_array_equal(out[..., 0], mnist.test.images)
    assert add_channel(to_float(mnist.test.images[:3])).shape == (3, 28, 28, 1)


# ---------------------------------------------------------------------------
# parse_idx: pure parsing of bytes
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("dtype, shape", [
    (np.uint8, (3,)), (np.int8, (2, 3)), (">i2", (2, 2, 2)), (">i4", (4,)), (">f4", (2, 3)),
    (">f8", (1, 2, 2))], ids=["uint8", "int8", "int16", "int32", "float32", "float64"])
def test_parse_idx_valid(dtype, shape):
    rng = np.random.default_rng(1)
    array = (rng.standard_normal(shape) * 100).astype(dtype)
    parsed = parse_idx(idx_bytes(array))
    assert parsed.shape == shape
    assert parsed.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(parsed, array)


def test_parse_idx_bad_magic():
    content = idx_bytes(np.zeros(3, np.uint8), magic=b"\x1f\x8b")
    with pytest.raises(DatasetError) as excinfo:
        parse_idx(content, "some.idx")
    assert_says(excinfo, "some.idx is not an IDX file", f"bad magic number {content[:4].hex()}")


def test_parse_idx_shorter_than_magic():
    with pytest.raises(DatasetError) as excinfo:
        parse_idx(b"\x00\x00", "tiny.idx")
    assert_says(excinfo, "tiny.idx is truncated", "4-byte magic number", "it has 2 bytes")


def test_parse_idx_unknown_type_code():
    with pytest.raises(DatasetError, match=r"odd\.idx: unknown IDX element type 0x0a"):
        parse_idx(idx_bytes(np.zeros(3, np.uint8), type_code=0x0A), "odd.idx")


def test_parse_idx_truncated_header():
    content = b"\x00\x00\x08\x03" + struct.pack(">I", 60000)  # declares 3 dims, gives 1
    with pytest.raises(DatasetError) as excinfo:
        parse_idx(content, "head.idx")
    assert_says(excinfo, "head.idx is truncated", "header needs 16 bytes", "it has 8")


@pytest.mark.parametrize("change, size", [(-1, 4 + 8 + 5), (+1, 4 + 8 + 7)], ids=["truncated", "padded"])
def test_parse_idx_wrong_payload_length(change, size):
    content = idx_bytes(np.zeros((2, 3), np.uint8))
    content = content[:change] if change < 0 else content + b"\x00"
    with pytest.raises(DatasetError) as excinfo:
        parse_idx(content, "body.idx")
    assert_says(excinfo, "body.idx is truncated or padded", "shape (2, 3) needs 18 bytes",
                f"the file holds {size}")


# ---------------------------------------------------------------------------
# read_idx_file: one file on disk
# ---------------------------------------------------------------------------

def test_read_idx_file_raw_and_gz(tmp_path):
    array = np.arange(12, dtype=np.uint8).reshape(3, 4)
    for gz in (True, False):
        path = write_idx(tmp_path, "x-idx2-ubyte", idx_bytes(array), gz=gz)
        np.testing.assert_array_equal(read_idx_file(path, sha(idx_bytes(array))), array)


def test_read_idx_file_missing(tmp_path):
    path = tmp_path / "mnist" / "t10k-labels-idx1-ubyte.gz"
    with pytest.raises(DatasetError) as excinfo:
        read_idx_file(path)
    assert_says(excinfo, f"{path} is missing", *MNIST_HINT)


def test_read_idx_file_empty(tmp_path):
    path = tmp_path / "t10k-labels-idx1-ubyte.gz"
    path.write_bytes(b"")
    with pytest.raises(DatasetError) as excinfo:
        read_idx_file(path, "0" * 64)
    assert_says(excinfo, f"{path} is empty (0 bytes): truncated", *MNIST_HINT)


def test_read_idx_file_truncated_gzip(tmp_path):
    packed = gzip.compress(idx_bytes(np.arange(4000, dtype=np.uint8) % 7), mtime=0)
    path = tmp_path / "cut.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(DatasetError) as excinfo:
        read_idx_file(path)
    assert_says(excinfo, f"{path} is truncated", *MNIST_HINT)


@pytest.mark.parametrize("damage", ["lfs-pointer", "corrupt-deflate", "bad-crc"])
def test_read_idx_file_not_valid_gzip(tmp_path, damage):
    packed = bytearray(gzip.compress(idx_bytes(np.arange(4000, dtype=np.uint8) % 7), mtime=0))
    if damage == "lfs-pointer":
        packed = bytearray(LFS_POINTER)
    elif damage == "corrupt-deflate":
        packed[12:40] = b"\xff" * 28
    else:
        packed[-6] ^= 0x01
    path = tmp_path / "bad.gz"
    path.write_bytes(bytes(packed))
    with pytest.raises(DatasetError) as excinfo:
        read_idx_file(path)
    assert_says(excinfo, f"{path} is not a valid gzip file", *MNIST_HINT)


def test_read_idx_file_checksum_mismatch(tmp_path):
    good, bad = idx_bytes(np.zeros(5, np.uint8)), idx_bytes(np.ones(5, np.uint8))
    path = write_idx(tmp_path, "t10k-labels-idx1-ubyte", bad)
    with pytest.raises(DatasetError) as excinfo:
        read_idx_file(path, sha(good))
    assert_says(excinfo, f"{path} does not match its checksum", f"expected SHA-256 {sha(good)}",
                f"got {sha(bad)}", *MNIST_HINT)


def test_read_idx_file_parse_error_gets_restore_hint(tmp_path):
    path = write_idx(tmp_path, "x", b"\x00\x00\x08\x01" + struct.pack(">I", 9) + b"\x00", gz=False)
    with pytest.raises(DatasetError) as excinfo:
        read_idx_file(path, kind="fashion")
    assert_says(excinfo, f"{path} is truncated or padded", *FASHION_HINT)


# ---------------------------------------------------------------------------
# load_mnist: the folder
# ---------------------------------------------------------------------------

def test_load_mnist_missing_file(vendored_copy):
    missing = vendored_copy / "train-images-idx3-ubyte.gz"
    missing.unlink()
    with pytest.raises(DatasetError) as excinfo:
        load_mnist(vendored_copy)
    assert_says(excinfo, f"{missing} is missing", *MNIST_HINT)


def test_load_mnist_missing_checksums(vendored_copy):
    (vendored_copy / "SHA256SUMS").unlink()
    with pytest.raises(DatasetError) as excinfo:
        load_mnist(vendored_copy)
    assert_says(excinfo, f"{vendored_copy / 'SHA256SUMS'} is missing", "needed to verify", *MNIST_HINT)


def test_load_mnist_checksums_lack_a_file(vendored_copy):
    sums = vendored_copy / "SHA256SUMS"
    sums.write_text("".join(line + "\n" for line in sums.read_text().splitlines()
                            if "train-images" not in line))
    with pytest.raises(DatasetError) as excinfo:
        load_mnist(vendored_copy)
    assert_says(excinfo, f"{sums} has no line for train-images-idx3-ubyte", *MNIST_HINT)


def test_load_mnist_truncated_gzip(vendored_copy):
    path = vendored_copy / "train-images-idx3-ubyte.gz"
    packed = path.read_bytes()
    path.write_bytes(packed[: len(packed) // 3])
    with pytest.raises(DatasetError) as excinfo:
        load_mnist(vendored_copy)
    assert_says(excinfo, f"{path} is truncated", *MNIST_HINT)


def test_load_mnist_git_lfs_pointer_instead_of_gzip(vendored_copy):
    path = vendored_copy / "train-images-idx3-ubyte.gz"
    path.write_bytes(LFS_POINTER)
    with pytest.raises(DatasetError) as excinfo:
        load_mnist(vendored_copy)
    assert_says(excinfo, f"{path} is not a valid gzip file", *MNIST_HINT)


def test_load_mnist_checksum_mismatch(tmp_path):
    folder = tmp_path / "mnist"
    contents = fabricate(folder)
    stem = "t10k-images-idx3-ubyte"
    damaged = flip_last_byte(contents[stem])
    path = write_idx(folder, stem, damaged)
    with pytest.raises(DatasetError) as excinfo:
        load_mnist(folder)
    assert_says(excinfo, f"{path} does not match its checksum", f"expected SHA-256 {sha(contents[stem])}",
                f"got {sha(damaged)}", *MNIST_HINT)


def test_load_mnist_checksum_mismatch_is_not_cached(tmp_path):
    folder = tmp_path / "mnist"
    contents = fabricate(folder)
    write_idx(folder, "train-labels-idx1-ubyte", flip_last_byte(contents["train-labels-idx1-ubyte"]))
    for _attempt in (1, 2):
        with pytest.raises(DatasetError, match="does not match its checksum"):
            load_mnist(folder)


def test_load_mnist_bad_magic_behind_a_matching_checksum(tmp_path):
    folder = tmp_path / "mnist"
    contents = fabricate(folder)
    stem = "train-labels-idx1-ubyte"
    contents[stem] = b"\x00\x01" + contents[stem][2:]
    path = write_idx(folder, stem, contents[stem])
    write_sums(folder, contents)
    with pytest.raises(DatasetError) as excinfo:
        load_mnist(folder)
    assert_says(excinfo, f"{path} is not an IDX file (bad magic number 00010801)", *MNIST_HINT)


@pytest.mark.parametrize("split, images, labels", [
    ("train", (6, 28, 28), (5,)), ("test", (4, 28, 28), (5,)), ("train", (6, 28, 28), (6, 1))],
    ids=["train-count", "test-count", "labels-2d"])
def test_load_mnist_images_and_labels_do_not_pair(tmp_path, split, images, labels):
    folder = tmp_path / "mnist"
    contents = fabricate(folder)
    stem = MNIST_FILES[f"{split}_labels"]
    contents[stem] = idx_bytes(np.zeros(labels, np.uint8))
    write_idx(folder, stem, contents[stem])
    write_sums(folder, contents)
    with pytest.raises(DatasetError) as excinfo:
        load_mnist(folder)
    assert_says(excinfo, f"{folder}: {split} images {images} and labels {labels} do not pair up",
                *MNIST_HINT)


def test_load_mnist_follows_cnn_autograder_data(tmp_path, monkeypatch):
    fabricate(tmp_path / "elsewhere" / "mnist", n_train=7, n_test=3)
    monkeypatch.setenv("CNN_AUTOGRADER_DATA", str(tmp_path / "elsewhere"))
    data = load_mnist()
    assert data.train.images.shape == (7, 28, 28) and data.test.labels.shape == (3,)


def test_load_mnist_override_names_the_override_in_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("CNN_AUTOGRADER_DATA", str(tmp_path / "empty"))
    with pytest.raises(DatasetError) as excinfo:
        load_mnist()
    assert_says(excinfo, f"{tmp_path / 'empty' / 'mnist' / 'SHA256SUMS'} is missing", *MNIST_HINT)


def test_load_mnist_hashes_each_file_once_per_process(tmp_path, monkeypatch):
    folder = tmp_path / "mnist"
    fabricate(folder)
    calls = []
    real_sha256 = hashlib.sha256

    def counting_sha256(*args, **kwargs):
        calls.append(1)
        return real_sha256(*args, **kwargs)

    monkeypatch.setattr(hashlib, "sha256", counting_sha256)
    first = load_mnist(folder)
    assert len(calls) == 4, f"first load hashed {len(calls)} files, expected the 4"
    second = load_mnist(folder)
    assert len(calls) == 4, f"second load hashed {len(calls) - 4} files again, expected none"
    np.testing.assert_array_equal(first.train.images, second.train.images)
    monkeypatch.setattr(datasets, "_VERIFIED", set())
    load_mnist(folder)
    assert len(calls) == 8, "after clearing _VERIFIED, every file is verified again"


# ---------------------------------------------------------------------------
# Fashion-MNIST
# ---------------------------------------------------------------------------

def test_fashion_default_is_debians_folder():
    assert Path("/usr/share/datasets/fashion-mnist") in datasets.FASHION_DIRS


def test_fashion_not_found_in_default_folders(tmp_path, monkeypatch):
    nowhere = tmp_path / "usr" / "share" / "datasets" / "fashion-mnist"
    monkeypatch.setattr(datasets, "FASHION_DIRS", (nowhere, tmp_path / "second"))
    with pytest.raises(DatasetError) as excinfo:
        load_fashion_mnist()
    assert_says(excinfo, f"Fashion-MNIST not found (looked in {nowhere}, {tmp_path / 'second'})",
                *FASHION_HINT)


@pytest.mark.parametrize("how", ["env", "arg"])
def test_fashion_not_found_where_pointed(tmp_path, monkeypatch, how):
    missing = tmp_path / "no-fashion"
    if how == "env":
        monkeypatch.setenv("FASHION_MNIST_DIR", str(missing))
    with pytest.raises(DatasetError) as excinfo:
        load_fashion_mnist(missing if how == "arg" else None)
    assert_says(excinfo, f"Fashion-MNIST not found (looked in {missing})", *FASHION_HINT)


@pytest.mark.parametrize("gz", [True, False], ids=["gz", "raw"])
@pytest.mark.parametrize("how", ["env", "arg"])
def test_fashion_reads_a_folder(tmp_path, monkeypatch, how, gz):
    folder = tmp_path / "fashion"
    contents = fabricate(folder, n_train=5, n_test=3, gz=gz, sums=False, seed=3)
    if how == "env":
        monkeypatch.setenv("FASHION_MNIST_DIR", str(folder))
    data = load_fashion_mnist(folder if how == "arg" else None)
    assert data.train.images.shape == (5, 28, 28) and data.train.labels.shape == (5,)
    assert data.test.images.shape == (3, 28, 28) and data.test.labels.shape == (3,)
    assert data.train.images.dtype == np.uint8
    np.testing.assert_array_equal(data.test.labels, parse_idx(contents["t10k-labels-idx1-ubyte"]))


def test_fashion_explicit_folder_wins_over_env(tmp_path, monkeypatch):
    fabricate(tmp_path / "fashion", sums=False)
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tmp_path / "not-there"))
    assert load_fashion_mnist(tmp_path / "fashion").train.images.shape == (6, 28, 28)


def test_fashion_missing_file(tmp_path):
    folder = tmp_path / "fashion"
    fabricate(folder, sums=False)
    (folder / "train-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetError) as excinfo:
        load_fashion_mnist(folder)
    assert_says(excinfo, f"{folder / 'train-labels-idx1-ubyte.gz'} is missing", *FASHION_HINT)


def test_fashion_verified_against_its_sums_when_present(tmp_path):
    folder = tmp_path / "fashion"
    contents = fabricate(folder)
    stem = "t10k-labels-idx1-ubyte"
    write_idx(folder, stem, flip_last_byte(contents[stem]))
    with pytest.raises(DatasetError) as excinfo:
        load_fashion_mnist(folder)
    assert_says(excinfo, "does not match its checksum", f"expected SHA-256 {sha(contents[stem])}",
                *FASHION_HINT)


def test_fashion_bad_idx_payload(tmp_path):
    folder = tmp_path / "fashion"
    fabricate(folder, sums=False, gz=False)
    path = folder / "t10k-images-idx3-ubyte"
    path.write_bytes(path.read_bytes() + b"\x00")
    with pytest.raises(DatasetError) as excinfo:
        load_fashion_mnist(folder)
    assert_says(excinfo, f"{path} is truncated or padded", "shape (4, 28, 28) needs 3152 bytes",
                "the file holds 3153", *FASHION_HINT)


@pytest.mark.skipif(not datasets.FASHION_DIRS[0].is_dir(), reason="dataset-fashion-mnist is not installed")
def test_fashion_debian_package_loads():
    data = load_fashion_mnist()
    assert data.train.images.shape == (60000, 28, 28) and data.test.images.shape == (10000, 28, 28)
    assert set(np.unique(data.train.labels).tolist()) == set(range(10))


# ---------------------------------------------------------------------------
# The CLI: python -m autograder verify-data
# ---------------------------------------------------------------------------

def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CNN_AUTOGRADER_DATA"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_verify_data_ok(tmp_path):
    result = run_cli("verify-data", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "MNIST verified: 60000 training and 10000 test images." in result.stdout


def test_cli_verify_data_broken_folder(tmp_path):
    folder = tmp_path / "mnist"
    contents = fabricate(folder)
    stem = "train-images-idx3-ubyte"
    write_idx(folder, stem, flip_last_byte(contents[stem]))
    result = run_cli("verify-data", str(folder), cwd=tmp_path)
    assert result.returncode != 0
    assert result.stdout == ""
    expected = [f"error: {folder / (stem + '.gz')} does not match its checksum",
                f"expected SHA-256 {sha(contents[stem])}", *MNIST_HINT]
    missing = [part for part in expected if part not in result.stderr]
    assert not missing, f"stderr lacks {missing}; it reads: {result.stderr}"
