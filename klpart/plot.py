"""Matplotlib helpers to see a partition, a KL pass, a multilevel run and a
benchmark.

* :func:`draw_partition` - nodes coloured by block, cut edges highlighted;
* :func:`spy` - the adjacency matrix with rows and columns ordered by block;
* :func:`gain_curve` - cumulative gain over the moves of one KL pass;
* :func:`levels` - graph size and cut per level of the multilevel hierarchy;
* :func:`benchmark` - cut and time relative to a reference tool, and a
  performance profile, from ``bench/run.py`` output;
* :func:`palette` - the block colours (Okabe-Ito, colour-blind safe).

Every function returns the matplotlib ``Axes`` it drew on (or the ``Figure``
when it draws several axes) and takes ``ax=`` (or ``axes=``) to draw into an
existing figure.  matplotlib is imported inside the functions, so ``import
klpart`` (and ``import klpart.plot``) stays free of it.

Artists carry a ``gid`` so that code (and the tests) can find them again:
``"nodes"``, ``"cut edges"``, ``"internal edges"``, ``"nonzeros"``,
``"block boundaries"``, ``"gain"``, ``"best prefix"``, ``"ratio <tool>"``,
``"profile <tool>"``.
"""

import math

import numpy as np

from . import _plot_util as _u

__all__ = ["draw_partition", "spy", "gain_curve", "levels", "anytime", "benchmark", "palette"]

_LEGEND_BLOCKS = 12  # legend rows before "... N more blocks"


def _two_axes(plt, axes, figsize):
    """(figure, [ax0, ax1]): a new side-by-side pair, or the two given Axes."""
    if axes is None:
        fig, pair = plt.subplots(1, 2, figsize=figsize, layout="constrained")
        return fig, list(pair)
    axes = list(axes)
    if len(axes) != 2:
        raise ValueError(f"axes must be two Axes, got {len(axes)}")
    return axes[0].figure, axes


def palette(k):
    """Colours of blocks 0 .. k-1 as ``"#rrggbb"`` strings.

    The first 7 are Okabe and Ito's colour-blind-safe palette (without black,
    which marks cut edges); further blocks reuse the 7 hues darkened or
    lightened, giving 28 distinct colours before they repeat.

    Examples
    --------
    >>> from klpart.plot import palette
    >>> palette(3)
    ['#0072B2', '#E69F00', '#009E73']
    >>> len(set(palette(28))), palette(29)[28] == palette(29)[0]
    (28, True)

    References
    ----------
    .. [1] M. Okabe and K. Ito, "Color Universal Design (CUD): how to make
       figures and presentations that are friendly to colorblind people"
       (2008).
    """
    return _u.palette(k)


def _history_of(result):
    """The history list of a PartitionResult, or ``result`` itself when it is one."""
    from .partitioning import PartitionResult

    history = result.history if isinstance(result, PartitionResult) else result
    if not isinstance(history, (list, tuple)) or not all(isinstance(h, dict) for h in history):
        raise TypeError(f"result must be a PartitionResult or a list of dicts, got {type(result).__name__}")
    return history


def _new_axes(ax):
    import matplotlib.pyplot as plt

    if ax is None:
        # constrained layout makes room for legends placed outside the axes
        _, ax = plt.subplots(layout="constrained")
    return ax


def _block_colors(k, colors):
    if colors is None:
        return _u.palette(k)
    colors = list(colors)
    if len(colors) < k:
        raise ValueError(f"colors has {len(colors)} entries for {k} blocks")
    return colors


