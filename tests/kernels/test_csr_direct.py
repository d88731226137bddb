"""Direct tests of the structural CSR kernels (klpart._kernels.csr) against
slow Python references on small random matrices (issue #18: every kernel has
a direct test)."""

import random

import numpy as np

from klpart._kernels.csr import (
    count_self_loops,
    first_asymmetric_entry,
    first_unsorted_row,
    is_symmetric,
    mirror_position,
    split_self_loops,
    weighted_degrees,
)


def random_matrix(seed, sorted_rows=True, symmetric=False, loops=True, float_weights=False):
    """Rows as lists of (column, weight) plus the CSR arrays of them.

    ``symmetric``: mirror every off-diagonal entry with the same weight;
    otherwise the entries are independent (usually not symmetric).
    """
    r = random.Random(seed)
    n = r.randint(0, 9)
    p = r.uniform(0.0, 0.8)
    rows = [dict() for _ in range(n)]
    for u in range(n):
        for v in range(n):
            if u == v and not loops:
                continue
            if symmetric and v < u:
                continue
            if r.random() < p:
                w = round(r.uniform(0.5, 4.0), 2) if float_weights else r.randint(1, 6)
                rows[u][v] = w
                if symmetric:
                    rows[v][u] = w
    rows = [sorted(row.items()) if sorted_rows else list(row.items()) for row in rows]
    if not sorted_rows:
        for row in rows:
            r.shuffle(row)
    indptr = np.zeros(n + 1, np.int64)
    for u, row in enumerate(rows):
        indptr[u + 1] = indptr[u] + len(row)
    indices = np.array([v for row in rows for v, _ in row], np.int32)
    wdtype = np.float64 if float_weights else np.int64
    weights = np.array([w for row in rows for _, w in row], wdtype)
    return rows, indptr, indices, weights


def test_count_and_split_self_loops_against_reference():
    for t in range(300):
        rows, indptr, indices, weights = random_matrix(t, sorted_rows=t % 2 == 0, float_weights=t % 3 == 0)
        n = len(rows)
        loops = [sum(w for v, w in row if v == u) for u, row in enumerate(rows)]
        n_loops = sum(1 for u, row in enumerate(rows) for v, _ in row if v == u)
        assert count_self_loops(indptr, indices) == n_loops
        before = (indptr.copy(), indices.copy(), weights.copy())
        ip, ix, wt, lw = split_self_loops(indptr, indices, weights, n_loops)
        # input only read
        for a, b in zip(before, (indptr, indices, weights)):
            np.testing.assert_array_equal(a, b)
        assert ip.dtype == np.int64 and ix.dtype == indices.dtype and wt.dtype == weights.dtype
        assert lw.dtype == weights.dtype
        np.testing.assert_allclose(lw, np.array(loops, dtype=np.float64).reshape(n))
        # the off-diagonal entries are kept, in their original row order
        for u, row in enumerate(rows):
            kept = [(v, w) for v, w in row if v != u]
            got = list(zip(ix[ip[u]:ip[u + 1]].tolist(), wt[ip[u]:ip[u + 1]].tolist()))
            assert got == kept
        assert ip[0] == 0 and ip[-1] == ix.shape[0] == wt.shape[0]


def test_first_unsorted_row_against_reference():
    for t in range(300):
        rows, indptr, indices, weights = random_matrix(1000 + t, sorted_rows=t % 3 != 0)
        r = random.Random(t)
        if t % 5 == 0 and indices.shape[0] > 0:
            # a duplicated column: strictly increasing fails
            u = r.choice([u for u, row in enumerate(rows) if row])
            rows[u] = rows[u] + [rows[u][-1]]
            indptr = np.zeros(len(rows) + 1, np.int64)
            for i, row in enumerate(rows):
                indptr[i + 1] = indptr[i] + len(row)
            indices = np.array([v for row in rows for v, _ in row], np.int32)
        expected = -1
        for u, row in enumerate(rows):
            cols = [v for v, _ in row]
            if any(cols[i] <= cols[i - 1] for i in range(1, len(cols))):
                expected = u
                break
        assert first_unsorted_row(indptr, indices) == expected


def mirror_ok(rows, u, v, w):
    return any(c == u and x == w for c, x in rows[v])


def test_symmetry_kernels_against_reference():
    seen = {True: 0, False: 0}
    for t in range(400):
        r = random.Random(t)
        symmetric = t % 2 == 0
        rows, indptr, indices, weights = random_matrix(2000 + t, symmetric=symmetric, float_weights=t % 4 == 1)
        if symmetric and t % 4 == 0 and indices.shape[0] > 0:
            # break one weight so the structure stays symmetric but not the values
            p = r.randrange(indices.shape[0])
            weights = weights.copy()
            weights[p] += 1
            u = int(np.searchsorted(indptr, p, side="right") - 1)
            rows[u] = [(v, w + 1 if i == p - indptr[u] else w) for i, (v, w) in enumerate(rows[u])]
        expected_p = -1
        p = 0
        for u, row in enumerate(rows):
            for v, w in row:
                if expected_p < 0 and not mirror_ok(rows, u, v, w):
                    expected_p = p
                p += 1
        assert first_asymmetric_entry(indptr, indices, weights) == expected_p
        assert bool(is_symmetric(indptr, indices, weights)) == (expected_p < 0)
        seen[expected_p < 0] += 1
    assert seen[True] > 50 and seen[False] > 50  # both outcomes exercised


def test_mirror_position_and_weighted_degrees_against_reference():
    for t in range(300):
        rows, indptr, indices, weights = random_matrix(3000 + t, float_weights=t % 2 == 0)
        n = len(rows)
        for u in range(n):
            for v in range(n):
                cols = [c for c, _ in rows[u]]
                expected = int(indptr[u]) + cols.index(v) if v in cols else -1
                assert mirror_position(indptr, indices, u, v) == expected
        deg = weighted_degrees(indptr, weights)
        assert deg.dtype == weights.dtype and deg.shape == (n,)
        np.testing.assert_allclose(deg, [sum(w for _, w in row) for row in rows] if n else np.zeros(0))
