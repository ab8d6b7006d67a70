"""Where mmposgan keeps downloaded and computed files, how it fingerprints and writes them.

Every cache folder is answered by :func:`cache_dir` from one table,
:data:`CACHE_FOLDERS`: ``$<ENV>`` when set, else ``<cache root>/<kind>`` with
the root ``$XDG_CACHE_HOME/mmposgan`` (``~/.cache/mmposgan``).  Files that must
never be seen half-written (checkpoints, cached statistics, result tables) go
through :func:`atomic_open` / :func:`atomic_write_bytes`.
"""
import hashlib
import os
import os.path as osp
import tempfile
from contextlib import contextmanager

CHUNK = 1 << 20

#: Cache folder kind -> environment variable that overrides its location.
CACHE_FOLDERS = {
    'checkpoints': 'MMPOSGAN_CACHE_DIR',  # downloaded checkpoints (utils.download)
    'real_stats': 'MMPOSGAN_REAL_STATS_DIR',  # real-image statistics (evaluation.metrics)
    'metric_weights': 'MMPOSGAN_METRIC_WEIGHTS',  # Inception / VGG16 / LPIPS files
}


def cache_root() -> str:
    """``$XDG_CACHE_HOME/mmposgan`` (default ``~/.cache/mmposgan``)."""
    root = os.environ.get('XDG_CACHE_HOME') or osp.join('~', '.cache')
    return osp.expanduser(osp.join(root, 'mmposgan'))


def cache_dir(kind: str) -> str:
    """The folder of cache ``kind``: ``$<its variable>`` or ``<cache_root()>/<kind>``.

    Args:
        kind (str): A key of :data:`CACHE_FOLDERS` (``'checkpoints'``,
            ``'real_stats'``, ``'metric_weights'``).

    Raises:
        ValueError: ``kind`` is not one of them.
    """
    if kind not in CACHE_FOLDERS:
        raise ValueError(f'unknown cache folder {kind!r}; known: {sorted(CACHE_FOLDERS)}')
    return osp.expanduser(os.environ.get(CACHE_FOLDERS[kind]) or osp.join(cache_root(), kind))


def sha256_of(path: str) -> str:
    """Hex sha256 of the file at ``path``, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(CHUNK), b''):
            digest.update(block)
    return digest.hexdigest()


def _write(f, data):
    f.write(data)


def _fsync_folder(folder: str):
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:  # folders cannot be opened on some systems
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


@contextmanager
def atomic_open(path: str, mode: str = 'wb', encoding=None):
    """Open a file to write so that ``path`` ends up either complete or untouched.

    Yields a file opened on a temporary file in the same folder; when the
    block ends without an exception it is flushed, ``fsync``-ed and renamed
    over ``path`` (``os.replace`` is atomic within a file system) and the
    folder is ``fsync``-ed so the rename survives a power cut.  On any error
    (a full disk) the temporary file is removed and ``path`` keeps its old
    content, if it had one.

    Args:
        path (str): Final file name; its folder is created.
        mode (str): ``'wb'`` or ``'w'``.
        encoding (str | None): For text mode.
    """
    if mode not in ('wb', 'w'):
        raise ValueError(f'atomic_open writes whole files: mode must be "wb" or "w", got {mode!r}')
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f'.{osp.basename(path)}.', suffix='.part', dir=folder)
    try:
        with os.fdopen(fd, mode, encoding=encoding) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise
    _fsync_folder(folder)


def atomic_write_bytes(path: str, data: bytes):
    """Write ``data`` to ``path`` through :func:`atomic_open`."""
    with atomic_open(path, 'wb') as f:
        _write(f, data)
