#!/usr/bin/env bash
# Train the PE-SinGAN demo on the shipped balloons image and write sample PNGs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CONFIG=${1:-configs/pe_singan/singan_spe-8ch_demo_balloons.py}
WORK_DIR=${2:-work_dirs/demo}
PY=.venv/bin/python
rm -rf "$WORK_DIR"
echo "[demo] training $CONFIG (work dir $WORK_DIR)"
"$PY" tools/train.py "$CONFIG" --work-dir "$WORK_DIR"
CKPT=$(cat "$WORK_DIR/last_checkpoint")
"$PY" tools/sample.py "$CONFIG" "$CKPT" --out "$WORK_DIR/samples" --num 8 --recon
"$PY" tools/sample.py "$CONFIG" "$CKPT" --out "$WORK_DIR/samples" --num 8 --width-scale 1.5
echo
echo "[demo] done. Sample PNGs:"
ls -1 "$ROOT/$WORK_DIR"/samples/*.png "$ROOT/$WORK_DIR"/vis/*.png | sed 's/^/  /'
