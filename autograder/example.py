"""The bundled example submission that ``cnn-autograder example`` grades: assignment 02's
reference solution with three realistic mistakes, built from ``solutions/`` when it runs.

Built, not copied: a hand-made copy of the reference drifts from it with every change; these
three edits either apply to today's reference or fail loudly (``tests/test_cli.py`` builds it).
The reference stays in the repository (the package students install carries no solutions), so
the example runs from a checkout or an editable install.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.paths import solutions_dir

ASSIGNMENT = "02_cnn_layers"
FILE = "layers.py"


class ExampleError(RuntimeError):
    """The example cannot be built here (no solutions, or a mistake no longer applies)."""


@dataclass(frozen=True)
class Mistake:
    """One edit of the reference: ``old`` (found exactly once) becomes ``new``."""

    function: str
    what: str
    old: str
    new: str


MISTAKES = (
    Mistake("conv_backward", "the stride forgotten when the gradient goes back to the input",
            "dx_pad[lead + (slice(p, p + stride * (h_out - 1) + 1, stride),\n"
            "                           slice(q, q + stride * (w_out - 1) + 1, stride))] += dtaps[p, q]",
            "dx_pad[lead + (slice(p, p + h_out), slice(q, q + w_out))] += dtaps[p, q]"),
    Mistake("relu_backward", "relu'(0) taken as 1",
            "return np.where(x > 0, dout, 0).astype(dtype, copy=False)",
            "return np.where(x >= 0, dout, 0).astype(dtype, copy=False)"),
    Mistake("softmax", "exp of the raw scores, without subtracting the row maximum",
            "    shifted = scores - scores.max(axis=1, keepdims=True)\n    exp = np.exp(shifted)",
            "    exp = np.exp(scores)"),
)

HEADER = '''"""An EXAMPLE SUBMISSION of assignment 02 with three realistic mistakes, built by
cnn-autograder from the reference solution to show what a report looks like:
{mistakes}
"""
'''


def example_source(solutions: str | None = None) -> str:
    """The example's ``layers.py``: the reference with :data:`MISTAKES` applied."""
    reference = solutions_dir(solutions) / ASSIGNMENT / FILE
    if not reference.is_file():
        raise ExampleError(f"the example is built from the reference solution {reference}, which is not "
                           f"here: run it from a copy of the cnn-autograder repository (the installed "
                           f"package carries no solutions), or point --solutions at them.")
    source = reference.read_text(encoding="utf-8")
    for mistake in MISTAKES:
        found = source.count(mistake.old)
        if found != 1:
            raise ExampleError(f"the example's mistake in {mistake.function} ({mistake.what}) expects its "
                               f"line once in {reference}, found it {found} times: update "
                               f"autograder/example.py to today's reference.")
        source = source.replace(mistake.old, mistake.new)
    listing = "\n".join(f"- {m.function}: {m.what};" for m in MISTAKES)
    return HEADER.format(mistakes=listing) + source


def build_example(folder: Path, solutions: str | None = None) -> Path:
    """Write the example submission into ``folder`` (created); return ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / FILE).write_text(example_source(solutions), encoding="utf-8")
    return folder
