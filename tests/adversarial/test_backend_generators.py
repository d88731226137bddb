"""Issue 19, I7: communities, partitions and node sets given as one-shot
iterables (generators, iterators, ``map``) or other non-list containers reach
klpart's NetworkX backend exactly as they reach NetworkX 3.6: every call is
made twice, through NetworkX's own code and with ``backend="klpart"``, on the
same inputs built afresh, and must give the same result or raise the same
exception type.

NetworkX's behaviour differs per function and is what is checked, e.g.:

* ``is_partition`` / ``modularity`` read an iterable of blocks once, but take
  ``len`` of every block once the blocks cover all nodes: generator blocks
  raise TypeError there (and give "not a partition" otherwise);
* ``partition_quality`` validates in a decorator that runs before dispatch,
  which exhausts a one-shot iterable, so the function body sees no block:
  KeyError on the first edge, ZeroDivisionError without edges;
* ``kernighan_lin_bisection`` unpacks two sides from any iterable.
"""

import math
import warnings

import networkx as nx
import pytest

pytestmark = pytest.mark.filterwarnings("ignore")

# --------------------------------------------------------------------------
# inputs: the same blocks in many containers, built afresh for each call
# --------------------------------------------------------------------------
OUTER = {
    "list": lambda blocks: [set(b) for b in blocks],
    "tuple": lambda blocks: tuple(set(b) for b in blocks),
    "set": lambda blocks: {frozenset(b) for b in blocks},
    "dict_values": lambda blocks: {i: set(b) for i, b in enumerate(blocks)}.values(),
    "dict_keys": lambda blocks: dict.fromkeys(frozenset(b) for b in blocks).keys(),
    "generator": lambda blocks: (set(b) for b in blocks),
    "iterator": lambda blocks: iter([set(b) for b in blocks]),
    "map": lambda blocks: map(set, blocks),
    "list_of_lists": lambda blocks: [list(b) for b in blocks],
    "list_of_tuples": lambda blocks: [tuple(b) for b in blocks],
    "list_of_dict_keys": lambda blocks: [dict.fromkeys(b).keys() for b in blocks],
    "list_of_generators": lambda blocks: [(x for x in b) for b in blocks],
    "generator_of_generators": lambda blocks: ((x for x in b) for b in blocks),
    "tuple_of_iterators": lambda blocks: tuple(iter(list(b)) for b in blocks),
    "one_generator_block": lambda blocks: [set(b) for b in blocks[:-1]]
    + [(x for x in blocks[-1])],
}

NODE_SETS = {
    "list": list,
    "set": set,
    "tuple": tuple,
    "dict_keys": lambda xs: dict.fromkeys(xs).keys(),
    "generator": lambda xs: (x for x in xs),
    "iterator": lambda xs: iter(list(xs)),
    "map": lambda xs: map(lambda x: x, xs),
}


def _graphs():
    weighted = nx.barbell_graph(4, 1)
    for i, (u, v) in enumerate(weighted.edges()):
        weighted[u][v]["weight"] = 1 + i % 3
    loops = nx.path_graph(5)
    loops.add_edge(2, 2)
    multi = nx.MultiGraph(nx.barbell_graph(3, 0))
    multi.add_edge(0, 1)
    return {
        "barbell": (nx.barbell_graph(3, 0), [[0, 1, 2], [3, 4, 5]]),
        "weighted": (weighted, [[0, 1, 2, 3], [4], [5, 6, 7, 8]]),
        "self_loop": (loops, [[0, 1], [2, 3, 4]]),
        "multigraph": (multi, [[0, 1, 2], [3, 4, 5]]),
        "no_edges": (nx.empty_graph(4), [[0, 1], [2, 3]]),
        "strings": (nx.relabel_nodes(nx.cycle_graph(6), dict(enumerate("abcdef"))),
                    [["a", "b", "c"], ["d", "e", "f"]]),
    }


