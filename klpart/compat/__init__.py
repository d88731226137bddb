"""Other libraries' APIs over klpart's engine, so their users can switch by
changing one import.

* :mod:`klpart.compat.pymetis` - pymetis 2025.x (``part_graph``,
  ``part_mesh``, ``nested_dissection``, ``Options``...);
* :mod:`klpart.compat.nxmetis` - networkx-metis (``partition``,
  ``vertex_separator``, ``node_nested_dissection``, ``MetisOptions``...).
  ``sys.modules["nxmetis"] = klpart.compat.nxmetis`` (and its submodules)
  makes code that imports ``nxmetis`` run on klpart.

Options that klpart cannot honour raise an error naming the option.
"""

import importlib

__all__ = ["pymetis", "nxmetis"]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'klpart.compat' has no attribute {name!r}")
