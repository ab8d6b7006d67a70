#!/usr/bin/env bash
# Usage: bash tools/dist_run.sh TOOL.py NUM_PROCS [tool args...]
# Runs tools/TOOL.py in NUM_PROCS processes with torchrun (GPUs if present, gloo on CPU).
# PORT: the rendezvous port (default: a free one on a single node, 29500 across nodes).
set -euo pipefail
TOOL=$1
NPROCS=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
DIR="$(cd "$(dirname "$0")" && pwd)"
PYTHON=${PYTHON:-python}
if [ -z "${PORT:-}" ]; then
    if [ "$NNODES" = 1 ]; then  # a free port, so concurrent runs on one machine do not collide
        PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    else
        PORT=29500  # every node must agree on the port: set PORT for multi-node runs
    fi
fi
PYTHONPATH="$DIR/..:${PYTHONPATH:-}" \
exec "$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" --node_rank="$NODE_RANK" --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$NPROCS" --master_port="$PORT" \
    "$DIR/$TOOL" "${@:3}" --launcher pytorch
