"""bench/bench_debug.py: a clean run reports clean, and a broken invariant
is reported as a failure (exit status 1), not hidden."""

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))


def _load():
    # another test may have left a copy of bench/common.py in sys.modules and
    # its archive first on sys.path (Dask ships the bench modules to its
    # workers as a zip), whose graph folder is relative to that copy: take
    # the one in bench/
    if sys.path[0] != str(BENCH):
        sys.path.insert(0, str(BENCH))
    for name in ("common", "bench_debug"):
        module = sys.modules.get(name)
        if module is not None and Path(getattr(module, "__file__", "") or "").resolve().parent != BENCH:
            del sys.modules[name]
    spec = importlib.util.spec_from_file_location("bench_debug", BENCH / "bench_debug.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_clean_run(tmp_path):
    out = tmp_path / "debug.md"
    assert _load().main(["--graphs", "3elt", "--k", "2", "--repeats", "1", "--out", str(out)]) == 0
    text = out.read_text()
    assert "| 3elt | 2 | yes | yes |" in text
    assert "Clean with the same labels in 1 of 1 cells" in text


def test_a_broken_refiner_is_reported(tmp_path, monkeypatch):
    from klpart.multilevel import cycle, refinement

    real = refinement.refine_level
    monkeypatch.setattr(cycle, "refine_level", lambda *a, **kw: real(*a, **kw) + 1)
    out = tmp_path / "debug.md"
    assert _load().main(["--graphs", "3elt", "--k", "2", "--repeats", "1", "--out", str(out)]) == 1
    text = out.read_text()
    assert "| 3elt | 2 | NO: " in text and "reported cut" in text
    assert "Clean with the same labels in 0 of 1 cells" in text
