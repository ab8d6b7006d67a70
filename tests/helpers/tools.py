"""Import a script under ``tools/`` (not a package) as a module, for tests of its functions."""
import importlib.util
import os.path as osp

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def load_tool(*path: str):
    """``load_tool("analysis", "padding_free.py")``: the module tools/analysis/padding_free.py."""
    spec = importlib.util.spec_from_file_location(osp.splitext(path[-1])[0],
                                                  osp.join(REPO, 'tools', *path))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool
