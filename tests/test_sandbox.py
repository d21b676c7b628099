"""The sandbox: the wire format's plain values, and a student process that answers calls, is
restarted after a crash or a time-out, and (as root) runs as a user of its own, without network, without
the grader's environment and without sight of the solutions."""
from __future__ import annotations

import io
import json
import math
import os
import shutil
import socket
import struct
import subprocess
import sys
import time

import numpy as np
import pytest

from autograder.grading.runner import banned_package_dirs, hidden_paths
from autograder.paths import REPO_ROOT
from autograder.sandbox import Ref, Rng, Sandbox, SandboxLimits
from autograder.sandbox.limits import UID_BASE, UID_SPAN, ChildLimits, isolation_level
from autograder.sandbox.wire import MAX_MESSAGE, Opaque, ScalarValue, WireError, decode, encode, read_frame, write_frame

from grading_helpers import SOLUTIONS

ROOT_ONLY = pytest.mark.skipif(isolation_level() != "full", reason="namespaces and setuid need root with CAP_SYS_ADMIN")
NUMERIC = ["?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16"]
FAST = SandboxLimits(ChildLimits(memory_bytes=1 << 30), call_timeout=5, import_timeout=10)


# ---------------------------------------------------------------------------
# The wire format
# ---------------------------------------------------------------------------

