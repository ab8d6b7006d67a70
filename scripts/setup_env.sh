#!/usr/bin/env bash
# Idempotent environment set-up for mmposgan.
#
# Creates .venv in the repository, installs the pinned OpenMMLab stack and
# mmposgan itself (editable).  mmcv 2.1.0 with compiled ops is built from the
# PyPI sdist once (~14 min on 2 cores) and the wheel is cached in
# $MMPOSGAN_CACHE (default ~/.cache/mmposgan) so later set-ups reuse it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PYTHON_BIN="${PYTHON:-python3}"
CACHE="${MMPOSGAN_CACHE:-$HOME/.cache/mmposgan}"
WHEELS="$CACHE/wheels"
STAMP="$VENV/.mmposgan-setup"
MMCV_VERSION=2.1.0

hash_inputs() {
    cat "$ROOT"/requirements/*.txt "$ROOT/scripts/setup_env.sh" "$ROOT/setup.py" | sha256sum | cut -c1-16
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

if "$PY" -c "import mmcv, mmcv.ops; assert mmcv.__version__ == '$MMCV_VERSION'" 2>/dev/null; then
    echo "[setup] mmcv $MMCV_VERSION with ops already installed"
else
    mkdir -p "$WHEELS"
    whl=$(ls "$WHEELS"/mmcv-"$MMCV_VERSION"-*.whl 2>/dev/null | head -n1 || true)
    if [ -z "$whl" ]; then
        echo "[setup] building mmcv $MMCV_VERSION with ops from source (once; ~14 min on 2 cores)"
        build=$(mktemp -d)
        "${PIP[@]}" download -q --no-deps --no-build-isolation --no-binary :all: -d "$build" "mmcv==$MMCV_VERSION"
        tar -xzf "$build"/mmcv-"$MMCV_VERSION".tar.gz -C "$build"
        # torch >= 2.10 headers need C++20; mmcv 2.1.0 hard-codes -std=c++17.
        sed -i 's/-std=c++17/-std=c++20/g' "$build/mmcv-$MMCV_VERSION/setup.py"
        MMCV_WITH_OPS=1 FORCE_CUDA="${FORCE_CUDA:-0}" MAX_JOBS="${MAX_JOBS:-2}" \
            "${PIP[@]}" wheel -q --no-deps --no-build-isolation -w "$build/dist" "$build/mmcv-$MMCV_VERSION"
        cp "$build"/dist/mmcv-"$MMCV_VERSION"-*.whl "$WHEELS"/
        rm -rf "$build"
        whl=$(ls "$WHEELS"/mmcv-"$MMCV_VERSION"-*.whl | head -n1)
    fi
    echo "[setup] installing cached $whl"
    "${PIP[@]}" install -q --no-deps "$whl"
fi

echo "[setup] mmagic 1.2.0 (--no-deps) and mmposgan"
"${PIP[@]}" install -q --no-deps "mmagic==1.2.0"
"${PIP[@]}" install -q -r "$ROOT/requirements/tests.txt"
"${PIP[@]}" install -q --no-deps --no-build-isolation -e "$ROOT"

"$PY" -c "import mmcv.ops, mmagic.models, mmposgan; print('[setup] imports ok: mmposgan', mmposgan.__version__)"
hash_inputs > "$STAMP"
