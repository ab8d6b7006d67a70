#!/usr/bin/env bash
# GPU: float32 vs bfloat16 autocast for mmposgan's MS-PIE step (256^2 C2, batch 3).
#   bash benchmarks/gpu_ms_pie_amp.sh OUT_DIR
source "$(dirname "$0")/gpu_env.sh" "${1:-/tmp/gpu_out}"
B=(python3 benchmarks/ms_pie_step.py --device cuda --impls mmposgan --base 256 --batch 3
   --channel-multiplier 2 --steps 16 --schedules 0 4 mixed)
echo "== float32" | tee "$OUT/amp_summary.txt"
"${B[@]}" --json "$OUT/fp32.json" 2>&1 | tee -a "$OUT/amp_summary.txt"
echo "== bfloat16 autocast" | tee -a "$OUT/amp_summary.txt"
"${B[@]}" --amp --json "$OUT/bf16.json" 2>&1 | tee -a "$OUT/amp_summary.txt"
