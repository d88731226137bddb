"""Flow-based refinement of a bisection (the idea of KaHIP's flow refinement).

Around the cut, grow a corridor: breadth-first from the boundary into each
side, as deep as the *other* side could absorb (``max_weight[other] -
weight[other]``), so any re-split of the corridor keeps both sides within
their bounds.  Contract everything outside the corridor into a source (side
0) and a sink (side 1).  A minimum s-t cut of this network is the best cut
that only moves corridor nodes; if it is smaller than the current one, apply
it.  Among the minimum cuts, the most balanced one a sweep over the strongly
connected components of the residual network offers is taken (the idea of
Picard-Queyranne's enumeration, as KaHIP uses it), so large corridors can
still yield balanced cuts.

Max flow: Dinic's algorithm (BFS levels, then blocking flow by iterative
DFS with per-node arc pointers) on an arc list with paired reverse arcs.

Array contract: ``indptr`` int64, ``indices`` int32, ``weights`` and
``node_weights`` int64 or float64, ``side`` int64 (0/1, updated), ``max_weight``
and ``target`` float64[2].
"""

import numpy as np
from numba import njit

_INF = 1e300


@njit(cache=True)
def _corridor(indptr, indices, node_weights, side, s, capacity, max_depth, in_region, order, count):
    """Breadth-first from the boundary nodes of side ``s`` into side ``s``,
    adding nodes while the region weighs at most ``capacity`` and lies
    within ``max_depth`` hops of the boundary.  Marks ``in_region`` and
    appends to ``order[count:]``; returns the new count."""
    n = indptr.shape[0] - 1
    head = count
    used = 0.0
    # int64 hop counts: the allocation implementations the other kernels compile anyway
    depth = np.zeros(n if max_depth > 0 else 0, np.int64)
    for u in range(n):
        if side[u] != s or in_region[u]:
            continue
        boundary = False
        for p in range(indptr[u], indptr[u + 1]):
            if side[indices[p]] != s:
                boundary = True
                break
        if boundary and used + node_weights[u] <= capacity:
            in_region[u] = True
            used += node_weights[u]
            order[count] = u
            count += 1
    while head < count:
        u = order[head]
        head += 1
        if max_depth > 0 and depth[u] >= max_depth:
            continue
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            if side[v] == s and not in_region[v] and used + node_weights[v] <= capacity:
                in_region[v] = True
                used += node_weights[v]
                order[count] = v
                count += 1
                if max_depth > 0:
                    depth[v] = depth[u] + 1
    return count


@njit(cache=True)
def _max_flow(first, target, nxt, cap, nn, source, sink):
    """Dinic's max flow on an arc list (``first[v]`` = first arc out of v,
    ``nxt`` chains them, arc a and a ^ 1 are reverses).  ``cap`` holds the
    residual capacities and is updated.  Returns the flow value."""
    level = np.empty(nn, np.int64)
    queue = np.empty(nn, np.int64)
    it = np.empty(nn, np.int64)
    # a phase's BFS is over before its DFS starts: the stack reuses the queue
    stack = queue
    path = np.empty(nn, np.int64)
    flow = 0.0
    while True:
        level[:] = -1
        level[source] = 0
        queue[0] = source
        head = 0
        tail = 1
        while head < tail:
            u = queue[head]
            head += 1
            a = first[u]
            while a >= 0:
                v = target[a]
                if cap[a] > 0 and level[v] < 0:
                    level[v] = level[u] + 1
                    queue[tail] = v
                    tail += 1
                a = nxt[a]
        if level[sink] < 0:
            return flow
        for v in range(nn):
            it[v] = first[v]
        # blocking flow: repeated DFS from the source along level-increasing arcs
        while True:
            depth = 0
            stack[0] = source
            found = False
            while depth >= 0:
                u = stack[depth]
                if u == sink:
                    found = True
                    break
                advanced = False
                while it[u] >= 0:
                    a = it[u]
                    v = target[a]
                    if cap[a] > 0 and level[v] == level[u] + 1:
                        path[depth] = a
                        depth += 1
                        stack[depth] = v
                        advanced = True
                        break
                    it[u] = nxt[a]
                if not advanced:
                    level[u] = -1  # dead end for this phase
                    depth -= 1
                    if depth >= 0:
                        it[stack[depth]] = nxt[it[stack[depth]]]
            if not found:
                break
            push = _INF
            for d in range(depth):
                if cap[path[d]] < push:
                    push = cap[path[d]]
            for d in range(depth):
                cap[path[d]] -= push
                cap[path[d] ^ 1] += push
            flow += push


