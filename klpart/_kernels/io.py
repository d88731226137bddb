"""Tokeniser for line-oriented integer files (METIS graphs, partition files).

The kernel only *detects* that something is off; the API layer
(:mod:`klpart.io`) then re-reads the file in Python to explain the problem
with a file name and line number.  Nothing here raises or prints.
"""

import numpy as np
from numba import njit

# Numbers of 19 digits or more may not fit in an int64; the kernel flags the
# line and the Python re-scan decides (it has arbitrary precision integers).
_MAX_DIGITS = 18


@njit(cache=True)
def _is_blank(c):
    # ASCII whitespace as ``bytes.split()`` sees it, newline excluded
    return c == 32 or c == 9 or c == 13 or c == 11 or c == 12


@njit(cache=True)
def scan_integer_lines(buf, comment_a, comment_b):
    """Split ``buf`` into lines and each line into non-negative integers.

    Parameters
    ----------
    buf : uint8 array
        The file contents.  Lines end at ``\\n`` (10); a trailing newline does
        not start an extra line; ``\\r``, tab, vertical tab, form feed and
        space separate tokens.
    comment_a, comment_b : int
        Byte values that mark a comment line when they are the first
        non-blank byte of a line (-1: unused).

    Returns
    -------
    values : int64 array
        Every token of every non-comment line, in file order (a view of an
        over-allocated buffer).
    line_counts : int64 array
        Tokens per line; -1 for a comment line.
    bad_line : int
        0-based index of the first line holding a byte that is neither a
        digit nor whitespace, or a number of more than 18 significant digits;
        -1 when there is none.  When it is >= 0 the other outputs are only
        meaningful for the lines before it.
    """
    size = buf.shape[0]
    n_lines = 0
    for i in range(size):
        if buf[i] == 10:
            n_lines += 1
    if size > 0 and buf[size - 1] != 10:
        n_lines += 1
    values = np.empty(size // 2 + 1, np.int64)
    line_counts = np.zeros(n_lines, np.int64)
    n_values = 0
    line = 0
    i = 0
    while i < size:
        # start of a line: skip leading blanks, look for a comment mark
        while i < size and _is_blank(buf[i]):
            i += 1
        if i < size and (buf[i] == comment_a or buf[i] == comment_b):
            line_counts[line] = -1
            while i < size and buf[i] != 10:
                i += 1
            i += 1
            line += 1
            continue
        count = 0
        while i < size and buf[i] != 10:
            c = buf[i]
            if _is_blank(c):
                i += 1
                continue
            if c < 48 or c > 57:
                return values[:n_values], line_counts, line
            value = 0
            digits = 0
            while i < size and 48 <= buf[i] <= 57:
                # count significant digits by the digits themselves, not by
                # the sign of the value: 2**63 wraps to a negative value
                if digits > 0 or buf[i] != 48:
                    digits += 1
                if digits <= _MAX_DIGITS:
                    value = value * 10 + (buf[i] - 48)
                i += 1
            if digits > _MAX_DIGITS:
                return values[:n_values], line_counts, line
            # a number glued to a non-blank byte ("12x") is not a number
            if i < size and buf[i] != 10 and not _is_blank(buf[i]):
                return values[:n_values], line_counts, line
            values[n_values] = value
            n_values += 1
            count += 1
        line_counts[line] = count
        i += 1
        line += 1
    return values[:n_values], line_counts, -1
