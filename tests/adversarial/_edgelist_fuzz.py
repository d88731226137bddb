"""Fuzzed edge-list files (issue 19): a generator of small valid files with
random reader options, an independent pure-Python reader written from the
rules in ``klpart.io.read_edgelist``'s docstring, a child-process runner (a
crash of the reader is a reported failure) and the comparison.

The rules the reference follows: UTF-8 text, lines split at ``\\n``;
everything from the comment string on is dropped, blank lines skipped;
fields are runs of non-whitespace (or, with a delimiter, the pieces between
delimiters, stripped); a line has ``u v`` or ``u v weight``; ``weighted=None``
takes the weight column from the first line and all lines must agree,
``True`` requires it, ``False`` ignores it; labels are strings or what
``nodetype`` makes of them, nodes numbered by first appearance; a weight is
an integer (fitting in int64) or a finite float, non-negative; a repeated
edge (either direction) adds up (the sums must stay in int64 / finite),
keeps the last weight, or is an error; ``u u`` is a self-loop.  Weights are
integers when every (summed) weight is an integer, else all are float64
(a large integer next to a float weight is rounded, as documented).
"""

import json
import random

from ._tools import mutate, run_child

_INT64_MAX = 2**63 - 1
_LABELS = ["0", "1", "2", "3", "10", "a", "b", "node", "x_1", "é", "00", "+1", "1_0", "-2"]
_WEIGHTS = ["1", "0", "2", "7", "1.5", "2.0", "1e3", "0.25", "9223372036854775807",
            "4611686018427387904", "1e308", "+3", "-0"]
_EXTRA_JUNK = [b",", b"1e309", b"inf", b"-1.5", b"\xc3\xa9", b"\xff", b"\xe2\x80\xa8",
               b"\xc2\xa0", b"\r\n", b"a b c d", b"1_000", b"0x10"]


def edgelist_file(rng):
    """``(bytes, options)``: a small valid edge list and reader options."""
    delimiter = rng.choice((None, None, None, ","))
    weighted = rng.choice((None, None, True, False))
    with_weights = weighted is True or (weighted is None and rng.random() < 0.5) or (
        weighted is False and rng.random() < 0.3)
    options = {
        "weighted": weighted,
        "duplicates": rng.choice(("sum", "sum", "last", "error")),
        "nodetype": rng.choice((None, None, "int")),
        "delimiter": delimiter,
        "comments": rng.choice(("#", "#", "%", None)),
    }
    labels = [x for x in _LABELS if options["nodetype"] is None or _int_or_none(x) is not None]
    pool = rng.sample(labels, rng.randint(1, min(6, len(labels))))
    sep = delimiter or " "
    lines = []
    if options["comments"] and rng.random() < 0.5:
        lines.append(f"{options['comments']} fuzz")
    for _ in range(rng.randint(0, 8)):
        fields = [rng.choice(pool), rng.choice(pool)]
        if with_weights:
            fields.append(rng.choice(_WEIGHTS))
        line = sep.join(fields)
        if rng.random() < 0.15:
            line = "  " + line.replace(" ", rng.choice((" ", "\t", "  ")))
        if options["comments"] and rng.random() < 0.15:
            line += f" {options['comments']} note"
        lines.append(line)
        if rng.random() < 0.1:
            lines.append("")
    end = rng.choice(("\n", "\n", "\r\n", ""))
    return (end.join(lines) + (end if lines else "")).encode(), options


def _int_or_none(text):
    try:
        return int(text)
    except ValueError:
        return None


def fuzz_edgelists(count, seed):
    """``count`` ``(bytes, options)``: every tenth file valid, the rest mutated."""
    rng = random.Random(seed)
    files = []
    for i in range(count):
        data, options = edgelist_file(rng)
        if i % 10:
            data = mutate(data, rng)
            if rng.random() < 0.3:  # edge-list specific junk
                pos = rng.randrange(len(data) + 1)
                data = data[:pos] + rng.choice(_EXTRA_JUNK) + data[pos:]
        files.append((data, options))
    return files


# --------------------------------------------------------------------------
# the independent reader
# --------------------------------------------------------------------------
class Rejected(Exception):
    pass


def _split_whitespace(line):
    fields, current = [], []
    for ch in line:
        if ch.isspace():
            if current:
                fields.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        fields.append("".join(current))
    return fields


def _strip(text):
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return text[start:end]


def _weight(token):
    try:
        value = int(token)
    except ValueError:
        try:
            value = float(token)
        except ValueError:
            raise Rejected(f"weight {token!r}") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise Rejected("not finite")
    if value < 0:
        raise Rejected("negative")
    if isinstance(value, int) and value > _INT64_MAX:
        raise Rejected("past int64")
    return value


