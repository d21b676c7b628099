"""The layers of docs/architecture.md, enforced: every module of the package imports only from
its own layer or the layers below it (bottom to top: sandbox, core, pictures, checks and hints,
registry, grading, report, adapters), and nothing in the package reads the tests' folder."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "autograder"

# layer -> the module prefixes it holds (a module belongs to the first layer whose prefix matches)
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("sandbox", ("autograder.sandbox",)),
    ("core", ("autograder.core", "autograder.paths", "autograder.datasets", "autograder.references",
              "autograder.quiz")),
    ("pictures", ("autograder.pictures",)),
    ("checks", ("autograder.checks", "autograder.hints")),
    ("registry", ("autograder.registry",)),
    ("grading", ("autograder.grading",)),
    ("report", ("autograder.report",)),
    ("adapters", ("autograder.cli", "autograder.__main__", "autograder.selfcheck", "autograder.pytest_plugin",
                  "autograder.release", "autograder.example", "autograder.batch", "autograder.nbgrader")),
]
RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}
# The package's root (__version__) may be imported from anywhere.
ANYWHERE = {"autograder"}


def layer_of(module: str) -> str | None:
    for name, prefixes in LAYERS:
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return name
    return None


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of the package in ``path``, lazy ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("autograder")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("autograder"):
            assert node.module is not None
            # "from autograder.core import messages" imports autograder.core.messages
            found += [(node.lineno, f"{node.module}.{a.name}") if layer_of(f"{node.module}.{a.name}")
                      else (node.lineno, node.module) for a in node.names]
    return found


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_has_a_layer():
    assert [module_name(p) for p in SOURCES if module_name(p) not in ANYWHERE and layer_of(module_name(p)) is None] \
        == [], "add the new module to a layer here and in docs/architecture.md"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_down_the_layers(path):
    own = layer_of(module_name(path))
    if own is None:
        return
    upward = [f"line {line}: {target} ({layer_of(target)})" for line, target in imports(path)
              if target not in ANYWHERE and layer_of(target) is not None and RANK[layer_of(target)] > RANK[own]]
    assert not upward, f"{module_name(path)} ({own}) imports from a layer above it: {upward}"


def test_the_hint_library_is_imported_only_through_the_registry():
    """The wheel students install has no autograder.hints: only the registry (which tolerates
    its absence) and the hints themselves may import it."""
    users = [module_name(p) for p in SOURCES
             if any(t.startswith("autograder.hints") for _, t in imports(p))
             and not module_name(p).startswith(("autograder.hints", "autograder.registry"))]
    assert users == []


def test_nothing_in_the_package_reads_the_tests_folder():
    pattern = re.compile(r"""/\s*["']tests["']|["']tests/""")       # ROOT / "tests", "tests/..."
    readers = [f"{p.relative_to(PACKAGE)}:{n}" for p in SOURCES
               for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
               if pattern.search(line) and not line.lstrip().startswith("#")]
    # hidden_paths hides tests/ from student code (it names the folder to hide it, never to read it)
    assert [r for r in readers if not r.startswith("grading/runner.py")] == []
