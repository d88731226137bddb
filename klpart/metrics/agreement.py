"""Agreement of two labelings of the same items, from their contingency
table: :func:`entropy`, :func:`mutual_information`, :func:`nmi`,
:func:`variation_of_information` and :func:`adjusted_rand_index`."""

import math
import numbers

import numpy as np

from ._doc import doc_fragments, parameters
from ._input import encode_hashables

__all__ = [
    "entropy",
    "mutual_information",
    "nmi",
    "variation_of_information",
    "adjusted_rand_index",
]

# the parameters of the two-labeling functions, documented once
_TWO_LABELINGS = """\
labels_a, labels_b : array_like
    Labelings of equal, non-zero length: integers or any hashables."""
_BASE = """\
base : float, optional
    Logarithm base (default e)."""

_doc = doc_fragments(
    two_labelings=_TWO_LABELINGS,
    parameters_with_base=parameters(_TWO_LABELINGS, _BASE),
)


def _encode_labels(labels, name):
    """``(codes, k)``: int64 codes in [0, k) of any sequence of hashables.

    Non-negative integer labels are used as they are when not too sparse
    (zero rows of the contingency table cost nothing); anything else goes
    through ``np.unique`` or, for values NumPy cannot order, a dict.
    A :class:`~klpart.PartitionResult` stands for its ``labels``.
    """
    from ._input import is_partition_result

    if is_partition_result(labels):
        labels = labels.labels
    if isinstance(labels, np.ndarray):
        arr = labels
        if arr.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    else:
        labels = list(labels)
        try:
            arr = np.asarray(labels)
        except (ValueError, TypeError):  # ragged nested sequences
            arr = None
        # only trust NumPy's conversion for numbers: it would turn
        # [1, "1"] into two equal strings and tuples into a 2-d array
        if arr is None or arr.ndim != 1 or arr.dtype.kind not in "biuf":
            codes, distinct = encode_hashables(labels)
            return codes, len(distinct)
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty")
    kind = arr.dtype.kind
    if kind in "biu":
        arr = arr.astype(np.int64, copy=False) if kind != "u" or arr.max() < 2**63 else arr
        if arr.dtype == np.int64:
            lo, hi = int(arr.min()), int(arr.max())
            if lo >= 0 and hi < 2 * arr.shape[0] + 1024:
                return arr, hi + 1
    if kind == "O":
        codes, distinct = encode_hashables(arr.tolist())
        return codes, len(distinct)
    uniques, codes = np.unique(arr, return_inverse=True)
    return codes.astype(np.int64, copy=False).reshape(-1), uniques.shape[0]


def _table(labels_a, labels_b):
    """Contingency sums of two labelings (see ``agreement_sums``)."""
    from .._kernels.metrics import agreement_sums, contingency

    a, ka = _encode_labels(labels_a, "labels_a")
    b, kb = _encode_labels(labels_b, "labels_b")
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"the labelings have different lengths: {a.shape[0]} and {b.shape[0]}"
        )
    N = a.shape[0]
    # a dense table is faster than sorting while it stays about as small as
    # the input
    dense = ka * kb <= 4 * N + 4096
    rows, cols, counts, row_sums, col_sums = contingency(a, b, ka, kb, dense)
    h_a, h_b, mi, pairs, pairs_a, pairs_b = agreement_sums(
        rows, cols, counts, row_sums, col_sums, N
    )
    n_a = int(np.count_nonzero(row_sums))
    n_b = int(np.count_nonzero(col_sums))
    return N, h_a, h_b, max(mi, 0.0), pairs, pairs_a, pairs_b, n_a, n_b


def _log_base(base):
    if base is None:
        return 1.0
    if not (isinstance(base, numbers.Real) and base > 0 and base != 1 and math.isfinite(base)):
        raise ValueError(f"base must be a positive number other than 1, got {base!r}")
    return math.log(base)


def entropy(labels, base=None):
    """Shannon entropy of a labeling: ``-sum p_i log p_i`` over its classes.

    Parameters
    ----------
    labels : array_like
        Integer labels or any hashable values.
    base : float, optional
        Logarithm base (default e: nats; 2 gives bits).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For an empty labeling or a bad base.

    Examples
    --------
    >>> from klpart import metrics
    >>> metrics.entropy(["x", "y", "x", "y"], base=2)
    1.0
    """
    scale = _log_base(base)
    _, h, _, _, _, _, _, _, _ = _table(labels, labels)
    return float(max(h, 0.0) / scale)


