"""The training scales of a runner (what the MS-PIE batch sampler draws from)."""
from typing import List


def training_scales(runner, who: str) -> List[int]:
    """Heights of the scales the runner's ``MultiScaleBatchSampler`` trains at, ascending.

    Args:
        runner: An mmengine ``Runner`` whose training dataloader is built
            (or buildable).
        who (str): Name used in the error message.

    Raises:
        ValueError: if the training dataloader has no ``MultiScaleBatchSampler``
            (then the scales must be given explicitly).
    """
    sampler = getattr(runner.train_dataloader, 'batch_sampler', None)
    schedule = getattr(sampler, 'schedule', None)
    if schedule is None:
        raise ValueError(f'{who}(scales=None) needs a MultiScaleBatchSampler in the training '
                         'dataloader; give scales=[...] explicitly')
    return sorted({h for h, _ in schedule.scales})