def flow_round(indptr, indices, weights, node_weights, side, max_weight, target, alpha, max_depth):
    """One corridor + max-flow improvement step.

    The corridor in side s may weigh ``target[o] + alpha * (max_weight[o] -
    target[o]) - weight[o]`` (o the other side): with ``alpha`` 1 any re-split
    is feasible; larger corridors find more but their minimum cut may break
    the bounds, and is then rejected.  ``max_depth`` (> 0) also limits the
    corridor to that many hops from the cut.  Returns the cut decrease (0.0: no
    better cut in the corridor; -1.0: the better cuts found were infeasible).

    Three kernels in turn (network, max flow, choice of the cut) rather than
    one calling the others: a kernel that calls kernels re-optimizes and
    re-emits all of their machine code when it compiles, and a flow step
    runs once per round, so the two extra calls cost microseconds.
    """
    count, order, bw, first, head, nxt, cap, m, network_cut = _corridor_network(
        indptr, indices, weights, node_weights, side, max_weight, target, alpha, max_depth
    )
    if count == 0:
        return 0.0
    # network nodes: 0 = source, 1 = sink, 2 + i = order[i]
    flow = _max_flow(first, head[:m], nxt[:m], cap[:m], count + 2, 0, 1)
    if flow >= network_cut - 1e-9:
        return 0.0
    if _apply_min_cut(first, head, nxt, cap, node_weights, side, order, count, bw, max_weight, target) < 0:
        return -1.0
    return network_cut - flow


@njit(cache=True)
def _corridor_network(indptr, indices, weights, node_weights, side, max_weight, target, alpha, max_depth):
    """The corridor of :func:`flow_round` and its flow network.

    Network nodes: 0 = source (side 0 outside the corridor), 1 = sink,
    2 + i = ``order[i]``.  Returns ``(count, order, bw, first, head, nxt,
    cap, m, network_cut)``: the corridor ``order[:count]``, the side
    weights, the arc list of :func:`_max_flow` (``m`` arcs used) and the
    weight of the current cut's edges inside the network.
    """
    n = indptr.shape[0] - 1
    bw = np.zeros(2, np.float64)
    for u in range(n):
        bw[side[u]] += node_weights[u]
    in_region = np.zeros(n, np.bool_)
    order = np.empty(n, np.int64)
    cap0 = target[1] + alpha * (max_weight[1] - target[1]) - bw[1]
    cap1 = target[0] + alpha * (max_weight[0] - target[0]) - bw[0]
    # typed int64 sides and start, not literals: one _corridor specialisation
    count = _corridor(indptr, indices, node_weights, side, np.int64(0), cap0, max_depth, in_region, order, np.int64(0))
    count = _corridor(indptr, indices, node_weights, side, np.int64(1), cap1, max_depth, in_region, order, count)
    local = np.full(n, -1, np.int64)
    for i in range(count):
        local[order[i]] = 2 + i
    nn = count + 2
    arcs = 0
    for i in range(count):
        u = order[i]
        arcs += 2 * (indptr[u + 1] - indptr[u])
    first = np.full(nn, -1, np.int64)
    head = np.empty(arcs, np.int64)  # arc heads; not `target`, the ideal block weights
    nxt = np.empty(arcs, np.int64)
    cap = np.zeros(arcs, np.float64)
    m = 0
    network_cut = 0.0
    for i in range(count):
        u = order[i]
        x = 2 + i
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            w = weights[p] * 1.0
            y = local[v]
            if y >= 0:
                if y < x:
                    continue  # each corridor edge once, as two arcs of capacity w
                cap_fwd = w
                cap_bwd = w
            elif side[v] == 0:
                y = 0  # from the source
                cap_fwd = 0.0
                cap_bwd = w
            else:
                y = 1  # to the sink
                cap_fwd = w
                cap_bwd = 0.0
            if side[u] != side[v]:
                network_cut += w
            head[m] = y
            cap[m] = cap_fwd
            nxt[m] = first[x]
            first[x] = m
            m += 1
            head[m] = x
            cap[m] = cap_bwd
            nxt[m] = first[y]
            first[y] = m
            m += 1
    return count, order, bw, first, head, nxt, cap, m, network_cut


@njit(cache=True)
def _apply_min_cut(first, head, nxt, cap, node_weights, side, order, count, bw, max_weight, target):
    """After the max flow (``cap`` residual): apply the most balanced
    feasible minimum cut of the corridor ``order[:count]``.

    The two extreme minimum cuts are the nodes reachable from the source
    and those not reaching the sink.  Every closed set S of the residual
    network between them is a minimum cut's source side; the nodes in
    between form strongly connected components, and taken in the order
    Tarjan emits them (successors first) every prefix is closed.  Sweep the
    prefixes and keep the feasible one nearest the ideal split.  Returns the
    number of components taken, or -1 (``side`` unchanged) when no prefix is
    within the bounds.
    """
    nn = count + 2
    source = np.int64(0)  # typed, not literal: the specialisation callers from Python get too
    sink = np.int64(1)
    reach_s = _residual_reach(first, head, nxt, cap, nn, source, np.bool_(False))
    reach_t = _residual_reach(first, head, nxt, cap, nn, sink, np.bool_(True))
    w0 = bw[0]
    for i in range(count):
        u = order[i]
        if side[u] == 0 and not reach_s[2 + i]:
            w0 -= node_weights[u]
        elif side[u] == 1 and reach_s[2 + i]:
            w0 += node_weights[u]
    comp = _middle_components(first, head, nxt, cap, nn, reach_s, reach_t)
    total = bw[0] + bw[1]
    best_prefix = -1
    best_dist = 0.0
    if w0 <= max_weight[0] and total - w0 <= max_weight[1]:
        best_prefix = 0
        best_dist = abs(w0 - target[0])
    ncomp = 0
    for x in range(nn):
        if comp[x] + 1 > ncomp:
            ncomp = comp[x] + 1
    comp_weight = np.zeros(ncomp, np.float64)
    for i in range(count):
        c = comp[2 + i]
        if c >= 0:
            comp_weight[c] += node_weights[order[i]]
    for c in range(ncomp):
        w0 += comp_weight[c]
        if w0 <= max_weight[0] and total - w0 <= max_weight[1]:
            dist = abs(w0 - target[0])
            if best_prefix < 0 or dist < best_dist:
                best_prefix = c + 1
                best_dist = dist
    if best_prefix < 0:
        return -1
    for i in range(count):
        x = 2 + i
        c = comp[x]
        source_side = reach_s[x] or (c >= 0 and c < best_prefix)
        side[order[i]] = 0 if source_side else 1
    return best_prefix


