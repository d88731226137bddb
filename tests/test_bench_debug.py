"""bench/bench_debug.py: a clean run reports clean, and a broken invariant
is reported as a failure (exit status 1), not hidden."""

from .bench_modules import load_bench_script


def _load():
    return load_bench_script("bench_debug")


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
