"""The commands of the ``klpart`` command line, one function each, taking
the parsed arguments and returning the exit status.

NumPy, SciPy, NetworkX, Numba and matplotlib are imported inside the
functions: a command pays only for what it uses, and ``klpart --help``
nothing.
"""

import contextlib
import math
import os
import stat
import sys
import tempfile
import time

from ._progress import Progress, compile_notice

__all__ = [
    "UsageError",
    "partition_command",
    "info_command",
    "eval_command",
    "draw_command",
    "demo_command",
    "read_coords",
    "blocks_from_name",
]

FORMATS = ("metis", "edgelist", "mtx")  # the values of --format
MAX_LAYOUT_NODES = 2000  # default of "klpart draw --max-layout-nodes"


class UsageError(Exception):
    """A mistake in the command line found after parsing (reported by
    argparse: usage line, exit status 2)."""


# --------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------
def _graph_format(path, fmt):
    """``(format, how)``: the reader for ``path`` and how it was chosen."""
    from ..io import detect_format

    if fmt is not None:
        return fmt, "given by --format"
    try:
        key = detect_format(path)
    except ValueError:
        ext = os.path.splitext(path)[1]
        raise UsageError(
            f"cannot tell the format of {path!r} from its extension {ext or '(none)'!r}: "
            f"pass --format {'|'.join(FORMATS)}"
        ) from None
    return key, f"from the extension {os.path.splitext(path)[1].lower()}"


def _read(args, progress):
    """Read ``args.graph``; ``(graph, format, how, seconds)``."""
    from ..io import read_graph

    fmt, how = _graph_format(args.graph, args.format)
    progress.phase = f"reading {args.graph}"
    t = time.perf_counter()
    g = read_graph(args.graph, format=fmt)
    return g, fmt, how, time.perf_counter() - t


def _edge_count(g):
    """Edges as NetworkX counts them: self-loops included."""
    import numpy as np

    loops = 0 if g.loop_weights is None else int(np.count_nonzero(g.loop_weights))
    return g.num_edges + loops


def _number(x):
    """A NumPy scalar as a Python number; nan and infinities as None (JSON null)."""
    if hasattr(x, "item"):  # NumPy scalars; lists and dicts have no .item
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def _plain(x):
    """``x`` with NumPy scalars, arrays and non-finite floats made JSON-ready."""
    if isinstance(x, dict):
        return {key: _plain(value) for key, value in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(value) for value in x]
    if hasattr(x, "tolist") and getattr(x, "ndim", 0) > 0:
        return _plain(x.tolist())
    return _number(x)


def _fmt(x):
    """A number for the text summaries: floats with 6 significant digits."""
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


def _print_json(data):
    import json

    print(json.dumps(_plain(data), indent=2, allow_nan=False))


def _print_table(title, rows, file=None):
    width = max(len(key) for key, _ in rows)
    print(title, file=file)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}", file=file)


def _seconds(t):
    return f"{t:.2f} s"


def _same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return os.path.realpath(a) == os.path.realpath(b)


def _refuse_inputs(output, *inputs):
    """UsageError when ``output`` is one of the input files (it would be
    overwritten before, or while, it is read)."""
    for path in inputs:
        if path is not None and _same_file(output, path):
            raise UsageError(f"-o {output} is an input file ({path}); choose another output file")


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path):
    """Yield a temporary path in ``path``'s folder; on success rename it to
    ``path`` (atomic on POSIX: a failed or interrupted write never leaves a
    partial file, and the old file stays until the new one is complete).

    Special files (``/dev/null``, a FIFO, a terminal) are written directly.
    An ``OSError`` names ``path``, not the temporary file.

    Examples
    --------
    >>> import os, tempfile
    >>> from klpart.cli._commands import atomic_output
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     target = os.path.join(tmp, "out.txt")
    ...     with atomic_output(target) as part:
    ...         with open(part, "w") as f:
    ...             _ = f.write("done")
    ...     print(open(target).read(), os.listdir(tmp))
    done ['out.txt']
    """
    try:
        special = not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        special = False
    if special:
        try:
            yield path
        except OSError as exc:
            raise _naming(exc, path) from None
        return
    folder = os.path.dirname(os.path.abspath(path))
    base = os.path.basename(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{base}.", suffix=os.path.splitext(base)[1] or ".tmp",
                                   dir=folder)
        os.close(fd)
    except OSError as exc:
        raise _naming(exc, path) from None
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600 files
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _naming(exc, path) from None
        raise


