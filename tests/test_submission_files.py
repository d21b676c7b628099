"""Reading a submission (autograder.grading.submission): only regular files, reached without links,
read with a bound; every choice said; every student-controlled name printable and bounded.

Each class of hostile file is tested in a folder and in a zip. The grader never hangs, never
reads a link's target, never reads past its cap, and says why a file was not graded.
"""
from __future__ import annotations

import os
import socket
import stat
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.grading.submission import (
    MAX_FILE_BYTES,
    MAX_LISTED,
    MAX_ZIP_MEMBERS,
    SubmissionError,
    collect,
    safe_name,
)

from grading_helpers import SOLUTIONS, function_score

WANTED = ("layers.py",)
SOLUTION = SOLUTIONS / "02_cnn_layers" / "layers.py"
GOOD = b"def f():\n    return 1\n"

pytestmark = pytest.mark.timeout(60)


def _folder(tmp_path: Path, files: dict[str, bytes] | None = None) -> Path:
    folder = tmp_path / "submission"
    folder.mkdir()
    for name, data in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def _zip(path: Path, members: dict[str, bytes], mode_of: dict[str, int] | None = None,
         compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A zip of ``members``; ``mode_of`` gives some a unix file type (a link, a pipe...)."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = compression
            if mode_of and name in mode_of:
                info.external_attr = mode_of[name] << 16
            archive.writestr(info, data)
    return path


def _one_note(collected, *words: str) -> str:
    """The one note that holds all ``words``; fails with every note shown."""
    hits = [n for n in collected.notes if all(w in n for w in words)]
    assert len(hits) == 1, f"expected one note with {words}, got {collected.notes}"
    return hits[0]


def _refused(collected, *words: str) -> str:
    assert collected.files == {} and collected.missing == WANTED, collected
    return _one_note(collected, "layers.py", "its functions score 0", *words)


# --- a folder ---------------------------------------------------------------------------------

def test_a_regular_file_is_read(tmp_path):
    collected = collect(_folder(tmp_path, {"layers.py": GOOD, "notes.txt": b"x"}), WANTED)
    assert collected.files == {"layers.py": GOOD} and collected.missing == () and collected.notes == ()
    assert collected.found == ("layers.py", "notes.txt")


def test_a_symlink_to_the_solution_is_not_read(tmp_path):
    folder = _folder(tmp_path)
    (folder / "layers.py").symlink_to(SOLUTION)
    collected = collect(folder, WANTED)
    assert "is a symbolic link, not a regular file" in _refused(collected, "not a link to it")
    assert collected.found == ("layers.py (symbolic link, not read)",)


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "/nonexistent/layers.py"])
def test_a_symlink_to_a_device_or_nowhere_is_not_read(tmp_path, target):
    folder = _folder(tmp_path)
    (folder / "layers.py").symlink_to(target)
    _refused(collect(folder, WANTED), "symbolic link")


@pytest.mark.timeout(30)
def test_a_fifo_is_refused_without_hanging(tmp_path):
    folder = _folder(tmp_path)
    os.mkfifo(folder / "layers.py")
    _refused(collect(folder, WANTED), "is a named pipe, not a regular file")


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod of a device needs root")
def test_a_character_device_is_refused(tmp_path):
    folder = _folder(tmp_path)
    os.mknod(folder / "layers.py", stat.S_IFCHR | 0o644, os.makedev(1, 5))     # /dev/zero's numbers
    _refused(collect(folder, WANTED), "is a device file, not a regular file")


def test_a_socket_is_refused(tmp_path):
    folder = _folder(tmp_path)
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(folder / "layers.py"))
        _refused(collect(folder, WANTED), "is a socket, not a regular file")
    finally:
        server.close()


def test_a_folder_named_like_the_file_is_refused(tmp_path):
    folder = _folder(tmp_path, {"layers.py/inner.py": GOOD})
    collected = collect(folder, WANTED)
    assert "is a folder, not a file" in _refused(collected)
    assert "layers.py (a folder, not a file)" in collected.found


def test_a_top_folder_that_is_a_symlink_is_not_entered(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "layers.py").write_bytes(GOOD)
    folder = _folder(tmp_path)
    (folder / "sub").symlink_to(elsewhere, target_is_directory=True)
    collected = collect(folder, WANTED)
    assert collected.files == {} and collected.missing == WANTED
    assert collected.found == ("sub (symbolic link, not read)",)
    _one_note(collected, "only regular files", "sub (symbolic link)")


def test_the_submission_path_itself_may_be_a_link_to_a_folder(tmp_path):
    """The path on the command line is the instructor's choice: followed, once."""
    folder = _folder(tmp_path, {"layers.py": GOOD})
    link = tmp_path / "link"
    link.symlink_to(folder, target_is_directory=True)
    assert collect(link, WANTED).files == {"layers.py": GOOD}


