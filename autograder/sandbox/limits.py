"""Limits for the student process, applied between fork and exec.

Always: CPU time, address space, file size (caps what it can print), no core dumps. With full
isolation (root with CAP_SYS_ADMIN, probed by :func:`isolation_level`), also:

* private mount, network and IPC namespaces (no network; System V and POSIX IPC objects die
  with the child), in which the solutions and the repository's ``.git``, ``tests`` and ``bench``
  (which hold copies of them) are empty read-only tmpfs mounts;
* every mount of the host read-only: no folder the host can see is writable from the child,
  whatever its permissions (``/run/lock``, a world-writable folder nobody listed);
* private, writable ``/tmp``, ``/var/tmp`` and ``/dev/shm`` (64 MB each): other sandboxes'
  copies vanish, and what the child writes there dies with it (its own folder, and an
  interpreter living there, are bound back in place);
* an interpreter installed under a folder other users cannot traverse (``/root/.pyenv``) is
  re-exposed, alone;
* then privileges drop to a user id of the sandbox's own, so the child can neither read the
  grader's memory, nor write the grader's files, nor touch another sandbox's processes.

Without full isolation nothing can be hidden; the grader warns.
"""
from __future__ import annotations

import ctypes
import functools
import itertools
import os
import re
import resource
import signal
import stat
import sys
import tempfile
from dataclasses import dataclass, field

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
CLONE_NEWIPC = 0x08000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_REC, MS_PRIVATE = 1024, 2048, 4096, 1 << 14, 1 << 18
MS_RELATIME, MS_STRICTATIME = 1 << 21, 1 << 24
_PER_MOUNT_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
                    "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME, "strictatime": MS_STRICTATIME}
NAMESPACES = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC
UID_BASE, UID_SPAN = 200_000, 100_000    # user ids no account uses: one per student process
PR_SET_PDEATHSIG = 1
try:
    _LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
except OSError:          # pragma: no cover - no C library to call
    _LIBC = None


@dataclass(frozen=True)
class ChildLimits:
    """What the student process may use. Times in seconds, sizes in bytes."""

    cpu_seconds: int = 900
    memory_bytes: int = 3 << 30
    output_bytes: int = 4 << 20
    processes: int = 64
    hidden_paths: tuple[str, ...] = field(default_factory=tuple)


