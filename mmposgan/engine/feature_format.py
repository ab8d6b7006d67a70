"""Precision and memory layout of a network's feature maps (NVIDIA's StyleGAN2 mixed precision).

NVIDIA's StyleGAN2 runs the layers of its highest resolutions in half precision and
every other layer, the mapping network, the style affines, the weight demodulation,
the RGB skip sum and the losses in float32 (``num_fp16_res=4``).  Here that is done
without touching the networks' code: a forward pre-hook on every submodule that holds a
convolution turns the 4-D feature map entering it into ``low_precision`` when both its
sides are at least ``min_size`` pixels, and back into float32 below that size (modules
without a convolution, such as the FIR upsampling of the RGB skip, get no hook and keep
the dtype they are given).  The parameters stay
float32; the layers cast their (small) weights to the dtype of their input, so the
convolutions, upsampling and blurs run in the low precision and every gradient of a
parameter arrives in float32.  The same hook can hand the feature maps over in
``channels_last`` layout (NHWC), which cuDNN's tensor-core kernels prefer.

bfloat16 has float32's exponent range, so it needs no loss scaling, which mmagic's R1
penalty and the path-length regulariser (both ``autograd.grad`` of unscaled outputs)
would otherwise need in float16.
"""
import functools
from typing import List, Optional, Union

import torch
import torch.nn as nn
from torch import Tensor
from torch.utils.hooks import RemovableHandle

DTYPES = {'float32': torch.float32, 'bfloat16': torch.bfloat16, 'float16': torch.float16}


def as_dtype(dtype: Union[None, str, torch.dtype]) -> Optional[torch.dtype]:
    """``torch.dtype`` of a name of :data:`DTYPES` (None and dtypes pass through)."""
    if dtype is None or isinstance(dtype, torch.dtype):
        return dtype
    if dtype not in DTYPES:
        raise ValueError(f'low_precision must be one of {sorted(DTYPES)} or None, got {dtype!r}')
    return DTYPES[dtype]


def _format_input(low_precision: Optional[torch.dtype], min_size: int, channels_last: bool,
                  module: nn.Module, args: tuple):
    if not args or not isinstance(args[0], Tensor):
        return None
    x = args[0]
    if x.dim() != 4 or not x.is_floating_point():
        return None
    kwargs = {}
    if low_precision is not None:
        kwargs['dtype'] = low_precision if min(x.shape[-2:]) >= min_size else torch.float32
    if channels_last:
        kwargs['memory_format'] = torch.channels_last
    y = x.to(**kwargs)  # returns x itself when it already has that dtype and layout
    return None if y is x else (y, *args[1:])


def set_feature_format(module: nn.Module, low_precision: Union[None, str, torch.dtype] = None,
                       min_size: int = 0, channels_last: bool = False) -> List[RemovableHandle]:
    """Run ``module``'s layers on feature maps of the given precision and layout.

    Args:
        module (nn.Module): A generator or discriminator (its parameters stay float32).
        low_precision (str | torch.dtype | None): ``'bfloat16'`` (or ``'float16'``) for
            the feature maps of at least ``min_size`` pixels a side; None leaves every
            dtype as it is.
        min_size (int): Smallest side that runs in ``low_precision``; smaller maps are
            cast back to float32 (0: every 4-D map is low precision).
        channels_last (bool): Hand every 4-D feature map over in NHWC layout.

    Returns:
        list[RemovableHandle]: One handle per hooked submodule (those holding a parameter
        of 4 or more dimensions: a convolution); ``remove()`` them to undo.
    """
    dtype = as_dtype(low_precision)
    if dtype is None and not channels_last:
        return []
    hook = functools.partial(_format_input, dtype, int(min_size), bool(channels_last))
    return [m.register_forward_pre_hook(hook) for m in module.modules()
            if any(p.dim() >= 4 for p in m.parameters())]


def set_tf32(enabled: bool) -> None:
    """TensorFloat-32 in cuDNN convolutions and cuBLAS matrix products (float32 tensors)."""
    torch.backends.cudnn.allow_tf32 = bool(enabled)
    torch.backends.cuda.matmul.allow_tf32 = bool(enabled)