def test_a_hard_link_is_a_regular_file_and_is_read(tmp_path):
    outside = tmp_path / "outside.py"
    outside.write_bytes(GOOD)
    folder = _folder(tmp_path)
    os.link(outside, folder / "layers.py")
    assert collect(folder, WANTED).files == {"layers.py": GOOD}


def test_a_huge_file_is_refused_after_reading_its_cap_only(tmp_path):
    """A sparse 1 TB file: reading it whole would never end; the cap stops at 2 MB + 1 byte."""
    folder = _folder(tmp_path)
    with open(folder / "layers.py", "wb") as file:
        file.truncate(1 << 40)
    _refused(collect(folder, WANTED), f"is larger than {MAX_FILE_BYTES >> 20} MB")


def test_a_file_just_under_the_cap_is_read(tmp_path):
    data = b"#" * MAX_FILE_BYTES
    assert collect(_folder(tmp_path, {"layers.py": data}), WANTED).files == {"layers.py": data}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("make", ["fifo", "dev_zero", "link_to_fifo"])
def test_a_submission_path_that_is_no_file_nor_folder_is_refused(tmp_path, make):
    path = tmp_path / "sub.zip"
    if make == "fifo":
        os.mkfifo(path)
    elif make == "dev_zero":
        path.symlink_to("/dev/zero")
    else:
        os.mkfifo(tmp_path / "fifo")
        path.symlink_to(tmp_path / "fifo")
    with pytest.raises(SubmissionError, match="neither a folder nor a .zip"):
        collect(path, WANTED)


# --- a zip ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, mode, words", [
    ("symlink", stat.S_IFLNK | 0o777, "is a symbolic link"),
    ("fifo", stat.S_IFIFO | 0o644, "is a named pipe"),
    ("device", stat.S_IFCHR | 0o644, "is a device file"),
    ("socket", stat.S_IFSOCK | 0o644, "is a socket"),
])
def test_a_zip_entry_that_is_not_a_regular_file_is_refused(tmp_path, kind, mode, words):
    """A zip link entry is never followed: its 'content' (a path) is not even read."""
    archive = _zip(tmp_path / "s.zip", {"layers.py": str(SOLUTION).encode()}, {"layers.py": mode})
    _refused(collect(archive, WANTED), words)


def test_a_zip_folder_entry_named_like_the_file_is_refused(tmp_path):
    archive = _zip(tmp_path / "s.zip", {"layers.py/": b"", "layers.py/x.py": GOOD})
    _refused(collect(archive, WANTED), "is a folder, not a file")


