"""Where cells run: a local process pool or a Dask cluster.

Both call :func:`suite.worker.run_cell` once per cell in long-lived worker
processes (each warms up once) and hand every result to ``on_result(cell,
result)`` as it arrives, so rows are written as they come and an interrupted
run loses nothing.  The cell's numbers depend only on the cell (graph file or
cache, tool, k, seed), so a pool and a Dask cluster give identical cuts,
imbalances and balance flags; only times, memory and ``host`` differ.

* ``run_local``: ``concurrent.futures.ProcessPoolExecutor`` with ``jobs``
  spawned workers (default 1: timings undisturbed by a neighbour).  With
  ``fresh`` every cell gets a new process (``max_tasks_per_child=1``), which
  warms up again before timing: slower, but memory is measured in a clean
  process.
* ``run_dask``: ``dask.distributed.Client(address)``, one task per cell.  The
  ``bench`` code (suite/, anchors.py, common.py) is uploaded to the workers
  as a zip; klpart and the tools' packages must be installed there, and
  METIS files must be at the same paths (generated graphs are regenerated in
  a worker's cache when missing).  Use one thread per worker: cells in one
  worker process are serialised anyway.
"""

import multiprocessing
import sys
import tempfile
import uuid
import zipfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .worker import run_cell

BENCH_DIR = Path(__file__).resolve().parents[1]


def _strip(cell):
    return {k: v for k, v in cell.items() if k != "weight"}


def run_local(cells, on_result, jobs=1, fresh=False):
    ctx = multiprocessing.get_context("spawn")
    if fresh and sys.version_info < (3, 11):
        raise ValueError("--fresh needs Python 3.11 (ProcessPoolExecutor's max_tasks_per_child)")
    extra = {"max_tasks_per_child": 1} if fresh else {}
    with ProcessPoolExecutor(jobs, mp_context=ctx, **extra) as pool:
        futures = {pool.submit(run_cell, _strip(c)): c for c in cells}
        try:
            for fut in as_completed(futures):
                try:
                    result = fut.result()
                except BrokenProcessPool as err:
                    result = {"error": f"worker process died ({err}); rerun to resume", "fatal": True}
                on_result(futures[fut], result)
                if result.get("fatal"):
                    break
        except KeyboardInterrupt:
            for fut in futures:
                fut.cancel()
            raise


def bench_zip(directory):
    """Zip the bench code the workers import (suite/, anchors.py, common.py)."""
    path = Path(directory) / "klpart_bench_code.zip"
    with zipfile.ZipFile(path, "w") as z:
        for f in [BENCH_DIR / "anchors.py", BENCH_DIR / "common.py", *sorted((BENCH_DIR / "suite").glob("*.py"))]:
            z.write(f, f.relative_to(BENCH_DIR).as_posix())
    return path


def dask_machines(client):
    """Machine description of each distinct worker machine."""
    from common import machine_summary

    return sorted(set(client.run(machine_summary).values()))


def run_dask(cells, on_result, address, client=None):
    """Run on the Dask scheduler at ``address`` (or an existing ``client``);
    returns the worker machines' descriptions."""
    from dask.distributed import Client
    from dask.distributed import as_completed as dask_completed

    own = client is None
    if own:
        client = Client(address)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            client.upload_file(str(bench_zip(tmp)))
        machines = dask_machines(client)
        tag = uuid.uuid4().hex[:8]
        futures = {}
        for i, c in enumerate(cells):
            fut = client.submit(run_cell, _strip(c), key=f"klpart-bench-{tag}-{i}", pure=False)
            futures[fut] = c
        for fut in dask_completed(list(futures)):
            try:
                result = fut.result()
            except Exception as err:  # lost worker, unpicklable result ...
                result = {"error": f"{type(err).__name__}: {err}"}
            on_result(futures[fut], result)
            fut.release()
        return machines
    finally:
        if own:
            client.close()
