"""Finding the submissions in a folder: one :class:`Entry` per student, the id from the name.

Layouts recognised, entry by entry (a folder may mix them):

* **plain**: ``<id>/`` (a folder) or ``<id>.zip``; the id is the folder name or the zip's stem.
* **Moodle** "Download all submissions" (``mod/assign``), unzipped. With "download submissions
  in folders" (the default since Moodle 3.1) every student has a folder
  ``<Full Name>_<participant id>_assignsubmission_file_/`` holding the files as uploaded;
  without it the files sit side by side as ``<Full Name>_<participant id>_assignsubmission_file_<file>``.
  The id is the participant id, the number the offline grading worksheet identifies as
  ``Participant <id>`` (:mod:`autograder.batch.gradebook`). Folders of other submission plugins
  (``assignsubmission_onlinetext_``) are ignored.
* **Canvas** "Download Submissions", unzipped: loose files
  ``<lastfirst>_[LATE_]<user id>_<submission id>_<file>``; a resubmitted file gets ``-<n>``
  before its extension (``layers-1.py``), removed here. The id is the Canvas user id, the
  ``ID`` column of Canvas's gradebook CSV.

A folder holding exactly one .zip and no .py file is graded as that zip (a student who
uploaded a zip to Moodle). Loose files are copied into a staging folder under their own names
(:func:`stage`), read without following links and bounded like :mod:`autograder.grading.submission`
reads them; that module then reads the staged folder as any other submission.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from autograder.core.messages import safe_name
from autograder.grading.submission import MAX_FILE_BYTES

Source = Literal["folder", "zip", "moodle", "canvas"]

_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z0-9]+)_(?P<file>.*)$", re.S)
_CANVAS = re.compile(r"^(?P<name>[^_]+)_(?:(?P<late>LATE)_)?(?P<id>\d+)_(?P<sub>\d+)_(?P<file>.+)$", re.S)
_RESUBMITTED = re.compile(r"^(?P<stem>.+?)-\d+(?P<ext>\.[A-Za-z0-9]+)?$")
_IGNORED = ("__MACOSX", "__pycache__")
HASH_LIMIT_FILES = 10_000           # entries hashed below one submission folder
HASH_DEPTH = 6


@dataclass(frozen=True)
class Entry:
    """One student's submission as found: where its files are and who sent it.

    ``paths`` holds one folder or .zip, or (``files`` non-empty) the loose files of a flat
    Moodle or Canvas download, each with the name it is graded under. ``problem`` says why the
    entry cannot be graded at all (two submissions under one id), else it is empty.
    """

    student_id: str
    name: str
    source: Source
    paths: tuple[Path, ...]
    files: tuple[tuple[str, Path], ...] = ()
    late: bool = False
    problem: str = ""

    @property
    def shown(self) -> str:
        """The entry as the instructor sees it in the folder (for messages)."""
        names = sorted({p.name for p in self.paths})
        return safe_name(names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more")


@dataclass(frozen=True)
class Discovery:
    entries: tuple[Entry, ...]
    ignored: tuple[str, ...] = field(default_factory=tuple)    # what was not a submission, and why


@dataclass(frozen=True)
class _Found:
    """What one name in the folder says about itself."""

    source: Source
    student_id: str
    name: str
    file: str = ""          # a loose file's own name (flat Moodle, Canvas)
    late: bool = False


def parse_name(name: str, is_dir: bool, wanted: tuple[str, ...] = ()) -> _Found | None:
    """What a top-level name of the folder is: a Moodle folder or file, a Canvas file, a plain
    folder or zip; None when it is none of these (a stray file). ``wanted`` are the
    assignment's file names, used to undo Canvas's ``-<n>`` renaming of resubmitted files."""
    moodle = _MOODLE.match(name)
    if moodle and is_dir == (moodle["file"] == ""):     # a folder ends with "_", a file goes on
        plugin = moodle["plugin"]
        file = moodle["file"] if plugin == "file" else f"<{plugin}>"   # <onlinetext>: not graded
        return _Found("moodle", moodle["id"], moodle["name"], file)
    if is_dir:
        return _Found("folder", name, "")
    canvas = _CANVAS.match(name)
    if canvas:
        return _Found("canvas", canvas["id"], canvas["name"], canvas_file_name(canvas["file"], wanted),
                      late=bool(canvas["late"]))
    if name.lower().endswith(".zip") and len(name) > 4:
        return _Found("zip", name[:-4], "")
    return None


def canvas_file_name(file: str, wanted: tuple[str, ...] = ()) -> str:
    """A Canvas attachment's own name: ``layers-1.py`` -> ``layers.py`` when Canvas numbered a
    resubmission (only when that gives one of the ``wanted`` names, or ``wanted`` is empty and
    the name is not itself wanted)."""
    if file in wanted:
        return file
    match = _RESUBMITTED.match(file)
    if match:
        original = match["stem"] + (match["ext"] or "")
        if not wanted or original in wanted:
            return original
    return file


def discover(folder: str | os.PathLike, wanted: tuple[str, ...] = ()) -> Discovery:
    """Every submission in ``folder``, sorted by student id. Links, hidden names and names that
    are no submission are listed in ``ignored``; two submissions under one id become one entry
    with a ``problem`` (grading either could grade an old copy)."""
    root = Path(folder)
    ignored: list[str] = []
    groups: dict[str, list[tuple[_Found, Path]]] = defaultdict(list)
    with os.scandir(root) as it:
        items = sorted(it, key=lambda e: e.name)
    for item in items:
        if item.name.startswith(".") or item.name in _IGNORED:
            continue
        if item.is_symlink():
            ignored.append(f"{safe_name(item.name)} (a symbolic link: not followed)")
            continue
        found = parse_name(item.name, item.is_dir(follow_symlinks=False), wanted)
        if found is None or not (item.is_dir(follow_symlinks=False) or item.is_file(follow_symlinks=False)):
            ignored.append(f"{safe_name(item.name)} (neither a student's folder or .zip nor a Moodle "
                           f"or Canvas file)")
            continue
        if found.file.startswith("<"):
            ignored.append(f"{safe_name(item.name)} (Moodle's {found.file[1:-1]} submissions are not graded)")
            continue
        groups[found.student_id].append((found, Path(item.path)))
    entries = [_entry(student_id, members) for student_id, members in groups.items()]
    return Discovery(tuple(sorted(entries, key=lambda e: e.student_id)), tuple(ignored))


def _entry(student_id: str, members: list[tuple[_Found, Path]]) -> Entry:
    found = members[0][0]
    paths = tuple(path for _, path in members)
    loose = [(f.file, path) for f, path in members if f.file]
    whole = [path for f, path in members if not f.file]
    late = any(f.late for f, _ in members)
    if len(whole) > 1 or (whole and loose):
        shown = ", ".join(safe_name(p.name) for p in paths[:4])
        return Entry(student_id, found.name, found.source, paths, late=late,
                     problem=f"several submissions under the id {safe_name(student_id)} ({shown}): keep "
                             f"one (a folder or a .zip) and grade again")
    if loose:
        return Entry(student_id, found.name, found.source, paths, tuple(sorted(loose)), late=late)
    return Entry(student_id, found.name, found.source, paths, late=late)


def graded_path(entry: Entry, staging: Path) -> Path:
    """The folder or .zip to grade for ``entry``: its own (a folder holding exactly one .zip and
    no .py file is that zip), or its loose files copied into ``staging/`` by :func:`stage`."""
    if entry.files:
        return stage(entry, staging)
    path = entry.paths[0]
    if path.is_dir():
        try:
            inside = [p for p in path.iterdir() if not p.name.startswith(".") and p.name not in _IGNORED]
        except OSError:
            return path
        zips = [p for p in inside if p.suffix.lower() == ".zip" and p.is_file() and not p.is_symlink()]
        if len(zips) == 1 and not any(p.suffix == ".py" for p in inside):
            return zips[0]
    return path


def stage(entry: Entry, staging: Path) -> Path:
    """Copy the loose files of ``entry`` into a fresh folder under ``staging`` with their own
    names; a link or special file is not copied (the grader then reports the file missing).
    Two files with one name: the last in name order wins (Canvas keeps only the latest)."""
    target = staging / file_key(entry.student_id)
    temporary = staging / f".{target.name}.tmp"
    for old in (temporary, target):
        _remove_tree(old)
    temporary.mkdir(parents=True)
    for name, path in entry.files:
        data = read_regular(path)
        if data is not None and "/" not in name and name not in ("", ".", ".."):
            (temporary / name).write_bytes(data)
    os.replace(temporary, target)
    return target


def read_regular(path: Path, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The bytes of a regular file reached without following a link, at most ``limit`` + 1
    (so an oversized file stays oversized for the grader); None for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def content_hash(entry: Entry) -> str:
    """A digest of what the student sent (names and bytes, links by their target): a rerun
    regrades exactly the entries whose digest changed."""
    digest = hashlib.sha256(b"cnn-autograder submission\0")
    if entry.files:
        for name, path in entry.files:
            _hash_path(digest, name, path)
    else:
        for path in entry.paths:
            _hash_path(digest, path.name, path)
    return digest.hexdigest()


def _hash_path(digest, label: str, path: Path, depth: int = 0, budget: list[int] | None = None) -> None:
    budget = budget if budget is not None else [HASH_LIMIT_FILES]
    budget[0] -= 1
    if budget[0] < 0:
        return
    try:
        info = os.lstat(path)
    except OSError as exc:
        digest.update(f"{label}\0unreadable {exc.errno}\0".encode("utf-8", "surrogateescape"))
        return
    tag = label.encode("utf-8", "surrogateescape")
    if stat.S_ISLNK(info.st_mode):
        digest.update(b"L" + tag + b"\0" + os.fsencode(os.readlink(path)) + b"\0")
    elif stat.S_ISDIR(info.st_mode):
        digest.update(b"D" + tag + b"\0")
        if depth < HASH_DEPTH:
            try:
                names = sorted(os.listdir(path))
            except OSError:
                names = []
            for name in names:
                _hash_path(digest, f"{label}/{name}", path / name, depth + 1, budget)
    elif stat.S_ISREG(info.st_mode):
        data = read_regular(path, limit=64 << 20)
        digest.update(b"F" + tag + b"\0")
        digest.update(hashlib.sha256(data).digest() if data is not None
                      else f"{info.st_size}:{info.st_mtime_ns}".encode())
    else:
        digest.update(b"S" + tag + b"\0")


def file_key(student_id: str) -> str:
    """A file name for ``student_id``: the id itself when it is made of letters, digits, ``.``,
    ``_`` and ``-``; else a cleaned copy with a digest of the id (so two ids never share a file)."""
    clean = re.sub(r"[^A-Za-z0-9._-]", "_", student_id)[:80].lstrip(".") or "_"
    if clean == student_id:
        return clean
    return f"{clean}-{hashlib.sha256(student_id.encode('utf-8', 'surrogateescape')).hexdigest()[:10]}"


def _remove_tree(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        for child in path.iterdir():
            _remove_tree(child)
        path.rmdir()
