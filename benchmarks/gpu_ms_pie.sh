#!/usr/bin/env bash
# GPU check of MS-PIE memory and speed (paper App. D.2): run on a CUDA machine whose Python
# lacks the OpenMMLab stack, with the wheels of `.whl/` (mmcv-lite, mmengine, mmagic, ...):
#   bash benchmarks/gpu_ms_pie.sh OUT_DIR
# Measures mmposgan's G+D training step of the paper's 256^2 StyleGAN2-C2 (batch 3) at
# 256/384/512 and the mixed 0.5/0.25/0.25 schedule: peak allocated and reserved memory.
source "$(dirname "$0")/gpu_env.sh" "${1:-/tmp/gpu_out}"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$OUT/gpu.txt"
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name())" \
    | tee -a "$OUT/gpu.txt"
B=(python3 benchmarks/ms_pie_step.py --device cuda --impls mmposgan --base 256 --batch 3
   --channel-multiplier 2 --steps 16)
echo "== default allocator, cudnn.benchmark off" | tee "$OUT/summary.txt"
"${B[@]}" --schedules 0 2 4 mixed --json "$OUT/default.json" 2>&1 | tee -a "$OUT/summary.txt"
echo "== cudnn.benchmark on (mmagic's configs)" | tee -a "$OUT/summary.txt"
"${B[@]}" --cudnn-benchmark --schedules 4 mixed --json "$OUT/cudnn_benchmark.json" 2>&1 \
    | tee -a "$OUT/summary.txt"
echo "== PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True" | tee -a "$OUT/summary.txt"
PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True "${B[@]}" --schedules 4 mixed \
    --json "$OUT/expandable.json" 2>&1 | tee -a "$OUT/summary.txt"
