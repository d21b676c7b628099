"""The student process: import the submission's modules and run the calls the grader asks for.

Started by :mod:`autograder.sandbox.client` as ``python -I worker.py REQUEST_FD RESPONSE_FD
SUBMISSION_DIR``, with its stdout/stderr sent to a size-capped file and its limits already set
(:mod:`autograder.sandbox.limits`). It imports nothing of the grader but :mod:`wire` (by path),
so the solutions are never loaded here. Requests (see :mod:`wire` for the value format):

* ``{"op": "import", "module": m}``;
* ``{"op": "call", "module": m, "function": f, "args": [...], "kwargs": {...}, "store": key}``
  where arguments may be ``{"$ref": key, "path": [...]}`` (a value kept here by an earlier call)
  or ``{"$rng": seed}`` (a fresh ``numpy.random.Generator``), and ``store`` keeps the result;
* ``{"op": "attr", "module": m, "name": n}`` reads a module attribute;
* ``{"op": "stored", "key": k, "path": [...]}`` sends back a kept value (e.g. a returned config);
* ``{"op": "probe", "name": n, "args": [...], "kwargs": {...}, "store": key}`` runs the grader's
  helper ``probes.n`` (loaded by path from this folder) on kept values, e.g. a Keras model's
  layer table;
* ``{"op": "forget"}`` drops kept values.

An argument may also be ``{"$shared": name, "dtype": d, "shape": [...]}``: an array backed by
the file ``name`` of the grader's shared folder (argv[5]), mapped, so the grader reads back
whether the call wrote into it. Every request has an ``id`` that its reply echoes; every reply
says which banned modules have been imported so far.
"""
import errno
import importlib
import importlib.util
import mmap
import os
import resource
import sys
import time
import traceback

_HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("_cnn_autograder_wire", os.path.join(_HERE, "wire.py"))
wire = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]  # a .py file: never None
_spec.loader.exec_module(wire)  # type: ignore[union-attr]  # a .py file: a SourceFileLoader

import numpy as np  # noqa: E402  (after wire, which imports it too)

BANNED = wire.BANNED_IMPORTS          # replaced by the assignment's list (argv[4]) in main()
_probes = None
_NDARRAY = np.ndarray
_TOBYTES = np.ndarray.tobytes
_BASE_EXCEPTION = BaseException
_attempted: list[str] = []


class _Skipped:
    """Stands for a part of a result the grader did not ask to see (a forward's cache)."""


_SKIPPED = _Skipped()


