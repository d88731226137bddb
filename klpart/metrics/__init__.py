"""Partition quality and agreement metrics, computed over CSR arrays.

Quality of one partition of a graph:

* :func:`report` computes everything below in one pass of a Numba kernel and
  returns a :class:`PartitionReport` (``print`` it for a table);
* each metric also has its own function: :func:`cut`, :func:`block_weights`,
  :func:`imbalance`, :func:`modularity`, :func:`kl_quality`,
  :func:`coverage`, :func:`performance`, :func:`conductance`,
  :func:`normalized_cut`, :func:`expansion`, :func:`boundary_nodes`,
  :func:`communication_volume`, :func:`components_per_block`.

Agreement of two labelings of the same items (from their contingency table):
:func:`entropy`, :func:`mutual_information`, :func:`nmi`,
:func:`variation_of_information`, :func:`adjusted_rand_index`.

Inputs
------
``G`` is anything :func:`klpart.as_csr_graph` accepts (NetworkX graph or
multigraph, scipy sparse matrix or array, dense array, CSR tuple, or a
:class:`~klpart.CSRGraph`, which is used without reconversion).  Directed
NetworkX graphs raise ``nx.NetworkXNotImplemented``.

``weight`` follows :func:`klpart.as_csr_graph`: an edge attribute name
(missing -> 1) or callable for NetworkX graphs; for matrices and CSRGraphs any
non-None value means "the stored values".  ``weight=None`` means unit weights
for every input type.  Each function takes the default of the NetworkX
function it corresponds to: ``"weight"`` for :func:`modularity` (as
``nx.community.modularity``), None for the cut-based metrics (as
``nx.cut_size``, ``nx.conductance``...).  :func:`report` uses ``"weight"``.

``partition`` is one of

* a list (or other iterable) of node collections, one per block, as NetworkX
  takes them; block ``i`` is the ``i``-th collection, empty blocks allowed;
* a dict ``node -> block``: non-negative integer values are block indices,
  any other hashable values are block names, numbered in sorted order (or
  order of first appearance when they cannot be sorted) and kept in
  :attr:`PartitionReport.block_labels`;
* an array or list of non-negative integer labels in node order (the order of
  ``list(G)`` or of the matrix rows).

A collection or dict that is not a partition of the nodes raises
:class:`NotAPartition` (a ``networkx.NetworkXError``); a malformed label array
raises ``ValueError``.  The number of blocks ``k`` is the number of
collections, or the largest label + 1; pass ``k=`` to count trailing empty
blocks.

Conventions
-----------
Self-loops are treated as NetworkX treats them: they never count in a cut;
they count once as internal weight (modularity, coverage, kl_quality) and
twice in a node's degree, hence in a block's volume (modularity, conductance,
normalized cut).  Multigraph parallel edges are summed (with ``weight=None``
each parallel edge counts 1).  Results are Python ``int`` (integral weights)
or ``float``, never NumPy scalars.  Where a metric is undefined (no edges,
zero volume, fewer than two nodes) it is ``nan``, where NetworkX raises
``ZeroDivisionError``; the NetworkX-signature functions of
:mod:`klpart.nx_metrics` raise as NetworkX does.

Building blocks
---------------
For code that computes its own metrics (as :mod:`klpart.nx_metrics` does to
reproduce NetworkX's arithmetic), ``klpart.metrics`` also exports, outside
``__all__``: :func:`rows_from_blocks`, :func:`lookup` and :func:`node_index`
(node collections to block labels, with :class:`NotAPartition` errors),
:func:`partition_sums` (every per-block sum in one kernel pass),
:func:`internal_weights_of`, :func:`volumes_of` and :func:`modularity_sum`,
and the docstring helpers :func:`doc_fragments` and :func:`parameters`.

The code is split by topic: partition input in ``klpart.metrics._input``,
block sums and the formulas built on them in ``klpart.metrics._sums``,
:func:`report` in ``klpart.metrics.reporting``, the single metrics in
``klpart.metrics.quality`` and
agreement in ``klpart.metrics.agreement``; docstring text several functions
share is written once in ``klpart.metrics._doc``.  Import every name from
``klpart.metrics`` itself.
"""

# Public building blocks, documented but not in __all__: klpart.nx_metrics
# builds NetworkX's semantics on them (and so may other code).
from ._doc import doc_fragments, parameters  # noqa: F401
from ._input import NotAPartition, lookup, node_index, rows_from_blocks  # noqa: F401
from ._sums import internal_weights_of, modularity_sum, partition_sums, volumes_of  # noqa: F401
from .agreement import (  # noqa: F401
    adjusted_rand_index,
    entropy,
    mutual_information,
    nmi,
    variation_of_information,
)
from .quality import (  # noqa: F401
    block_weights,
    boundary_nodes,
    communication_volume,
    components_per_block,
    conductance,
    coverage,
    cut,
    expansion,
    imbalance,
    kl_quality,
    modularity,
    normalized_cut,
    partition_labels,
    performance,
)
from . import agreement, quality
from .fill import fill
from .reporting import PartitionReport, report

__all__ = [
    "NotAPartition",
    "PartitionReport",
    "report",
    *quality.__all__,
    *agreement.__all__,
    "fill",
]
