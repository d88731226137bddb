"""networkx-metis's :class:`MetisOptions`."""

import numbers

__all__ = ["MetisOptions"]

_INT_FIELDS = ("ptype", "objtype", "ctype", "iptype", "rtype", "ncuts", "nseps", "numbering", "niter",
               "seed", "pfactor", "ufactor", "dbglvl")
_BOOL_FIELDS = ("minconn", "no2hop", "contig", "compress", "ccorder")
_NAMES = ("ptype", "objtype", "ctype", "iptype", "rtype", "ncuts", "nseps", "numbering", "niter", "seed",
          "minconn", "no2hop", "contig", "compress", "ccorder", "pfactor", "ufactor", "dbglvl")


class MetisOptions:
    """Options of the METIS algorithms; every field starts at -1 (METIS's
    default) and only the given keyword arguments are set.

    Integer fields (``ptype``, ``objtype``, ``ctype``, ``iptype``, ``rtype``,
    ``ncuts``, ``nseps``, ``numbering``, ``niter``, ``seed``, ``pfactor``,
    ``ufactor``, ``dbglvl``) reject non-integers with ``ValueError``; the
    switches (``minconn``, ``no2hop``, ``contig``, ``compress``, ``ccorder``)
    store ``bool(value)``.  Values are checked when an algorithm runs, as
    METIS checks them (``MetisError``).

    >>> from klpart.compat.nxmetis import MetisOptions
    >>> MetisOptions(ncuts=2, niter=100).ncuts
    2
    """

    def __init__(self, **kwargs):
        for name in _NAMES:
            object.__setattr__(self, "_" + name, -1)
        for key, value in kwargs.items():
            if value is not None:
                setattr(self, key, value)

    def __setattr__(self, name, value):
        if name in _INT_FIELDS:
            if isinstance(value, bool) or not isinstance(value, numbers.Number) or value != int(value):
                raise ValueError(f"{value!r} is not an int")
            value = int(value)
        elif name in _BOOL_FIELDS:
            value = bool(value)
        else:
            raise AttributeError(f"MetisOptions has no option {name!r}")
        object.__setattr__(self, "_" + name, value)

    def __getattr__(self, name):
        if name in _NAMES:
            return object.__getattribute__(self, "_" + name)
        raise AttributeError(name)

    def __repr__(self):
        return "MetisOptions(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in _NAMES) + ")"
