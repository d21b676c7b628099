"""Reading a submission: a folder or a .zip, its student files found at the root or inside
exactly one top folder; everything else ignored. Zips are read in memory (no extraction, so no
path tricks), with size caps.
"""
from __future__ import annotations

import ast
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder.sandbox.wire import BANNED_IMPORTS

MAX_FILE_BYTES = 2 << 20        # a student module is a few kB; 2 MB is generous
MAX_ZIP_MEMBERS = 10_000


class SubmissionError(ValueError):
    """The submission cannot be read at all (not a folder, not a zip, unreadable)."""


@dataclass(frozen=True)
class Collected:
    """The student files found (name -> bytes), the ones missing, and notes for the report."""

    files: dict[str, bytes]
    missing: tuple[str, ...]
    found: tuple[str, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


def _choose(names: list[str], wanted: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """The folder prefix holding the wanted files: the root, or the one top folder."""
    posix = [PurePosixPath(n) for n in names]
    at_root = {p.name: str(p) for p in posix if len(p.parts) == 1}
    if any(w in at_root for w in wanted):
        return "", at_root
    tops = {p.parts[0] for p in posix if len(p.parts) > 1 and not p.parts[0].startswith(("__MACOSX", "."))}
    for top in sorted(tops):
        inside = {p.name: str(p) for p in posix if len(p.parts) == 2 and p.parts[0] == top}
        if len(tops) == 1 or any(w in inside for w in wanted):
            return top, inside
    return "", at_root


def collect(path: str | Path, wanted: tuple[str, ...]) -> Collected:
    """Find the ``wanted`` file names in the submission at ``path``."""
    path = Path(path)
    if path.is_dir():
        names = [str(p.relative_to(path).as_posix()) for p in path.rglob("*.py")
                 if len(p.relative_to(path).parts) <= 2]
        _, chosen = _choose(names, wanted)
        reader = lambda name: (path / name).read_bytes()  # noqa: E731
        sizes = {n: (path / n).stat().st_size for n in chosen.values()}
    elif path.is_file() and zipfile.is_zipfile(path):
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise SubmissionError(f"{path} is not a readable .zip ({exc}).") from None
        infos = [i for i in archive.infolist() if not i.is_dir()][:MAX_ZIP_MEMBERS]
        names = [i.filename for i in infos]
        _, chosen = _choose(names, wanted)
        reader = archive.read
        sizes = {i.filename: i.file_size for i in infos}
    elif path.exists():
        raise SubmissionError(f"{path} is neither a folder nor a .zip file: give the folder "
                              f"holding your files, or a .zip of it.")
    else:
        raise SubmissionError(f"{path} does not exist: give the folder holding your files, or a "
                              f".zip of it.")
    files, notes = {}, []
    for name in wanted:
        member = chosen.get(name)
        if member is None:
            continue
        if sizes.get(member, 0) > MAX_FILE_BYTES:
            notes.append(f"{name} is larger than {MAX_FILE_BYTES >> 20} MB and was not graded.")
            continue
        try:
            files[name] = reader(member)
        except (OSError, KeyError, zipfile.BadZipFile, RuntimeError) as exc:
            notes.append(f"{name} could not be read ({exc}).")
    missing = tuple(n for n in wanted if n not in files)
    found = tuple(sorted(set(chosen)))
    return Collected(files, missing, found, tuple(notes))


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
