"""Direct tests of the metrics kernels (klpart._kernels.metrics) against slow
Python references over adjacency dicts (issue #18)."""

import math
import random
from collections import Counter

import numpy as np
import pytest

from klpart._kernels.metrics import (
    agreement_sums,
    contingency,
    neighbourhood_size,
    node_boundary_size,
    partition_summary,
    rows_volume,
    set_cut,
)

from .graphs import random_csr


def rows_of(indptr, indices, weights):
    return [dict(zip(indices[indptr[u]:indptr[u + 1]].tolist(), weights[indptr[u]:indptr[u + 1]].tolist()))
            for u in range(indptr.shape[0] - 1)]


def random_case(t):
    r = random.Random(t)
    indptr, indices, w, nw = random_csr(t, weights=r.choice(["unit", "int", "float", "zero"]),
                                        node_weights=r.choice(["int", "float"]))
    n = nw.shape[0]
    if r.random() < 0.5:
        loops = np.array([r.choice([0, 0, 1, 3]) for _ in range(n)], w.dtype)
    else:
        loops = np.zeros(0, w.dtype)
    return r, indptr, indices, w, nw, loops


def components_within(rows, part, b):
    nodes = [u for u in range(len(part)) if part[u] == b]
    seen, count = set(), 0
    for s in nodes:
        if s in seen:
            continue
        count += 1
        stack = [s]
        seen.add(s)
        while stack:
            u = stack.pop()
            for v in rows[u]:
                if part[v] == b and v not in seen:
                    seen.add(v)
                    stack.append(v)
    return count


@pytest.mark.parametrize("detail", [False, True])
def test_partition_summary_against_reference(detail):
    for t in range(250):
        r, indptr, indices, w, nw, loops = random_case(t)
        n = nw.shape[0]
        k = r.randint(1, 5)
        part = np.array([r.randrange(k) for _ in range(n)], np.int64)
        rows = rows_of(indptr, indices, w)
        got = partition_summary(indptr, indices, w, loops, nw, part, k, detail)
        size, node_weight, internal, external, loop, loop_nodes, cut_entries, boundary, comm, comps = got
        pl = part.tolist()
        assert size.tolist() == [pl.count(b) for b in range(k)]
        np.testing.assert_allclose(node_weight, [sum(nw[u] for u in range(n) if pl[u] == b) for b in range(k)])
        np.testing.assert_allclose(internal, [sum(x for u in range(n) if pl[u] == b for v, x in rows[u].items()
                                                  if pl[v] == b) for b in range(k)], atol=1e-9)
        np.testing.assert_allclose(external, [sum(x for u in range(n) if pl[u] == b for v, x in rows[u].items()
                                                  if pl[v] != b) for b in range(k)], atol=1e-9)
        lw = loops.tolist() if loops.shape[0] else [0] * n
        np.testing.assert_allclose(loop, [sum(lw[u] for u in range(n) if pl[u] == b) for b in range(k)])
        assert loop_nodes == sum(1 for x in lw if x > 0)
        assert cut_entries == sum(1 for u in range(n) for v in rows[u] if pl[v] != pl[u])
        if detail:
            other = [{pl[v] for v in rows[u] if pl[v] != pl[u]} for u in range(n)]
            assert boundary.tolist() == [sum(1 for u in range(n) if pl[u] == b and other[u]) for b in range(k)]
            assert comm.tolist() == [sum(len(other[u]) for u in range(n) if pl[u] == b) for b in range(k)]
            assert comps.tolist() == [components_within(rows, pl, b) for b in range(k)]
        else:
            assert not boundary.any() and not comm.any() and not comps.any()


def test_set_cut_rows_volume_neighbourhood_boundary_against_reference():
    for t in range(300):
        r, indptr, indices, w, nw, loops = random_case(1000 + t)
        n = nw.shape[0]
        rows = rows_of(indptr, indices, w)
        lw = loops.tolist() if loops.shape[0] else [0] * n
        in_s = np.array([r.random() < 0.5 for _ in range(n)], np.bool_)
        in_t = np.array([r.random() < 0.5 for _ in range(n)], np.bool_)
        S = {u for u in range(n) if in_s[u]}
        T = {u for u in range(n) if in_t[u]}
        # NetworkX's cut_size: edges {u, v} with (u in S and v in T) or (v in S and u in T), each once
        edges = {(min(u, v), max(u, v)): x for u in range(n) for v, x in rows[u].items()}
        expected = sum(x for (u, v), x in edges.items() if (u in S and v in T) or (v in S and u in T))
        e, lt = set_cut(indptr, indices, w, loops, in_s, in_t)
        assert e == pytest.approx(expected, abs=1e-9)
        assert lt == pytest.approx(sum(lw[u] for u in S & T))
        sel = np.array([r.randrange(n) for _ in range(r.randint(0, 2 * n))], np.int64)
        deg, lv = rows_volume(indptr, w, loops, sel)
        assert deg == pytest.approx(sum(sum(rows[u].values()) for u in sel.tolist()), abs=1e-9)
        assert lv == pytest.approx(sum(lw[u] for u in sel.tolist()))
        nb = set()
        for u in sel.tolist():
            nb.update(rows[u])
            if lw[u] > 0:
                nb.add(u)
        assert neighbourhood_size(indptr, indices, loops, sel) == len(nb)
        assert node_boundary_size(indptr, indices, in_s) == len({v for u in S for v in rows[u]} - S)


@pytest.mark.parametrize("dense", [False, True])
def test_contingency_and_agreement_sums_against_reference(dense):
    for t in range(300):
        r = random.Random(t)
        N = r.randint(1, 60)
        ka, kb = r.randint(1, 6), r.randint(1, 6)
        a = np.array([r.randrange(ka) for _ in range(N)], np.int64)
        if t % 7 == 0:
            kb = ka
            b = a.copy()
        else:
            b = np.array([r.randrange(kb) for _ in range(N)], np.int64)
        rows, cols, counts, rs, cs = contingency(a, b, ka, kb, dense)
        cells = Counter(zip(a.tolist(), b.tolist()))
        assert list(zip(rows.tolist(), cols.tolist())) == sorted(cells)  # row-major, non-zero only
        assert counts.tolist() == [cells[c] for c in sorted(cells)]
        assert rs.tolist() == [a.tolist().count(i) for i in range(ka)]
        assert cs.tolist() == [b.tolist().count(j) for j in range(kb)]
        h_a, h_b, mi, pc, pa, pb = agreement_sums(rows, cols, counts, rs, cs, N)

        def entropy(margin):
            return -sum(c / N * math.log(c / N) for c in margin if c > 0)

        assert h_a == pytest.approx(entropy(rs.tolist()), abs=1e-12)
        assert h_b == pytest.approx(entropy(cs.tolist()), abs=1e-12)
        ref_mi = sum(c / N * math.log(c * N / (rs[i] * cs[j])) for (i, j), c in cells.items())
        assert mi == pytest.approx(ref_mi, abs=1e-12)
        assert pc == sum(math.comb(c, 2) for c in cells.values())
        assert pa == sum(math.comb(c, 2) for c in rs.tolist())
        assert pb == sum(math.comb(c, 2) for c in cs.tolist())
        if (a == b).all() and ka == kb:
            assert mi == h_a  # the docstring's promise: exact, term by term
