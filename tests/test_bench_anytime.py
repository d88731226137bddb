"""bench/bench_anytime.py: the best known cuts are read from the graphs'
README as listed there, and a short run writes a table whose ratios follow
from its own cuts."""

import re
from pathlib import Path

import pytest

from .bench_modules import load_bench_script

SHARED = Path(__file__).resolve().parents[2] / "shared" / "graphs"


def _load():
    return load_bench_script("bench_anytime", shared=("common", "anchors"))


def test_best_known_cuts_parsed(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("intro | not a row\n\n| graph | nodes | edges | best known cut (k=2, 5%) |\n"
                      "|---|---:|---:|---:|\n| add20 | 2395 | 7462 | 536 |\n| fe_pwt | 36519 | 144794 | 340 |\n")
    assert _load().best_known(readme) == {"add20": 536, "fe_pwt": 340}
    if (SHARED / "README.md").exists():
        known = _load().best_known(SHARED / "README.md")
        assert len(known) == 14 and known["t60k"] == 65 and known["bcsstk33"] == 9914


def test_short_run_writes_a_consistent_table(tmp_path):
    pytest.importorskip("kahip", reason="the bench extra is not installed")
    if not (SHARED / "walshaw" / "3elt.graph").exists():
        pytest.skip("../shared/graphs is not beside the checkout")
    out = tmp_path / "anytime.md"
    _load().main(["--time-limit", "0.3", "--graphs", "3elt", "--out", str(out)])
    text = out.read_text()
    row = next(line for line in text.splitlines() if line.startswith("| 3elt |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    first2, after2, kahip2, ratio2, first16, after16, kahip16, ratio16, best5, known, ratio5 = map(float, cells[1:])
    assert after2 <= first2 and after16 <= first16  # anytime never returns worse than its start
    assert ratio2 == pytest.approx(after2 / kahip2, abs=5e-4) or after2 == kahip2
    assert ratio16 == pytest.approx(after16 / kahip16, abs=5e-4)
    assert known == 87 and ratio5 == pytest.approx(best5 / known, abs=5e-4)
    assert re.search(r"Within 2% of the best known cut: [01] of 1 graphs", text)
