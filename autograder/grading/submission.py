"""Reading a submission: a folder or a .zip, its student files found at the top or inside
exactly one top folder; everything else ignored.

A submission is untrusted, so every file in it is read the same careful way:

* Only regular files are read, reached without following links. In a folder, every step is
  opened with ``O_NOFOLLOW`` (a folder that is a link is not entered) and the opened file is
  checked with ``fstat``; a zip entry stored as a link, pipe or device is refused without being
  read. A link to the solutions, ``/dev/zero`` or a named pipe becomes a note, and that file
  counts as missing (its functions score 0, the others keep their points). Hard links are
  regular files and are read: only the grader's host can link a file the student cannot read.
* Reads are bounded while reading, never trusting a size that the file system or a zip header
  states: at most ``MAX_FILE_BYTES + 1`` bytes per file (``MAX_MODEL_BYTES + 1`` for a saved
  Keras model, ``.keras``, which counts apart from ``MAX_TOTAL_BYTES``; see :func:`file_limit`).
  Zips are read in memory, not extracted (so no path tricks), through a bounded stream, and only
  stored or deflated entries (bzip2 and LZMA inflate without a bound in :mod:`zipfile`); a
  password or a bad CRC is a note.
* Where a choice is made it is said: several top folders, copies of a file, files too deep.
  When two top folders both hold student files, none is graded (guessing could grade an old
  copy). ``Collected.found`` lists what the student sent, bounded; every student-controlled
  name in a note or in ``found`` goes through :func:`safe_name`.

SubmissionError is for a submission that cannot be read at all. The path given on the command
line is the instructor's: a link there is followed, once.
"""
from __future__ import annotations

import ast
import os
import stat
import struct
import zipfile
import zlib
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal, cast

from autograder.core.messages import NAME_LIMIT, safe_name  # noqa: F401 - safe_name is used here
from autograder.sandbox.wire import BANNED_IMPORTS

MAX_FILE_BYTES = 2 << 20        # a student module is a few kB; 2 MB is generous
MAX_TOTAL_BYTES = 8 << 20       # all the files read from one submission, together (but models)
# A saved Keras model (assignment 04's mnist_cnn.keras): the weights and Adam's two moments of a
# net of up to ~2.5 million parameters (the rubric's model cap is 2 million; the course's CNNs
# take 1-6 MB). Each such file is bounded by this alone, so a submission of 04 holds at most
# MAX_TOTAL_BYTES of source and one MAX_MODEL_BYTES per model file the assignment asks for.
MAX_MODEL_BYTES = 32 << 20
_BINARY_LIMITS = {".keras": MAX_MODEL_BYTES}
MAX_ZIP_MEMBERS = 10_000        # entries looked at (zip or folder), the nearest the top first
MAX_DIRECTORY_BYTES = 8 << 20   # a zip's table of contents, which zipfile reads whole into memory
MAX_DEPTH = 4                   # folders walked below a folder's top (to report files put too deep)
MAX_LISTED = 12                 # names in ``found`` before "and N more"
_CHUNK = 64 << 10
_IGNORED = ("__MACOSX", "__pycache__")   # with hidden names: never graded, never listed

Kind = Literal["file", "folder", "symlink", "fifo", "device", "socket", "special", "unsafe"]
_KIND_WORDS = {"folder": "folder", "symlink": "symbolic link", "fifo": "named pipe",
               "device": "device file", "socket": "socket", "special": "special file",
               "unsafe": "path leaving the submission's folder"}
_METHODS = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA", 9: "Deflate64", 93: "Zstandard",
            98: "PPMd"}
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError,
               ValueError, struct.error)
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


class SubmissionError(ValueError):
    """The submission cannot be read at all (not a folder, not a zip, unreadable)."""


