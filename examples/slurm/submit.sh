#!/bin/bash
# Submits a sharded run (or, with VARY set, a sharded sweep) to Slurm: SHARDS array
# tasks, then the merge, which starts only once every task has succeeded. Prints the
# merge job's id. Settings are the environment variables the .sbatch files describe.
#   SHARDS=16 DRAWS=1000000000 OUT=parts RESULTS=results/hee-2021 examples/slurm/submit.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${SHARDS:?set SHARDS, the number of shards}"
if [ -n "${VARY:-}" ]; then
  shard=sweep-shard.sbatch merge=merge-sweep.sbatch
else
  shard=run-shard.sbatch merge=merge.sbatch
fi
jid=$(sbatch --parsable --array="1-${SHARDS}" "$here/$shard")
sbatch --parsable --dependency="afterok:${jid%%;*}" "$here/$merge"
