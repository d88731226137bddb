"""Shared by the adversarial tests and ``run_large.py``: random node-weighted
instances with an exhaustive feasibility oracle, file fuzzers, independent
pure-Python parsers, and a subprocess runner so that a crash of the parser
under test (a segfault) is a reported failure, not the end of the run."""

import json
import os
import random
import subprocess
import sys

# --------------------------------------------------------------------------
# balance: random instances and an exhaustive oracle
# --------------------------------------------------------------------------


def random_instance(rng):
    """``(n, edges, node_weights, k, imbalance)`` with n <= 9."""
    n = rng.randint(2, 9)
    p = rng.choice((0.2, 0.4, 0.7))
    edges = [(u, v) for u in range(n) for v in range(u + 1, n) if rng.random() < p]
    style = rng.random()
    if style < 0.4:
        weights = [rng.randint(1, 10) for _ in range(n)]
    elif style < 0.7:  # a few heavy nodes among light ones
        weights = [rng.choice((1, 1, 2, rng.randint(5, 20))) for _ in range(n)]
    else:
        weights = [rng.randint(1, 100) for _ in range(n)]
    k = rng.randint(2, min(4, n))
    imbalance = rng.choice((0.0, 0.03, 0.1, 0.3, 1.0))
    return n, edges, weights, k, imbalance


def balanced_assignment_exists(weights, bounds):
    """Exhaustive search (heaviest first, with pruning): can the weights be
    put into len(bounds) blocks, block i weighing at most bounds[i]?"""
    order = sorted(weights, reverse=True)
    loads = [0] * len(bounds)

    def place(i):
        if i == len(order):
            return True
        seen = set()
        for b in range(len(bounds)):
            key = (loads[b], bounds[b])
            if key in seen:  # an identical block was already tried
                continue
            seen.add(key)
            if loads[b] + order[i] <= bounds[b]:
                loads[b] += order[i]
                if place(i + 1):
                    return True
                loads[b] -= order[i]
        return False

    return place(0)


def check_instance(inst, seed=0):
    """None when klpart's answer is right for this instance, else a
    description of what went wrong."""
    import warnings

    import networkx as nx

    import klpart

    n, edges, weights, k, imbalance = inst
    G = nx.empty_graph(n)
    G.add_edges_from(edges)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = klpart.partition(G, k, imbalance=imbalance, node_weight=weights, seed=seed)
    except ValueError as exc:
        if "more than any block may weigh" in str(exc):
            return None  # a node heavier than every bound: infeasible, and said so
        return f"{inst}: ValueError {exc}"
    bounds = res.max_block_weights
    sizes = [0] * k
    for b in res.labels.tolist():
        sizes[b] += 1
    if not res.balanced and balanced_assignment_exists(weights, bounds):
        return f"{inst}: unbalanced {res.block_weights} vs {bounds}, a balanced one exists"
    if res.balanced and min(sizes) == 0:
        return f"{inst}: empty block {sizes}"
    return None


# --------------------------------------------------------------------------
# fuzzing
# --------------------------------------------------------------------------
_JUNK = [b"", b"0", b"-1", b"9223372036854775807", b"9223372036854775808", b"18446744073709551616",
         b"99999999999999999999", b"1e308", b"nan", b"\x00", b"%", b"#", b" ", b"\t", b"\r",
         b"\n", b"x", b"1.5", b"00000000000000000000001", b"4611686018427387905"]


def mutate(data, rng, rounds=None):
    """A few random edits of ``data``: byte flips, junk tokens inserted or
    replacing a token, lines deleted or duplicated."""
    data = bytearray(data)
    for _ in range(rounds or rng.randint(1, 3)):
        op = rng.random()
        if op < 0.25 and data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif op < 0.55:
            tokens = bytes(data).split(b" ")
            i = rng.randrange(len(tokens))
            tokens[i] = rng.choice(_JUNK)
            data = bytearray(b" ".join(tokens))
        elif op < 0.8:
            pos = rng.randrange(len(data) + 1)
            data[pos:pos] = rng.choice(_JUNK) + rng.choice((b" ", b"\n", b""))
        else:
            lines = bytes(data).split(b"\n")
            i = rng.randrange(len(lines))
            if rng.random() < 0.5:
                del lines[i]
            else:
                lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def metis_text(rng):
    """A small valid METIS file (random fmt)."""
    n = rng.randint(1, 7)
    edges = {}
    for u in range(n):
        for v in range(u + 1, n):
            if rng.random() < 0.4:
                edges[(u, v)] = rng.randint(0, 9)
    fmt = rng.choice(("", "1", "10", "11", "100", "111"))
    s, w, e = (fmt.zfill(3)[i] == "1" for i in range(3)) if fmt else (False, False, False)
    adj = [[] for _ in range(n)]
    for (u, v), x in edges.items():
        adj[u].append((v, x))
        adj[v].append((u, x))
    lines = ["% fuzz", f"{n} {len(edges)}" + (f" {fmt}" if fmt else "")]
    for u in range(n):
        parts = []
        if s:
            parts.append(str(rng.randint(0, 5)))
        if w:
            parts.append(str(rng.randint(0, 9)))
        for v, x in adj[u]:
            parts.append(str(v + 1))
            if e:
                parts.append(str(x))
        lines.append(" ".join(parts))
    return ("\n".join(lines) + "\n").encode()


