"""Two-way FM kernels against slow references and their invariants."""

import random

import numpy as np
import pytest

from klpart._kernels.fm import bisection_degrees, fm_refine, initial_bisection, side_weights

from .. import reference
from .graphs import random_csr, state


def bounds_for(nw, r, slack=None):
    total = float(nw.sum())
    target = np.array([total / 2, total / 2])
    slack = r.choice([0.0, 0.03, 0.2]) if slack is None else slack
    bound = max(np.ceil(total / 2), np.floor((1 + slack) * np.ceil(total / 2)))
    return np.array([bound, bound]), target


def skewed_bounds(nw, r):
    total = float(nw.sum())
    f = r.choice([0.3, 0.4, 0.5])
    target = np.array([f * total, (1 - f) * total])
    return np.ceil(target * 1.05), target


def balanced_start(n, nw, max_weight, r):
    """A random side array (int64) within the bounds, or None."""
    for _ in range(50):
        side = np.array([r.randrange(2) for _ in range(n)], np.int64)
        bw = np.bincount(side, weights=nw, minlength=2)
        if (bw <= max_weight).all():
            return side
    return None


def test_degrees_and_side_weights_against_reference():
    for t in range(200):
        r = random.Random(t)
        indptr, indices, w, nw = random_csr(t, weights=r.choice(["int", "float", "zero"]), node_weights="float")
        n = nw.shape[0]
        side = np.array([r.randrange(2) for _ in range(n)], np.int64)
        ext, intl = bisection_degrees(indptr, indices, w, side)
        e, i = reference.external_internal(reference.csr_rows(indptr, indices, w), side.tolist())
        np.testing.assert_allclose(ext, e, atol=1e-9)
        np.testing.assert_allclose(intl, i, atol=1e-9)
        np.testing.assert_allclose(side_weights(nw, side), reference.block_loads(nw.tolist(), side.tolist(), 2))


def run_fm(g, side, max_weight, target, passes, stall, seed, record=True):
    indptr, indices, w, nw = g
    cuts = np.full(passes if record else 0, np.nan)
    cut = fm_refine(indptr, indices, w, nw, side, max_weight, target, passes, stall, state(seed), cuts)
    return cut, cuts


@pytest.mark.parametrize("weights", ["unit", "int", "float"])
def test_fm_cut_is_exact_never_worse_and_balanced(weights):
    checked = 0
    for t in range(150):
        r = random.Random(t)
        g = random_csr(100 + t, weights=weights, node_weights=r.choice(["unit", "int"]))
        indptr, indices, w, nw = g
        n = nw.shape[0]
        max_weight, target = bounds_for(nw, r) if r.random() < 0.7 else skewed_bounds(nw, r)
        side = balanced_start(n, nw, max_weight, r)
        if side is None:
            continue
        checked += 1
        rows = reference.csr_rows(indptr, indices, w)
        start = reference.labelling_cut(rows, side.tolist())
        passes = r.randint(1, 4)
        stall = r.choice([0, 2, n])
        original = side.copy()
        cut, cuts = run_fm(g, side, max_weight, target, passes, stall, t)
        assert set(side.tolist()) <= {0, 1}
        assert cut == pytest.approx(reference.labelling_cut(rows, side.tolist()), abs=1e-9), t
        assert cut <= start + 1e-9, t
        assert (np.bincount(side, weights=nw, minlength=2) <= max_weight).all(), t
        # pass_cuts: pass i's entry is the recomputed cut after running i + 1 passes
        ran = int((~np.isnan(cuts)).sum())
        assert ran >= 1 and np.isnan(cuts[ran:]).all()
        assert cuts[ran - 1] == pytest.approx(cut, abs=1e-9)
        assert all(cuts[i + 1] <= cuts[i] + 1e-9 for i in range(ran - 1))  # balanced start: cut never rises
        for i in range(ran):
            replay = original.copy()
            c, _ = run_fm(g, replay, max_weight, target, i + 1, stall, t, record=False)
            assert c == pytest.approx(cuts[i], abs=1e-9)
            assert reference.labelling_cut(rows, replay.tolist()) == pytest.approx(cuts[i], abs=1e-9)
    assert checked > 100


