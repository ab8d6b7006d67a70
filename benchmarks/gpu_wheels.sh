#!/usr/bin/env bash
# Fill .whl/ with the wheels that benchmarks/gpu_run.sh installs on a GPU machine whose
# Python (3.12) has torch 2.11 and numpy 2 but no OpenMMLab stack and no package index
# (this workplace's nvidia-h200 machines; docs/install.md says why each is needed):
#
#   MMPOSGAN_CACHE=/work/gpu bash benchmarks/gpu_wheels.sh PYTHON
#
# PYTHON: a Python 3.12 venv with that machine's torch (2.11.0) and `wheel`, in which
# scripts/build_mmcv.sh builds mmcv 2.1.0 with CPU ops once (~14 min on 2 cores; cached in
# $MMPOSGAN_CACHE/wheels, matched by the cp312 tag); its debug info is stripped (32 MB ->
# 1.3 MB).  The whole folder is ~17 MB (a device call carries at most 64 MiB).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY=${1:?usage: gpu_wheels.sh PYTHON3.12_WITH_TORCH}
DEST="$ROOT/.whl"
PINS=(mmengine==0.10.7 mmagic==1.2.0 addict==2.4.0 yapf==0.43.0 platformdirs==4.14.8
      termcolor==3.3.0 diffusers==0.24.0 transformers==4.36.2 tokenizers==0.15.2
      huggingface_hub==0.25.2 lpips==0.1.4 resize-right==0.0.2 albumentations==1.3.1
      qudida==0.0.4)
mkdir -p "$DEST"
"$PY" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
    --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux2014_x86_64 -d "$DEST" "${PINS[@]}"
whl=$(bash "$ROOT/scripts/build_mmcv.sh" "$PY" | tail -n1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PY" -m wheel unpack -d "$tmp" "$whl" >/dev/null
strip --strip-debug "$tmp"/mmcv-*/mmcv/_ext*.so
rm -f "$DEST"/mmcv-*.whl
"$PY" -m wheel pack -d "$DEST" "$tmp"/mmcv-* >/dev/null
ls -1 "$DEST"
du -sh "$DEST"
