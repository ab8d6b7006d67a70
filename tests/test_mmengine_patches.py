"""Every change of mmengine's behaviour is listed in mmposgan/mmengine_patches.py (issue 13 §4)."""
import glob
import importlib
import os.path as osp
import re

import mmengine
import pytest
from mmengine.config.utils import MODULE2PACKAGE
from mmengine.runner.checkpoint import CheckpointLoader

import mmposgan
from mmposgan import mmengine_patches
from mmposgan.mmengine_patches import PATCHES, check_mmengine_version

PACKAGE = osp.dirname(mmposgan.__file__)
#: Source idioms that change or reach into mmengine: registering over its loaders or
#: file backends, rewriting its tables and functions, swapping a loop's iterator,
#: reading private Runner state, overriding a private CheckpointHook method,
#: rewriting the weights it saves or loads, relying on how it pickles HistoryBuffer.
IDIOMS = re.compile(r'register_scheme\(|register_backend\(|MODULE2PACKAGE|get_installed_path ='
                    r'|\.dataloader_iterator =|\brunner\._[a-z]|def _save_checkpoint_with_step'
                    r"|checkpoint\['state_dict'\] =|_statistics_methods")


def _resolve(where):
    module, attr = where.split(':')
    return getattr(importlib.import_module(module), attr)


def test_each_patch_names_existing_code_and_a_known_time():
    assert len({p.name for p in PATCHES}) == len(PATCHES)
    for patch in PATCHES:
        assert callable(_resolve(patch.where)), patch.where
        assert patch.when in ('import', 'hook', 'unpickle'), patch
        assert patch.why and patch.changes, patch
        if patch.code:
            importlib.import_module(patch.code)


def test_every_site_that_changes_mmengine_is_listed():
    listed = {p.where.split(':')[0] for p in PATCHES} | {p.code for p in PATCHES if p.code}
    sites = {}
    for path in glob.glob(osp.join(PACKAGE, '**', '*.py'), recursive=True):
        if osp.basename(path) == 'mmengine_patches.py':
            continue
        hits = IDIOMS.findall(open(path).read())
        if hits:
            module = 'mmposgan.' + osp.relpath(path, PACKAGE)[:-3].replace(osp.sep, '.')
            sites[module] = hits
    assert sites, 'the idioms found nothing: the scan is broken'
    unlisted = {m: h for m, h in sites.items() if m not in listed}
    assert not unlisted, f'changes of mmengine outside PATCHES: {unlisted}'


def test_installed_mmengine_is_the_targeted_version():
    assert mmengine.__version__ == '0.10.7'  # requirements/runtime.txt
    assert check_mmengine_version(mmengine.__version__) == []
    for patch in PATCHES:
        assert mmengine.__version__.startswith(patch.mmengine), patch


def test_another_mmengine_version_is_reported_with_the_patches_to_check():
    with pytest.warns(UserWarning, match='written for another version') as record:
        stale = check_mmengine_version('0.11.0')
    assert stale == list(PATCHES)
    text = str(record[0].message)
    assert all(p.name in text and p.where in text for p in PATCHES)


def test_import_time_patches_are_in_effect():
    assert CheckpointLoader._get_checkpoint_loader('/x/y.pth') is mmengine_patches.load_from_local
    assert CheckpointLoader._get_checkpoint_loader('https://x/y.pth') is \
        mmengine_patches.load_from_url
    assert MODULE2PACKAGE['mmposgan'] == 'mmposgan'
    import mmengine.config.config as mmengine_config
    assert mmengine_config.get_installed_path('mmposgan') == PACKAGE