def partition_text(rng):
    return "".join(f"{rng.randint(0, 5)}\n" for _ in range(rng.randint(0, 8))).encode()


def mtx_text(rng):
    n = rng.randint(1, 6)
    field = rng.choice(("integer", "real", "pattern"))
    entries = []
    for u in range(n):
        for v in range(u + 1):
            if rng.random() < 0.4:
                entries.append((u + 1, v + 1, rng.randint(1, 9)))
    lines = [f"%%MatrixMarket matrix coordinate {field} symmetric", "% fuzz",
             f"{n} {n} {len(entries)}"]
    for i, j, x in entries:
        lines.append(f"{i} {j}" if field == "pattern" else f"{i} {j} {x}")
    return ("\n".join(lines) + "\n").encode()


# --------------------------------------------------------------------------
# independent parsers (pure Python, written from the format descriptions)
# --------------------------------------------------------------------------
class Rejected(Exception):
    pass


def _nonneg(tok):
    if not tok.isdigit():
        raise Rejected(tok)
    return int(tok)


def parse_metis(data):
    """``(n, {(u, v): w} with u < v, node_weights)``, or Rejected."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    i = 0
    while i < len(lines) and (not lines[i].split() or lines[i].split()[0].startswith(b"%")):
        i += 1
    if i == len(lines):
        raise Rejected("no header")
    head = [_nonneg(t) for t in lines[i].split()]
    if not 2 <= len(head) <= 4:
        raise Rejected("header")
    n, m = head[0], head[1]
    fmt = head[2] if len(head) > 2 else 0
    if fmt not in (0, 1, 10, 11, 100, 101, 110, 111) or (len(head) > 3 and head[3] > 1):
        raise Rejected("fmt")
    s, w, e = fmt // 100, fmt // 10 % 10, fmt % 10
    rows = []
    for line in lines[i + 1:]:
        tokens = line.split()
        if tokens and tokens[0].startswith(b"%"):
            continue
        if len(rows) == n:
            if tokens:
                raise Rejected("extra")
            continue
        rows.append([_nonneg(t) for t in tokens])
    if len(rows) < n:
        raise Rejected("short")
    adj = {}
    weights = []
    for u, nums in enumerate(rows):
        nums = nums[s:]
        if w:
            if not nums:
                raise Rejected("weight")
            weights.append(nums[0])
            nums = nums[1:]
        else:
            weights.append(1)
        if e and len(nums) % 2:
            raise Rejected("pairs")
        step = 2 if e else 1
        for j in range(0, len(nums), step):
            v = nums[j] - 1
            x = nums[j + 1] if e else 1
            if not 0 <= v < n or v == u or (u, v) in adj:
                raise Rejected("neighbour")
            adj[(u, v)] = x
    for (u, v), x in adj.items():
        if adj.get((v, u)) != x:
            raise Rejected("asymmetric")
    if len(adj) != 2 * m:
        raise Rejected("m")
    return n, {(u, v): x for (u, v), x in adj.items() if u < v}, weights


def parse_partition(data):
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = []
    for line in lines:
        tokens = line.split()
        if tokens and tokens[0][:1] in (b"%", b"#"):
            continue
        if len(tokens) != 1:
            raise Rejected("tokens")
        out.append(_nonneg(tokens[0]))
    return out


def parse_mtx(data):
    """``(n, {(u, v): w} u < v, {u: loop weight})`` of a real/integer/pattern
    coordinate file, or Rejected."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if not lines:
        raise Rejected("empty")
    head = lines[0].lower().split()
    if len(head) != 5 or head[0] != b"%%matrixmarket" or head[1:3] != [b"matrix", b"coordinate"]:
        raise Rejected("header")
    field, sym = head[3], head[4]
    if field not in (b"real", b"double", b"integer", b"pattern") or sym not in (b"general", b"symmetric"):
        raise Rejected("field")
    body = [ln for ln in lines[1:] if ln.strip() and not ln.lstrip().startswith(b"%")]
    if not body:
        raise Rejected("size")
    size = [_nonneg(t) for t in body[0].split()]
    if len(size) != 3 or size[0] != size[1]:
        raise Rejected("size")
    n, _, nnz = size
    if len(body) - 1 != nnz:
        raise Rejected("count")
    entries = {}
    for ln in body[1:]:
        tokens = ln.split()
        if len(tokens) != (2 if field == b"pattern" else 3):
            raise Rejected("entry")
        i, j = _nonneg(tokens[0]) - 1, _nonneg(tokens[1]) - 1
        if not (0 <= i < n and 0 <= j < n):
            raise Rejected("index")
        if field == b"integer" and not tokens[2].lstrip(b"+-").isdigit():
            raise Rejected("integer field")
        x = 1 if field == b"pattern" else float(tokens[2])
        for a, b in ({(i, j), (j, i)} if sym == b"symmetric" else {(i, j)}):
            entries[(a, b)] = entries.get((a, b), 0) + x
    entries = {key: x for key, x in entries.items() if x != 0}
    for (a, b), x in entries.items():
        if entries.get((b, a)) != x or x < 0 or x != x or x in (float("inf"),):
            raise Rejected("asymmetric or negative")
    edges = {(a, b): x for (a, b), x in entries.items() if a < b}
    loops = {a: x for (a, b), x in entries.items() if a == b}
    return n, edges, loops