@njit(cache=True)
def _residual_reach(first, target, nxt, cap, nn, start, backwards):
    """Nodes reachable from ``start`` along arcs with residual capacity
    (``backwards``: nodes that can reach ``start``; arc v -> u has residual
    capacity iff the reverse of u -> v, arc ``a ^ 1``, does)."""
    seen = np.zeros(nn, np.bool_)
    stack = np.empty(nn, np.int64)
    seen[start] = True
    stack[0] = start
    top = 1
    while top > 0:
        top -= 1
        u = stack[top]
        a = first[u]
        while a >= 0:
            v = target[a]
            residual = cap[a ^ 1] if backwards else cap[a]
            if residual > 1e-12 and not seen[v]:
                seen[v] = True
                stack[top] = v
                top += 1
            a = nxt[a]
    return seen


@njit(cache=True)
def _middle_components(first, target, nxt, cap, nn, reach_s, reach_t):
    """Strongly connected components (Tarjan, iterative) of the residual
    network restricted to the nodes in neither ``reach_s`` nor ``reach_t``.

    Returns ``comp`` (-1 outside); components are numbered in the order
    Tarjan completes them, so every arc between components goes from a
    higher number to a lower one.
    """
    comp = np.full(nn, -1, np.int64)
    index = np.full(nn, -1, np.int64)
    low = np.empty(nn, np.int64)
    stack = np.empty(nn, np.int64)
    # the DFS call stack: frame d is node call[d, 0] and its next arc call[d, 1].
    # No on-stack flags: a node is on Tarjan's stack exactly when it has an
    # index and no component yet
    call = np.empty((nn, 2), np.int64)
    counter = 0
    ncomp = 0
    top = 0
    for root in range(nn):
        if reach_s[root] or reach_t[root] or index[root] >= 0:
            continue
        depth = 0
        call[0, 0] = root
        call[0, 1] = first[root]
        index[root] = counter
        low[root] = counter
        counter += 1
        stack[top] = root
        top += 1
        while depth >= 0:
            u = call[depth, 0]
            a = call[depth, 1]
            if a >= 0:
                call[depth, 1] = nxt[a]
                v = target[a]
                if cap[a] <= 1e-12 or reach_s[v] or reach_t[v]:
                    continue
                if index[v] < 0:
                    index[v] = counter
                    low[v] = counter
                    counter += 1
                    stack[top] = v
                    top += 1
                    depth += 1
                    call[depth, 0] = v
                    call[depth, 1] = first[v]
                elif comp[v] < 0 and index[v] < low[u]:
                    low[u] = index[v]
                continue
            # all arcs of u done
            if low[u] == index[u]:
                while True:
                    top -= 1
                    w = stack[top]
                    comp[w] = ncomp
                    if w == u:
                        break
                ncomp += 1
            depth -= 1
            if depth >= 0:
                parent = call[depth, 0]
                if low[u] < low[parent]:
                    low[parent] = low[u]
    return comp


def flow_refine(indptr, indices, weights, node_weights, side, max_weight, target, rounds, alpha, max_depth):
    """Up to ``rounds`` flow improvement steps on ``side``; returns the total
    cut decrease.

    The corridor factor adapts (as in KaHIP): it doubles after an
    improvement, up to the given ``alpha``, and halves when the step found
    nothing or only infeasible cuts; the search ends when a corridor of
    factor 1 (where every re-split is feasible) finds nothing.  Plain
    Python, as :func:`flow_round`.
    """
    gained = 0.0
    alpha = float(alpha)
    factor = alpha
    for _ in range(rounds):
        g = flow_round(indptr, indices, weights, node_weights, side, max_weight, target, factor, max_depth)
        if g > 0.0:
            gained += g
            factor = min(2 * factor, alpha)
        elif factor <= 1.0:
            break
        else:
            factor = max(factor / 2, 1.0)
    return float(gained)
