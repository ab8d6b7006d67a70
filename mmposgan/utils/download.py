"""Download checkpoints into a local cache, verified before they are kept.

The released MS-PIE / PE-SinGAN checkpoints are OpenMMLab files whose names
carry the first hex digits of their sha256
(``..._20210406_144824-9f43b07d.pth``).  :func:`download_checkpoint` streams a
URL into a temporary file *in the cache folder* and only renames it to its
final name after every check passed:

1. the number of bytes equals the ``Content-Length`` the server announced
   (a cut transfer is not kept);
2. the sha256 starts with the hash prefix of the file name (or the one given);
3. the file loads with :func:`~mmposgan.utils.safe_load.safe_torch_load`
   (``weights_only=True`` with mmposgan's allow list) and is a dict.

On any failure the temporary file is removed, so the cache never holds a
partial or unverified file, and a file present under its final name has
passed the checks (its hash prefix is checked again on every use).

Cache folder: the ``cache_dir`` argument, else ``cache_dir('checkpoints')`` of
:mod:`mmposgan.utils.cache`: ``$MMPOSGAN_CACHE_DIR``, else
``$XDG_CACHE_HOME/mmposgan/checkpoints`` (``~/.cache/mmposgan/checkpoints``).
"""
import http.client
import os
import os.path as osp
import re
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from typing import Optional

from mmengine.logging import print_log

from . import cache
from .cache import CHUNK, sha256_of
from .safe_load import safe_torch_load

CACHE_ENV = cache.CACHE_FOLDERS['checkpoints']
#: ``<name>-<hex>.<ext>``: OpenMMLab's convention, hex = leading sha256 digits.
HASH_IN_NAME = re.compile(r'-([0-9a-f]{8,64})\.[A-Za-z0-9]+$')


class CheckpointDownloadError(RuntimeError):
    """A checkpoint could not be downloaded or failed verification."""


def is_url(path) -> bool:
    """Whether ``path`` is an ``http://`` or ``https://`` URL."""
    return isinstance(path, str) and path.startswith(('http://', 'https://'))


def filename_from_url(url: str) -> str:
    """The last path component of ``url`` (percent-decoded), validated."""
    name = urllib.parse.unquote(osp.basename(urllib.parse.urlparse(url).path))
    if not name or name in ('.', '..') or '/' in name or '\\' in name:
        raise CheckpointDownloadError(f'{url}: the URL does not end in a file name')
    return name


def hash_prefix_from_name(filename: str) -> Optional[str]:
    """The sha256 prefix an OpenMMLab file name carries, or ``None``."""
    match = HASH_IN_NAME.search(filename)
    return match.group(1) if match else None


def _offline_message(url: str, dst: str, reason) -> str:
    return (f'cannot download {url} ({reason}). Without network access, download that file '
            f'elsewhere and place it at {dst} (cache folder: the cache_dir argument, '
            f'${CACHE_ENV} or ~/.cache/mmposgan/checkpoints), then run again with the same URL')


def _check_hash(path: str, expected: Optional[str], what: str, advice: str):
    if expected is None:
        return
    actual = sha256_of(path)
    if not actual.startswith(expected.lower()):
        raise CheckpointDownloadError(
            f'{what}: sha256 mismatch, expected a hash starting with {expected} but the file '
            f'has {actual[:len(expected)]} (sha256 {actual}); {advice}')


def _check_loadable(path: str, what: str):
    try:
        checkpoint = safe_torch_load(path, map_location='cpu')
    except Exception as err:  # pickle / zip / allow-list errors: all mean "not ours to load"
        raise CheckpointDownloadError(
            f'{what} is not a checkpoint that loads safely (torch.load weights_only=True '
            f'with mmposgan\'s allow list): {type(err).__name__}: {err}') from None
    if not isinstance(checkpoint, dict):
        raise CheckpointDownloadError(
            f'{what} is not a checkpoint: it holds a {type(checkpoint).__name__}, not a dict')


def _stream(url: str, tmp, timeout: float, dst: str) -> int:
    """Copy the body of ``url`` into the open file ``tmp``; returns the byte count."""
    request = urllib.request.Request(url, headers={'User-Agent': 'mmposgan'})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        raise CheckpointDownloadError(f'cannot download {url}: HTTP {err.code} {err.reason}') \
            from None
    except (urllib.error.URLError, socket.timeout, OSError) as err:
        reason = getattr(err, 'reason', err)
        raise CheckpointDownloadError(_offline_message(url, dst, reason)) from None
    with response:
        length = response.headers.get('Content-Length')
        expected = int(length) if length is not None and length.isdigit() else None
        received = 0
        try:
            for block in iter(lambda: response.read(CHUNK), b''):
                tmp.write(block)
                received += len(block)
        except (http.client.IncompleteRead, ConnectionError, socket.timeout) as err:
            raise CheckpointDownloadError(
                f'download of {url} was cut after {received} bytes ({type(err).__name__}); '
                'the partial file was not kept') from None
    if expected is not None and received != expected:
        raise CheckpointDownloadError(
            f'download of {url} is truncated: received {received} of {expected} bytes '
            '(Content-Length); the partial file was not kept')
    return received


def download_checkpoint(url: str, cache_dir: Optional[str] = None,
                        sha256_prefix: Optional[str] = None, timeout: float = 60.0,
                        name_hash: bool = True, validate=_check_loadable) -> str:
    """Download ``url`` into the cache (once) and return the local path.

    Args:
        url (str): ``http(s)://`` URL whose last path component is the file name.
        cache_dir (str | None): Cache folder; default ``cache.cache_dir('checkpoints')``.
        sha256_prefix (str | None): Expected leading sha256 hex digits; default
            the prefix in the file name (``name-<hex>.pth``), none if absent.
        timeout (float): Socket timeout in seconds.
        name_hash (bool): Take the expected prefix from the file name when
            ``sha256_prefix`` is not given.
        validate (callable): ``validate(path, what)`` raises
            :class:`CheckpointDownloadError` if the downloaded file is not
            what was asked for; default: a safely loadable checkpoint dict.

    Returns:
        str: Path of the verified file in the cache.

    Raises:
        CheckpointDownloadError: Offline (the message says which file to place
            where), HTTP error, truncated transfer, hash mismatch, or a file
            that is not a safely loadable checkpoint.  No partial file remains.
    """
    if not is_url(url):
        raise ValueError(f'not an http(s) URL: {url}')
    name = filename_from_url(url)
    expected = sha256_prefix or (hash_prefix_from_name(name) if name_hash else None)
    if expected is not None and not re.fullmatch(r'[0-9a-fA-F]{1,64}', expected):
        raise ValueError(f'sha256_prefix must be hex digits, got {expected!r}')
    cache_dir = osp.expanduser(cache_dir) if cache_dir else cache.cache_dir('checkpoints')
    dst = osp.join(cache_dir, name)
    if osp.isfile(dst):
        _check_hash(dst, expected, f'cached file {dst}', f'delete it to download {url} again')
        return dst
    os.makedirs(cache_dir, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(prefix=f'.{name}.', suffix='.part', dir=cache_dir)
    try:
        with os.fdopen(fd, 'wb') as tmp:
            size = _stream(url, tmp, timeout, dst)
        _check_hash(tmp_path, expected, url, 'the file was not kept')
        validate(tmp_path, url)
        os.replace(tmp_path, dst)
    finally:
        if osp.exists(tmp_path):
            os.remove(tmp_path)
    print_log(f'downloaded {url} ({size} bytes, sha256 verified: {expected is not None}) '
              f'to {dst}', logger='current')
    return dst
