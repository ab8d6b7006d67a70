"""The paper's padding-free generators: flat mean maps (Eq. 3) and shift equivariance (§4.1).

``mean-map``: for StyleGAN2, DCGAN, PGGAN and SinGAN with random weights, the
per-pixel mean of the output over ``N`` i.i.d. inputs, normalised by its sampling
error, ``z_i = |m_i - mean_j m_j| / (s_i / sqrt(N))``; a flat mean map gives
``max z`` below ``c = Phi^-1(1 - alpha / (2P))`` and ``mean z ~ 0.80``.

``shift``: a generator whose blocks upsample exactly 2x and whose convs are valid
is shift-equivariant: shifting its i.i.d. input by ``d`` cells shifts the output by
``2^B d`` pixels (``B`` blocks).  The padding-free schemes interpolate each block
input to ``2H + 2s`` (``align_corners=True``), which is not an exact 2x:

    rel. error = ||G(shift_d x) - shift_{2^B d} G(x)|| / ||G(x) - mean G(x)||

over the overlap of both outputs (``whole``) and ``margin`` output pixels away
from every border (``interior``), averaged over seeds, for a plain stack of ``B``
upsampling blocks of two 3x3 convs built with each padding mode's ``prepare`` /
``stack_borders`` (``NoPad`` there is the exact reference: bilinear 2x with
``align_corners=False`` and valid convs) and for ``PositionalStyleGAN2Generator``
(random weights, noise off, one latent, the head replaced by the i.i.d. input).

    python tools/analysis/padding_free.py mean-map --samples 8192
    python tools/analysis/padding_free.py shift --seeds 5 --side 16

``tests/models/generators/test_padding_free_generators.py`` runs the same models.
"""
import argparse
import json
import math
from statistics import NormalDist

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmposgan.models.layers import build_padding
from mmposgan.registry import MODELS
from mmposgan.utils.launch import run_cli

ALPHA = 1e-3


# ------------------------------------------------------------ the models, random weights


def randomize(gen, he_init=False):
    """Random biases (zero at init); ``he_init``: conv weights ``N(0, 2 / fan_in)``
    instead of SinGAN's ``N(0, 0.02)``, under which the signal fades in a few layers."""
    with torch.no_grad():
        for name, p in gen.named_parameters():
            if name.endswith('bias'):
                p.normal_(0, 0.2)
            elif he_init and p.dim() == 4:
                p.normal_(0, math.sqrt(2 / p[0].numel()))
    return gen.eval()


def replace_output(module, make):
    """Make ``module`` return ``make(its output)`` (the generator's first map)."""
    return module.register_forward_hook(lambda m, args, out: make(out))


def per_channel_constant(out):
    return torch.randn(1, out.shape[1], 1, 1).expand_as(out).contiguous()


def stylegan2(padding):
    """``(constant input -> image, N -> N images of i.i.d. inputs)``, noise off."""
    torch.manual_seed(0)
    gen = randomize(MODELS.build(dict(
        type='PositionalStyleGAN2Generator', out_size=32, style_channels=16, num_mlps=2,
        channels={4: 16, 8: 16, 16: 8, 32: 8}, upsample='BilinearThenConv', padding=padding)))
    w = gen.mapping(torch.randn(1, 16))
    side = gen.head_input_size()

    def run(head):
        return gen(w.expand(head.shape[0], -1), input_is_latent=True, add_noise=False,
                   head_input=head)

    return (lambda: run(torch.full((1, 16, side, side), 0.5)),
            lambda n: run(torch.randn(n, 16, side, side)))


def _first_map_runner(gen, module, noise_size):
    def run(n, make):
        hook = replace_output(module, make)
        try:
            return gen(torch.randn(n, noise_size))
        finally:
            hook.remove()

    return lambda: run(1, per_channel_constant), lambda n: run(n, torch.randn_like)


def dcgan(padding):
    torch.manual_seed(0)
    gen = randomize(MODELS.build(dict(
        type='PaddingStudyDCGANGenerator', out_size=32, noise_size=8, base_channels=16,
        padding=padding)))
    return _first_map_runner(gen, gen.input_act, 8)  # the first 4x4 map