def _naming(exc, path):
    """``exc`` as an OSError whose file name is the user's ``path``."""
    if exc.errno is None:
        return OSError(f"{path}: {exc}")
    return type(exc)(exc.errno, exc.strerror or str(exc), os.fsdecode(path))


# --------------------------------------------------------------------------
# klpart partition
# --------------------------------------------------------------------------
def partition_command(args):
    """``klpart partition``: partition, write the labels, print a summary."""
    import klpart
    from klpart.io import write_partition

    t_start = time.perf_counter()
    if args.output not in (None, "-"):
        _refuse_inputs(args.output, args.graph)
    compile_notice()
    with Progress() as progress:
        g, fmt, _, t_read = _read(args, progress)
        progress.phase = f"partitioning into {args.k} blocks (preset {args.preset})"
        t = time.perf_counter()
        res = klpart.partition(
            g, args.k, imbalance=args.imbalance, preset=args.preset, seed=args.seed,
            time_limit=getattr(args, "time_limit", None),
        )
        t_part = time.perf_counter() - t
        progress.phase = "writing the partition"
        t = time.perf_counter()
        to_stdout = args.output == "-"
        if to_stdout:
            path = None
            if not args.json:
                write_partition(res.labels, sys.stdout, k=args.k)
        else:
            path = args.output if args.output is not None else f"{args.graph}.part.{args.k}"
            with atomic_output(path) as part_path:
                write_partition(res.labels, part_path, k=args.k)
        t_write = time.perf_counter() - t
    t_total = time.perf_counter() - t_start

    summary = {
        "graph": args.graph,
        "format": fmt,
        "nodes": g.num_nodes,
        "edges": _edge_count(g),
        "k": res.k,
        "preset": args.preset,
        "seed": args.seed,
        "imbalance_bound": args.imbalance,
        "cut": res.cut,
        "imbalance": res.imbalance,
        "balanced": res.balanced,
        "block_weights": res.block_weights,
        "max_block_weights": res.max_block_weights,
        "components_per_block": res.components_per_block,
        "partition_file": None if path is None else os.fsdecode(path),
        "time": {"read": t_read, "partition": t_part, "write": t_write, "total": t_total},
    }
    if args.json:
        if to_stdout:
            summary["labels"] = res.labels
        _print_json(summary)
        return 0
    weights = res.block_weights
    rows = [
        ("format", fmt),
        ("nodes", str(g.num_nodes)),
        ("edges", str(summary["edges"])),
        ("k", str(res.k)),
        ("preset", f"{args.preset} (seed {args.seed})"),
        ("cut", _fmt(res.cut)),
        ("imbalance", f"{res.imbalance:.4f} (max block weight / average - 1)"),
        (
            "block weights",
            f"{_fmt(min(weights))} .. {_fmt(max(weights))} (bound "
            f"{_fmt(max(res.max_block_weights))}): "
            f"{'balanced' if res.balanced else 'NOT balanced'}",
        ),
        (
            "time",
            f"{_seconds(t_part)} partitioning, {_seconds(t_read)} reading, "
            f"{_seconds(t_write)} writing",
        ),
        ("partition", "standard output" if path is None else os.fsdecode(path)),
    ]
    # with -o - the partition owns standard output; the summary goes aside
    _print_table(f"klpart partition {args.graph}", rows, file=sys.stderr if to_stdout else None)
    return 0


