"""The documentation the code points to exists and covers what it must."""
import inspect
import os.path as osp
import re
from glob import glob

import yaml

import mmposgan.models.layers.release_compat as release_compat
from mmposgan.registry import MODELS
from .conftest import REPO

DIFFERENCES = osp.join('docs', 'differences_from_mmagic.md')


def read(path):
    with open(osp.join(REPO, path)) as f:
        return f.read()


def test_every_docs_page_the_code_names_exists():
    sources = [p for folder in ('mmposgan', 'tools', 'benchmarks', 'configs')
               for p in glob(osp.join(REPO, folder, '**', '*.py'), recursive=True)]
    named = {(osp.relpath(p, REPO), page) for p in sources
             for page in re.findall(r'docs/[\w/.-]+?\.md', read(p))}
    assert len(named) > 20  # the pointers are found at all
    assert sorted((src, page) for src, page in named
                  if not osp.isfile(osp.join(REPO, page))) == []


def test_differences_page_is_linked_from_the_readme():
    assert f'({DIFFERENCES})' in read('README.md')


def test_differences_page_names_every_release_module():
    """Each module of release_compat.py reproduces a departure of the released models:
    the page that collects them names it (a new one must be added there)."""
    page = read(DIFFERENCES)
    release_modules = [name for name, cls in inspect.getmembers(release_compat, inspect.isclass)
                       if cls.__module__ == release_compat.__name__
                       and MODELS.get(name) is cls]
    assert len(release_modules) == 3
    assert [name for name in release_modules + ['FIRUpsample'] if f'`{name}`' not in page] == []


def config_folders():
    """Every folder under configs/ that holds configs, except the ``_base_`` pieces."""
    folders = {osp.dirname(p) for p in glob(osp.join(REPO, 'configs', '**', '*.py'),
                                            recursive=True)}
    return sorted(f for f in folders if '_base_' not in osp.relpath(f, REPO).split(osp.sep))


def test_every_config_folder_has_a_readme_naming_its_configs():
    """As OpenMMLab's config folders: a README.md (what the folder holds, the paper's
    table, results, commands) that names every config file of the folder."""
    folders = config_folders()
    assert {osp.relpath(f, REPO) for f in folders} >= {
        'configs/ms_pie_stylegan2', 'configs/stylegan2_padding', 'configs/padding_study',
        'configs/pe_singan', 'configs/pe_singan/external_data'}
    unnamed = []
    for folder in folders:
        readme = osp.join(folder, 'README.md')
        assert osp.isfile(readme), f'{osp.relpath(folder, REPO)} has no README.md'
        text = read(readme)
        assert '## Results' in text or 'Results:' in text, readme
        unnamed += [osp.relpath(p, REPO) for p in sorted(glob(osp.join(folder, '*.py')))
                    if f'`{osp.basename(p)}`' not in text]
    assert unnamed == []


def test_metafile_collections_point_to_their_folder_readme():
    for path in glob(osp.join(REPO, 'configs', '*', 'metafile.yml')):
        with open(path) as f:
            collections = yaml.safe_load(f)['Collections']
        folder = osp.relpath(osp.dirname(path), REPO)
        assert [c['README'] for c in collections] == [f'{folder}/README.md'] * len(collections)


def test_every_test_file_the_docs_and_code_name_exists():
    """After the test tree moved (issue 13), no page or docstring names a test file that
    is not there."""
    texts = [p for folder in ('docs', 'mmposgan', 'tools', 'benchmarks', 'configs')
             for p in glob(osp.join(REPO, folder, '**', '*.*'), recursive=True)
             if p.endswith(('.md', '.py'))] + [osp.join(REPO, 'README.md')]
    named = {(osp.relpath(p, REPO), path) for p in texts
             for path in re.findall(r'tests/[\w/]+\.py', read(p))}
    assert len(named) > 10
    assert sorted((src, path) for src, path in named
                  if not osp.isfile(osp.join(REPO, path))) == []
