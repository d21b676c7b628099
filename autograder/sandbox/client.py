"""The grader's side of the sandbox: one student process per submission, restarted after a
crash or a time-out, spoken to in :mod:`wire` messages with a deadline on every request."""
from __future__ import annotations

import io
import os
import secrets
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np

from autograder.sandbox import wire
from autograder.sandbox.limits import ChildLimits, isolation_level, kill_all, make_preexec, sandbox_uid

WORKER = Path(__file__).with_name("worker.py")
Kind = Literal["ok", "exception", "timeout", "crash", "missing", "import_error", "banned",
               "protocol", "unencodable"]


@dataclass(frozen=True)
class Ref:
    """An argument naming a value kept in the child by an earlier call's ``store=``."""

    key: str
    path: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Rng:
    """An argument that becomes ``numpy.random.default_rng(seed)`` in the child."""

    seed: int


@dataclass(frozen=True)
class SandboxLimits:
    """Per-process limits plus the default wall-clock limit of one request (seconds)."""

    child: ChildLimits = field(default_factory=ChildLimits)
    call_timeout: float = 10.0
    import_timeout: float = 20.0
    # Replies are plain values of a few kB; the grader holds ~3 copies of one while decoding, so
    # a cap far below wire.MAX_MESSAGE keeps a student's 1 GB array from exhausting its memory.
    reply_bytes: int = 64 << 20


@dataclass(frozen=True)
class Watched:
    """An array argument handed to the child in a file both processes map, so the grader sees
    with its own eyes whether the call wrote into it (the child's own report may be forged)."""

    value: np.ndarray


@dataclass(frozen=True)
class CallResult:
    """What one call into student code gave: a plain value, or why there is none."""

    kind: Kind
    value: Any = None
    error_type: str = ""
    is_value_error: bool = False
    message: str = ""
    traceback: str = ""
    mutated: tuple[int | str, ...] = ()
    banned: tuple[str, ...] = ()
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


def _to_wire(value: Any, shared: Callable[[np.ndarray], Any] | None = None) -> Any:
    if isinstance(value, Watched):
        return shared(value.value) if shared is not None else value.value
    if isinstance(value, Ref):
        return {"$ref": value.key, "path": list(value.path)}
    if isinstance(value, Rng):
        return {"$rng": int(value.seed)}
    if isinstance(value, tuple):
        return tuple(_to_wire(v, shared) for v in value)
    if isinstance(value, list):
        return [_to_wire(v, shared) for v in value]
    if isinstance(value, dict):
        return {k: _to_wire(v, shared) for k, v in value.items()}
    return value


