"""Building submissions from a corpus of known bugs: patch top-level definitions of a module.

A corpus file holds only the replacement source of one or a few functions plus a module
docstring whose first lines are ``key: value`` metadata: ``function`` (the function with the
bug), ``hint`` (the hint key expected, or ``none``), ``message`` (a substring of one of that
function's failing messages), optionally ``also`` (other functions that rightly lose points,
comma-separated) and ``hints_also`` (other hints that may rightly fire). :func:`patch_module`
swaps those definitions into a complete module (the reference), so every corpus entry is one bug
in an otherwise correct submission.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _top_level_defs(tree: ast.Module) -> dict[str, ast.stmt]:
    return {node.name: node for node in tree.body if isinstance(node, _DEFS)}


def _first_line(node: ast.stmt) -> int:
    """The 1-based first line of a definition, decorators included."""
    return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])


def _segment(lines: list[str], node: ast.stmt) -> list[str]:
    return lines[_first_line(node) - 1:node.end_lineno]


def patch_module(source: str, replacement_source: str) -> str:
    """``source`` with its top-level functions/classes replaced by those of ``replacement_source``.

    A definition whose name exists at the top level of ``source`` replaces it in place (its
    decorators and body, by AST line ranges); imports the module already has are skipped (so
    a corpus file can import numpy and stay lintable); other statements of the replacement (new helpers,
    imports, constants) are appended at the end, in order. The replacement's module docstring
    is dropped. Raises ``ValueError`` if either source does not parse or the result does not.
    """
    try:
        tree = ast.parse(source)
        patch = ast.parse(replacement_source)
    except SyntaxError as exc:
        raise ValueError(f"cannot patch: {exc}") from None
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    patch_lines = replacement_source.splitlines(keepends=True)
    if patch_lines and not patch_lines[-1].endswith("\n"):
        patch_lines[-1] += "\n"
    targets = _top_level_defs(tree)
    imports = {ast.unparse(n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))}
    body = list(patch.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]                      # the corpus file's docstring (its metadata)
    replaced: list[tuple[int, int, list[str]]] = []
    appended: list[str] = []
    for node in body:
        text = _segment(patch_lines, node)
        if isinstance(node, (ast.Import, ast.ImportFrom)) and ast.unparse(node) in imports:
            continue                         # already imported by the module
        if isinstance(node, _DEFS) and node.name in targets:
            old = targets[node.name]
            replaced.append((_first_line(old) - 1, old.end_lineno, text))
        else:
            appended.extend(["\n", "\n"] + text)
    for start, end, text in sorted(replaced, reverse=True):
        lines[start:end] = text
    result = "".join(lines + appended)
    try:
        ast.parse(result)
    except SyntaxError as exc:                # pragma: no cover - both inputs parsed
        raise ValueError(f"patched module does not parse: {exc}") from None
    return result


@dataclass(frozen=True)
class CorpusEntry:
    """One broken implementation: what it breaks and what the grader must say about it."""

    path: Path
    function: str
    hint: str | None                 # the hint key expected, None for "none"
    message: str                     # a substring of one of the function's failing messages
    also: tuple[str, ...]            # other functions that legitimately lose points
    hints_also: tuple[str, ...] = ()  # other hints that may rightly fire on this bug

    @property
    def source(self) -> str:
        return self.path.read_text(encoding="utf-8")


def parse_metadata(source: str, path: Path | str = "<corpus>") -> dict[str, str]:
    """The ``key: value`` lines at the top of a module docstring (up to the first blank line)."""
    doc = ast.get_docstring(ast.parse(source), clean=True)
    if not doc:
        raise ValueError(f"{path}: a corpus file needs a docstring with function/hint/message lines")
    meta: dict[str, str] = {}
    for line in doc.splitlines():
        if not line.strip():
            break
        key, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"{path}: metadata line {line!r} is not 'key: value'")
        meta[key.strip()] = value.strip()
    missing = {"function", "hint", "message"} - set(meta)
    if missing:
        raise ValueError(f"{path}: missing metadata {sorted(missing)}")
    return meta


def load_entry(path: Path) -> CorpusEntry:
    """Read one corpus file and its metadata."""
    meta = parse_metadata(path.read_text(encoding="utf-8"), path)
    hint = None if meta["hint"].lower() == "none" else meta["hint"]
    return CorpusEntry(path, meta["function"], hint, meta["message"], _names(meta.get("also", "")),
                       _names(meta.get("hints_also", "")))


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in text.split(",") if n.strip())


def load_corpus(folder: Path) -> list[CorpusEntry]:
    """Every ``*.py`` of ``folder``, sorted by name."""
    return [load_entry(p) for p in sorted(folder.glob("*.py"))]
