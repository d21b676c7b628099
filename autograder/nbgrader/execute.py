"""``nbgrader autograde``: run the submitted notebook confined, whatever it does.

:class:`ConfinedExecute` replaces nbgrader's ``Execute``. The kernel starts in a scratch copy
of the submission as a user of its own (:mod:`autograder.nbgrader.confinement`); the test
cells of cnn-autograder are not run (their outputs are written later from the trusted grade).
The notebook stops at the first cell that kills the kernel or runs past its time (an
interrupted cell counts: a loop that ignores SIGINT gets no second chance), and at the
notebook's own deadline; outputs beyond a size budget are dropped. Each of these is recorded as
an :class:`~autograder.nbgrader.records.ExecutionEvent` for the feedback, and nothing of it
raises: the submission always reaches nbgrader's SaveAutoGrades.
"""
from __future__ import annotations

import os
import time

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import DeadKernelError
from nbformat import from_dict
from nbgrader.preprocessors import Execute
from traitlets import Any, Integer, default

from autograder.nbgrader.cells import GRADE_PREFIX, grade_id_of
from autograder.nbgrader.confinement import Confinement
from autograder.nbgrader.feedback import excerpt
from autograder.nbgrader.options import CnnAutograder, course_root
from autograder.nbgrader.records import EXECUTION, ExecutionEvent, ExecutionLog
from autograder.paths import REPO_ROOT, solutions_dir

PENDING = {"output_type": "error", "ename": "NotGradedYet",
           "evalue": "cnn-autograder writes this test cell's result from the trusted grade",
           "traceback": ["NotGradedYet: cnn-autograder writes this test cell's result from the "
                         "trusted grade"]}


class ConfinedKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel through a :class:`Confinement`."""

    confinement = Any(None)

    def setup(self, confinement: Confinement) -> None:
        self.confinement = confinement
        self.connection_file = str(confinement.ipc / "kernel.json")
        if confinement.uid is not None:       # no network in the kernel's namespace
            self.transport = "ipc"
            self.ip = str(confinement.ipc / "kernel")

    def write_connection_file(self, **kwargs) -> None:
        super().write_connection_file(**kwargs)
        if self.confinement is not None and self.confinement.uid is not None:
            os.chown(self.connection_file, self.confinement.uid, self.confinement.uid)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        kw["env"] = dict(self.confinement.env)
        kw["cwd"] = str(self.confinement.work)
        await super()._async_launch_kernel(self.confinement.command(kernel_cmd), **kw)
        if self.provisioner is not None and getattr(self.provisioner, "pid", None):
            self.confinement.pids.append(self.provisioner.pid)


class ConfinedExecute(Execute):
    """nbgrader's Execute, confined, bounded, and never failing the submission."""

    notebook_timeout = Integer(1800, help="seconds the whole notebook may run").tag(config=True)
    memory_limit_mb = Integer(16384, help="address space of the kernel, in MiB").tag(config=True)
    max_cell_output_kb = Integer(512, help="output kept per cell, in kB").tag(config=True)
    max_output_kb = Integer(4096, help="output kept per notebook, in kB").tag(config=True)

    @default("shutdown_kernel")
    def _shutdown_default(self) -> str:
        return "immediate"

    def preprocess(self, nb, resources, km=None):
        self._events: list[ExecutionEvent] = []
        self._stopped = False
        self._code_cell = 0
        self._sizes: dict[int, int] = {}
        self._cut: set[int] = set()
        self._timed_out = False
        self._deadline = time.monotonic() + self.notebook_timeout
        options = CnnAutograder(config=self.config)
        folder = resources["metadata"]["path"]
        confinement = Confinement.create(folder, self._hidden(options), cpu_seconds=self.notebook_timeout + 60,
                                         memory_bytes=self.memory_limit_mb << 20, lang=options.language)
        if confinement.uid is None:
            self.log.warning("cnn-autograder: cannot isolate notebooks here (namespaces need root with "
                             "CAP_SYS_ADMIN): the notebook runs as this user in a scratch copy, so it "
                             "could reach the gradebook. Autograde as root (or in Docker with "
                             "--cap-add SYS_ADMIN).")
        self._confinement = confinement
        resources["metadata"]["path"] = str(confinement.work)
        try:
            super().preprocess(nb, resources, km)
        except Exception as exc:  # noqa: BLE001 - the kernel did not start, or died between cells
            self.log.warning("cnn-autograder: the notebook could not be run: %s", exc)
            self._events.append(ExecutionEvent("not_run", detail=f"{type(exc).__name__}: {exc}"[:300]))
        finally:
            resources["metadata"]["path"] = folder
            confinement.close()
        for cell in nb.cells:             # cells never reached: no outputs from an earlier run
            if cell.cell_type == "code" and _ours(cell):
                cell.outputs = [from_dict(PENDING)]
        resources[EXECUTION] = ExecutionLog(self._events, confinement.uid is not None)
        return nb, resources

    def create_kernel_manager(self):
        name = self.kernel_name or self.nb.metadata.get("kernelspec", {}).get("name") or "python3"
        self.kernel_name = name
        self.km = ConfinedKernelManager(kernel_name=name, config=self.config)
        self.km.setup(self._confinement)
        return self.km

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        self._code_cell += 1
        if _ours(cell) or self._stopped:
            cell.outputs = [from_dict(PENDING)] if _ours(cell) else []
            cell.execution_count = None
            return cell, resources
        if time.monotonic() >= self._deadline:
            self._stop("notebook_timeout", cell, self.notebook_timeout)
            cell.outputs = []
            return cell, resources
        self._timed_out = False
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stop("kernel_died", cell)
        except Exception as exc:  # noqa: BLE001 - a timeout the interrupt did not end, a lost kernel
            self.log.warning("cnn-autograder: stopped the notebook at cell %d: %s", index, exc)
            self._stop_after_timeout(cell)
        else:
            if self._timed_out:
                self._stop_after_timeout(cell)
        if index in self._cut:
            self._events.append(ExecutionEvent("output_cut", self._code_cell, excerpt(cell.source),
                                               limit=self.max_cell_output_kb))
        return cell, resources

    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        remaining = max(1, int(self._deadline - time.monotonic()))
        return remaining if timeout is None else min(timeout, remaining)

    async def _async_handle_timeout(self, timeout, cell=None):
        self._timed_out = True
        return await super()._async_handle_timeout(timeout, cell)

    def process_message(self, msg, cell, cell_index):
        size = _payload_size(msg.get("content", {}))
        if size and msg.get("msg_type") != "status":
            used = self._sizes.get(cell_index, 0) + size
            self._sizes[cell_index] = used
            if used > self.max_cell_output_kb << 10 or sum(self._sizes.values()) > self.max_output_kb << 10:
                self._cut.add(cell_index)
                return None
        return super().process_message(msg, cell, cell_index)

    def _stop_after_timeout(self, cell) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 1:
            self._stop("notebook_timeout", cell, self.notebook_timeout)
        else:
            self._stop("cell_timeout", cell, self.timeout or 0)

    def _stop(self, kind, cell, limit: float = 0.0) -> None:
        self._stopped = True
        self._events.append(ExecutionEvent(kind, self._code_cell, excerpt(cell.source), float(limit)))

    def _hidden(self, options: CnnAutograder) -> list[str]:
        """What the kernel must not see: the course directory (gradebook.db, every student's
        files), the exchange, the solutions and the repository's copies of them."""
        exchange = self.config.get("Exchange", {}).get("root", "/srv/nbgrader/exchange")
        return [course_root(self.config), str(exchange), str(solutions_dir(options.solutions_or_none)),
                *(str(REPO_ROOT / d) for d in (".git", "tests", "bench", "solutions"))]


def _ours(cell) -> bool:
    grade_id = grade_id_of(cell)
    return grade_id is not None and grade_id.startswith(GRADE_PREFIX) and \
        bool(cell.get("metadata", {}).get("nbgrader", {}).get("grade"))


def _payload_size(value, depth: int = 6) -> int:
    """About how many characters a message carries (its strings, walked to a bounded depth)."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if depth <= 0:
        return 0
    if isinstance(value, dict):
        return sum(_payload_size(v, depth - 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_payload_size(v, depth - 1) for v in value)
    return 0
