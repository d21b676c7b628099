"""Hostile: frames written to the grader's reply pipe out of turn, to put replies out of step.

* max_pool_forward's cache is a running generator whose ``finally`` (run when the grader drops
  it) forges a reply carrying the id of the request being answered (found on the stack);
* relu_backward sends a reply whose JSON holds a 5000-digit integer, then answers correctly;
* avg_pool_backward leaves a thread that, a moment later, forges a well-formed reply and then
  writes garbage, while another function's check is running.
"""
import json
import os
import struct
import sys
import threading
import time

_max_pool_forward = max_pool_forward
_relu_backward = relu_backward
_avg_pool_backward = avg_pool_backward
_REPLY_FD = int(sys.argv[2])          # the worker's argv: REQUEST_FD RESPONSE_FD SUBMISSION ...


def _current_id():
    frame = sys._getframe()
    while frame is not None:
        request = frame.f_locals.get("request")
        if isinstance(request, dict) and "id" in request:
            return request["id"]
        frame = frame.f_back
    return "0"


def _send(header: bytes) -> None:
    body = struct.pack(">QQ", len(header), 0) + header
    try:
        os.write(_REPLY_FD, struct.pack(">Q", len(body)) + body)
    except OSError:
        pass


def _forge(value, rid) -> None:
    _send(json.dumps({"ok": True, "value": value, "id": rid, "mutated": [], "banned": []}).encode())


def _cache(inner):
    try:
        yield inner
    finally:
        _forge(0.0, _current_id())


def max_pool_forward(x, pool_size=2, stride=None):
    out, cache = _max_pool_forward(x, pool_size, stride)
    generator = _cache(cache)
    next(generator)
    return out, generator


def relu_backward(dout, cache):
    _send(('{"ok": true, "value": ' + "9" * 5000 + ', "id": "%s"}' % _current_id()).encode())
    return _relu_backward(dout, cache)


def _later():
    time.sleep(0.3)
    _forge(1.0, "feedfacefeedface")
    try:
        os.write(_REPLY_FD, b"GARBAGE!" * 100)
    except OSError:
        pass


def avg_pool_backward(dout, cache):
    threading.Thread(target=_later, daemon=True).start()
    return _avg_pool_backward(dout, cache)
