"""Install mmposgan (``pip install -e .``).

The OpenMMLab stack (torch, mmengine, mmcv with ops, mmagic) is pinned in
``requirements/`` and installed by ``scripts/setup_env.sh``; see docs/install.md.
"""
import os
import os.path as osp
import shutil
from setuptools import find_packages, setup

ROOT = osp.dirname(osp.abspath(__file__))


def read_version():
    scope = {}
    with open(osp.join(ROOT, 'mmposgan', 'version.py')) as f:
        exec(f.read(), scope)
    return scope['__version__']


def add_mim_extension():
    """Ship configs, tools and the model index inside the package, as mim does.

    ``mmposgan/.mim/configs`` and ``mmposgan/.mim/model-index.yml`` let
    ``mmposgan::<folder>/<config>.py`` (``_base_``, ``mmengine.hub.get_config``,
    ``get_model``) resolve after installation.  The links point back into the
    source tree, so an editable install sees later edits (and a model index
    added later); building a wheel copies what they point at.  Where links
    are not supported the files are copied.
    """
    mim = osp.join(ROOT, 'mmposgan', '.mim')
    os.makedirs(mim, exist_ok=True)
    for name in ('configs', 'tools', 'model-index.yml'):
        src = osp.join(ROOT, name)
        dst = osp.join(mim, name)
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        try:
            os.symlink(osp.relpath(src, mim), dst)
        except OSError:
            if osp.isdir(src):
                shutil.copytree(src, dst)
            elif osp.isfile(src):
                shutil.copyfile(src, dst)


add_mim_extension()

setup(
    name='mmposgan',
    version=read_version(),
    description='Positional encoding as spatial inductive bias in GANs, for OpenMMLab',
    packages=find_packages(exclude=('configs', 'tools', 'tests', 'benchmarks')),
    include_package_data=True,
    package_data={'mmposgan': ['.mim/configs/**/*', '.mim/tools/**/*', '.mim/model-index.yml']},
    python_requires='>=3.9',
    license='Apache License 2.0',
    zip_safe=False,
)
