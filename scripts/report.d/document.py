"""The report as a list of blocks (headings, paragraphs, tables, plots),
built from the manifest and the results; render.py writes it as HTML and
Markdown, so the two say the same."""
from findings import correctness, cost, fmt_value, num, primary_measure, sweep_finding
from matrix import per_scenario
from plots import sweep_lines, variants_bars
from results import checker_reports, measure, measure_label, metrics, regions

DEFAULT_COLUMNS = ["cycles", "instructions", "el2_entries"]


def plural(n, word):
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def verdict_cell(r):
    if r["outcome"] == "ok":
        return ("as expected", "ok")
    if r["outcome"] == "unexpected":
        return (f"NOT as expected: {r['why']}", "bad")
    return (f"FAILED: {r['why']}", "bad")


def expected_cell(v):
    return f"caught by {v['checker']}" if v["expect"] == "caught" else "correct"


def reports_cell(r):
    reps = checker_reports(r)
    return ", ".join(f"{k} {v:,}" for k, v in sorted(reps.items())) or "-"


def command_text(run):
    parts = ["hvsim", "--scenario", run["scenario"], "--variant", run["variant"]]
    if run["smp"] is not None:
        parts += ["--smp", str(run["smp"])]
    for kv in run["set"]:
        parts += ["--set", kv]
    return " ".join(parts)


class Columns:
    """The numeric columns of a scenario's tables: the regions (cycles and
    entries) and metrics any of its runs reported, then the measures
    sweeps.json names for it."""

    def __init__(self, runs, measures):
        self.regions = sorted({n for r in runs for n in regions(r)})
        self.metrics = sorted({n for r in runs for n in metrics(r)})
        self.measures = measures

    def headers(self, part):
        if part == "regions":
            return [f"{n} cycles (entries)" for n in self.regions]
        return list(self.metrics) + [measure_label(m) for m in self.measures]

    def cells(self, r, part):
        if part == "regions":
            regs = regions(r)
            return [f"{regs[n]['cycles']:,} ({regs[n]['count']:,})" if n in regs else "-" for n in self.regions]
        if not r["stats"]:
            return ["-"] * (len(self.metrics) + len(self.measures))
        mets = metrics(r)
        return [num(mets[n]) if n in mets else "-" for n in self.metrics] + [num(measure(r, m)) for m in self.measures]


def sweep_series(s, manifest, mine, name):
    """{variant: [(value, run), ...] sorted by value} of one sweep; the
    default runs stand at the default value when there is one."""
    default = manifest["defaults"][s["name"]][name]
    points = {v["name"]: [] for v in s["variants"]}
    for r in mine:
        if r["sweep"] == name:
            points[r["variant"]].append((r["value"], r))
        elif r["sweep"] is None and default is not None:
            points[r["variant"]].append((default, r))
    for v in points:
        points[v].sort(key=lambda p: p[0])
    return points


def tables(lead_headers, leads, runs, cols):
    """Two tables of the same runs: verdicts and regions, then metrics and
    measures (one would be too wide to read)."""
    first = [[(t, None) for t in lead] + [verdict_cell(r), (reports_cell(r), None)]
             + [(c, None) for c in cols.cells(r, "regions")] for lead, r in zip(leads, runs)]
    second = [[(t, None) for t in lead] + [(c, None) for c in cols.cells(r, "numbers")] for lead, r in zip(leads, runs)]
    out = [("table", lead_headers + ["verdict", "checker reports"] + cols.headers("regions"), first)]
    if cols.headers("numbers"):
        out.append(("table", lead_headers + cols.headers("numbers"), second))
    return out


def variants_section(s, base, cols, primary):
    vinfo = {v["name"]: v for v in s["variants"]}
    names = [v["name"] for v in s["variants"]]
    blocks = [("h3", "Variants at the default configuration")]
    blocks += tables(["variant", "expected"], [[r["variant"], expected_cell(vinfo[r["variant"]])] for r in base],
                     base, cols)
    plots = []
    if cols.regions:
        plots.append(("regions", cols.regions, ["region:" + g for g in cols.regions], "cycles in each region",
                      "cycles"))
    if not primary.startswith("region:"):
        plots.append((primary.replace(":", "-"), [measure_label(primary)], [primary], measure_label(primary),
                      measure_label(primary)))
    for tag, groups, keys, what, unit in plots:
        values = {g: {r["variant"]: measure(r, k) for r in base} for g, k in zip(groups, keys)}
        png = variants_bars(f"{s['name']}: {what}", unit, groups, names, values,
                            {r["variant"]: r["outcome"] == "ok" for r in base},
                            {v: v + (" (wrong)" if vinfo[v]["expect"] == "caught" else "") for v in names})
        blocks.append(("img", f"{s['name']}-variants-{tag}.png", png, f"{s['name']}: {what} per variant"))
    return blocks


