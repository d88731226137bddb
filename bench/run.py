"""Side-by-side partitioning benchmark: klpart against NetworkX, METIS, KaHIP, KaMinPar.

    python bench/run.py --quick                                  # two small Walshaw graphs, a minute or two
    python bench/run.py --graphs ../shared/graphs/walshaw -k 2,4,16,64 --seeds 3 --out bench/results/walshaw
    python bench/run.py --generated delaunay:2^12,2^16 grid:100x100,1000x1000 rgg:2^14 \\
        --tools klpart,metis,kaminpar --out bench/results/generated
    python bench/run.py --generated delaunay:2^14 --scheduler tcp://10.0.0.5:8786   # on a Dask cluster

Cells.  One cell is (graph, tool, k, seed): one row of ``results.csv``.  The
cells run in warm worker processes (``suite/worker.py``): each process warms
up once (klpart compiles or loads its kernels; every tool runs once on a small
mesh), each tool converts a graph once outside the timing, and a cell's time
is the median of ``--repeats`` timed runs.  Cuts, imbalances and balance are
computed by one function for every tool; the bound is ``(1 + imbalance) *
ceil(total weight / k)`` per block.

Memory.  ``peak_mb`` is the peak resident memory of the partitioning call
above its prepared input, measured in the long-lived worker by resetting the
kernel's high-water mark before the call (Linux ``/proc/self/clear_refs``) --
no fresh process needed.  ``--fresh`` runs every cell in a new process
(warm-up again per cell) for a clean allocator state, at a few seconds of
overhead per cell.

Where.  ``--jobs N`` local worker processes (default 1, so timings are not
disturbed); ``--scheduler ADDRESS`` submits one task per cell to a Dask
cluster instead.  Both give the same cuts (the numbers depend on the cell
only) and write the same CSV.

Resuming.  Rows are appended to ``results.csv`` as cells finish; a rerun reads
it and runs only the cells whose key (graph, tool, k, seed) is missing, so an
interrupted run is continued by running the same command again.  Failed cells
are reported, not written, and retried on the next run.

Output (``--out``): ``results.csv``, ``results.md`` (machine and versions at
the top, geometric means of cut/time/memory ratios to METIS, balance
violations, skips, per-graph tables), ``meta.json`` (machine, versions, the
commands and their wall times) and PNG plots (``bench/plots.py``).  Skips
(tool not installed, NetworkX/KL above ``--nx-limit`` nodes or with k != 2,
``--tool-k``) are notes, never errors.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from anchors import ALL_TOOLS, make_tools, tool_versions  # noqa: E402
from common import WALSHAW_DIR, machine_summary  # noqa: E402
from suite import report  # noqa: E402
from suite.graphs import DEFAULT_CACHE, parse_files, parse_generated  # noqa: E402
from suite.plan import key, parse_tool_k, plan_cells  # noqa: E402
from suite.progress import Progress, fmt_seconds  # noqa: E402

DEFAULT_TOOLS = "klpart,klpart-strong,kl,networkx,metis,kahip-fast,kahip-eco,kahip-strong,kaminpar"
QUICK_GRAPHS = ["add20", "3elt"]
QUICK_GENERATED = ["delaunay:2^11", "grid:50x50"]  # when the Walshaw graphs are not there


def parse_args(argv=None):
    """The command line; ``args.command`` keeps it for meta.json."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__.split("\n\n", 2)[2],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--graphs", nargs="+", metavar="PATH",
                   help=f"METIS files, folders of *.graph files, or Walshaw names (default: {WALSHAW_DIR})")
    p.add_argument("--generated", nargs="+", metavar="FAMILY:SIZES",
                   help="generated graphs: delaunay:2^12,2^14  rgg:2^16  grid:100x100,1000x1000")
    p.add_argument("--tools", default=DEFAULT_TOOLS, help=f"comma-separated, from: {','.join(ALL_TOOLS)} "
                   "(or 'all'); missing packages are skipped with a note")
    p.add_argument("-k", default="2", help="comma-separated block counts (default 2)")
    p.add_argument("--tool-k", action="append", metavar="TOOL=K1,K2",
                   help="restrict a tool to these k (repeatable), e.g. kahip-strong=2,4")
    p.add_argument("--imbalance", type=float, default=0.03, help="allowed imbalance (default 0.03)")
    p.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1 per cell (default 3)")
    p.add_argument("--repeats", type=int, default=3, help="timed runs per cell; time = their median (default 3)")
    p.add_argument("--nx-limit", type=int, default=20_000,
                   help="skip networkx and kl above this many nodes (default 20000)")
    p.add_argument("--out", default="bench/out", help="output directory (default bench/out)")
    p.add_argument("--cache", default=str(DEFAULT_CACHE), help=f"generated-graph cache (default {DEFAULT_CACHE})")
    p.add_argument("--quick", action="store_true",
                   help=f"one seed, and graphs {' '.join(QUICK_GRAPHS)} unless --graphs/--generated are given")
    p.add_argument("--jobs", type=int, default=1, help="local worker processes (default 1)")
    p.add_argument("--fresh", action="store_true", help="a new worker process per cell (clean memory peaks)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run the cells on this Dask scheduler")
    p.add_argument("--reference", default="metis", help="tool the ratios are relative to (default metis)")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--phases", action="store_true",
                   help="instead of the cells: klpart's time per phase (PartitionResult.timings) next to "
                        "METIS's total, per graph and k, in this process; writes phases-<preset>.md to --out")
    p.add_argument("--preset", default="default", help="klpart preset for --phases (default 'default')")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    args = p.parse_args(argv)
    args.command = "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv)
    return args


