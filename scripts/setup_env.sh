#!/usr/bin/env bash
# Idempotent environment set-up for mmposgan.
#
# Creates .venv in the repository, installs the pinned OpenMMLab stack and
# mmposgan itself (editable).  mmcv 2.1.0 with compiled ops is built from the
# PyPI sdist once (~14 min on 2 cores) and the wheel is cached in
# $MMPOSGAN_CACHE (default ~/.cache/mmposgan) so later set-ups reuse it
# (scripts/build_mmcv.sh: CPU ops with the GPU hidden, the same wheel on every
# machine; MMPOSGAN_MMCV_CUDA=1 builds CUDA ops, which need nvcc of torch's CUDA).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PYTHON_BIN="${PYTHON:-python3}"
STAMP="$VENV/.mmposgan-setup"
MMCV_VERSION=2.1.0

hash_inputs() {
    { cat "$ROOT"/requirements/*.txt "$ROOT/scripts/setup_env.sh" "$ROOT/scripts/build_mmcv.sh" \
          "$ROOT/setup.py"; echo "mmcv-cuda=${MMPOSGAN_MMCV_CUDA:-0}"; } | sha256sum | cut -c1-16
}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(hash_inputs)" ]; then
    echo "[setup] environment up to date ($VENV)"
    exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "[setup] creating $VENV"
    "$PYTHON_BIN" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check)

"${PIP[@]}" install -q --upgrade pip
echo "[setup] torch (pinned, first)"
"${PIP[@]}" install -q -r "$ROOT/requirements/torch.txt"
echo "[setup] runtime requirements"
"${PIP[@]}" install -q -r "$ROOT/requirements/runtime.txt" -r "$ROOT/requirements/torch.txt"

# installed mmcv is kept if it has ops, CUDA ops exactly when MMPOSGAN_MMCV_CUDA=1
MMCV_OK="import mmcv, mmcv.ops, os
from mmcv.ops import get_compiling_cuda_version
assert mmcv.__version__ == '$MMCV_VERSION'
has_cuda = get_compiling_cuda_version() != 'not available'
assert has_cuda == (os.environ.get('MMPOSGAN_MMCV_CUDA', '0') == '1')"
if "$PY" -c "$MMCV_OK" 2>/dev/null; then
    echo "[setup] mmcv $MMCV_VERSION with ops already installed"
else
    whl=$(bash "$ROOT/scripts/build_mmcv.sh" "$PY" | tail -n1)
    echo "[setup] installing cached $whl"
    "${PIP[@]}" install -q --no-deps --force-reinstall "$whl"
fi

echo "[setup] mmagic 1.2.0 (--no-deps) and mmposgan"
"${PIP[@]}" install -q --no-deps "mmagic==1.2.0"
"${PIP[@]}" install -q -r "$ROOT/requirements/tests.txt"
"${PIP[@]}" install -q --no-deps --no-build-isolation -e "$ROOT"

"$PY" -c "import mmcv.ops, mmagic.models, mmposgan; print('[setup] imports ok: mmposgan', mmposgan.__version__)"
hash_inputs > "$STAMP"