def test_fm_balances_any_unit_weight_start():
    for t in range(200):
        r = random.Random(7000 + t)
        g = random_csr(7000 + t, weights=r.choice(["int", "float"]))
        indptr, indices, w, nw = g
        n = nw.shape[0]
        max_weight, target = bounds_for(nw, r)
        side = np.zeros(n, np.int64) if r.random() < 0.3 else np.array([r.randrange(2) for _ in range(n)], np.int64)
        cut, _ = run_fm(g, side, max_weight, target, r.randint(1, 3), r.choice([0, 3, n]), t)
        assert (np.bincount(side, weights=nw, minlength=2) <= max_weight).all(), t
        assert cut == pytest.approx(reference.labelling_cut(reference.csr_rows(indptr, indices, w), side.tolist()))


def test_fm_never_increases_overweight_with_node_weights():
    for t in range(150):
        r = random.Random(8000 + t)
        g = random_csr(8000 + t, node_weights=r.choice(["int", "float"]))
        indptr, indices, w, nw = g
        n = nw.shape[0]
        max_weight, target = bounds_for(nw, r)
        side = np.array([r.randrange(2) for _ in range(n)], np.int64)

        def over(s):
            return np.maximum(np.bincount(s, weights=nw, minlength=2) - max_weight, 0).sum()

        before = over(side)
        cut, _ = run_fm(g, side, max_weight, target, 3, n, t)
        assert over(side) <= before + 1e-9
        assert cut == pytest.approx(reference.labelling_cut(reference.csr_rows(indptr, indices, w), side.tolist()))


def test_fm_finds_the_optimum_of_two_cliques():
    # two 6-cliques joined by a perfect matching of light edges, each split 3 + 3;
    # one node of slack (with none, no single move is allowed)
    n = 12
    rows = [dict() for _ in range(n)]
    for base in (0, 6):
        for u in range(base, base + 6):
            for v in range(base, base + 6):
                if u != v:
                    rows[u][v] = 3
    for u in range(6):
        rows[u][u + 6] = rows[u + 6][u] = 1
    indptr = np.cumsum([0] + [len(x) for x in rows]).astype(np.int64)
    indices = np.array([v for x in rows for v in x], np.int32)
    w = np.array([c for x in rows for c in x.values()], np.int64)
    nw = np.ones(n, np.int64)
    for seed in range(10):
        side = np.array([0, 0, 0, 1, 1, 1] * 2, np.int64)
        cut = fm_refine(indptr, indices, w, nw, side, np.array([7.0, 7.0]), np.array([6.0, 6.0]), 10, n,
                        state(seed), np.zeros(0))
        assert cut == 6 and len(set(side[:6].tolist())) == 1, seed


