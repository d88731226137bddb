"""The final balancing step of :func:`klpart.partition`.

The multilevel scheme balances greedily, level by level; with a few heavy
nodes (node weights of very different sizes) that can end over the bound
although a balanced assignment exists.  :func:`rebalance` then searches
harder, cheapest first, and keeps the balanced candidate of smallest cut:

1. single moves out of overloaded blocks, best cut change first;
2. pair swaps (a heavy node against a lighter one of another block);
3. bin packing: nodes placed heaviest first, each staying in its block when
   it has room, otherwise going to the block with room it is most connected
   to (and the same without the preference for the current block);
4. for tiny graphs (``n <= EXHAUSTIVE_NODES``) a depth-first search over all
   assignments, which decides feasibility exactly.

A balanced candidate is then polished by single moves that keep balance.
:func:`fill_empty_blocks` gives every empty block a node when ``k <= n``,
and :func:`explain_imbalance` says why an unbalanced result is likely
unavoidable (for the warning).

Examples
--------
>>> import numpy as np
>>> import networkx as nx
>>> from klpart.convert import as_csr_graph
>>> from klpart.multilevel.balance import rebalance
>>> G = nx.empty_graph(4)
>>> G.add_edges_from([(0, 2), (1, 2)])
>>> g = as_csr_graph(G, node_weight=[2, 4, 5, 1])
>>> labels = np.array([0, 1, 0, 1])  # block weights 7 and 5, bound 6
>>> rebalance(g, labels, 2, [6, 6], np.array([1], np.uint64))
True
>>> np.bincount(labels, weights=[2, 4, 5, 1]).tolist()
[6.0, 6.0]
"""

import numpy as np

__all__ = ["rebalance", "fill_empty_blocks", "explain_imbalance", "EXHAUSTIVE_NODES"]

#: Graphs of at most this many nodes get an exhaustive search.
EXHAUSTIVE_NODES = 16
_EXHAUSTIVE_STEPS = 2_000_000
_MAX_SWAP_PAIRS = 2_000_000
_POLISH_PASSES = 4


def _bounds_array(graph, bounds):
    if graph.node_weights.dtype.kind == "i":
        return np.asarray([int(b) for b in bounds], np.int64)
    return np.asarray(bounds, np.float64)


def _cut(graph, labels):
    from .._kernels.kway import kway_cut

    return kway_cut(graph.indptr, graph.indices, graph.edge_weights, labels)


def _balanced(graph, labels, k, bounds):
    from .._kernels.balance import block_weights

    return bool((block_weights(labels, graph.node_weights, k) <= bounds).all())


def rebalance(graph, labels, k, max_block_weights, state):
    """Bring every block within its bound when the search finds a way.

    Parameters
    ----------
    graph : CSRGraph
    labels : ndarray of int64
        Block of every node; modified in place (left as it is when already
        balanced).
    k : int
    max_block_weights : sequence of numbers
        Bound of each block.
    state : ndarray of uint64, shape (1,)
        The kernels' RNG state (unused so far; kept for randomised searches).

    Returns
    -------
    bool
        True when every block is within its bound on return.
    """
    from .._kernels import balance as kb

    bounds = _bounds_array(graph, max_block_weights)
    if _balanced(graph, labels, k, bounds):
        return True
    args = (graph.indptr, graph.indices, graph.edge_weights, graph.node_weights)
    n = graph.num_nodes
    candidates = []

    trial = labels.copy()
    if kb.greedy_moves(*args, trial, k, bounds) or kb.pair_swaps(
        *args, trial, k, bounds, _MAX_SWAP_PAIRS
    ):
        candidates.append(trial)
    fallback = trial  # never more overloaded than the input

    if not candidates:
        order = np.argsort(-graph.node_weights, kind="stable").astype(np.int64)
        for keep in (True, False):
            out = np.empty(n, np.int64)
            if kb.repack(*args, labels, k, bounds, order, keep, out):
                candidates.append(out)
    if not candidates and n <= EXHAUSTIVE_NODES:
        order = np.argsort(-graph.node_weights, kind="stable").astype(np.int64)
        out = np.empty(n, np.int64)
        if kb.exhaustive(graph.node_weights, labels, k, bounds, order, _EXHAUSTIVE_STEPS, out) == 1:
            candidates.append(out)
    if not candidates:
        labels[:] = fallback
        return False
    best, best_cut = None, None
    for cand in candidates:
        kb.improve(*args, cand, k, bounds, _POLISH_PASSES)
        cut = _cut(graph, cand)
        if best is None or cut < best_cut:
            best, best_cut = cand, cut
    labels[:] = best
    return True


