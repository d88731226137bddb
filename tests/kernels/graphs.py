"""Small random CSR graphs for the kernel tests, in the kernels' dtypes."""

import random

import numpy as np


def random_csr(seed, n=None, p=None, weights="int", node_weights="unit", shuffle_rows=True):
    """A random simple undirected graph as ``(indptr, indices, weights,
    node_weights)``: int64 pointers, int32 indices, int64 or float64 weights.

    ``weights``: "unit", "int" (1..9), "zero" (0..3, zeros included) or
    "float"; ``node_weights``: "unit", "int" (1..5) or "float".  Row entries
    come in random order (the kernels must not rely on sorted rows).
    """
    r = random.Random(seed)
    n = r.randint(1, 14) if n is None else n
    p = r.uniform(0.1, 0.7) if p is None else p
    rows = [dict() for _ in range(n)]
    for u in range(n):
        for v in range(u + 1, n):
            if r.random() < p:
                if weights == "unit":
                    w = 1
                elif weights == "int":
                    w = r.randint(1, 9)
                elif weights == "zero":
                    w = r.randint(0, 3)
                else:
                    w = round(r.uniform(0.1, 5.0), 3)
                rows[u][v] = w
                rows[v][u] = w
    indptr = np.zeros(n + 1, np.int64)
    indices, data = [], []
    for u in range(n):
        items = list(rows[u].items())
        if shuffle_rows:
            r.shuffle(items)
        indices.extend(v for v, _ in items)
        data.extend(w for _, w in items)
        indptr[u + 1] = len(indices)
    wdtype = np.float64 if weights == "float" else np.int64
    if node_weights == "unit":
        nw = np.ones(n, np.int64)
    elif node_weights == "int":
        nw = np.array([r.randint(1, 5) for _ in range(n)], np.int64)
    else:
        nw = np.array([round(r.uniform(0.5, 3.0), 2) for _ in range(n)], np.float64)
    return indptr, np.array(indices, np.int32), np.array(data, wdtype), nw


def state(seed):
    """The kernels' RNG state (uint64[1])."""
    return np.array([seed * 0x9E3779B97F4A7C15 % 2**64 + 1], np.uint64)
