"""The shape of models/: dependencies point down, padding modes are never asked their type."""
import ast
import glob
import os.path as osp
import re

import pytest

from ..conftest import REPO

MODELS_DIR = osp.join(REPO, 'mmposgan', 'models')


def imported_modules(path):
    """Absolute dotted names a file imports (relative imports resolved)."""
    package = osp.relpath(osp.dirname(path), REPO).replace(osp.sep, '.')
    names = []
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split('.')[:len(package.split('.')) - node.level + 1] if node.level \
                else []
            names.append('.'.join(base + ([node.module] if node.module else [])))
    return names


@pytest.mark.parametrize('layer,forbidden', [
    ('layers', ('mmposgan.models.generators', 'mmposgan.models.discriminators',
                'mmposgan.models.gans')),
    ('discriminators', ('mmposgan.models.generators', 'mmposgan.models.gans')),
    ('generators', ('mmposgan.models.discriminators', 'mmposgan.models.gans')),
])
def test_dependencies_point_down(layer, forbidden):
    for path in glob.glob(osp.join(MODELS_DIR, layer, '*.py')):
        bad = [m for m in imported_modules(path) if m.startswith(forbidden)]
        assert not bad, f'{osp.relpath(path, REPO)} imports {bad}'


def test_no_padding_mode_is_asked_its_type_outside_padding_py():
    pattern = re.compile(r'isinstance\(.*Pad|type\(.*Pad|issubclass\(.*Pad')
    files = glob.glob(osp.join(REPO, 'mmposgan', '**', '*.py'), recursive=True)
    files += glob.glob(osp.join(REPO, 'tools', '**', '*.py'), recursive=True)
    hits = [f'{osp.relpath(p, REPO)}:{i}' for p in files if not p.endswith('layers/padding.py')
            for i, line in enumerate(open(p), 1) if pattern.search(line)]
    assert not hits


def test_no_mutable_default_arguments_in_models():
    hits = []
    for path in glob.glob(osp.join(MODELS_DIR, '**', '*.py'), recursive=True):
        for node in ast.walk(ast.parse(open(path).read())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                defaults = node.args.defaults + [d for d in node.args.kw_defaults if d]
                hits += [f'{osp.relpath(path, REPO)}:{node.name}' for d in defaults
                         if isinstance(d, (ast.Dict, ast.List, ast.Set, ast.Call))]
    assert not hits