def fill_empty_blocks(graph, labels, k, max_block_weights):
    """Give every empty block one node when ``k <= n``.

    The node moved is the one whose move raises the cut least, taken from a
    block of at least two nodes, and it must fit the empty block's bound (so
    balance never breaks).  A block whose bound is below every movable
    node's weight (target weight 0, say) stays empty.

    Parameters
    ----------
    graph : CSRGraph
    labels : ndarray of int64
        Modified in place.
    k : int
    max_block_weights : sequence of numbers

    Returns
    -------
    int
        The number of blocks still empty.

    Examples
    --------
    A 2 x 2 grid in two blocks, asked for three:

    >>> import numpy as np
    >>> import klpart
    >>> from klpart.multilevel.balance import fill_empty_blocks
    >>> g = klpart.grid_graph(2, 2)
    >>> labels = np.array([0, 0, 1, 1])
    >>> fill_empty_blocks(g, labels, 3, [2, 2, 2]), sorted(np.bincount(labels).tolist())
    (0, [1, 1, 2])
    """
    from .._kernels.balance import fill_empty

    n = graph.num_nodes
    if k > n or n == 0:
        return int(k - len(np.unique(labels)))
    bounds = _bounds_array(graph, max_block_weights)
    # a fixed tie-break stream: the result depends on the labels only
    state = np.array([0x5EED], np.uint64)
    return int(
        fill_empty(graph.indptr, graph.indices, graph.edge_weights, graph.node_weights, labels, k,
                   bounds, state)
    )


def explain_imbalance(graph, k, max_block_weights):
    """Why a balanced partition is likely impossible, as a phrase for the
    warning of :func:`klpart.partition`.

    Checks, in order: the total against the sum of the bounds; the heaviest
    node against the smallest bound; a packing bound (at most ``j`` nodes
    heavier than ``bound / (j + 1)`` fit in one block); for tiny graphs an
    exhaustive search.
    """
    from .._kernels.balance import exhaustive

    w = graph.node_weights
    n = graph.num_nodes
    bounds = _bounds_array(graph, max_block_weights)
    total = w.sum().item()
    room = bounds.sum().item()
    if total > room:
        return f"the total node weight {total} exceeds the sum of the block bounds {room}"
    if n == 0:
        return "the graph is empty"
    heavy = np.sort(w)[::-1]
    top = bounds.max().item()
    if heavy[0].item() > bounds.min().item():
        fit = int((bounds >= heavy[0]).sum())
        return (
            f"the heaviest node weighs {heavy[0].item()}, more than the bound of "
            f"{k - fit} of the {k} blocks"
        )
    for j in range(1, min(n, 64)):
        # more than j * k nodes heavier than top / (j + 1): some block gets j + 1 of them
        count = int((w * (j + 1) > top).sum())
        if count > j * k:
            return (
                f"a packing bound: {count} nodes weigh more than 1/{j + 1} of the largest "
                f"block bound {top}, but {k} blocks hold at most {j * k} of them"
            )
    if n <= EXHAUSTIVE_NODES:
        order = np.argsort(-w, kind="stable").astype(np.int64)
        out = np.empty(n, np.int64)
        found = exhaustive(w, np.zeros(n, np.int64), k, bounds, order, _EXHAUSTIVE_STEPS, out)
        if found == 0:
            return "an exhaustive search over all assignments found no balanced one"
    return (
        f"the node weights (heaviest {heavy[0].item()}, bound {top}) leave little room and the "
        "search found no balanced assignment"
    )
