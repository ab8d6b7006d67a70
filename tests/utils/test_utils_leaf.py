"""``mmposgan.utils`` is a leaf: it imports nothing else of mmposgan (issue 13 §4)."""
import ast
import glob
import json
import os.path as osp
import subprocess
import sys

import pytest

import mmposgan.utils as utils

UTILS = osp.dirname(utils.__file__)
#: What ``import mmposgan`` itself runs before any of utils (mmposgan/__init__.py).
PACKAGE_TOP = {'mmposgan', 'mmposgan.version', 'mmposgan.mmengine_patches'}
#: mmengine's hub calls ``<package>.utils.register_all_modules``, whose job is to
#: import the registering subpackages (when called, not when utils is imported).
ALLOWED_UPWARD = {('packaging.py', 'register_all_modules'), ('packaging.py', 'package_path')}


def _modules():
    return sorted('mmposgan.utils.' + osp.splitext(osp.basename(p))[0]
                  for p in glob.glob(osp.join(UTILS, '*.py')) if not p.endswith('__init__.py'))


@pytest.mark.slow  # a fresh interpreter (pytest.ini)
def test_importing_every_utils_module_imports_no_other_subpackage():
    code = ('import json, sys\n'
            f'for name in {_modules()!r}:\n'
            '    __import__(name)\n'
            'print(json.dumps(sorted(m for m in sys.modules if m.startswith("mmposgan"))))\n')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert {'mmposgan.utils.cache', 'mmposgan.utils.download'} <= loaded  # it did import them
    others = {m for m in loaded if m not in PACKAGE_TOP and not m.startswith('mmposgan.utils')}
    assert not others, f'importing mmposgan.utils loaded {sorted(others)}'


def _upward_imports(path):
    """``(function or '<module>', imported module)`` for each import of mmposgan outside utils."""
    found = []

    def visit(node, scope):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name)
                continue
            names = []
            if isinstance(child, ast.Import):
                names = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom):
                if child.level == 1:
                    names = []  # a sibling inside utils
                elif child.level > 1:
                    names = ['mmposgan.' + (child.module or '')]
                else:
                    names = [child.module or '']
            names = [n for n in names if n == 'mmposgan' or
                     (n.startswith('mmposgan.') and not n.startswith('mmposgan.utils'))]
            found.extend((scope, n) for n in names)
            visit(child, scope)

    visit(ast.parse(open(path).read()), '<module>')
    return found


def test_no_utils_source_imports_upward():
    offending = {}
    for path in glob.glob(osp.join(UTILS, '*.py')):
        name = osp.basename(path)
        bad = [(scope, mod) for scope, mod in _upward_imports(path)
               if (name, scope) not in ALLOWED_UPWARD]
        if bad:
            offending[name] = bad
    assert not offending, offending
