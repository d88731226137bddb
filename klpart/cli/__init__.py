"""The ``klpart`` command line: partition graph files, inspect them, evaluate and draw partitions.

Commands::

    klpart partition GRAPH K | -k K [--imbalance 0.03] [--preset fast|default|strong]
                     [--seed S] [-o FILE | -o -] [--json] [--format F]
    klpart info GRAPH [--json] [--format F]
    klpart eval GRAPH PARTFILE [-k K] [--json] [--format F]
    klpart draw GRAPH PARTFILE [-o OUT.png] [--coords FILE] [--format F]
    klpart demo [--nodes N] [--seed S]

``partition`` works like ``gpmetis``: it prints a summary (nodes, edges, k,
cut, imbalance, time) and writes the block of node ``i`` on line ``i`` of
``GRAPH.part.K`` next to the graph (``-o FILE`` elsewhere, ``-o -`` to
standard output).  ``info`` describes a graph file, ``eval`` prints the
quality report of :func:`klpart.metrics.report` for a partition file, and
``draw`` saves a picture of a partition with :func:`klpart.plot.draw_partition`.

Graph files are read with :func:`klpart.io.read_graph`; the format comes from
the extension (``.graph``/``.metis``: METIS; ``.mtx``: Matrix Market;
``.edgelist``/``.edges``/``.txt``/``.el``: edge list) unless ``--format``
names it.  Line ``i`` of a partition file is node ``i`` in the graph's row
order: the file order for METIS and Matrix Market, the order of first
appearance for edge lists.

Exit status: 0 on success, 2 for a usage error (reported by argparse, with
the usage line), 1 for an input error -- a missing or malformed file, a ``k``
larger than the graph -- reported as one line ``klpart: error: file:line:
reason`` without a traceback.  Runs longer than a second show the elapsed time
and the current phase on standard error when it is a terminal.

Heavy modules (NumPy, SciPy, NetworkX, Numba, matplotlib) are imported inside
the command functions, so ``klpart --help`` answers at once and a run pays
only for what it uses.

``python -m klpart`` without arguments runs ``demo``.

This package holds the argument parser and :func:`main`; the commands are in
``klpart.cli._commands`` and the progress line in ``klpart.cli._progress``.

Examples
--------
>>> import contextlib, io, os, tempfile
>>> import networkx as nx
>>> from klpart.cli import main
>>> from klpart.io import write_metis
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = os.path.join(tmp, "grid.graph")
...     write_metis(nx.grid_2d_graph(10, 10), path)
...     out = io.StringIO()
...     with contextlib.redirect_stdout(out):
...         status = main(["partition", path, "-k", "2", "--json"])
...     written = sorted(os.listdir(tmp))
>>> import json
>>> result = json.loads(out.getvalue())
>>> status, result["nodes"], result["k"], result["cut"], written
(0, 100, 2, 10, ['grid.graph', 'grid.graph.part.2'])
"""

import argparse
import math
import os
import sys
import warnings

from ._commands import (
    FORMATS,
    MAX_LAYOUT_NODES,
    UsageError,
    demo_command,
    draw_command,
    eval_command,
    info_command,
    partition_command,
)

__all__ = ["main"]

_FORMAT_HELP = (
    "graph file format: metis, edgelist or mtx (Matrix Market); by default "
    "chosen from the extension (.graph/.metis, .edgelist/.edges/.txt/.el, .mtx)"
)


# --------------------------------------------------------------------------
# argument parsing
# --------------------------------------------------------------------------
def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive integer")
    return value


def _non_negative_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"{text} is not a finite non-negative number")
    return value


def _strong_summary():
    """The strong preset in words, read from the config so the help never drifts."""
    from klpart.config import preset

    strong = preset("strong")
    return (f"{strong.initial.tries} initial tries, {strong.refinement.max_passes} FM passes, "
            f"{strong.vcycles + 1} V-cycles per run, best of {strong.restarts} runs")


def _positive_float(text):
    value = _non_negative_float(text)
    if value == 0:
        raise argparse.ArgumentTypeError("it must be positive")
    return value


_EPILOG = """\
examples:
  klpart partition mesh.graph 8                 # writes mesh.graph.part.8
  klpart partition mesh.graph -k 8              # the same
  klpart partition mesh.graph -k 8 --preset strong -o mesh.part
  klpart partition road.edges -k 4 -o - | head  # the partition on standard output
  klpart info mesh.graph
  klpart eval mesh.graph mesh.graph.part.8 --json
  klpart draw mesh.graph mesh.graph.part.8 -o mesh.png --coords mesh.xy

exit status: 0 success, 1 input or runtime error (missing or malformed file,
k larger than the graph ...; one line on standard error, never a traceback),
2 usage error.  'klpart COMMAND --help' describes a
command.
"""

