"""Does a converted release checkpoint fit the config it is loaded into?

Several released MS-PIE settings have the same keys and shapes and differ
only in parameter-free parts: Tab. 5 (f) and (k) differ in padding and
upsampling, (e) and (f) in how the SPE head is resized.  Loading one into
the other's config raises nothing and gives wrong images.  The converter
records what the released file shows (``meta['mmposgan_conversion']``: the
generator architecture read from the keys, and what the training config
saved inside the file says, when it holds one); :func:`expected_config`
turns that record into the config values that build the same structure,
and :func:`check_converted_architecture` compares them with the config,
raising one error that names both sides.

When a release config's structure is expressed differently (e.g. new head
types), only :func:`expected_config` changes: the record in a converted
file holds facts about the released model, not config spellings.
"""
import inspect
import re
from typing import Any, Dict, Optional

from mmposgan.registry import MODELS
from mmposgan.utils.state_dict_check import PARTIAL_HINT, CheckpointMismatchError

_MISSING = object()


def released_training_settings(meta: Optional[dict]) -> dict:
    """Settings read from the training config a released file keeps in its meta.

    MMGeneration 0.x saves ``meta['config']`` (mmengine: ``meta['cfg']``), the
    config as Python text.  It is not executed; two settings are read with
    regular expressions: ``multi_input_scales`` (the MS-PIE scale offsets)
    and ``interp_head`` (the SPE is interpolated from the base size instead of
    expanded).

    Returns:
        dict: ``scale_offsets`` (list[int]) and/or ``head_resize``
        (``'interp'`` / ``'expand'``), the ones the text states.
    """
    meta = meta if isinstance(meta, dict) else {}
    text = meta.get('config') or meta.get('cfg')
    if not isinstance(text, str):
        return {}
    out = {}
    scales = re.search(r'multi_input_scales\s*=\s*\[([\d,\s]*)\]', text)
    if scales:
        out['scale_offsets'] = [int(v) for v in re.findall(r'\d+', scales.group(1))]
    if re.search(r'head_pos_encoding\s*=\s*dict\(', text):
        interp = re.search(r'interp_head\s*=\s*(True|False)', text)
        out['head_resize'] = 'interp' if interp and interp.group(1) == 'True' else 'expand'
    return out


def expected_config(info: dict) -> Dict[str, Any]:
    """Config values (dotted paths from the config root) that build the recorded structure.

    Args:
        info (dict): ``meta['mmposgan_conversion']`` of a converted checkpoint.

    Returns:
        dict: ``{'model.generator.padding.type': 'ZeroPadConv', ...}``; empty
        for layouts without a recorded architecture.
    """
    arch = info.get('generator')
    if not isinstance(arch, dict):
        return {}
    gen = 'model.generator.'
    out = {gen + 'head.type': arch['head'], gen + 'padding.type': arch['padding'],
           gen + 'upsample.type': arch['upsample']}
    if arch.get('skip_upsample'):
        out[gen + 'skip_upsample.type'] = arch['skip_upsample']
    if arch.get('channel_multiplier') is not None:
        out[gen + 'channel_multiplier'] = arch['channel_multiplier']
    settings = info.get('training', {})
    if 'head_resize' in settings and arch['head'] == 'MMagicSinusoidalEncoding2d':
        out[gen + 'head.resize'] = settings['head_resize']
    if 'scale_offsets' in settings:
        out['train_dataloader.batch_sampler.scales'] = [
            (4 + k) * arch['out_size'] // 4 for k in settings['scale_offsets']]
    return out


def _default(type_name, key):
    cls = MODELS.get(type_name) if isinstance(type_name, str) else type_name
    if cls is None:
        return _MISSING
    param = inspect.signature(cls).parameters.get(key)
    return _MISSING if param is None or param.default is inspect.Parameter.empty \
        else param.default


def config_value(cfg, path: str):
    """The value at a dotted ``path`` of ``cfg``, with registered constructors' defaults.

    A key the config omits takes the default of the constructor of the
    nearest enclosing ``dict(type=...)``; ``x.type`` of a string ``x`` is
    the string (``padding='ZeroPadConv'``).  Returns a private sentinel when
    the path leads nowhere (the value is then not compared).
    """
    node, owner = cfg, None
    for key in path.split('.'):
        if isinstance(node, str) and key == 'type':
            return node
        if not isinstance(node, dict):
            return _MISSING
        owner = node.get('type', owner)
        if key in node:
            node = node[key]
        elif owner is not None:
            node = _default(owner, key)
            if node is _MISSING:
                return _MISSING
        else:
            return _MISSING
    return node


#: Values a config may leave to the constructor, which derives them from others (the
#: generator picks the RGB skip's upsampling from its padding mode): compared when stated.
DERIVED = ('model.generator.skip_upsample.type', )


def _norm(value):
    if isinstance(value, (list, tuple)):
        return [_norm(v) for v in value]
    return value


def check_converted_architecture(cfg, checkpoint: dict, source: str):
    """Raise if a converted release checkpoint was made for another structure than ``cfg``.

    Args:
        cfg (Config | dict): The whole config (``model``, maybe
            ``train_dataloader``).
        checkpoint (dict): As loaded (converted on loading when released).
        source (str): The file or URL, for the message.

    Raises:
        CheckpointMismatchError: One line listing each differing value as
            ``path: checkpoint X, config Y``.
    """
    meta = checkpoint.get('meta') if isinstance(checkpoint, dict) else None
    info = meta.get('mmposgan_conversion') if isinstance(meta, dict) else None
    if not isinstance(info, dict):
        return
    cfg = cfg.to_dict() if hasattr(cfg, 'to_dict') else cfg
    differences = []
    for path, want in expected_config(info).items():
        have = config_value(cfg, path)
        if have is _MISSING and path.startswith('train_dataloader.'):
            continue  # a config without training data: the scales do not matter
        if have in (None, _MISSING) and path in DERIVED:
            continue
        have = None if have is _MISSING else have
        if _norm(have) != _norm(want):
            differences.append(f'{path}: checkpoint {want!r}, config {have!r}')
    if differences:
        raise CheckpointMismatchError(
            f'{source} was converted from a released {info.get("source", "")} model whose '
            f'structure differs from the config ({"; ".join(differences)}); '
            f'{PARTIAL_HINT}')
