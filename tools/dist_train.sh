#!/usr/bin/env bash
# Usage: bash tools/dist_train.sh CONFIG NUM_PROCS [train.py args...]
# Trains with NUM_PROCS processes launched by torchrun (GPUs if present, gloo on CPU).
# Environment: NNODES, NODE_RANK, MASTER_ADDR, PORT, PYTHON.
exec bash "$(dirname "$0")/dist_run.sh" train.py "$2" "$1" "${@:3}"