_PARTITION_EPILOG = """\
The summary (format, nodes, edges, k, preset and seed, cut, imbalance, block
weights, time) goes to standard output, or to standard error with -o - (then
standard output carries only the partition).  With --json the summary is one
JSON object: graph, format, nodes, edges, k, preset, seed, imbalance_bound,
cut, imbalance, balanced, block_weights, max_block_weights,
components_per_block, partition_file and time (read, partition, write,
total, in seconds); with --json -o - it also holds the labels.

Edge weights and node weights are those of the file (METIS 'fmt' flags,
Matrix Market values, the third column of an edge list).  If the balance
bound cannot be met (very heavy nodes), klpart warns, writes the best
partition it found and exits with status 0.
"""


# every command's line in the command list and its description under
# 'klpart COMMAND --help'
_COMMAND_HELP = {
    "partition": (
        "split a graph into k balanced blocks with a small cut and write the partition",
        "Partition GRAPH into K blocks, each weighing at most (1 + EPS) * ceil(total "
        "node weight / K), with as small a cut (total weight of the edges between "
        "blocks) as it can find: multilevel coarsening, initial bisection and FM "
        "refinement; for K > 2 recursive bisection of the coarsest graph, then k-way "
        "FM.  Writes the block id of every node, one per line, to GRAPH.part.K as "
        "gpmetis does."
    ),
    "info": (
        "describe a graph file: sizes, weights, degrees, components",
        "Describe GRAPH: the format read, nodes, edges (as NetworkX counts them: "
        "self-loops included), self-loops, edge and node weights (type, range, total; "
        "'none' when all are 1), degrees (a self-loop adds 2, as in NetworkX), "
        "isolated nodes and connected components."
    ),
    "eval": (
        "quality report of a partition file (cut, balance, modularity, ...)",
        "Evaluate the partition in PARTFILE (one block id per line, node i on line i) "
        "on GRAPH with klpart.metrics.report: cut, imbalance, modularity, coverage, "
        "performance, conductance, normalized cut, boundary nodes, communication "
        "volume, and a table per block.  Edge and node weights are those of the file."
    ),
    "draw": (
        "draw a partition: nodes coloured by block, cut edges in black",
        "Draw GRAPH with its nodes coloured by the blocks of PARTFILE and the cut edges "
        "in black (klpart.plot.draw_partition), and save the picture; the format "
        "follows OUT's extension (.png, .pdf, .svg ...).  Node positions come from "
        "--coords; without it graphs of at most --max-layout-nodes nodes get a spring "
        "layout and larger ones are an error."
    ),
    "demo": (
        "compare NetworkX and klpart Kernighan-Lin on a generated mesh",
        "Bisect a generated Delaunay mesh with NetworkX's kernighan_lin_bisection and "
        "with klpart's, and print cut, block sizes and time side by side.  "
        "'python -m klpart' without arguments runs this."
    ),
}


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the hand-made line breaks of descriptions and epilogs, and
    leaves room for the command names in the command list."""

    def __init__(self, prog):
        super().__init__(prog, max_help_position=30)
        # argparse sizes the help column from the invocations it has seen,
        # which for the command list is only "COMMAND": start it wide enough
        # for "partition" (a private attribute; without it the help is just
        # laid out less neatly)
        self._action_max_length = 15


def _wrap(text):
    import textwrap

    return textwrap.fill(" ".join(text.split()), width=79)


def _parser():
    formatter = _HelpFormatter
    parser = argparse.ArgumentParser(
        prog="klpart",
        description=_wrap(
            "Partition graph files (gpmetis-style), describe them, and evaluate or draw "
            "partitions.  Graph files: METIS (.graph, .metis), edge lists (.edgelist, "
            ".edges, .txt, .el) and Matrix Market (.mtx); partition files: one block id "
            "per line, node i on line i."
        ),
        epilog=_EPILOG,
        formatter_class=formatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name, func, epilog=None, reads_graph=True):
        """The parser of one command, with GRAPH and --format first when it reads one."""
        summary, description = _COMMAND_HELP[name]
        p = sub.add_parser(name, help=summary, description=_wrap(description), epilog=epilog,
                           formatter_class=formatter)
        if reads_graph:
            p.add_argument("graph", metavar="GRAPH",
                           help="graph file (METIS, edge list or Matrix Market)")
            p.add_argument("--format", choices=FORMATS, help=_FORMAT_HELP)
        p.set_defaults(func=func, parser=p)
        return p

    def blocks_argument(p, text):
        p.add_argument("-k", "--blocks", dest="k", type=_positive_int, metavar="K", help=text)

    p = command("partition", partition_command, epilog=_PARTITION_EPILOG)
    p.add_argument("k_positional", nargs="?", type=_positive_int, metavar="K",
                   help="number of blocks, as gpmetis takes it (same as -k K)")
    blocks_argument(p, "number of blocks (1 <= K <= number of nodes)")
    p.add_argument("--imbalance", type=_non_negative_float, default=0.03, metavar="EPS",
                   help="allowed imbalance: every block weighs at most (1 + EPS) * "
                        "ceil(total / K) (default 0.03)")
    p.add_argument("--preset", choices=("fast", "default", "strong"), default="default",
                   help="effort: fast (fewer initial bisections and refinement passes), "
                        f"default, or strong ({_strong_summary()}; slower); default: default")
    p.add_argument("--seed", type=int, default=0,
                   help="random seed; the same seed gives the same partition (default 0)")
    p.add_argument("--time-limit", type=_positive_float, default=None, metavar="SECONDS",
                   help="keep improving the partition (V-cycles, combining good partitions) until "
                        "SECONDS have passed since the start of partitioning; default: one run")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="partition file to write (default: GRAPH.part.K next to the graph); "
                        "'-' writes it to standard output")
    p.add_argument("--json", action="store_true",
                   help="print the summary as one JSON object instead of a table")

    p = command("info", info_command)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")

    p = command("eval", eval_command)
    p.add_argument("partition", metavar="PARTFILE", help="partition file (gpmetis format)")
    blocks_argument(p, "number of blocks, counting empty trailing ones (default: K of a "
                       "PARTFILE named *.part.K, else the largest block id + 1)")
    p.add_argument("--json", action="store_true",
                   help="print the report as JSON (PartitionReport.to_dict(); nan as null)")

    p = command("draw", draw_command)
    p.add_argument("partition", metavar="PARTFILE", help="partition file (gpmetis format)")
    p.add_argument("-o", "--output", metavar="OUT", help="picture to write (default: PARTFILE.png)")
    p.add_argument("--coords", metavar="FILE",
                   help="node coordinates: one 'x y' line per node, in node order (a third "
                        "column, z, is ignored; lines starting with %% or # are comments)")
    blocks_argument(p, "number of blocks (default as for 'klpart eval')")
    p.add_argument("--max-layout-nodes", type=_positive_int, default=MAX_LAYOUT_NODES,
                   metavar="N",
                   help=f"largest graph laid out without --coords (default {MAX_LAYOUT_NODES})")
    p.add_argument("--seed", type=int, default=0, help="seed of the spring layout (default 0)")
    p.add_argument("--dpi", type=_positive_float, default=150,
                   help="resolution of raster pictures (default 150)")
    p.add_argument("--size", type=_positive_float, default=8.0, metavar="INCHES",
                   help="picture width in inches (height 3/4 of it; default 8)")

    p = command("demo", demo_command, reads_graph=False)
    p.add_argument("--nodes", type=int, default=5000, help="mesh size (default 5000)")
    p.add_argument("--seed", type=int, default=0, help="seed of the mesh and the start")
    return parser


def _one_line(exc):
    """The message of an input error, on one line."""
    if isinstance(exc, OSError) and exc.strerror and exc.filename is not None:
        text = f"{os.fsdecode(exc.filename)}: {exc.strerror}"
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def main(argv=None):
    """Entry point of the ``klpart`` console script; returns the exit status.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 for an input or runtime error (reported on one line
        of standard error naming the file, never with a traceback).  Usage
        errors raise ``SystemExit(2)`` from argparse, after printing the
        usage.

    Examples
    --------
    >>> from klpart.cli import main
    >>> main(["info", "no-such-file.graph"])
    1
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "partition":
        _resolve_blocks(args)
    try:
        # the filters stay as they are (no DeprecationWarning noise); only
        # the display changes
        with warnings.catch_warnings(record=True) as caught:
            try:
                status = args.func(args)
            finally:
                # one line each, like the errors, instead of Python's
                # two-line "file:line: Category" format
                for w in caught:
                    print(f"klpart: warning: {' '.join(str(w.message).split())}", file=sys.stderr)
    except UsageError as exc:
        args.parser.error(str(exc))
    except KeyboardInterrupt:
        print("klpart: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. "klpart partition ... -o - | head"
        return _broken_pipe()
    except (ValueError, OSError) as exc:  # GraphFormatError is a ValueError
        # a file that does not fit the request is the user's to fix: say
        # what and where on one line
        print(f"klpart: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a command line never shows a traceback
        # anything else (a bug, a MemoryError, a library's own error) is still
        # one line, naming its type so that it can be reported
        print(f"klpart: error: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        return 1
    return status


def _resolve_blocks(args):
    """K from ``klpart partition GRAPH K`` (gpmetis's order) or ``-k K``."""
    if args.k_positional is not None and args.k is not None and args.k_positional != args.k:
        args.parser.error(f"K given twice with different values: {args.k_positional} and -k {args.k}")
    if args.k is None:
        args.k = args.k_positional
    if args.k is None:
        args.parser.error("the number of blocks is required: klpart partition GRAPH K (or -k K)")


def _broken_pipe():
    # the reader left: point stdout at devnull so that the interpreter's
    # final flush does not report the broken pipe a second time
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 1


if __name__ == "__main__":
    sys.exit(main())