class Sandbox:
    """A student process over a private copy of the submission's files.

    ``files`` maps file names (``layers.py``) to their bytes; only those are copied.
    """

    def __init__(self, files: dict[str, bytes], limits: SandboxLimits | None = None,
                 hidden_paths: tuple[str, ...] = (), banned: tuple[str, ...] = wire.BANNED_IMPORTS):
        self.limits = limits or SandboxLimits()
        self.banned = tuple(banned)
        self.child_limits = ChildLimits(**{**self.limits.child.__dict__, "hidden_paths": tuple(hidden_paths)})
        self.isolation = isolation_level()
        self.uid = sandbox_uid() if self.isolation == "full" else None
        self._root = Path(tempfile.mkdtemp(prefix="cnn-autograder-"))
        self.dir = self._root / "submission"
        self.dir.mkdir()
        for name, data in files.items():
            (self.dir / name).write_bytes(data)
            (self.dir / name).chmod(0o644)
        self._root.chmod(0o755)
        if self.uid is not None:     # readable by this sandbox's group only; writable by none
            for path in (self.dir, *self.dir.iterdir()):
                os.chown(path, 0, self.uid)
                path.chmod(0o750 if path.is_dir() else 0o640)
        else:
            self.dir.chmod(0o755)
        self._shared = self._root / "shared"       # watched arguments (see Watched)
        self._shared.mkdir()
        if self.uid is not None:
            os.chown(self._shared, 0, self.uid)
            self._shared.chmod(0o750)
        self._log = self._root / "output.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._requests: io.FileIO | None = None
        self._responses: int | None = None
        self._imported: list[str] = []
        self.import_failures: dict[str, CallResult] = {}
        self.restarts = 0

    # -- process ---------------------------------------------------------------------------
    def _start(self) -> None:
        request_r, request_w = os.pipe()
        response_r, response_w = os.pipe()
        staging = tempfile.mkdtemp(prefix="stage-", dir=self._root)
        os.chmod(staging, 0o755)
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.dir), "LANG": "C.UTF-8",
               "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               # Keras (assignment 04): no C++ log noise in the output, CPU only (the grader
               # evaluates models on the CPU, and several sandboxes must not share one GPU)
               "TF_CPP_MIN_LOG_LEVEL": "2", "CUDA_VISIBLE_DEVICES": "-1", "KERAS_HOME": "/tmp/.keras"}
        for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            if key in os.environ:
                env[key] = os.environ[key]
        log = open(self._log, "ab")
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-I", str(WORKER), str(request_r), str(response_w), str(self.dir),
                 ",".join(self.banned), str(self._shared)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                cwd=str(self.dir), pass_fds=(request_r, response_w),
                preexec_fn=make_preexec(self.child_limits, staging, self.uid, str(self._root)))
        finally:
            log.close()
            os.close(request_r)
            os.close(response_w)
        self._requests = os.fdopen(request_w, "wb", buffering=0)
        self._responses = response_r
        for module in list(self._imported):
            reply = self._request({"op": "import", "module": module}, self.limits.import_timeout)
            if reply.kind != "ok":
                self._imported.remove(module)
                self.import_failures[module] = reply

    def _kill(self) -> None:
        if self._proc is not None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            if self.uid is not None:        # what it forked and detached (setsid) goes too
                kill_all(self.uid)
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            self._proc = None
        if self._requests is not None:
            try:
                self._requests.close()
            except OSError:
                pass
            os.close(cast(int, self._responses))      # opened with _requests, in _start
            self._requests = self._responses = None

    def close(self) -> None:
        """Stop the child and delete the copy of the submission."""
        self._kill()
        shutil.rmtree(self._root, ignore_errors=True)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def output_tail(self, limit: int = 1500) -> str:
        """The end of what student code printed (stdout and stderr), for messages."""
        try:
            with open(self._log, "rb") as f:
                f.seek(max(0, os.path.getsize(self._log) - limit))
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    # -- requests --------------------------------------------------------------------------
    def _read(self, size: int, deadline: float) -> bytes:
        responses = cast(int, self._responses)     # the child's pipe: a request starts it first
        chunks: list[bytes] = []
        remaining = size
        while remaining:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([responses], [], [], left)
            if not ready:
                raise TimeoutError
            chunk = os.read(responses, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _pending(self) -> bool:
        """Whether the child has written something nobody asked for (or died) since its last reply."""
        ready, _, _ = select.select([cast(int, self._responses)], [], [], 0)
        return bool(ready)

    def _request(self, request: dict[str, Any], timeout: float) -> CallResult:
        """Send one request and read its reply. Each request carries a fresh random id that the
        reply must echo: a frame the child writes out of turn (a thread, a ``__del__``, a forged
        reply) has another id or arrives unasked, and then, as for any undecodable frame, the
        child is restarted and the request fails as ``protocol`` (the grader runs that check
        again in the fresh child, see :func:`autograder.grading.runner._run_one`)."""
        if self._proc is not None and self._pending():
            self._restart()         # written between requests: a fresh child for this one
            if _holds_ref(request) or request.get("op") == "stored":     # ... which lost the values it names
                return CallResult("protocol", message="the student process wrote to the grader "
                                  "out of turn, so it was restarted and the values it kept are lost")
        if self._proc is None:
            self._start()
        self._trim_log()
        rid = secrets.token_hex(8)
        deadline = time.monotonic() + timeout
        start = time.monotonic()
        shared: list[tuple[Path, np.ndarray]] = []
        try:
            tree = _to_wire({**request, "id": rid}, lambda a: self._share(a, shared))
            wire.write_frame(self._requests, wire.encode(tree, markers=True))
            (size,) = struct.unpack(">Q", self._read(8, deadline))
            if size > self.limits.reply_bytes:
                raise wire.WireError(f"a reply of {size} bytes, more than the limit of "
                                     f"{self.limits.reply_bytes >> 20} MB")
            reply = wire.decode(self._read(size, deadline), clean=True)
            if not isinstance(reply, dict) or not isinstance(reply.get("ok"), bool):
                raise wire.WireError("reply is not a result record")
            if reply.get("id") != rid:
                raise wire.WireError("a reply out of turn (not the answer to this request: a "
                                     "thread, a __del__ or a generator writing to the grader?)")
            if self._pending():
                raise wire.WireError("more than one reply to one request (something in the "
                                     "submission writes to the grader's channel)")
            written = [i for i, (path, array) in enumerate(shared) if _changed(path, array)]
        except TimeoutError:
            self._restart()
            return CallResult("timeout", message=f"no answer within {timeout:g} s",
                              elapsed=time.monotonic() - start)
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError) as exc:
            code = self._exit_code()
            self._restart()
            return CallResult("crash", message=_death_reason(code, exc), elapsed=time.monotonic() - start)
        except wire.WireError as exc:
            self._restart()
            return CallResult("protocol", message=wire.sanitize(str(exc), 300),
                              elapsed=time.monotonic() - start)
        finally:
            for path, _ in shared:
                try:
                    path.unlink()
                except OSError:
                    pass
        banned = tuple(wire.sanitize(b, 60, one_line=True) for b in reply.get("banned", [])
                       if isinstance(b, str))[:20]
        if reply["ok"]:
            reported = [m for m in reply.get("mutated", []) if type(m) in (int, str)][:20]
            keys = self._shared_keys(request, shared)
            mutated = tuple(dict.fromkeys([keys[i] for i in written] + reported))
            return CallResult("ok", value=reply.get("value"), mutated=mutated, banned=banned,
                              elapsed=time.monotonic() - start)
        kind: Kind = reply["kind"] if reply.get("kind") in ("exception", "missing", "unencodable") else "protocol"
        return CallResult(kind, error_type=wire.sanitize(str(reply.get("error_type", "")), 100, one_line=True),
                          is_value_error=reply.get("is_value_error") is True,
                          message=wire.sanitize(str(reply.get("message", "")), 2000),
                          traceback=wire.sanitize(str(reply.get("traceback", "")), 4000), banned=banned,
                          elapsed=time.monotonic() - start)

    def _share(self, array: np.ndarray, shared: list[tuple[Path, np.ndarray]]) -> np.ndarray | dict[str, Any]:
        """Write ``array`` to a file of the shared folder the child maps as its argument."""
        array = np.ascontiguousarray(array)
        if array.size == 0 or array.dtype.kind not in "biufc":
            return array
        path = self._shared / f"a{len(shared)}-{secrets.token_hex(4)}"
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
            if self.uid is not None:     # the sandbox's group may write it (umask aside)
                os.fchown(f.fileno(), 0, self.uid)
                os.fchmod(f.fileno(), 0o660)
            f.write(array.tobytes())
        shared.append((path, array))
        return {"$shared": path.name, "dtype": array.dtype.str, "shape": list(array.shape)}

    @staticmethod
    def _shared_keys(request: dict[str, Any], shared: list[tuple[Path, np.ndarray]]) -> list[int | str]:
        """The argument (position or keyword) each shared file stood for, in sharing order."""
        keys: list[int | str] = []
        for key, value in list(enumerate(request.get("args", []))) + list(request.get("kwargs", {}).items()):
            if isinstance(value, Watched) and value.value.size and value.value.dtype.kind in "biufc":
                keys.append(key)
        return keys + ["?"] * (len(shared) - len(keys))

    def _exit_code(self) -> int | None:
        """The dead child's exit status (its pipe can close a moment before it is reaped)."""
        if self._proc is None:
            return None
        try:
            return self._proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return None

    def _trim_log(self) -> None:
        """Empty the output log before a request, so that every request has the whole output
        budget (RLIMIT_FSIZE caps the log's size; the child appends, so it writes from 0 again)
        and 100 MB printed by one function cannot make a later function's print fail."""
        try:
            if os.path.getsize(self._log):
                os.truncate(self._log, 0)
        except OSError:
            pass

    def _restart(self) -> None:
        self._kill()
        self.restarts += 1

    def restart(self) -> None:
        """Start afresh: a new student process on the next request (kept values are lost)."""
        self._restart()

    def import_module(self, module: str) -> CallResult:
        """Import ``module`` (``layers``) in the child; failures are remembered."""
        if module in self.import_failures:
            return self.import_failures[module]
        if module in self._imported and self._proc is not None:
            return CallResult("ok")
        result = self._request({"op": "import", "module": module}, self.limits.import_timeout)
        if result.kind == "ok":
            if module not in self._imported:
                self._imported.append(module)
        else:
            failure = CallResult("import_error", error_type=result.error_type or result.kind,
                                 message=result.message, traceback=result.traceback,
                                 banned=result.banned)
            self.import_failures[module] = failure
            return failure
        return result

    def call(self, module: str, function: str, *args: Any, store: str | None = None,
             select: tuple[int, ...] | None = None, timeout: float | None = None,
             watch: bool = False, **kwargs: Any) -> CallResult:
        """Call ``module.function(*args, **kwargs)`` in the child; keep the result as ``store``.

        ``select``: when the result is a tuple, send back only these items (others come back
        as ``Opaque("_Skipped")``), e.g. ``(0,)`` for a forward pass whose cache stays there.
        ``watch``: hand every array argument over in a shared file and report in ``mutated``
        the ones the call wrote into, as the grader reads them back (:class:`Watched`).
        """
        imported = self.import_module(module)
        if imported.kind != "ok":
            return imported
        if watch:
            args = tuple(Watched(a) if type(a) is np.ndarray else a for a in args)
            kwargs = {k: Watched(v) if type(v) is np.ndarray else v for k, v in kwargs.items()}
        return self._request({"op": "call", "module": module, "function": function,
                              "args": list(args), "kwargs": kwargs, "store": store,
                              "select": list(select) if select is not None else None},
                             timeout or self.limits.call_timeout)

    def attr(self, module: str, name: str, timeout: float | None = None) -> CallResult:
        """Read ``module.name`` (a plain value) from the child."""
        imported = self.import_module(module)
        if imported.kind != "ok":
            return imported
        return self._request({"op": "attr", "module": module, "name": name},
                             timeout or self.limits.call_timeout)

    def probe(self, name: str, *args: Any, store: str | None = None, timeout: float | None = None,
              **kwargs: Any) -> CallResult:
        """Run the grader's helper ``probes.name(*args, **kwargs)`` in the child (on values
        kept there, e.g. a Keras model a student function returned); keep the result as
        ``store``. The helpers (:mod:`autograder.sandbox.probes`) turn such objects into plain
        values; their answers are only as trustworthy as the child, see that module."""
        return self._request({"op": "probe", "name": name, "args": list(args), "kwargs": kwargs,
                              "store": store}, timeout or self.limits.call_timeout)

    def call_stored(self, key: str, path: tuple[Any, ...] = (), timeout: float | None = None) -> CallResult:
        """Send back (part of) a value kept by an earlier call's ``store=``."""
        if self._proc is None:
            return CallResult("crash", message="the student process was restarted, so kept values are lost")
        return self._request({"op": "stored", "key": key, "path": list(path)}, timeout or self.limits.call_timeout)

    def forget(self) -> CallResult:
        """Drop the values kept in the child (between checks). Not ``ok`` when dropping them
        ran student code that misbehaved (a ``__del__`` that hangs, crashes or writes to the
        grader's channel): the check that made those values answers for it."""
        if self._proc is None:
            return CallResult("ok")
        return self._request({"op": "forget"}, self.limits.call_timeout)


def _holds_ref(value: object) -> bool:
    """Whether a request names values kept in the child (lost when it restarts)."""
    if isinstance(value, Ref):
        return True
    if isinstance(value, (tuple, list)):
        return any(_holds_ref(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_ref(v) for v in value.values())
    return False


def _changed(path: Path, original: np.ndarray) -> bool:
    """Whether the shared file no longer holds ``original``'s bytes (read by the grader)."""
    try:
        with open(path, "rb") as f:
            data = f.read(original.nbytes + 1)
    except OSError:
        return True
    return data != original.tobytes()


def _death_reason(code: int | None, exc: BaseException) -> str:
    if code is None:
        return f"the student process stopped answering ({type(exc).__name__})"
    if code < 0:
        sig = -code
        names: dict[int, str] = {signal.SIGKILL: "killed (memory or CPU limit)", signal.SIGXCPU: "CPU time limit",
                 signal.SIGXFSZ: "printed more output than allowed", signal.SIGSEGV: "segmentation fault"}
        return f"the student process died: {names.get(sig, signal.Signals(sig).name)}"
    return f"the student process exited with code {code} (sys.exit or os._exit in the submission?)"