def _peak_rss_kb(code: str) -> int:
    script = (f"import resource\n{code}\n"
              f"print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


@pytest.mark.timeout(120)
def test_a_zip_bomb_member_is_refused_with_bounded_memory(tmp_path):
    """1 GiB of zeros deflates to ~1 MB; reading it costs a few MB, never the GiB."""
    archive = tmp_path / "bomb.zip"
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        with out.open("layers.py", "w", force_zip64=True) as member:
            for _ in range(1024):
                member.write(chunk)
    code = ("from autograder.grading.submission import collect\n"
            f"c = collect({str(archive)!r}, ('layers.py',))\n"
            "assert c.files == {} and any('larger than 2 MB' in n for n in c.notes), c\n")
    baseline = _peak_rss_kb("import autograder.grading.submission")
    assert _peak_rss_kb(code) - baseline < 100_000        # kB: under 100 MB of growth


def _patch(data: bytearray, signature: bytes, offset: int, fmt: str, value: int) -> None:
    """Overwrite a field in every zip header starting with ``signature``."""
    start = data.find(signature)
    assert start >= 0
    while start >= 0:
        struct.pack_into(fmt, data, start + offset, value)
        start = data.find(signature, start + 4)


@pytest.mark.parametrize("claimed", [100, 0xFFFFFFFE], ids=["smaller", "larger"])
def test_a_zip_header_lying_about_the_size_is_not_trusted(tmp_path, claimed):
    """A 3 MB member whose headers claim another size: never graded, never read past the cap."""
    archive = _zip(tmp_path / "s.zip", {"layers.py": b"#" * (3 << 20)})
    data = bytearray(archive.read_bytes())
    _patch(data, b"PK\x03\x04", 22, "<L", claimed)      # local header: uncompressed size
    _patch(data, b"PK\x01\x02", 24, "<L", claimed)      # central directory: uncompressed size
    archive.write_bytes(bytes(data))
    note = _refused(collect(archive, WANTED))
    assert "is damaged in the zip" in note or "is larger than 2 MB" in note


def test_a_bad_crc_is_a_note(tmp_path):
    archive = _zip(tmp_path / "s.zip", {"layers.py": GOOD})
    data = bytearray(archive.read_bytes())
    _patch(data, b"PK\x03\x04", 14, "<L", 0x12345678)
    _patch(data, b"PK\x01\x02", 16, "<L", 0x12345678)
    archive.write_bytes(bytes(data))
    _refused(collect(archive, WANTED), "is damaged in the zip", "CRC")


def test_an_encrypted_member_is_a_note(tmp_path):
    archive = _zip(tmp_path / "s.zip", {"layers.py": GOOD})
    data = bytearray(archive.read_bytes())
    _patch(data, b"PK\x03\x04", 6, "<H", 0x1)
    _patch(data, b"PK\x01\x02", 8, "<H", 0x1)
    archive.write_bytes(bytes(data))
    _refused(collect(archive, WANTED), "is encrypted", "without a password")


@pytest.mark.parametrize("compression, name", [(zipfile.ZIP_BZIP2, "bzip2"), (zipfile.ZIP_LZMA, "LZMA")])
def test_a_compression_without_a_bound_is_a_note(tmp_path, compression, name):
    archive = _zip(tmp_path / "s.zip", {"layers.py": GOOD}, compression=compression)
    _refused(collect(archive, WANTED), f"compressed with {name}", "deflate")


def test_stored_and_deflated_members_are_read(tmp_path):
    for compression in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        archive = _zip(tmp_path / f"s{compression}.zip", {"sub/layers.py": GOOD}, compression=compression)
        collected = collect(archive, WANTED)
        assert collected.files == {"layers.py": GOOD} and collected.notes == ()


def test_a_member_listed_twice_is_not_graded(tmp_path):
    archive = tmp_path / "s.zip"
    with pytest.warns(UserWarning), zipfile.ZipFile(archive, "w") as out:
        out.writestr("layers.py", GOOD)
        out.writestr("layers.py", b"import os\n")
    _refused(collect(archive, WANTED), "appears 2 times in the zip")


@pytest.mark.parametrize("name", ["../layers.py", "/layers.py", "C:/layers.py", "a/../../layers.py"])
def test_zip_slip_paths_are_never_graded(tmp_path, name):
    collected = collect(_zip(tmp_path / "s.zip", {name: GOOD}), WANTED)
    assert collected.files == {} and collected.missing == WANTED
    assert collected.found == (f"{name} (path leaving the submission's folder, not read)",)
    _one_note(collected, "only regular files", name)


def test_backslashes_are_folder_separators(tmp_path):
    """Some Windows tools write ``sub\\layers.py``: it means the folder sub, as they intend."""
    collected = collect(_zip(tmp_path / "s.zip", {"sub\\layers.py": GOOD}), WANTED)
    assert collected.files == {"layers.py": GOOD} and collected.notes == ()


def test_a_zip_table_of_contents_too_large_is_refused(tmp_path):
    archive = _zip(tmp_path / "s.zip", {"layers.py": GOOD})
    data = bytearray(archive.read_bytes())
    _patch(data, b"PK\x05\x06", 12, "<L", 100 << 20)      # the table's size in the end record
    archive.write_bytes(bytes(data))
    with pytest.raises(SubmissionError, match="table of contents takes 100 MB"):
        collect(archive, WANTED)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "s.zip"
    path.write_bytes(b"PK\x05\x06" + b"\0" * 10)        # a signature, too short to be a record
    with pytest.raises(SubmissionError, match="neither a folder nor a .zip"):
        collect(path, WANTED)


# --- which folder is graded, and what was found -----------------------------------------------

@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_two_top_folders_holding_the_files_are_not_guessed(tmp_path, as_zip):
    files = {"a/layers.py": GOOD, "b/layers.py": b"old = 1\n"}
    path = _zip(tmp_path / "s.zip", files) if as_zip else _folder(tmp_path, files)
    collected = collect(path, WANTED)
    assert collected.files == {} and collected.missing == WANTED
    note = _one_note(collected, "2 top folders", "a/ (layers.py)", "b/ (layers.py)", "graded none")
    assert "keep one folder" in note
    assert set(collected.found) == {"a/layers.py", "b/layers.py"}


def test_several_top_folders_one_holding_the_files_says_which_was_graded(tmp_path):
    archive = _zip(tmp_path / "s.zip", {"a/layers.py": GOOD, "data/x.npz": b"x",
                                        "__MACOSX/a/._layers.py": b""})
    collected = collect(archive, WANTED)
    assert collected.files == {"layers.py": GOOD}
    assert collected.notes == ("the zip holds 2 top folders (a/, data/); graded a/, the only one "
                               "holding layers.py.",)


def test_files_at_the_top_win_over_copies_in_a_folder_and_it_is_said(tmp_path):
    archive = _zip(tmp_path / "s.zip", {"layers.py": GOOD, "old/layers.py": b"old = 1\n"})
    collected = collect(archive, WANTED)
    assert collected.files == {"layers.py": GOOD}
    _one_note(collected, "graded the files at the top of the zip", "old/layers.py", "did not grade")


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_a_file_two_folders_deep_is_listed_with_advice(tmp_path, as_zip):
    files = {"sub/deeper/layers.py": GOOD, "sub/deeper/helpers.py": GOOD}
    path = _zip(tmp_path / "s.zip", files) if as_zip else _folder(tmp_path, files)
    collected = collect(path, WANTED)
    assert collected.files == {} and collected.missing == WANTED
    assert collected.found == ("sub/deeper/layers.py (2 folders deep, not read)", "sub/deeper/helpers.py")
    where = "zip" if as_zip else "folder"
    _one_note(collected, "layers.py is not in sub/, the folder graded",
              "sub/deeper/layers.py (2 folders deep)",
              f"put your files together at the top of the {where} or inside one top folder")


def test_a_file_away_from_the_others_is_pointed_at(tmp_path):
    archive = _zip(tmp_path / "s.zip", {"convolution.py": GOOD, "quiz/quiz_answers.py": GOOD})
    collected = collect(archive, ("convolution.py", "quiz_answers.py"))
    assert collected.files == {"convolution.py": GOOD} and collected.missing == ("quiz_answers.py",)
    _one_note(collected, "quiz_answers.py is not at the top of the zip", "quiz/quiz_answers.py")
    assert "quiz/quiz_answers.py (not with the graded files, not read)" in collected.found


@pytest.mark.timeout(120)
def test_a_zip_of_20000_members_gives_bounded_notes(tmp_path):
    members = {f"junk/{i:05d}.py": b"" for i in range(20_000)}
    archive = _zip(tmp_path / "s.zip", {"layers.py": GOOD, **members}, compression=zipfile.ZIP_STORED)
    collected = collect(archive, WANTED)
    assert collected.files == {"layers.py": GOOD}
    assert len(collected.found) == MAX_LISTED + 1 and collected.found[-1].startswith("and ")
    assert collected.found[0] == "layers.py"
    assert len(", ".join(collected.found)) < 2_000 and sum(map(len, collected.notes)) < 2_000
    _one_note(collected, "20,001 entries", f"{MAX_ZIP_MEMBERS:,} nearest its top")


# --- student-controlled names -----------------------------------------------------------------

def test_safe_name_makes_any_text_printable_and_bounded():
    assert safe_name("a\nb\x1b[31mc\u202ed\udcff.py") == "a?b?[31mc?d?.py"
    assert safe_name("x" * 10_000) == "x" * 117 + "..."
    assert len(safe_name("é" * 500, 40)) == 40
    assert safe_name("layers.py") == "layers.py"


def test_hostile_names_in_a_zip_are_sanitised_and_bounded(tmp_path):
    names = ["evil\n\x1b[2J.py", "bidi\u202eyp.sreyal", "x" * 10_000 + ".py", "sub/\x00hidden.py"]
    collected = collect(_zip(tmp_path / "s.zip", {n: GOOD for n in names}), WANTED)
    text = "\n".join(collected.found + collected.notes)
    assert all(ch.isprintable() for ch in text.replace("\n", ""))
    assert "evil??[2J.py" in collected.found
    assert max(map(len, collected.found)) <= 120


def test_non_utf8_and_control_names_in_a_folder_do_not_crash(tmp_path):
    folder = _folder(tmp_path)
    for raw in (b"bad\xff\xfe.py", b"new\nline.py", b"\x1b[31mred.py"):
        with open(os.path.join(os.fsencode(folder), raw), "wb") as file:
            file.write(GOOD)
    (folder / "layers.py").write_bytes(GOOD)
    collected = collect(folder, WANTED)
    assert collected.files == {"layers.py": GOOD}
    assert set(collected.found) == {"layers.py", "bad??.py", "new?line.py", "?[31mred.py"}
    "".join(collected.found).encode("utf-8")                 # no lone surrogate left


# --- end to end ---------------------------------------------------------------------------------

@pytest.mark.timeout(300)
def test_grading_a_symlink_to_the_solution_scores_zero(tmp_path):
    from autograder.grading.runner import grade
    folder = _folder(tmp_path)
    (folder / "layers.py").symlink_to(SOLUTION)
    report = grade(folder, "02_cnn_layers")
    assert report.score == 0
    assert any("symbolic link" in note for note in report.notes), report.notes
    assert all("symbolic link" in r.message for r in report.results)
    assert function_score(report, "conv_forward")[0] == 0
