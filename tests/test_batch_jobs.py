"""The scheduler job files (deploy/slurm, deploy/kubernetes), checked and run here.

Kubernetes: every manifest is validated against the Kubernetes API's JSON schemas
(``kubernetes-validate``, strict: unknown fields refused); then the fields the sharding relies
on are checked, and each index's command is run locally as the pod would run it.
Slurm: no validator can run without a Slurm controller (``sbatch --test-only`` asks one), so
the ``#SBATCH`` directives are parsed and checked against sbatch's options and value syntax
(sbatch man page), the scripts pass ``bash -n``, and each array task and the merge are run
locally with the environment Slurm gives them.
"""
from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from autograder.paths import REPO_ROOT

from batch_helpers import ASSIGNMENT, correct, folder, stubs, zipped

SLURM = REPO_ROOT / "deploy" / "slurm"
KUBERNETES = REPO_ROOT / "deploy" / "kubernetes"
# sbatch's long options (Slurm 22-24 man page) that these scripts may use, with value syntax
SBATCH_OPTIONS = {
    "array": r"\d+(-\d+)?(:\d+)?(,\d+(-\d+)?(:\d+)?)*(%\d+)?",
    "job-name": r"[^\s]+",
    "cpus-per-task": r"[1-9]\d*",
    "mem": r"\d+[KMGT]?",
    "time": r"(\d+-)?\d+(:\d{2}){0,2}",
    "output": r"[^\s]+",
    "error": r"[^\s]+",
    "partition": r"[^\s]+",
    "account": r"[^\s]+",
    "ntasks": r"[1-9]\d*",
    "nodes": r"[1-9]\d*(-\d+)?",
}


def _cli_shim(tmp_path: Path) -> dict[str, str]:
    """PATH with a ``cnn-autograder`` that runs this checkout with this interpreter."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "cnn-autograder"
    shim.write_text(f"#!/bin/sh\ncd {REPO_ROOT} && exec {sys.executable} -m autograder \"$@\"\n")
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}


def _class(root: Path) -> Path:
    subs = root / "submissions"
    subs.mkdir(parents=True)
    for i in range(3):
        (folder if i % 2 else zipped)(subs, f"s{i}", correct() if i != 1 else stubs())
    return subs


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


# --- Slurm ------------------------------------------------------------------------------------

def _directives(script: Path) -> list[tuple[str, str]]:
    """The ``#SBATCH`` options of a script, as sbatch reads them: only before the first command."""
    found = []
    for line in script.read_text().splitlines()[1:]:
        if line.startswith("#SBATCH"):
            match = re.fullmatch(r"#SBATCH\s+--([a-z-]+)=(\S+)", line)
            assert match, f"{script.name}: {line!r} is not '#SBATCH --option=value'"
            found.append((match[1], match[2]))
        elif line.strip() and not line.startswith("#"):
            break
    rest = script.read_text().split("\n")
    first_command = next(i for i, line in enumerate(rest[1:], 1) if line.strip() and not line.startswith("#"))
    assert not any(line.startswith("#SBATCH") for line in rest[first_command:]), "an #SBATCH after a command is ignored"
    return found


@pytest.mark.parametrize("name", ["grade-shards.sbatch", "merge.sbatch"])
def test_sbatch_directives_are_options_sbatch_knows(name):
    script = SLURM / name
    directives = _directives(script)
    assert directives and script.read_text().startswith("#!/usr/bin/env bash\n")
    for option, value in directives:
        assert option in SBATCH_OPTIONS, f"{name}: --{option} is not an sbatch option these scripts may use"
        assert re.fullmatch(SBATCH_OPTIONS[option], value), f"{name}: --{option}={value} is malformed"
    if name == "grade-shards.sbatch":
        assert dict(directives)["array"].startswith("0-")


