"""Which cells to run: graph x tool x k x seed, minus skips and done ones.

Cells are ordered graph, k, seed, tool: the tools of one (graph, k, seed)
run back to back (each worker keeps every tool's prepared input of the
current graph), so a noisy moment on a shared machine hits them alike.

A cell is identified by its *resumability key* ``(graph, tool, k, seed)``;
a cell whose key is already a row of ``results.csv`` is not run again.  Skips
(each with a note, never an error): NetworkX's and klpart's Kernighan-Lin
only bisect (k != 2), they are skipped on graphs above ``nx_limit`` nodes,
a tool restricted by ``--tool-k`` skips the other k, and k above the number
of nodes is skipped for every tool.

>>> from suite.graphs import GraphSpec
>>> specs = [(GraphSpec("a", "f", path="a.graph"), 100, 300), (GraphSpec("b", "f", path="b.graph"), 50_000, 1)]
>>> cells, notes = plan_cells(specs, ["klpart", "kl"], [2, 4], 1, nx_limit=20_000)
>>> [(c["spec"].name, c["tool"], c["k"]) for c in cells]
[('a', 'klpart', 2), ('a', 'kl', 2), ('a', 'klpart', 4), ('b', 'klpart', 2), ('b', 'klpart', 4)]
>>> print("\\n".join(notes))
kl: k=4 skipped (bisection only)
kl: skipped on 1 graph(s) above --nx-limit 20000 nodes: b
"""

import math

NX_TOOLS = ("networkx", "kl")  # NetworkX's algorithm: bisection only, O(n^2)-ish


def key(row):
    """The resumability key of a row or cell."""
    name = row["spec"].name if "spec" in row else row["graph"]
    return (str(name), str(row["tool"]), int(row["k"]), int(row["seed"]))


def parse_tool_k(items):
    """``["kahip-strong=2,4", ...]`` -> ``{"kahip-strong": {2, 4}}``."""
    out = {}
    for item in items or ():
        tool, sep, ks = item.partition("=")
        if not sep:
            raise ValueError(f"--tool-k wants TOOL=K1,K2,..., got {item!r}")
        out[tool.strip()] = {int(k) for k in ks.split(",")}
    return out


def plan_cells(specs, tools, ks, seeds, *, nx_limit=20_000, tool_k=None, eps=0.03, repeats=1,
               cache=None, fresh=False, done=()):
    """``(cells, notes)``.  ``specs``: ``(GraphSpec, n, m)`` triples; ``tools``:
    tool names (installed ones); ``done``: keys already in the results."""
    tool_k = tool_k or {}
    done = set(done)
    bisect_only = set(NX_TOOLS)
    notes, cells = [], []
    too_big = {t: [] for t in tools}
    too_few = []
    for spec, n, m in specs:
        for tool in tools:
            if tool in bisect_only and n > nx_limit:
                too_big[tool].append(spec.name)
        for k in ks:
            if k > n:
                too_few.append(f"{spec.name} k={k}")
                continue
            for seed in range(seeds):
                for tool in tools:  # tools innermost: a noisy moment hits all tools of a cell alike
                    if tool in bisect_only and (n > nx_limit or k != 2) or tool in tool_k and k not in tool_k[tool]:
                        continue
                    cell = dict(spec=spec, tool=tool, k=k, seed=seed, eps=eps, repeats=repeats, cache=cache,
                                fresh=fresh, weight=cost_weight(n, m, k))
                    if key(cell) not in done:
                        cells.append(cell)
    for tool in tools:
        if tool in bisect_only and any(k != 2 for k in ks):
            notes.append(f"{tool}: k={','.join(str(k) for k in ks if k != 2)} skipped (bisection only)")
        if tool in tool_k and set(ks) - tool_k[tool]:
            notes.append(f"{tool}: k={','.join(str(k) for k in ks if k not in tool_k[tool])} skipped (--tool-k)")
        if too_big[tool]:
            notes.append(f"{tool}: skipped on {len(too_big[tool])} graph(s) above --nx-limit {nx_limit} nodes: "
                         + ", ".join(too_big[tool]))
    if too_few:
        notes.append(f"k above the node count, skipped: {', '.join(dict.fromkeys(too_few))}")
    return cells, notes


def cost_weight(n, m, k):
    """A rough a-priori cost of a cell, for the ETA (refined by measured rates)."""
    return (n + m) * (1 + math.log2(k))
