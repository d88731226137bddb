"""The multilevel partitioner, one module per phase.

* :mod:`.coarsening` - matching or clustering, contraction, stop rules;
* :mod:`.initial` - the initial partition of the coarsest graph;
* :mod:`.refinement` - FM, k-way FM, localized FM, flows;
* :mod:`.components` - graphs in pieces: whole components packed, the rest split;
* :mod:`.balance` - the final balance repair and non-empty blocks;
* :mod:`.anytime` - improving a partition until a time limit;
* :mod:`.constraints` - contiguous blocks, pinned nodes, several balance
  constraints, communication volume, repartitioning;
* :mod:`.cycle` - the driver that strings them together, for any k.

:func:`klpart.partition` is the public entry point; this package is the
layer between it and the Numba kernels of :mod:`klpart._kernels`.
"""

from .cycle import multilevel_partition

__all__ = ["multilevel_partition"]
