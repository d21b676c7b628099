"""Where and as whom a submitted notebook runs during ``nbgrader autograde``.

The kernel runs in a **scratch copy** of the submission's folder (under the system's temporary
folder, outside the course directory), with a clean environment, and, with full isolation
(root with CAP_SYS_ADMIN, as the grader's sandbox: :mod:`autograder.sandbox.limits`):

* as a **user id of its own**, in private mount, network and IPC namespaces, with every host
  mount read-only but the scratch folder, and the course directory (``gradebook.db``, every
  student's ``submitted/`` and ``autograded/``), the solutions, the exchange and the
  repository's ``.git``/``tests``/``bench`` covered by empty mounts;
* talking to nbgrader over Unix sockets in the scratch folder (it has no network);
* and when the notebook is done, every process of that user id is killed (a process the
  notebook detached cannot write anything later), and the scratch folder is removed.

The kernel starts through ``python -m autograder.nbgrader.confinement SPEC -- KERNEL...``: this
module's :func:`main` forks a child that applies the confinement described in the JSON file
SPEC and execs the kernel, and stays its parent (signals passed on, the kernel dies with it).
Without full isolation the kernel still runs in the scratch copy with a clean environment, in
a session of its own that is killed afterwards; nbgrader logs a warning.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from autograder.sandbox.limits import ChildLimits, isolation_level, kill_all, make_preexec, sandbox_uid

MAX_COPY_BYTES = 512 << 20          # what the scratch copy of one submission may hold


@dataclass
class Confinement:
    """The scratch folder of one notebook run, and the user id it runs as (None: no isolation)."""

    root: Path
    uid: int | None
    env: dict
    pids: list[int] = field(default_factory=list)     # the kernels started (their sessions)

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def ipc(self) -> Path:
        return self.root / "ipc"

    @property
    def spec(self) -> Path:
        return self.root / "confinement.json"

    @classmethod
    def create(cls, folder: str | Path, hidden: list[str], *, cpu_seconds: int, memory_bytes: int,
               lang: str = "en") -> Confinement:
        """A scratch copy of ``folder`` (regular files only, notebooks left out) for one run."""
        full = isolation_level() == "full"
        uid = sandbox_uid() if full else None
        root = Path(tempfile.mkdtemp(prefix="cnn-autograder-nb-"))
        home = root / "home"
        for sub in ("work", "home", "ipc", "stage"):
            (root / sub).mkdir()
        _copy_regular_files(Path(folder), root / "work")
        env = {"PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"), "HOME": str(home),
               "LANG": "C.UTF-8", "TMPDIR": str(home), "IPYTHONDIR": str(home / ".ipython"),
               "MPLCONFIGDIR": str(home / ".matplotlib"), "MPLBACKEND": "Agg",
               "XDG_CACHE_HOME": str(home / ".cache"), "XDG_CONFIG_HOME": str(home / ".config"),
               "JUPYTER_RUNTIME_DIR": str(home / ".runtime"), "PYTHONDONTWRITEBYTECODE": "1",
               "PYDEVD_DISABLE_FILE_VALIDATION": "1", "NBGRADER_EXECUTION": "autograde",
               "CNN_AUTOGRADER_LANG": lang}
        confinement = cls(root, uid, env)
        if uid is not None:
            spec = {"uid": uid, "own": str(root), "staging": str(root / "stage"),
                    "work": str(root / "work"),
                    "hidden": _outermost([h for h in hidden if os.path.isdir(h)]),
                    "cpu_seconds": cpu_seconds, "memory_bytes": memory_bytes,
                    "output_bytes": 256 << 20, "processes": 256}
            confinement.spec.write_text(json.dumps(spec), encoding="utf-8")
            os.chmod(confinement.spec, 0o600)
            os.chmod(root, 0o755)
            os.chmod(root / "stage", 0o755)
            for path in (root / "work", home, root / "ipc"):
                _chown_tree(path, uid)
        return confinement

    def command(self, kernel: list[str]) -> list[str]:
        """The command that starts ``kernel`` confined."""
        if self.uid is None:
            return kernel
        return [sys.executable, "-m", "autograder.nbgrader.confinement", str(self.spec), "--", *kernel]

    def close(self) -> None:
        """Kill whatever the notebook left running, then remove the scratch folder."""
        if self.uid is not None:
            kill_all(self.uid)
        for pid in self.pids:
            try:
                os.killpg(pid, signal.SIGKILL)      # the kernel's session (its launcher made one)
            except OSError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


def _copy_regular_files(source: Path, target: Path) -> None:
    """Copy the regular files below ``source`` (never through a link), notebooks left out."""
    total = 0
    for folder, dirs, files in os.walk(source, followlinks=False):
        relative = Path(folder).relative_to(source)
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or name.endswith(".ipynb"):
                continue
            total += info.st_size
            if total > MAX_COPY_BYTES:
                return
            shutil.copyfile(path, target / relative / name, follow_symlinks=False)


def _chown_tree(path: Path, uid: int) -> None:
    os.chown(path, uid, uid)
    for folder, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(folder, name), uid, uid, follow_symlinks=False)


def _outermost(paths: list[str]) -> list[str]:
    """The paths not inside another one of them (a mount inside a hidden folder cannot be made)."""
    real = sorted({os.path.realpath(p) for p in paths})
    return [p for p in real if not any(p != q and p.startswith(q.rstrip("/") + "/") for q in real)]


def main(argv: list[str] | None = None) -> None:
    """``python -m autograder.nbgrader.confinement SPEC -- KERNEL...``.

    Forks the kernel's process, which confines itself (the sandbox's preexec: it expects to
    run in a child of the process that prepared it, and to start a session of its own) and
    execs the kernel. This process stays its parent: jupyter_client's signals to it (an
    interrupt is SIGINT to this process's group) are passed on, its death kills the kernel
    (the preexec arms PR_SET_PDEATHSIG), and it exits with the kernel's status.
    """
    argv = sys.argv[1:] if argv is None else argv
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    kernel = argv[argv.index("--") + 1:]
    limits = ChildLimits(cpu_seconds=spec["cpu_seconds"], memory_bytes=spec["memory_bytes"],
                         output_bytes=spec["output_bytes"], processes=spec["processes"],
                         hidden_paths=tuple(spec["hidden"]))
    preexec = make_preexec(limits, spec["staging"], spec["uid"], spec["own"])
    child = os.fork()
    if child == 0:
        try:
            preexec()
            os.chdir(spec["work"])    # the working folder as mounted now (writable), not as inherited
            os.execv(kernel[0], kernel)
        except BaseException:     # noqa: BLE001 - say why on the kernel's stderr, then fail
            traceback.print_exc()
        finally:
            os._exit(127)
    for signum in FORWARDED:
        signal.signal(signum, lambda number, _frame: _forward(child, number))
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except InterruptedError:
            continue
    code = os.waitstatus_to_exitcode(status)
    os._exit(code if code >= 0 else 128 - code)


FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


def _forward(child: int, number: int) -> None:
    try:
        os.kill(child, number)
    except OSError:
        pass


if __name__ == "__main__":
    main()