def test_initial_bisection_respects_bounds_and_is_near_optimal():
    ours_total = opt_total = 0
    for t in range(120):
        r = random.Random(9000 + t)
        g = random_csr(9000 + t, n=r.randint(2, 12), weights=r.choice(["unit", "int"]))
        indptr, indices, w, nw = g
        n = nw.shape[0]
        max_weight, target = bounds_for(nw, r, slack=0.0)
        side = initial_bisection(indptr, indices, w, nw, max_weight, target, r.randint(1, 4), 3, n, state(t))
        assert side.shape == (n,) and set(side.tolist()) <= {0, 1}
        bw = np.bincount(side.astype(np.int64), weights=nw, minlength=2)
        assert (bw <= max_weight).all(), t
        rows = reference.csr_rows(indptr, indices, w)
        cut = reference.labelling_cut(rows, side.tolist())
        opt = reference.brute_force_bisection(dict(enumerate(rows)), (n // 2, n - n // 2))
        assert cut >= opt
        ours_total += cut
        opt_total += opt
    assert ours_total <= 1.10 * opt_total, (ours_total, opt_total)


def test_initial_bisection_with_skewed_targets_and_node_weights():
    for t in range(120):
        r = random.Random(9500 + t)
        g = random_csr(9500 + t, node_weights="int")
        indptr, indices, w, nw = g
        n = nw.shape[0]
        max_weight, target = skewed_bounds(nw, r)
        side = initial_bisection(indptr, indices, w, nw, max_weight, target, 4, 3, n, state(t))
        bw = np.bincount(side.astype(np.int64), weights=nw, minlength=2)
        # feasible splits exist for some cases only: compare with brute force
        feasible = any(
            sum(nw[u] for u in range(n) if mask >> u & 1) <= max_weight[1]
            and sum(nw[u] for u in range(n) if not mask >> u & 1) <= max_weight[0]
            for mask in range(1 << n)
        )
        if feasible:
            assert (bw <= max_weight).all(), (t, bw, max_weight)


# --------------------------------------------------------------------------
# heap keys: float64 (shared with the k-way FM) or int64, same result
# --------------------------------------------------------------------------
def _fm_with_keys(g, side, max_weight, target, passes, stall, seed, key_dtype):
    from klpart._kernels.fm import _fm_passes

    indptr, indices, w, nw = g
    st = state(seed)
    cuts = np.full(passes, np.nan)
    key = np.empty(nw.shape[0], key_dtype)
    cut = _fm_passes(indptr, indices, w, nw, side, max_weight, target, passes, stall, st, cuts, key, False)
    return cut, cuts, st


@pytest.mark.parametrize("weights", ["unit", "int", "zero"])
def test_fm_float_and_int_heap_keys_give_the_same_run(weights):
    for t in range(150):
        r = random.Random(12000 + t)
        g = random_csr(12000 + t, weights=weights, node_weights=r.choice(["unit", "int"]))
        n = g[3].shape[0]
        max_weight, target = bounds_for(g[3], r)
        start = np.array([r.randrange(2) for _ in range(n)], np.int64)
        passes, stall = r.randint(1, 4), r.choice([0, 3, n])
        a, b = start.copy(), start.copy()
        cut_f, cuts_f, st_f = _fm_with_keys(g, a, max_weight, target, passes, stall, t, np.float64)
        cut_i, cuts_i, st_i = _fm_with_keys(g, b, max_weight, target, passes, stall, t, np.int64)
        assert a.tolist() == b.tolist(), t
        assert cut_f == cut_i and st_f[0] == st_i[0], t
        np.testing.assert_array_equal(cuts_f, cuts_i)
        # the public entry point takes the float64 keys here
        c = start.copy()
        assert fm_refine(*g, c, max_weight, target, passes, stall, state(t), np.zeros(0)) == cut_f
        assert c.tolist() == a.tolist()


def _heavy(g, scale):
    indptr, indices, w, nw = g
    return indptr, indices, w * scale, nw


def test_fm_heavy_integer_weights_fall_back_to_exact_int_keys():
    from klpart._kernels.fm import _fm_passes

    heavy = 2**52  # degrees reach 2**52: float64 keys could round
    checked = 0
    for t in range(60):
        r = random.Random(13000 + t)
        g = _heavy(random_csr(13000 + t, weights="int"), heavy)
        indptr, indices, w, nw = g
        n = nw.shape[0]
        if not (w.size and w.max() >= heavy):
            continue
        checked += 1
        max_weight, target = bounds_for(nw, r)
        start = np.array([r.randrange(2) for _ in range(n)], np.int64)
        # the float-key run refuses before touching anything
        side, st = start.copy(), state(t)
        cut = _fm_passes(indptr, indices, w, nw, side, max_weight, target, 3, n, st, np.zeros(0),
                         np.empty(n, np.float64), True)
        assert cut != cut and side.tolist() == start.tolist() and st[0] == state(t)[0]
        # fm_refine then runs with int64 keys
        expected_side = start.copy()
        expected, _, expected_state = _fm_with_keys(g, expected_side, max_weight, target, 3, n, t, np.int64)
        side, st = start.copy(), state(t)
        assert fm_refine(*g, side, max_weight, target, 3, n, st, np.zeros(0)) == expected
        assert side.tolist() == expected_side.tolist() and st[0] == expected_state[0]
    assert checked > 40


@pytest.mark.parametrize("scale", [1, 2**52])
def test_initial_bisection_is_the_int_key_run(scale):
    from klpart._kernels.fm import _initial_bisection

    for t in range(60):
        r = random.Random(14000 + t)
        g = _heavy(random_csr(14000 + t, n=r.randint(2, 12), weights="int"), scale)
        indptr, indices, w, nw = g
        n = nw.shape[0]
        max_weight, target = bounds_for(nw, r)
        tries = r.randint(1, 4)
        st_a, st_b = state(t), state(t)
        ok, expected = _initial_bisection(*g, max_weight, target, tries, 3, n, st_a, np.empty(n, np.int64), False)
        assert ok
        side = initial_bisection(*g, max_weight, target, tries, 3, n, st_b)
        assert side.tolist() == expected.tolist() and st_a[0] == st_b[0], t
