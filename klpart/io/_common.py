"""What every reader and writer of :mod:`klpart.io` shares: the error type,
path-or-file handling, line splitting and integer tokens with messages
that quote the file."""

import io
import os

import numpy as np

__all__ = ["GraphFormatError"]

INT64_MAX = int(np.iinfo(np.int64).max)
PERCENT = ord("%")
HASH = ord("#")


class GraphFormatError(ValueError):
    """A graph or partition file does not follow its format.

    The message reads ``"file:line: reason"`` (``"file: reason"`` when no
    single line is at fault).

    Parameters
    ----------
    reason : str
        What is wrong.
    filename : str, optional
        The file's name as given by the caller (``<stream>`` for an unnamed
        file object).
    line : int, optional
        1-based line number.

    Attributes
    ----------
    reason, filename, line
        The parameters, for programs that report errors their own way.

    Examples
    --------
    >>> import io
    >>> from klpart.io import GraphFormatError, read_metis
    >>> try:
    ...     read_metis(io.StringIO("2 1\\n2\\n3\\n"))
    ... except GraphFormatError as exc:
    ...     print(exc)
    <stream>:3: node 2: neighbour id 3 is out of range 1..2
    """

    def __init__(self, reason, filename=None, line=None):
        self.reason = reason
        self.filename = filename
        self.line = line
        if filename is None:
            message = reason
        elif line is None:
            message = f"{filename}: {reason}"
        else:
            message = f"{filename}:{line}: {reason}"
        super().__init__(message)

    def __reduce__(self):
        return (type(self), (self.reason, self.filename, self.line))


def is_path(source):
    return isinstance(source, (str, bytes, os.PathLike))


def display_name(source):
    if is_path(source):
        return os.fsdecode(os.fspath(source))
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<stream>"


def read_bytes(source):
    """``(contents, name)`` of a path or an open text or binary file."""
    if is_path(source):
        with open(source, "rb") as f:
            data = f.read()
    elif hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            # lone surrogates cannot be numbers anyway; keep them as bytes
            data = data.encode("utf-8", "surrogatepass")
        elif isinstance(data, (bytes, bytearray, memoryview)):
            data = bytes(data)
        else:
            raise TypeError(f"read() of {type(source).__name__} returned {type(data).__name__}")
    else:
        raise TypeError(
            "expected a file path (str or os.PathLike) or an open file, "
            f"got {type(source).__name__}"
        )
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark, as some editors write
        data = data[3:]
    return data, display_name(source)


def write_text(target, text):
    """Write ``text`` to a path (UTF-8, ``\\n`` newlines) or an open file."""
    if is_path(target):
        with open(target, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    elif hasattr(target, "write"):
        if isinstance(target, io.TextIOBase):
            target.write(text)
        elif isinstance(target, (io.RawIOBase, io.BufferedIOBase)):
            target.write(text.encode("utf-8"))
        else:
            try:  # an unknown file-like object: text first, as most are
                target.write(text)
            except TypeError:
                target.write(text.encode("utf-8"))
    else:
        raise TypeError(
            "expected a file path (str or os.PathLike) or an open file, "
            f"got {type(target).__name__}"
        )


def split_lines(data):
    """Lines of ``data`` split at ``\\n`` only; a final newline ends the last
    line rather than starting an empty one (as the kernel counts them)."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return lines


def show(token, limit=24):
    """A token as it appears in the file, quoted and shortened."""
    text = token.decode("utf-8", "replace") if isinstance(token, bytes) else str(token)
    if len(text) > limit:
        text = text[:limit] + "..."
    return repr(text)


def int_token(token, what, name, line, limit=INT64_MAX):
    """The non-negative decimal integer ``token`` (bytes), or a
    GraphFormatError naming ``what``."""
    if token.isdigit():  # bytes.isdigit: ASCII digits only
        value = int(token)
        if limit is not None and value > limit:
            raise GraphFormatError(
                f"{what} {show(token)} is too large (limit {limit})", name, line
            )
        return value
    if token[:1] == b"-" and token[1:].isdigit():
        raise GraphFormatError(f"{what} {show(token)} is negative", name, line)
    raise GraphFormatError(f"{what} {show(token)} is not a non-negative integer", name, line)
