"""The training scales of a runner (what the MS-PIE batch sampler draws from)."""
from typing import List, Tuple, Union

from mmposgan.utils.size import by_area


def training_scales(runner, who: str) -> List[Union[int, Tuple[int, int]]]:
    """The scales the runner's ``MultiScaleBatchSampler`` trains at, by ascending area.

    A square scale is its side (``256``), any other ``(h, w)``.

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
    return [h if h == w else (h, w) for h, w in by_area(schedule.scales)]
