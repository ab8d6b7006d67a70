"""tools/experiments/multi_seed.py: train and evaluate a config over seeds, mean ± std table."""
import json

import numpy as np
import pytest

from ...helpers.tools import load_tool
from ..test_ms_pie_training import TINY, crop_folder


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_trains_each_seed_and_writes_mean_and_std(tmp_path):
    data = tmp_path / 'data'
    data.mkdir()
    crop_folder(data)
    config = tmp_path / 'tiny_swd.py'
    config.write_text(f'''_base_ = [{TINY!r}]
train_dataloader = dict(dataset=dict(dataset=dict(data_root={str(data)!r})))
test_dataloader = dict(batch_size=4, num_workers=0, dataset=dict(data_root={str(data)!r}))
test_cfg = dict(type='MultiTestLoop')
test_evaluator = dict(type='Evaluator', metrics=[
    dict(type='MultiLevelSWD', prefix='SWD', fake_nums=8, scale=32, seed=0)])
''')
    tool = load_tool('experiments', 'multi_seed.py')
    out = tmp_path / 'out'
    result = tool.main([str(config), '--out', str(out), '--seeds', '0', '1', '--iters', '2'])
    assert [r['seed'] for r in result['runs']] == [0, 1]
    assert all(r['trained_iters'] == 2 for r in result['runs'])
    values = [r['metrics']['SWD/avg'] for r in result['runs']]
    assert values[0] != values[1]  # different training seeds, different models
    summary = json.loads((out / 'results.json').read_text())['summary']['SWD/avg']
    assert summary['values'] == values
    assert summary['mean'] == pytest.approx(np.mean(values))
    assert summary['std'] == pytest.approx(np.std(values, ddof=1))
    table = (out / 'results.md').read_text()
    assert f'{np.mean(values):.2f} ± {np.std(values, ddof=1):.2f}' in table
    assert (out / 'seed1' / 'iter_2.pth').exists()
    # resumed: finished seeds are kept, not retrained
    again = tool.main([str(config), '--out', str(out), '--seeds', '0', '1', '--iters', '2',
                       '--skip-done'])
    assert again['runs'] == result['runs']


def test_seeds_must_be_distinct():
    with pytest.raises(SystemExit):
        load_tool('experiments', 'multi_seed.py').parse_args(
            ['cfg.py', '--out', 'x', '--seeds', '1', '1'])


def test_digits_study_reports_tab4_ordering_per_level_and_seed():
    """(a) zero-pad < (c) padding-free + SPE < (b) padding-free, in the means and per seed."""
    digits = load_tool('experiments', 'padding_study_digits.py')
    swd = {  # seed -> setting -> level 32 (level 16 orders the other way in seed 1)
        0: {'zero-pad': (1, 5), 'interp-pad-spe': (2, 6), 'interp-pad': (3, 7)},
        1: {'zero-pad': (1, 9), 'interp-pad-spe': (3, 6), 'interp-pad': (2.8, 7)},
    }
    runs = [dict(setting=setting, seed=seed, swd={'32': v[0], '16': v[1]})
            for seed, by in swd.items() for setting, v in by.items()]
    ordering = digits.tab4_ordering(runs)
    assert ordering['32'] == dict(holds_in_means=True, seeds_holding=1, seeds=[0, 1])
    assert ordering['16'] == dict(holds_in_means=False, seeds_holding=1, seeds=[0, 1])
    assert digits.tab4_ordering(runs[:2]) == {}  # needs all three settings
    table = digits.markdown_table(digits.summarize_settings(runs), ['32', '16'], per_seed='32',
                                  seeds=[0, 1])
    assert '| zero-pad | 1.00 ± 0.00 | 7.00 ± 2.83 | 1.00, 1.00 |' in table
