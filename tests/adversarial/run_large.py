"""The large runs of issue 19 (not part of the test suite: minutes, not
seconds).  The test suite runs seeded slices of the same checks.

Usage::

    python -m tests.adversarial.run_large [--instances 20000] [--files 5000] [--seed 0]

* ``--instances`` random node-weighted graphs with n <= 9 are partitioned;
  an exhaustive search decides whether a balanced assignment exists, and
  every instance where one exists but klpart returned an unbalanced result
  (or an empty block) is a failure;
* ``--files`` fuzzed files per format (METIS, partition files, Matrix
  Market) are parsed in child processes (a segfault is reported as a
  failure, not the end of the run); an accepted file must give exactly the
  graph an independent pure-Python parser reads.

Exit status 0 when there is no failure.
"""

import argparse
import random
import sys
import time

from . import _tools


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=20000)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=500, help="files per child process")
    args = parser.parse_args(argv)
    failures = 0

    t = time.perf_counter()
    rng = random.Random(args.seed)
    for i in range(args.instances):
        problem = _tools.check_instance(_tools.random_instance(rng), seed=i)
        if problem:
            failures += 1
            print("balance:", problem)
    print(f"{args.instances} node-weighted instances: {failures} failures "
          f"({time.perf_counter() - t:.0f} s)")

    for kind in _tools.GENERATORS:
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
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
