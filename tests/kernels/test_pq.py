"""The indexed max-heaps of klpart._kernels.pq against plain dicts and heapq,
over random operation sequences."""

import heapq
import random

import numpy as np
import pytest

from klpart._kernels.pq import pq_decrease, pq_increase, pq_pop, pq_push, pq_remove, pq_update

from .. import reference


def check_structure(heap, size, pos, key, stamp, n):
    """Heap order inside each heap; ``pos`` and the heap slots agree."""
    inside = set()
    for s in range(2):
        base = s * n
        for i in range(size[s]):
            x = heap[base + i]
            assert pos[x] == i
            inside.add(int(x))
            if i > 0:
                parent = heap[base + (i - 1) // 2]
                assert (key[parent], stamp[parent]) >= (key[x], stamp[x])
    assert all(pos[x] == -1 for x in range(n) if x not in inside)


@pytest.mark.parametrize("dtype", [np.int64, np.float64])
def test_random_operation_sequences_against_slow_heaps(dtype):
    for trial in range(150):
        r = random.Random(trial)
        n = r.randint(1, 30)
        heap = np.empty(2 * n, np.int64)
        size = np.zeros(2, np.int64)
        pos = np.full(n, -1, np.int64)
        key = np.zeros(n, dtype)
        stamp = np.zeros(n, np.int64)
        slow = reference.SlowMaxHeaps()
        where = {}  # node -> heap it is in
        few_keys = r.random() < 0.5  # many ties on the key, then the stamp decides

        def new_priority():
            k = r.randint(-3, 3) if few_keys else r.randint(-1000, 1000)
            if dtype is np.float64:
                k = k + r.choice([0.0, 0.25])
            return k, r.randint(0, 5)

        for step in range(r.randint(1, 120)):
            op = r.random()
            free = [x for x in range(n) if x not in where]
            if free and op < 0.4:
                x = r.choice(free)
                s = r.randrange(2)
                key[x], stamp[x] = new_priority()
                pq_push(heap, size, pos, key, stamp, s, n, x)
                slow.push(s, x, key[x].item(), int(stamp[x]))
                where[x] = s
            elif where and op < 0.6:
                s = r.choice(sorted(set(where.values())))
                x = pq_pop(heap, size, pos, key, stamp, s, n)
                assert where.pop(int(x)) == s
                slow.pop_priority(s, int(x))  # asserts x had the first priority
            elif where and op < 0.7:
                x = r.choice(sorted(where))
                pq_remove(heap, size, pos, key, stamp, where[x], n, x)
                slow.remove(where.pop(x), x)
            elif where:
                x = r.choice(sorted(where))
                s = where[x]
                old = (key[x].item(), int(stamp[x]))
                key[x], stamp[x] = new_priority()
                new = (key[x].item(), int(stamp[x]))
                kind = r.random()
                if kind < 0.4:
                    pq_update(heap, size, pos, key, stamp, s, n, x)
                elif new >= old:
                    pq_increase(heap, size, pos, key, stamp, s, n, x)
                else:
                    pq_decrease(heap, size, pos, key, stamp, s, n, x)
                slow.set(s, x, *new)
            assert size.tolist() == [len(m) for m in slow.members], (trial, step)
            check_structure(heap, size, pos, key, stamp, n)
            for s in range(2):
                if size[s]:
                    top = heap[s * n]
                    assert (key[top].item(), int(stamp[top])) == slow.first_priority(s), (trial, step)


def test_heapsort_equals_sorted_and_heapq():
    for trial in range(100):
        r = random.Random(1000 + trial)
        n = r.randint(1, 60)
        key = np.array([r.randint(-20, 20) for _ in range(n)], np.int64)
        stamp = np.array(r.sample(range(10 * n), n), np.int64)  # distinct: one right order
        heap = np.empty(2 * n, np.int64)
        size = np.zeros(2, np.int64)
        pos = np.full(n, -1, np.int64)
        for x in range(n):
            pq_push(heap, size, pos, key, stamp, x % 2, n, x)
        for s in range(2):
            ours = [int(pq_pop(heap, size, pos, key, stamp, s, n)) for _ in range(size[s])]
            expected = sorted(range(s, n, 2), key=lambda x: (-key[x], -stamp[x]))
            assert ours == expected
            q = [(-key[x], -stamp[x], x) for x in range(s, n, 2)]
            heapq.heapify(q)
            assert ours == [heapq.heappop(q)[2] for _ in range(len(q))]
        assert size.tolist() == [0, 0] and (pos == -1).all()
