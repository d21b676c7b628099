"""Running untrusted student code: a child process, a wire format of plain values, limits.

* :mod:`wire` encodes plain values (numbers, strings, lists, dicts, numeric arrays) as bytes;
  nothing is ever pickled, so nothing student-controlled is unpickled.
* :mod:`worker` is the child's main loop: it imports the submission and runs calls.
* :mod:`limits` hides the solutions from the child and caps its CPU, memory and output.
* :mod:`client` is the grader's side: start, call with a deadline, restart after a crash.
"""
from autograder.sandbox.client import CallResult, Ref, Rng, Sandbox, SandboxLimits

__all__ = ["CallResult", "Ref", "Rng", "Sandbox", "SandboxLimits"]
