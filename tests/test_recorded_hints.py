"""Hints from the recording: a public check names the likely cause of a known bug as a graded
run does, with the hint library (autograder/hints) or without it, as in the wheel students
install. The known bugs' outputs on the public cases are recorded at release next to the
reference outputs; a public run compares the student's outputs with them."""
from __future__ import annotations

import dataclasses
import shutil
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from test_corpus_small_bugs import BUGS as SMALL_BUGS

from autograder import registry, selfcheck
from autograder.core import recording
from autograder.core.messages import render
from autograder.grading.runner import grade, public_checks
from autograder.references import reference
from autograder.sandbox import wire

from corpus_tools import load_corpus, load_entry, patch_module
from grading_helpers import ASSIGNMENTS, SOLUTIONS

LAYERS_CORPUS = Path(__file__).parent / "corpus" / "layers"


@dataclass(frozen=True)
class Known:
    """One known bug in an otherwise correct submission, and the hint it must get."""

    id: str
    assignment: str
    file: str
    function: str
    hint: str
    edit: tuple[str, str] | None = None     # (old, new) in the reference; None: a layers corpus file


def _layers(name: str) -> Known:
    entry = load_entry(LAYERS_CORPUS / f"{name}.py")
    return Known(name, "02_cnn_layers", "layers.py", entry.function, entry.hint)


def _small(name: str) -> Known:
    bug = next(b for b in SMALL_BUGS if b.id == name)
    return Known(name, bug.assignment, bug.file, bug.function, bug.hint, (bug.old, bug.new))


def _files(known: Known) -> dict[str, str]:
    files = {p.name: p.read_text(encoding="utf-8") for p in (SOLUTIONS / known.assignment).glob("*.py")}
    if known.edit is None:
        files[known.file] = patch_module(files[known.file], load_entry(LAYERS_CORPUS / f"{known.id}.py").source)
    else:
        old, new = known.edit
        assert files[known.file].count(old) == 1, f"{known.id}: the edit does not apply to the reference"
        files[known.file] = files[known.file].replace(old, new)
    return files


KNOWN = [
    _small("convolve_no_flip"), _small("correlate_flips"), _small("ceil_pads_zeros"),
    _layers("conv_forward_no_bias"), _layers("conv_forward_flipped"), _layers("relu_backward_ge_zero"),
    _layers("softmax_no_shift"), _layers("sce_no_shift"), _layers("conv_backward_dx_assigned"),
    _layers("max_pool_backward_ties_all"),
    _small("l2_no_two"), _small("adam_eps_inside"), _small("sgd_ascent"), _small("nesterov_is_momentum"),
    # the inline hint of dropout's statistics check (computed from the student's own output)
    _small("dropout_keeps_rate"),
    # right at the first step (from a zero velocity), wrong from the second: a bug that passes
    # a case must stay recorded for the next ones
    Known("momentum_no_velocity", "03_optimization", "optim.py", "momentum", "momentum_no_velocity",
          ("return w - v, config", 'return w - config["learning_rate"] * dw, config')),
]


@cache
def _recording(assignment: str) -> dict:
    """A fresh recording (the committed one may trail the checks until the next release)."""
    return selfcheck.record(assignment)


def _student_folder(tmp_path: Path, known: Known) -> Path:
    folder = tmp_path / known.assignment
    shutil.copytree(ASSIGNMENTS / known.assignment, folder)
    recording.save(_recording(known.assignment), folder / recording.FILENAME)
    for name, source in _files(known).items():
        (folder / name).write_text(source, encoding="utf-8")
    return folder


def _hints(report, function: str) -> dict[str, tuple[str, ...]]:
    """check -> hints of the function's failing checks."""
    return {r.name: r.hints for r in report.results if r.function == function and not r.passed}


def _without_hint_library(monkeypatch) -> None:
    """As in the wheel students install: ``autograder.hints`` cannot be imported, and the
    registry has no known bugs."""
    monkeypatch.setitem(sys.modules, "autograder.hints", None)
    for module in {m for spec in registry.ASSIGNMENTS.values() for m in spec.hinted}:
        monkeypatch.setitem(sys.modules, f"autograder.hints.{module}", None)
    for name, spec in registry.ASSIGNMENTS.items():
        monkeypatch.setitem(registry.ASSIGNMENTS, name, dataclasses.replace(spec, hints={}))


