"""The README is the user's door: its Python blocks run as written, and its
numbers are the snapshots' numbers."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
sys.path.insert(0, str(REPO / "bench"))


def python_blocks(text):
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_readme_has_python_blocks_and_two_commands_first():
    text = README.read_text()
    assert len(python_blocks(text)) >= 6
    first_block = re.search(r"```bash\n(.*?)```", text, flags=re.S).group(1).splitlines()
    assert first_block[0].startswith("pip install . && python -m klpart")
    assert "python -m pytest" in first_block[1]


def test_readme_python_blocks_run_in_order_in_an_empty_directory(tmp_path):
    script = "\n\n".join(python_blocks(README.read_text()))
    (tmp_path / "readme_examples.py").write_text(script)
    env = dict(os.environ, MPLBACKEND="Agg")
    env.pop("NETWORKX_BACKEND_PRIORITY", None)
    run = subprocess.run([sys.executable, "readme_examples.py"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    # the files the examples promise exist
    assert (tmp_path / "mesh.graph.part.8").exists() and (tmp_path / "partition.png").exists()


def _block(text, name):
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    return text[text.index(start) + len(start): text.index(end)].strip()


def test_readme_bench_table_is_the_snapshot():
    import readme_table

    dirs = re.findall(r"details in \[(bench/results/[^/]+)/results\.md\]", _block(README.read_text(), "bench"))
    assert dirs, "the README's bench block cites no results directory"
    expected = "\n\n".join(readme_table.table(REPO / d) for d in dirs)
    assert _block(README.read_text(), "bench") == expected.strip()


def test_readme_startup_table_is_the_snapshot():
    import bench_startup

    results = (REPO / "bench" / "results" / "startup.md").read_text()
    assert _block(README.read_text(), "startup") == bench_startup.readme_block(results).strip()


def test_readme_kl_figures_are_in_the_kl_snapshot():
    text = README.read_text()
    section = text[text.index("### Kernighan–Lin drop-in vs NetworkX"): text.index("### Start-up")]
    snapshot = (REPO / "bench" / "results" / "kl_vs_networkx.md").read_text()
    rows = [line for line in section.splitlines() if line.startswith("| ") and "result" not in line]
    assert len(rows) >= 4
    for row in rows:
        figure = row.rstrip(" |").rsplit("|", 1)[1].strip()
        for number in re.findall(r"\d+(?:\.\d+)?x?", figure):
            if number.endswith("x"):
                # a speed-up: the snapshot states it (summary line) or has it per graph
                assert re.search(rf"\b{re.escape(number)}\b", snapshot) or number[:-1] in snapshot, number
            else:
                assert number in snapshot, (number, row)


@pytest.mark.parametrize("claim", ["30-250x", "30–250x", "two fifths", "0.73 s", "equal to NetworkX's"])
def test_readme_drops_claims_the_snapshots_contradict(claim):
    assert claim not in README.read_text()