def same(a, b) -> bool:
    """Equal in type and value, NaN equal to NaN and -0.0 told from 0.0; arrays bit for bit."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if isinstance(a, ScalarValue):
        return a.value.dtype == b.value.dtype and a.value.tobytes() == b.value.tobytes()
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def roundtrip(value, markers: bool = False):
    return decode(encode(value, markers=markers))


PLAIN = [None, True, False, 0, -7, 2**63 - 1, -2**63, 1.5, -0.0, math.inf, -math.inf, math.nan,
         "", "héllo ∑ \x00 \"quoted\"", [], [1, [2.5, [None, "x"]]], (), (1, (2, (3, ("deep",))), []),
         {"a": 1, "b": {"c": (1, [2, {"d": None}])}}, {"": math.nan}]


@pytest.mark.parametrize("value", PLAIN, ids=repr)
def test_plain_python_values_round_trip(value):
    assert same(roundtrip(value), value)


@pytest.mark.parametrize("dtype", NUMERIC)
def test_arrays_of_every_numeric_dtype_round_trip(dtype):
    array = (np.arange(12) % 3 == 1) if dtype == "?" else np.arange(12).astype(dtype)
    for value in (array.reshape(3, 4), array.reshape(2, 3, 2)[:, ::2], np.asfortranarray(array.reshape(4, 3)),
                  array[:0].reshape(0, 3), np.array(array[5])):
        back = roundtrip(value)
        assert type(back) is np.ndarray and back.dtype == value.dtype and back.shape == value.shape
        assert back.tobytes() == np.ascontiguousarray(value).tobytes()
        assert back.flags.writeable and back.flags.c_contiguous


@pytest.mark.parametrize("dtype", NUMERIC)
def test_numpy_scalars_round_trip_as_scalars(dtype):
    scalar = np.dtype(dtype).type(1)
    back = roundtrip(scalar)
    assert isinstance(back, ScalarValue) and same(back, ScalarValue(scalar))
    assert back == ScalarValue(scalar) and back != ScalarValue(np.dtype(dtype).type(0))


def test_non_finite_values_and_byte_orders_survive():
    values = np.array([np.nan, np.inf, -np.inf, -0.0, 1e-310], dtype=">f8")
    back = roundtrip({"a": values, "c": np.array([complex(np.nan, np.inf)], dtype="c8"),
                      "s": np.float32("nan"), "t": (np.array(np.inf),)})
    assert back["a"].dtype == np.dtype(">f8") and back["a"].tobytes() == values.tobytes()
    assert np.isnan(back["c"][0].real) and np.isinf(back["c"][0].imag)
    assert back["s"] == ScalarValue(np.float32("nan"))
    assert back["t"][0].shape == () and back["t"][0] == np.inf


def test_python_ints_beyond_64_bits_become_floats():
    assert same(roundtrip(2**70), float(2**70))


class Cache:
    pass


class LyingArray(np.ndarray):
    def __eq__(self, other):
        return True


class LyingFloat(float):
    def __eq__(self, other):
        return True


NOT_PLAIN = {                                   # id: (value, the type name it travels as)
    "object": (object(), "object"), "instance": (Cache(), "Cache"), "set": ({1, 2}, "set"),
    "bytes": (b"bytes", "bytes"), "function": (len, "builtin_function_or_method"),
    "ndarray_subclass": (np.zeros(3).view(LyingArray), "LyingArray"),
    "float_subclass": (LyingFloat(1.0), "LyingFloat"), "masked": (np.ma.masked_array([1.0]), "MaskedArray"),
    "object_array": (np.array([1, "a"], dtype=object), "ndarray of dtype object (not numbers)"),
    "structured_array": (np.zeros(2, dtype="i4,f8"),
                         "ndarray of dtype [('f0', '<i4'), ('f1', '<f8')] (not numbers)"),
    "datetime_array": (np.array(["2020-01-01"], dtype="M8[D]"), "ndarray of dtype datetime64[D] (not numbers)"),
    "datetime_scalar": (np.datetime64("2020-01-01"), "datetime64"),
    "int_keys": ({1: "int key"}, "dict"),
    "forged_nd": ({"$nd": 0, "dtype": "<f8", "shape": [1], "type": "ndarray"}, "dict"),
    "forged_tuple": ({"$tuple": [1, 2]}, "dict"), "forged_opaque": ({"$opaque": "ndarray"}, "dict"),
    "forged_ref": ({"$ref": "v1", "path": []}, "dict"), "forged_rng": ({"$rng": 1}, "dict"),
    "any_dollar_key": ({"ok": 1, "$x": 2}, "dict"),
}


@pytest.mark.parametrize("value, name", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_values_that_are_not_plain_become_opaque(value, name):
    back = roundtrip([1, value, {"nested": (value,)}])
    assert back[0] == 1
    assert isinstance(back[1], Opaque) and back[1].type_name == name
    assert back[2]["nested"][0] == Opaque(name)


def test_only_the_grader_may_send_markers():
    request = {"args": [{"$ref": "v1", "path": [1]}, {"$rng": 7}]}
    assert roundtrip(request, markers=True) == request
    assert roundtrip({"$tuple": [1, 2]}, markers=True) == (1, 2)
    assert roundtrip(request) == {"args": [Opaque("dict"), Opaque("dict")]}


def test_values_nested_too_deep_are_refused():
    value = 0
    for _ in range(70):
        value = [value]
    with pytest.raises(WireError, match="nested more than 64"):
        encode(value)


def _message(tree, buffers=(), header: bytes | None = None) -> bytes:
    header = json.dumps(tree).encode() if header is None else header
    parts = [struct.pack(">QQ", len(header), len(buffers)), header]
    for buf in buffers:
        parts += [struct.pack(">Q", len(buf)), buf]
    return b"".join(parts)


GOOD = encode({"x": np.arange(3.0), "y": (1, "two")})
ND = {"$nd": 0, "dtype": "<f8", "shape": [2], "type": "ndarray"}


MALFORMED = {
    "empty": (b"", "shorter than"),
    "no_prefix": (GOOD[:15], "shorter than"),
    "last_byte_cut": (GOOD[:-1], "truncated"),
    "cut_in_header": (GOOD[:40], "truncated|not JSON|announces"),
    "trailing": (GOOD + b"x", "trailing bytes"),
    "huge_header_len": (struct.pack(">QQ", 1 << 40, 0) + b"{}", "announces more"),
    "huge_count": (struct.pack(">QQ", 2, 1 << 40) + b"{}", "announces more"),
    "bad_json": (_message(None, header=b"{not json"), "not JSON"),
    "not_utf8": (_message(None, header=b"\xff\xfe"), "not JSON"),
    "json_too_deep": (_message(None, header=b"[" * 100_000 + b"]" * 100_000), "not JSON"),
    "object_dtype": (_message(dict(ND, dtype="|O"), [b"\x00" * 16]), "bad array node"),
    "void_dtype": (_message(dict(ND, dtype="|V8"), [b"\x00" * 16]), "bad array node"),
    "unknown_dtype": (_message(dict(ND, dtype="no such dtype"), [b"\x00" * 16]), "malformed node"),
    "buffer_short": (_message(ND, [b"\x00" * 15]), "needs 16 bytes, got 15"),
    "shape_too_big": (_message(dict(ND, shape=[3]), [b"\x00" * 16]), "needs 24 bytes"),
    "negative_shape": (_message(dict(ND, shape=[-2]), [b"\x00" * 16]), "bad array shape"),
    "shape_not_list": (_message(dict(ND, shape=2), [b"\x00" * 16]), "malformed node"),
    "no_such_buffer": (_message(dict(ND, **{"$nd": 3}), [b"\x00" * 16]), "bad array node"),
    "array_fields_missing": (_message({"$nd": 0}, [b"\x00" * 16]), "malformed node"),
    "tuple_not_list": (_message({"$tuple": 5}), "malformed node"),
}


@pytest.mark.parametrize("data, match", MALFORMED.values(), ids=MALFORMED.keys())
def test_decode_rejects_malformed_messages(data, match):
    with pytest.raises(WireError, match=match):
        decode(data)


def test_frames_announcing_too_much_are_refused_before_reading():
    stream = io.BytesIO(struct.pack(">Q", MAX_MESSAGE + 1) + b"tiny")
    with pytest.raises(WireError, match="exceeds the limit"):
        read_frame(stream)
    with pytest.raises(WireError, match="exceeds the limit"):
        read_frame(io.BytesIO(struct.pack(">Q", 101) + b"x" * 101), limit=100)
    with pytest.raises(EOFError):
        read_frame(io.BytesIO(struct.pack(">Q", 10) + b"short"))
    out = io.BytesIO()
    write_frame(out, GOOD)
    assert read_frame(io.BytesIO(out.getvalue())) == GOOD


# ---------------------------------------------------------------------------
# The student process
# ---------------------------------------------------------------------------

PROBE = b'''
import importlib
import os
import resource
import socket
import sys

import numpy as np

COUNT = 0


class Cache:
    def __init__(self, x):
        self.x = x


def forward(x):
    return x * 2, Cache(x)


def backward(dout, cache):
    return dout * cache.x


def weights():
    return {"w": np.arange(3.0), "b": (np.ones(2), "bias")}


def echo(*args, **kwargs):
    return args, kwargs


def draw(rng):
    return rng.normal(size=3)


def inplace(a, b, c=None, d=None):
    b += 1
    c[0] = 5
    d.shape = (d.size,)
    return 0


def bump():
    global COUNT
    COUNT += 1
    return COUNT, os.getpid()


def spin():
    while True:
        pass


def leave(code):
    os._exit(code)


def flood(nbytes):
    sys.stdout.write("x" * nbytes)
    sys.stdout.flush()


def hello():
    print("hello from the child")
    sys.stdout.flush()
    return "ok"


def big(nbytes):
    return np.zeros(nbytes // 8)


def nested(depth):
    value = 0
    for _ in range(depth):
        value = [value]
    return value


def forged():
    return ({"$nd": 0, "dtype": "<f8", "shape": [1], "type": "ndarray"}, {"$opaque": "ndarray"},
            {"ok": True, "$tuple": [1]})


def garbage():
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}").startswith("pipe:"):
                os.write(int(name), b"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x05{bad}")
        except OSError:
            pass
    return 1


def sneaky_import():
    try:
        importlib.import_module("sc" + "ipy")
    except ImportError as exc:
        return str(exc)


def ids():
    return os.getuid(), os.geteuid(), os.getgid(), os.getegid(), os.getgroups()


def listdir(path):
    try:
        return sorted(os.listdir(path))
    except OSError as exc:
        return type(exc).__name__


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError as exc:
        return type(exc).__name__


def connect(port):
    with socket.socket() as s:
        s.settimeout(3)
        try:
            s.connect(("127.0.0.1", port))
        except OSError as exc:
            return type(exc).__name__
        return "connected"


def environment():
    return dict(os.environ), read(f"/proc/{os.getppid()}/environ")


def limits():
    return {name: resource.getrlimit(getattr(resource, name))
            for name in ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_CORE", "RLIMIT_NPROC")}
'''


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox({"probe.py": PROBE}, FAST, hidden_paths()) as box:
        yield box


def test_ref_and_select_keep_the_cache_in_the_child(sandbox):
    x = np.arange(4.0)
    result = sandbox.call("probe", "forward", x, store="f", select=(0,))
    assert result.ok and np.array_equal(result.value[0], 2 * x)
    assert result.value[1] == Opaque("_Skipped")
    assert sandbox.call("probe", "forward", x).value[1] == Opaque("Cache")
    back = sandbox.call("probe", "backward", np.full(4, 3.0), Ref("f", (1,)))
    assert back.ok and np.array_equal(back.value, 3 * x)
    assert sandbox.call("probe", "weights", store="w").ok
    echoed = sandbox.call("probe", "echo", Ref("w", ("b", 0)), Ref("w"), key=Ref("w", ("w",)))
    args, kwargs = echoed.value
    assert np.array_equal(args[0], np.ones(2)) and args[1]["b"][1] == "bias"
    assert np.array_equal(kwargs["key"], np.arange(3.0))
    sandbox.forget()
    assert sandbox.call("probe", "backward", x, Ref("f", (1,))).kind == "exception"


def test_rng_arguments_become_generators(sandbox):
    drawn = sandbox.call("probe", "draw", Rng(42)).value
    assert np.array_equal(drawn, np.random.default_rng(42).normal(size=3))


def test_mutated_arguments_are_reported_by_position_and_name(sandbox):
    result = sandbox.call("probe", "inplace", np.zeros(2), np.zeros(2), c=np.zeros(2), d=np.zeros((2, 2)))
    assert result.ok and sorted(map(str, result.mutated)) == ["1", "c", "d"]
    assert sandbox.call("probe", "echo", np.zeros(2)).mutated == ()


def test_values_sent_back_cannot_forge_markers(sandbox):
    value = sandbox.call("probe", "forged").value
    assert value == (Opaque("dict"), Opaque("dict"), Opaque("dict"))


def test_missing_functions_and_unencodable_results(sandbox):
    assert sandbox.call("probe", "no_such_function").kind == "missing"
    result = sandbox.call("probe", "nested", 100)
    assert result.kind == "unencodable" and "nested more than 64" in result.message


def test_banned_imports_are_refused_and_reported(sandbox):
    result = sandbox.call("probe", "sneaky_import")
    assert result.ok and "'scipy' is not allowed" in result.value
    assert result.banned == ("scipy",)


def test_import_failures_are_remembered():
    with Sandbox({"broken.py": b"def f(:\n"}, FAST) as box:
        first = box.call("broken", "f")
        assert first.kind == "import_error" and first.error_type == "SyntaxError"
        assert box.call("broken", "f") is first


def test_a_crash_restarts_the_child_and_keeps_modules_imported():
    with Sandbox({"a.py": PROBE, "b.py": b"def value():\n    return 41 + 1\n"}, FAST) as box:
        assert box.import_module("b").ok
        assert box.call("a", "bump").value[0] == 1
        count, pid = box.call("a", "bump").value
        assert count == 2
        crashed = box.call("a", "leave", 3)
        assert crashed.kind == "crash" and "exited with code 3" in crashed.message
        assert box.restarts == 1
        assert box.call("b", "value").value == 42
        count, new_pid = box.call("a", "bump").value
        assert count == 1 and new_pid != pid


def test_a_timeout_kills_the_child_and_the_next_call_gets_a_fresh_one():
    with Sandbox({"probe.py": PROBE}, FAST) as box:
        box.call("probe", "bump")
        result = box.call("probe", "spin", timeout=1)
        assert result.kind == "timeout" and result.message == "no answer within 1 s"
        assert box.restarts == 1 and box.call("probe", "bump").value[0] == 1


def test_garbage_on_the_reply_pipe_fails_one_call_only():
    with Sandbox({"probe.py": PROBE}, FAST) as box:
        assert box.call("probe", "garbage").kind == "protocol"
        assert box.call("probe", "bump").ok and box.restarts == 1


def test_replies_larger_than_the_limit_are_refused_unread():
    limits = SandboxLimits(FAST.child, call_timeout=5, import_timeout=10, reply_bytes=1 << 20)
    with Sandbox({"probe.py": PROBE}, limits) as box:
        assert box.call("probe", "big", 1 << 19).ok
        result = box.call("probe", "big", 2 << 20)
        assert result.kind == "protocol" and "more than the limit of 1 MB" in result.message
        assert box.call("probe", "bump").ok


def test_each_request_gets_the_whole_output_budget():
    limits = SandboxLimits(ChildLimits(memory_bytes=1 << 30, output_bytes=1 << 20), 5, 10)
    with Sandbox({"probe.py": PROBE}, limits) as box:
        flooded = box.call("probe", "flood", 2 << 20)
        assert flooded.kind == "exception" and "printed more than the output limit of 1 MB" in flooded.message
        assert box.call("probe", "hello").value == "ok"
        assert "hello from the child" in box.output_tail()


def test_the_child_runs_under_its_limits(sandbox):
    got = sandbox.call("probe", "limits").value
    child = FAST.child
    assert got["RLIMIT_AS"] == (child.memory_bytes, child.memory_bytes)
    assert got["RLIMIT_CPU"] == (child.cpu_seconds, child.cpu_seconds + 5)
    assert got["RLIMIT_FSIZE"] == (child.output_bytes, child.output_bytes)
    assert got["RLIMIT_CORE"] == (0, 0)
    if isolation_level() == "full":
        assert got["RLIMIT_NPROC"] == (child.processes, child.processes)


@ROOT_ONLY
def test_the_child_runs_as_a_user_of_its_own(sandbox):
    uid = sandbox.uid
    assert UID_BASE <= uid < UID_BASE + UID_SPAN
    assert sandbox.call("probe", "ids").value == (uid, uid, uid, uid, [])


@ROOT_ONLY
def test_the_child_cannot_see_the_solutions(sandbox):
    assert os.listdir(SOLUTIONS) and os.access(SOLUTIONS / "02_cnn_layers" / "layers.py", os.R_OK)
    # empty where the repository lies outside the temporary folders; gone where it lies inside
    # (a checkout under /tmp: the child's /tmp is its own)
    hidden = ([], "FileNotFoundError")
    assert sandbox.call("probe", "listdir", str(SOLUTIONS)).value in hidden
    assert sandbox.call("probe", "read", str(SOLUTIONS / "02_cnn_layers" / "layers.py")).value == "FileNotFoundError"
    for folder in (".git", "tests", "bench"):
        if (REPO_ROOT / folder).is_dir():
            assert sandbox.call("probe", "listdir", str(REPO_ROOT / folder)).value in hidden
    assert "worker.py" in sandbox.call("probe", "listdir", str(REPO_ROOT / "autograder" / "sandbox")).value


@ROOT_ONLY
def test_installed_banned_packages_are_empty_folders_in_the_child(sandbox):
    folders = banned_package_dirs()
    if not folders:
        pytest.skip("no banned package (TensorFlow, Keras...) is installed")
    for folder in folders:                  # a folder inside another is gone with it
        assert os.listdir(folder) and sandbox.call("probe", "listdir", folder).value in ([], "FileNotFoundError")


@ROOT_ONLY
def test_the_child_has_no_network(sandbox):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=3):
            pass                                     # the grader itself can connect
        result = sandbox.call("probe", "connect", port).value
    assert result != "connected" and result.endswith("Error")


def test_the_child_does_not_inherit_the_graders_environment(monkeypatch):
    monkeypatch.setenv("CNN_AUTOGRADER_SECRET", "hunter2-do-not-leak")
    with Sandbox({"probe.py": PROBE}, FAST) as box:
        env, parent_env = box.call("probe", "environment").value
    assert "CNN_AUTOGRADER_SECRET" not in env
    assert not any("hunter2" in v for v in env.values())
    if isolation_level() == "full":
        assert parent_env == "PermissionError"        # /proc/<grader>/environ


@ROOT_ONLY
def test_detached_grandchildren_die_with_the_sandbox(tmp_path):
    """A process the student forks and detaches (setsid) does not outlive the sandbox."""
    source = (b"import os, time\n"
              b"def spawn():\n"
              b"    pid = os.fork()\n"
              b"    if pid == 0:\n"
              b"        os.setsid()\n"
              b"        time.sleep(60)\n"
              b"        os._exit(0)\n"
              b"    return pid\n")
    box = Sandbox({"spawner.py": source})
    try:
        result = box.call("spawner", "spawn")
        assert result.kind == "ok"
        uid = box.uid
    finally:
        box.close()
    listed = subprocess.run(["ps", "-o", "pid=,stat=", "-u", str(uid)], capture_output=True, text=True)
    alive = [line for line in listed.stdout.splitlines() if not line.split()[1].startswith("Z")]
    assert alive == [], f"processes of uid {uid} survived (zombies, already dead, excepted): {alive}"


@ROOT_ONLY
def test_sandboxes_cannot_read_each_others_copy():
    first = Sandbox({"a.py": b"SECRET = 42\n"})
    second = Sandbox({"b.py": b"import os\ndef peek(path):\n    return open(path).read()\n"})
    try:
        result = second.call("b", "peek", str(first.dir / "a.py"))
        assert result.kind == "exception" and result.error_type in ("PermissionError", "FileNotFoundError"), result
    finally:
        first.close()
        second.close()


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv")
def test_without_cap_sys_admin_grading_falls_back_to_limits_only():
    """In a container without CAP_SYS_ADMIN (Docker's default) grading still works, and warns."""
    code = ("from autograder.grading.runner import grade\n"
            "r = grade('solutions/02_cnn_layers', '02_cnn_layers')\n"
            "print(r.score, r.isolation)\n")
    done = subprocess.run(["setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin",
                           sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["100.0", "limits-only"]
    assert "cannot isolate student code here" in done.stderr


@ROOT_ONLY
def test_the_childs_temporary_folders_are_its_own(tmp_path):
    """What a child writes to /tmp dies with it; it cannot see the grader's /tmp either."""
    marker = tmp_path / "grader-file.txt"
    marker.write_text("the grader's")
    source = (b"import os\n"
              b"def touch(path):\n"
              b"    open(path, 'w').write('x')\n"
              b"    return os.path.exists(path)\n"
              b"def exists(path):\n"
              b"    return os.path.exists(path)\n")
    box = Sandbox({"t.py": source})
    planted = f"/tmp/planted-by-the-child-{os.getpid()}"
    try:
        assert box.call("t", "touch", planted).value is True
        assert box.call("t", "exists", str(marker)).value is False
    finally:
        box.close()
    assert not os.path.exists(planted)


def test_the_student_process_dies_with_the_grader(tmp_path):
    """A grader killed with SIGKILL (a batch worker) takes its student process with it."""
    script = tmp_path / "grader.py"
    pidfile = tmp_path / "child.pid"
    script.write_text(
        "import sys, time\n"
        "from autograder.sandbox import Sandbox, SandboxLimits\n"
        "box = Sandbox({'spin.py': b'import os\\ndef pid():\\n    return os.getpid()\\n"
        "def spin():\\n    while True:\\n        pass\\n'}, SandboxLimits(call_timeout=120))\n"
        f"open({str(pidfile)!r}, 'w').write(str(box.call('spin', 'pid').value))\n"
        "box.call('spin', 'spin')\n", encoding="utf-8")
    grader = subprocess.Popen([sys.executable, str(script)], cwd=str(REPO_ROOT))
    try:
        deadline = time.monotonic() + 60
        while not (pidfile.exists() and pidfile.read_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
        child = int(pidfile.read_text())
        time.sleep(0.5)                    # the child is spinning now
        grader.kill()
        grader.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(child), "the student process outlived the grader"
    finally:
        if grader.poll() is None:
            grader.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1].split()[0] != "Z"
    except OSError:
        return False
