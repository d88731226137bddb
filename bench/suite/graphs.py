"""Graph sources of the benchmark: METIS files and generated families.

A :class:`GraphSpec` names one graph and knows how to load it, so that it can
be sent to a worker process (or a Dask worker on another machine) instead of
the graph itself.  Generated graphs are cached as ``.npz`` files (CSR
``indptr`` and ``indices``; all weights are 1) in a cache directory, written
atomically, so reruns and concurrent processes load them instead of
generating them again; a worker whose cache lacks one generates it.

>>> [s.name for s in parse_generated(["delaunay:2^4,100", "grid:3x4"], cache="/tmp")]
['delaunay-2^4', 'delaunay-100', 'grid-3x4']
>>> parse_size("2^20"), parse_size("1e3"), parse_size("300x200")
(1048576, 1000, (300, 200))
"""

import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FAMILIES = ("delaunay", "grid", "rgg")
DEFAULT_CACHE = Path(os.environ.get("KLPART_BENCH_CACHE", Path(tempfile.gettempdir()) / "klpart-bench-graphs"))
RGG_DEGREE = 8.0  # expected average degree of the random geometric graphs


@dataclass(frozen=True)
class GraphSpec:
    """One benchmark graph.  ``path`` for a METIS file; ``family`` + ``size``
    (``(n,)`` or ``(rows, cols)``) + ``cache`` for a generated one."""

    name: str
    family: str
    path: str | None = None
    size: tuple = ()
    cache: str | None = None

    @property
    def generated(self):
        return self.path is None

    def header(self):
        """``(n, m)`` without loading the whole graph."""
        if not self.generated:
            return metis_header(self.path)
        npz = self.npz_file()
        with np.load(npz) as data:
            indptr = data["indptr"]
        return int(indptr.shape[0] - 1), int(indptr[-1]) // 2

    def npz_file(self):
        """The cached CSR arrays (generated on first use)."""
        path = Path(self.cache) / f"{self.stem}.npz"
        if not path.exists():
            g = generate(self.family, self.size)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
            np.savez(tmp, indptr=g.indptr, indices=g.indices)
            os.replace(tmp, path)
        return path

    @property
    def stem(self):
        return f"{self.family}-{'x'.join(map(str, self.size))}-seed0"

    def load(self):
        """The graph as a :class:`klpart.CSRGraph`."""
        from klpart import CSRGraph, read_metis

        if not self.generated:
            return read_metis(self.path)
        with np.load(self.npz_file()) as data:
            return CSRGraph(data["indptr"], data["indices"], validate=False)

    def metis_file(self, graph=None):
        """A METIS file of this graph, for tools that only read files
        (written next to the cache on first use)."""
        if not self.generated:
            return self.path
        path = Path(self.cache) / f"{self.stem}.graph"
        if not path.exists():
            from klpart import write_metis

            tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.graph")
            write_metis(graph if graph is not None else self.load(), tmp)
            os.replace(tmp, path)
        return str(path)


def metis_header(path):
    """``(n, m)`` from the header line of a METIS file."""
    with open(path) as f:
        for line in f:
            s = line.strip()
            if s and not s.startswith("%"):
                n, m = s.split()[:2]
                return int(n), int(m)
    raise ValueError(f"{path}: no METIS header")


def parse_size(text):
    """``"2^12"``, ``"2**12"``, ``"4096"``, ``"1e5"`` -> int; ``"RxC"`` -> (R, C)."""
    text = text.strip().lower()
    if "x" in text:
        rows, cols = text.split("x")
        return parse_size(rows), parse_size(cols)
    for op in ("**", "^"):
        if op in text:
            base, exp = text.split(op)
            return int(base) ** int(exp)
    value = float(text)
    if value != int(value) or value < 1:
        raise ValueError(f"not a positive whole size: {text!r}")
    return int(value)


def _size_label(n):
    return f"2^{n.bit_length() - 1}" if n > 1 and n & (n - 1) == 0 else str(n)


def parse_generated(specs, cache=DEFAULT_CACHE):
    """GraphSpecs from ``FAMILY:SIZE,SIZE,...`` strings (see ``--generated``)."""
    out = []
    for spec in specs:
        family, _, sizes = spec.partition(":")
        family = family.strip().lower()
        if family not in FAMILIES or not sizes:
            raise ValueError(f"--generated wants FAMILY:SIZES with FAMILY in {', '.join(FAMILIES)}, got {spec!r}")
        for text in sizes.split(","):
            try:
                size = parse_size(text)
            except ValueError:
                raise ValueError(f"bad size {text!r} in {spec!r}") from None
            if family == "grid":
                if not isinstance(size, tuple):
                    raise ValueError(f"grid sizes are ROWSxCOLS, got {text!r}")
                out.append(GraphSpec(f"grid-{size[0]}x{size[1]}", "grid", size=size, cache=str(cache)))
            else:
                if isinstance(size, tuple):
                    raise ValueError(f"{family} sizes are node counts, got {text!r}")
                out.append(GraphSpec(f"{family}-{_size_label(size)}", family, size=(size,), cache=str(cache)))
    return out


def parse_files(specs, walshaw_dir):
    """GraphSpecs for METIS files, folders of ``*.graph`` files, or names of
    graphs in ``walshaw_dir``; the family is the file's folder name."""
    out = []
    for spec in specs:
        p = Path(spec)
        if p.is_dir():
            files = sorted(p.glob("*.graph"))
            if not files:
                raise ValueError(f"no *.graph files in {spec}")
        elif p.is_file():
            files = [p]
        elif (Path(walshaw_dir) / f"{spec}.graph").is_file():
            files = [Path(walshaw_dir) / f"{spec}.graph"]
        else:
            raise ValueError(f"no graph file or folder {spec!r}")
        out.extend(GraphSpec(f.stem, f.resolve().parent.name, path=str(f.resolve())) for f in files)
    return out


def generate(family, size):
    """A generated graph (``klpart.CSRGraph``, unit weights, point seed 0)."""
    from klpart.datasets import delaunay_graph, grid_graph

    if family == "delaunay":
        return delaunay_graph(size[0], seed=0)
    if family == "grid":
        return grid_graph(*size)
    if family == "rgg":
        return random_geometric_graph(size[0], seed=0)
    raise ValueError(f"unknown family {family!r}")


def random_geometric_graph(n, seed=0, degree=RGG_DEGREE):
    """``n`` uniform points in the unit square joined when closer than the
    radius that gives an expected average degree ``degree`` (boundary aside).

    >>> g = random_geometric_graph(4000, seed=1)
    >>> g.num_nodes, 7 < 2 * g.num_edges / g.num_nodes < 8
    (4000, True)
    """
    import scipy.sparse as sp
    from scipy.spatial import cKDTree

    from klpart import CSRGraph

    points = np.random.default_rng(seed).random((n, 2))
    radius = math.sqrt(degree / (math.pi * n))
    pairs = cKDTree(points).query_pairs(radius, output_type="ndarray")
    src, dst = pairs[:, 0], pairs[:, 1]
    A = sp.coo_array(
        (np.ones(2 * len(src), np.int64), (np.concatenate([src, dst]), np.concatenate([dst, src]))), shape=(n, n)
    ).tocsr()
    A.sort_indices()
    return CSRGraph(A.indptr, A.indices, A.data, validate=False)