def draw_partition(
    G,
    partition,
    pos=None,
    ax=None,
    *,
    weight="weight",
    node_size=None,
    with_labels=False,
    legend=True,
    colors=None,
    max_layout_nodes=2000,
    seed=0,
):
    """Draw a graph with its nodes coloured by block and its cut edges in black.

    Parameters
    ----------
    G : nx.Graph, scipy sparse, CSRGraph, ...
        Undirected graph (anything :func:`klpart.as_csr_graph` accepts).
    partition : PartitionResult, list of node sets, dict, label array or KLTrace
        The blocks: a :class:`~klpart.PartitionResult`, a list (or the KL
        2-tuple) of node sets, a dict node -> block (integers or names), an
        array of block labels in node order, or a :class:`~klpart.trace.KLTrace`
        (its final partition).
    pos : None, str, dict or array_like
        Node positions: a dict node -> (x, y), an ``(n, 2)`` array in node
        order, or the name of a node attribute.  None uses the ``"pos"``
        node attribute when every node has one (NetworkX's geometric
        generators set it), else a spring layout (seeded by ``seed``) for
        graphs of at most ``max_layout_nodes`` nodes.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    weight : str, callable or None, default "weight"
        Edge weights of the cut shown in the legend (as in :func:`klpart.partition`).
        Parallel edges of a multigraph are drawn (and counted) once, self-loops
        not at all.
    node_size : float, optional
        Marker area in points^2; by default it shrinks as the graph grows.
    with_labels : bool, default False
        Write each node's label on it (one text artist per node: for small
        graphs).
    legend : bool, default True
        A legend with each block's colour and size, titled with the cut
        (at most 12 blocks are listed).
    colors : sequence of colours, optional
        One colour per block instead of :func:`palette`.
    max_layout_nodes : int, default 2000
        Largest graph laid out automatically (a spring layout of 2000 nodes
        takes seconds; pass positions for larger graphs).
    seed : int, default 0
        Seed of the spring layout.

    Returns
    -------
    matplotlib.axes.Axes
        With one ``PathCollection`` (gid ``"nodes"``) and two
        ``LineCollection``\\ s (gids ``"internal edges"``, ``"cut edges"``):
        a constant number of artists, so 20,000-node meshes draw in about a
        second.

    Raises
    ------
    ValueError
        If the partition does not fit the graph (foreign, repeated or
        missing nodes, a label array of the wrong length), if a position is
        missing or not finite, or if a large graph comes without positions.
    TypeError
        For an unsupported partition or graph type.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import networkx as nx
    >>> import klpart
    >>> from klpart import plot
    >>> G = nx.grid_2d_graph(6, 6)
    >>> res = klpart.partition(G, 2, seed=0)
    >>> ax = plot.draw_partition(G, res, pos={u: u for u in G})
    >>> len(ax.collections), ax.get_legend().get_title().get_text()
    (3, 'cut 6 (6 edges)')
    """
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgba_array
    from matplotlib.lines import Line2D

    g, labels, k, names = _u.graph_and_labels(G, partition, weight)
    n = g.num_nodes
    if n == 0:
        raise ValueError("the graph has no nodes")
    xy = _u.positions(G, g, pos, max_layout_nodes, seed)
    block_colors = _block_colors(k, colors)
    u, v, w = _u.edge_arrays(g)
    is_cut = labels[u] != labels[v]
    cut = _u.as_number(w[is_cut].sum()) if w.size else 0

    ax = _new_axes(ax)
    segments = np.stack([xy[u], xy[v]], axis=1)  # (m, 2 endpoints, 2 coordinates)
    thin = 0.5 if n > 2000 else 1.0
    internal = LineCollection(
        segments[~is_cut], colors=_u.INTERNAL_EDGE_COLOR, linewidths=thin, alpha=0.6, zorder=1
    )
    internal.set_gid("internal edges")
    cut_lines = LineCollection(
        segments[is_cut], colors=_u.CUT_COLOR, linewidths=2 * thin, zorder=2
    )
    cut_lines.set_gid("cut edges")
    ax.add_collection(internal)
    ax.add_collection(cut_lines)
    if node_size is None:
        node_size = float(np.clip(20000 / n, 2, 80))
    # outlines separate touching nodes of small graphs; on big ones they
    # would paint everything grey
    nodes = ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=node_size,
        c=to_rgba_array(block_colors)[labels],
        edgecolors="#333333" if n <= 500 else "none",
        linewidths=0.5,
        zorder=3,
    )
    nodes.set_gid("nodes")
    if with_labels:
        for (x, y), name in zip(xy.tolist(), g.labels()):
            ax.annotate(str(name), (x, y), fontsize=7, ha="center", va="center", zorder=4)
    ax.update_datalim(xy)
    ax.autoscale_view()
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    if legend:
        sizes = np.bincount(labels, minlength=k)
        shown = min(k, _LEGEND_BLOCKS)
        handles = [
            Line2D([], [], linestyle="", marker="o", markersize=7,
                   markerfacecolor=block_colors[b], markeredgecolor="#333333")
            for b in range(shown)
        ]
        texts = [
            f"{'block ' + str(b) if names is None else names[b]}: {sizes[b]} nodes"
            for b in range(shown)
        ]
        if k > shown:
            handles.append(Line2D([], [], linestyle=""))
            texts.append(f"... {k - shown} more blocks")
        # below the axes: a legend inside would hide part of the graph, and
        # one beside it would narrow side-by-side panels
        ax.legend(handles, texts, title=f"cut {cut} ({int(is_cut.sum())} edges)",
                  loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=min(len(texts), 4),
                  fontsize="small", columnspacing=1.0, handletextpad=0.3)
    return ax


