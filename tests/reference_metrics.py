"""Slow, obviously-correct references for klpart.metrics.

Nothing here imports klpart.  Agreement metrics are written out from the
contingency table (or from all item pairs) with Python numbers; the graph
references loop over NetworkX adjacency dicts.
"""

import math
from collections import Counter
from fractions import Fraction
from itertools import combinations


# --------------------------------------------------------------------------
# Agreement of two labelings
# --------------------------------------------------------------------------
def contingency_table(a, b):
    """(cells, rows, cols): Counters of label pairs, labels of a, labels of b."""
    assert len(a) == len(b)
    return Counter(zip(a, b)), Counter(a), Counter(b)


def entropy_ref(a):
    N = len(a)
    return -sum(c / N * math.log(c / N) for c in Counter(a).values())


def mutual_information_ref(a, b):
    """sum_ij p_ij log(p_ij / (p_i q_j)) over the non-zero cells."""
    N = len(a)
    cells, rows, cols = contingency_table(a, b)
    return sum(
        (c / N) * math.log((c / N) / ((rows[x] / N) * (cols[y] / N)))
        for (x, y), c in cells.items()
    )


def nmi_ref(a, b, average="arithmetic"):
    """NMI with scikit-learn's conventions: both constant -> 1, MI = 0 -> 0."""
    if len(set(a)) == 1 and len(set(b)) == 1:
        return 1.0
    mi = mutual_information_ref(a, b)
    if abs(mi) < 1e-15:
        return 0.0
    ha, hb = entropy_ref(a), entropy_ref(b)
    norm = {
        "arithmetic": (ha + hb) / 2,
        "geometric": math.sqrt(ha * hb),
        "min": min(ha, hb),
        "max": max(ha, hb),
    }[average]
    return mi / norm


def variation_of_information_ref(a, b):
    return entropy_ref(a) + entropy_ref(b) - 2 * mutual_information_ref(a, b)


def adjusted_rand_index_ref(a, b):
    """Hubert-Arabie ARI from the contingency table, in exact fractions."""
    N = len(a)
    cells, rows, cols = contingency_table(a, b)
    index = sum(math.comb(c, 2) for c in cells.values())
    sum_a = sum(math.comb(c, 2) for c in rows.values())
    sum_b = sum(math.comb(c, 2) for c in cols.values())
    if N < 2:  # no pairs to disagree on
        return 1.0
    expected = Fraction(sum_a * sum_b, math.comb(N, 2))
    maximum = Fraction(sum_a + sum_b, 2)
    if maximum == expected:
        return 1.0
    return float((index - expected) / (maximum - expected))


def adjusted_rand_index_pairs(a, b):
    """ARI from the 2x2 pair-confusion counts over all item pairs (O(N^2))."""
    tp = fp = fn = tn = 0
    for i, j in combinations(range(len(a)), 2):
        same_a, same_b = a[i] == a[j], b[i] == b[j]
        if same_a and same_b:
            tp += 1
        elif same_b:
            fp += 1
        elif same_a:
            fn += 1
        else:
            tn += 1
    if fn == 0 and fp == 0:
        return 1.0
    return 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


# --------------------------------------------------------------------------
# Graph quantities by brute force
# --------------------------------------------------------------------------
def block_of(partition):
    """{node: block index} of a list of node sets."""
    return {u: i for i, block in enumerate(partition) for u in block}


def boundary_nodes_ref(G, partition):
    side = block_of(partition)
    return sum(1 for u in G if any(side[v] != side[u] for v in G[u]))


def communication_volume_ref(G, partition):
    """(total, per block): distinct other blocks among each node's neighbours."""
    side = block_of(partition)
    per_block = [0] * len(partition)
    for u in G:
        per_block[side[u]] += len({side[v] for v in G[u]} - {side[u]})
    return sum(per_block), per_block
