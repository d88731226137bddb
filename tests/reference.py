"""Slow, obviously-correct references the kernels are compared with.

Nothing here imports klpart: these are independent re-statements of the
algorithms, written for clarity, used only on small graphs.
"""

import itertools
import random

import networkx as nx


def adjacency_dicts(G, weight="weight"):
    """{u: {v: w}} of an undirected nx graph, self-loops dropped, multigraph
    parallel edges summed, missing weights 1."""
    rows = {}
    for u in G:
        row = {}
        for v, d in G._adj[u].items():
            if u == v:
                continue
            if G.is_multigraph():
                w = sum(dd.get(weight, 1) if weight is not None else 1 for dd in d.values())
            else:
                w = d.get(weight, 1) if weight is not None else 1
            row[v] = w
        rows[u] = row
    return rows


def cut_of(rows, side):
    """Weight of edges between side 0 and side 1 ({u: {v: w}}, side dict)."""
    return sum(w for u, row in rows.items() for v, w in row.items() if side[u] != side[v]) / 2


def kl_sweep(rows, order, side, lifo=True):
    """One NetworkX-style KL sweep, choosing by (gain, stamp).

    ``rows``: {u: {v: w}}; ``order``: node order (stamps of the initial
    insertion); ``side``: {u: 0 or 1}.  Returns the list of pairs and the
    running cut changes.  Among equal gains the largest stamp wins with
    ``lifo``, the smallest otherwise; a gain change refreshes the stamp.
    """
    gain = {u: sum(w if side[v] != side[u] else -w for v, w in rows[u].items()) for u in order}
    stamp = {u: i for i, u in enumerate(order)}
    clock = len(order)
    unlocked = [set(u for u in order if side[u] == s) for s in (0, 1)]
    pairs, running, total = [], [], 0
    while unlocked[0] and unlocked[1]:
        chosen = []
        for s in (0, 1):
            if lifo:
                x = max(unlocked[s], key=lambda u: (gain[u], stamp[u]))
            else:
                x = max(unlocked[s], key=lambda u: (gain[u], -stamp[u]))
            unlocked[s].discard(x)
            chosen.append((x, gain[x]))
            for y, w in rows[x].items():
                if y in unlocked[side[y]] and w != 0:
                    gain[y] += 2 * w if side[y] == s else -2 * w
                    stamp[y] = clock
                    clock += 1
        total += (-chosen[0][1]) + (-chosen[1][1])
        pairs.append((chosen[0][0], chosen[1][0]))
        running.append(total)
    return pairs, running


def kl_bisection(rows, order, side, max_iter=10, lifo=True):
    """Full KL: sweeps, best prefix applied, stop when no prefix improves."""
    side = dict(side)
    for _ in range(max_iter):
        pairs, running = kl_sweep(rows, order, side, lifo)
        if not pairs:
            break
        best = min(range(len(running)), key=lambda i: (running[i], i))
        if running[best] >= 0:
            break
        for u, v in pairs[: best + 1]:
            side[u], side[v] = 1, 0
    return side


def brute_force_bisection(rows, sizes=None):
    """Minimum cut over all splits with block sizes ``sizes`` (default
    ``(n // 2, n - n // 2)``).  Exponential: n <= 14."""
    nodes = list(rows)
    n = len(nodes)
    k = n // 2 if sizes is None else sizes[0]
    best = None
    for chosen in itertools.combinations(range(n), k):
        side = {u: 0 for u in nodes}
        for i in chosen:
            side[nodes[i]] = 1
        c = cut_of(rows, side)
        if best is None or c < best:
            best = c
    return best


def random_weighted_graph(n, p, seed, weights=None, multigraph=False, self_loops=False):
    """gnp graph with optional integer ('int') or float ('float') weights."""
    rng = random.Random(seed)
    G = nx.gnp_random_graph(n, p, seed=seed)
    if multigraph:
        G = nx.MultiGraph(G)
        for u, v in list(G.edges())[::3]:
            G.add_edge(u, v)
    if self_loops:
        for u in list(G)[::4]:
            G.add_edge(u, u)
    for *_, d in G.edges(data=True):
        if weights == "int":
            d["weight"] = rng.randint(1, 9)
        elif weights == "float":
            d["weight"] = rng.random() * 5
    return G