def graph_specs(args):
    """``(GraphSpec, n, m)`` for every requested graph (generated ones are
    generated into the cache here, once)."""
    files, generated = args.graphs, args.generated
    if args.quick and not files and not generated:
        if all((WALSHAW_DIR / f"{g}.graph").exists() for g in QUICK_GRAPHS):
            files = QUICK_GRAPHS
        else:
            generated = QUICK_GENERATED
    elif not files and not generated:
        files = [str(WALSHAW_DIR)]
    specs = parse_files(files or [], WALSHAW_DIR) + parse_generated(generated or [], cache=args.cache)
    out = []
    for spec in specs:
        if spec.generated and not (Path(args.cache) / f"{spec.stem}.npz").exists():
            print(f"generating {spec.name} into {args.cache} ...", file=sys.stderr, flush=True)
        out.append((spec, *spec.header()))
    return out


def git_revision():
    """Short hash of the checkout's HEAD, noting uncommitted changes to
    klpart/ ("" without git); shared with bench_constraints.py."""
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True,
                             timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "klpart"], cwd=HERE.parent,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return f"{rev}{' + uncommitted changes to klpart/' if dirty else ''}" if rev else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def _cell_message(row):
    flag = "  ** BALANCE VIOLATED **" if not row["balanced"] else ""
    peak = f" peak={row['peak_mb']:.1f}MB" if isinstance(row["peak_mb"], float) else ""
    return (f"{row['graph']} {row['tool']} k={row['k']} seed={row['seed']}: cut={row['cut']:.0f} "
            f"imb={row['imbalance']:.3f} time={row['time']:.4f}s{peak}{flag}")


def run(args, client=None):
    """Run the benchmark described by parsed ``args``; returns the output dir.
    ``client``: an existing Dask client (tests) instead of ``--scheduler``."""
    started = time.time()
    args.revision = git_revision()  # of the klpart the workers import, before they start
    names = list(ALL_TOOLS) if args.tools == "all" else [t.strip() for t in args.tools.split(",") if t.strip()]
    tools, notes = make_tools(names)
    tool_names = [t.name for t in tools]
    ks = [int(x) for x in str(args.k).split(",")]
    seeds = 1 if args.quick else args.seeds
    specs = graph_specs(args)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / "results.csv"
    existing = report.read_rows(csv_path)
    eps_seen = {r["eps"] for r in existing if isinstance(r.get("eps"), float) and r["eps"] == r["eps"]}
    if eps_seen and eps_seen != {args.imbalance}:
        raise SystemExit(f"{csv_path} holds results for --imbalance {sorted(eps_seen)}; use another --out")
    cells, plan_notes = plan_cells(specs, tool_names, ks, seeds, nx_limit=args.nx_limit,
                                   tool_k=parse_tool_k(args.tool_k), eps=args.imbalance, repeats=args.repeats,
                                   cache=str(Path(args.cache).resolve()), fresh=args.fresh,
                                   done={key(r) for r in existing})
    notes += plan_notes
    where = (f"Dask scheduler {args.scheduler}" if args.scheduler else "Dask client" if client
             else f"local pool, {args.jobs} worker(s){', fresh process per cell' if args.fresh else ''}")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"{len(cells)} cells to run on {where} ({len(existing)} rows already in {csv_path})",
          file=sys.stderr, flush=True)

    machines = [machine_summary()]
    failures = []
    if cells:
        appender = report.CsvAppender(csv_path)
        progress = Progress(cells, enabled=not args.quiet)

        def on_result(cell, result):
            if "row" in result:
                appender.append(result["row"])
                progress.update(cell, result["row"]["time"], _cell_message(result["row"]))
            else:
                failures.append(f"{cell['spec'].name} {cell['tool']} k={cell['k']} seed={cell['seed']}: "
                                f"{result['error']}")
                progress.update(cell, None, "FAILED " + failures[-1])

        try:
            if args.scheduler or client is not None:
                from suite.executors import run_dask

                machines = run_dask(cells, on_result, args.scheduler, client=client)
            else:
                from suite.executors import run_local

                run_local(cells, on_result, jobs=args.jobs, fresh=args.fresh)
        finally:
            progress.close()
    wall = time.time() - started
    finish(args, out, tool_names, notes, failures, machines, names, started, wall, len(cells), ran=bool(cells))
    return out


