"""The lint of ``make lint`` (flake8 and isort, configured in setup.cfg) passes on the repository.

Run in-process through the tools' own APIs, so that ``pytest`` alone enforces what
``make test`` runs before the suite; a finding fails with the file, line and code.
"""
import os.path as osp
import re
from glob import glob

import isort
import pytest
from flake8.api import legacy as flake8

from .conftest import REPO

LINT_PATHS = ['mmposgan', 'tools', 'benchmarks', 'tests', 'configs', 'setup.py']


def makefile_lint_paths():
    with open(osp.join(REPO, 'Makefile')) as f:
        match = re.search(r'^LINT_PATHS := (.*)$', f.read(), re.M)
    return match.group(1).split()


def python_files():
    files = [osp.join(REPO, 'setup.py')]
    for folder in LINT_PATHS[:-1]:
        files += glob(osp.join(REPO, folder, '**', '*.py'), recursive=True)
    return sorted(files)


def test_make_test_runs_the_lint_on_these_paths():
    assert makefile_lint_paths() == LINT_PATHS
    with open(osp.join(REPO, 'Makefile')) as f:
        make = f.read()
    assert re.search(r'^test: lint$', make, re.M)
    assert '-m flake8 $(LINT_PATHS)' in make
    assert '-m isort --check-only --diff $(LINT_PATHS)' in make


def test_setup_cfg_configures_flake8_and_isort_at_100_columns():
    config = isort.Config(settings_path=REPO)
    assert config.line_length == 100
    assert config.known_first_party == frozenset({'mmposgan'})
    assert config.multi_line_output.value == 0  # GRID, as OpenMMLab's setup.cfg
    guide = flake8.get_style_guide(config=osp.join(REPO, 'setup.cfg'))
    assert guide.options.max_line_length == 100


@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)  # flake8 reads setup.cfg and resolves excludes from here


def test_flake8_finds_nothing(in_repo, capsys):
    report = flake8.get_style_guide().check_files(LINT_PATHS)
    assert report.total_errors == 0, capsys.readouterr().out


def test_isort_finds_nothing():
    config = isort.Config(settings_path=REPO)
    unsorted = [osp.relpath(path, REPO) for path in python_files()
                if not isort.check_file(path, config=config, show_diff=False)]
    assert unsorted == []


def test_lint_can_fail(tmp_path, in_repo, capsys):
    bad = tmp_path / 'bad.py'
    bad.write_text('import sys\nimport os\n\nx = "%s"\n' % ('a' * 100))
    report = flake8.get_style_guide().check_files([str(bad)])
    codes = {code for code in ('E501', 'F401') if report.get_statistics(code)}
    assert codes == {'E501', 'F401'}
    assert not isort.check_file(str(bad), config=isort.Config(settings_path=REPO))
