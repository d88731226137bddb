"""Building blocks of ``bench/run.py``, the side-by-side benchmark suite.

* :mod:`suite.graphs` -- graph sources: METIS files and folders, generated
  families (Delaunay, random geometric, grid) cached as ``.npz``;
* :mod:`suite.plan` -- the cells (graph x tool x k x seed) to run, the notes
  about skipped ones, and what an existing ``results.csv`` already holds;
* :mod:`suite.worker` -- runs one cell in a warm worker process (pool or Dask)
  and measures its time and peak memory;
* :mod:`suite.executors` -- the local process pool and the Dask cluster;
* :mod:`suite.progress` -- the progress bar with ETA on stderr;
* :mod:`suite.report` -- ``results.csv`` reading/writing and ``results.md``.

The package is imported with ``bench/`` on ``sys.path`` (``run.py`` puts it
there); Dask workers receive it as an uploaded zip.
"""
