#!/usr/bin/env bash
# One GPU session of issue 15, on a CUDA machine whose Python has torch but not the
# OpenMMLab stack (the wheels of .whl/: mmcv 2.1.0 with CPU ops, mmengine, mmagic, ...):
#
#   bash benchmarks/gpu_run.sh OUT_DIR
#
# Stages, each under its own time limit (all of them end within DEADLINE seconds, default
# 520, of the start); a failing stage does not stop the next:
#   0. config F, batch 8, at 512 with torch's defaults, its FLOPs per step and a kernel
#      profile (where the time goes; the first H200 run measured 1.9 s per step, 27 TFLOP/s)
#   1. the MS-PIE training-step sweep of config F, batch 8 (benchmarks/ms_pie_train.py):
#      the speed settings at 512, bfloat16 first (strict float32 and TF32 were measured:
#      docs/benchmarks.md), then the first and the two fastest at 256, 384 and the mixed
#      schedule, as far as the time allows
#   2. the CUDA tests (tests/cuda)
#   3. low precision vs float32 over 80 iterations at 256 (benchmarks/amp_quality.py)
#   4. torch.compile of G and D at 512, with the time left (its table in bench.log)
# Writes to OUT_DIR: env.txt profile.json profile.txt bench.json bench.log pytest.log
# quality.json quality.png (8 files, the most that come back; the run's log is on stdout).
source "$(dirname "$0")/gpu_env.sh" "${1:-/tmp/gpu_out}"
set +e -o pipefail
# numpy 2 there: benchmarks/gpu_site/sitecustomize.py aliases np.bool8 for mmagic 1.2.0
export PYTHONPATH="$PWD/benchmarks/gpu_site:$PWD:${PYTHONPATH:-}"
T0=$SECONDS
DEADLINE=${DEADLINE:-520}
stage() { echo "=== [$((SECONDS - T0)) s] $*"; }
# the smaller of a stage's own limit and the time left before DEADLINE minus a reserve
limit() {
    local left=$((T0 + DEADLINE - SECONDS - ${2:-0}))
    left=$(( left < $1 ? left : $1 ))
    echo $(( left < 1 ? 1 : left ))
}

stage "environment"
{
    nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm,clocks.max.sm \
        --format=csv
    python3 -c "import sys, torch, numpy; print('python', sys.version.split()[0], 'torch',
torch.__version__, 'cuda', torch.version.cuda, 'cudnn', torch.backends.cudnn.version(),
'numpy', numpy.__version__, torch.cuda.is_available() and torch.cuda.get_device_name())"
    python3 -m pip list 2>/dev/null | grep -iE '^(mmcv|mmengine|mmagic|opencv|transformers|hugg|diffusers|pillow|scipy|torchvision) '
    python3 -c "import mmcv.ops, mmagic.models, mmposgan; print('imports ok: mmcv',
mmcv.__version__, 'ops', mmcv.ops.get_compiling_cuda_version())"
} 2>&1 | tee "$OUT/env.txt"

# SMOKE=1: the same stages on the CPU with the tiny config and a few steps (checks this script)
DEV=(--device cuda) SIZES=(512 256 384 mixed) STEP=(--batch 8 --steps 16) Q=(--size 256
     --batch 8 --iters 80 --window 20)
if [ "${SMOKE:-0}" = 1 ]; then
    DEV=(--device cpu --threads 1
         --config configs/ms_pie_stylegan2/mspie-stylegan2_spe-expand_pad_tiny_1xb4-4iters_folder-32-64.py)
    SIZES=(64 32 48 mixed) STEP=(--batch 4 --steps 1 --warmup 1)
    Q=(--size 32 --batch 4 --iters 2 --window 1)
fi

BEST_FILE=/tmp/best_setting
echo 'bf16-64-cl:tf32=1,lp=bfloat16,min=64,cl=1' > "$BEST_FILE"

stage "0. the torch defaults at ${SIZES[0]} and where their time goes (kernel profile)"
timeout "$(limit 100 240)" python3 benchmarks/ms_pie_train.py "${DEV[@]}" "${STEP[@]}" \
    --schedules "${SIZES[0]}" --flops --profile "$OUT/profile.txt" --json "$OUT/profile.json" \
    --setting default 2>&1 | tee "$OUT/bench.log"
echo "rc=$?" | tee -a "$OUT/bench.log"

stage "1. training-step sweep (config F, batch 8)"
timeout "$(limit 240 120)" python3 benchmarks/ms_pie_train.py "${DEV[@]}" "${STEP[@]}" \
    --schedules "${SIZES[@]}" --then-scales 2 --json "$OUT/bench.json" \
    --setting bf16-64-cl:tf32=1,lp=bfloat16,min=64,cl=1 \
    --setting bf16-64:tf32=1,lp=bfloat16,min=64 \
    --setting bf16-128:tf32=1,lp=bfloat16,min=128 \
    --setting tf32-grouped:tf32=1,modconv=grouped \
    --setting tf32-cl:tf32=1,cl=1 \
    --setting bf16-64-cl-cudnn:tf32=1,lp=bfloat16,min=64,cl=1,cudnn=1 \
    --setting fp16-64-cl:tf32=1,lp=float16,min=64,cl=1 \
    2>&1 | tee -a "$OUT/bench.log"
echo "rc=$?" | tee -a "$OUT/bench.log"
# the fastest bfloat16 setting with finite losses at 512 (for stages 3 and 4)
python3 - "$OUT/bench.json" "$BEST_FILE" <<'EOF'
import json, sys
try:
    res = json.load(open(sys.argv[1]))['results']
    first = res[0]['schedule']
    ok = [r for r in res if r.get('finite') and r['schedule'] == first
          and r['opts'].get('lp') == 'bfloat16']
    best = min(ok, key=lambda r: r['seconds'])
    text = best['setting'] + ':' + ','.join(f'{k}={v}' for k, v in best['opts'].items())
    open(sys.argv[2], 'w').write(text)
    print('fastest bfloat16 setting:', text)
except Exception as e:
    print('no sweep result to pick from:', e)
EOF

stage "2. CUDA tests"
timeout "$(limit 130 90)" python3 -m pytest -q -p no:cacheprovider -rs tests/cuda 2>&1 | tee "$OUT/pytest.log"
echo "rc=$?" | tee -a "$OUT/pytest.log"

stage "3. low precision vs float32, 80 iterations at 256"
timeout "$(limit 90)" python3 benchmarks/amp_quality.py "${DEV[@]}" "${Q[@]}" \
    --setting "$(cat "$BEST_FILE")" --json "$OUT/quality.json" --png "$OUT/quality.png" \
    2>&1 | tee -a "$OUT/bench.log"
echo "rc=$?" | tee -a "$OUT/bench.log"

stage "4. torch.compile of G and D at 512 (with the time left: $(limit 200) s)"
[ "$(limit 200)" -ge 60 ] && timeout "$(limit 200)" python3 benchmarks/ms_pie_train.py \
    "${DEV[@]}" "${STEP[@]}" --schedules "${SIZES[0]}" --json /tmp/compile.json \
    --setting "$(cat "$BEST_FILE")" \
    --setting "compiled:$(cut -d: -f2 "$BEST_FILE"),compile=1" 2>&1 | tee -a "$OUT/bench.log"
echo "rc=$?" | tee -a "$OUT/bench.log"
stage "done"
