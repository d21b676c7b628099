#!/usr/bin/env bash
# Grade a class on a Slurm cluster: a job array of SHARDS tasks, then the merge.
#   SUBMISSIONS=/shared/subs ASSIGNMENT=02_cnn_layers OUTPUT=/shared/out deploy/slurm/submit.sh 10
# The merge waits for every task to end (afterany) and checks the split itself.
set -euo pipefail
shards=${1:-10}
here=$(cd "$(dirname "$0")" && pwd)
: "${SUBMISSIONS:?}" "${ASSIGNMENT:?}" "${OUTPUT:?}"
array=$(sbatch --parsable --export=ALL --array="0-$((shards - 1))" "$here/grade-shards.sbatch")
merge=$(sbatch --parsable --export=ALL --dependency="afterany:${array%%;*}" "$here/merge.sbatch")
echo "grading: job array ${array%%;*} ($shards tasks); merge: job ${merge%%;*}"
