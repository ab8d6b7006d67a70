"""Throughput of the ways PyTorch can run the MS-PIE step's dense 3x3 convolutions.

For the conv shapes that dominate the step (batch 4; 512 channels at 16-64 px,
256 channels at 128 px) prints GFLOP/s of:

* oneDNN (PyTorch's default CPU conv), NCHW and channels_last: forward,
  gradient w.r.t. the input, gradient w.r.t. the weight;
* NNPACK's forward (``torch._nnpack_spatial_convolution``);
* im2col + BLAS GEMM (``F.unfold`` and ``matmul``), forward;
* Winograd F(2x2, 3x3) written with plain tensor ops and batched GEMMs
  (2.25x fewer multiplications), forward.

    python benchmarks/conv_kernels.py [--repeat 3] [--json OUT.json]

FLOPs counted as ``2 * N * C_out * C_in * 9 * H * W`` for every method (the
direct-convolution count), so a method with fewer multiplications shows a
higher figure when it is faster.
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F

SHAPES = [(4, 512, 512, 16), (4, 512, 512, 32), (4, 512, 512, 64), (4, 256, 256, 128)]


def winograd_f2x3(x, w):
    """3x3 'same' conv by Winograd F(2x2, 3x3): ``Y = A^T [(G g G^T) * (B^T d B)] A``."""
    n, c, h, wd = x.shape
    k = w.shape[0]
    th, tw = (h + 1) // 2, (wd + 1) // 2
    x = F.pad(x, (1, 1 + 2 * tw - wd, 1, 1 + 2 * th - h))

    def bt(d):  # B^T d along the last axis of 4-sample windows
        return torch.stack([d[..., 0] - d[..., 2], d[..., 1] + d[..., 2],
                            d[..., 2] - d[..., 1], d[..., 1] - d[..., 3]])

    v = bt(x.unfold(2, 4, 2))  # (4, N, C, th, W+2)
    v = bt(v.unfold(4, 4, 2)).transpose(0, 1)  # (4, 4, N, C, th, tw)
    v = v.permute(0, 1, 3, 2, 4, 5).reshape(16, c, n * th * tw)

    def g(t):  # G t along the last axis
        return torch.stack([t[..., 0], (t[..., 0] + t[..., 1] + t[..., 2]) / 2,
                            (t[..., 0] - t[..., 1] + t[..., 2]) / 2, t[..., 2]])

    u = g(g(w)).reshape(16, k, c)  # (4 rows, 4 columns, K, C)
    m = torch.bmm(u, v).view(4, 4, k, n, th, tw)
    m = torch.stack([m[0] + m[1] + m[2], m[1] - m[2] - m[3]])
    m = torch.stack([m[:, 0] + m[:, 1] + m[:, 2], m[:, 1] - m[:, 2] - m[:, 3]], 1)
    return m.permute(3, 2, 4, 0, 5, 1).reshape(n, k, 2 * th, 2 * tw)[:, :, :h, :wd]


def im2col_gemm(x, w):
    n, c, h, wd = x.shape
    cols = F.unfold(x, 3, padding=1)  # (N, C*9, H*W)
    return (w.view(w.shape[0], -1) @ cols).view(n, -1, h, wd)


def timed(fn, repeat):
    fn()
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--json')
    args = parser.parse_args()
    torch.manual_seed(0)
    rows = []
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, '
          f'CPU capability {torch.backends.cpu.get_cpu_capability()}')
    for n, c, k, h in SHAPES:
        gflop = 2 * n * k * c * 9 * h * h / 1e9
        x, w = torch.randn(n, c, h, h), torch.randn(k, c, 3, 3)
        ref = F.conv2d(x, w, padding=1)
        grad = torch.randn_like(ref)
        row = dict(shape=[n, c, k, h], gflop=gflop)
        for fmt, name in ((torch.contiguous_format, 'onednn'), (torch.channels_last, 'onednn_cl')):
            xf, wf, gf = (t.contiguous(memory_format=fmt) for t in (x, w, grad))
            row[f'{name}_fwd'] = timed(lambda: F.conv2d(xf, wf, padding=1), args.repeat)
            for mask, part in (([True, False, False], 'bwd_input'),
                               ([False, True, False], 'bwd_weight')):
                row[f'{name}_{part}'] = timed(lambda: torch.ops.aten.convolution_backward(
                    gf, xf, wf, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1, mask),
                    args.repeat)
        bias = torch.zeros(k)
        others = dict(nnpack_fwd=lambda: torch._nnpack_spatial_convolution(x, w, bias, [1, 1]),
                      im2col_gemm_fwd=lambda: im2col_gemm(x, w),
                      winograd_fwd=lambda: winograd_f2x3(x, w))
        for name, fn in others.items():
            if name == 'nnpack_fwd' and not torch._nnpack_available():
                continue
            err = ((fn() - ref).abs().max() / ref.abs().max()).item()
            assert err < 1e-4, f'{name} disagrees with F.conv2d: {err}'
            row[name] = timed(fn, args.repeat)
        rows.append(row)
        print(f'\nN={n} C_in={c} C_out={k} {h}x{h}: {gflop:.1f} GFLOP per pass')
        for key, seconds in row.items():
            if key not in ('shape', 'gflop'):
                print(f'  {key:22s} {seconds:7.3f} s  {gflop / seconds:6.0f} GFLOP/s', flush=True)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(dict(torch=torch.__version__, threads=torch.get_num_threads(), rows=rows),
                      f, indent=1)


if __name__ == '__main__':
    main()
