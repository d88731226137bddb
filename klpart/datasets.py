"""Generated benchmark graphs: Delaunay meshes and grids.

These are the graphs klpart's demo, notebooks and benchmarks use when no file
is given: mesh-like, like the finite-element graphs partitioners are judged on.
"""

import numpy as np

__all__ = ["delaunay_graph", "grid_graph"]


def delaunay_graph(n, seed=0, return_positions=False):
    """The Delaunay triangulation of ``n`` random points in the unit square.

    Parameters
    ----------
    n : int
        Number of points (nodes), at least 3.
    seed : int, default 0
        Seed of the point positions (NumPy ``default_rng``).
    return_positions : bool, default False
        Also return the ``(n, 2)`` array of point coordinates.

    Returns
    -------
    CSRGraph or (CSRGraph, ndarray)

    Examples
    --------
    >>> from klpart.datasets import delaunay_graph
    >>> g = delaunay_graph(1000, seed=1)
    >>> g.num_nodes, 2 * g.num_edges / g.num_nodes > 5.5
    (1000, True)
    """
    import scipy.sparse as sp
    from scipy.spatial import Delaunay

    from .graph import CSRGraph

    n = int(n)
    if n < 3:
        raise ValueError(f"a Delaunay graph needs at least 3 points, got n={n}")
    points = np.random.default_rng(seed).random((n, 2))
    tri = Delaunay(points).simplices
    src = np.concatenate([tri[:, 0], tri[:, 1], tri[:, 2]])
    dst = np.concatenate([tri[:, 1], tri[:, 2], tri[:, 0]])
    A = sp.coo_array(
        (np.ones(2 * src.size, np.int64), (np.concatenate([src, dst]), np.concatenate([dst, src]))),
        shape=(n, n),
    ).tocsr()
    A.data[:] = 1  # shared triangle edges were summed
    g = CSRGraph(A.indptr, A.indices, A.data, validate=False)
    return (g, points) if return_positions else g


def grid_graph(rows, cols):
    """The ``rows x cols`` 4-neighbour grid; node ``r * cols + c`` is cell (r, c).

    Examples
    --------
    >>> from klpart.datasets import grid_graph
    >>> g = grid_graph(3, 4)
    >>> g.num_nodes, g.num_edges
    (12, 17)
    """
    import scipy.sparse as sp

    from .graph import CSRGraph

    rows, cols = int(rows), int(cols)
    if rows < 1 or cols < 1:
        raise ValueError(f"grid dimensions must be positive, got {rows} x {cols}")

    def path(k):
        return sp.diags_array([np.ones(k - 1), np.ones(k - 1)], offsets=[-1, 1], shape=(k, k))

    A = sp.kron(sp.eye_array(rows), path(cols)) + sp.kron(path(rows), sp.eye_array(cols))
    A = sp.csr_array(A)
    A.sort_indices()
    return CSRGraph(A.indptr, A.indices, A.data.astype(np.int64), validate=False)
