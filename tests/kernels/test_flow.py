"""Flow refinement kernels against brute force (issue 15).

``flow_round`` must apply a *minimum* cut of its corridor network and, among
the minimum cuts within the bounds, one nearest the ideal split; ``_max_flow``
must agree with SciPy's maximum flow.
"""

import random

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_flow

from klpart._kernels.flow import _max_flow, flow_round

from .. import reference
from .graphs import random_csr


def arc_arrays(nn, arcs):
    """(first, head, nxt, cap) with paired reverse arcs for ``_max_flow``."""
    first = np.full(nn, -1, np.int64)
    head, nxt, cap = [], [], []
    for u, v, c in arcs:
        for a, b, cc in ((u, v, c), (v, u, 0.0)):
            head.append(b)
            cap.append(cc)
            nxt.append(first[a])
            first[a] = len(head) - 1
    return first, np.array(head, np.int64), np.array(nxt, np.int64), np.array(cap, np.float64)


def test_max_flow_equals_scipy():
    for t in range(300):
        r = random.Random(t)
        nn = r.randint(2, 16)
        arcs = []
        for _ in range(r.randint(0, 5 * nn)):
            u, v = r.randrange(nn), r.randrange(nn)
            if u != v:
                arcs.append((u, v, r.randint(1, 20)))  # parallel and antiparallel arcs included
        s, t_ = r.sample(range(nn), 2)
        dense = np.zeros((nn, nn), np.int32)
        for u, v, c in arcs:
            dense[u, v] += c
        expected = maximum_flow(sp.csr_array(dense), s, t_).flow_value
        first, head, nxt, cap = arc_arrays(nn, [(u, v, float(c)) for u, v, c in arcs])
        cap0 = cap.copy()
        assert _max_flow(first, head, nxt, cap, nn, s, t_) == expected, t
        # the residual capacities describe a feasible flow of that value
        flow_on = (cap0 - cap)[0::2]
        assert (flow_on >= -1e-9).all() and (flow_on <= cap0[0::2] + 1e-9).all()
        net = np.zeros(nn)
        for (u, v, _), f in zip(arcs, flow_on):
            net[u] -= f
            net[v] += f
        assert net[t_] == pytest.approx(expected) and net[s] == pytest.approx(-expected)
        assert np.allclose(np.delete(net, [s, t_]), 0)


def corridor_of(rows, nw, side, max_weight, target, alpha):
    """The corridor flow_round builds (reference re-statement)."""
    bw = reference.block_loads(nw, side, 2)
    cap0 = target[1] + alpha * (max_weight[1] - target[1]) - bw[1]
    cap1 = target[0] + alpha * (max_weight[0] - target[0]) - bw[0]
    in_region = [False] * len(rows)
    order = reference.flow_corridor(rows, nw, side, 0, cap0, in_region, [])
    return reference.flow_corridor(rows, nw, side, 1, cap1, in_region, order)


def cases(count, base):
    for t in range(count):
        r = random.Random(base + t)
        n = r.randint(2, 13)
        g = random_csr(base + t, n=n, p=r.uniform(0.15, 0.6), weights=r.choice(["unit", "int"]),
                       node_weights=r.choice(["unit", "int"]))
        nw = g[3]
        total = float(nw.sum())
        f = r.choice([0.5, 0.5, 0.4])
        target = np.array([f * total, (1 - f) * total])
        max_weight = np.floor(target * r.choice([1.0, 1.1, 1.3, 1.6])) + r.choice([0, 1, 2])
        side = np.array([r.randrange(2) for _ in range(n)], np.int64)
        alpha = r.choice([1.0, 2.0, 8.0])
        yield t, g, side, max_weight, target, alpha