GRAPHS = _graphs()


def _block_variants(blocks):
    """A valid partition and invalid ones: a node missing, a node twice, a
    non-node, an empty block added."""
    yield "valid", blocks
    yield "missing", [blocks[0][1:]] + blocks[1:]
    yield "twice", blocks[:-1] + [blocks[-1] + [blocks[0][0]]]
    yield "stranger", blocks[:-1] + [blocks[-1] + ["not a node"]]
    yield "empty_block", blocks + [[]]


def _outcome(func, *args, **kwargs):
    """('ok', value) or ('raises', exception type)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "ok", func(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - the type is what is compared
            return "raises", type(err)


def _same(expected, got, what):
    assert expected[0] == got[0], f"{what}: NetworkX {expected}, klpart {got}"
    if expected[0] == "raises":
        # the same type or a subclass of it: the same except clause catches it
        assert issubclass(got[1], expected[1]), (
            f"{what}: NetworkX raises {expected[1]}, klpart {got[1]}"
        )
        return
    a, b = expected[1], got[1]
    if isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b), what
        for x, y in zip(a, b):
            if isinstance(x, (set, frozenset)):
                assert x == y, what
            else:
                assert math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-12), f"{what}: {a} != {b}"
    elif isinstance(a, bool):
        assert a is b, f"{what}: NetworkX {a}, klpart {b}"
    else:
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12), f"{what}: {a} != {b}"


def _compare(func, make_args, what, **kwargs):
    expected = _outcome(func, *make_args(), **kwargs)
    got = _outcome(func, *make_args(), backend="klpart", **kwargs)
    _same(expected, got, what)
    return expected


# --------------------------------------------------------------------------
# communities and partitions
# --------------------------------------------------------------------------
COMMUNITY_FUNCTIONS = {
    "modularity": nx.community.modularity,
    "partition_quality": nx.community.partition_quality,
    "is_partition": nx.community.is_partition,
}


@pytest.mark.parametrize("func", sorted(COMMUNITY_FUNCTIONS))
@pytest.mark.parametrize("graph", sorted(GRAPHS))
def test_communities_in_any_container(func, graph):
    f = COMMUNITY_FUNCTIONS[func]
    G, blocks = GRAPHS[graph]
    outcomes = set()
    for variant, bl in _block_variants(blocks):
        for form, make in OUTER.items():
            if form.startswith("set") or form == "dict_keys":
                if variant == "twice" or variant == "empty_block":
                    continue  # a set of blocks cannot hold these variants as such
            out = _compare(f, lambda: (G, make(bl)), f"{func} {graph} {variant} {form}")
            outcomes.add(out[0] if out[0] == "ok" else out[1].__name__)
    # the comparison covered more than one outcome (answers and failures,
    # or two kinds of failure on a graph without edges)
    assert len(outcomes) > 1, outcomes
    if func == "is_partition" or GRAPHS[graph][0].number_of_edges():
        assert "ok" in outcomes, outcomes


def test_the_networkx_quirks_are_what_is_mirrored():
    """Pin down the NetworkX 3.6 behaviour the comparisons rely on, so a
    change of NetworkX shows here rather than as a silent pass."""
    G, blocks = GRAPHS["barbell"]
    gen = OUTER["generator_of_generators"]
    with pytest.raises(TypeError):
        nx.community.is_partition(G, gen(blocks))
    with pytest.raises(TypeError):
        nx.community.is_partition(G, gen(blocks), backend="klpart")
    # blocks that miss a node: no len() taken, just "no"
    assert nx.community.is_partition(G, gen([[0, 1], [3, 4, 5]])) is False
    assert nx.community.is_partition(G, gen([[0, 1], [3, 4, 5]]), backend="klpart") is False
    # partition_quality: the decorator exhausts the generator
    with pytest.raises(KeyError):
        nx.community.partition_quality(G, OUTER["generator"](blocks))
    with pytest.raises(KeyError):
        nx.community.partition_quality(G, OUTER["generator"](blocks), backend="klpart")
    E = nx.empty_graph(3)
    for backend in (None, "klpart"):
        with pytest.raises(ZeroDivisionError):
            nx.community.partition_quality(E, iter([[0], [1], [2]]), backend=backend)
        # a list is fine up to the division by zero edges
        with pytest.raises(ZeroDivisionError):
            nx.community.partition_quality(E, [[0], [1], [2]], backend=backend)
    # a valid generator of sets is accepted by modularity
    assert nx.community.modularity(G, OUTER["generator"](blocks), backend="klpart") == (
        pytest.approx(nx.community.modularity(G, [set(b) for b in blocks]))
    )


def test_klpart_does_not_consume_sized_blocks_or_mutate_the_list():
    G, blocks = GRAPHS["barbell"]
    comms = [set(b) for b in blocks[:-1]] + [(x for x in blocks[-1])]
    before = list(comms)
    assert nx.community.is_partition(G, comms[:1] + [[3, 4]], backend="klpart") is False
    nx.community.is_partition(G, [[0, 1], (x for x in (3, 4, 5))], backend="klpart")
    assert comms == before and all(isinstance(c, set) for c in comms[:-1])


KL_PARTITIONS = {
    "valid": ([0, 1, 3], [2, 4, 5]),
    "invalid": ([0, 1], [2, 4, 5]),
    "three_sides": ([0, 1], [2, 3], [4, 5]),
    "one_side": ([0, 1, 2, 3, 4, 5],),
    "overlap": ([0, 1, 2, 3], [3, 4, 5]),
}


@pytest.mark.parametrize("partition", sorted(KL_PARTITIONS))
@pytest.mark.parametrize("form", sorted(OUTER))
def test_kernighan_lin_partition_in_any_container(partition, form):
    G = nx.barbell_graph(3, 0)
    sides = [list(s) for s in KL_PARTITIONS[partition]]
    if form in ("set", "dict_keys") and len(set(map(frozenset, sides))) != len(sides):
        return
    make = OUTER[form]
    expected = _outcome(nx.community.kernighan_lin_bisection, G, make(sides), seed=1)
    got = _outcome(
        nx.community.kernighan_lin_bisection,
        G,
        make(sides),
        seed=1,
        backend="klpart",
        tie_break="networkx",
    )
    _same(expected, got, f"kernighan_lin_bisection {partition} {form}")


# --------------------------------------------------------------------------
# node sets S, T of the cut functions
# --------------------------------------------------------------------------
CUT_FUNCTIONS = {
    "cut_size": (nx.cut_size, True),
    "volume": (nx.volume, False),
    "normalized_cut_size": (nx.normalized_cut_size, True),
    "conductance": (nx.conductance, True),
    "edge_expansion": (nx.edge_expansion, True),
    "mixing_expansion": (nx.mixing_expansion, True),
    "node_expansion": (nx.node_expansion, False),
    "boundary_expansion": (nx.boundary_expansion, False),
}


@pytest.mark.parametrize("func", sorted(CUT_FUNCTIONS))
def test_node_sets_in_any_container(func):
    f, takes_t = CUT_FUNCTIONS[func]
    G = GRAPHS["weighted"][0]
    cases = [([0, 1, 2, 3], None), ([0, 1, 2, 3], [4, 5]), ([0, 1, 2, 3], [5, 6, 7, 8])]
    for S, T in cases:
        if T is not None and not takes_t:
            continue
        for form, make in NODE_SETS.items():
            for kwargs in ({}, {"weight": "weight"}) if func not in (
                "node_expansion", "boundary_expansion") else ({},):
                def args(S=S, T=T, make=make):
                    return (G, make(S)) if T is None else (G, make(S), make(T))

                _compare(f, args, f"{func} S={S} T={T} {form} {kwargs}", **kwargs)
