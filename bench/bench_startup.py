"""First-call cost: an empty Numba cache, then a warm cache in a new process.

    python bench/bench_startup.py            # writes bench/results/startup.md
    python bench/bench_startup.py --kernels 15 --repeats 1   # more kernels, one run

Each scenario runs in a fresh interpreter whose ``NUMBA_CACHE_DIR`` points
at a new empty folder (cold: every kernel a call needs is compiled) and then
in another fresh interpreter sharing that folder (warm: kernels load from
the cache).  Per entry point, on a 30 x 30 grid: ``kernighan_lin_bisection``,
then ``partition`` at k = 2, then at k = 16, timed one after the other in
the same process (so the k = 2 call pays for the kernels KL did not need,
and k = 16 for those k = 2 did not need).  Also the wall time of the whole
process, imports included.  Median of ``--repeats`` runs.

The cold runs also record Numba's compile events: per compiled function
(klpart's kernels and the Numba implementations they pull in, such as
``np.empty``), how many specialisations it got and its compile seconds
*excluding* the functions it called that compiled meanwhile (a kernel's
first call compiles its callees first).  The table lists the ``--kernels``
most expensive ones of the median cold run, and the totals.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = """
import json, time
t0 = time.perf_counter()
import networkx as nx
import klpart
G = nx.grid_2d_graph(30, 30)
t1 = time.perf_counter()
import numba.core.event as ev
compiles = ev.RecordingListener()
ev.register("numba:compile", compiles)
klpart.kernighan_lin_bisection(G, seed=0)
t2 = time.perf_counter()
klpart.partition(G, 2, seed=0)
t3 = time.perf_counter()
klpart.partition(G, 16, seed=0)
t4 = time.perf_counter()
ev.unregister("numba:compile", compiles)
# compile seconds per function, without the nested compiles of its callees
stack, kernels = [], {}
for stamp, event in compiles.buffer:
    func = event.data["dispatcher"].py_func
    name = func.__module__.replace("klpart._kernels.", "") + "." + func.__qualname__
    if event.is_start:
        stack.append([name, stamp, 0.0])
        continue
    name, start, nested = stack.pop()
    spent = stamp - start
    if stack:
        stack[-1][2] += spent
    entry = kernels.setdefault(name, [0, 0.0])
    entry[0] += 1
    entry[1] += spent - nested
print(json.dumps({"imports": t1 - t0, "kl": t2 - t1, "partition_k2": t3 - t2, "partition_k16": t4 - t3,
                  "kernels": kernels}))
"""


def run_once(cache_dir):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache_dir))
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True)
    record = json.loads(out.stdout.strip().splitlines()[-1])
    record["process"] = time.perf_counter() - start
    return record


def kernel_table(record, top):
    """Markdown lines: the ``top`` functions of one cold run by compile
    seconds, then the totals (klpart kernels and Numba's own
    implementations separately)."""
    rows = sorted(record["kernels"].items(), key=lambda item: -item[1][1])
    ours = [(name, c, s) for name, (c, s) in rows if not name.startswith("numba.")]
    numba = [(name, c, s) for name, (c, s) in rows if name.startswith("numba.")]
    lines = [
        "| function | specialisations | compile s |",
        "|---|---:|---:|",
    ]
    for name, (count, seconds) in rows[:top]:
        lines.append(f"| `{name}` | {count} | {seconds:.2f} |")
    for label, group in (("klpart kernels", ours), ("Numba implementations (np.empty, ...)", numba)):
        lines.append(f"| all {len(group)} {label} | {sum(c for _, c, _ in group)} | {sum(s for *_, s in group):.2f} |")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--kernels", type=int, default=10, help="functions listed in the compile-time table")
    parser.add_argument("--out", default=str(HERE / "results" / "startup.md"))
    parser.add_argument("--update-readme", action="store_true",
                        help="also replace the README's <!-- startup:start --> ... <!-- startup:end --> block")
    args = parser.parse_args(argv)
    cold, warm = [], []
    load_before = os.getloadavg()[0]
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(run_once(cache))
            warm.append(run_once(cache))
    keys = ["imports", "kl", "partition_k2", "partition_k16", "process"]
    med = {name: {k: statistics.median(r[k] for r in rows) for k in keys} for name, rows in
           (("empty cache", cold), ("warm cache, new process", warm))}
    sys.path.insert(0, str(HERE))
    from common import machine_summary

    lines = [
        "# First-call cost (`python bench/bench_startup.py`)", "",
        f"{machine_summary()}; median of {args.repeats} runs; seconds; a 30 x 30 grid; "
        f"1-minute load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after.", "",
        "| Numba cache | imports | first KL | then partition k=2 | then partition k=16 | whole process |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, m in med.items():
        lines.append(f"| {name} | " + " | ".join(f"{m[k]:.2f}" for k in keys) + " |")
    median_run = sorted(cold, key=lambda r: r["process"])[len(cold) // 2]
    lines += [
        "", KERNELS_HEADING, "",
        "The empty-cache run of median length: compile seconds per function, without the",
        "functions it called that compiled meanwhile; the KL call, then both `partition` calls.", "",
    ]
    lines += kernel_table(median_run, args.kernels)
    text = "\n".join(lines) + "\n"
    Path(args.out).write_text(text)
    if args.update_readme:
        readme = HERE.parent / "README.md"
        readme.write_text(replace_startup_block(readme.read_text(), readme_block(text)))
    print(text)


START, END = "<!-- startup:start -->", "<!-- startup:end -->"
KERNELS_HEADING = "## Compile time per function (empty cache)"


def readme_block(results_text):
    """The README's start-up block: the timing table of ``startup.md`` (not
    the per-function table) and its source."""
    body = results_text.split("\n", 2)[2].split(KERNELS_HEADING)[0].strip()
    return body + "\n\nMade by `python bench/bench_startup.py --update-readme` ([bench/results/startup.md](bench/results/startup.md))."


def replace_startup_block(text, block):
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"README has no {START} ... {END} block")
    return text[: start + len(START)] + "\n" + block + "\n" + text[end:]


if __name__ == "__main__":
    main()
