"""Hostile: switches off the worker's defences from inside (removes its import hook, blanks its
report of banned imports) and then uses TensorFlow for softmax. This works only if the banned
package itself is within reach: the grader must hide it, so softmax fails and earns nothing."""
import importlib
import sys

_worker = sys.modules["__main__"]
sys.meta_path[:] = [f for f in sys.meta_path if getattr(f, "__name__", "") != "_BannedImportFinder"]
_worker._banned_seen = lambda: []


def softmax(scores):
    tf = importlib.import_module("tensor" + "flow")
    return tf.nn.softmax(scores, axis=1).numpy()
