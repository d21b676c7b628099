"""Benchmark: a class of 100 submissions of 01-03 graded by ``batch`` with 2 workers.

The class mixes correct submissions (the references and the corpus's other correct styles),
buggy ones (the corpus's one-line bugs of 01 and 03 and the layers bugs of 02), stubs (the
student release) and hostile ones (tests/corpus/hostile: hangs, fork bombs, memory grabs,
floods, forged replies... appended to 02's reference). It reports the batch's wall time,
submissions per minute and the slowest submission, then grades the same submissions one by
one in this process (``grade()``, no pool) and gives the batch's time as a ratio of that.

    .venv/bin/python bench/bench_batch.py [--jobs 2] [--count 100] [--no-sequential]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from autograder.batch import records as store  # noqa: E402
from autograder.batch.run import Options, run_batch  # noqa: E402
from autograder.grading.runner import grade  # noqa: E402

HOSTILE = ("infinite_loop", "import_sleep", "fork_bomb", "memory_grab", "output_flood", "exits",
           "protocol_garbage", "forged_replies", "huge_return", "banned_runtime", "steal_solutions",
           "stdout_noise", "lying_types", "numpy_monkeypatch", "wrong_values")
# of 100: (assignment, kind) -> how many
MIX = {("01_convolution", "correct"): 9, ("01_convolution", "buggy"): 10, ("01_convolution", "stub"): 5,
       ("02_cnn_layers", "correct"): 8, ("02_cnn_layers", "buggy"): 16, ("02_cnn_layers", "stub"): 5,
       ("02_cnn_layers", "hostile"): 15,
       ("03_optimization", "correct"): 8, ("03_optimization", "buggy"): 14, ("03_optimization", "stub"): 10}


def _variants(assignment: str, kind: str) -> list[dict[str, str]]:
    """Every submission of that kind the repository can make (file name -> source)."""
    from test_corpus_small_bugs import BUGS

    from corpus_tools import load_corpus, patch_module

    solutions, stubs = REPO / "solutions" / assignment, REPO / "assignments" / assignment
    files = sorted(p.name for p in solutions.glob("*.py"))
    reference = {f: (solutions / f).read_text(encoding="utf-8") for f in files}
    if kind == "stub":
        return [{f: (stubs / f).read_text(encoding="utf-8") for f in files}]
    if kind == "correct":
        out = [dict(reference)]
        folder = REPO / "tests" / "corpus" / ("layers_correct" if assignment == "02_cnn_layers" else "correct_other")
        for entry in sorted(folder.glob("*.py")):
            target = "layers.py" if assignment == "02_cnn_layers" else {
                "convolution_loops.py": "convolution.py", "optim_inplace.py": "optim.py",
                "regularization_alt.py": "regularization.py"}[entry.name]
            if target in reference:
                out.append({**reference, target: patch_module(reference[target], entry.read_text(encoding="utf-8"))})
        return out
    if kind == "buggy":
        if assignment == "02_cnn_layers":
            return [{"layers.py": patch_module(reference["layers.py"], e.source)}
                    for e in load_corpus(REPO / "tests" / "corpus" / "layers")]
        return [{**reference, b.file: reference[b.file].replace(b.old, b.new, 1)}
                for b in BUGS if b.assignment == assignment]
    corpus = REPO / "tests" / "corpus" / "hostile"
    return [{"layers.py": reference["layers.py"] + "\n\n# --- hostile patch ---\n"
             + (corpus / f"{name}.py").read_text(encoding="utf-8")} for name in HOSTILE]


def build(root: Path, count: int) -> dict[str, list[str]]:
    """Write the class under ``root/<assignment>/``; assignment -> submission names."""
    scale = count / sum(MIX.values())
    made: dict[str, list[str]] = {}
    for (assignment, kind), wanted in MIX.items():
        variants = _variants(assignment, kind)
        for i in range(max(1, round(wanted * scale))):
            name = f"{kind}-{i:02d}"
            folder = root / assignment / name
            folder.mkdir(parents=True)
            for file, source in variants[i % len(variants)].items():
                (folder / file).write_text(source, encoding="utf-8")
            made.setdefault(assignment, []).append(name)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--no-sequential", action="store_true", help="skip grading one by one")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        made = build(root / "class", args.count)
        total = sum(len(v) for v in made.values())
        print(f"{total} submissions: " + ", ".join(f"{a} {len(v)}" for a, v in made.items()), flush=True)
        kinds = Counter(name.split("-")[0] for names in made.values() for name in names)
        print("kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())), flush=True)
        start = time.perf_counter()
        per: dict[str, float] = {}
        scores: dict[str, float] = {}
        for assignment in made:
            t0 = time.perf_counter()
            summary = run_batch(root / "class" / assignment, root / "out" / assignment,
                                Options(assignment, jobs=args.jobs))
            for record in store.load_folder(root / "out" / assignment / "results"):
                per[f"{assignment}/{record.student_id}"] = record.report.execution_time
                scores[f"{assignment}/{record.student_id}"] = record.score
            print(f"  batch {assignment}: {len(summary.graded)} in {time.perf_counter() - t0:.1f} s "
                  f"({len(summary.errors)} grader errors)", flush=True)
        batch = time.perf_counter() - start
        slowest = max(per.items(), key=lambda kv: kv[1])
        result = {"submissions": total, "jobs": args.jobs, "batch_s": round(batch, 1),
                  "per_minute": round(total / batch * 60, 1), "slowest": slowest[0],
                  "slowest_s": round(slowest[1], 1)}
        print(f"batch, {args.jobs} workers: {total} submissions in {batch:.1f} s = {result['per_minute']} per "
              f"minute; slowest {slowest[0]} {slowest[1]:.1f} s", flush=True)
        if not args.no_sequential:
            t0 = time.perf_counter()
            for assignment, names in made.items():
                for name in names:
                    grade(root / "class" / assignment / name, assignment)
            sequential = time.perf_counter() - t0
            result.update(sequential_s=round(sequential, 1), ratio=round(batch / sequential, 3))
            print(f"one by one in this process: {sequential:.1f} s; batch / one by one = {batch / sequential:.2f} "
                  f"(speed-up {sequential / batch:.2f}x); slowest submission = {slowest[1] / sequential:.1%} "
                  f"of the one-by-one time", flush=True)
        out = REPO / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / "bench_batch.json").write_text(json.dumps(result, indent=1) + "\n")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