@functools.cache
def isolation_level() -> str:
    """``"full"`` where namespaces can be made (root with CAP_SYS_ADMIN: solutions hidden,
    privileges dropped), else ``"limits-only"`` (e.g. not root, or a container without
    CAP_SYS_ADMIN). Probed once per process, in a forked child."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return "limits-only"
    probe_dir = tempfile.mkdtemp(prefix="cnn-autograder-probe-")
    try:
        pid = os.fork()
        if pid == 0:  # the probe: exit 0 only if it can hide a folder
            code = 1
            try:
                libc = ctypes.CDLL(None, use_errno=True)
                if libc.unshare(NAMESPACES) == 0 \
                        and libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) == 0 \
                        and libc.mount(b"tmpfs", probe_dir.encode(), b"tmpfs", MS_RDONLY, b"size=4k") == 0:
                    code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        return "full" if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else "limits-only"
    finally:
        os.rmdir(probe_dir)


_UID_COUNTER = itertools.count()


def sandbox_uid() -> int:
    """A user id of its own for each student process (none of the system's): processes of
    different sandboxes cannot signal, trace or read each other, and :func:`kill_all` can end
    every process a sandbox started, however it detached."""
    return UID_BASE + (os.getpid() * 64 + next(_UID_COUNTER)) % UID_SPAN


def kill_all(uid: int) -> None:
    """SIGKILL every process of ``uid`` (a helper process takes the uid and kills -1)."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _blocked_ancestors(paths) -> list[tuple[str, str]]:
    """(D, child) pairs: D is not traversable by others and ``D/child`` leads to a needed path."""
    pairs = []
    for path in paths:
        parts = os.path.realpath(path).split(os.sep)[1:]
        current = "/"
        for i, part in enumerate(parts[:-1]):
            current = os.path.join(current, part)
            try:
                mode = os.stat(current).st_mode
            except OSError:
                break
            if not mode & stat.S_IXOTH:
                pair = (current, parts[i + 1])
                if pair not in pairs:
                    pairs.append(pair)
                break
    return pairs


def needed_paths() -> list[str]:
    """What the child must reach: the interpreter, its prefixes and the worker."""
    return [sys.executable, os.path.realpath(sys.executable), sys.prefix, sys.base_prefix,
            os.path.dirname(os.path.abspath(__file__))]


def host_mounts(mountinfo: str | None = None) -> list[tuple[bytes, int]]:
    """Every mount point of this namespace, outermost first, with its per-mount flags (nosuid,
    nodev, noexec, atime) to keep when it is remounted read-only. ``mountinfo``: the text of
    ``/proc/self/mountinfo`` (read when not given)."""
    if mountinfo is None:
        try:
            with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as f:
                mountinfo = f.read()
        except OSError:
            return []
    mounts: list[tuple[bytes, int]] = []
    for line in mountinfo.splitlines():
        fields = line.split(" ")
        if len(fields) < 6:
            continue
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
        flags = 0
        for option in fields[5].split(","):
            flags |= _PER_MOUNT_FLAGS.get(option, 0)
        entry = (os.fsencode(point), flags)
        if entry[0] not in [m for m, _ in mounts]:
            mounts.append(entry)
    return sorted(mounts, key=lambda m: m[0].count(b"/") if m[0] != b"/" else 0)


def _mount(libc, source, target, fstype, flags, data):
    if libc.mount(source, target, fstype, flags, data) != 0:
        raise OSError(ctypes.get_errno(), f"mount {target!r} failed")


def _private_temp_plan(keep: list[str]) -> tuple[list[bytes], list[bytes]]:
    """The shared temporary folders to cover with a private tmpfs, and the paths under them
    that must stay visible (the sandbox's own folder, an interpreter or worker living there)."""
    covers: list[str] = []
    for folder in ("/tmp", "/var/tmp", "/dev/shm", tempfile.gettempdir()):
        real = os.path.realpath(folder)
        if os.path.isdir(real) and real not in covers and not any(real.startswith(c + "/") for c in covers):
            covers.append(real)
    kept = []
    for path in keep:
        real = os.path.realpath(path)
        if os.path.isfile(real):
            real = os.path.dirname(real)
        if any(real.startswith(c + "/") for c in covers) and real not in kept:
            kept.append(real)
    kept = [k for k in kept if not any(k.startswith(o + "/") for o in kept if o != k)]
    return [c.encode() for c in covers], [k.encode() for k in kept]


def make_preexec(limits: ChildLimits, staging: str | None = None, uid: int | None = None,
                 own_folder: str | None = None):
    """A ``preexec_fn`` for :class:`subprocess.Popen` applying ``limits`` in the child.

    With ``uid`` (full isolation only): namespaces, hidden paths, private temporary folders
    (``own_folder`` stays visible), then that user id. ``staging`` is an empty folder any user
    can traverse, used to re-expose the interpreter.
    """
    hidden = tuple(os.path.realpath(p).encode() for p in limits.hidden_paths if os.path.isdir(p))
    reexpose = [(d.encode(), c.encode()) for d, c in _blocked_ancestors(needed_paths())]
    full = uid is not None
    covers, kept = _private_temp_plan(([own_folder] if own_folder else []) + needed_paths())
    own = os.path.realpath(own_folder).encode() if own_folder else None
    mounts = host_mounts() if full else []
    if staging is not None:
        staging_b = staging.encode()

    parent = os.getpid()

    def preexec() -> None:  # runs in the forked child: system calls only
        os.setsid()
        if uid is not None:     # full isolation
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.unshare(NAMESPACES) != 0:
                raise OSError(ctypes.get_errno(), "unshare failed")
            _mount(libc, b"none", b"/", None, MS_REC | MS_PRIVATE, None)
            for i, (folder, child) in enumerate(reexpose):
                keep = staging_b + b"/%d" % i
                os.mkdir(keep)
                _mount(libc, folder + b"/" + child, keep, None, MS_BIND | MS_REC, None)
                _mount(libc, b"tmpfs", folder, b"tmpfs", 0, b"size=64k,mode=0755")
                os.mkdir(folder + b"/" + child)
                _mount(libc, keep, folder + b"/" + child, None, MS_BIND | MS_REC, None)
            # Every host mount read-only in this namespace: nothing the child writes outside its
            # private temporary folders survives it. A mount that refuses (none seen so far)
            # stays as it was; the tests probe every world-writable folder of the host.
            for point, flags in mounts:
                libc.mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags, None)
            for path in hidden:
                _mount(libc, b"tmpfs", path, b"tmpfs", MS_RDONLY, b"size=4k,mode=0555")
            # Private /tmp, /var/tmp, /dev/shm: other sandboxes' folders vanish and what the child
            # writes there dies with it. What it needs under them is bound back in place.
            handles = [os.open(k, os.O_PATH | os.O_DIRECTORY) for k in kept]
            for folder in covers:
                _mount(libc, b"tmpfs", folder, b"tmpfs", 0, b"size=64m,mode=1777")
            for path, handle in zip(kept, handles):
                os.makedirs(path, exist_ok=True)
                _mount(libc, b"/proc/self/fd/%d" % handle, path, None, MS_BIND | MS_REC, None)
                os.close(handle)
            if own is not None:     # the sandbox's folder: the files the grader shares for writing
                _mount(libc, own, own, None, MS_BIND, None)
                _mount(libc, None, own, None, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV, None)
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # Die with the grader: a grader killed (kill -9 of a batch worker) must not leave a
        # student process spinning until its CPU limit. Set last: a change of user id clears it.
        if _LIBC is not None and _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0 \
                and os.getppid() != parent:
            os._exit(1)         # the grader died before the signal was armed

    return preexec
