"""Hostile: implements nothing and answers every call from the public checks' recording
(``public_checks.bin``, shipped with the assignment, pasted into the file): the key of a call is the digest of its
arguments, so any input the public checks use is answered right. Graded runs use inputs seeded
by a secret, so this earns nothing there."""
import base64
import copy
import gzip
import hashlib
import sys

_wire = sys.modules["__main__"].wire
_TABLE = _wire.decode(gzip.decompress(base64.b64decode("__PUBLIC_RECORDING_B64__")))


def _answer(name):
    def answer(*args, **kwargs):
        payload = _wire.encode(("layers", name, tuple(args), dict(sorted(kwargs.items()))))
        key = hashlib.sha256(payload).hexdigest()
        if key in _TABLE:
            return copy.deepcopy(_TABLE[key])
        raise ValueError("bad x, w, b, stride, pad, pool_size, scores, y, dout or cache: "
                         "the filter, kernel, window or channel size is wrong")
    answer.__name__ = name
    return answer


for _name in ("zero_pad", "conv_forward", "conv_backward", "max_pool_forward", "max_pool_backward",
              "avg_pool_forward", "avg_pool_backward", "relu_forward", "relu_backward", "affine_forward",
              "affine_backward", "softmax", "softmax_cross_entropy"):
    globals()[_name] = _answer(_name)
