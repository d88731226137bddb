"""``run.py --phases``: where klpart's time goes, next to METIS's total.

For every graph and k: METIS (through pymetis, native arrays, same
imbalance and seed) and klpart (its own ``CSRGraph``) each run ``repeats``
times per seed, back to back, after a warm-up; a seed's time is the median
of its runs (``common.timed``; klpart's phases: those of its last run).  The table shows
per graph the median over seeds of METIS's time, klpart's wall time, their
ratio, and klpart's ``PartitionResult.timings`` per phase (median over
seeds, milliseconds).
"""

import statistics

from .report import geomean

PHASES = ("conversion", "components", "coarsening", "initial", "refinement", "local_fm", "flows", "balance", "result")


def phase_rows(specs, ks, seeds, imbalance, preset="default", repeats=3):
    """One dict per (graph, k): metis_ms, klpart_ms, ratio, cut ratio and a
    median millisecond figure per phase."""
    import klpart
    from anchors import Metis
    from common import timed

    from .worker import evaluate, warm_up

    warm_up()
    rows = []
    for spec in specs:
        graph = spec.load()
        metis = Metis()
        metis.prepare(graph, None)
        metis.run(2, imbalance, 0)  # warm
        for k in ks:
            m_times, m_cuts, k_times, k_cuts, phases = [], [], [], [], {p: [] for p in PHASES}
            for seed in range(seeds):
                labels, t = timed(lambda: metis.run(k, imbalance, seed), repeats)
                m_times.append(t)
                m_cuts.append(evaluate(graph, labels, k, imbalance)[0])
                res, t = timed(
                    lambda: klpart.partition(graph, k, imbalance=imbalance, preset=preset, seed=seed), repeats
                )
                k_times.append(t)
                k_cuts.append(float(res.cut))
                for p in PHASES:
                    phases[p].append(res.timings.get(p, 0.0))
            m, kl = statistics.median(m_times), statistics.median(k_times)
            rows.append(dict(graph=spec.name, k=k, metis_ms=1e3 * m, klpart_ms=1e3 * kl, ratio=kl / m,
                             cut_ratio=statistics.median(k_cuts) / max(statistics.median(m_cuts), 1e-12),
                             **{p: 1e3 * statistics.median(v) for p, v in phases.items()}))
    return rows


def phase_markdown(rows):
    """Markdown tables, one per k, with a geometric-mean line."""
    out = []
    for k in sorted({r["k"] for r in rows}):
        sel = [r for r in rows if r["k"] == k]
        out.append(f"\n**k = {k}** (milliseconds; medians over seeds)\n")
        out.append("| graph | METIS | klpart | time ratio | cut ratio | " + " | ".join(PHASES) + " |")
        out.append("|---|" + "---:|" * (4 + len(PHASES)))
        for r in sel:
            cells = [f"{r['metis_ms']:.1f}", f"{r['klpart_ms']:.1f}", f"{r['ratio']:.2f}x", f"{r['cut_ratio']:.3f}"]
            cells += [f"{r[p]:.1f}" for p in PHASES]
            out.append(f"| {r['graph']} | " + " | ".join(cells) + " |")
        share = {p: sum(r[p] for r in sel) / max(sum(r["klpart_ms"] for r in sel), 1e-12) for p in PHASES}
        out.append(f"| geomean / share | | | {geomean([r['ratio'] for r in sel]):.2f}x | "
                   f"{geomean([r['cut_ratio'] for r in sel]):.3f} | "
                   + " | ".join(f"{100 * share[p]:.0f}%" for p in PHASES) + " |")
    return "\n".join(out) + "\n"
