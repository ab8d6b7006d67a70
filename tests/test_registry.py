"""Registries: children of mmagic's, no name reused from mmagic."""
import mmagic.registry as mmagic_registry
import pytest

import mmposgan.registry as ours


@pytest.mark.parametrize('name', ['MODELS', 'DATASETS', 'TRANSFORMS', 'METRICS', 'HOOKS',
                                  'OPTIM_WRAPPER_CONSTRUCTORS', 'VISUALIZERS', 'EVALUATORS'])
def test_child_of_mmagic_and_no_clash(name):
    child, parent = getattr(ours, name), getattr(mmagic_registry, name)
    assert child.parent is parent and child.scope == 'mmposgan'
    child.import_from_location()
    parent.import_from_location()
    clash = set(child.module_dict) & set(parent.module_dict)
    assert not clash, f'names already owned by mmagic: {sorted(clash)}'


def test_scope_finds_ours_first_and_mmagic_otherwise():
    assert ours.MODELS.get('SinusoidalEncoding2d').__module__.startswith('mmposgan')
    assert ours.MODELS.get('DataPreprocessor').__module__.startswith('mmagic')
    assert ours.DATASETS.get('SingleImagePyramidDataset').__module__.startswith('mmposgan')
