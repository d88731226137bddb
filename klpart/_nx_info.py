"""What NetworkX learns about the klpart backend at ``import networkx``.

:func:`get_info` is the ``networkx.backend_info`` entry point.  NetworkX calls
it while its own import is finishing, so this module imports nothing: no
NumPy, no Numba, no NetworkX, and ``klpart/__init__.py`` is lazy.  The
per-function notes below become the "Backends" section of the NetworkX
docstrings (``help(nx.community.kernighan_lin_bisection)``).
"""

__all__ = ["get_info", "MIN_SIZE", "URL"]

# The project's home page, shown by NetworkX's backend listings (None until
# the project publishes one).
URL = None

# Graph size (nodes + edges) from which klpart beats NetworkX, per function:
# (first call on a graph, conversion to CSR included; with the conversion
# already cached); None: never.  ``should_run`` declines smaller graphs when
# klpart is picked through ``nx.config.backend_priority`` (an explicit
# ``backend="klpart"`` always runs).  Crossovers measured on grid graphs with
# S = half of the nodes by ``python bench/bench_backend.py --parts threshold``
# and rounded up; volume and the node expansions need no conversion in
# NetworkX (their cost follows S, not the graph), and NetworkX's is_partition
# is as fast as klpart's, so those are left to NetworkX unless converted.
MIN_SIZE = {
    "kernighan_lin_bisection": (100, 50),
    "modularity": (300, 100),
    "partition_quality": (2000, 1000),
    "is_partition": (None, None),
    "cut_size": (30000, 300),
    "volume": (None, 5000),
    "normalized_cut_size": (1000, 100),
    "conductance": (1000, 100),
    "edge_expansion": (2000, 300),
    "mixing_expansion": (30000, 300),
    "node_expansion": (None, 5000),
    "boundary_expansion": (None, 1000),
}

_SUMMARY = "Kernighan-Lin bisection, cuts and partition quality, compiled with Numba."

_CONVERSION = (
    "The graph is converted to CSR arrays once per edge weight and the\n"
    "arrays are cached with the graph (NetworkX's converted-graph cache),\n"
    "so later calls with the same weight cost no conversion."
)

_METRIC = (
    "Computed by klpart over CSR arrays; same results and exceptions as\n"
    "NetworkX.  Undirected graphs only: directed graphs and negative, NaN,\n"
    "infinite or non-numeric weights are left to NetworkX.\n" + _CONVERSION
)

_FUNCTIONS = {
    "kernighan_lin_bisection": {
        "additional_docs": (
            "The same Kernighan-Lin passes (single-node moves alternating\n"
            "between the sides, best prefix kept), the same initial split for a\n"
            "given seed and the same block sizes, compiled with Numba: tens to\n"
            "hundreds of times faster on large graphs.  Returns sets of the original\n"
            "nodes.  Ties between equal gains go to the most recently updated\n"
            "node (NetworkX: least recently), which gives lower cuts on meshes;\n"
            "``tie_break='networkx'`` reproduces NetworkX's moves.  Self-loops\n"
            "never change a gain.  Negative, NaN or infinite weights are left to\n"
            "NetworkX.\n" + _CONVERSION
        ),
        "additional_parameters": {
            # NetworkX indents only the first line of a description: the
            # continuation lines carry the docstring's full indentation
            'tie_break : {"lifo", "fifo", "networkx"}, optional': (
                "Among equal gains move the node updated most recently (\"lifo\"),\n"
                "          least recently (\"fifo\"), or replay NetworkX's heap move for\n"
                "          move (\"networkx\").  Default:\n"
                "          ``nx.config.backends.klpart.kl_tie_break``."
            ),
        },
    },
    "modularity": {"additional_docs": _METRIC},
    "partition_quality": {
        "additional_docs": (
            "Coverage and performance counted by klpart over CSR arrays\n"
            "(parallel edges of a multigraph counted in coverage, performance\n"
            "-1.0, as NetworkX).  Directed graphs are left to NetworkX."
        )
    },
    "is_partition": {
        "additional_docs": (
            "Checked by klpart with one lookup per listed node; accepts directed\n"
            "graphs.  No conversion."
        )
    },
    "cut_size": {"additional_docs": _METRIC},
    "volume": {"additional_docs": _METRIC},
    "normalized_cut_size": {"additional_docs": _METRIC},
    "conductance": {"additional_docs": _METRIC},
    "edge_expansion": {"additional_docs": _METRIC},
    "mixing_expansion": {"additional_docs": _METRIC},
    "node_expansion": {
        "additional_docs": (
            "Neighbourhood counted by klpart over CSR arrays (any cached\n"
            "conversion of the graph serves).  Undirected graphs only."
        )
    },
    "boundary_expansion": {
        "additional_docs": (
            "Node boundary counted by klpart over CSR arrays (any cached\n"
            "conversion of the graph serves).  Undirected graphs only."
        )
    },
}


def get_info():
    """Backend metadata for NetworkX's ``networkx.backend_info`` entry point.

    Returns
    -------
    dict
        ``backend_name``, ``project``, ``package``, ``url``,
        ``short_summary``, ``functions`` (per function: ``additional_docs``
        and ``additional_parameters`` for the "Backends" docstring section)
        and ``default_config`` (becomes ``nx.config.backends.klpart``):
        ``kl_tie_break`` (the KL tie-break rule) and ``min_size`` (per
        function, the graph sizes, nodes + edges, from which klpart runs
        when chosen through ``nx.config.backend_priority``: for a first call
        and with the conversion cached; None for never).

    Examples
    --------
    >>> from klpart._nx_info import get_info
    >>> info = get_info()
    >>> info["backend_name"], "kernighan_lin_bisection" in info["functions"]
    ('klpart', True)
    """
    return {
        "backend_name": "klpart",
        "project": "klpart",
        "package": "klpart",
        "url": URL,
        "short_summary": _SUMMARY,
        "functions": {name: dict(info) for name, info in _FUNCTIONS.items()},
        "default_config": {"kl_tie_break": "lifo", "min_size": dict(MIN_SIZE)},
    }
