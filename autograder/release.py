"""Generate the student release ``assignments/`` from ``solutions/`` (one source of truth).

Each ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region becomes a stub: inside a function,
``raise NotImplementedError`` naming the task and what to return; at module level, nothing but a
comment. Docstrings, signatures and provided helpers stay as they are. Pure: :func:`stub_source`
maps text to text; :func:`release` writes files.
"""
from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_COPIED_SUFFIXES = (".py", ".md", ".txt", ".csv", ".json", ".npz")


class ReleaseError(ValueError):
    """Unbalanced or nested solution markers."""


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _returns(doc: str | None) -> str:
    """What a function returns, from its docstring: a 'Returns ...' sentence or '-> ...'."""
    if not doc:
        return ""
    text = " ".join(doc.split())
    match = re.search(r"Returns? (.+?)(?:\.\s|\.$|$)", text)
    if match:
        return match.group(1)
    match = re.search(r"->\s*(.+?)(?:\.\s|\.$|;|$)", text)
    return match.group(1) if match else ""


def stub_source(source: str, task: str, filename: str = "<source>") -> str:
    """The student version of one solution file's text."""
    tree = ast.parse(source, filename)
    owner = {}
    for fn in _functions(tree):
        for line in range(fn.lineno, (fn.end_lineno or fn.lineno) + 1):
            owner[line] = fn              # innermost wins: ast.walk visits outer first
    out, inside, start = [], False, 0
    for number, line in enumerate(source.splitlines(keepends=True), 1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ReleaseError(f"{filename}:{number}: nested {BEGIN}")
            inside, start = True, number
            indent = line[: len(line) - len(line.lstrip())]
            fn = owner.get(number)
            if fn is None:
                out.append(f"{indent}# {task}: your code here\n")
            else:
                what = _returns(ast.get_docstring(fn))
                message = f"{task}, {fn.name}: implement it (see the docstring)"
                if what:
                    message += f"; it returns {what}"
                out.append(f"{indent}raise NotImplementedError({message + '.'!r})\n")
            continue
        if stripped == END:
            if not inside:
                raise ReleaseError(f"{filename}:{number}: {END} without {BEGIN}")
            inside = False
            continue
        if not inside:
            out.append(line)
    if inside:
        raise ReleaseError(f"{filename}:{start}: {BEGIN} is never closed")
    return "".join(out)


def release(solutions: Path, assignments: Path, names: tuple[str, ...] | None = None) -> list[Path]:
    """Regenerate ``assignments/<name>/`` for each assignment folder under ``solutions``."""
    written = []
    folders = sorted(p for p in solutions.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    for folder in folders:
        if names and folder.name not in names:
            continue
        target = assignments / folder.name
        if target.exists():
            shutil.rmtree(target)
        for path in sorted(folder.rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts or path.suffix not in _COPIED_SUFFIXES:
                continue
            dest = target / path.relative_to(folder)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".py":
                dest.write_text(stub_source(path.read_text(encoding="utf-8"), folder.name, str(path)),
                                encoding="utf-8")
            else:
                shutil.copyfile(path, dest)
            written.append(dest)
    return written
