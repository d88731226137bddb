"""Cold start (issue 18): the main entry points compile each kernel once.

Every extra specialisation of a kernel (a literal argument, an int32 node id
where another call site passes int64, an int8 side array where another
passes int64, ...) is a whole compile on an empty Numba cache.  The KL
drop-in, then ``partition`` for two and for more blocks, run here in a fresh
interpreter with an empty Numba cache (so that other tests' calls do not
add signatures, and the kernels called from kernels compile too: from a
warm cache only the outermost ones load) and every kernel of the modules
below must have been compiled for one signature at most.  About 20 s: it
compiles everything.
"""

import json
import os
import subprocess
import sys
import tempfile

import pytest

MODULES = ("balance", "coarsen", "csr", "flow", "fm", "kl", "kway", "ordering", "rng")

SCRIPT = """
import importlib, json
import networkx as nx
import klpart
from numba.core.registry import CPUDispatcher

G = nx.grid_2d_graph(30, 30)  # the start-up benchmark's graph: it coarsens
klpart.kernighan_lin_bisection(G, seed=0)
klpart.partition(G, 2, seed=0)
klpart.partition(G, 16, seed=0)
out = {}
for name in %r:
    mod = importlib.import_module("klpart._kernels." + name)
    for attr, obj in vars(mod).items():
        if isinstance(obj, CPUDispatcher) and obj.__module__ == mod.__name__:
            out[name + "." + attr] = [str(s) for s in obj.signatures]
print(json.dumps(out))
""" % (MODULES,)


@pytest.fixture(scope="module")
def signatures():
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_entry_points_ran_the_kernels(signatures):
    used = {name for name, sigs in signatures.items() if sigs}
    for kernel in ("kl._passes_buckets", "fm._fm_passes", "fm._bfs_grow", "kway.kway_local_fm",
                   "kway.kway_fm", "flow._corridor_network", "flow._max_flow", "coarsen.contract"):
        assert kernel in used


def test_one_signature_per_kernel(signatures):
    duplicated = {name: sigs for name, sigs in signatures.items() if len(sigs) > 1}
    assert not duplicated
