"""The large runs of issue 19 (not part of the test suite: minutes, not
seconds).  The test suite runs seeded slices of the same checks.

Usage::

    python -m tests.adversarial.run_large [--instances 20000] [--files 5000] [--seed 0]
        [--only balance metis partition mtx edgelist]

* ``--instances`` random node-weighted graphs with n <= 9 are partitioned;
  an exhaustive search decides whether a balanced assignment exists, and
  every instance where one exists but klpart returned an unbalanced result
  (or an empty block) is a failure;
* ``--files`` fuzzed files per format (METIS, partition files, Matrix
  Market, edge lists with random reader options) are parsed in child processes (a segfault is reported as a
  failure, not the end of the run); an accepted file must give exactly the
  graph an independent pure-Python parser reads.

Exit status 0 when there is no failure.
"""

import argparse
import random
import sys
import time

from . import _edgelist_fuzz, _tools


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=20000)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=500, help="files per child process")
    parser.add_argument("--only", nargs="+", choices=("balance", *_tools.GENERATORS, "edgelist"),
                        help="run only these checks (default: all)")
    args = parser.parse_args(argv)
    only = set(args.only or ("balance", *_tools.GENERATORS, "edgelist"))
    failures = 0

    t = time.perf_counter()
    rng = random.Random(args.seed)
    for i in range(args.instances if "balance" in only else 0):
        problem = _tools.check_instance(_tools.random_instance(rng), seed=i)
        if problem:
            failures += 1
            print("balance:", problem)
    if "balance" in only:
        print(f"{args.instances} node-weighted instances: {failures} failures "
              f"({time.perf_counter() - t:.0f} s)")

    for kind in _tools.GENERATORS:
        if kind not in only:
            continue
        t = time.perf_counter()
        bad = 0
        files = _tools.fuzz_files(kind, args.files, seed=args.seed)
        for start in range(0, len(files), args.batch):
            batch = files[start:start + args.batch]
            results, error = _tools.parse_in_subprocess(kind, batch)
            if error is not None:
                # find the culprit file by file
                for data in batch:
                    one, err = _tools.parse_in_subprocess(kind, [data])
                    if err is not None:
                        bad += 1
                        print(f"{kind}: child died on {data!r}: {err}")
                    elif (p := _tools.compare(kind, data, one[0])):
                        bad += 1
                        print(f"{kind}: {p}")
                continue
            for data, res in zip(batch, results):
                problem = _tools.compare(kind, data, res)
                if problem:
                    bad += 1
                    print(f"{kind}: {problem}")
        failures += bad
        print(f"{len(files)} fuzzed {kind} files: {bad} failures ({time.perf_counter() - t:.0f} s)")

    if "edgelist" in only:
        failures += _edgelists(args)
    return 1 if failures else 0


def _edgelists(args):
    """The edge-list run: ``(bytes, options)`` files, same protocol."""
    t = time.perf_counter()
    bad = accepted = 0
    files = _edgelist_fuzz.fuzz_edgelists(args.files, seed=args.seed)
    for start in range(0, len(files), args.batch):
        batch = files[start:start + args.batch]
        results, error = _edgelist_fuzz.parse_in_subprocess(batch)
        if error is not None:
            results = []
            for item in batch:  # find the culprit file by file
                one, err = _edgelist_fuzz.parse_in_subprocess([item])
                results.append(["crash", f"child died: {err}"] if err is not None else one[0])
        for (data, options), res in zip(batch, results):
            accepted += res[0] == "ok"
            problem = _edgelist_fuzz.compare(data, options, res)
            if problem:
                bad += 1
                print(f"edgelist: {problem}")
    print(f"{len(files)} fuzzed edgelist files ({accepted} accepted): {bad} failures "
          f"({time.perf_counter() - t:.0f} s)")
    return bad


if __name__ == "__main__":
    sys.exit(main())
