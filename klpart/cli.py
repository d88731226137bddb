"""The ``klpart`` command line.

``klpart demo`` bisects a generated Delaunay mesh with NetworkX's
Kernighan-Lin and with klpart, and prints cut, balance and time side by side.
"""

import argparse
import sys
import time

__all__ = ["main"]


def _demo(args):
    import networkx as nx

    import klpart
    from klpart.datasets import delaunay_graph

    g = delaunay_graph(args.nodes, seed=args.seed)
    G = g.to_networkx()
    print(f"graph: Delaunay mesh of {g.num_nodes} random points, {g.num_edges} edges (seed {args.seed})")

    t0 = time.perf_counter()
    klpart.kernighan_lin_bisection(nx.path_graph(4), seed=0)  # compile (or load) the kernels
    warmup = time.perf_counter() - t0

    rows = []

    def run(name, func):
        t = time.perf_counter()
        A, B = func()
        elapsed = time.perf_counter() - t
        rows.append((name, nx.cut_size(G, A), f"{len(A)} / {len(B)}", elapsed))

    run("networkx kernighan_lin_bisection", lambda: nx.community.kernighan_lin_bisection(G, seed=args.seed))
    run("klpart kernighan_lin_bisection", lambda: klpart.kernighan_lin_bisection(G, seed=args.seed))

    width = max(len(r[0]) for r in rows)
    print(f"\n{'method':<{width}}  {'cut':>6}  {'block sizes':>13}  {'time':>9}")
    for name, cut, sizes, elapsed in rows:
        print(f"{name:<{width}}  {cut:>6}  {sizes:>13}  {elapsed * 1e3:>7.1f}ms")
    base = rows[0]
    for name, cut, _, elapsed in rows[1:]:
        print(f"\n{name}: cut x{cut / base[1]:.2f} of NetworkX's, {base[3] / elapsed:.0f}x faster")
    print(f"(klpart kernels: {warmup:.2f}s to compile or load from the cache, not counted above)")
    return 0


def _parser():
    parser = argparse.ArgumentParser(prog="klpart", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="compare NetworkX and klpart on a generated mesh")
    demo.add_argument("--nodes", type=int, default=5000, help="mesh size (default 5000)")
    demo.add_argument("--seed", type=int, default=0, help="seed of the mesh and the start")
    demo.set_defaults(func=_demo)
    return parser


def main(argv=None):
    """Entry point of the ``klpart`` console script; returns the exit code."""
    args = _parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
