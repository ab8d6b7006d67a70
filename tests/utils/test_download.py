"""Checkpoint download: verified before it is kept, never a partial file in the cache.

Every URL points at a server on 127.0.0.1 that the test starts.
"""
import os

import pytest
import torch

from mmposgan.utils.download import (CheckpointDownloadError, download_checkpoint,
                                     hash_prefix_from_name)
from .local_server import LocalServer, checkpoint_bytes, closed_port, hashed_name

GOOD = checkpoint_bytes({'meta': {'iter': 3}, 'state_dict': {'w': torch.arange(6.).view(2, 3)}})
HTML = b'<!DOCTYPE html><html><body>Sign in to continue</body></html>\n'


@pytest.fixture
def server():
    with LocalServer() as srv:
        yield srv


def cache_files(cache):
    return sorted(os.listdir(cache)) if os.path.isdir(cache) else []


def test_name_hash_follows_openmmlab_convention():
    name = 'mspie-stylegan2_c2_config-a_ffhq_256-512_b3x8_1100k_20210406_144824-9f43b07d.pth'
    assert hash_prefix_from_name(name) == '9f43b07d'
    assert hash_prefix_from_name('iter_4.pth') is None
    assert hash_prefix_from_name('ffhq-256-512.pth') is None  # '512' is no 8-digit hash


def test_good_file_is_verified_cached_and_not_downloaded_again(server, tmp_path):
    name = hashed_name('tiny_20210101_000000', GOOD)
    url = server.add(f'ckpts/{name}', GOOD)
    path = download_checkpoint(url, cache_dir=str(tmp_path))
    assert path == str(tmp_path / name) and cache_files(tmp_path) == [name]
    with open(path, 'rb') as f:
        assert f.read() == GOOD
    assert download_checkpoint(url, cache_dir=str(tmp_path)) == path
    assert server.hits[f'/ckpts/{name}'] == 1  # the second call used the cache


def test_cache_dir_from_environment(server, tmp_path, monkeypatch):
    monkeypatch.setenv('MMPOSGAN_CACHE_DIR', str(tmp_path / 'env_cache'))
    url = server.add(hashed_name('x', GOOD), GOOD)
    assert download_checkpoint(url).startswith(str(tmp_path / 'env_cache'))


def test_truncated_transfer_fails_and_keeps_nothing(server, tmp_path):
    url = server.add(hashed_name('cut', GOOD), GOOD[:1000], content_length=len(GOOD))
    with pytest.raises(CheckpointDownloadError, match=f'truncated: received 1000 of {len(GOOD)}'):
        download_checkpoint(url, cache_dir=str(tmp_path))
    assert cache_files(tmp_path) == []


def test_hash_mismatch_names_expected_and_actual(server, tmp_path):
    import hashlib
    url = server.add('wrong_20210101_000000-deadbeef.pth', GOOD)
    actual = hashlib.sha256(GOOD).hexdigest()[:8]
    with pytest.raises(CheckpointDownloadError,
                       match=f'expected a hash starting with deadbeef but the file has {actual}'):
        download_checkpoint(url, cache_dir=str(tmp_path))
    assert cache_files(tmp_path) == []


def test_explicit_hash_overrides_name(server, tmp_path):
    url = server.add('plain.pth', GOOD)
    with pytest.raises(CheckpointDownloadError, match='sha256 mismatch'):
        download_checkpoint(url, cache_dir=str(tmp_path), sha256_prefix='00000000')
    assert cache_files(tmp_path) == []


def test_html_page_named_like_a_checkpoint_is_refused(server, tmp_path):
    url = server.add(hashed_name('login_20210101_000000', HTML), HTML)  # the hash is right
    with pytest.raises(CheckpointDownloadError, match='is not a checkpoint that loads safely'):
        download_checkpoint(url, cache_dir=str(tmp_path))
    assert cache_files(tmp_path) == []


def test_pickle_with_foreign_objects_is_refused(server, tmp_path):
    body = checkpoint_bytes({'state_dict': {}, 'x': torch.nn.Linear(1, 1)})
    url = server.add(hashed_name('module', body), body)
    with pytest.raises(CheckpointDownloadError, match='allow list'):
        download_checkpoint(url, cache_dir=str(tmp_path))
    assert cache_files(tmp_path) == []


def test_http_error_is_one_message(server, tmp_path):
    with pytest.raises(CheckpointDownloadError, match='HTTP 404'):
        download_checkpoint(server.url('missing-12345678.pth'), cache_dir=str(tmp_path))
    assert cache_files(tmp_path) == []


def test_offline_says_which_file_to_place_where(tmp_path):
    url = f'http://127.0.0.1:{closed_port()}/zoo/model_20210101_000000-9f43b07d.pth'
    with pytest.raises(CheckpointDownloadError) as info:
        download_checkpoint(url, cache_dir=str(tmp_path))
    msg = str(info.value)
    assert url in msg and f'place it at {tmp_path / "model_20210101_000000-9f43b07d.pth"}' in msg
    assert cache_files(tmp_path) == []


def test_corrupted_cached_file_is_reported(server, tmp_path):
    name = hashed_name('c', GOOD)
    url = server.add(name, GOOD)
    path = download_checkpoint(url, cache_dir=str(tmp_path))
    with open(path, 'r+b') as f:
        f.write(b'\0')
    with pytest.raises(CheckpointDownloadError, match='cached file .* delete it to download'):
        download_checkpoint(url, cache_dir=str(tmp_path))
