"""How SinGAN's noise maps are drawn for a multi-channel input (paper §3.6, App. E.1).

SinGAN feeds each stage ``z * sigma + up(x)``.  The noise ``z`` is drawn as one
``N(0, 1)`` map shared by all channels of the stage input (broadcast) or as one
independent map per channel; the choice is a module of the generator's config
(``first_noise`` for stage 0, ``noise`` for the later stages).
"""
import torch.nn as nn

from mmposgan.registry import MODELS
from .builder import build_typed


class NoiseMaps(nn.Module):
    """Base class: how many independent ``N(0, 1)`` maps feed a ``channels``-channel input.

    A map count below ``channels`` is broadcast over the channels when the
    noise is added.
    """

    def num_maps(self, channels: int) -> int:
        raise NotImplementedError


@MODELS.register_module()
class SharedNoise(NoiseMaps):
    """One noise map broadcast over every channel.

    The paper's position-aligned noise: "adding the positional encoding with a
    sampled noise map" (§3.6), as the authors' code does (one ``N(0, 1)`` map
    broadcast over the encoding's channels); also SinGAN's own stage-0 noise
    (one map for R, G and B).

    Shape: ``num_maps(C) = 1``.
    """

    def num_maps(self, channels: int) -> int:
        return 1


@MODELS.register_module()
class PerChannelNoise(NoiseMaps):
    """One independent noise map per channel (SinGAN's noise after stage 0).

    Shape: ``num_maps(C) = C``.
    """

    def num_maps(self, channels: int) -> int:
        return channels


def build_noise(cfg) -> NoiseMaps:
    """Build a :class:`NoiseMaps` from a config dict, a type name or a module."""
    return build_typed(cfg, NoiseMaps, 'a noise-map module')