@dataclass(frozen=True)
class Collected:
    """The student files found (name -> bytes), the ones missing, and notes for the report.

    ``found`` lists what the submission holds (paths inside it, the wanted names first, then
    .py files, then the rest; at most MAX_LISTED, then "and N more"), each made printable, with
    why it was not read where it was not.
    """

    files: dict[str, bytes]
    missing: tuple[str, ...]
    found: tuple[str, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


def _listing(items: Iterable[str], limit: int = 5) -> str:
    """A bounded, printable enumeration: ``a, b, c and 12 more``."""
    items = list(items)
    shown = ", ".join(safe_name(item) for item in items[:limit])
    return f"{shown} and {len(items) - limit:,} more" if len(items) > limit else shown


@dataclass(frozen=True)
class _Entry:
    """One thing in the submission: its path (one name per folder) and what it is."""

    parts: tuple[str, ...]
    kind: Kind
    member: zipfile.ZipInfo | None = None        # a zip's entry, to read it; None in a folder
    raw: str = ""                                # a zip's own name when the path is unsafe

    @property
    def path(self) -> str:
        return self.raw or "/".join(self.parts)


class _Refused(Exception):
    """A file that is not graded: ``short`` annotates it in ``found``; :meth:`note` explains."""

    def __init__(self, short: str, what: str, fix: str):
        super().__init__(what)
        self.short, self.what, self.fix = short, what, fix

    def note(self, path: str) -> str:
        return f"{safe_name(path)} {self.what}, so it was not graded and its functions score 0: {self.fix}."

    @classmethod
    def for_kind(cls, kind: Kind) -> _Refused:
        word = _KIND_WORDS[kind]
        if kind == "folder":
            return cls("a folder, not a file", "is a folder, not a file", "submit the file itself")
        fix = "submit the file itself, not a link to it" if kind == "symlink" else "submit the file itself"
        return cls(f"{word}, not read", f"is a {word}, not a regular file", fix)


def file_limit(name: str) -> int:
    """The most bytes the grader reads of the student file ``name``: MAX_FILE_BYTES for source,
    MAX_MODEL_BYTES for a saved Keras model (``.keras``)."""
    return _BINARY_LIMITS.get(os.path.splitext(name)[1], MAX_FILE_BYTES)


def _too_large(limit: int = MAX_FILE_BYTES) -> _Refused:
    fix = ("a student file is a few kB, so submit the source file itself" if limit == MAX_FILE_BYTES else
           "a saved model of the course's CNNs takes a few MB: save the trained model itself with "
           "model.save(...), and check that its number of parameters is what you expect")
    return _Refused(f"over {limit >> 20} MB, not read", f"is larger than {limit >> 20} MB", fix)


def _read_bounded(read: Callable[[int], bytes], limit: int = MAX_FILE_BYTES) -> bytes:
    """Everything ``read`` gives, when that is at most ``limit`` bytes; never reads more than
    ``limit + 1`` (the byte that tells it is too large), whatever size was announced."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise _too_large(limit)


def _kind(mode: int) -> Kind:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "socket" if stat.S_ISSOCK(mode) else "special"


def _noise(parts: tuple[str, ...]) -> bool:
    """Hidden names, ``__MACOSX`` and ``__pycache__``: never graded, never listed."""
    return any(part.startswith(".") or part in _IGNORED for part in parts)


# --- a folder ---------------------------------------------------------------------------------

def _open_folder(root: int, parts: tuple[str, ...]) -> int:
    """A new descriptor of the folder ``parts`` below ``root``, never through a link."""
    fd = os.dup(root)
    try:
        for part in parts:
            fd, parent = os.open(part, _DIR_FLAGS, dir_fd=fd), fd
            os.close(parent)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _list_folder(root: int) -> tuple[list[_Entry], str | None]:
    """What the folder holds, breadth first, without entering links, hidden folders or folders
    deeper than MAX_DEPTH; at most MAX_ZIP_MEMBERS entries (then a note says so)."""
    entries: list[_Entry] = []
    queue: deque[tuple[str, ...]] = deque([()])
    while queue:
        parts = queue.popleft()
        try:
            fd = _open_folder(root, parts)
        except OSError:
            continue                  # unreadable, or replaced by a link: its files are not listed
        try:
            with os.scandir(fd) as items:
                for item in items:
                    if len(entries) >= MAX_ZIP_MEMBERS:
                        return entries, (f"the folder holds more than {MAX_ZIP_MEMBERS:,} entries; the "
                                         f"grader looked at the {MAX_ZIP_MEMBERS:,} nearest its top only: "
                                         f"a submission is a few files, so submit only this "
                                         f"assignment's folder.")
                    try:
                        kind = _kind(item.stat(follow_symlinks=False).st_mode)
                    except OSError:
                        continue
                    entry = _Entry(parts + (item.name,), kind)
                    entries.append(entry)
                    if kind == "folder" and len(entry.parts) <= MAX_DEPTH and not _noise(entry.parts):
                        queue.append(entry.parts)
        except OSError:
            pass
        finally:
            os.close(fd)
    return entries, None


def _read_folder_file(root: int, parts: tuple[str, ...], limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``parts`` below ``root``, reached without links (at most
    ``limit``)."""
    try:
        folder = _open_folder(root, parts[:-1])
        try:
            mode = os.stat(parts[-1], dir_fd=folder, follow_symlinks=False).st_mode
            if not stat.S_ISREG(mode):
                raise _Refused.for_kind(_kind(mode))
            fd = os.open(parts[-1], _FILE_FLAGS, dir_fd=folder)
        finally:
            os.close(folder)
        try:
            mode = os.fstat(fd).st_mode           # what was opened, in case it was swapped
            if not stat.S_ISREG(mode):
                raise _Refused.for_kind(_kind(mode))
            return _read_bounded(lambda n: os.read(fd, n), limit)
        finally:
            os.close(fd)
    except OSError as exc:
        reason = safe_name(exc.strerror or type(exc).__name__)
        raise _Refused("unreadable", f"could not be read ({reason})",
                       "check that the file is a plain file that can be read") from None


# --- a zip ------------------------------------------------------------------------------------

_END = struct.Struct("<4s4H2LH")            # end of central directory record
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")


def _directory_size(file: BinaryIO) -> int | None:
    """The size of the table of contents that zipfile will read into memory, found where
    zipfile finds it (its ``_EndRecData``); None when the file has no zip end record."""
    size = file.seek(0, os.SEEK_END)
    if size < _END.size:
        return None
    file.seek(size - _END.size)
    record, where = file.read(_END.size), size - _END.size
    if not (record[:4] == b"PK\x05\x06" and record[-2:] == b"\0\0"):
        start = max(size - (1 << 16) - _END.size, 0)
        file.seek(start)
        tail = file.read()
        found = tail.rfind(b"PK\x05\x06")
        if found < 0 or len(tail) - found < _END.size:
            return None
        record, where = tail[found:found + _END.size], start + found
    directory: int = _END.unpack(record)[5]
    if where >= _END64_LOCATOR.size + _END64.size:
        file.seek(where - _END64_LOCATOR.size)
        if file.read(4) == b"PK\x06\x07":
            file.seek(where - _END64_LOCATOR.size - _END64.size)
            record = file.read(_END64.size)
            if len(record) == _END64.size and record[:4] == b"PK\x06\x06":
                directory = _END64.unpack(record)[8]
    return directory


def _open_zip(file: BinaryIO, shown: str) -> zipfile.ZipFile:
    """The zip in ``file`` (a regular file), its table of contents bounded."""
    try:
        directory = _directory_size(file)
        if directory is None:
            raise SubmissionError(f"{shown} is neither a folder nor a .zip file: give the folder "
                                  f"holding your files, or a .zip of it.")
        if directory > MAX_DIRECTORY_BYTES:
            raise SubmissionError(
                f"{shown} is a .zip whose table of contents takes {directory / 2**20:,.0f} MB (the "
                f"grader reads at most {MAX_DIRECTORY_BYTES >> 20} MB): far more entries than a "
                f"submission. Zip only the folder holding this assignment's files.")
        return zipfile.ZipFile(file)
    except SubmissionError:
        raise
    except _ZIP_ERRORS as exc:
        raise SubmissionError(f"{shown} is not a readable .zip ({safe_name(str(exc))}): zip your "
                              f"folder again with a standard tool and check that it opens.") from None


def _zip_entry(info: zipfile.ZipInfo) -> _Entry | None:
    """The entry a zip member stands for. Backslashes are folder separators (as the Windows
    tools that write them mean); a path that is absolute or climbs out with '..' is "unsafe",
    never graded; the unix type in ``external_attr`` tells links, pipes and devices apart."""
    name = info.filename.replace("\\", "/")
    parts = tuple(part for part in name.split("/") if part not in ("", "."))
    if not parts:
        return None                                  # "./": the top itself
    if name.startswith("/") or ".." in parts or (len(name) > 1 and name[1] == ":"):
        return _Entry(parts, "unsafe", info, raw=info.filename)
    mode = stat.S_IFMT(info.external_attr >> 16)
    if name.endswith("/") or mode == stat.S_IFDIR:
        kind: Kind = "folder"
    else:
        kind = "file" if mode in (0, stat.S_IFREG) else _kind(mode)
    return _Entry(parts, kind, info)


def _list_zip(archive: zipfile.ZipFile) -> tuple[list[_Entry], str | None]:
    """The zip's entries, the nearest the top first, at most MAX_ZIP_MEMBERS, with the folders
    that its paths imply."""
    entries = [e for e in map(_zip_entry, archive.infolist()) if e is not None]
    entries.sort(key=lambda e: (len(e.parts), e.parts))
    note = None
    if len(entries) > MAX_ZIP_MEMBERS:
        note = (f"the zip holds {len(entries):,} entries; the grader looked at the {MAX_ZIP_MEMBERS:,} "
                f"nearest its top only: a submission is a few files, so zip only this assignment's "
                f"folder.")
        entries = entries[:MAX_ZIP_MEMBERS]
    known = {e.parts for e in entries if e.kind != "unsafe"}
    implied = {e.parts[:i] for e in entries if e.kind != "unsafe" for i in range(1, len(e.parts))}
    entries += [_Entry(parts, "folder") for parts in sorted(implied - known)]
    return entries, note


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of one zip member through a bounded stream (its header's size not trusted), at
    most ``limit``."""
    if info.flag_bits & 0x41:                        # encrypted, or "strong encryption"
        raise _Refused("encrypted, not read", "is encrypted (the zip has a password)",
                       "zip your files again without a password")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        method = _METHODS.get(info.compress_type, f"method {info.compress_type}")
        raise _Refused("unsupported compression, not read",
                       f"is compressed with {method}, which the grader does not read",
                       "zip your files again with the usual compression (deflate), e.g. your "
                       "system's Compress command or zip -r")
    try:
        with archive.open(info) as stream:
            return _read_bounded(stream.read, limit)
    except _ZIP_ERRORS as exc:
        raise _Refused("damaged, not read", f"is damaged in the zip ({safe_name(str(exc))})",
                       "zip your files again and check that the zip opens") from None


# --- choosing and reading ---------------------------------------------------------------------

def _choose(entries: list[_Entry], wanted: tuple[str, ...],
            where: str) -> tuple[tuple[str, ...] | None, list[str]]:
    """The folder holding the wanted files: () for the top, (name,) for one top folder, None
    when several top folders hold them (no guess); and notes that say what was chosen."""
    names: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for e in entries:
        if e.kind != "unsafe" and not _noise(e.parts):
            names[e.parts[:-1]].add(e.parts[-1])

    def held(prefix: tuple[str, ...]) -> list[str]:
        return [name for name in wanted if name in names.get(prefix, ())]

    tops = sorted(names[()] & {e.parts[0] for e in entries if e.kind == "folder" and len(e.parts) == 1})
    holding = [top for top in tops if held((top,))]
    if held(()):
        copies = [f"{top}/{name}" for top in holding for name in held((top,))]
        return (), ([f"graded the files at the top of the {where}; it also holds {_listing(copies)}, "
                     f"which it did not grade: keep one copy of each file."] if copies else [])
    if len(holding) == 1:
        notes = []
        if len(tops) > 1:
            notes.append(f"the {where} holds {len(tops)} top folders ({_listing(t + '/' for t in tops)}); "
                         f"graded {safe_name(holding[0])}/, the only one holding "
                         f"{', '.join(held((holding[0],)))}.")
        return (holding[0],), notes
    if holding:
        each = _listing(f"{top}/ ({', '.join(held((top,)))})" for top in holding)
        return None, [f"the {where} holds your files in {len(holding)} top folders: {each}. The "
                      f"grader cannot tell which one is your submission, so it graded none of them: "
                      f"keep one folder, or put your files at the top of the {where}."]
    return ((tops[0],) if len(tops) == 1 else ()), []


def _elsewhere(entries: list[_Entry], name: str, chosen: tuple[str, ...], where: str,
               status: dict[str, str]) -> list[str]:
    """A note for a wanted file that is not in the folder graded but elsewhere in the submission
    (too deep, or beside other files); ``status`` gets the annotation of each copy."""
    others = [e for e in entries if e.kind not in ("folder", "unsafe") and e.parts[-1] == name
              and e.parts[:-1] != chosen and not _noise(e.parts)]
    if not others:
        return []
    shown = []
    for e in others:
        depth = len(e.parts) - 1
        status[e.path] = (f"{depth} folders deep, not read" if depth >= 2
                          else "not with the graded files, not read")
        shown.append(f"{e.path} ({depth} folders deep)" if depth >= 2 else e.path)
    at = f"at the top of the {where}" if not chosen else f"in {safe_name(chosen[0])}/, the folder graded"
    return [f"{name} is not {at}, so its functions score 0, but the {where} holds {_listing(shown)}: "
            f"put your files together at the top of the {where} or inside one top folder."]


def _found(entries: list[_Entry], wanted: tuple[str, ...], status: dict[str, str]) -> tuple[str, ...]:
    """What the student sent: wanted names first, then .py files, then the rest; bounded."""
    listed = [e for e in entries if (e.kind == "unsafe" or not _noise(e.parts))
              and (e.kind != "folder" or e.path in status)]
    listed.sort(key=lambda e: (e.parts[-1] not in wanted, not e.path.endswith(".py"), e.path))
    shown: list[str] = []
    for e in listed:
        why = status.get(e.path) or (f"{_KIND_WORDS[e.kind]}, not read" if e.kind != "file" else "")
        text = safe_name(e.path) + (f" ({why})" if why else "")
        if text not in shown:
            shown.append(text)
    if len(shown) > MAX_LISTED:
        shown[MAX_LISTED:] = [f"and {len(shown) - MAX_LISTED:,} more"]
    return tuple(shown)


def _gather(entries: list[_Entry], wanted: tuple[str, ...], where: str,
            read: Callable[[_Entry, int], bytes], truncated: str | None) -> Collected:
    """Choose the folder, read the wanted files in it (regular files only, bounded), and say
    what was found and why anything was not graded."""
    chosen, notes = _choose(entries, wanted, where)
    notes = ([truncated] if truncated else []) + notes
    files: dict[str, bytes] = {}
    status: dict[str, str] = {}
    total = 0
    at: dict[tuple[str, ...], list[_Entry]] = defaultdict(list)
    for e in entries:
        if e.kind != "unsafe":
            at[e.parts].append(e)
    folder = chosen if chosen is not None else ()      # the files are looked for only in a chosen one
    for name in wanted if chosen is not None else ():
        path = "/".join(folder + (name,))
        matches = at.get(folder + (name,), [])
        if not matches:
            notes += _elsewhere(entries, name, folder, where, status)
            continue
        try:
            if len(matches) > 1:
                raise _Refused(f"{len(matches)} copies, not read",
                               f"appears {len(matches)} times in the {where}",
                               f"make a new {where} in which each file appears once")
            if matches[0].kind != "file":
                raise _Refused.for_kind(matches[0].kind)
            limit = file_limit(name)
            source = limit == MAX_FILE_BYTES          # models count apart (MAX_MODEL_BYTES each)
            if source and total > MAX_TOTAL_BYTES - MAX_FILE_BYTES:
                raise _Refused("not read (too much data)",
                               f"would take the files read over {MAX_TOTAL_BYTES >> 20} MB together",
                               "submit only the source files")
            data = read(matches[0], limit)
        except _Refused as refused:
            status[path] = refused.short
            notes.append(refused.note(path))
            continue
        files[name] = data
        total += len(data) if source else 0
    skipped = [e for e in entries if e.kind not in ("file", "folder") and e.path not in status
               and (e.kind == "unsafe" or not _noise(e.parts))]
    if skipped:
        notes.append(f"the grader reads only regular files inside the submission, so it skipped "
                     f"{_listing(f'{e.path} ({_KIND_WORDS[e.kind]})' for e in skipped)}.")
    missing = tuple(n for n in wanted if n not in files)
    return Collected(files, missing, _found(entries, wanted, status), tuple(notes))


def collect(path: str | Path, wanted: tuple[str, ...]) -> Collected:
    """Find the ``wanted`` file names in the submission at ``path`` (a folder or a .zip)."""
    shown = safe_name(str(path), 300)
    try:
        mode = os.stat(path).st_mode          # the instructor's path: a link there is followed
    except FileNotFoundError:
        raise SubmissionError(f"{shown} does not exist: give the folder holding your files, or a "
                              f".zip of it.") from None
    except OSError as exc:
        raise SubmissionError(f"{shown} cannot be read ({exc.strerror}): give a folder or a .zip "
                              f"that the grader can read.") from None
    if stat.S_ISDIR(mode):
        try:
            root = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as exc:
            raise SubmissionError(f"{shown} is a folder that cannot be read ({exc.strerror}): check "
                                  f"its permissions.") from None
        try:
            entries, truncated = _list_folder(root)
            return _gather(entries, wanted, "folder", lambda e, limit: _read_folder_file(root, e.parts, limit),
                           truncated)
        finally:
            os.close(root)
    if not stat.S_ISREG(mode):
        raise SubmissionError(f"{shown} is a {_KIND_WORDS[_kind(mode)]}, neither a folder nor a .zip "
                              f"file: give the folder holding your files, or a .zip of it.")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise SubmissionError(f"{shown} cannot be read ({exc.strerror}): give a folder or a .zip "
                              f"that the grader can read.") from None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):      # replaced since it was looked at
            raise SubmissionError(f"{shown} is neither a folder nor a .zip file: give the folder "
                                  f"holding your files, or a .zip of it.")
        with _open_zip(file, shown) as archive:
            entries, truncated = _list_zip(archive)
            # every entry of a zip carries its member (only a folder's entries have none)
            return _gather(entries, wanted, "zip",
                           lambda e, limit: _read_member(archive, cast(zipfile.ZipInfo, e.member), limit), truncated)


def banned_imports(source: bytes, banned: tuple[str, ...] = BANNED_IMPORTS) -> list[str]:
    """Banned top-level modules the source imports, found without running it (static)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []                      # the import in the sandbox reports the syntax error
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("__import__", "import_module"):
                names = [node.args[0].value]
        for name in names:
            top = name.partition(".")[0]
            if top in banned and top not in found:
                found.append(top)
    return found
