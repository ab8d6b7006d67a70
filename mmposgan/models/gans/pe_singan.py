"""SinGAN with positional encoding (paper §3.6, §4.4, App. E), trained by mmengine's Runner."""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmagic.models.editors.singan import SinGAN
from mmengine import MessageHub
from mmengine.optim import OptimWrapperDict
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.sampling import sampling_context
from mmposgan.utils.wrappers import sampling_generator, unwrapped_module
from .singan_state import SinGANState


@MODELS.register_module()
class PositionalSinGAN(SinGAN):
    """SinGAN whose checkpoints are self-contained and resumable.

    Reuses mmagic's SinGAN losses and alternating updates (WGAN-GP critic,
    ``10 x`` MSE reconstruction, ``discriminator_steps`` critic updates per
    ``generator_steps`` generator updates), and:

    * fixed noises, noise weights and the current stage live in the
      ``state_dict`` (:class:`SinGANState`), so a checkpoint alone samples
      and ``--resume`` continues mid-stage;
    * the stage is derived from the iteration, and the learning-rate decay
      of each stage is computed from it, so resuming reproduces the schedule;
    * the noise weight of the next stage uses the generator's own upsampling;
    * the number of image-pyramid stages is checked against ``num_scales``
      with a message that names the right value.

    Where this departs from mmagic's ``SinGAN``: ``docs/differences_from_mmagic.md``.

    Args:
        generator (dict): Generator config (``PositionalSinGANGenerator``).
        discriminator (dict): Discriminator config.
        data_preprocessor (dict): mmagic ``DataPreprocessor`` config with
            ``non_image_keys=['input_sample']``.
        generator_steps (int): Generator updates per round.
        discriminator_steps (int): Critic updates per round.
        num_scales (int): Index of the last stage.
        iters_per_scale (int): Rounds per stage (a stage lasts
            ``iters_per_scale * discriminator_steps`` runner iterations).
        noise_weight_init (float): ``sigma_{n+1} = noise_weight_init * RMSE``.
        lr_scheduler_args (dict | None): ``dict(milestones=[...], gamma=...)``
            in rounds of the current stage (SinGAN: ``[1600]``, ``0.1``).
        ema_config (dict | None): mmagic EMA config for the generator.
    """

    def __init__(self,
                 generator: dict,
                 discriminator: dict,
                 data_preprocessor: Optional[dict] = None,
                 generator_steps: int = 3,
                 discriminator_steps: int = 3,
                 num_scales: Optional[int] = None,
                 iters_per_scale: int = 2000,
                 noise_weight_init: float = 0.1,
                 lr_scheduler_args: Optional[dict] = None,
                 ema_config: Optional[dict] = None):
        # SinGAN.__init__ sets fixed_noises, noise_weights and curr_stage, which
        # live in ``self.state`` (created on first use, see ``state``)
        super().__init__(generator, discriminator, data_preprocessor, generator_steps,
                         discriminator_steps, num_scales, iters_per_scale, noise_weight_init,
                         lr_scheduler_args, test_pkl_data=None, ema_confg=ema_config)
        if num_scales is None:
            num_scales = self.generator.num_scales
        if num_scales != self.generator.num_scales:
            raise ValueError(f'num_scales={num_scales} but the generator has '
                             f'num_scales={self.generator.num_scales}')
        if self.discriminator.num_scales != num_scales:  # else an IndexError at stage D lacks
            raise ValueError(f'the discriminator has num_scales={self.discriminator.num_scales} '
                             f'but the generator num_scales={num_scales}: set '
                             f'model.discriminator.num_scales={num_scales}')
        if iters_per_scale < 1:
            raise ValueError(f'iters_per_scale must be positive, got {iters_per_scale}')
        self.num_scales = num_scales
        self.reals: List[Tensor] = []

    @property
    def state(self) -> SinGANState:
        """Fixed noises, noise weights and current stage, kept in the ``state_dict``."""
        if 'state' not in self._modules:  # registered as a child module: ``state.*`` keys
            self._modules['state'] = SinGANState()
        return self._modules['state']

    # mmagic's methods read and write these three attributes
    @property
    def fixed_noises(self) -> List[Tensor]:
        return self.state.fixed_noises

    @fixed_noises.setter
    def fixed_noises(self, noises):
        self.state.fixed_noises = list(noises)

    @property
    def noise_weights(self) -> List[float]:
        return self.state.noise_weights

    @noise_weights.setter
    def noise_weights(self, weights):
        self.state.noise_weights = weights

    @property
    def curr_stage(self) -> int:
        return self.state.curr_stage

    @curr_stage.setter
    def curr_stage(self, stage: int):
        self.state.curr_stage = stage

    @property
    def gen(self):
        """The generator, unwrapped from DDP (``MMSeparateDistributedDataParallel``)."""
        return unwrapped_module(self.generator)

    @property
    def stage_length(self) -> int:
        """Runner iterations per stage."""
        return self.iters_per_scale * self.discriminator_steps

    @property
    def is_trained(self) -> bool:
        return len(self.fixed_noises) > 0 and self.curr_stage >= 0

    def construct_fixed_noises(self):
        """Draw the reconstruction noises for the pyramid in ``self.reals``."""
        sizes = [tuple(r.shape[-2:]) for r in self.reals]
        noises = self.gen.make_fixed_noises(sizes)
        self.fixed_noises = [n.to(self.reals[0]) for n in noises]

    def _setup_reals(self, inputs: dict):
        keys = sorted((k for k in inputs if k.startswith('real_scale')),
                      key=lambda k: int(k[len('real_scale'):]))
        if len(keys) != self.num_scales + 1:
            raise ValueError(
                f'the image pyramid has {len(keys)} stages but the model has num_scales='
                f'{self.num_scales} ({self.num_scales + 1} stages); set num_scales={len(keys) - 1} '
                'in the model, generator and discriminator configs')
        self.reals = [inputs[k] for k in keys]
        if not self.fixed_noises:
            self.construct_fixed_noises()
        expected = [tuple(r.shape[-2:]) for r in self.reals]
        got = self.gen.stage_sizes(self.fixed_noises)
        if [tuple(s) for s in got] != expected:
            raise ValueError(f'the checkpoint was trained on stage sizes {got}, but the dataset '
                             f'gives {expected}: resume with the same image and pyramid settings')

    def _set_stage_lr(self, optim_wrapper: OptimWrapperDict, iter_in_stage: int):
        if not self.lr_scheduler_args:
            return
        rounds = iter_in_stage // self.discriminator_steps
        milestones = self.lr_scheduler_args.get('milestones', [])
        factor = self.lr_scheduler_args.get('gamma', 0.1)**sum(rounds >= m for m in milestones)
        for wrapper in optim_wrapper.values():
            for group in wrapper.optimizer.param_groups:
                group.setdefault('initial_lr', group['lr'])
                group['lr'] = group['initial_lr'] * factor

    def train_step(self, data: dict, optim_wrapper: OptimWrapperDict) -> Dict[str, Tensor]:
        """One runner iteration: a critic update, and a generator round every
        ``discriminator_steps`` iterations (mmagic's ``train_gan``)."""
        curr_iter = MessageHub.get_current_instance().get_info('iter')
        stage, iter_in_stage = divmod(curr_iter, self.stage_length)
        if stage > self.num_scales:
            raise RuntimeError(
                f'iteration {curr_iter} is past the last stage: set max_iters to '
                f'(num_scales + 1) * iters_per_scale * discriminator_steps = '
                f'{(self.num_scales + 1) * self.stage_length}')
        data = self.data_preprocessor(data, True)
        inputs, data_samples = data['inputs'], data['data_samples']
        if not self.reals:
            self._setup_reals(inputs)
        if stage != self.curr_stage:
            if iter_in_stage != 0 or stage != self.curr_stage + 1:
                raise RuntimeError(f'iteration {curr_iter} belongs to stage {stage}, but the model '
                                   f'is at stage {self.curr_stage}: checkpoint and iteration '
                                   'counter disagree')
            self.curr_stage = stage
            self.get_module(self.generator, 'check_and_load_prev_weight')(stage)
            self.get_module(self.discriminator, 'check_and_load_prev_weight')(stage)
        if len(self.noise_weights) != stage + 1:
            raise RuntimeError(f'{len(self.noise_weights)} noise weights at stage {stage}')
        stage_optim = OptimWrapperDict(generator=optim_wrapper[f'generator_{stage}'],
                                       discriminator=optim_wrapper[f'discriminator_{stage}'])
        for wrapper in stage_optim.values():
            if wrapper._accumulative_counts != 1:
                raise ValueError('SinGAN trains with batch size 1 and no gradient accumulation')
        self._set_stage_lr(stage_optim, iter_in_stage)

        log_vars = self.train_gan(inputs, data_samples, stage_optim)
        log_vars['curr_stage'] = stage

        if iter_in_stage == self.stage_length - 1 and stage < self.num_scales:
            self.noise_weights = self.noise_weights + [self._next_noise_weight(inputs, stage)]
        return log_vars

    @torch.no_grad()
    def _next_noise_weight(self, inputs: dict, stage: int) -> float:
        """``sigma_{n+1} = noise_weight_init * RMSE(up(recon_n), real_{n+1})``."""
        generator = self.gen
        recon = generator(inputs['input_sample'], self.fixed_noises, self.noise_weights, 'recon',
                          stage)
        nxt = self.reals[stage + 1]
        recon = generator.upsample(recon, nxt.shape[-2:])
        return self.noise_weight_init * F.mse_loss(recon, nxt).sqrt().item()

    @torch.no_grad()
    def sample(self,
               num_samples: int = 1,
               size_scale: Union[float, Sequence[float]] = 1.0,
               mode: str = 'rand',
               curr_scale: Optional[int] = None,
               seed: Optional[int] = None,
               use_ema: bool = False) -> Tensor:
        """Sample images in ``[-1, 1]``, shape ``(num_samples, 3, H, W)``.

        Args:
            num_samples (int): Number of images (``'rand'`` mode).
            size_scale (float | tuple[float, float]): Size relative to the
                training image per (height, width); ``(1, 1.5)`` is 1.5x wider.
            mode (str): ``'rand'`` or ``'recon'`` (the reconstruction).
            curr_scale (int | None): Last stage to run; default the last
                trained stage.
            seed (int | None): Seed of the random noise.
            use_ema (bool): Use the EMA generator.
        """
        if not self.is_trained:
            raise RuntimeError('this SinGAN has no trained stage: load a checkpoint first')
        stage = self.curr_stage if curr_scale is None else curr_scale
        if stage > self.curr_stage:
            raise ValueError(f'stage {stage} is not trained (last trained: {self.curr_stage})')
        generator = sampling_generator(self, use_ema)
        with sampling_context(generator, seed):
            noises = [n.to(self.state.noise_weights_.device) for n in self.fixed_noises]
            return generator(None, noises, self.noise_weights, mode, stage,
                             num_batches=num_samples if mode == 'rand' else 1,
                             size_scale=size_scale)
