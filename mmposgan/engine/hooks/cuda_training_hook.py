"""Speed settings of GAN training that apply on a CUDA device only."""
from typing import Optional, Sequence

from mmengine.hooks import Hook

from mmposgan.registry import HOOKS
from mmposgan.utils.wrappers import unwrapped_module
from ..feature_format import as_dtype, set_feature_format, set_tf32


@HOOKS.register_module()
class CUDATrainingHook(Hook):
    """Before training on a CUDA device: TF32, and the feature-map precision and layout.

    The networks named in ``networks`` (attributes of the model, unwrapped from DDP)
    get :func:`~mmposgan.engine.feature_format.set_feature_format`: feature maps of at
    least ``min_size`` pixels a side in ``low_precision`` (NVIDIA's StyleGAN2 runs its
    highest resolutions in half precision), every other layer, the parameters, the
    EMA generator and the losses in float32.  On a CPU the hook changes nothing, so a
    config trains the same there with or without it.  The defaults follow NVIDIA's
    choice (half precision for the highest resolutions); ``benchmarks/ms_pie_train.py``
    measures each lever (``docs/benchmarks.md``).

    Args:
        low_precision (str | None): ``'bfloat16'``, ``'float16'`` (needs loss scaling,
            which the lazy regularisers lack) or None (float32 everywhere).
        min_size (int): Smallest side of a feature map run in ``low_precision``.
        channels_last (bool): NHWC feature maps.
        tf32 (bool | None): TensorFloat-32 for the remaining float32 convolutions and
            matrix products; None leaves torch's setting.
        networks (Sequence[str]): The model's attributes to set.
    """

    priority = 'VERY_HIGH'

    def __init__(self, low_precision: Optional[str] = 'bfloat16', min_size: int = 64,
                 channels_last: bool = False, tf32: Optional[bool] = True,
                 networks: Sequence[str] = ('generator', 'discriminator')):
        as_dtype(low_precision)  # an unknown name fails when the config is built
        self.low_precision, self.min_size = low_precision, int(min_size)
        self.channels_last, self.tf32, self.networks = channels_last, tf32, tuple(networks)
        self.handles = []

    def before_train(self, runner):
        model = unwrapped_module(runner.model)
        nets = [unwrapped_module(getattr(model, name)) for name in self.networks]
        if not any(p.is_cuda for net in nets for p in net.parameters()):
            return
        if self.tf32 is not None:
            set_tf32(self.tf32)
        for net in nets:
            self.handles += set_feature_format(net, self.low_precision, self.min_size,
                                               self.channels_last)
        runner.logger.info(
            f'CUDATrainingHook: {self.low_precision or "float32"} feature maps from '
            f'{self.min_size} px, channels_last={self.channels_last}, tf32={self.tf32} '
            f'({", ".join(self.networks)})')
