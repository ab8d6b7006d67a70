"""Loading checkpoint files and URLs, released mmagic / MMGeneration ones converted on the way.

These are the loaders :mod:`mmposgan.mmengine_patches` registers in
mmengine's ``CheckpointLoader`` (local files and ``http(s)://`` URLs), so
``load_from``, ``--resume``, :func:`mmposgan.apis.init_model` and
``tools/test.py`` load safely (:func:`~mmposgan.utils.safe_load.safe_torch_load`):
mmengine's own URL loader hands downloads to ``torch.load`` without an allow
list.  A URL is downloaded and verified once into the cache
(:mod:`mmposgan.utils.download`) and converted from the released
mmagic/MMGeneration layout when it is one of those.
"""
import os.path as osp
from typing import Optional

from mmengine.dist import barrier, get_dist_info
from mmengine.runner.checkpoint import CheckpointLoader, _load_checkpoint_to_model

from mmposgan.mmengine_patches import register_checkpoint_loaders
from mmposgan.utils.download import CheckpointDownloadError, download_checkpoint
from mmposgan.utils.safe_load import CheckpointFileError, safe_torch_load
from mmposgan.utils.state_dict_check import load_state_dict_strictly
from mmposgan.utils.wrappers import state_dict_of, strip_inner_wrapper_keys, unwrapped_module
from .mmagic import convert_mmagic_checkpoint, detect_layout
from .singan_side_file import load_singan_side_file


def load_from_local(filename, map_location=None):
    """mmengine local-file loader: :func:`safe_torch_load`, then :func:`converted_if_released`.

    A released PE-SinGAN ``x.pth`` finds its fixed-noise side file as ``x.pkl``
    beside it.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint not found: {filename}')
    side = osp.splitext(filename)[0] + '.pkl'
    return converted_if_released(safe_torch_load(filename, map_location=map_location),
                                 lambda: side if osp.isfile(side) else None)


def converted_if_released(checkpoint, side_file=lambda: None):
    """``checkpoint`` in mmposgan's layout if it is a released mmagic/MMGeneration one.

    Anything else (mmposgan's own checkpoints, other models' files) is
    returned unchanged, for the loader's caller to judge.

    Args:
        checkpoint (dict): As loaded.
        side_file (callable): Returns the path of the fixed-noise side file
            (or None); called only for a released PE-SinGAN checkpoint.
    """
    try:
        layout = detect_layout(checkpoint)
    except ValueError:
        return checkpoint
    if layout == 'mmposgan':
        return checkpoint
    side = side_file() if layout == 'mmagic-singan' else None
    return convert_mmagic_checkpoint(checkpoint, singan_side_file=side)


def load_from_url(url, map_location=None):
    """mmengine ``http://`` / ``https://`` loader scheme: download, verify, load safely, convert.

    In distributed runs rank 0 downloads first; the other ranks then find the
    verified file in the cache.  A released mmagic checkpoint is converted
    (:func:`converted_if_released`); a released PE-SinGAN one also fetches its
    fixed-noise side file (:func:`download_side_file`).
    """
    rank, world_size = get_dist_info()
    path, error = None, None
    if rank == 0:
        try:
            path = download_checkpoint(url)
        except Exception as err:  # re-raised after the barrier so no rank waits forever
            error = err
    if world_size > 1:
        barrier()
    if error is not None:
        raise error
    if path is None:
        path = download_checkpoint(url)
    return converted_if_released(safe_torch_load(path, map_location=map_location),
                                 lambda: download_side_file(url))


def load_checkpoint(model, filename, map_location='cpu', strict=True, logger='current',
                    check=None):
    """Load a checkpoint file or URL into ``model`` with the safe loaders.

    Like mmengine's ``load_checkpoint``, and also reads files whose keys carry
    the ``.module`` of DDP wrappers around the generator/discriminator
    (:func:`strip_inner_wrapper_keys`).

    Args:
        model (nn.Module): Where the weights go.
        filename (str): Path or URL.
        map_location (str): As for ``torch.load``.
        strict (bool): Raise :class:`CheckpointMismatchError` (one line)
            when a key is missing, unexpected or of another shape, or when
            ``check`` objects; ``False`` loads what fits and logs the rest
            (mmengine's behaviour).
        logger: mmengine logger for the non-strict messages.
        check (callable | None): ``check(checkpoint, filename)``, called
            before loading when ``strict``; raises if the checkpoint does not
            fit (e.g. a converted release's recorded architecture).

    Returns:
        dict: The loaded checkpoint.
    """
    register_checkpoint_loaders()  # a program may have replaced them since the import
    checkpoint = CheckpointLoader.load_checkpoint(filename, map_location, logger=logger)
    if not isinstance(checkpoint, dict):
        raise CheckpointFileError(f'{filename} holds a {type(checkpoint).__name__}, not a '
                                  'checkpoint dict')
    if not strict:
        if 'state_dict' in checkpoint:
            checkpoint['state_dict'] = strip_inner_wrapper_keys(checkpoint['state_dict'], model)
        return _load_checkpoint_to_model(model, checkpoint, strict=False, logger=logger)
    if check is not None:
        check(checkpoint, filename)
    load_state_dict_strictly(unwrapped_module(model), state_dict_of(checkpoint, model), filename)
    return checkpoint


def side_file_url(url: str) -> str:
    """URL of the PE-SinGAN fixed-noise side file released next to checkpoint ``url``."""
    return osp.splitext(url)[0] + '.pkl'


def _check_side_file(path: str, what: str):
    try:
        load_singan_side_file(path)
    except Exception as err:  # refused globals, not a pickle, wrong content
        raise CheckpointDownloadError(
            f'{what} is not a PE-SinGAN fixed-noise side file: {type(err).__name__}: {err}') \
            from None


def download_side_file(url: str, cache_dir: Optional[str] = None, timeout: float = 60.0) -> str:
    """Download the fixed-noise side file of the released PE-SinGAN checkpoint ``url``.

    mmagic publishes it next to the ``.pth`` under the same name with
    ``.pkl``.  That name carries the ``.pth``'s sha256 prefix, not the side
    file's own, so only the transfer length and the content (the restricted
    unpickler of :mod:`mmposgan.converters.singan_side_file`) are verified.

    Returns:
        str: Path of the verified side file in the cache.
    """
    return download_checkpoint(side_file_url(url), cache_dir, timeout=timeout, name_hash=False,
                               validate=_check_side_file)