class _BannedImportFinder:
    """Refuses the packages the assignment must not use (frameworks in the numpy assignments,
    the grader and the solutions in all), and records the attempt."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        top = name.partition(".")[0]
        if top in BANNED:
            if top not in _attempted:
                _attempted.append(top)
            raise ImportError(f"importing {top!r} is not allowed in this assignment")
        return None


def _banned_seen():
    loaded = [name for name in BANNED if name in sys.modules]
    return sorted(set(loaded) | set(_attempted))


class Worker:
    def __init__(self, submission_dir):
        self.submission_dir = submission_dir
        self.modules = {}
        self.store = {}

    # -- values --------------------------------------------------------------------------
    def resolve(self, node):
        if isinstance(node, list):
            return [self.resolve(v) for v in node]
        if isinstance(node, tuple):
            return tuple(self.resolve(v) for v in node)
        if isinstance(node, dict):
            if "$ref" in node and len(node) <= 2:
                value = self.store[node["$ref"]]
                for step in node.get("path", []):
                    value = value[step]
                return value
            if "$rng" in node and len(node) == 1:
                return np.random.default_rng(node["$rng"])
            if "$shared" in node and len(node) == 3:
                return _mapped(node["$shared"], node["dtype"], node["shape"])
            return {k: self.resolve(v) for k, v in node.items()}
        return node

    # -- operations ----------------------------------------------------------------------
    def op_import(self, request):
        name = request["module"]
        if name not in self.modules:
            self.modules[name] = importlib.import_module(name)
        return {"ok": True}

    def op_attr(self, request):
        module = self.modules.get(request["module"]) or importlib.import_module(request["module"])
        self.modules[request["module"]] = module
        if not hasattr(module, request["name"]):
            return {"ok": False, "kind": "missing", "message": f"no attribute {request['name']!r}"}
        return {"ok": True, "value": getattr(module, request["name"])}

    def op_call(self, request):
        module = self.modules.get(request["module"])
        if module is None:
            module = self.modules[request["module"]] = importlib.import_module(request["module"])
        function = getattr(module, request["function"], None)
        if function is None or not callable(function):
            return {"ok": False, "kind": "missing",
                    "message": f"{request['module']}.py defines no function {request['function']!r}"}
        args = self.resolve(request.get("args", []))
        kwargs = self.resolve(request.get("kwargs", {}))
        snapshots = {}
        for key, value in list(enumerate(args)) + list(kwargs.items()):
            if type(value) is _NDARRAY:
                snapshots[key] = (value, value.shape, value.dtype, _TOBYTES(value))
        start = time.perf_counter()
        result = function(*args, **kwargs)
        elapsed = time.perf_counter() - start
        mutated = [key for key, (value, shape, dtype, data) in snapshots.items()
                   if value.shape != shape or value.dtype != dtype or _TOBYTES(value) != data]
        if request.get("store"):
            self.store[request["store"]] = result
        select = request.get("select")
        if select is not None and type(result) in (tuple, list):
            result = tuple(v if i in select else _SKIPPED for i, v in enumerate(result))
        return {"ok": True, "value": result, "mutated": mutated, "elapsed": elapsed}

    def op_stored(self, request):
        return {"ok": True, "value": self.resolve({"$ref": request["key"], "path": request.get("path", [])})}

    def op_probe(self, request):
        global _probes
        if _probes is None:
            spec = importlib.util.spec_from_file_location("_cnn_autograder_probes",
                                                          os.path.join(_HERE, "probes.py"))
            _probes = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(_probes)
        function = getattr(_probes, request["name"])
        result = function(*self.resolve(request.get("args", [])), **self.resolve(request.get("kwargs", {})))
        if request.get("store"):
            self.store[request["store"]] = result
        return {"ok": True, "value": result}

    def op_forget(self, request):
        self.store.clear()
        return {"ok": True}

    def handle(self, request):
        try:
            reply = getattr(self, "op_" + request["op"])(request)
        except _BASE_EXCEPTION as exc:  # noqa: BLE001 - student code may raise anything
            reply = {"ok": False, "kind": "exception", "error_type": _type_name(exc),
                     "is_value_error": isinstance(exc, ValueError),
                     "message": _message(exc), "traceback": _student_traceback(exc)}
        reply["banned"] = _banned_seen()
        reply["id"] = request.get("id")
        return reply


def _mapped(name, dtype, shape):
    """A writable array over the shared file ``name`` (a plain ``numpy.ndarray``)."""
    if "/" in name or name.startswith("."):
        raise ValueError(f"bad shared file name {name!r}")
    with open(os.path.join(SHARED_DIR, name), "r+b") as f:
        buffer = mmap.mmap(f.fileno(), 0)
    return np.frombuffer(buffer, dtype=np.dtype(dtype)).reshape(shape)


def _type_name(exc):
    name = type(exc).__name__
    return name[:100] if type(name) is str else "<exception>"


def _message(exc):
    text = _safe_str(exc)
    if type(exc) is OSError and exc.errno == errno.EFBIG:      # RLIMIT_FSIZE on the output log
        limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
        text += f" (the code printed more than the output limit of {limit >> 20} MB: remove the prints)"
    elif isinstance(exc, MemoryError):
        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
        text = (text + " " if text else "") + (f"(out of memory: the limit is {limit / 2**30:.1f} GB; "
                                               f"look for an array far larger than the inputs)")
    return text


def _safe_str(exc):
    try:
        text = str(exc)
    except _BASE_EXCEPTION:  # noqa: BLE001
        text = "<unprintable exception>"
    return text[:4000] if type(text) is str else "<unprintable exception>"


def _student_traceback(exc, limit=6):
    """The last frames of the traceback that belong to the submission, as text."""
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if f.filename.startswith(SUBMISSION_DIR)]
        lines = [f"{os.path.basename(f.filename)}, line {f.lineno}, in {f.name}: {f.line}"
                 for f in frames[-limit:]]
        return "\n".join(lines)
    except _BASE_EXCEPTION:  # noqa: BLE001
        return ""


def main():
    global SUBMISSION_DIR, SHARED_DIR, BANNED
    request_fd, response_fd, SUBMISSION_DIR = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if len(sys.argv) > 4:
        BANNED = tuple(name for name in sys.argv[4].split(",") if name)
    if len(sys.argv) > 5:
        SHARED_DIR = sys.argv[5]
    requests = os.fdopen(request_fd, "rb", buffering=0)
    responses = os.fdopen(response_fd, "wb", buffering=0)
    os.chdir(SUBMISSION_DIR)
    sys.path[:] = [SUBMISSION_DIR] + [p for p in sys.path if p and os.path.abspath(p) != _HERE]
    sys.meta_path.insert(0, _BannedImportFinder)
    sys.stdin = open(os.devnull)
    worker = Worker(SUBMISSION_DIR)
    encode, decode, read_frame, write_frame = wire.encode, wire.decode, wire.read_frame, wire.write_frame
    while True:
        try:
            request = decode(read_frame(requests))
        except EOFError:
            return
        reply = worker.handle(request)
        try:
            payload = encode(reply)
        except _BASE_EXCEPTION as exc:  # noqa: BLE001 - e.g. a result whose __len__ raises
            if isinstance(exc, MemoryError):
                text = "too large to send back: MemoryError while encoding it"
            else:
                text = f"{type(exc).__name__}: {_safe_str(exc)}"
            payload = encode({"ok": False, "kind": "unencodable", "message": text[:2000],
                              "banned": _banned_seen(), "id": request.get("id")})
        # Drop the result before answering: what its finalizers do (a generator's finally, a
        # __del__) happens within this request, which answers for it.
        del reply
        write_frame(responses, payload)
        del payload, request


SUBMISSION_DIR = ""
SHARED_DIR = ""

if __name__ == "__main__":
    main()
