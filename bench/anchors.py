"""The partitioners klpart is measured against, behind one interface.

Each tool is a class with ``prepare(graph, path)`` (convert the input once,
outside the timing; ``path`` is a METIS file of the same graph for tools
that can only load files) and ``run(k, imbalance, seed) -> labels``.
``available_tools()`` lists what is installed; a missing optional package is
reported with a note, never a crash.
"""

import os
import sys

import numpy as np


class Tool:
    name = "?"
    requires = None  # importable module name
    needs_file = False  # prepare() reads ``path`` (a METIS file of the graph)
    bisection_only = False  # only k = 2

    def prepare(self, graph, path):
        self.graph = graph
        self.path = path

    def release(self):
        """Drop the prepared input (the worker keeps tools across graphs)."""
        keep = {"name", "preset", "mode"}
        for attr in [a for a in vars(self) if a not in keep]:
            delattr(self, attr)

    def run(self, k, imbalance, seed):
        raise NotImplementedError


class Klpart(Tool):
    def __init__(self, preset="default"):
        self.preset = preset
        self.name = "klpart" if preset == "default" else f"klpart-{preset}"

    def run(self, k, imbalance, seed):
        import klpart

        return klpart.partition(self.graph, k, imbalance=imbalance, preset=self.preset, seed=seed).labels


class Metis(Tool):
    """METIS through pymetis, at its native speed.

    The arrays are prepared once, in ``pymetis.zero_copy_dtype()`` (the
    ``idx_t`` of the METIS build it links): pymetis then passes them to METIS
    without a copy.  Handing it int32 arrays on an int64 build copies the
    whole graph in every call and makes METIS look 2.5-3x slower.  The
    balance bound is the same as everyone's (``ufactor = 1000 * imbalance``)
    and each call gets the cell's seed.
    """

    name = "metis"
    requires = "pymetis"
    warn_on_copies = False  # tests set True to prove that no call copies

    def prepare(self, graph, path):
        import pymetis

        dtype = pymetis.zero_copy_dtype()
        self.xadj = np.ascontiguousarray(graph.indptr, dtype=dtype)
        self.adjncy = np.ascontiguousarray(graph.indices, dtype=dtype)
        unit_edges = graph.edge_weights.dtype.kind == "i" and (graph.edge_weights == 1).all()
        self.eweights = None if unit_edges else np.ascontiguousarray(graph.edge_weights, dtype=dtype)
        unit_nodes = (graph.node_weights == 1).all()
        self.vweights = None if unit_nodes else np.ascontiguousarray(graph.node_weights, dtype=dtype)
        self.adjacency = pymetis.CSRAdjacency(self.xadj, self.adjncy)

    def run(self, k, imbalance, seed):
        import pymetis

        options = pymetis.Options(ufactor=int(round(imbalance * 1000)), seed=seed)
        _, parts = pymetis.part_graph(
            k, self.adjacency, vweights=self.vweights, eweights=self.eweights,
            options=options, warn_on_copies=self.warn_on_copies,
        )
        return np.asarray(parts)


class Kahip(Tool):
    requires = "kahip"
    MODES = {"fast": 0, "eco": 1, "strong": 2}

    def __init__(self, mode):
        self.mode = mode
        self.name = f"kahip-{mode}"

    def prepare(self, graph, path):
        self.xadj = graph.indptr.astype(np.int32).tolist()
        self.adjncy = graph.indices.astype(np.int32).tolist()
        self.adjcwgt = graph.edge_weights.astype(np.int64).tolist()
        self.vwgt = graph.node_weights.astype(np.int64).tolist()

    def run(self, k, imbalance, seed):
        import kahip

        _, parts = kahip.kaffpa(
            self.vwgt, self.xadj, self.adjcwgt, self.adjncy, k, imbalance, True, seed, self.MODES[self.mode]
        )
        return np.asarray(parts)


class Kaminpar(Tool):
    name = "kaminpar"
    requires = "kaminpar"
    needs_file = True

    def prepare(self, graph, path):
        import kaminpar

        self.graph_obj = kaminpar.load_graph(str(path), kaminpar.GraphFileFormat.METIS)
        self.solver = kaminpar.KaMinPar(1, kaminpar.default_context())

    def run(self, k, imbalance, seed):
        import kaminpar

        kaminpar.reseed(seed)
        # KaMinPar prints a banner to stdout from C++; silence it at the fd level
        with quiet_stdout():
            parts = self.solver.compute_partition(self.graph_obj, k, imbalance)
        return np.asarray(parts)


class _Bisection(Tool):
    """A Kernighan-Lin bisection: ``side(seed)`` gives the rows of block 1."""

    bisection_only = True

    def run(self, k, imbalance, seed):
        if k != 2:
            raise ValueError(f"{self.name}: Kernighan-Lin only bisects")
        labels = np.zeros(self.graph.num_nodes, np.int64)
        labels[self.side(seed)] = 1
        return labels

    def side(self, seed):
        raise NotImplementedError


class NetworkxKL(_Bisection):
    name = "networkx"
    requires = "networkx"

    def prepare(self, graph, path):
        super().prepare(graph, path)
        self.G = graph.to_networkx()
        self.index = {u: i for i, u in enumerate(self.G)}

    def side(self, seed):
        import networkx as nx

        A, _ = nx.community.kernighan_lin_bisection(self.G, seed=seed)
        return [self.index[u] for u in A]


class KlpartKL(_Bisection):
    name = "kl"

    def side(self, seed):
        import klpart

        A, _ = klpart.kernighan_lin_bisection(self.graph, seed=seed)
        return list(A)


class quiet_stdout:
    """Context manager sending file descriptor 1 to /dev/null, so output of
    compiled code (which bypasses sys.stdout) is hidden too; bench_scale.py
    uses it around its anchors."""

    def __enter__(self):
        sys.stdout.flush()
        self.saved = os.dup(1)
        self.devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(self.devnull, 1)

    def __exit__(self, *exc):
        os.dup2(self.saved, 1)
        os.close(self.saved)
        os.close(self.devnull)


ALL_TOOLS = {
    "klpart": lambda: Klpart("default"),
    "klpart-fast": lambda: Klpart("fast"),
    "klpart-strong": lambda: Klpart("strong"),
    "kl": KlpartKL,
    "networkx": NetworkxKL,
    "metis": Metis,
    "kahip-fast": lambda: Kahip("fast"),
    "kahip-eco": lambda: Kahip("eco"),
    "kahip-strong": lambda: Kahip("strong"),
    "kaminpar": Kaminpar,
}


def make_tools(names):
    """Instantiate the named tools; returns (tools, notes about skipped ones)."""
    import importlib.util

    tools, notes = [], []
    for name in names:
        if name not in ALL_TOOLS:
            raise SystemExit(f"unknown tool {name!r}; choose from {', '.join(ALL_TOOLS)}")
        tool = ALL_TOOLS[name]()
        if tool.requires and importlib.util.find_spec(tool.requires) is None:
            notes.append(f"{name}: skipped ({tool.requires} is not installed; pip install '.[bench]')")
            continue
        tools.append(tool)
    return tools, notes


def tool_versions(names):
    """``{package: version}`` of klpart and the anchors' packages among ``names``."""
    from importlib.metadata import PackageNotFoundError, version

    packages = {"klpart"} | {ALL_TOOLS[n]().requires for n in names if n in ALL_TOOLS} - {None, "networkx"}
    out = {}
    for package in sorted(packages):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            pass
    return out
