"""One sampling entry for every model family: ``sample(model, num_samples, seed, **options)``.

Which family a model is of is decided once, here, by a registry of samplers
keyed by model class (the most specific registered class in the model's MRO
wins), not by attribute tests in the tools:

============================  =============================================
model                         options
============================  =============================================
``MultiScaleStyleGAN2``       ``sizes`` (int: square, or ``(h, w)``; any
                              size: one the generator does not make is
                              produced at its next larger size and
                              centre-cropped), ``truncation``, ``seamless``
``PositionalSinGAN``          ``size_scale`` (``(h, w)`` relative to the
                              training image), ``recon``, ``seamless``
mmagic's ``BaseGAN``          none (DCGAN, PGGAN: the training size)
============================  =============================================

``seamless='x'`` (360-degree panoramas) or ``'xy'`` (tiles) makes the model
seamless in place first (:func:`~mmposgan.apis.make_seamless`).  An option a
model's family does not take is a ``ValueError`` naming it.
"""
import inspect
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from mmagic.models.base_models import BaseGAN
from torch import Tensor

from mmposgan.models.gans import MultiScaleStyleGAN2, PositionalSinGAN
from mmposgan.utils.size import Size, size_name, to_size
from .inference import (make_seamless, sample_multiscale, sample_singan, sample_unconditional,
                        sampling_generator)

_SAMPLERS: Dict[type, Callable] = {}


@dataclass
class SampleSet:
    """One grid of samples.

    Attributes:
        name (str): Short name, the file stem tools write it under
            (``'samples_256x512'``, ``'samples_h188xw376'``, ``'recon'``).
        images (Tensor): ``(N, 3, h, w)`` in ``[-1, 1]``, RGB.
        produced (tuple[int, int]): The ``(h, w)`` the generator made; larger
            than the images when they were centre-cropped out of it.
        notes (list[str]): Warnings about the samples (e.g. an unfinished SinGAN).
    """
    name: str
    images: Tensor
    produced: Size
    notes: List[str] = field(default_factory=list)

    @property
    def size(self) -> Size:
        return tuple(int(n) for n in self.images.shape[-2:])

    @property
    def cropped(self) -> bool:
        return self.produced != self.size


def register_sampler(model_type: type):
    """Decorator: ``fn(model, num_samples, seed, *, options...) -> list[SampleSet]`` samples
    models of ``model_type`` and its subclasses; its keyword-only arguments are the options."""
    def register(fn: Callable) -> Callable:
        _SAMPLERS[model_type] = fn
        return fn
    return register


def sampler_for(model) -> Callable:
    """The sampler registered for the most specific class of ``model``.

    Raises:
        ValueError: No sampler for any class of ``model``.
    """
    for cls in type(model).__mro__:
        if cls in _SAMPLERS:
            return _SAMPLERS[cls]
    raise ValueError(f'cannot sample a {type(model).__name__}: mmposgan samples '
                     + ', '.join(cls.__name__ for cls in _SAMPLERS) + ' (and their subclasses)')


def sample_options(model) -> Tuple[str, ...]:
    """Names of the options :func:`sample` takes for ``model`` (its sampler's keyword-only
    arguments)."""
    params = inspect.signature(sampler_for(model)).parameters.values()
    return tuple(p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY)


def sample(model, num_samples: int = 8, seed: Optional[int] = 0, **options) -> List[SampleSet]:
    """Samples of any mmposgan model, as the grids a tool writes.

    Args:
        model: A model from :func:`~mmposgan.apis.init_model`.
        num_samples (int): Images per grid.
        seed (int | None): Seed of the latents / noise (the same at every size).
        **options: Options of the model's family (module docstring; a ``None``
            value is the default).

    Returns:
        list[SampleSet]: One per grid (e.g. one per size).

    Raises:
        ValueError: ``num_samples < 1``, an option the family does not take, or
            a model no sampler is registered for.
    """
    if num_samples < 1:
        raise ValueError(f'num_samples must be >= 1, got {num_samples}')
    takes = sample_options(model)
    extra = [name for name in options if name not in takes]
    if extra:
        raise ValueError(f'{", ".join(extra)} does not apply to {type(model).__name__}; it takes '
                         + (', '.join(takes) or 'no options'))
    options = {name: value for name, value in options.items() if value is not None}
    return sampler_for(model)(model, num_samples, seed, **options)


@register_sampler(MultiScaleStyleGAN2)
def _sample_stylegan2(model, num_samples: int, seed: Optional[int], *,
                      sizes: Optional[Sequence] = None, truncation: float = 1.0,
                      seamless: Optional[str] = None) -> List[SampleSet]:
    """Every size in ``sizes`` (default the base size) from the same latents."""
    if seamless:
        make_seamless(model, seamless)
    generator = sampling_generator(model)
    sizes = list(sizes or [generator.out_size])
    grids = sample_multiscale(model, num_samples, sizes, seed=seed, truncation=truncation)
    return [SampleSet(f'samples_{size_name(size)}', images, generator.producible_size(size))
            for size, images in grids.items()]


@register_sampler(PositionalSinGAN)
def _sample_singan(model, num_samples: int, seed: Optional[int], *,
                   size_scale: Sequence[float] = (1.0, 1.0), recon: bool = False,
                   seamless: Optional[str] = None) -> List[SampleSet]:
    """Random samples at ``size_scale`` of the training image, and the reconstruction."""
    scale = (size_scale, size_scale) if isinstance(size_scale, (int, float)) else size_scale
    if min(scale) <= 0:
        raise ValueError(f'size_scale must be positive, got {tuple(scale)} (height, width)')
    notes = []
    if model.curr_stage < model.num_scales:
        notes.append(f'the checkpoint has trained stages 0..{model.curr_stage} of '
                     f'0..{model.num_scales}; these samples come from stage {model.curr_stage}, '
                     'coarser than the finished model')
    if seamless:
        make_seamless(model, seamless)
    images = sample_singan(model, num_samples, size_scale=tuple(scale), seed=seed)
    h, w = images.shape[-2:]
    sets = [SampleSet(f'samples_h{h}xw{w}', images, (h, w), notes)]
    if recon:
        images = sample_singan(model, 1, mode='recon')
        sets.append(SampleSet('recon', images, to_size(tuple(images.shape[-2:]))))
    return sets


@register_sampler(BaseGAN)
def _sample_single_size(model, num_samples: int, seed: Optional[int]) -> List[SampleSet]:
    """mmagic's unconditional GANs (DCGAN, PGGAN): at the training size only."""
    images = sample_unconditional(model, num_samples, seed=seed)
    h, w = images.shape[-2:]
    return [SampleSet(f'samples_{h}x{w}', images, (h, w))]
