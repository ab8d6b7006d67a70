"""Where mmposgan keeps downloaded and computed files, and how it fingerprints them."""
import hashlib
import os
import os.path as osp

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
