"""Feature networks of FID and precision/recall, from local files only.

FID uses Tero Karras's TorchScript Inception-v3 (``inception-2015-12-05.pt``,
the network of the StyleGAN papers' numbers) and precision/recall his
TorchScript VGG16 (``vgg16.pt``).  Neither can be downloaded here, and a
different network (torchvision's Inception or VGG) gives different numbers
(``docs/differences_from_mmagic.md``), so: a file given in the config
(``inception_path`` / ``vgg16_script``), else the file under
``$MMPOSGAN_METRIC_WEIGHTS`` (default ``~/.cache/mmposgan/metric_weights``);
if it is not there, :func:`load_feature_net` raises one message naming the
file, its URL and where to put it.  Nothing is downloaded and nothing falls
back.
"""
import os.path as osp
from typing import Optional, Tuple

import torch

from mmposgan.utils.cache import CACHE_FOLDERS, cache_dir, sha256_of

WEIGHTS_ENV = CACHE_FOLDERS['metric_weights']

FEATURE_NETS = {
    'inception': dict(
        filename='inception-2015-12-05.pt', key='inception_path', metric='FID',
        url='https://nvlabs-fi-cdn.nvidia.com/stylegan2-ada-pytorch/pretrained/metrics/'
            'inception-2015-12-05.pt'),
    'vgg16': dict(
        filename='vgg16.pt', key='vgg16_script', metric='precision/recall',
        url='https://nvlabs-fi-cdn.nvidia.com/stylegan2-ada-pytorch/pretrained/metrics/vgg16.pt'),
}


def resolve_feature_net(name: str, path: Optional[str] = None) -> str:
    """The local file of feature network ``name`` (``'inception'`` or ``'vgg16'``).

    Raises:
        FileNotFoundError: naming the file, where it comes from and where
            to place it.
    """
    info = FEATURE_NETS[name]
    target = path or osp.join(cache_dir('metric_weights'), info['filename'])
    if osp.isfile(target):
        return target
    hint = (f'set {info["key"]}=... in the metric config' if path is None else
            f'or point {info["key"]} at the file')
    raise FileNotFoundError(
        f'{info["metric"]} needs {info["filename"]} (TorchScript, from {info["url"]}), '
        f'not found at {target}. Download it on a machine with internet access and place it '
        f'at {target} ({hint}; or set ${WEIGHTS_ENV} to the folder holding it). '
        'No other network is substituted: its numbers would not be comparable.')


def load_feature_net(name: str, path: Optional[str] = None) -> Tuple[torch.nn.Module, str]:
    """Load the TorchScript feature network; returns ``(module, sha256 of the file)``.

    The module is called as ``net(uint8 images (N, 3, H, W), return_features=True)``.
    """
    target = resolve_feature_net(name, path)
    try:
        net = torch.jit.load(target, map_location='cpu').eval()
    except Exception as err:  # a corrupt or non-TorchScript file
        raise ValueError(f'{target} is not a TorchScript {FEATURE_NETS[name]["filename"]}: '
                         f'{err}') from err
    return net, sha256_of(target)