# --------------------------------------------------------------------------
# klpart info
# --------------------------------------------------------------------------
def _weight_stats(values, skip_unit=True):
    """None when every value is 1, else dtype, min, max and total."""
    import numpy as np

    if values.size == 0 or (skip_unit and (values == 1).all()):
        return None
    return {
        "dtype": "int" if values.dtype.kind in "iu" else "float",
        "min": values.min().item(),
        "max": values.max().item(),
        "total": values.sum().item() if values.dtype.kind == "f" else int(np.sum(values)),
    }


def _graph_info(g):
    import numpy as np
    from scipy.sparse.csgraph import connected_components

    n = g.num_nodes
    loops = np.zeros(n, bool) if g.loop_weights is None else g.loop_weights != 0
    # NetworkX's degree: a self-loop adds 2
    degree = np.diff(g.indptr).astype(np.int64) + 2 * loops
    if n:
        count, labels = connected_components(g.to_scipy(self_loops=False), directed=False)
        largest = int(np.bincount(labels).max())
    else:
        count, largest = 0, 0
    stats = _weight_stats(g.edge_weights)
    if stats is not None:
        # each undirected edge is stored twice; the total counts it once
        total = stats["total"] / 2
        stats["total"] = int(total) if stats["dtype"] == "int" else total
    loop_stats = _weight_stats(g.loop_weights[loops], skip_unit=False) if loops.any() else None
    return {
        "nodes": n,
        "edges": _edge_count(g),
        "self_loops": int(loops.sum()),
        "edge_weights": stats,
        "self_loop_weights": loop_stats,
        "node_weights": _weight_stats(g.node_weights),
        "degree": {
            "min": int(degree.min()) if n else None,
            "max": int(degree.max()) if n else None,
            "mean": float(degree.mean()) if n else None,
            "median": float(np.median(degree)) if n else None,
        },
        "isolated_nodes": int(np.count_nonzero(degree == 0)),
        "components": int(count),
        "largest_component": largest,
    }


def info_command(args):
    """``klpart info``: sizes, weights, degrees and components of a graph file."""
    with Progress() as progress:
        g, fmt, how, _ = _read(args, progress)
        progress.phase = "counting components"
        info = {"graph": args.graph, "format": fmt, "format_from": how}
        info.update(_graph_info(g))
    if args.json:
        _print_json(info)
        return 0

    def weights(stats, none="none (all 1)"):
        if stats is None:
            return none
        return (
            f"{stats['dtype']}, {_fmt(stats['min'])} .. {_fmt(stats['max'])}, "
            f"total {_fmt(stats['total'])}"
        )

    d = info["degree"]
    rows = [
        ("format", f"{fmt} ({how})"),
        ("nodes", str(info["nodes"])),
        ("edges", f"{info['edges']}{' (self-loops included)' if info['self_loops'] else ''}"),
        ("self-loops", str(info["self_loops"])),
        ("edge weights", weights(info["edge_weights"])),
        ("node weights", weights(info["node_weights"])),
    ]
    if info["self_loops"]:
        rows.append(("self-loop weights", weights(info["self_loop_weights"])))
    if info["nodes"]:
        rows.append(
            (
                "degree",
                f"min {d['min']}, max {d['max']}, mean {d['mean']:.2f}, median {_fmt(d['median'])}",
            )
        )
    rows += [
        ("isolated nodes", str(info["isolated_nodes"])),
        ("components", f"{info['components']} (largest: {info['largest_component']} nodes)"),
    ]
    _print_table(f"klpart info {args.graph}", rows)
    return 0


# --------------------------------------------------------------------------
# klpart eval
# --------------------------------------------------------------------------
def blocks_from_name(path):
    """K of a gpmetis name ``GRAPH.part.K``, else None.

    Examples
    --------
    >>> from klpart.cli._commands import blocks_from_name
    >>> blocks_from_name("meshes/4elt.graph.part.16"), blocks_from_name("4elt.part")
    (16, None)
    """
    stem, ext = os.path.splitext(os.path.basename(path))
    if stem.endswith(".part") and ext[1:].isdigit():
        return int(ext[1:])
    return None