def reference_read(data, options):
    """``(labels, {(i, j) i <= j: weight}, neighbour lists)`` or Rejected."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected("not UTF-8") from None
    comments, delimiter = options["comments"], options["delimiter"]
    weighted, duplicates = options["weighted"], options["duplicates"]
    labels, row_of, weights, order = [], {}, {}, []
    has_weights = weighted
    for line in text.split("\n"):
        if comments and comments in line:
            line = line[: line.index(comments)]
        if _strip(line) == "":
            continue
        if delimiter is None:
            fields = _split_whitespace(line)
        else:
            fields = [_strip(f) for f in line.split(delimiter)]
        if len(fields) not in (2, 3):
            raise Rejected("field count")
        if has_weights is None:
            has_weights = len(fields) == 3
        if weighted is None and has_weights != (len(fields) == 3):
            raise Rejected("mixed")
        if weighted is True and len(fields) == 2:
            raise Rejected("missing weight")
        ends = []
        for label in fields[:2]:
            if label == "":
                raise Rejected("empty label")
            if options["nodetype"] == "int":
                label = _int_or_none(label)
                if label is None:
                    raise Rejected("label")
            if label not in row_of:
                row_of[label] = len(labels)
                labels.append(label)
            ends.append(row_of[label])
        w = _weight(fields[2]) if has_weights and len(fields) == 3 else 1
        key = (min(ends), max(ends))
        if key not in weights:
            weights[key] = w
            order.append(key)
        elif duplicates == "error":
            raise Rejected("duplicate")
        elif duplicates == "last":
            weights[key] = w
        else:
            total = weights[key] + w
            if isinstance(total, int) and total > _INT64_MAX:
                raise Rejected("sum past int64")
            if isinstance(total, float) and total in (float("inf"),):
                raise Rejected("sum not finite")
            weights[key] = total
    if not all(isinstance(x, int) for x in weights.values()):
        # documented: float64 as soon as one weight is not an integer
        weights = {key: float(x) for key, x in weights.items()}
    neighbours = [[] for _ in labels]
    for a, b in order:
        if a != b:
            neighbours[a].append(b)
            neighbours[b].append(a)
    return labels, weights, neighbours


# --------------------------------------------------------------------------
# child process and comparison
# --------------------------------------------------------------------------
_CHILD = r"""
import io, json, sys
import numpy as np
from klpart.io import read_edgelist, GraphFormatError
out = []
for line in sys.stdin:
    item = json.loads(line)
    data, opts = bytes.fromhex(item[0]), item[1]
    if opts.get("nodetype") == "int":
        opts["nodetype"] = int
    try:
        g = read_edgelist(io.BytesIO(data), **opts)
        rows = [g.indices[g.indptr[u]:g.indptr[u + 1]].tolist() for u in range(g.num_nodes)]
        ws = [g.edge_weights[g.indptr[u]:g.indptr[u + 1]].tolist() for u in range(g.num_nodes)]
        loops = [] if g.loop_weights is None else g.loop_weights.tolist()
        res = ["ok", [repr(x) for x in g.nodes], rows, ws, loops, str(g.edge_weights.dtype)]
    except GraphFormatError as exc:
        res = ["rejected", str(exc)]
    except Exception as exc:
        res = ["crash", f"{type(exc).__name__}: {exc}"]
    out.append(res)
print(json.dumps(out))
"""


def parse_in_subprocess(files, timeout=600):
    """Read ``files`` (``(bytes, options)``) with klpart in a child process:
    ``(results, None)`` or ``(None, why the child died)``."""
    payload = "".join(json.dumps([data.hex(), opts]) + "\n" for data, opts in files)
    return run_child(_CHILD, [], payload, timeout)


def compare(data, options, result):
    """None when klpart agrees with the reference, else a description.  A
    crash is a failure; klpart and the reference must agree on accepting."""
    status = result[0]
    if status == "crash":
        return f"crash on {data!r} {options}: {result[1]}"
    try:
        labels, weights, neighbours = reference_read(data, options)
    except Rejected as exc:
        if status == "rejected":
            if ":" not in result[1]:
                return f"{data!r} {options}: message names no line: {result[1]}"
            return None
        return f"{data!r} {options}: klpart accepted a file the reference rejects ({exc})"
    if status == "rejected":
        return f"{data!r} {options}: klpart rejected a valid file: {result[1]}"
    _, nodes, rows, ws, loops, dtype = result
    if nodes != [repr(x) for x in labels]:
        return f"{data!r} {options}: nodes {nodes} != {[repr(x) for x in labels]}"
    if rows != neighbours:
        return f"{data!r} {options}: neighbours {rows} != {neighbours}"
    n = len(labels)
    got = {}
    for u in range(n):
        for v, x in zip(rows[u], ws[u]):
            got[(min(u, v), max(u, v))] = x
        if loops and loops[u]:
            got[(u, u)] = loops[u]
    want = {key: x for key, x in weights.items() if key[0] != key[1] or x != 0}
    if got != want:
        return f"{data!r} {options}: weights {got} != {want}"
    if all(isinstance(x, int) for x in weights.values()) and dtype != "int64":
        return f"{data!r} {options}: integer weights read as {dtype}"
    return None
