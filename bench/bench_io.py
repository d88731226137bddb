"""Read (and write) speed of klpart.io on the Walshaw METIS graphs.

For each graph: the median of ``--repeats`` reads after one warm-up read
(kernels compiled or loaded from cache), the throughput in MB/s, and, as an
anchor measured in the same run, the pure-Python reference parser that
explains errors (``--no-reference`` skips it) and the writer.

    python bench/bench_io.py
    python bench/bench_io.py --graphs bcsstk33 finan512 --repeats 9
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

WALSHAW_DIR = Path(
    os.environ.get(
        "KLPART_WALSHAW", Path(__file__).resolve().parents[2] / "shared" / "graphs" / "walshaw"
    )
)


def median_time(func, repeats):
    func()  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        func()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", nargs="*", help="graph names (default: every *.graph)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-reference", action="store_true", help="skip the Python parser")
    args = parser.parse_args(argv)

    from klpart.io import _parse_metis_slow, read_metis, write_metis

    if not WALSHAW_DIR.is_dir():
        print(f"no Walshaw graphs in {WALSHAW_DIR} (set KLPART_WALSHAW)")
        return 1
    paths = (
        [WALSHAW_DIR / f"{name}.graph" for name in args.graphs]
        if args.graphs
        else sorted(WALSHAW_DIR.glob("*.graph"))
    )
    header = f"{'graph':<10} {'MB':>6} {'nodes':>7} {'edges':>7} {'read ms':>8} {'MB/s':>7} {'write ms':>9}"
    if not args.no_reference:
        header += f" {'python ms':>10} {'speed-up':>8}"
    print(header)
    total_mb = total_read = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.graph")
        for path in paths:
            mb = path.stat().st_size / 1e6
            g = read_metis(path)
            t_read = median_time(lambda: read_metis(path), args.repeats)
            t_write = median_time(lambda: write_metis(g, out), args.repeats)
            row = (
                f"{path.stem:<10} {mb:>6.2f} {g.num_nodes:>7} {g.num_edges:>7} "
                f"{t_read * 1e3:>8.1f} {mb / t_read:>7.0f} {t_write * 1e3:>9.1f}"
            )
            if not args.no_reference:
                data = path.read_bytes()
                t_ref = median_time(lambda: _parse_metis_slow(data, path.name), max(1, args.repeats // 2))
                row += f" {t_ref * 1e3:>10.0f} {t_ref / t_read:>7.0f}x"
            print(row)
            total_mb += mb
            total_read += t_read
    print(f"total: {total_mb:.1f} MB read in {total_read * 1e3:.0f} ms ({total_mb / total_read:.0f} MB/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