# --------------------------------------------------------------------------
# subprocess runner
# --------------------------------------------------------------------------
_CHILD = r"""
import json, sys, io
import numpy as np
from klpart.io import read_metis, read_partition, read_matrix_market, GraphFormatError
kind = sys.argv[1]
out = []
for line in sys.stdin:
    data = bytes.fromhex(json.loads(line))
    try:
        if kind == "partition":
            res = ["ok", read_partition(io.BytesIO(data)).tolist()]
        else:
            g = (read_metis if kind == "metis" else read_matrix_market)(io.BytesIO(data))
            src = np.repeat(np.arange(g.num_nodes), np.diff(g.indptr))
            edges = [[int(u), int(v), g.edge_weights[p].item()]
                     for p, (u, v) in enumerate(zip(src.tolist(), g.indices.tolist())) if u < v]
            loops = [] if g.loop_weights is None else [
                [u, g.loop_weights[u].item()] for u in np.flatnonzero(g.loop_weights).tolist()]
            res = ["ok", g.num_nodes, edges, g.node_weights.tolist(), loops]
    except GraphFormatError as exc:
        res = ["rejected", str(exc)]
    except Exception as exc:
        res = ["crash", f"{type(exc).__name__}: {exc}"]
    out.append(res)
print(json.dumps(out))
"""


def run_child(code, args, payload, timeout):
    """Run ``python -c code *args`` with ``payload`` on stdin; its JSON answer.
    Returns ``(answer, None)``, or ``(None, reason)`` when the child died (a
    segfault, a timeout): a crash in a reader fails a check, not the run."""
    env = dict(os.environ, PYTHONFAULTHANDLER="1")
    try:
        proc = subprocess.run([sys.executable, "-c", code, *args], input=payload,
                              capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    if proc.returncode != 0:
        return None, f"child exited with {proc.returncode}: {proc.stderr[-2000:]}"
    return json.loads(proc.stdout), None


def parse_in_subprocess(kind, files, timeout=600):
    """Parse ``files`` (bytes) with klpart's reader for ``kind`` in a child
    process.  Returns ``(results, error)``: one result per file, or None and
    the reason when the child died (a segfault, a timeout)."""
    payload = "".join(json.dumps(f.hex()) + "\n" for f in files)
    return run_child(_CHILD, [kind], payload, timeout)


def compare(kind, data, result):
    """None when klpart's result agrees with the independent parser, else a
    description.  A rejection is always fine (no crash); an accepted file
    must give exactly the graph the independent parser reads."""
    status = result[0]
    if status == "crash":
        return f"crash on {data!r}: {result[1]}"
    if status == "rejected":
        return None
    try:
        if kind == "partition":
            want = parse_partition(data)
            return None if want == result[1] else f"{data!r}: {result[1]} != {want}"
        if kind == "metis":
            n, edges, weights = parse_metis(data)
            got_edges = {(u, v): x for u, v, x in result[2]}
            if (n, edges, weights) != (result[1], got_edges, result[3]):
                return f"{data!r}: klpart read another graph"
            return None
        n, edges, loops = parse_mtx(data)
        got_edges = {(u, v): x for u, v, x in result[2]}
        got_loops = {u: x for u, x in result[4]}
        if (n, edges, loops) != (result[1], got_edges, got_loops):
            return f"{data!r}: klpart read another graph"
        return None
    except Rejected as exc:
        return f"{data!r}: klpart accepted a file the reference rejects ({exc})"


GENERATORS = {"metis": metis_text, "partition": partition_text, "mtx": mtx_text}


def fuzz_files(kind, count, seed):
    rng = random.Random(seed)
    gen = GENERATORS[kind]
    files = []
    for i in range(count):
        base = gen(rng)
        files.append(base if i % 10 == 0 else mutate(base, rng))
    return files
