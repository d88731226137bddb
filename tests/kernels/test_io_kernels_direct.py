"""Direct tests of the integer-line tokeniser (klpart._kernels.io) against a
slow Python reference built on ``bytes.split`` (issue #18)."""

import os
import random

import numpy as np

from klpart._kernels.io import scan_integer_lines

_BLANKS = b" \t\r\x0b\x0c"
_BLANK_BYTES = [bytes([c]) for c in _BLANKS]


def as_buffer(data):
    """The kernel's input: the bytes as a uint8 array.  Under
    NUMBA_DISABLE_JIT=1 (coverage runs) the kernel body runs as Python, where
    NumPy 2 keeps ``uint8 - 48`` in uint8 and the value arithmetic wraps mod
    256; compiled code widens to int64.  The interpreted run therefore gets
    the same byte values as int64."""
    buf = np.frombuffer(data, np.uint8)
    if os.environ.get("NUMBA_DISABLE_JIT", "0") not in ("", "0"):
        buf = buf.astype(np.int64)
    return buf


def reference_scan(data, comment_a, comment_b):
    """(values, line_counts, bad_line) as the kernel's docstring defines them."""
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    if data == b"":
        lines = []
    marks = {c for c in (comment_a, comment_b) if c >= 0}
    values, counts = [], []
    for i, line in enumerate(lines):
        stripped = line.lstrip(_BLANKS)
        if stripped and stripped[0] in marks:
            counts.append(-1)
            continue
        tokens = line.split()  # bytes.split splits on exactly the ASCII blanks above
        for tok in tokens:
            if not tok.isdigit() or len(tok.lstrip(b"0")) > 18:
                return values, counts, i
        values.extend(int(tok) for tok in tokens)
        counts.append(len(tokens))
    return values, counts, -1


def random_text(r):
    pieces = []
    for _ in range(r.randint(0, 6)):
        kind = r.random()
        if kind < 0.15:
            line = r.choice([b"%", b"#", b"  %"]) + b" comment 12 x"
        else:
            toks = []
            for _ in range(r.randint(0, 5)):
                x = r.random()
                if x < 0.03:
                    toks.append(b"12x")  # glued garbage
                elif x < 0.05:
                    toks.append(b"-3")
                elif x < 0.07:
                    toks.append(str(r.randint(10**18, 10**20)).encode())  # too many digits
                elif x < 0.09:
                    toks.append(b"000" + str(r.randint(0, 10**17)).encode())  # leading zeros are not significant
                else:
                    toks.append(str(r.randint(0, 10**r.randint(1, 12))).encode())
            line = b"".join(r.choice(_BLANK_BYTES) * r.randint(1, 2) + tok for tok in toks)
            if r.random() < 0.3:
                line += r.choice(_BLANK_BYTES)
        pieces.append(line)
    text = b"\n".join(pieces)
    if pieces and r.random() < 0.6:
        text += b"\n"
    return text


def test_scan_integer_lines_against_bytes_split():
    outcomes = {"ok": 0, "bad": 0}
    for t in range(600):
        r = random.Random(t)
        data = random_text(r)
        ca, cb = r.choice([(ord("%"), ord("#")), (ord("%"), -1), (-1, -1)])
        buf = as_buffer(data)
        values, counts, bad = scan_integer_lines(buf, ca, cb)
        ref_values, ref_counts, ref_bad = reference_scan(data, ca, cb)
        assert bad == ref_bad, (data, bad, ref_bad)
        if bad < 0:
            outcomes["ok"] += 1
            assert values.tolist() == ref_values
            assert counts.tolist() == ref_counts
        else:
            outcomes["bad"] += 1
            # only the lines before the bad one are meaningful
            assert counts[:bad].tolist() == ref_counts[:bad]
            assert values.tolist()[: sum(c for c in ref_counts[:bad] if c > 0)] == ref_values[
                : sum(c for c in ref_counts[:bad] if c > 0)]
    assert outcomes["ok"] > 100 and outcomes["bad"] > 50


def test_scan_integer_lines_edge_cases():
    def scan(data, ca=ord("%"), cb=-1):
        v, c, b = scan_integer_lines(as_buffer(data), ca, cb)
        return v.tolist(), c.tolist(), b

    assert scan(b"") == ([], [], -1)
    assert scan(b"\n") == ([], [0], -1)
    assert scan(b"1 2\n3") == ([1, 2, 3], [2, 1], -1)
    assert scan(b"1 2\n3\n") == ([1, 2, 3], [2, 1], -1)
    # 18 significant digits fit; 19 are flagged (the Python re-scan decides)
    assert scan(b"999999999999999999\n") == ([999999999999999999], [1], -1)
    assert scan(b"1\n9223372036854775808\n")[2] == 1
    assert scan(b"0000000000000000000000001\n") == ([1], [1], -1)
    assert scan(b"%x\n 7\n")[:2] == ([7], [-1, 1])
    # the comment mark counts only as the first non-blank byte
    assert scan(b"1 %\n")[2] == 0