@pytest.mark.parametrize("known", KNOWN, ids=lambda k: k.id)
def test_public_checks_name_the_graded_hint_with_and_without_the_hint_library(known, tmp_path, monkeypatch):
    folder = _student_folder(tmp_path, known)
    graded = _hints(grade(folder, known.assignment), known.function)
    assert any(known.hint in hints for hints in graded.values()), graded

    with_library = selfcheck.run(folder)
    public = _hints(with_library, known.function)
    assert any(known.hint in hints for hints in public.values()), public
    text = render(f"hint.{known.hint}", "en")
    assert any(text in r.message for r in with_library.results if known.hint in r.hints)

    # The same public cases with the hints computed afresh from the solutions: the recording
    # names exactly what the hint library names there, check by check.
    live = grade(folder, known.assignment,
                 public={m: reference(known.assignment, m) for m in registry.ASSIGNMENTS[known.assignment].modules})
    assert _hints(live, known.function) == public

    _without_hint_library(monkeypatch)
    with pytest.raises(ImportError):
        import autograder.hints  # noqa: F401
    without = selfcheck.run(folder, lang="pt")
    assert _hints(without, known.function) == public
    text = render(f"hint.{known.hint}", "pt")
    assert text != render(f"hint.{known.hint}", "en")
    assert any(text in r.message for r in without.results if known.hint in r.hints)


# Every other bug of the corpora that has a hint: the recording names what the library names.
OTHERS = [Known(e.path.stem, "02_cnn_layers", "layers.py", e.function, e.hint)
          for e in load_corpus(LAYERS_CORPUS) if e.hint] + [_small(b.id) for b in SMALL_BUGS if b.hint]
OTHERS = [k for k in OTHERS if k.id not in {known.id for known in KNOWN}]


@pytest.mark.parametrize("known", OTHERS, ids=lambda k: k.id)
def test_every_known_bug_gets_its_hint_from_the_recording(known, tmp_path, monkeypatch):
    folder = _student_folder(tmp_path, known)
    live = grade(folder, known.assignment,
                 public={m: reference(known.assignment, m) for m in registry.ASSIGNMENTS[known.assignment].modules})
    _without_hint_library(monkeypatch)
    public = _hints(selfcheck.run(folder), known.function)
    assert any(known.hint in hints for hints in public.values()), public
    assert public == _hints(live, known.function)


@pytest.mark.parametrize("assignment", [name for name, spec in registry.ASSIGNMENTS.items() if spec.hinted])
def test_the_recording_holds_plain_bug_outputs_for_every_function_with_known_bugs(assignment, tmp_path):
    recording.save(_recording(assignment), tmp_path / recording.FILENAME)
    store = recording.load(tmp_path / recording.FILENAME)
    entries = {k: v for k, v in store.items() if k.startswith(recording.BUGS_PREFIX)}
    spec = registry.ASSIGNMENTS[assignment]
    with_bugs = {f for m in spec.modules for f, variants in spec.hints.get(m, {}).items() if variants}
    compared = {c.function for c in public_checks(assignment)} & with_bugs
    assert compared and {e["function"] for e in entries.values()} == compared

    keys = {v.key for m in spec.modules for variants in spec.hints.get(m, {}).values() for v in variants}
    for entry in entries.values():
        for index, key, outputs in entry["bugs"]:
            assert isinstance(index, int) and key in keys
            assert outputs and all(type(v) in (np.ndarray, float) for v in outputs.values()), (key, outputs)


def test_recorded_bugs_are_keyed_by_the_exact_inputs_and_merge_across_checks():
    store: dict = {}
    recorder = recording.Recorder(reference("02_cnn_layers", "layers"), "layers", store)
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    params = {"x": x, "dout": np.ones((2, 3))}
    recorder.record_bugs("relu_backward", params, {0: ("relu_backward.ge_zero", {"dx": x})})
    recorder.record_bugs("relu_backward", params, {2: ("other", {"loss": np.float64(2.5)})})
    replay = recording.Replay("layers", wire.decode(wire.encode(store)))
    found = replay.recorded_bugs("relu_backward", {"dout": np.ones((2, 3)), "x": x.copy()})
    assert list(found) == [0, 2] and found[0][0] == "relu_backward.ge_zero"
    assert np.array_equal(found[0][1]["dx"], x) and found[2][1] == {"loss": 2.5}
    assert replay.recorded_bugs("relu_backward", {"x": x.astype(np.float32), "dout": np.ones((2, 3))}) is None
    assert replay.recorded_bugs("relu_forward", params) is None


def test_a_recording_without_bug_outputs_still_works(tmp_path):
    """A recording made before it held the bugs: the public checks run, and the hints that need
    no reference call (plain numpy) are still named where the library is."""
    known = _layers("relu_backward_ge_zero")
    folder = _student_folder(tmp_path, known)
    store = recording.load(folder / recording.FILENAME)
    recording.save({k: v for k, v in store.items() if not k.startswith(recording.BUGS_PREFIX)},
                   folder / recording.FILENAME)
    public = _hints(selfcheck.run(folder), known.function)
    assert any(known.hint in hints for hints in public.values()), public


def test_release_needs_the_hint_library(monkeypatch):
    _without_hint_library(monkeypatch)
    with pytest.raises(selfcheck.SelfCheckError, match="hint library"):
        selfcheck.record("02_cnn_layers")
