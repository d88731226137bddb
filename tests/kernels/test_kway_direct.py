"""Direct test of ``_best_move`` (klpart._kernels.kway), the move
evaluation of the k-way FM and balancing kernels, against a Python
re-statement of its docstring on small random graphs (issue #18)."""

import random

import numpy as np
import pytest

from klpart._kernels.kway import _best_move

from .graphs import random_csr


def ref_best_move(row, labels, bw, max_weight, wv, v, anywhere):
    """Candidates: v's neighbouring blocks in order of first appearance in
    its row; feasible when the target stays within its maximum.  Best:
    largest connection, ties to the relatively lighter block (first seen on
    a full tie).  With ``anywhere`` the relatively lightest feasible block
    other than v's own replaces it when strictly better connected (or when
    there is no candidate).  Gain: connection to the target minus to v's own
    block."""
    own = labels[v]
    conn = {}
    order = []
    for u, w in row:
        b = labels[u]
        if b not in conn:
            conn[b] = 0.0
            order.append(b)
        conn[b] += w
    internal = conn.get(own, 0.0)

    def load(b):
        return bw[b] / max(max_weight[b], 1e-300)

    best = None
    for b in order:
        if b == own or bw[b] + wv > max_weight[b]:
            continue
        if best is None or conn[b] > conn[best] or (conn[b] == conn[best] and load(b) < load(best)):
            best = b
    if anywhere:
        light = None
        for b in range(len(bw)):
            if b == own or bw[b] + wv > max_weight[b]:
                continue
            if light is None or load(b) < load(light):
                light = b
        if light is not None and (best is None or conn.get(light, 0.0) > conn[best]):
            best = light
    if best is None:
        return -1, 0.0
    return best, conn.get(best, 0.0) - internal


def test_best_move_against_reference():
    moves = 0
    for t in range(300):
        r = random.Random(t)
        indptr, indices, w, nw = random_csr(t, weights=r.choice(["unit", "int", "zero", "float"]),
                                            node_weights=r.choice(["int", "float"]))
        w = w.astype(np.float64)
        nw = nw.astype(np.float64)
        n = nw.shape[0]
        k = r.randint(1, 5)
        labels = np.array([r.randrange(k) for _ in range(n)], np.int64)
        bw = np.bincount(labels, weights=nw, minlength=k).astype(np.float64)
        max_weight = np.array([bw.sum() / k * r.uniform(0.8, 1.5) for _ in range(k)])
        conn = np.zeros(k)
        mark = np.zeros(k + 1, np.int64)
        touched = np.zeros(k, np.int64)
        for v in range(n):  # one scratch set for all calls, as the kernels use it
            anywhere = r.random() < 0.5
            row = list(zip(indices[indptr[v]:indptr[v + 1]].tolist(), w[indptr[v]:indptr[v + 1]].tolist()))
            t_ref, g_ref = ref_best_move(row, labels.tolist(), bw.tolist(), max_weight.tolist(), nw[v], v, anywhere)
            tb, g = _best_move(indptr, indices, w, nw, labels, bw, max_weight, conn, mark, touched, np.int64(v),
                               anywhere)
            assert tb == t_ref, (t, v)
            assert g == pytest.approx(g_ref, abs=1e-9)
            moves += tb >= 0
    assert moves > 300
