"""Check the MS-PIE scales against the generator before training starts."""
from mmengine.hooks import Hook

from mmposgan.registry import HOOKS
from mmposgan.utils.wrappers import unwrapped_module


@HOOKS.register_module()
class ScaleScheduleHook(Hook):
    """Before training, check every scale of the ``MultiScaleBatchSampler``.

    Each must be one the generator can produce (``(4 + a) * out_size / 4``
    by ``(4 + b) * out_size / 4``); otherwise training stops before the
    first iteration with a message naming the scale.  Then every training
    image is checked once against the scales (readable, large enough:
    :meth:`~mmposgan.datasets.MultiScaleDataset.check_images`), so a bad
    file stops training now and not when its scale is first drawn.

    Resuming needs nothing here: the scale of iteration ``t`` is a function
    of ``(seed, t)`` and mmengine's ``IterBasedTrainLoop`` advances the
    dataloader by ``runner.iter`` batches on resume, which advances the
    sampler's counter to ``t = runner.iter`` (a test checks the resumed
    sequence equals the uninterrupted one).
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner):
        batch_sampler = getattr(runner.train_dataloader, 'batch_sampler', None)
        schedule = getattr(batch_sampler, 'schedule', None)
        if schedule is None:
            return
        model = unwrapped_module(runner.model)
        gen = getattr(model, 'gen', None)
        for h, w in schedule.scales:
            if gen is not None:
                gen.scale_offset(h if h == w else (h, w))
        dataset = getattr(runner.train_dataloader, 'dataset', None)
        if hasattr(dataset, 'check_images'):
            dataset.check_images(schedule.scales)
