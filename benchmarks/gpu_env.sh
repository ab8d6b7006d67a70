# Sourced by the GPU scripts: install the wheels of .whl/ (mmcv-lite, mmengine, mmagic, ...)
# into /tmp/site for a CUDA machine whose Python lacks the OpenMMLab stack; OUT from $1.
set -euo pipefail
OUT=${1:-/tmp/gpu_out}
mkdir -p "$OUT"
if [ -d .whl ]; then
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
        --target /tmp/site .whl/*.whl
    export PYTHONPATH=/tmp/site:${PYTHONPATH:-}
fi
# the repository root: the benchmarks import mmposgan, not installed on those machines
export PYTHONPATH=$PWD:${PYTHONPATH:-}
export PYTHONUNBUFFERED=1 PYTHONWARNINGS=ignore
