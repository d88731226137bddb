"""Coarsening kernels against slow references: matchings are valid, maximal
and heavy as their rule says; contraction is P.T @ A @ P."""

import random

import numpy as np
import pytest

from klpart._kernels.coarsen import (
    RATING_EXPANSION,
    RATING_WEIGHT,
    contract,
    heavy_edge_matching,
    label_propagation_clustering,
    two_hop_matching,
)
from klpart._kernels.coarsen import LP_CHUNK
from klpart._kernels.rng import chunked_permutation, permutation

from .. import reference
from .graphs import random_csr, state


def cases(count, base):
    for t in range(count):
        r = random.Random(base + t)
        g = random_csr(base + t, weights=r.choice(["unit", "int", "float", "zero"]),
                       node_weights=r.choice(["unit", "int"]))
        n = g[0].shape[0] - 1
        groups = r.choice([1, 1, 2, 3])
        group = np.array([r.randrange(groups) for _ in range(n)], np.int64)
        total = int(g[3].sum())
        max_node_weight = r.choice([2, 3, total, max(2, total // 3)])
        yield t, r, g, group, max_node_weight


def members_of(cmap, nc):
    out = [[] for _ in range(nc)]
    for u, c in enumerate(cmap.tolist()):
        out[c].append(u)
    return out


def assert_numbered_in_fine_order(cmap, nc):
    assert cmap.dtype == np.int32
    seen = []
    for c in cmap.tolist():
        if c not in seen:
            seen.append(c)
    assert seen == list(range(nc))  # every id used, first occurrences increasing


def test_heavy_edge_matching_is_valid_maximal_and_replays_the_greedy_rule():
    for t, r, (indptr, indices, weights, nw), group, limit in cases(300, 0):
        n = indptr.shape[0] - 1
        rating = r.choice([RATING_WEIGHT, RATING_EXPANSION])
        st = state(t)
        order = permutation(st.copy(), n).tolist()  # the visiting order the kernel draws
        cmap, nc = heavy_edge_matching(indptr, indices, weights, nw, group, limit, rating, st)
        assert_numbered_in_fine_order(cmap, nc)
        rows = reference.csr_rows(indptr, indices, weights)
        nwl = nw.tolist()
        single = set()
        for m in members_of(cmap, nc):
            assert 1 <= len(m) <= 2
            if len(m) == 2:
                u, v = m
                assert v in rows[u], "a pair must be adjacent"
                assert group[u] == group[v]
                assert nwl[u] + nwl[v] <= limit
            else:
                single.add(m[0])
        # maximal: two adjacent singles could have been paired
        for u in single:
            for v in rows[u]:
                assert not (v in single and group[u] == group[v] and nwl[u] + nwl[v] <= limit), (t, u, v)
        expected, enc = reference.greedy_matching(
            indptr.tolist(), indices.tolist(), weights.tolist(), nwl, group.tolist(), limit,
            rating == RATING_EXPANSION, order,
        )
        assert nc == enc and cmap.tolist() == expected, t


def test_matching_shortcuts_replay_the_greedy_rule():
    # the kernel skips the group test for an empty group array, the reads
    # of node_weights[v] when all node weights are equal, and the rest of a
    # row once an allowed neighbour is found when every neighbour rates the
    # same (unit edge weights, cases(): "unit"): all must give the
    # reference's matching of the general rule (all-zero groups; weights
    # read per pair), with node weights 0, 1, 3 so that 2c > limit happens
    for t, r, (indptr, indices, weights, nw), _, limit in cases(300, 2000):
        n = indptr.shape[0] - 1
        rating = r.choice([RATING_WEIGHT, RATING_EXPANSION])
        if r.random() < 0.7:
            nw = np.full(n, r.choice([0, 1, 3]), np.int64)
            limit = r.choice([0, 2, 5, 6, 7, limit])
        zeros = np.zeros(n, np.int64)
        order = permutation(state(t), n).tolist()
        cmap, nc = heavy_edge_matching(indptr, indices, weights, nw, np.zeros(0, np.int64), limit, rating, state(t))
        expected, enc = reference.greedy_matching(
            indptr.tolist(), indices.tolist(), weights.tolist(), nw.tolist(), zeros.tolist(), limit,
            rating == RATING_EXPANSION, order,
        )
        assert nc == enc and cmap.tolist() == expected, t
        # the same as the kernel with an explicit all-zero group
        cz, ncz = heavy_edge_matching(indptr, indices, weights, nw, zeros, limit, rating, state(t))
        assert ncz == nc and cz.tolist() == cmap.tolist(), t
        # two-hop and label propagation: empty group == all-zero group
        small, ns = heavy_edge_matching(indptr, indices, weights, nw, zeros, min(limit, 2), RATING_WEIGHT, state(t))
        a = two_hop_matching(indptr, indices, nw, zeros, limit, small, ns)
        b = two_hop_matching(indptr, indices, nw, np.zeros(0, np.int64), limit, small, ns)
        assert a[1] == b[1] and a[0].tolist() == b[0].tolist(), t
        a = label_propagation_clustering(indptr, indices, weights, nw, zeros, limit, 3, state(t))
        b = label_propagation_clustering(indptr, indices, weights, nw, np.zeros(0, np.int64), limit, 3, state(t))
        assert a[1] == b[1] and a[0].tolist() == b[0].tolist(), t


def test_two_hop_matching_pairs_singles_with_a_common_neighbour():
    for t, r, (indptr, indices, weights, nw), group, limit in cases(300, 5000):
        # start from a sparse matching so that many singles remain
        cmap0, nc0 = heavy_edge_matching(indptr, indices, weights, nw, group, min(limit, 2), RATING_WEIGHT, state(t))
        cmap, nc = two_hop_matching(indptr, indices, nw, group, limit, cmap0, nc0)
        assert_numbered_in_fine_order(cmap, nc)
        rows = reference.csr_rows(indptr, indices, weights)
        before = members_of(cmap0, nc0)
        after = members_of(cmap, nc)
        old_pairs = {tuple(m) for m in before if len(m) == 2}
        singles = {m[0] for m in before if len(m) == 1}
        new_pairs = 0
        for m in after:
            assert 1 <= len(m) <= 2
            if len(m) == 2 and tuple(m) not in old_pairs:
                u, v = m
                assert u in singles and v in singles
                assert set(rows[u]) & set(rows[v]), "a 2-hop pair shares a neighbour"
                assert group[u] == group[v] and nw[u] + nw[v] <= limit
                new_pairs += 1
        assert old_pairs <= {tuple(m) for m in after}
        assert nc == nc0 - new_pairs
        expected = reference.two_hop_pairs(rows, nw.tolist(), group.tolist(), limit, singles)
        assert {tuple(m) for m in after if len(m) == 2} - old_pairs == expected, t
        assert new_pairs <= len(singles) // 2


def test_two_hop_matching_shrinks_a_star():
    # a star: a matching pairs the hub with one leaf; 2-hop pairs the rest
    n = 11
    indptr = np.array([0, 10] + list(range(11, 21)), np.int64)
    indices = np.array(list(range(1, 11)) + [0] * 10, np.int32)
    nw = np.ones(n, np.int64)
    group = np.zeros(n, np.int64)
    cmap0 = np.array([0, 0] + list(range(1, 10)), np.int32)
    cmap, nc = two_hop_matching(indptr, indices, nw, group, 2, cmap0, 10)
    assert nc == 6  # {0, 1} and four pairs of leaves, one leaf left
    sizes = sorted(np.bincount(cmap).tolist())
    assert sizes == [1, 2, 2, 2, 2, 2]


def test_label_propagation_clusters_respect_bound_and_groups():
    for t, r, (indptr, indices, weights, nw), group, limit in cases(300, 9000):
        cmap, nc = label_propagation_clustering(indptr, indices, weights, nw, group, limit, r.randint(1, 5), state(t))
        assert_numbered_in_fine_order(cmap, nc)
        for m in members_of(cmap, nc):
            if len(m) > 1:
                assert sum(nw[u] for u in m) <= limit, (t, m)
                assert len({group[u] for u in m}) == 1, (t, m)


def reference_label_propagation(indptr, indices, weights, nw, group, limit, orders):
    """Size-constrained label propagation written plainly: per visited node,
    the summed edge weight to each neighbouring cluster recomputed from
    scratch; joins the strongest allowed one if stronger than its own
    (first met wins ties).  ``orders``: the visiting order of each sweep."""
    n = len(nw)
    cluster = list(range(n))
    cweight = [float(w) for w in nw]
    for order in orders:
        moved = 0
        for u in order:
            conn, met = {}, []
            for p in range(indptr[u], indptr[u + 1]):
                c = cluster[int(indices[p])]
                if c not in conn:
                    conn[c] = 0.0
                    met.append(c)
                conn[c] += float(weights[p])
            own = cluster[u]
            best, best_conn = own, conn.get(own, 0.0)
            for c in met:
                if c == own or (len(group) and group[c] != group[u]) or cweight[c] + nw[u] > limit:
                    continue
                if conn[c] > best_conn:
                    best, best_conn = c, conn[c]
            if best != own:
                cweight[own] -= nw[u]
                cweight[best] += nw[u]
                cluster[u] = best
                moved += 1
        if moved < max(1, n // 100):
            break
    ids = {}
    return [ids.setdefault(c, len(ids)) for c in cluster]


def test_label_propagation_replays_the_plain_rule():
    # the orders are drawn as the kernel draws them (one chunked permutation
    # per sweep, nothing else); several sweeps also check that a sweep never
    # reads connection sums left by an earlier one
    for t, r, (indptr, indices, weights, nw), group, limit in cases(300, 12000):
        n = indptr.shape[0] - 1
        sweeps = r.randint(1, 4)
        g = group if r.random() < 0.5 else np.zeros(0, np.int64)
        st = state(t)
        ref_state = st.copy()
        orders = [chunked_permutation(ref_state, n, LP_CHUNK).tolist() for _ in range(sweeps)]
        cmap, nc = label_propagation_clustering(indptr, indices, weights, nw, g, limit, sweeps, st)
        expected = reference_label_propagation(indptr, indices, weights, nw.tolist(), g.tolist(), limit, orders)
        assert cmap.tolist() == expected, t
        assert nc == len(set(expected))


def stale_mark_label_propagation(rows, limit, orders):
    """The rule with the kernel's scratch marks stamped by the node alone (a
    bug fixed here): a sum left by the node's previous sweep passes for a
    fresh one when no other node touched that cluster since.  Unit nodes."""
    n = len(rows)
    cluster, size, mark, conn = list(range(n)), [1] * n, [-1] * n, [0.0] * n
    for order in orders:
        moved = 0
        for u in order:
            met = []
            for v, w in rows[u]:
                c = cluster[v]
                if mark[c] != u:
                    mark[c], conn[c] = u, 0.0
                    met.append(c)
                conn[c] += w
            own = cluster[u]
            best, best_conn = own, conn[own] if mark[own] == u else 0.0
            for c in met:
                if c != own and size[c] + 1 <= limit and conn[c] > best_conn:
                    best, best_conn = c, conn[c]
            if best != own:
                size[own] -= 1
                size[best] += 1
                cluster[u] = best
                moved += 1
        if moved < 1:
            break
    ids = {}
    return [ids.setdefault(c, len(ids)) for c in cluster]


def test_label_propagation_sweeps_do_not_reuse_old_sums():
    # a graph found by search on which, for some visiting orders, a node's
    # sum from an earlier sweep survives to a later one and would decide its
    # move there (clusters of at most three unit nodes, three sweeps)
    edges = {(1, 4): 3, (1, 5): 4, (2, 4): 1, (0, 1): 5, (5, 6): 4, (0, 6): 3, (4, 6): 1, (1, 6): 3, (3, 5): 3}
    rows = [[] for _ in range(7)]
    for (u, v), w in edges.items():
        rows[u].append((v, float(w)))
        rows[v].append((u, float(w)))
    indptr = np.cumsum([0] + [len(row) for row in rows]).astype(np.int64)
    indices = np.array([v for row in rows for v, _ in row], np.int32)
    weights = np.array([w for row in rows for _, w in row], np.int64)
    sensitive = 0
    for seed in range(400):
        st = state(seed)
        ref_state = st.copy()
        orders = [chunked_permutation(ref_state, 7, LP_CHUNK).tolist() for _ in range(3)]
        cmap, _ = label_propagation_clustering(indptr, indices, weights, np.ones(7, np.int64),
                                               np.zeros(0, np.int64), 3, 3, st)
        expected = reference_label_propagation(indptr, indices, weights, [1] * 7, [], 3, orders)
        assert cmap.tolist() == expected, seed
        sensitive += stale_mark_label_propagation(rows, 3, orders) != expected
    assert sensitive > 0  # the orders drawn do tell the two rules apart


def test_label_propagation_merges_cliques():
    # two triangles joined by one light edge, room for three nodes per cluster
    edges = [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]
    rows = [dict() for _ in range(6)]
    for u, v in edges:
        rows[u][v] = rows[v][u] = 5 if (u, v) != (2, 3) else 1
    indptr = np.cumsum([0] + [len(x) for x in rows]).astype(np.int64)
    indices = np.array([v for x in rows for v in x], np.int32)
    weights = np.array([w for x in rows for w in x.values()], np.int64)
    for seed in range(20):
        cmap, nc = label_propagation_clustering(indptr, indices, weights, np.ones(6, np.int64),
                                                np.zeros(6, np.int64), 3, 10, state(seed))
        assert nc == 2 and cmap.tolist() == [0, 0, 0, 1, 1, 1], seed


@pytest.mark.parametrize("weights", ["int", "float", "zero"])
def test_contract_equals_pt_a_p(weights):
    for t in range(150):
        r = random.Random(t)
        indptr, indices, w, nw = random_csr(20000 + t, weights=weights, node_weights=r.choice(["int", "float"]))
        n = indptr.shape[0] - 1
        nc = r.randint(1, n)
        cmap = np.array([r.randrange(nc) for _ in range(n)], np.int32)
        # every coarse id used
        cmap[r.sample(range(n), nc)] = np.arange(nc, dtype=np.int32)
        cindptr, cindices, cweights, cnw = contract(indptr, indices, w, nw, cmap, nc)
        rows = reference.csr_rows(indptr, indices, w)
        dense, expected_nw = reference.contraction(rows, nw.tolist(), cmap.tolist(), nc)
        assert cindptr.shape == (nc + 1,) and cindptr[0] == 0 and cindptr[-1] == cindices.shape[0]
        got = [[0] * nc for _ in range(nc)]
        for a in range(nc):
            row = cindices[cindptr[a]:cindptr[a + 1]].tolist()
            assert len(row) == len(set(row)) and a not in row  # no duplicates, no diagonal
            for p in range(cindptr[a], cindptr[a + 1]):
                got[a][cindices[p]] = cweights[p].item()
        # zero-weight fine edges may leave explicit zero coarse entries; values must agree
        np.testing.assert_allclose(got, dense, rtol=1e-12, atol=1e-9)
        for a in range(nc):
            for b in cindices[cindptr[a]:cindptr[a + 1]].tolist():
                assert any(cmap[v] == b for u in range(n) if cmap[u] == a for v in rows[u])
        np.testing.assert_allclose(cnw, expected_nw, rtol=1e-12)
        assert cnw.sum() == pytest.approx(nw.sum())
        assert cnw.dtype == nw.dtype and cweights.dtype == w.dtype
        # the cut of any coarse labelling equals the cut of its projection
        crow = reference.csr_rows(cindptr, cindices, cweights)
        for _ in range(3):
            k = r.randint(2, 4)
            coarse_labels = [r.randrange(k) for _ in range(nc)]
            fine_labels = [coarse_labels[c] for c in cmap.tolist()]
            assert reference.labelling_cut(crow, coarse_labels) == pytest.approx(
                reference.labelling_cut(rows, fine_labels), abs=1e-9)
