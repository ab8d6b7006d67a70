"""Imported at start-up when this folder is on PYTHONPATH (benchmarks/gpu_run.sh only).

The GPU machine's Python has numpy 2, which removed ``np.bool8``; mmagic 1.2.0 names it in
a module-level table (``mmagic/utils/trans_utils.py``), so ``import mmagic`` fails there.
``scripts/setup_env.sh`` pins numpy < 2 instead; this alias is for that machine only.
"""
import numpy

if not hasattr(numpy, 'bool8'):
    numpy.bool8 = numpy.bool_
