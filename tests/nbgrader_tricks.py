"""Submissions for the nbgrader course test: notebooks built from the released one, each with
one trick a student could play on plain nbgrader (issue 16), and the modules under them.

A trick is the code of one cell put near the top of the notebook (after its first Markdown
cell), or a change to the notebook's cells. ``{course}``, ``{me}`` and ``{victim}`` in a
trick's code are filled in with the course directory, the student's id and another student's.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

SYS_MODULES = '''\
import sys, types
fake = types.ModuleType("layers")
sys.modules["layers"] = fake
placeholder = types.ModuleType("autograder.nbgrader.placeholder")
class Full:
    def __repr__(self):
        return "1000"
placeholder.graded_outside = lambda *args: Full()
sys.modules["autograder.nbgrader.placeholder"] = placeholder
sys.modules["autograder.grading.runner"] = types.ModuleType("autograder.grading.runner")
'''

PLANTED = '''\
import os, sys
os.makedirs("autograder/nbgrader", exist_ok=True)
for name, text in {"autograder/__init__.py": "", "autograder/nbgrader/__init__.py": "",
                   "autograder/nbgrader/placeholder.py": "def graded_outside(g, f, p):\\n    return p\\n"}.items():
    with open(name, "w") as f:
        f.write(text)
for name in ("python", "python3", "cnn-autograder"):
    with open(name, "w") as f:
        f.write("#!/bin/sh\\necho '{\\"score\\": 100, \\"max_score\\": 100, \\"tests\\": []}'\\n")
    os.chmod(name, 0o755)
os.environ["PATH"] = os.getcwd() + os.pathsep + os.environ["PATH"]
sys.path.insert(0, os.getcwd())
for module in [m for m in sys.modules if m.startswith("autograder")]:
    del sys.modules[module]
for target in ("{course}/source/02_cnn_layers/python", "{course}/autograder.py"):
    try:
        with open(target, "w") as f:
            f.write("planted")
    except OSError as exc:
        print("refused", target, exc)
'''

PATCHED = '''\
import os, subprocess, sys
class Done:
    returncode, stdout, stderr = 0, '{"score": 100, "max_score": 100}', ""
subprocess.run = lambda *args, **kwargs: Done()
subprocess.check_output = lambda *args, **kwargs: b'{"score": 100}'
subprocess.Popen = None
sys.executable = "/bin/true"
os.environ.update(CNN_AUTOGRADER_SOLUTIONS=os.getcwd(), CNN_AUTOGRADER_SECRET="guessed",
                  PYTHONPATH=os.getcwd())
'''

REWRITE = '''\
SOLUTION = {solution!r}
STUB = {stub!r}
for target, text in [("layers.py", SOLUTION),
                     ("{course}/submitted/{me}/02_cnn_layers/layers.py", SOLUTION),
                     ("{course}/autograded/{me}/02_cnn_layers/layers.py", SOLUTION),
                     ("{course}/source/02_cnn_layers/layers.py", SOLUTION),
                     ("{course}/submitted/{victim}/02_cnn_layers/layers.py", STUB)]:
    try:
        with open(target, "w") as f:
            f.write(text)
    except OSError as exc:
        print("refused", target, exc)
'''

HIDE_VALUES = '''\
ip = get_ipython()
ip.ast_node_interactivity = "none"
ip.display_formatter.formatters["text/plain"].for_type(object, lambda obj, p, cycle: p.text("4"))
'''

PASS_CELLS = 'get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])\n'

OVERSIZED = 'get_ipython().input_transformers_cleanup.append(lambda lines: ["10**9\\n"])\n'

GRADEBOOK = '''\
import os, sqlite3, time
def forge():
    con = sqlite3.connect("{course}/gradebook.db", timeout=1)
    con.execute("UPDATE grade SET manual_score = 1000, extra_credit = 1000")
    con.commit()
    con.close()
try:
    forge()
except Exception as exc:
    print("refused now:", exc)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(3)
        try:
            forge()
        finally:
            os._exit(0)
    os._exit(0)
'''

KILL_KERNEL = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"

SIGINT_LOOP = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n"

STDERR_CELL = '''\
import logging, sys, threading, time, warnings
print("the notebook writes to stderr", file=sys.stderr)
warnings.warn("a warning on stderr")
threading.Thread(target=lambda: [time.sleep(0.1), logging.warning("a background thread")],
                 daemon=True).start()
with open("written.txt", "w") as f:
    f.write("a notebook may write files in its folder")
print(open("written.txt").read())
'''

STDERR_MODULE_HEAD = '''\
import sys
import threading
sys.stderr.write("layers.py writes to stderr on import\\n")
threading.Thread(target=lambda: sys.stderr.write("and from a thread\\n"), daemon=True).start()
'''


def is_test_cell(cell: dict) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and str(meta.get("grade_id", "")).startswith("cnn-")


def light(notebook: dict) -> dict:
    """The notebook without its ordinary code cells (the Markdown and test cells stay): a
    student may delete them, and the test runs faster."""
    nb = copy.deepcopy(notebook)
    nb["cells"] = [c for c in nb["cells"] if c["cell_type"] == "markdown" or is_test_cell(c)]
    return nb


def with_cell(source: str) -> Callable[[dict], dict]:
    def change(notebook: dict) -> dict:
        nb = light(notebook)
        nb["cells"].insert(1, {"cell_type": "code", "execution_count": None, "id": "trick",
                               "metadata": {}, "outputs": [], "source": source})
        return nb
    return change


def delete_test_cells(notebook: dict) -> dict:
    nb = light(notebook)
    nb["cells"] = [c for c in nb["cells"] if not is_test_cell(c)]
    return nb


def duplicate_test_cells(notebook: dict) -> dict:
    """The first test cell three times (one copy claiming a billion points), and a cell
    claiming an unknown test id with nbgrader metadata from the future."""
    nb = light(notebook)
    index, first = next((i, c) for i, c in enumerate(nb["cells"]) if is_test_cell(c))
    greedy = copy.deepcopy(first)
    greedy.update(id="greedy", source="10**9")
    greedy["metadata"]["nbgrader"]["points"] = 1e9
    forged = {"cell_type": "code", "execution_count": None, "id": "forged", "outputs": [],
              "source": "10**9", "metadata": {"nbgrader": {
                  "grade": True, "solution": False, "locked": False, "grade_id": "cnn-extra",
                  "points": 1000, "schema_version": 99}}}
    nb["cells"][index + 1:index + 1] = [dict(copy.deepcopy(first), id="copy"), greedy, forged]
    return nb


@dataclass(frozen=True)
class Student:
    name: str
    modules: str                       # "solution", "stub", "bug1", "bug2", "stderr"
    notebook: Callable[[dict], dict] | None = None     # None: the released notebook as is
    hostile: bool = False
    problem: str = ""                  # a phrase the feedback must say about the notebook


STUDENTS = (
    Student("correct", "solution"),
    Student("stub", "stub"),
    Student("buggy_db", "bug1", light),
    Student("buggy_ties", "bug2", light),
    Student("stderr", "stderr", with_cell(STDERR_CELL)),
    Student("sys_modules", "stub", with_cell(SYS_MODULES), hostile=True),
    Student("planted", "stub", with_cell(PLANTED), hostile=True),
    Student("patched", "stub", with_cell(PATCHED), hostile=True),
    Student("rewrite", "stub", with_cell(REWRITE), hostile=True),
    Student("hide_values", "stub", with_cell(HIDE_VALUES), hostile=True),
    Student("pass_cells", "stub", with_cell(PASS_CELLS), hostile=True),
    Student("oversized", "stub", with_cell(OVERSIZED), hostile=True),
    Student("gradebook", "stub", with_cell(GRADEBOOK), hostile=True),
    Student("kill_kernel", "bug1", with_cell(KILL_KERNEL), hostile=True, problem="kernel died"),
    Student("sigint_loop", "bug2", with_cell(SIGINT_LOOP), hostile=True, problem="ran longer than"),
    Student("deleted", "bug1", delete_test_cells, hostile=True, problem="was missing"),
    Student("duplicated", "bug2", duplicate_test_cells, hostile=True, problem="in the notebook 3 times"),
)
