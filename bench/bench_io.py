"""Read (and write) speed of klpart.io on the Walshaw METIS graphs.

For each graph: the median of ``--repeats`` reads after one warm-up read
(kernels compiled or loaded from cache), the throughput in MB/s, and, as an
anchor measured in the same run, a pure-Python parser written here that
does the same checks (``--no-reference`` skips it) and the writer.

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


def parse_metis_python(data):
    """Plain-Python METIS reader, the anchor the compiled reader is timed
    against: it does the same work line by line (tokens, per-node neighbour
    dicts, the symmetry and edge-count checks, CSR arrays) and raises a bare
    ``ValueError`` where klpart's reader names file and line.

    Returns ``(indptr, indices, edge_weights, node_weights, node_sizes)``
    (None for the parts the header's fmt leaves out), neighbours in file
    order as klpart stores them.
    """
    import numpy as np

    lines = data.split(b"\n")
    if lines[-1] == b"":  # a final newline ends the last line (as klpart counts lines)
        lines.pop()
    lines = iter(lines)
    for line in lines:
        tokens = line.split()
        if tokens and not tokens[0].startswith(b"%"):
            break
    else:
        raise ValueError("no header line")
    if not 2 <= len(tokens) <= 4:
        raise ValueError("the header must read 'n m [fmt [ncon]]'")
    n, m = int(tokens[0]), int(tokens[1])
    fmt = tokens[2].decode().zfill(3) if len(tokens) > 2 else "000"
    if len(fmt) != 3 or set(fmt) - {"0", "1"} or (len(tokens) > 3 and int(tokens[3]) > 1):
        raise ValueError(f"unsupported fmt/ncon in header {tokens!r}")
    has_size, has_weight, has_edge_weight = (c == "1" for c in fmt)
    head = has_size + has_weight
    step = 1 + has_edge_weight
    rows, sizes, weights = [], [], []
    for line in lines:
        tokens = line.split()
        if tokens and tokens[0].startswith(b"%"):
            continue
        if len(rows) == n:
            if tokens:
                raise ValueError("data after the last node line")
            continue
        u = len(rows)
        if len(tokens) < head or (len(tokens) - head) % step:
            raise ValueError(f"node {u + 1}: wrong number of fields")
        if has_size:
            sizes.append(int(tokens[0]))
        if has_weight:
            weights.append(int(tokens[has_size]))
        row = {}
        for j in range(head, len(tokens), step):
            v = int(tokens[j]) - 1
            if not 0 <= v < n or v == u or v in row:
                raise ValueError(f"node {u + 1}: bad neighbour {v + 1}")
            row[v] = int(tokens[j + 1]) if has_edge_weight else 1
        rows.append(row)
    if len(rows) < n:
        raise ValueError("fewer node lines than the header declares")
    for u, row in enumerate(rows):
        for v, x in row.items():
            if rows[v].get(u) != x:
                raise ValueError(f"edge {u + 1}-{v + 1} is not symmetric")
    nnz = sum(map(len, rows))
    if nnz != 2 * m:
        raise ValueError("the edge count does not match the header")
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.fromiter(map(len, rows), np.int64, n), out=indptr[1:])
    indices = np.fromiter((v for row in rows for v in row), np.int64, nnz)
    edge_weights = np.fromiter((x for row in rows for x in row.values()), np.int64, nnz)
    return (
        indptr,
        indices,
        edge_weights,
        np.array(weights, np.int64) if has_weight else None,
        np.array(sizes, np.int64) if has_size else None,
    )


def agrees(g, parsed):
    """Whether klpart's reader and :func:`parse_metis_python` read the same
    graph (checked once per file, outside the timing)."""
    import numpy as np

    indptr, indices, edge_weights, node_weights, node_sizes = parsed
    same = (
        np.array_equal(g.indptr, indptr)
        and np.array_equal(g.indices, indices)
        and np.array_equal(g.edge_weights, edge_weights)
    )
    if node_weights is not None:
        same = same and np.array_equal(g.node_weights, node_weights)
    if node_sizes is not None:
        same = same and np.array_equal(g.node_sizes, node_sizes)
    return same


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

    from klpart.io import read_metis, write_metis

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
                if not agrees(g, parse_metis_python(data)):
                    raise SystemExit(f"{path}: the Python reference reads another graph than read_metis")
                t_ref = median_time(lambda: parse_metis_python(data), max(1, args.repeats // 2))
                row += f" {t_ref * 1e3:>10.0f} {t_ref / t_read:>7.0f}x"
            print(row)
            total_mb += mb
            total_read += t_read
    print(f"total: {total_mb:.1f} MB read in {total_read * 1e3:.0f} ms ({total_mb / total_read:.0f} MB/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