def _line_of_entry(path, i):
    """1-based line of the ``i``-th (0-based) id of a partition file, whose
    comment lines (``%`` or ``#``) hold none."""
    with open(path, "rb") as f:
        for lineno, line in enumerate(f, 1):
            if line.lstrip()[:1] not in (b"%", b"#"):
                if i == 0:
                    return lineno
                i -= 1
    return None


def _read_labels(args, g, progress):
    """The block of every node from ``args.partition``, and the block count."""
    import numpy as np

    from ..io import GraphFormatError, read_partition

    progress.phase = f"reading {args.partition}"
    labels = read_partition(args.partition, n=g.num_nodes)
    k = args.k
    if k is not None and labels.size and labels.max() >= k:
        node = int(np.flatnonzero(labels >= k)[0])
        raise GraphFormatError(
            f"block id {labels[node]} of node {node} is not below k = {k}",
            args.partition,
            _line_of_entry(args.partition, node),
        )
    if k is None:
        # trailing empty blocks are invisible in the labels, but they raise
        # the imbalance: the gpmetis file name says how many there are
        found = int(labels.max()) + 1 if labels.size else 0
        named = blocks_from_name(args.partition)
        k = named if named is not None and named >= found else found
    return labels, k


def eval_command(args):
    """``klpart eval``: :func:`klpart.metrics.report` of a partition file."""
    from ..metrics import report

    compile_notice()
    with Progress() as progress:
        g, _, _, _ = _read(args, progress)
        labels, k = _read_labels(args, g, progress)
        progress.phase = "computing the metrics"
        rep = report(g, labels, k=k)
    if args.json:
        _print_json(rep.to_dict())
    else:
        print(rep)
    return 0


# --------------------------------------------------------------------------
# klpart draw
# --------------------------------------------------------------------------
def read_coords(path, n):
    """``(n, 2)`` float array from a file of ``x y`` (or ``x y z``) lines.

    Comment lines start with ``%`` or ``#``; a blank line is an error, as in
    partition files, because it would shift every later node.  Malformed
    lines raise :class:`~klpart.io.GraphFormatError` (``file:line: reason``).

    Examples
    --------
    >>> import os, tempfile
    >>> from klpart.cli._commands import read_coords
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "square.xy")
    ...     with open(path, "w") as f:
    ...         _ = f.write("% x y\\n0 0\\n1 0\\n1 1\\n0 1 7\\n")
    ...     xy = read_coords(path, 4)
    >>> xy.tolist()
    [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
    """
    import numpy as np

    from ..io import GraphFormatError

    xy = []
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for lineno, line in enumerate(lines, 1):
        tokens = line.split()
        if tokens and tokens[0][:1] in (b"%", b"#"):
            continue
        if len(tokens) not in (2, 3):
            found = "a blank line" if not tokens else f"{len(tokens)} numbers"
            raise GraphFormatError(f"expected 'x y' (or 'x y z'), found {found}", path, lineno)
        if len(xy) == n:
            raise GraphFormatError(f"more coordinate lines than the {n} nodes", path, lineno)
        try:
            x, y = float(tokens[0]), float(tokens[1])
        except ValueError:
            raise GraphFormatError(
                f"coordinates {b' '.join(tokens[:2]).decode('utf-8', 'replace')!r} are not numbers",
                path,
                lineno,
            ) from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise GraphFormatError("coordinates must be finite", path, lineno)
        xy.append((x, y))
    if len(xy) != n:
        raise GraphFormatError(
            f"expected {n} coordinate lines (one per node), the file ends after {len(xy)}",
            path,
            len(lines) + 1,
        )
    return np.array(xy, float).reshape(n, 2)


