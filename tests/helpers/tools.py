"""Import a script under ``tools/`` (not a package) as a module, for tests of its functions."""
import importlib.util
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def load_tool(*path: str):
    """``load_tool("analysis", "padding_free.py")``: the module tools/analysis/padding_free.py.

    As ``python tools/<path>`` would, the script's folder is first on
    ``sys.path`` while it is imported, so it finds the scripts beside it
    (``padding_free_table.py`` imports ``padding_effect``).
    """
    file = osp.join(REPO, 'tools', *path)
    spec = importlib.util.spec_from_file_location(osp.splitext(path[-1])[0], file)
    tool = importlib.util.module_from_spec(spec)
    sys.path.insert(0, osp.dirname(file))
    try:
        spec.loader.exec_module(tool)
    finally:
        sys.path.remove(osp.dirname(file))
    return tool
