"""Install mmposgan (``pip install -e .``).

The OpenMMLab stack (torch, mmengine, mmcv with ops, mmagic) is pinned in
``requirements/`` and installed by ``scripts/setup_env.sh``; see docs/install.md.
"""
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
    """Ship configs (and tools) inside the package as mim does.

    ``mmposgan/.mim/configs`` lets ``mmposgan::<folder>/<config>.py`` resolve
    after installation.  Editable installs get a symlink, others a copy.
    """
    mim = osp.join(ROOT, 'mmposgan', '.mim')
    os_mkdir = __import__('os').makedirs
    os_mkdir(mim, exist_ok=True)
    for name in ('configs', 'tools', 'model-index.yml'):
        src = osp.join(ROOT, name)
        dst = osp.join(mim, name)
        if not osp.exists(src):
            continue
        if osp.islink(dst) or osp.isfile(dst):
            __import__('os').remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        try:
            __import__('os').symlink(osp.relpath(src, mim), dst)
        except OSError:
            (shutil.copytree if osp.isdir(src) else shutil.copyfile)(src, dst)


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
