"""Where mmposgan keeps downloaded and computed files, how it fingerprints and writes them."""
import hashlib
import os
import os.path as osp
import tempfile

CHUNK = 1 << 20


def cache_root() -> str:
    """``$XDG_CACHE_HOME/mmposgan`` (default ``~/.cache/mmposgan``).

    Checkpoints (:mod:`mmposgan.utils.download`), metric weights and real-image
    statistics (:mod:`mmposgan.evaluation`) live in folders below it.
    """
    root = os.environ.get('XDG_CACHE_HOME') or osp.join('~', '.cache')
    return osp.expanduser(osp.join(root, 'mmposgan'))


def sha256_of(path: str) -> str:
    """Hex sha256 of the file at ``path``, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(CHUNK), b''):
            digest.update(block)
    return digest.hexdigest()


def _write(f, data: bytes):
    f.write(data)


def atomic_write_bytes(path: str, data: bytes):
    """Write ``data`` to ``path`` so that ``path`` is either complete or untouched.

    The bytes go to a temporary file in the same folder, which is flushed,
    ``fsync``-ed and renamed over ``path`` (``os.replace`` is atomic within a
    file system); the folder is ``fsync``-ed so the rename survives a power
    cut.  On any error (a full disk) the temporary file is removed and
    ``path`` keeps its old content, if it had one.
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f'.{osp.basename(path)}.', suffix='.part', dir=folder)
    try:
        with os.fdopen(fd, 'wb') as f:
            _write(f, data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise
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
