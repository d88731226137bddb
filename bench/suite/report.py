"""``results.csv`` and ``results.md``.

One CSV row per cell (graph x tool x k x seed).  The summary takes, per
(graph, k, tool), the median over seeds of cut, time and peak memory; the
ratio of each to the reference tool's (METIS) on the same graph and k; and
the geometric mean of those ratios over the graphs where both ran.  Runs that
broke the balance bound are kept in the medians but flagged (``!`` in the
tables) and listed.

>>> rows = [dict(graph="a", tool="metis", k=2, seed=0, cut=100, time=0.01, balanced=True),
...         dict(graph="a", tool="klpart", k=2, seed=0, cut=90, time=0.02, balanced=True),
...         dict(graph="b", tool="metis", k=2, seed=0, cut=50, time=0.01, balanced=True),
...         dict(graph="b", tool="klpart", k=2, seed=0, cut=60, time=0.03, balanced=False)]
>>> g = geomeans([typed(r) for r in rows])
>>> round(g[("klpart", 2)]["cut"], 4), round(g[("klpart", 2)]["time"], 4), g[("klpart", 2)]["violations"]
(1.0392, 2.4495, 1)
"""

import csv
import math
import os
import statistics
from pathlib import Path

FIELDS = ["graph", "n", "m", "tool", "k", "seed", "cut", "imbalance", "balanced", "time",
          "peak_mb", "base_mb", "family", "eps", "repeats", "host"]
MEMORY_FLOOR_MB = 1.0  # peaks below this count as 1 MB in memory ratios
GENERATED_FAMILIES = ("delaunay", "grid", "rgg")


def _float(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def typed(row):
    """A row with numbers and booleans parsed (CSV gives strings)."""
    r = dict(row)
    for c in ("n", "m", "k", "seed", "repeats"):
        if r.get(c) not in (None, ""):
            r[c] = int(float(r[c]))
    for c in ("cut", "imbalance", "time", "peak_mb", "base_mb", "eps"):
        if c in r:
            r[c] = _float(r[c])
    b = r.get("balanced", True)
    r["balanced"] = b if isinstance(b, bool) else str(b).strip().lower() in ("true", "1", "yes")
    return r


def read_rows(path):
    """Typed rows of a results.csv ([] when it does not exist)."""
    path = Path(path)
    if not path.exists():
        return []
    with open(path, newline="") as f:
        return [typed(r) for r in csv.DictReader(f)]


def _csv_value(v):
    if isinstance(v, float) and math.isnan(v):
        return ""
    return v


class CsvAppender:
    """Appends rows to results.csv as they arrive (header on a new file; an
    existing file with an older header is rewritten with the current one)."""

    def __init__(self, path):
        self.path = Path(path)
        if self.path.exists():
            with open(self.path, newline="") as f:
                header = next(csv.reader(f), None)
            if header != FIELDS:
                write_rows(self.path, read_rows(self.path))
        else:
            write_rows(self.path, [])

    def append(self, row):
        with open(self.path, "a", newline="") as f:
            csv.DictWriter(f, fieldnames=FIELDS, extrasaction="ignore").writerow(
                {k: _csv_value(row.get(k, "")) for k in FIELDS})


def write_rows(path, rows):
    """Write rows atomically (a temporary file, then rename)."""
    path = Path(path)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS, extrasaction="ignore")
        w.writeheader()
        for row in rows:
            w.writerow({k: _csv_value(row.get(k, "")) for k in FIELDS})
    os.replace(tmp, path)


def sort_rows(rows, tool_order=()):
    """Graphs by size, then tools in the given order, k, seed."""
    order = {t: i for i, t in enumerate(tool_order)}
    return sorted(rows, key=lambda r: (r.get("n") or 0, r["graph"], order.get(r["tool"], len(order)), r["tool"],
                                       r["k"], r["seed"]))


# ---------------------------------------------------------------- summaries
def medians(rows):
    """``{(graph, k, tool): dict(cut, time, peak, runs, violations)}``."""
    groups = {}
    for r in rows:
        groups.setdefault((r["graph"], r["k"], r["tool"]), []).append(r)
    out = {}
    for key, rs in groups.items():
        peaks = [r.get("peak_mb", math.nan) for r in rs]
        peaks = [p for p in peaks if isinstance(p, float) and not math.isnan(p)]
        out[key] = dict(
            cut=statistics.median(r["cut"] for r in rs),
            time=statistics.median(r["time"] for r in rs),
            peak=statistics.median(peaks) if peaks else math.nan,
            runs=len(rs),
            violations=sum(not r["balanced"] for r in rs),
        )
    return out


def geomean(values):
    values = [v for v in values if v > 0 and math.isfinite(v)]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else math.nan