def test_flow_round_applies_a_most_balanced_minimum_cut_of_its_corridor():
    """Brute force over every re-split of the corridor.

    Every case: a minimum cut, the exact gain, the bounds, only corridor
    nodes moved, and at least as balanced as the two extreme minimum cuts
    (smallest and largest source side; the sweep always sees both).  The
    sweep visits one chain of the closed sets of the residual network, not
    all of them, so "the most balanced feasible minimum cut" is required in
    aggregate (>= 98% of the improving cases; about 99.4% here, 95% with the
    issue-15 defect that compared against an arc array instead of ``target``).
    """
    improved = unchanged = misses = 0
    for t, (indptr, indices, w, nw), side, max_weight, target, alpha in cases(700, 0):
        rows = reference.csr_rows(indptr, indices, w)
        nwl, start = nw.tolist(), side.tolist()
        total = sum(nwl)
        corridor = corridor_of(rows, nwl, start, max_weight.tolist(), target.tolist(), alpha)
        if len(corridor) > 12:
            continue
        before = reference.labelling_cut(rows, start)
        splits = reference.corridor_resplits(rows, nwl, start, corridor)
        best = min(c for c, _, _ in splits)
        minimum = sorted(w0 for c, w0, _ in splits if c == best)

        def fits(w0):
            return w0 <= max_weight[0] and total - w0 <= max_weight[1]

        feasible = [w0 for w0 in minimum if fits(w0)]
        result = side.copy()
        gain = flow_round(indptr, indices, w, nw, result, max_weight, target, alpha, 0)
        after = reference.labelling_cut(rows, result.tolist())
        inside = set(corridor)
        assert all(result[u] == start[u] for u in range(len(rows)) if u not in inside), "only corridor nodes move"
        if best >= before:
            assert gain == 0.0 and result.tolist() == start, t
            unchanged += 1
            continue
        improved += 1
        if gain == -1.0:
            # better cuts exist, but none the sweep offers fits the bounds
            assert result.tolist() == start, t
            assert not fits(minimum[0]) and not fits(minimum[-1]), t
            misses += bool(feasible)
            continue
        assert after == best, (t, after, best)  # a minimum cut of the corridor
        assert gain == pytest.approx(before - after), t
        w0 = sum(x for x, s in zip(nwl, result.tolist()) if s == 0)
        assert fits(w0), t
        dist = abs(w0 - target[0])
        for extreme in (minimum[0], minimum[-1]):
            if fits(extreme):
                assert dist <= abs(extreme - target[0]) + 1e-9, (t, w0, extreme, target[0])
        misses += dist > min(abs(x - target[0]) for x in feasible) + 1e-9
    assert improved > 300 and unchanged > 50, (improved, unchanged)
    assert misses <= 0.02 * improved, (misses, improved)


def path_graph(n):
    indptr = np.zeros(n + 1, np.int64)
    indices = []
    for u in range(n):
        indices += [v for v in (u - 1, u + 1) if 0 <= v < n]
        indptr[u + 1] = len(indices)
    return indptr, np.array(indices, np.int32), np.ones(len(indices), np.int64), np.ones(n, np.int64)


@pytest.mark.parametrize("ideal", [6, 8, 10, 12, 14])
def test_flow_round_moves_the_cut_to_the_ideal_split(ideal):
    """Issue 15: on a path every edge of the corridor is a minimum cut, and
    the chosen one must sit where side 0 weighs ``target[0]`` (the defect
    measured the distance to an arc head instead and kept the cut near the
    path's start)."""
    g = path_graph(20)
    side = np.array([0] * 9 + [1, 0] + [1] * 9, np.int64)  # cut 3: 8-9, 9-10, 10-11
    target = np.array([ideal, 20.0 - ideal])
    max_weight = np.array([16.0, 16.0])
    gain = flow_round(*g, side, max_weight, target, 8.0, 3)  # corridor: 3 hops around the cut, 5..14
    assert gain == 2.0
    assert side.tolist() == [0] * ideal + [1] * (20 - ideal)


def test_flow_round_without_a_better_cut_changes_nothing():
    g = path_graph(12)
    side = np.array([0] * 6 + [1] * 6, np.int64)
    gain = flow_round(*g, side, np.array([7.0, 7.0]), np.array([6.0, 6.0]), 1.0, 0)
    assert gain == 0.0 and side.tolist() == [0] * 6 + [1] * 6
