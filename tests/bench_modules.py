"""Loading a bench/ script as a module from the tests."""

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load_bench_script(name, shared=("common",)):
    """``bench/<name>.py`` as a fresh module, with the bench modules it
    imports (``shared``) taken from this checkout's ``bench/``.

    Another test may have left a copy of bench/common.py in ``sys.modules``
    and its archive first on ``sys.path`` (Dask ships the bench modules to
    its workers as a zip), whose graph folder is relative to that copy.
    """
    if sys.path[0] != str(BENCH):
        sys.path.insert(0, str(BENCH))
    for module_name in (*shared, name):
        module = sys.modules.get(module_name)
        if module is not None and Path(getattr(module, "__file__", "") or "").resolve().parent != BENCH:
            del sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