def pggan(padding):
    torch.manual_seed(0)
    gen = randomize(MODELS.build(dict(
        type='PaddingStudyPGGANGenerator', noise_size=8, out_scale=32, base_channels=128,
        max_channels=8, padding=padding)))
    return _first_map_runner(gen, gen.noise2feat, 8)  # the first map (6x6 padding-free)


def singan(padding):
    torch.manual_seed(0)
    gen = randomize(MODELS.build(dict(
        type='PositionalSinGANGenerator', num_scales=2, base_channels=8, min_feat_channels=8,
        padding=padding)), he_init=True)
    noises = gen.make_fixed_noises([(16, 16), (21, 21), (28, 28)])
    weights = [1.0, 0.5, 0.3]

    def constant():
        fixed = [per_channel_constant(noises[0])] + [torch.zeros_like(n) for n in noises[1:]]
        return gen(None, fixed, weights, 'recon', 2)

    return constant, lambda n: gen(None, noises, weights, 'rand', 2, num_batches=n)


#: architecture -> (builder, its padding-free mode as in the configs, its zero padding)
ARCHITECTURES = {
    'stylegan2': (stylegan2, 'InterpPad', 'ZeroPadConv'),
    'dcgan': (dcgan, 'InterpPad', 'ZeroPadConv'),
    'pggan': (pggan, 'InterpPad', 'ZeroPadConv'),
    'singan': (singan, dict(type='InterpPad', mode='bicubic'), 'ZeroPadInput'),
}


def mean_map_deviation(outputs, alpha: float = ALPHA):
    """``(max z, mean z, c)`` of the per-pixel means of ``outputs`` ``(N, C, H, W)``.

    ``c`` bounds every ``z_i`` with probability ``1 - alpha`` for a flat mean map
    (two-sided, Bonferroni over the ``C * H * W`` pixels and channels).
    """
    n = outputs.shape[0]
    mean, std = outputs.mean(0), outputs.std(0)
    z = (mean - mean.mean((-2, -1), keepdim=True)).abs() / (std / math.sqrt(n))
    bound = NormalDist().inv_cdf(1 - alpha / (2 * mean.numel()))
    return z.max().item(), z.mean().item(), bound


def mean_map(args):
    rows = []
    for arch, (build, free, zero) in ARCHITECTURES.items():
        for padding in (free, 'PerConvInterpPad', zero):
            name = padding if isinstance(padding, str) else padding['type']
            try:
                _, iid = build(padding)
            except ValueError:  # e.g. SinGAN refuses PerConvInterpPad
                continue
            torch.manual_seed(1)
            with torch.no_grad():
                outputs = torch.cat([iid(min(512, args.samples - done))
                                     for done in range(0, args.samples, 512)])
            zmax, zmean, bound = mean_map_deviation(outputs)
            rows.append(dict(model=arch, padding=name, max_z=zmax, mean_z=zmean, bound=bound,
                             samples=args.samples))
            print(f'{arch:9s} {name:17s} max z {zmax:8.2f}  mean z {zmean:8.3f}  (c = {bound:.2f})')
    return rows


# ------------------------------------------------------------ shift equivariance


class Stack(nn.Module):
    """``blocks`` x (2x upsampling, 3x3 conv, LeakyReLU, 3x3 conv, LeakyReLU)."""

    def __init__(self, mode: str, blocks: int, channels: int):
        super().__init__()
        self.padding = build_padding(mode)
        self.borders = self.padding.stack_borders([1, 1])
        pad = self.padding.conv_padding(3)
        self.convs = nn.ModuleList(nn.Conv2d(channels, channels, 3, padding=pad)
                                   for _ in range(2 * blocks))
        for conv in self.convs:  # He init: the signal keeps its scale through the stack
            nn.init.kaiming_normal_(conv.weight, a=0.2, nonlinearity='leaky_relu')
            nn.init.normal_(conv.bias, 0, 0.2)

    def forward(self, x):
        for i, conv in enumerate(self.convs):
            factor = 2 if i % 2 == 0 else 1
            x = self.padding.prepare(x, (factor * x.shape[2], factor * x.shape[3]),
                                     self.borders[i % 2])
            x = F.leaky_relu(conv(x), 0.2)
        return x


def relative_error(run, field: torch.Tensor, side: int, shift: int, scale: int, margin: int):
    """``(whole, interior)`` relative error for an input shift of ``shift`` cells."""
    y = run(field[..., :side, :side])
    y_shift = run(field[..., shift:shift + side, shift:shift + side])
    d = shift * scale
    # y_shift[i] should equal y[i + d] wherever both exist
    a, b = y_shift[..., :y.shape[-2] - d, :y.shape[-1] - d], y[..., d:, d:]
    norm = (y - y.mean()).pow(2).mean().sqrt()  # the output's spatial variation
    whole = (a - b).pow(2).mean().sqrt() / norm
    inner = (a - b)[..., margin:-margin, margin:-margin]
    return float(whole), float(inner.pow(2).mean().sqrt() / norm)


def _stylegan2_runner(mode: str, seed: int, blocks: int):
    torch.manual_seed(seed)
    gen = randomize(MODELS.build(dict(
        type='PositionalStyleGAN2Generator', out_size=4 * 2**blocks, style_channels=16,
        num_mlps=2, channels={2**i: 16 for i in range(2, blocks + 3)},
        upsample='BilinearThenConv', padding=mode))).double()
    w = gen.mapping(torch.randn(1, 16, dtype=torch.float64))
    grow = gen.head_size(4) - 4

    def run(head):  # the head is the i.i.d. input, at the generator's own head size
        return gen(w, input_is_latent=True, add_noise=False, head_input=head,
                   scale_offset=head.shape[-1] - grow - 4)

    return run, gen.head.out_channels, grow


def shift(args):
    rows = []
    scale = 2**args.blocks
    for kind, modes in (('stack', ('ZeroPadConv', 'InterpPad', 'PerConvInterpPad', 'NoPad')),
                        ('stylegan2', ('ZeroPadConv', 'InterpPad', 'PerConvInterpPad'))):
        for mode in modes:
            errs = []
            for seed in range(args.seeds):
                if kind == 'stack':
                    torch.manual_seed(seed)
                    run, channels, grow = Stack(mode, args.blocks, args.channels).double(), \
                        args.channels, 0
                else:
                    run, channels, grow = _stylegan2_runner(mode, seed, args.blocks)
                side = args.side + grow
                field = torch.randn(1, channels, side + args.shift, side + args.shift,
                                    generator=torch.Generator().manual_seed(1000 + seed),
                                    dtype=torch.float64)
                with torch.no_grad():
                    errs.append(relative_error(run, field, side, args.shift, scale, args.margin))
            whole = sum(e[0] for e in errs) / len(errs)
            inner = sum(e[1] for e in errs) / len(errs)
            rows.append(dict(model=kind, padding=mode, whole=whole, interior=inner,
                             seeds=args.seeds, side=args.side))
            print(f'{kind:9s} {mode:17s} whole {whole:.3e}  interior {inner:.3e}')
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = parser.add_subparsers(dest='measure', required=True)
    m = sub.add_parser('mean-map', help='flatness of the mean map over i.i.d. inputs (Eq. 3)')
    m.add_argument('--samples', type=int, default=8192)
    s = sub.add_parser('shift', help='departure from shift equivariance')
    s.add_argument('--blocks', type=int, default=3, help='upsampling blocks')
    s.add_argument('--side', type=int, default=16, help='input side (cells)')
    s.add_argument('--shift', type=int, default=1, help='input shift (cells)')
    s.add_argument('--channels', type=int, default=8, help='channels of the plain stack')
    s.add_argument('--margin', type=int, default=32, help='output pixels left out at borders')
    s.add_argument('--seeds', type=int, default=5)
    for p in (m, s):
        p.add_argument('--json', help='write the table here')
    args = parser.parse_args(argv)
    from mmengine.registry import init_default_scope
    init_default_scope('mmposgan')
    torch.set_num_threads(1)
    rows = mean_map(args) if args.measure == 'mean-map' else shift(args)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(dict(args=vars(args), rows=rows), f, indent=1)
    return rows


if __name__ == '__main__':
    run_cli(main)