def sweep_section(s, sw, name, points, cols, primary):
    names = [v["name"] for v in s["variants"]]
    label = measure_label(primary)
    xs = sorted({value for v in names for value, _ in points[v]})
    at = {(v, value): r for v in names for value, r in points[v]}
    keys = [(v, x) for x in xs for v in names if (v, x) in at]
    ys = {v: [measure(at[(v, x)], primary) if (v, x) in at else None for x in xs] for v in names}
    png = sweep_lines(f"{s['name']}: {label}", sw["title"], label, [fmt_value(x, sw["unit"]) for x in xs], ys)
    return ([("h3", f"Sweep: {sw['title']} ({'--smp' if sw['smp'] else ', '.join(sw['keys'])})")]
            + tables([sw["title"], "variant"], [[fmt_value(x, sw["unit"]), v] for v, x in keys],
                     [at[k] for k in keys], cols)
            + [("img", f"{s['name']}-sweep-{name}.png", png, f"{s['name']}: {label} against {sw['title']}")])


def scenario_runs(s, manifest, by_id):
    """Its runs, its default runs and the measure its findings are about."""
    mine = [by_id[r["id"]] for r in manifest["runs"] if r["scenario"] == s["name"]]
    base = [r for r in mine if r["sweep"] is None]
    return mine, base, primary_measure(base, per_scenario(manifest["table"], "primary", s["name"], None))


def overview(manifest, by_id):
    rows = []
    for s in manifest["scenarios"]:
        mine, base, primary = scenario_runs(s, manifest, by_id)
        ok = sum(r["outcome"] == "ok" for r in mine)
        each = "; ".join(f"{r['variant']} {num(measure(r, primary))}" for r in base if r["stats"])
        rows.append([(s["name"], None), (s["title"], None), (f"{ok}/{len(mine)}", None if ok == len(mine) else "bad"),
                     (measure_label(primary), None), (each or "-", None)])
    return [("h2", "Overview"),
            ("table", ["scenario", "title", "runs as expected", "measure", "per variant (default configuration)"], rows)]


def scenario_blocks(s, manifest, by_id):
    table = manifest["table"]
    mine, base, primary = scenario_runs(s, manifest, by_id)
    cols = Columns(mine, per_scenario(table, "columns", s["name"], DEFAULT_COLUMNS))
    sweeps = {n: sweep_series(s, manifest, mine, n) for n in manifest["plan"][s["name"]]}
    blocks = [("h2", f"{s['title']} ({s['name']})"), ("p", s["summary"]),
              ("p", f"Checkers: {', '.join(s['checkers']) or 'none'}; {plural(s['cpus'], 'core')} by default. "
                    f"Plots and findings measure {measure_label(primary)}."),
              ("h3", "Finding"), ("p", " ".join(correctness(s, base) + cost(base, primary)))]
    for name, points in sweeps.items():
        text = sweep_finding(table["sweeps"][name], points, primary)
        if text:
            blocks.append(("p", f"{table['sweeps'][name]['title']}: " + " ".join(text)))
    blocks += variants_section(s, base, cols, primary)
    for name, points in sweeps.items():
        blocks += sweep_section(s, table["sweeps"][name], name, points, cols, primary)
    return blocks


def sweeps_blocks(manifest):
    """The configuration sweeps of this matrix and the scenarios they ran on."""
    table, quick = manifest["table"], manifest["quick"]
    used = sorted({n for names in manifest["plan"].values() for n in names})
    if not used:
        return []
    rows = []
    for n in used:
        sw = table["sweeps"][n]
        on = [s for s, names in sorted(manifest["plan"].items()) if n in names]
        values = ", ".join(fmt_value(v, sw["unit"]) for v in (sw["quick"] if quick else sw["values"]))
        rows.append([(sw["title"], None), ("--smp" if sw["smp"] else ", ".join(sw["keys"]), "code"),
                     (values, None), (", ".join(on), None)])
    return [("h2", "Sweeps"),
            ("p", "Each variant also ran at these points (the default configuration's value is its default run)."),
            ("table", ["sweep", "option", "values", "scenarios"], rows)]


def build(manifest, by_id, header):
    runs = [by_id[r["id"]] for r in manifest["runs"]]
    bad = [r for r in runs if r["outcome"] != "ok"]
    blocks = [("h1", "hvsim scenario report"), ("header", header),
              ("p", f"{plural(len(manifest['scenarios']), 'scenario')}, {plural(len(runs), 'run')} "
                    f"({'quick' if manifest['quick'] else 'full'} matrix) on {manifest['version']}: "
                    f"{len(runs) - len(bad)} as expected, "
                    f"{sum(r['outcome'] == 'unexpected' for r in runs)} not as expected, "
                    f"{sum(r['outcome'] == 'failed' for r in runs)} failed. A correct variant must finish with "
                    f"every checker silent; a wrong one must be caught by the checker its description names "
                    f"(docs/scenarios.md).")]
    if bad:
        blocks.append(("h2", "Runs not as expected"))
        blocks.append(("table", ["run", "verdict"], [[(r["id"], None), verdict_cell(r)] for r in bad]))
    blocks += overview(manifest, by_id) + sweeps_blocks(manifest)
    for s in manifest["scenarios"]:
        blocks += scenario_blocks(s, manifest, by_id)
    blocks.append(("h2", "Runs"))
    blocks.append(("p", "Every run of the matrix with its command line (each also takes --stats FILE)."))
    blocks.append(("table", ["run", "command line", "verdict"],
                   [[(r["id"], None), (command_text(r), "code"), verdict_cell(r)] for r in runs]))
    return blocks
