#!/usr/bin/env bash
# Build (once) and cache the mmcv 2.1.0 wheel with compiled ops for a Python + torch.
#
#   bash scripts/build_mmcv.sh PYTHON            # prints the cached wheel's path last
#   bash scripts/build_mmcv.sh --dry-run PYTHON  # prints the build command, builds nothing
#
# Default: CPU ops, built with the GPU hidden (CUDA_VISIBLE_DEVICES= ; mmcv's setup.py
# compiles CUDA ops as soon as torch.cuda.is_available()), so every machine, with or
# without a GPU or nvcc, builds the same wheel, cached in $MMPOSGAN_CACHE/wheels.
# mmposgan's networks need no mmcv op (docs/install.md), only the import.
#
# MMPOSGAN_MMCV_CUDA=1: CUDA ops (FORCE_CUDA=1).  Needs nvcc (on PATH or in
# $CUDA_HOME/bin) of the CUDA version torch was built with (torch.version.cuda, same
# major.minor) and ~1 h on few cores.  Cached apart from the CPU wheel, in
# $MMPOSGAN_CACHE/wheels-cuda/torch<version>, so neither is taken for the other.
set -euo pipefail

DRY_RUN=0
if [ "${1:-}" = "--dry-run" ]; then
    DRY_RUN=1
    shift
fi
PY=${1:?usage: build_mmcv.sh [--dry-run] PYTHON}
MMCV_VERSION=2.1.0
CACHE="${MMPOSGAN_CACHE:-$HOME/.cache/mmposgan}"
CUDA_OPS="${MMPOSGAN_MMCV_CUDA:-0}"
JOBS="${MAX_JOBS:-2}"

# the interpreter's wheel tag (cp311) and torch's version and CUDA version
read -r PYTAG TORCH_VERSION TORCH_CUDA < <("$PY" -c "
import sys, torch
print(f'cp{sys.version_info[0]}{sys.version_info[1]}', torch.__version__.split('+')[0],
      torch.version.cuda or 'none')") || true
if [ -z "${TORCH_VERSION:-}" ]; then
    echo "[mmcv] $PY cannot import torch: install torch first" >&2
    exit 2
fi

case "$CUDA_OPS" in
0)
    WHEELS="$CACHE/wheels"
    BUILD_ENV=(CUDA_VISIBLE_DEVICES= MMCV_WITH_OPS=1 FORCE_CUDA=0 MAX_JOBS="$JOBS")
    ;;
1)
    if [ "$TORCH_CUDA" = none ]; then
        echo "[mmcv] MMPOSGAN_MMCV_CUDA=1 but torch $TORCH_VERSION is a CPU-only build" >&2
        exit 2
    fi
    NVCC=$(command -v nvcc || true)
    if [ -z "$NVCC" ] && [ -n "${CUDA_HOME:-}" ] && [ -x "$CUDA_HOME/bin/nvcc" ]; then
        NVCC="$CUDA_HOME/bin/nvcc"
    fi
    if [ -z "$NVCC" ]; then
        echo "[mmcv] MMPOSGAN_MMCV_CUDA=1 needs nvcc of CUDA $TORCH_CUDA (torch $TORCH_VERSION)" \
             "on PATH or in \$CUDA_HOME/bin; unset it to build CPU ops" >&2
        exit 2
    fi
    NVCC_CUDA=$("$NVCC" --version | sed -n 's/.*release \([0-9]*\.[0-9]*\).*/\1/p')
    if [ "$NVCC_CUDA" != "$TORCH_CUDA" ]; then
        echo "[mmcv] nvcc is CUDA $NVCC_CUDA ($NVCC) but torch $TORCH_VERSION was built with" \
             "CUDA $TORCH_CUDA: install that toolkit or unset MMPOSGAN_MMCV_CUDA" >&2
        exit 2
    fi
    WHEELS="$CACHE/wheels-cuda/torch$TORCH_VERSION-cu${TORCH_CUDA/./}"
    BUILD_ENV=(MMCV_WITH_OPS=1 FORCE_CUDA=1 MAX_JOBS="$JOBS")
    ;;
*)
    echo "[mmcv] MMPOSGAN_MMCV_CUDA must be 0 or 1, got '$CUDA_OPS'" >&2
    exit 2
    ;;
esac

CACHED=$(ls "$WHEELS"/mmcv-"$MMCV_VERSION"-"$PYTAG"-*.whl 2>/dev/null | head -n1 || true)
if [ "$DRY_RUN" = 1 ]; then
    echo "wheel dir: $WHEELS"
    echo "cached: ${CACHED:-none}"
    echo "build: env ${BUILD_ENV[*]} $PY -m pip wheel --no-deps --no-build-isolation" \
         "-w BUILD/dist BUILD/mmcv-$MMCV_VERSION"
    exit 0
fi
if [ -n "$CACHED" ]; then
    echo "$CACHED"
    exit 0
fi

echo "[mmcv] building mmcv $MMCV_VERSION with $( [ "$CUDA_OPS" = 1 ] && echo CUDA || echo CPU)" \
     "ops for $PYTAG, torch $TORCH_VERSION (once; ~14 min on 2 cores for CPU ops)" >&2
BUILD=$(mktemp -d)
trap 'rm -rf "$BUILD"' EXIT
"$PY" -m pip --disable-pip-version-check download -q --no-deps --no-build-isolation \
    --no-binary :all: -d "$BUILD" "mmcv==$MMCV_VERSION" >&2
tar -xzf "$BUILD/mmcv-$MMCV_VERSION.tar.gz" -C "$BUILD"
# torch >= 2.10 headers need C++20; mmcv 2.1.0 hard-codes -std=c++17.
sed -i 's/-std=c++17/-std=c++20/g' "$BUILD/mmcv-$MMCV_VERSION/setup.py"
env "${BUILD_ENV[@]}" "$PY" -m pip --disable-pip-version-check wheel -q --no-deps \
    --no-build-isolation -w "$BUILD/dist" "$BUILD/mmcv-$MMCV_VERSION" >&2
mkdir -p "$WHEELS"
cp "$BUILD"/dist/mmcv-"$MMCV_VERSION"-*.whl "$WHEELS"/
ls "$WHEELS"/mmcv-"$MMCV_VERSION"-"$PYTAG"-*.whl | head -n1