def finish(args, out, tool_names, notes, failures, machines, names, started, wall, cells, ran):
    """Sort results.csv, update meta.json, write results.md and the plots."""
    rows = report.sort_rows(report.read_rows(out / "results.csv"), tool_names)
    if rows:
        report.write_rows(out / "results.csv", rows)
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {"runs": []}
    if ran or not meta["runs"]:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started))
        meta["runs"].append(dict(command=args.command, started=stamp,
                                 wall_seconds=round(wall, 1), cells=cells, failed=len(failures), machines=machines,
                                 klpart_git=getattr(args, "revision", "")))
        meta.update(versions=tool_versions(names), failures=failures)
    meta.update(machines=sorted({m for r in meta["runs"] for m in r["machines"]}), imbalance=args.imbalance,
                notes=notes)
    meta_path.write_text(json.dumps(meta, indent=1) + "\n")
    if not rows:
        print("no results", file=sys.stderr)
        return
    header = header_lines(meta)
    text = report.markdown(rows, tool_names, reference=args.reference, header=header, notes=notes + failures)
    (out / "results.md").write_text(text)
    if not args.no_plots:
        from plots import write_plots

        write_plots(out, rows, reference=args.reference)
    print(f"\n{out / 'results.md'}: {len(rows)} rows; this run {fmt_seconds(wall)} wall, {cells} cells"
          + (f", {len(failures)} FAILED (rerun to retry)" if failures else ""), file=sys.stderr)
    print(report.geomean_table(rows, [t for t in tool_names if any(r["tool"] == t for r in rows)]
                               or sorted({r["tool"] for r in rows}),
                               args.reference if any(r["tool"] == args.reference for r in rows) else rows[0]["tool"]))


def header_lines(meta):
    versions = ", ".join(f"{p} {v}" for p, v in meta["versions"].items())
    lines = [f"- {m}" for m in meta["machines"]]
    lines.append(f"- versions: {versions}")
    lines.append(f"- allowed imbalance {meta['imbalance']}: every block weighs at most (1 + imbalance) * "
                 "ceil(total / k); time = median of the timed runs of a cell after warm-up; tables take "
                 "medians over seeds")
    for r in meta["runs"]:
        rev = r.get("klpart_git") or meta.get("klpart_revision")
        lines.append(f"- run {r['started']}: `{r['command']}` -- {r['cells']} cells, "
                     f"{fmt_seconds(r['wall_seconds'])} wall" + (f", {r['failed']} failed" if r["failed"] else "")
                     + (f"; klpart git {rev}" if rev else ""))
    return lines


def run_phases(args):
    """``--phases``: the per-phase table (``suite/phases.py``)."""
    from suite.phases import phase_markdown, phase_rows

    specs = [spec for spec, _, _ in graph_specs(args)]
    ks = [int(x) for x in str(args.k).split(",")]
    rows = phase_rows(specs, ks, 1 if args.quick else args.seeds, args.imbalance, args.preset, args.repeats)
    text = (f"klpart preset {args.preset!r} by phase; {machine_summary()}\n"
            f"Made by `{args.command}`\n" + phase_markdown(rows))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"phases-{args.preset}.md").write_text(text)
    print(text)


def main(argv=None):
    args = parse_args(argv)
    try:
        run_phases(args) if args.phases else run(args)
    except ValueError as err:
        raise SystemExit(f"error: {err}") from None


if __name__ == "__main__":
    main()