def geomeans(rows, reference="metis"):
    """``{(tool, k): dict(cut, time, memory, graphs, runs, violations)}``: geometric
    means over graphs of the ratios to ``reference`` (cut ratios only where the
    reference's cut is > 0; memory with each peak floored at 1 MB)."""
    cells = medians(rows)
    out = {}
    for (graph, k, tool), c in cells.items():
        entry = out.setdefault((tool, k), dict(cut=[], time=[], memory=[], graphs=0, runs=0, violations=0))
        entry["runs"] += c["runs"]
        entry["violations"] += c["violations"]
        ref = cells.get((graph, k, reference))
        if ref is None:
            continue
        entry["graphs"] += 1
        if ref["cut"] > 0:
            entry["cut"].append(c["cut"] / ref["cut"])
        if ref["time"] > 0:
            entry["time"].append(c["time"] / ref["time"])
        if not (math.isnan(c["peak"]) or math.isnan(ref["peak"])):
            entry["memory"].append(max(c["peak"], MEMORY_FLOOR_MB) / max(ref["peak"], MEMORY_FLOOR_MB))
    for entry in out.values():
        for m in ("cut", "time", "memory"):
            entry[m] = geomean(entry[m])
    return out


def fmt_ratio(x, digits=3, suffix=""):
    """A ratio for a results table: ``digits`` decimals and ``suffix``, "-"
    for nan (shared with readme_table.py)."""
    return "-" if math.isnan(x) else f"{x:.{digits}f}{suffix}"


def _fmt_time(s):
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"


def per_graph_tables(rows, tools, reference="metis"):
    """Markdown: per k, tables of median cut, time and peak memory per graph
    and tool, with the ratio to the reference in parentheses."""
    cells = medians(rows)
    graphs = sorted({(r["graph"], r["n"], r["m"]) for r in rows}, key=lambda g: (g[1], g[0]))
    lines = []
    for k in sorted({r["k"] for r in rows}):
        lines.append(f"\n### k = {k}")
        for title, metric, fmt in (("cut", "cut", lambda v: f"{v:.0f}"), ("time", "time", _fmt_time),
                                   ("peak memory above the prepared input, MB", "peak", lambda v: f"{v:.1f}")):
            flag = "; `!` = a run broke the balance bound" if metric == "cut" else ""
            lines.append(f"\n{title} (median over seeds; ratio to {reference}{flag})\n")
            lines.append("| graph | n | m | " + " | ".join(tools) + " |")
            lines.append("|---|---:|---:|" + "---:|" * len(tools))
            for g, n, m in graphs:
                ref = cells.get((g, k, reference))
                parts = []
                for t in tools:
                    c = cells.get((g, k, t))
                    if c is None or (metric == "peak" and math.isnan(c["peak"])):
                        parts.append("-")
                        continue
                    text = fmt(c[metric])
                    if ref and t != reference and not math.isnan(ref[metric]) and ref[metric] > 0:
                        text += f" ({c[metric] / ref[metric]:.2f})"
                    if metric == "cut" and c["violations"]:
                        text += " !"
                    parts.append(text)
                if any(p != "-" for p in parts):
                    lines.append(f"| {g} | {n} | {m} | " + " | ".join(parts) + " |")
    return "\n".join(lines)


def geomean_table(rows, tools, reference="metis"):
    """Markdown: per tool and k, geometric means of the ratios to the reference."""
    g = geomeans(rows, reference)
    lines = [f"| tool | k | graphs | cut ratio | time ratio | memory ratio | balance violations |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for t in tools:
        for k in sorted({k for (tt, k) in g if tt == t}):
            e = g[(t, k)]
            lines.append(f"| {t} | {k} | {e['graphs']} | {fmt_ratio(e['cut'])} | {fmt_ratio(e['time'], 2)} | "
                         f"{fmt_ratio(e['memory'], 2)} | {e['violations']} / {e['runs']} |")
    return "\n".join(lines)


def violation_list(rows):
    bad = [r for r in rows if not r["balanced"]]
    if not bad:
        return "none"
    return "\n".join(f"- {r['graph']} {r['tool']} k={r['k']} seed={r['seed']}: imbalance {r['imbalance']:.4f} "
                     f"(allowed {r.get('eps', math.nan):g})" for r in bad)


def markdown(rows, tools, *, reference="metis", header=(), notes=()):
    """The whole results.md."""
    tools = [t for t in tools if any(r["tool"] == t for r in rows)]
    tools += sorted({r["tool"] for r in rows} - set(tools))
    if reference not in tools and tools:
        reference = tools[0]
    parts = ["# Partitioning benchmark", "", *header, ""]
    parts.append(f"## Geometric means over graphs (ratios to {reference}; medians over seeds)\n")
    parts.append(geomean_table(rows, tools, reference))
    parts.append("\nmemory ratio: peak resident memory of the partitioning call above its prepared input, "
                 f"each floored at {MEMORY_FLOOR_MB:g} MB.")
    parts.append("\n## Balance violations\n")
    parts.append(violation_list(rows))
    if notes:
        parts.append("\n## Skipped\n")
        parts.append("\n".join(f"- {n}" for n in notes))
    parts.append("\n## Per graph")
    parts.append(per_graph_tables(rows, tools, reference))
    return "\n".join(parts) + "\n"
