"""Registries of mmposgan: children of mmagic's, scope ``mmposgan``.

Configs set ``default_scope='mmposgan'``; a ``type`` is then looked up here
first and in mmagic's (then mmengine's) registries otherwise, so every mmagic
dataset, metric, hook, optimizer constructor and model stays usable.

Nothing registered here may reuse a name that mmagic already owns: a clash
would either raise or silently build the upstream class
(``tests/test_registry.py`` checks this).
"""
from mmagic.registry import DATA_SAMPLERS as MMAGIC_DATA_SAMPLERS
from mmagic.registry import DATASETS as MMAGIC_DATASETS
from mmagic.registry import EVALUATORS as MMAGIC_EVALUATORS
from mmagic.registry import HOOKS as MMAGIC_HOOKS
from mmagic.registry import LOOPS as MMAGIC_LOOPS
from mmagic.registry import METRICS as MMAGIC_METRICS
from mmagic.registry import MODEL_WRAPPERS as MMAGIC_MODEL_WRAPPERS
from mmagic.registry import MODELS as MMAGIC_MODELS
from mmagic.registry import OPTIM_WRAPPER_CONSTRUCTORS as MMAGIC_OWC
from mmagic.registry import TRANSFORMS as MMAGIC_TRANSFORMS
from mmagic.registry import VISBACKENDS as MMAGIC_VISBACKENDS
from mmagic.registry import VISUALIZERS as MMAGIC_VISUALIZERS
from mmengine.registry import Registry


def _child(name: str, parent: Registry, *locations: str) -> Registry:
    """A child of mmagic's ``parent`` registry in scope ``mmposgan``.

    Its locations are ours plus the parent's: mmengine only imports the
    locations of the registry it builds from, so without the parent's ones a
    config could not find mmagic's modules (e.g. ``PackInputs``) until some
    other code happened to import them.
    """
    return Registry(name, parent=parent, scope='mmposgan',
                    locations=list(locations) + list(parent._locations))


MODELS = _child('model', MMAGIC_MODELS, 'mmposgan.models', 'mmposgan.models.gans')
DATASETS = _child('dataset', MMAGIC_DATASETS, 'mmposgan.datasets')
DATA_SAMPLERS = _child('data sampler', MMAGIC_DATA_SAMPLERS, 'mmposgan.datasets')
TRANSFORMS = _child('transform', MMAGIC_TRANSFORMS, 'mmposgan.datasets')
METRICS = _child('metric', MMAGIC_METRICS, 'mmposgan.evaluation')
EVALUATORS = _child('evaluator', MMAGIC_EVALUATORS, 'mmposgan.evaluation')
HOOKS = _child('hook', MMAGIC_HOOKS, 'mmposgan.engine')
LOOPS = _child('loop', MMAGIC_LOOPS, 'mmposgan.engine')
MODEL_WRAPPERS = _child('model_wrapper', MMAGIC_MODEL_WRAPPERS, 'mmposgan.models')
OPTIM_WRAPPER_CONSTRUCTORS = _child('optimizer wrapper constructor', MMAGIC_OWC, 'mmposgan.engine')
VISUALIZERS = _child('visualizer', MMAGIC_VISUALIZERS, 'mmposgan.engine')
VISBACKENDS = _child('vis_backend', MMAGIC_VISBACKENDS, 'mmposgan.engine')