def spy(G, partition, ax=None, *, method="auto", markersize=None, max_pixels=1000, colors=None):
    """The adjacency matrix with rows and columns grouped by block.

    Nonzeros inside a block take the block's colour, nonzeros between blocks
    (the cut) are black; lines mark the block boundaries.  Within a block the
    nodes keep their order.  Self-loops (the diagonal) are not drawn.

    Parameters
    ----------
    G : nx.Graph, scipy sparse, CSRGraph, ...
    partition : PartitionResult, list of node sets, dict, label array or KLTrace
        As in :func:`draw_partition`.
    ax : matplotlib Axes, optional
    method : {"auto", "markers", "image"}
        ``"markers"``: one square marker per nonzero (one ``PathCollection``,
        exact positions); ``"image"``: an image of at most ``max_pixels``
        pixels a side, each pixel covering a square of entries (black if
        any of them is cut).  ``"auto"`` takes markers for sparse matrices
        up to 100,000 nonzeros and the image for dense or bigger ones.
    markersize : float, optional
        Marker area in points^2 (markers only); by default one row tall.
    max_pixels : int, default 1000
        Image resolution limit (image only).
    colors : sequence of colours, optional
        One colour per block instead of :func:`palette`.

    Returns
    -------
    matplotlib.axes.Axes
        Entry (i, j) of the ordered matrix is drawn at x = j, y = i (the
        y axis points down, as in a matrix).  The boundaries are a
        ``LineCollection`` (gid ``"block boundaries"``) at ``s - 0.5`` for
        each cumulative block size ``s`` strictly between 0 and n.

    Raises
    ------
    ValueError
        If the partition does not fit the graph, or for an unknown method.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import networkx as nx
    >>> from klpart import plot
    >>> G = nx.barbell_graph(4, 0)
    >>> ax = plot.spy(G, [{0, 1, 2, 3}, {4, 5, 6, 7}], method="markers")
    >>> len(ax.collections[0].get_offsets())  # 2 * (2 * 6 + 1) nonzeros
    26
    """
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgba

    if method not in ("auto", "markers", "image"):
        raise ValueError(f"method must be 'auto', 'markers' or 'image', got {method!r}")
    g, labels, k, block_names = _u.graph_and_labels(G, partition, None)
    n = g.num_nodes
    if n == 0:
        raise ValueError("the graph has no nodes")
    order = np.argsort(labels, kind="stable")
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n)
    rows = rank[np.repeat(np.arange(n), np.diff(g.indptr))]
    cols = rank[g.indices.astype(np.int64)]
    block = labels[order][rows]  # block of each entry's row
    is_cut = block != labels[order][cols]
    rgba = np.array([to_rgba(c) for c in _block_colors(k, colors)]).reshape(-1, 4)
    cut_rgba = np.array(to_rgba(_u.CUT_COLOR))
    nnz = rows.size
    if method == "auto":
        method = "markers" if nnz <= 100_000 and nnz < 0.05 * n * n else "image"

    ax = _new_axes(ax)
    if method == "markers":
        if markersize is None:
            # one row of a ~5-inch-wide axes, in points, squared; at least
            # 1 pt^2, else the entries of large matrices vanish
            markersize = float(np.clip((350 / n) ** 2, 1.0, 40))
        face = rgba[block]
        face[is_cut] = cut_rgba
        # cut entries are few and scattered: larger markers keep them visible
        area = np.where(is_cut, 3 * markersize, markersize)
        dots = ax.scatter(cols, rows, s=area, c=face, marker="s", linewidths=0,
                          rasterized=nnz > 20_000)
        dots.set_gid("nonzeros")
    else:
        step = max(1, math.ceil(n / max(1, int(max_pixels))))
        side = math.ceil(n / step)
        img = np.zeros((side, side, 4))
        # cut entries are written last so that a pixel holding any wins
        img[rows[~is_cut] // step, cols[~is_cut] // step] = rgba[block[~is_cut]]
        img[rows[is_cut] // step, cols[is_cut] // step] = cut_rgba
        edge = side * step - 0.5
        im = ax.imshow(img, extent=(-0.5, edge, edge, -0.5), interpolation="nearest")
        im.set_gid("nonzeros")
    sizes = np.bincount(labels, minlength=k)
    ends = np.cumsum(sizes)
    cuts = np.unique(ends[(ends > 0) & (ends < n)]) - 0.5
    segs = [[(c, -0.5), (c, n - 0.5)] for c in cuts] + [[(-0.5, c), (n - 0.5, c)] for c in cuts]
    bounds = LineCollection(segs, colors="#555555", linewidths=0.8, linestyles="--")
    bounds.set_gid("block boundaries")
    ax.add_collection(bounds)
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_aspect("equal")
    if k <= 20:
        centres = (ends - sizes / 2 - 0.5)[sizes > 0]
        names = [str(b if block_names is None else block_names[b]) for b in range(k) if sizes[b] > 0]
        ax.set_xticks(centres, names)
        ax.set_yticks(centres, names)
        ax.tick_params(length=0)
        ax.set_xlabel("block")
    return ax


def gain_curve(trace, ax=None, *, pass_index=0):
    """Cumulative gain over the steps of one Kernighan-Lin pass.

    A step swaps one node of each side (NetworkX's order); the curve is the
    cut reduction after each step (positive = better).  KL keeps the best
    prefix of the pass: it is marked and shaded.  When the pass has at most
    200 steps, bars show each step's own gain.

    Parameters
    ----------
    trace : KLTrace or KLPass
        From :func:`klpart.kl_trace`.
    ax : matplotlib Axes, optional
    pass_index : int, default 0
        Which pass of a ``KLTrace`` (negative counts from the end).

    Returns
    -------
    matplotlib.axes.Axes
        The curve is a ``Line2D`` with gid ``"gain"`` (x = 0 .. steps, y = 0
        then ``-running``); the best prefix a marker with gid
        ``"best prefix"`` at x = ``KLPass.best``.

    Raises
    ------
    TypeError
        If ``trace`` is not a KLTrace or KLPass.
    ValueError
        If ``pass_index`` is out of range.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import networkx as nx
    >>> from klpart import kl_trace, plot
    >>> t = kl_trace(nx.barbell_graph(5, 0), seed=1)
    >>> ax = plot.gain_curve(t)
    >>> best = next(l for l in ax.lines if l.get_gid() == "best prefix")
    >>> int(best.get_xdata()[0]) == t.passes[0].best
    True
    """
    from .trace import KLPass, KLTrace

    if isinstance(trace, KLTrace):
        npasses = len(trace.passes)
        if not -npasses <= pass_index < npasses:
            raise ValueError(f"pass_index {pass_index} is out of range: the trace has {npasses} passes")
        p = trace.passes[pass_index]
        title = f"KL pass {pass_index % npasses}"
    elif isinstance(trace, KLPass):
        p = trace
        title = "KL pass"
    else:
        raise TypeError(f"trace must be a KLTrace or a KLPass, got {type(trace).__name__}")
    steps = len(p.running)
    gain = np.concatenate([[0], -np.asarray(p.running)])
    x = np.arange(steps + 1)
    ax = _new_axes(ax)
    if 0 < steps <= 200:
        ax.bar(x[1:], p.gains, color=_u.OKABE_ITO[4], alpha=0.5, width=0.8, label="gain of the step")
    ax.axhline(0, color="#888888", linewidth=0.8)
    line, = ax.plot(x, gain, color=_u.OKABE_ITO[0], marker="o" if steps <= 60 else None,
                    markersize=4, label="cumulative gain")
    line.set_gid("gain")
    b = int(p.best)
    kept = _u.as_number(gain[b])
    if b > 0:
        ax.axvspan(0, b, color=_u.OKABE_ITO[2], alpha=0.12, linewidth=0)
        text = f"best prefix: {b} steps, gain {kept}"
    else:
        text = "no improving prefix: the pass changes nothing"
    mark, = ax.plot([b], [gain[b]], linestyle="", marker="*", markersize=14,
                    color=_u.OKABE_ITO[3], markeredgecolor="black", label=text, zorder=5)
    mark.set_gid("best prefix")
    ax.set_xlabel("step (one node moved each way)")
    ax.set_ylabel("cut reduction")
    ax.set_title(f"{title}: cut {_u.as_number(p.cut_before)} \u2192 {_u.as_number(p.cut_after)}")
    ax.legend(loc="best", fontsize="small")
    return ax


def levels(result, cycles=None, axes=None):
    """Graph size and cut at each level of a multilevel run.

    Left panel: nodes (solid) and edges (dashed) per level, log scale;
    right panel: the cut after refinement on each level.  The x axis runs
    from the coarsest level to level 0 (the input graph), the order in which
    the partition is refined.  Each V-cycle (or restart) has its colour.

    Parameters
    ----------
    result : PartitionResult or list of dict
        A result of :func:`klpart.partition`, or its ``history``.
    cycles : int, sequence of int, "all" or None
        Which cycles to show; None (the default) shows the first.
    axes : pair of matplotlib Axes, optional
        Where to draw; a new 1 x 2 figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        Its lines are labelled ``"nodes, cycle c"``, ``"edges, cycle c"``
        and ``"cut, cycle c"``.

    Raises
    ------
    TypeError
        If ``result`` is neither a PartitionResult nor a list of dicts.
    ValueError
        If there is no history (k = 1) or a requested cycle is not in it.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import klpart
    >>> from klpart import plot
    >>> res = klpart.partition(klpart.delaunay_graph(2000, seed=1), 2, seed=0)
    >>> fig = plot.levels(res)
    >>> nodes = next(l for l in fig.axes[0].lines if l.get_label() == "nodes, cycle 0")
    >>> int(nodes.get_ydata()[-1])
    2000
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    # entries of other phases (components, anytime) carry no "level"
    history = [h for h in _history_of(result) if "level" in h]
    if not history:
        raise ValueError("the history is empty (k = 1 records no levels)")
    present = list(dict.fromkeys(h["cycle"] for h in history))
    if cycles is None:
        chosen = present[:1]
    elif isinstance(cycles, str):
        if cycles != "all":
            raise ValueError(f"cycles must be an int, a list of ints or 'all', got {cycles!r}")
        chosen = present
    else:
        chosen = [cycles] if isinstance(cycles, (int, np.integer)) else list(cycles)
        for c in chosen:
            if c not in present:
                raise ValueError(f"cycle {c!r} is not in the history (cycles: {present})")
    fig, axes = _two_axes(plt, axes, (10, 4))
    size_ax, cut_ax = axes
    colors = _u.palette(len(chosen))
    for color, c in zip(colors, chosen):
        entries = [h for h in history if h["cycle"] == c]
        x = [h["level"] for h in entries]
        size_ax.plot(x, [h["nodes"] for h in entries], "-o", color=color, label=f"nodes, cycle {c}")
        size_ax.plot(x, [h["edges"] for h in entries], "--s", color=color, label=f"edges, cycle {c}")
        cut_ax.plot(x, [_u.as_number(h["cut"]) for h in entries], "-o", color=color, label=f"cut, cycle {c}")
    size_ax.set_yscale("log")
    size_ax.set_ylabel("size")
    size_ax.set_title("graph size per level")
    size_ax.legend([Line2D([], [], color="black", linestyle="-", marker="o"),
                    Line2D([], [], color="black", linestyle="--", marker="s")],
                   ["nodes", "edges"], fontsize="small")
    cut_ax.set_ylabel("cut")
    cut_ax.set_title("cut after refinement")
    cut_ax.legend(handles=[Line2D([], [], color=col, marker="o") for col in colors],
                  labels=[f"cycle {c}" for c in chosen], fontsize="small", ncols=1 + len(chosen) // 8)
    for a in axes:
        a.set_xlabel("level (0 = input graph)")
        a.xaxis.set_major_locator(MaxNLocator(integer=True))
        if not a.xaxis_inverted():
            a.invert_xaxis()
    return fig


def anytime(result, ax=None):
    """Best cut against time of an anytime run (``partition(..., time_limit=)``).

    A step line through the ``{"phase": "anytime"}`` entries of the history:
    the first partition, then every improvement, at the seconds since the
    call started.

    Parameters
    ----------
    result : PartitionResult or list of dict
        A result of :func:`klpart.partition` with ``time_limit``, or its
        ``history``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        Its line has gid ``"best cut"``.

    Raises
    ------
    TypeError
        If ``result`` is neither a PartitionResult nor a list of dicts.
    ValueError
        If the history has no anytime entries (no ``time_limit`` given).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from klpart import delaunay_graph, partition, plot
    >>> res = partition(delaunay_graph(2000, seed=1), 4, time_limit=0.5)
    >>> ax = plot.anytime(res)
    >>> line = next(l for l in ax.lines if l.get_gid() == "best cut")
    >>> int(line.get_ydata()[-1]) == res.cut
    True
    """
    import matplotlib.pyplot as plt

    entries = [h for h in _history_of(result) if h.get("phase") == "anytime"]
    if not entries:
        raise ValueError("the history has no anytime entries (partition was called without time_limit)")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    x = [h["seconds"] for h in entries]
    y = [_u.as_number(h["cut"]) for h in entries]
    ax.step(x, y, where="post", marker="o", color=_u.palette(1)[0], gid="best cut", label="best cut")
    ax.set_xlabel("seconds since the call started")
    ax.set_ylabel("cut")
    ax.set_title("anytime: best cut over time")
    return ax


def benchmark(results, reference=None, *, k=None, axes=None, require_balanced=True, tau_max=None):
    """Cut and time of each tool relative to a reference, and a performance profile.

    An instance is a (graph, k) pair; each tool's cut and time on it are the
    medians over seeds (as ``bench/run.py`` summarises).  Left panel: one
    point per instance and tool at (time ratio, cut ratio) to the reference
    tool (log time axis), a star at the geometric means.  Right panel: the
    Dolan-More performance profile of the cut, the fraction of instances on
    which a tool's cut is within a factor tau of the best cut of any tool.

    Parameters
    ----------
    results : str, path, list of dict or dict of lists
        ``results.csv`` written by ``bench/run.py``, its rows as dicts, or its
        columns as a dict of lists.  Needed columns: ``graph``, ``tool``,
        ``k``, ``cut``, ``time`` (``balanced`` is used when present).
    reference : str, optional
        The tool the ratios are relative to; by default ``"metis"`` when it
        is in the results, else the first tool.
    k : int or sequence of int, optional
        Keep only these block counts.
    axes : pair of matplotlib Axes, optional
        Where to draw; a new 1 x 2 figure when omitted.
    require_balanced : bool, default True
        Leave out runs that broke the balance bound: a tool without a
        balanced run on an instance fails it (ratio infinity in the profile).
    tau_max : float, optional
        Right end of the profile (default: a little beyond the largest
        finite ratio).

    Returns
    -------
    matplotlib.figure.Figure
        The point sets are ``PathCollection``\\ s with gid ``"ratio <tool>"``
        (offsets = (time ratio, cut ratio) per instance; the reference is
        the single point (1, 1)); the profiles are step ``Line2D``\\ s with
        gid ``"profile <tool>"``.

    Raises
    ------
    ValueError
        For empty results, missing columns, malformed values, an unknown
        reference tool, or no rows left after the ``k`` filter.
    TypeError
        For an unsupported ``results`` type.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from klpart import plot
    >>> rows = [
    ...     dict(graph="a", tool="metis", k=2, seed=0, cut=100, time=0.01),
    ...     dict(graph="a", tool="klpart", k=2, seed=0, cut=90, time=0.02),
    ...     dict(graph="b", tool="metis", k=2, seed=0, cut=50, time=0.01),
    ...     dict(graph="b", tool="klpart", k=2, seed=0, cut=60, time=0.03),
    ... ]
    >>> fig = plot.benchmark(rows)
    >>> pts = next(c for c in fig.axes[0].collections if c.get_gid() == "ratio klpart")
    >>> pts.get_offsets().round(2).tolist()
    [[2.0, 0.9], [3.0, 1.2]]
    """
    import matplotlib.pyplot as plt

    rows = _u.load_results(results)
    if k is not None:
        wanted = {int(k)} if isinstance(k, (int, np.integer)) else {int(x) for x in k}
        rows = [r for r in rows if r["k"] in wanted]
        if not rows:
            raise ValueError(f"no results for k in {sorted(wanted)}")
    cells, tools = _u.aggregate(rows, require_balanced)
    if reference is None:
        reference = "metis" if "metis" in tools else tools[0]
    elif reference not in tools:
        raise ValueError(f"reference tool {reference!r} is not in the results (tools: {tools})")
    fig, axes = _two_axes(plt, axes, (11, 4.5))
    ratio_ax, prof_ax = axes
    colors = dict(zip(tools, _u.palette(len(tools))))
    markers = "osD^v<>ph"
    for i, tool in enumerate(tools):
        if tool == reference:
            continue
        xs, ys, _ = _u.ratios_to(cells, tool, reference)
        pts = ratio_ax.scatter(xs, ys, color=colors[tool], marker=markers[i % len(markers)],
                               s=30, alpha=0.8, label=tool)
        pts.set_gid(f"ratio {tool}")
        if xs:
            mean = ratio_ax.scatter([_u.geomean(xs)], [_u.geomean(ys)], color=colors[tool], marker="*",
                                    s=220, edgecolors="black", linewidths=0.8, zorder=5)
            mean.set_gid(f"geomean {tool}")
    ref = ratio_ax.scatter([1.0], [1.0], color=colors[reference], marker="o", s=60,
                           edgecolors="black", label=f"{reference} (reference)", zorder=4)
    ref.set_gid(f"ratio {reference}")
    ratio_ax.axhline(1, color="#888888", linestyle="--", linewidth=0.8)
    ratio_ax.axvline(1, color="#888888", linestyle="--", linewidth=0.8)
    ratio_ax.set_xscale("log")
    ratio_ax.set_xlabel(f"time / time of {reference}")
    ratio_ax.set_ylabel(f"cut / cut of {reference}")
    ratio_ax.set_title(f"relative to {reference} (\u2605 geometric mean)")
    ratio_ax.legend(fontsize="small")

    profile = _u.profile_ratios(cells, tools)
    finite = [r for rs in profile.values() for r in rs if math.isfinite(r)]
    if tau_max is None:
        tau_max = max(1.1, 1 + 1.1 * (max(finite, default=1.0) - 1))
    count = len(cells)
    for tool in tools:
        rs = sorted(r for r in profile[tool] if r <= tau_max)
        xs = [1.0] + rs + [tau_max]
        ys = [0.0] + [(j + 1) / count for j in range(len(rs))] + [len(rs) / count]
        line, = prof_ax.step(xs, ys, where="post", color=colors[tool], linewidth=1.8, label=tool)
        line.set_gid(f"profile {tool}")
    prof_ax.set_xlim(1.0, tau_max)
    prof_ax.set_ylim(-0.02, 1.02)
    prof_ax.set_xlabel("\u03c4 (cut within \u03c4 \u00d7 best)")
    prof_ax.set_ylabel("fraction of instances")
    prof_ax.set_title(f"performance profile ({count} instances)")
    prof_ax.legend(fontsize="small", loc="lower right")
    return fig
