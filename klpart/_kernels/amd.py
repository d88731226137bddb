"""Approximate minimum degree (AMD) on a quotient graph.

The ordering of Amestoy, Davis and Duff (1996), written from the paper's
description: the elimination graph is never formed.  Eliminated nodes become
*elements* (cliques kept as the list of their remaining variables); every
variable keeps a list of the elements it belongs to and of the variables it
is still directly adjacent to.  Eliminating a pivot absorbs the elements it
belongs to into a new element; the degrees of the variables of that element
are replaced by the approximate external degree bound of AMD; elements whose
variables all lie in the new element are absorbed too (aggressive
absorption); variables of the new element with identical lists merge into
supervariables; variables adjacent to nothing but the new element are
eliminated with the pivot (mass elimination).

Node weights count as multiplicities (supervariables of an already
compressed graph): the degree of a variable is the summed weight of its
neighbours in the elimination graph.  A *constraint set* per node (CAMD
style) forces every node of set 0 to be eliminated before any node of set 1,
and so on; ND leaves use it to keep a halo of separator nodes last.

Graphs are symmetric CSR arrays (``indptr`` int64, ``indices`` integer); self
loops are ignored, duplicate entries are not allowed.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def _compact(iw, pe, ln, status, need):
    """Copy the lists of live variables (status 0) and elements (status 1)
    into a fresh pool with at least ``need`` free slots; returns (pool, free)."""
    n = pe.shape[0]
    used = 0
    for i in range(n):
        if status[i] <= 1:
            used += ln[i]
    cap = max(2 * iw.shape[0], used + need + 16)
    out = np.empty(cap, np.int64)
    q = 0
    for i in range(n):
        if status[i] <= 1:
            p0 = pe[i]
            pe[i] = q
            for t in range(ln[i]):
                out[q] = iw[p0 + t]
                q += 1
    return out, q


# inlined in Numba's IR, so that the elimination loop compiles as if written out
@njit(cache=True, inline="always")
def _emit_chain(order, k, chain_next, x):
    """Append supervariable x and the variables merged into it to ``order``
    from position k; returns the next free position."""
    while x >= 0:
        order[k] = x
        k += 1
        x = chain_next[x]
    return k


@njit(cache=True)
def amd_order(indptr, indices, node_weights, cset):
    """Approximate-minimum-degree elimination order.

    Parameters
    ----------
    indptr, indices : CSR arrays of a symmetric graph (no duplicates).
    node_weights : int array, every weight >= 1 (supervariable sizes).
    cset : int64 array of constraint sets (>= 0): all nodes of set ``s`` are
        eliminated before any node of set ``s + 1``; zeros everywhere give
        plain AMD.

    Returns
    -------
    order : int64 array, ``order[i]`` is the node eliminated i-th.
    """
    n = indptr.shape[0] - 1
    order = np.empty(n, np.int64)
    if n == 0:
        return order
    nnz = indptr[n]
    cap = 2 * nnz + 2 * n + 64
    iw = np.empty(cap, np.int64)
    pe = np.empty(n, np.int64)
    ln = np.zeros(n, np.int64)
    elen = np.zeros(n, np.int64)
    nv = np.empty(n, np.int64)
    status = np.zeros(n, np.int64)  # 0 variable, 1 element, 2 absorbed element, 3 non-principal / mass-eliminated
    pfree = 0
    total = 0
    nsets = 1
    for i in range(n):
        nv[i] = max(np.int64(node_weights[i]), np.int64(1))
        total += nv[i]
        if cset[i] + 1 > nsets:
            nsets = cset[i] + 1
    deg = np.zeros(n, np.int64)
    for i in range(n):
        pe[i] = pfree
        d = 0
        for p in range(indptr[i], indptr[i + 1]):
            j = indices[p]
            if j != i:
                iw[pfree] = j
                pfree += 1
                d += nv[j]
        ln[i] = pfree - pe[i]
        deg[i] = d
    # degree buckets: key = cset * (total + 1) + degree.  The insertion below
    # and the re-insertion after each pivot (and the unlinking) are written
    # out: a shared helper, inlined or not, measured 5-30% slower (array
    # arguments cost reference counting at every use).  The same holds for
    # KL's gain buckets (kl._passes_buckets writes its list unlinking out the
    # same way: inlined link/unlink helpers made its sweeps 2.5x slower), so
    # these repeated list operations are kept on purpose (issue 18)
    span = total + 1
    nb = nsets * span
    head = np.full(nb, -1, np.int64)
    nxt = np.full(n, -1, np.int64)
    prv = np.full(n, -1, np.int64)
    key = np.empty(n, np.int64)
    mindeg = nb
    for i in range(n - 1, -1, -1):
        kk = cset[i] * span + min(deg[i], total)
        key[i] = kk
        h = head[kk]
        nxt[i] = h
        prv[i] = -1
        if h >= 0:
            prv[h] = i
        head[kk] = i
        if kk < mindeg:
            mindeg = kk
    # supervariable member chains (emitted together)
    chain_next = np.full(n, -1, np.int64)
    chain_tail = np.arange(n)
    edeg = np.zeros(n, np.int64)  # weighted |Le| of an element
    mark = np.full(n, -1, np.int64)
    wst = np.full(n, -1, np.int64)
    w = np.zeros(n, np.int64)
    dext = np.zeros(n, np.int64)
    hsh = np.zeros(n, np.int64)
    hhead = np.full(n, -1, np.int64)
    hnext = np.full(n, -1, np.int64)
    tmp = np.empty(n + 1, np.int64)
    lme = np.empty(n, np.int64)
    stamp = 0
    remaining = total
    live_vars = n
    k = 0
    while remaining > 0 and k < n:
        while mindeg < nb and head[mindeg] == -1:
            mindeg += 1
        me = head[mindeg]
        # unlink me
        h = nxt[me]
        head[mindeg] = h
        if h >= 0:
            prv[h] = -1
        if pfree + live_vars + 1 > iw.shape[0]:
            iw, pfree = _compact(iw, pe, ln, status, live_vars + 1)
        stamp += 1
        mark[me] = stamp
        lstart = pfree
        degme = 0
        nl = 0
        pme = pe[me]
        # Lme: the live variables of the elements me belongs to (sources
        # 0 .. elen - 1, absorbed as they are read), then me's own variable
        # neighbours (source elen)
        for t in range(elen[me] + 1):
            if t < elen[me]:
                e = iw[pme + t]
                if status[e] != 1:
                    continue
                status[e] = 2  # absorbed; its list is still read (variables only)
                lo = pe[e]
                hi = lo + ln[e]
            else:
                lo = pme + elen[me]
                hi = pme + ln[me]
            for q in range(lo, hi):
                j = iw[q]
                if status[j] == 0 and mark[j] != stamp:
                    mark[j] = stamp
                    iw[pfree] = j
                    pfree += 1
                    lme[nl] = j
                    nl += 1
                    degme += nv[j]
        status[me] = 1
        pe[me] = lstart
        ln[me] = pfree - lstart
        elen[me] = 0
        live_vars -= 1
        k = _emit_chain(order, k, chain_next, me)
        remaining -= nv[me]
        # unlink the variables of Lme from their buckets
        for t in range(nl):
            j = lme[t]
            kk = key[j]
            a = prv[j]
            b = nxt[j]
            if a >= 0:
                nxt[a] = b
            else:
                head[kk] = b
            if b >= 0:
                prv[b] = a
        # |Le \ Lme| for every element adjacent to Lme
        for t in range(nl):
            i = lme[t]
            pi = pe[i]
            for s in range(elen[i]):
                e = iw[pi + s]
                if status[e] != 1 or e == me:
                    continue
                if wst[e] != stamp:
                    wst[e] = stamp
                    w[e] = edeg[e] - nv[i]
                else:
                    w[e] -= nv[i]
        # rewrite the lists of Lme: me first, pruned elements, pruned variables
        for t in range(nl):
            i = lme[t]
            p0 = pe[i]
            li = ln[i]
            ei = elen[i]
            for s in range(li):
                tmp[s] = iw[p0 + s]
            q = p0
            iw[q] = me
            q += 1
            de = 0
            for s in range(ei):
                e = tmp[s]
                if status[e] != 1 or e == me:
                    continue
                if w[e] <= 0:
                    status[e] = 2  # aggressive absorption: Le is inside Lme
                    continue
                de += w[e]
                iw[q] = e
                q += 1
            elen[i] = q - p0
            for s in range(ei, li):
                j = tmp[s]
                if status[j] != 0 or mark[j] == stamp:
                    continue
                de += nv[j]
                iw[q] = j
                q += 1
            ln[i] = q - p0
            dext[i] = de
            # the hash that finds candidate supervariables: the sum of the new list
            hv = 0
            for s in range(p0, q):
                hv += iw[s]
            hsh[i] = hv % n
        # mass elimination: variables adjacent to nothing but me
        for t in range(nl):
            i = lme[t]
            if ln[i] == 1 and cset[i] == cset[me]:
                status[i] = 3
                k = _emit_chain(order, k, chain_next, i)
                remaining -= nv[i]
                degme -= nv[i]
                live_vars -= 1
        # supervariables among Lme: equal hash, then equal lists
        for t in range(nl):
            i = lme[t]
            if status[i] != 0:
                continue
            hb = hsh[i]
            hnext[i] = hhead[hb]
            hhead[hb] = i
        for t in range(nl):
            i0 = lme[t]
            if status[i0] != 0:
                continue
            hb = hsh[i0]
            i = hhead[hb]
            if i < 0:
                continue
            hhead[hb] = -1
            while i >= 0:
                if status[i] == 0:
                    stamp += 1
                    for s in range(pe[i], pe[i] + ln[i]):
                        mark[iw[s]] = stamp
                    j = hnext[i]
                    while j >= 0:
                        if status[j] == 0 and ln[j] == ln[i] and elen[j] == elen[i] and cset[j] == cset[i]:
                            same = True
                            for s in range(pe[j], pe[j] + ln[j]):
                                if mark[iw[s]] != stamp:
                                    same = False
                                    break
                            if same:
                                status[j] = 3
                                nv[i] += nv[j]
                                chain_next[chain_tail[i]] = j
                                chain_tail[i] = chain_tail[j]
                                nv[j] = 0
                                live_vars -= 1
                        j = hnext[j]
                i = hnext[i]
        # final degrees, back into the buckets
        for t in range(nl):
            i = lme[t]
            if status[i] != 0:
                continue
            nvi = nv[i]
            d = dext[i] + degme - nvi
            d2 = deg[i] + degme - nvi
            if d2 < d:
                d = d2
            if remaining - nvi < d:
                d = remaining - nvi
            if d < 0:
                d = 0
            deg[i] = d
            kk = cset[i] * span + d
            key[i] = kk
            hd = head[kk]
            nxt[i] = hd
            prv[i] = -1
            if hd >= 0:
                prv[hd] = i
            head[kk] = i
            if kk < mindeg:
                mindeg = kk
        edeg[me] = degme
    return order
