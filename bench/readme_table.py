"""The README's benchmark table, from results directories of ``bench/run.py``.

    python bench/readme_table.py bench/results/walshaw bench/results/generated
    python bench/readme_table.py bench/results/walshaw bench/results/generated --update-readme

Per results directory: one row per tool, one column per k holding the
geometric mean over graphs of the cut ratio and the time ratio to METIS
(medians over seeds, as in that directory's ``results.md``), and the count
of balance-violating runs; then the machine and the command that made it.
``--update-readme`` replaces what stands between the lines
``<!-- bench:start -->`` and ``<!-- bench:end -->`` of README.md (and
nothing else); without those markers it changes nothing and fails.
"""

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from suite import report  # noqa: E402

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
REPO = Path(__file__).resolve().parents[1]


def table(results_dir, reference="metis"):
    """Markdown for one results directory."""
    results_dir = Path(results_dir)
    rows = report.read_rows(results_dir / "results.csv")
    if not rows:
        raise ValueError(f"{results_dir / 'results.csv'} holds no rows")
    meta_path = results_dir / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    tools = list(dict.fromkeys(r["tool"] for r in rows))
    if reference not in tools:
        raise ValueError(f"no {reference} rows in {results_dir}: ratios need the reference tool")
    ks = sorted({r["k"] for r in rows})
    g = report.geomeans(rows, reference)
    graphs = sorted({r["graph"] for r in rows})
    families = sorted({r.get("family") or "?" for r in rows})
    seeds = sorted({r["seed"] for r in rows})
    lines = [
        f"**{', '.join(families)}** ({len(graphs)} graphs, seeds {seeds[0]}-{seeds[-1]}, "
        f"imbalance {rows[0].get('eps', 0.03):g}): geometric mean over graphs of "
        f"*cut ratio / time ratio* to {reference} (median over seeds; below 1 = smaller cut, faster).",
        "",
        "| tool | " + " | ".join(f"k={k}" for k in ks) + " | balance violations |",
        "|---|" + "---:|" * len(ks) + "---:|",
    ]
    for t in tools:
        cells, bad, runs = [], 0, 0
        for k in ks:
            e = g.get((t, k))
            if e is None:
                cells.append("-")
                continue
            bad += e["violations"]
            runs += e["runs"]
            cells.append(f"{report.fmt_ratio(e['cut'])} / {report.fmt_ratio(e['time'], 2, '×')}")
        lines.append(f"| {t} | " + " | ".join(cells) + f" | {bad} / {runs} |")
    machines = meta.get("machines") or []
    if machines:
        lines.append("")
        lines.append("; ".join(m.removeprefix("machine: ") for m in machines) + ".")
    versions = meta.get("versions")
    if versions:
        lines.append("Versions: " + ", ".join(f"{p} {v}" for p, v in versions.items()) + ".")
    try:
        rel = results_dir.resolve().relative_to(REPO)
    except ValueError:
        rel = results_dir
    commands = [r["command"] for r in meta.get("runs", [])]
    if commands:
        md = f"{rel.as_posix()}/results.md"
        pngs = [p.name for p in sorted(results_dir.glob("*.png")) if p.name in ("benchmark.png", "scaling.png")]
        plots = "".join(f", [{p}]({rel.as_posix()}/{p})" for p in pngs)
        # the command that makes this directory: a run written elsewhere
        # (a scratch folder, then copied here) is shown with this --out
        command = re.sub(r"--out \S+", f"--out {rel.as_posix()}", commands[-1])
        lines.append(f"Made by `{command}`; details in [{md}]({md}){plots}.")
    return "\n".join(lines)


def replace_block(text, block):
    """``text`` with the lines between the bench markers replaced by ``block``.

    >>> replace_block("a\\n<!-- bench:start -->\\nold\\n<!-- bench:end -->\\nb\\n", "new")
    'a\\n<!-- bench:start -->\\nnew\\n<!-- bench:end -->\\nb\\n'
    """
    start, end = text.find(START), text.find(END)
    if start < 0 or end < 0 or end < start:
        raise ValueError(f"README has no {START} ... {END} block")
    return text[: start + len(START)] + "\n" + block.strip("\n") + "\n" + text[end:]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="results directories (with results.csv, meta.json)")
    parser.add_argument("--reference", default="metis")
    parser.add_argument("--update-readme", nargs="?", const=str(REPO / "README.md"), metavar="README",
                        help="rewrite the bench block of README.md (or the given file)")
    args = parser.parse_args(argv)
    try:
        block = "\n\n".join(table(d, args.reference) for d in args.results)
        if args.update_readme:
            path = Path(args.update_readme)
            path.write_text(replace_block(path.read_text(), block))
            print(f"updated {path}", file=sys.stderr)
    except ValueError as err:
        raise SystemExit(f"error: {err}") from None
    print(block)


if __name__ == "__main__":
    main()
