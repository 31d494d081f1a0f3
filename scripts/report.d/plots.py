"""Plots of the report as PNG bytes (matplotlib, Agg, no metadata that
changes between runs)."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams.update({"figure.dpi": 100, "font.size": 9, "svg.hashsalt": "hvsim"})
OK, BAD = "#4a7ab5", "#c0392b"


def _png(fig):
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def variants_bars(title, label, groups, variants, values, ok, legend):
    """Grouped bars: for each group (a region, or one measure) a bar per
    variant, labelled with its value; values[group][variant]; a run that was
    not as expected (ok[variant] false) is hatched with a red edge;
    legend[variant] is its legend text."""
    bars_total = len(groups) * len(variants)
    fig, ax = plt.subplots(figsize=(min(10.0, max(5.0, 1.5 + 0.6 * bars_total)), 3.6))
    width = 0.8 / max(len(variants), 1)
    cmap = plt.get_cmap("tab10")
    for i, v in enumerate(variants):
        xs = [g + (i - (len(variants) - 1) / 2) * width for g in range(len(groups))]
        ys = [values[g].get(v) or 0 for g in groups]
        bars = ax.bar(xs, ys, width * 0.95, label=legend[v] + ("" if ok[v] else " (NOT as expected)"),
                      color=cmap(i % 10), edgecolor=BAD if not ok[v] else "none", hatch=None if ok[v] else "//")
        ax.bar_label(bars, labels=[f"{y:,}" for y in ys], fontsize=6 if bars_total > 10 else 7,
                     rotation=90 if bars_total > 10 else 0, padding=2)
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylabel(label)
    ax.set_title(title)
    ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 5))
    ax.margins(y=0.25 if bars_total > 10 else 0.15)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(len(variants), 4), frameon=False)
    return _png(fig)


def sweep_lines(title, xlabel, ylabel, xs_labels, series):
    """One line per variant over the sweep's points (evenly spaced, labelled
    with the values); series[variant] = [y or None per point]."""
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    cmap = plt.get_cmap("tab10")
    for i, (v, ys) in enumerate(series.items()):
        pts = [(x, y) for x, y in enumerate(ys) if y is not None]
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=v, color=cmap(i % 10))
    ax.set_xticks(range(len(xs_labels)), xs_labels)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 5))
    ax.set_ylim(bottom=0)
    ax.margins(y=0.1)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=min(len(series), 4), frameon=False)
    return _png(fig)