@_doc
def mutual_information(labels_a, labels_b, base=None):
    """Mutual information of two labelings of the same items.

    ``I(A; B) = sum_ij p_ij log(p_ij / (p_i q_j))`` over the contingency
    table: the Kullback-Leibler divergence of the joint label distribution
    from the product of its marginals.

    {parameters_with_base}

    Returns
    -------
    float
        Non-negative (rounding below 0 is clipped).

    Raises
    ------
    ValueError
        For empty labelings, different lengths or a bad base.

    Examples
    --------
    >>> from klpart import metrics
    >>> metrics.mutual_information([0, 0, 1, 1], [1, 1, 0, 0], base=2)
    1.0
    >>> metrics.mutual_information([0, 0, 1, 1], [0, 1, 0, 1])
    0.0
    """
    scale = _log_base(base)
    _, _, _, mi, *_ = _table(labels_a, labels_b)
    return float(mi / scale)


_AVERAGES = ("arithmetic", "geometric", "min", "max")


@_doc
def nmi(labels_a, labels_b, average="arithmetic"):
    """Normalised mutual information of two labelings, in [0, 1].

    ``I(A; B) / mean(H(A), H(B))`` with the mean chosen by ``average``.  As
    in scikit-learn, two constant labelings have NMI 1, and NMI is 0 whenever
    the mutual information is 0.

    Parameters
    ----------
    {two_labelings}
    average : {"arithmetic", "geometric", "min", "max"}
        Normaliser: ``(H_a + H_b) / 2``, ``sqrt(H_a H_b)``, ``min`` or ``max``.

    Returns
    -------
    float
        Rounding outside [0, 1] is clipped.

    Raises
    ------
    ValueError
        For empty labelings, different lengths or an unknown ``average``.

    References
    ----------
    .. [1] N. X. Vinh, J. Epps and J. Bailey, "Information theoretic measures
       for clusterings comparison", JMLR 11 (2010) 2837-2854.

    Examples
    --------
    >>> from klpart import metrics
    >>> metrics.nmi([0, 0, 1, 1], ["b", "b", "a", "a"])
    1.0
    >>> round(metrics.nmi([0, 0, 1, 1], [0, 0, 0, 1]), 6)
    0.343711
    """
    if average not in _AVERAGES:
        choices = ", ".join(map(repr, _AVERAGES))
        raise ValueError(f"average must be one of {choices}, got {average!r}")
    _, h_a, h_b, mi, _, _, _, n_a, n_b = _table(labels_a, labels_b)
    if n_a == n_b == 1:
        return 1.0
    if mi <= np.finfo(np.float64).eps:
        return 0.0
    if average == "arithmetic":
        norm = (h_a + h_b) / 2
    elif average == "geometric":
        norm = math.sqrt(h_a * h_b)
    elif average == "min":
        norm = min(h_a, h_b)
    else:
        norm = max(h_a, h_b)
    return float(min(max(mi / norm, 0.0), 1.0))


@_doc
def variation_of_information(labels_a, labels_b, base=None):
    """Variation of information ``H(A) + H(B) - 2 I(A; B)``, a metric on
    partitions (0 exactly for equal partitions up to relabelling).

    {parameters_with_base}

    Returns
    -------
    float
        Non-negative (rounding below 0 is clipped).

    References
    ----------
    .. [1] M. Meila, "Comparing clusterings - an information based
       distance", J. Multivariate Analysis 98 (2007) 873-895.

    Examples
    --------
    >>> from klpart import metrics
    >>> metrics.variation_of_information([0, 0, 1, 1], [5, 5, 3, 3])
    0.0
    >>> metrics.variation_of_information([0, 0, 1, 1], [0, 1, 0, 1], base=2)
    2.0
    """
    scale = _log_base(base)
    _, h_a, h_b, mi, *_ = _table(labels_a, labels_b)
    return float(max(h_a + h_b - 2 * mi, 0.0) / scale)


@_doc
def adjusted_rand_index(labels_a, labels_b):
    """Adjusted Rand index of two labelings (Hubert and Arabie).

    The Rand index (fraction of item pairs on which the labelings agree)
    corrected for chance: 1 for equal partitions, about 0 for independent
    ones, possibly negative.  Computed in exact integer arithmetic from the
    pair counts of the contingency table.

    Parameters
    ----------
    {two_labelings}

    Returns
    -------
    float
        1.0 when the index is 0/0 (both labelings constant, or both all
        singletons: they agree on every pair).

    References
    ----------
    .. [1] L. Hubert and P. Arabie, "Comparing partitions", J. Classification
       2 (1985) 193-218.

    Examples
    --------
    >>> from klpart import metrics
    >>> metrics.adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    >>> metrics.adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1])
    -0.5
    """
    N, _, _, _, pairs, pairs_a, pairs_b, _, _ = _table(labels_a, labels_b)
    total = N * (N - 1) // 2
    # ARI = (pairs - E) / (mean(pairs_a, pairs_b) - E), E = pairs_a pairs_b / total,
    # multiplied through by 2 * total to stay in integers until the end
    num = 2 * (total * pairs - pairs_a * pairs_b)
    den = total * (pairs_a + pairs_b) - 2 * pairs_a * pairs_b
    if den == 0:
        return 1.0
    return num / den
