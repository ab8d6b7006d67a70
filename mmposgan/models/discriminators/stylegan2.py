"""StyleGAN2 discriminator with a 2x2 adaptive average pool, for every MS-PIE scale (§3.5)."""
import math
from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.size import log2_of_power_of_two
from ..layers.blur import Blur
from ..layers.equalized import SQRT2, EqualLinear
from ..layers.resolutions import FIRST_MAP_SIZE, stylegan2_channels

SQRT1_2 = math.sqrt(0.5)


class EqualConv2d(nn.Module):
    """Conv with equalized learning rate (weight scaled by ``1/sqrt(fan_in)``)."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_channels, in_channels, kernel_size,
                                               kernel_size))
        self.bias = nn.Parameter(torch.zeros(out_channels)) if bias else None
        self.scale = 1 / math.sqrt(in_channels * kernel_size**2)
        self.stride, self.padding = stride, padding

    def forward(self, x: Tensor, gain: float = 1.0, bias: Optional[Tensor] = None) -> Tensor:
        """``gain * conv(x) + bias``: the gain scales the (small) weight, not the output.

        ``bias`` replaces the layer's own (``gain * self.bias``) when given.  Weight and
        bias follow ``x``'s dtype (bfloat16 feature maps, float32 parameters).
        """
        if bias is None and self.bias is not None:
            bias = self.bias * gain
        weight = (self.weight * (self.scale * gain)).to(x.dtype)
        bias = None if bias is None else bias.to(x.dtype)
        return F.conv2d(x, weight, bias, self.stride, self.padding)


class ConvLayer(nn.Module):
    """[blur] -> conv (stride 2 when downsampling) -> [bias + LeakyReLU x sqrt 2], times ``gain``.

    ``gain * sqrt(2) * leaky_relu(z + b) == leaky_relu(gain * sqrt(2) * (z + b))`` for a
    positive gain, so the gains and the bias are folded into the conv's weight and bias
    (oneDNN/cuDNN add the bias in the conv) and the activation runs in place: one pass
    over the feature map instead of four.  ``gain`` carries the residual block's
    ``1 / sqrt(2)``.
    """

    def __init__(self, in_channels, out_channels, kernel_size, downsample=False, activate=True,
                 bias=True, blur_kernel: Sequence[float] = (1, 3, 3, 1), gain: float = 1.0):
        super().__init__()
        if gain <= 0:
            raise ValueError(f'gain must be positive (it is folded through LeakyReLU), got {gain}')
        self.blur = None
        stride = 1
        if downsample:
            p = len(blur_kernel) - 2 + kernel_size - 1
            # a strided 1x1 conv keeps every other blurred sample: the blur computes only those
            blur_down = 2 if kernel_size == 1 else 1
            self.blur = Blur(blur_kernel, ((p + 1) // 2, p // 2), down=blur_down)
            stride = 2 // blur_down
        self.conv = EqualConv2d(in_channels, out_channels, kernel_size, stride=stride,
                                padding=0 if downsample else kernel_size // 2,
                                bias=bias and not activate)
        self.act_bias = nn.Parameter(torch.zeros(out_channels)) if activate else None
        self.gain = gain

    def forward(self, x: Tensor) -> Tensor:
        if self.blur is not None:
            x = self.blur(x)
        if self.act_bias is None:
            return self.conv(x, self.gain)
        gain = self.gain * SQRT2
        return F.leaky_relu(self.conv(x, gain, self.act_bias * gain), 0.2, inplace=True)


class ResBlock(nn.Module):
    """Residual downsampling block: ``(conv2(conv1(x)) + skip(x)) / sqrt(2)``, size halves."""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv1 = ConvLayer(in_channels, in_channels, 3)
        # the block's 1 / sqrt(2) is folded into the weights of both branches
        self.conv2 = ConvLayer(in_channels, out_channels, 3, downsample=True, gain=SQRT1_2)
        self.skip = ConvLayer(in_channels, out_channels, 1, downsample=True, activate=False,
                              bias=False, gain=SQRT1_2)

    def forward(self, x: Tensor) -> Tensor:
        return self.conv2(self.conv1(x)) + self.skip(x)


def minibatch_stddev(x: Tensor, group_size: int = 4, eps: float = 1e-8) -> Tensor:
    """Append the minibatch standard deviation as one feature map (ProGAN/StyleGAN2)."""
    n, c, h, w = x.shape
    g = min(group_size, n)
    if n % g:
        raise ValueError(f'batch size {n} is not divisible by the minibatch-stddev group {g}')
    y = x.view(g, -1, 1, c, h, w)
    y = (y - y.mean(0)).pow(2).mean(0).add(eps).sqrt()
    y = y.mean(dim=(2, 3, 4)).view(-1, 1, 1, 1).repeat(g, 1, h, w)
    return torch.cat([x, y], 1)


@MODELS.register_module()
class MultiScaleStyleGAN2Discriminator(BaseModule):
    """StyleGAN2 discriminator (residual) that accepts every MS-PIE scale.

    "To keep the input dimension of the last linear layer in the
    discriminator unchanged, we insert a 2x2 adaptive average pooling layer
    before the last linear layer" (§3.5).

    Args:
        in_size (int): Base image size (``2^n``, e.g. 256).
        channel_multiplier (int): As the generator's.
        pool_size (int | None): Adaptive pool output (2 in the paper); None
            keeps the plain StyleGAN2 head, which takes only ``in_size``.
        mbstd_group (int): Minibatch-stddev group size.
        channels (dict | None): Override of the resolution -> channels table.

    Shape:
        ``(N, 3, H, W) -> (N, 1)`` for any ``H, W`` with
        ``H / 2^(n-2) >= 2`` (e.g. 256, 384, 512, 1024 for a 256 model).
    """

    def __init__(self, in_size: int = 256, channel_multiplier: int = 2,
                 pool_size: Optional[int] = 2, mbstd_group: int = 4,
                 channels: Optional[dict] = None, init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        log_size = log2_of_power_of_two(in_size, 'in_size', minimum=8)
        ch = dict(channels or stylegan2_channels(channel_multiplier))
        self.in_size, self.pool_size, self.mbstd_group = in_size, pool_size, mbstd_group
        blocks = [ConvLayer(3, ch[in_size], 1)]
        in_ch = ch[in_size]
        for i in range(log_size, 2, -1):
            blocks.append(ResBlock(in_ch, ch[2**(i - 1)]))
            in_ch = ch[2**(i - 1)]
        self.convs = nn.Sequential(*blocks)
        self.final_conv = ConvLayer(in_ch + 1, ch[FIRST_MAP_SIZE], 3)
        cells = (pool_size or FIRST_MAP_SIZE)**2
        last = ch[FIRST_MAP_SIZE]
        self.final_linear = nn.Sequential(EqualLinear(last * cells, last, activate=True),
                                          EqualLinear(last, 1))

    def forward(self, x: Tensor) -> Tensor:
        x = self.convs(x)
        x = self.final_conv(minibatch_stddev(x, self.mbstd_group))
        if self.pool_size:
            x = F.adaptive_avg_pool2d(x, self.pool_size)
        elif x.shape[-2:] != (FIRST_MAP_SIZE, FIRST_MAP_SIZE):
            raise ValueError(f'without the adaptive pool this discriminator takes '
                             f'{self.in_size}px images, got {tuple(x.shape[-2:])} features '
                             f'(set pool_size=2 for MS-PIE)')
        return self.final_linear(x.flatten(1))
