"""klpart: fast graph partitioning for NetworkX and SciPy users.

* :func:`kernighan_lin_bisection` - drop-in for NetworkX's, compiled with Numba;
* :func:`partition` - multilevel partitioning into k balanced blocks;
* :class:`CSRGraph` and :mod:`klpart.convert` - the graph every algorithm uses;
* :mod:`klpart.metrics` - partition quality and agreement;
* :mod:`klpart.io` - METIS, edge list, Matrix Market and partition files.

Submodules and public names load on first use (PEP 562), so ``import klpart``
is cheap: ``import networkx`` imports klpart's backend information while
NetworkX itself is only half initialised, and Numba must not load then.
"""

import importlib

__version__ = "0.1.0"

# public name -> submodule that defines it
_LAZY_NAMES = {
    "CSRGraph": "graph",
    "as_csr_graph": "convert",
    "from_networkx": "convert",
    "from_scipy": "convert",
    "from_arrays": "convert",
    "kernighan_lin_bisection": "nx_api",
    "kl_trace": "trace",
    "partition": "partitioning",
    "repartition": "partitioning",
    "warmup": "_startup",
    "PartitionResult": "partitioning",
    "PartitionConfig": "config",
    "delaunay_graph": "datasets",
    "grid_graph": "datasets",
    "read_graph": "io",
    "read_metis": "io",
    "write_metis": "io",
    "read_partition": "io",
    "write_partition": "io",
    "read_edgelist": "io",
    "write_edgelist": "io",
    "read_matrix_market": "io",
    "write_matrix_market": "io",
    "GraphFormatError": "io",
    "vertex_separator": "ordering",
    "nested_dissection": "ordering",
    "partition_mesh": "ordering",
}
# (the function klpart.partition lives in ``partitioning``: a submodule named
# ``partition`` would replace the function in this namespace once imported)
_SUBMODULES = {
    "graph", "convert", "nx_api", "config", "partitioning", "multilevel", "kl", "datasets", "metrics", "io",
    "plot", "trace",
    "backend", "_nx_info", "nx_metrics", "ordering", "compat",
}

__all__ = sorted(_LAZY_NAMES) + ["__version__"]


def __getattr__(name):
    if name in _LAZY_NAMES:
        module = importlib.import_module(f".{_LAZY_NAMES[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'klpart' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)
