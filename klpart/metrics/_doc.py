"""Docstring text shared by several metrics functions, written once.

:func:`doc_fragments` and :func:`parameters` are re-exported by
:mod:`klpart.metrics` (not in its ``__all__``) for :mod:`klpart.nx_metrics`,
which documents its functions the same way.

A docstring line that holds nothing but ``{name}`` is replaced by the
fragment ``name``, indented like that line.  Braces anywhere else (set
literals in examples, say) are left alone, and an unknown name fails at
import, so a typo never reaches the rendered documentation.
"""

import re
import textwrap

__all__ = []

_PLACEHOLDER = re.compile(r"^([ \t]*)\{([A-Za-z_]\w*)\}[ \t]*$", re.M)


def parameters(*entries):
    """A numpydoc Parameters section made of the given entries.

    Parameters
    ----------
    *entries : str
        Parameter descriptions, each in numpydoc form.

    Returns
    -------
    str
        The section, heading included, to pass to :func:`doc_fragments`.

    Examples
    --------
    >>> print(parameters("k : int\\n    Number of blocks."))
    Parameters
    ----------
    k : int
        Number of blocks.
    """
    return "\n".join(["Parameters", "----------", *entries])


def doc_fragments(**fragments):
    """Decorator that fills the ``{name}`` lines of a docstring.

    Parameters
    ----------
    **fragments : str
        The text of each name; common leading white space is removed and
        the placeholder's indentation put in its place.

    Returns
    -------
    callable
        Takes a function, replaces its docstring's placeholder lines and
        returns the function itself.

    Examples
    --------
    >>> doc = doc_fragments(k="k : int\\n    Number of blocks.")
    >>> @doc
    ... def f(k):
    ...     '''Sets such as {0, 1} and inline {k} stay.
    ...
    ...     {k}
    ...     '''
    >>> print(f.__doc__.strip())
    Sets such as {0, 1} and inline {k} stay.
    <BLANKLINE>
        k : int
            Number of blocks.

    An unknown name fails at once, and a function without a docstring
    (``python -OO``) passes through:

    >>> def g():
    ...     '''{unknown}'''
    >>> doc(g)
    Traceback (most recent call last):
    ...
    KeyError: 'unknown'
    >>> def h():
    ...     pass
    >>> doc(h) is h and h.__doc__ is None
    True
    """
    texts = {name: textwrap.dedent(text).strip("\n") for name, text in fragments.items()}

    def fill(func):
        if func.__doc__:  # None under python -OO
            func.__doc__ = _PLACEHOLDER.sub(
                lambda m: textwrap.indent(texts[m.group(2)], m.group(1)), func.__doc__
            )
        return func

    return fill