@pytest.mark.parametrize("name", ["grade-shards.sbatch", "merge.sbatch", "submit.sh"])
def test_slurm_scripts_are_valid_bash(name):
    done = subprocess.run(["bash", "-n", str(SLURM / name)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_job_array_and_merge_grade_a_class_as_slurm_would_run_them(tmp_path):
    subs, out = _class(tmp_path), tmp_path / "out"
    env = {**_cli_shim(tmp_path), "SUBMISSIONS": str(subs), "ASSIGNMENT": ASSIGNMENT, "OUTPUT": str(out)}
    out.mkdir()
    merge = subprocess.run(["bash", str(SLURM / "merge.sbatch")], env=env, capture_output=True, text=True)
    assert merge.returncode == 1 and "no shard manifest" in merge.stderr         # nothing graded yet
    for task in (5, 6):      # --array=5-6: the shard is the task's place in the array
        array = {"SLURM_ARRAY_JOB_ID": "77", "SLURM_ARRAY_TASK_ID": str(task), "SLURM_ARRAY_TASK_MIN": "5",
                 "SLURM_ARRAY_TASK_MAX": "6", "SLURM_ARRAY_TASK_COUNT": "2", "SLURM_ARRAY_TASK_STEP": "1",
                 "SLURM_CPUS_PER_TASK": "1"}
        done = subprocess.run(["bash", str(SLURM / "grade-shards.sbatch")], env={**env, **array},
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert f"(shard {task - 5}/2)" in done.stderr
    merge = subprocess.run(["bash", str(SLURM / "merge.sbatch")], env=env, capture_output=True, text=True)
    assert merge.returncode == 0, merge.stderr
    rows = _rows(out / "gradebook.csv")
    assert sorted((r[0], r[-4]) for r in rows[1:]) == [("s0", "100"), ("s1", "0"), ("s2", "100")]


def test_the_array_script_refuses_to_run_outside_an_array(tmp_path):
    env = {**_cli_shim(tmp_path), "SUBMISSIONS": "x", "ASSIGNMENT": ASSIGNMENT, "OUTPUT": "y"}
    env.pop("SLURM_ARRAY_TASK_ID", None)
    done = subprocess.run(["bash", str(SLURM / "grade-shards.sbatch")], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "job array" in done.stderr


# --- Kubernetes -------------------------------------------------------------------------------

def _manifests() -> dict[str, dict]:
    return {path.name: yaml.safe_load(path.read_text()) for path in sorted(KUBERNETES.glob("*.yaml"))}


@pytest.mark.parametrize("name", sorted(p.name for p in KUBERNETES.glob("*.yaml")))
def test_manifests_validate_against_the_kubernetes_schemas(name):
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    document = yaml.safe_load((KUBERNETES / name).read_text())
    kubernetes_validate.validate(document, "1.30.0", strict=True)      # raises on any error


def test_the_indexed_job_gives_each_pod_one_shard():
    job = _manifests()["grade-shards.yaml"]
    spec = job["spec"]
    assert job["kind"] == "Job" and spec["completionMode"] == "Indexed"
    container = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert int(env["SHARDS"]) == spec["completions"] and spec["template"]["spec"]["restartPolicy"] == "Never"
    assert '--shard "$JOB_COMPLETION_INDEX/$SHARDS"' in container["args"][0]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in spec["template"]["spec"]["volumes"]}
    assert mounts["work"] == env["WORK"] and claims["work"] == _manifests()["pvc.yaml"]["metadata"]["name"]
    assert "ReadWriteMany" in _manifests()["pvc.yaml"]["spec"]["accessModes"]


def _run_container(manifest: dict, env: dict[str, str], extra: dict[str, str]) -> subprocess.CompletedProcess:
    """Run a Job's container command here, with its env (and what the Job controller adds)."""
    container = manifest["spec"]["template"]["spec"]["containers"][0]
    variables = {**env, **{e["name"]: e["value"] for e in container["env"]}, **extra}
    return subprocess.run(container["command"] + container["args"], env=variables, capture_output=True,
                          text=True, timeout=300)


def test_the_indexed_job_and_merge_grade_a_class_as_the_pods_would(tmp_path):
    subs = _class(tmp_path)
    env = _cli_shim(tmp_path)
    manifests = _manifests()
    job = manifests["grade-shards.yaml"]
    count = job["spec"]["completions"]
    for index in range(count):       # JOB_COMPLETION_INDEX: set by the Job controller for Indexed Jobs
        done = _run_container(job, env, {"WORK": str(tmp_path), "ASSIGNMENT": ASSIGNMENT,
                                          "JOB_COMPLETION_INDEX": str(index), "JOBS": "1"})
        assert done.returncode == 0, done.stderr
    merged = _run_container(manifests["merge.yaml"], env, {"WORK": str(tmp_path), "ASSIGNMENT": ASSIGNMENT})
    assert merged.returncode == 0, merged.stderr
    rows = _rows(tmp_path / "results" / "gradebook.csv")
    assert sorted(r[0] for r in rows[1:]) == sorted(p.name.removesuffix(".zip") for p in subs.iterdir())
