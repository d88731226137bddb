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


# --------------------------------------------------------------------------
# kernel references: plain Python over lists (CSR arrays read with .tolist())
# --------------------------------------------------------------------------
def csr_rows(indptr, indices, weights):
    """[{v: w}] per row of a CSR graph, in row order (parallel entries summed)."""
    indptr, indices, weights = list(indptr), list(indices), list(weights)
    rows = []
    for u in range(len(indptr) - 1):
        row = {}
        for p in range(indptr[u], indptr[u + 1]):
            row[indices[p]] = row.get(indices[p], 0) + weights[p]
        rows.append(row)
    return rows


def labelling_cut(rows, labels):
    """Weight of the edges whose ends carry different labels."""
    return sum(w for u, row in enumerate(rows) for v, w in row.items() if labels[u] != labels[v]) / 2


def block_loads(node_weights, labels, k):
    loads = [0.0] * k
    for w, b in zip(node_weights, labels):
        loads[b] += w
    return loads


def external_internal(rows, side):
    """Per node: (weight to the other side, weight to its own side)."""
    ext = [sum(w for v, w in row.items() if side[v] != side[u]) for u, row in enumerate(rows)]
    intl = [sum(w for v, w in row.items() if side[v] == side[u]) for u, row in enumerate(rows)]
    return ext, intl


def greedy_matching(indptr, indices, weights, node_weights, group, max_node_weight, expansion, order):
    """Heavy-edge matching, visiting nodes in ``order``: each unmatched node
    takes the unmatched, same-group neighbour of largest rating whose
    combined weight fits (the first in row order among equals); returns the
    cmap numbered by the smaller member's position."""
    n = len(indptr) - 1
    mate = [None] * n
    for u in order:
        if mate[u] is not None:
            continue
        best, best_rating = None, None
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            if mate[v] is not None or group[v] != group[u] or node_weights[u] + node_weights[v] > max_node_weight:
                continue
            w = weights[p]
            r = w * w / (max(node_weights[u], 1) * max(node_weights[v], 1)) if expansion else w
            if best is None or r > best_rating:
                best, best_rating = v, r
        if best is None:
            mate[u] = u
        else:
            mate[u], mate[best] = best, u
    cmap, nc = [None] * n, 0
    for u in range(n):
        if cmap[u] is None:
            cmap[u] = cmap[mate[u]] = nc
            nc += 1
    return cmap, nc


def contraction(rows, node_weights, cmap, nc):
    """The coarse graph of ``cmap`` as ``P.T @ A @ P`` with the diagonal
    dropped: (dense coarse adjacency as a list of lists, coarse node weights)."""
    n = len(rows)
    P = [[1 if cmap[u] == c else 0 for c in range(nc)] for u in range(n)]
    A = [[row.get(v, 0) for v in range(n)] for row in rows]
    coarse = [[sum(P[u][a] * A[u][v] * P[v][b] for u in range(n) for v in range(n)) for b in range(nc)]
              for a in range(nc)]
    for a in range(nc):
        coarse[a][a] = 0
    cw = [sum(node_weights[u] for u in range(n) if cmap[u] == c) for c in range(nc)]
    return coarse, cw


class SlowMaxHeaps:
    """Two priority queues as plain dicts: the first of a queue is its
    member of largest ``(key, stamp)``."""

    def __init__(self):
        self.members = [dict(), dict()]

    def push(self, s, x, key, stamp):
        assert all(x not in m for m in self.members)
        self.members[s][x] = (key, stamp)

    def set(self, s, x, key, stamp):
        assert x in self.members[s]
        self.members[s][x] = (key, stamp)

    def remove(self, s, x):
        del self.members[s][x]

    def first_priority(self, s):
        return max(self.members[s].values())

    def pop_priority(self, s, x):
        """Remove x, which must have the first priority of queue s."""
        assert self.members[s][x] == self.first_priority(s)
        del self.members[s][x]


def lazy_heap_sweep(rows, side):
    """One KL sweep with NetworkX's ``BinaryHeap`` semantics: a gain change
    pushes a new entry ``(-gain, counter)``; a pop skips entries of locked
    nodes and entries whose gain is no longer the node's gain."""
    import heapq

    n = len(rows)
    gain = [sum(w if side[v] != side[u] else -w for v, w in rows[u].items()) for u in range(n)]
    heaps, counter = [[], []], [0, 0]
    for u in range(n):
        s = side[u]
        heapq.heappush(heaps[s], (-gain[u], counter[s], u))
        counter[s] += 1
    locked = [False] * n
    sizes = [side.count(0), side.count(1)]
    pairs, running, total = [], [], 0
    for _ in range(min(sizes)):
        chosen = []
        for s in (0, 1):
            while True:
                g, _, x = heapq.heappop(heaps[s])
                if not locked[x] and -g == gain[x]:
                    break
            locked[x] = True
            chosen.append((x, gain[x]))
            for y, w in rows[x].items():
                if locked[y] or w == 0:
                    continue
                gain[y] += 2 * w if side[y] == s else -2 * w
                heapq.heappush(heaps[side[y]], (-gain[y], counter[side[y]], y))
                counter[side[y]] += 1
        total += (-chosen[0][1]) + (-chosen[1][1])
        pairs.append((chosen[0][0], chosen[1][0]))
        running.append(total)
    return pairs, running


def flow_corridor(rows, node_weights, side, s, capacity, in_region, order):
    """The corridor of flow refinement on side ``s``: its boundary nodes in
    index order while they fit in ``capacity``, then breadth-first into side
    ``s`` (row order) while nodes fit.  Appends to ``order``, marks
    ``in_region`` (no depth limit)."""
    used = 0.0
    head = len(order)
    for u, row in enumerate(rows):
        if side[u] == s and not in_region[u] and any(side[v] != s for v in row):
            if used + node_weights[u] <= capacity:
                in_region[u] = True
                used += node_weights[u]
                order.append(u)
    while head < len(order):
        u = order[head]
        head += 1
        for v in rows[u]:
            if side[v] == s and not in_region[v] and used + node_weights[v] <= capacity:
                in_region[v] = True
                used += node_weights[v]
                order.append(v)
    return order


def corridor_resplits(rows, node_weights, side, corridor):
    """Every re-split of the ``corridor`` nodes (the others keep their side):
    a list of (cut, side-0 weight, side list)."""
    out = []
    for bits in itertools.product((0, 1), repeat=len(corridor)):
        new = list(side)
        for u, b in zip(corridor, bits):
            new[u] = b
        w0 = sum(w for w, b in zip(node_weights, new) if b == 0)
        out.append((labelling_cut(rows, new), w0, new))
    return out


def two_hop_pairs(rows, node_weights, group, max_node_weight, singles):
    """The 2-hop rule: hubs in index order; along a hub's row, a free single
    waits as "pending" until a later free single of its group fits with it
    (a single of another group replaces it).  Returns the set of new pairs."""
    free = set(singles)
    pairs = set()
    for h in range(len(rows)):
        pending = None
        for v in rows[h]:
            if v not in free:
                continue
            if pending is None or group[pending] != group[v]:
                pending = v
            elif node_weights[pending] + node_weights[v] <= max_node_weight:
                free -= {pending, v}
                pairs.add((min(pending, v), max(pending, v)))
                pending = None
    return pairs