def draw_command(args):
    """``klpart draw``: save a picture made by :func:`klpart.plot.draw_partition`."""
    from matplotlib.figure import Figure

    from ..plot import draw_partition

    output = args.output if args.output is not None else f"{args.partition}.png"
    _refuse_inputs(output, args.graph, args.partition, args.coords)
    compile_notice()
    with Progress() as progress:
        g, _, _, _ = _read(args, progress)
        labels, k = _read_labels(args, g, progress)
        if args.coords is not None:
            pos = read_coords(args.coords, g.num_nodes)
        elif g.num_nodes > args.max_layout_nodes:
            raise ValueError(
                f"{args.graph} has {g.num_nodes} nodes and no coordinates: without --coords "
                f"klpart lays out graphs of at most {args.max_layout_nodes} nodes (a spring "
                "layout is slow and unreadable beyond); pass --coords FILE with one 'x y' "
                "line per node, or raise --max-layout-nodes"
            )
        else:
            progress.phase = "laying out the graph"
            pos = None
        progress.phase = f"drawing {output}"
        # a bare Figure, not pyplot: no GUI backend, no global figure state
        fig = Figure(figsize=(args.size, args.size * 0.75), layout="constrained")
        ax = fig.add_subplot()
        draw_partition(g, labels, pos=pos, ax=ax, max_layout_nodes=args.max_layout_nodes,
                       seed=args.seed)
        ax.set_title(f"{os.path.basename(args.graph)}: {k} blocks")
        ext = os.path.splitext(output)[1][1:].lower()
        with atomic_output(output) as picture:
            # the temporary name keeps the extension; the format is explicit anyway
            try:
                fig.savefig(picture, dpi=args.dpi, format=ext or "png")
            except (ValueError, MemoryError) as exc:  # e.g. a huge --dpi
                raise ValueError(
                    f"{output}: cannot save the picture at {args.dpi:g} dpi, "
                    f"{args.size:g} inches wide: {exc}"
                ) from None
    print(f"klpart draw: wrote {output} ({g.num_nodes} nodes, {k} blocks)")
    return 0


# --------------------------------------------------------------------------
# klpart demo
# --------------------------------------------------------------------------
def demo_command(args):
    """``klpart demo``: NetworkX's and klpart's Kernighan-Lin, and klpart's
    multilevel partitioner, on a generated mesh (three starts each)."""
    import statistics

    import networkx as nx

    import klpart
    from klpart.datasets import delaunay_graph

    g = delaunay_graph(args.nodes, seed=args.seed)
    G = g.to_networkx()
    seeds = [args.seed, args.seed + 1, args.seed + 2]
    print(f"graph: Delaunay mesh of {g.num_nodes} random points, {g.num_edges} edges (seed {args.seed})")
    print(f"each method runs with seeds {seeds}; the table shows medians")

    t0 = time.perf_counter()
    klpart.partition(delaunay_graph(200, seed=0), 2, seed=0)  # compile (or load) the kernels
    klpart.kernighan_lin_bisection(nx.path_graph(4), seed=0)
    warmup = time.perf_counter() - t0

    rows = []

    def run(name, func):
        cuts, sizes, times = [], [], []
        for seed in seeds:
            t = time.perf_counter()
            A, B = func(seed)
            times.append(time.perf_counter() - t)
            cuts.append(nx.cut_size(G, A))
            sizes.append(max(len(A), len(B)))
        rows.append((name, statistics.median(cuts), statistics.median(sizes), statistics.median(times)))

    def multilevel(seed):
        return klpart.partition(G, 2, seed=seed).blocks

    run("networkx kernighan_lin_bisection", lambda s: nx.community.kernighan_lin_bisection(G, seed=s))
    run("klpart kernighan_lin_bisection", lambda s: klpart.kernighan_lin_bisection(G, seed=s))
    run("klpart partition (multilevel, 3%)", multilevel)

    width = max(len(r[0]) for r in rows)
    print(f"\n{'method':<{width}}  {'cut':>6}  {'larger block / n':>16}  {'time':>9}")
    for name, cut, larger, elapsed in rows:
        print(f"{name:<{width}}  {cut:>6.0f}  {larger / g.num_nodes:>16.3f}  {elapsed * 1e3:>7.1f}ms")
    base = rows[0]
    print()
    for name, cut, _, elapsed in rows[1:]:
        print(f"{name}: cut x{cut / base[1]:.2f} of NetworkX's, {base[3] / elapsed:.0f}x faster")
    print(f"(klpart kernels: {warmup:.2f}s to compile or load from the cache, not counted above)")
    return 0
