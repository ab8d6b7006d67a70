"""LPIPS (Zhang et al., CVPR 2018) with its ImageNet backbone from a local file only.

The ``lpips`` package ships its linear calibration layers but takes the
backbone (torchvision's ImageNet AlexNet or VGG16) from the network, which
cannot be reached here, and a randomly initialised backbone gives meaningless
distances.  As for the Inception/VGG files of FID and precision/recall
(:mod:`.feature_nets`): the backbone is read from ``lpips_path``, else from
``$MMPOSGAN_METRIC_WEIGHTS`` (default ``~/.cache/mmposgan/metric_weights``),
else from torch's hub cache where torchvision would have put it; if none has
it, :func:`load_lpips` raises one message naming the file, its URL and
where to place it.  Nothing is downloaded and nothing falls back.
"""
import os.path as osp
from typing import List, Optional, Tuple

import torch

from mmposgan.utils.cache import cache_dir, sha256_of
from .feature_nets import WEIGHTS_ENV

LPIPS_BACKBONES = {
    'alex': dict(filename='alexnet-owt-7be5be79.pth',
                 url='https://download.pytorch.org/models/alexnet-owt-7be5be79.pth'),
    'vgg': dict(filename='vgg16-397923af.pth',
                url='https://download.pytorch.org/models/vgg16-397923af.pth'),
}


def lpips_candidates(net: str, path: Optional[str] = None) -> List[str]:
    """Where the backbone of LPIPS ``net`` is looked for, in order."""
    if net not in LPIPS_BACKBONES:
        raise ValueError(f'LPIPS net must be one of {sorted(LPIPS_BACKBONES)}, got {net!r}')
    if path is not None:
        return [path]
    name = LPIPS_BACKBONES[net]['filename']
    return [osp.join(cache_dir('metric_weights'), name),
            osp.join(torch.hub.get_dir(), 'checkpoints', name)]


def resolve_lpips_backbone(net: str = 'alex', path: Optional[str] = None) -> str:
    """The local file of the LPIPS backbone ``net`` (``'alex'`` or ``'vgg'``).

    Raises:
        FileNotFoundError: naming the file, where it comes from and where to place it.
    """
    candidates = lpips_candidates(net, path)
    for target in candidates:
        if osp.isfile(target):
            return target
    info = LPIPS_BACKBONES[net]
    where = ' or '.join(candidates)
    hint = ('set lpips_path=... in the metric config, or set $' + WEIGHTS_ENV +
            ' to the folder holding it') if path is None else 'or point lpips_path at the file'
    raise FileNotFoundError(
        f"LPIPS (net='{net}') needs its ImageNet backbone {info['filename']} (torchvision's, "
        f"from {info['url']}), not found at {where}. Download it on a machine with internet "
        f'access and place it at {candidates[0]} ({hint}). A random backbone is not '
        'substituted: its distances would mean nothing.')


def load_lpips(net: str = 'alex', path: Optional[str] = None) -> Tuple[torch.nn.Module, str]:
    """LPIPS ``net`` with the backbone of the local file; returns ``(module, file sha256)``.

    The module is called as ``lpips(a, b)`` with RGB images in ``[-1, 1]``
    ``(N, 3, H, W)`` and returns ``(N, 1, 1, 1)`` distances.

    Raises:
        FileNotFoundError: See :func:`resolve_lpips_backbone`.
        ValueError: The file is not torchvision's backbone state dict.
    """
    import lpips  # installed with the OpenMMLab stack (mmagic's PPL uses it)
    target = resolve_lpips_backbone(net, path)
    model = lpips.LPIPS(net=net, pretrained=True, pnet_rand=True, verbose=False)
    try:
        state = torch.load(target, map_location='cpu', weights_only=True)
        features = {k[len('features.'):]: v for k, v in state.items()
                    if k.startswith('features.')}
        own = model.net.state_dict()  # 'slice<k>.<index in features>.<weight|bias>'
        model.net.load_state_dict({key: features[key.split('.', 1)[1]] for key in own})
    except Exception as err:  # not a state dict of torchvision's network
        raise ValueError(f"{target} is not torchvision's {LPIPS_BACKBONES[net]['filename']} "
                         f'(the LPIPS {net} backbone): {type(err).__name__}: {err}') from err
    return model.eval().requires_grad_(False), sha256_of(target)
