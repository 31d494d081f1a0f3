"""The run matrix of scripts/report: scenarios (from hvsim --list-scenarios
json), their variants and the configuration sweeps of sweeps.json."""
import json
import re
import subprocess

from results import MEASURES

TABLE_KEYS = {"about", "sweeps", "apply", "columns", "primary"}
SWEEP_KEYS = {"title", "keys", "smp", "unit", "values", "quick"}
UNITS = {"bytes", "cycles", "ns", "entries", "cores"}


class BadInput(Exception):
    """A one-line error naming the bad input; scripts/report exits 2."""


def hvsim_json(hvsim, *args):
    try:
        out = subprocess.run([hvsim, *args], capture_output=True, text=True, check=False)
    except OSError as e:
        raise BadInput(f"cannot run hvsim '{hvsim}': {e.strerror}") from None
    if out.returncode != 0:
        first = (out.stderr.strip().splitlines() or ["no message"])[0]
        raise BadInput(f"'{hvsim} {' '.join(args)}' failed: {first}")
    try:
        return json.loads(out.stdout)
    except json.JSONDecodeError as e:
        raise BadInput(f"'{hvsim} {' '.join(args)}' did not print JSON: {e}") from None


def hvsim_version(hvsim):
    out = subprocess.run([hvsim, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip() or "unknown"


def config_value(config, key):
    node = config
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _number_list(name, field, v, path):
    if not isinstance(v, list) or not v or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
        raise BadInput(f"{path}: sweep '{name}': '{field}' must be a non-empty list of numbers")
    if len(set(v)) != len(v):
        raise BadInput(f"{path}: sweep '{name}': '{field}' repeats a value")
    return sorted(v)


def load_sweeps(path, config):
    """Reads and checks the sweep table against hvsim's configuration."""
    try:
        with open(path, encoding="utf-8") as f:
            table = json.load(f)
    except OSError as e:
        raise BadInput(f"sweeps '{path}': cannot read it ({e.strerror})") from None
    except json.JSONDecodeError as e:
        raise BadInput(f"sweeps '{path}': not valid JSON ({e})") from None
    if not isinstance(table, dict) or set(table) - TABLE_KEYS or "sweeps" not in table:
        raise BadInput(f"sweeps '{path}': expected an object with 'sweeps' and optionally "
                       f"'apply', 'columns', 'primary', 'about'")
    if not isinstance(table["sweeps"], dict):
        raise BadInput(f"{path}: 'sweeps' must be an object")
    sweeps = {}
    for name, s in sorted(table["sweeps"].items()):
        if not re.fullmatch(r"[a-z0-9_]+", name):
            raise BadInput(f"{path}: sweep name '{name}' is not [a-z0-9_]+")
        if not isinstance(s, dict) or set(s) - SWEEP_KEYS or "title" not in s or "values" not in s:
            raise BadInput(f"{path}: sweep '{name}': expected title, keys or smp, unit, values, quick")
        if bool(s.get("keys")) == bool(s.get("smp")):
            raise BadInput(f"{path}: sweep '{name}': give either 'keys' (configuration) or 'smp': true")
        for key in s.get("keys", []):
            if not isinstance(config_value(config, key), (int, float)):
                raise BadInput(f"{path}: sweep '{name}': '{key}' is not a numeric key of hvsim --dump-config")
        if s.get("unit", "entries") not in UNITS:
            raise BadInput(f"{path}: sweep '{name}': unit '{s['unit']}' is not one of {', '.join(sorted(UNITS))}")
        values = _number_list(name, "values", s["values"], path)
        quick = _number_list(name, "quick", s.get("quick", values[:1] + values[-1:]), path)
        if not set(quick) <= set(values):
            raise BadInput(f"{path}: sweep '{name}': 'quick' values must be among 'values'")
        sweeps[name] = {"title": s["title"], "keys": list(s.get("keys", [])), "smp": bool(s.get("smp")),
                        "unit": s.get("unit", "entries"), "values": values, "quick": quick}
    for field in ("apply", "columns", "primary"):
        if not isinstance(table.get(field, {}), dict):
            raise BadInput(f"{path}: '{field}' must be an object keyed by scenario name (or '*')")
    apply = table.get("apply", {})
    for scen, names in apply.items():
        if not isinstance(names, list) or not all(n in sweeps for n in names):
            raise BadInput(f"{path}: apply '{scen}': expected a list of sweep names from 'sweeps'")
    for scen, cols in table.get("columns", {}).items():
        if not isinstance(cols, list) or not all(c in MEASURES for c in cols):
            raise BadInput(f"{path}: columns '{scen}': expected a list of measures ({', '.join(sorted(MEASURES))})")
    for scen, ms in table.get("primary", {}).items():
        for m in [ms] if isinstance(ms, str) else ms if isinstance(ms, list) and ms else [None]:
            if not isinstance(m, str) or not (m.startswith(("region:", "metric:")) or m in MEASURES):
                raise BadInput(f"{path}: primary '{scen}': '{m}' is not region:NAME, metric:NAME or a measure")
    return {"sweeps": sweeps, "apply": apply, "columns": table.get("columns", {}), "primary": table.get("primary", {})}


def per_scenario(table, field, name, default):
    m = table[field]
    return m.get(name, m.get("*", default))


def applicable_sweeps(table, scenario):
    """The sweeps of a scenario, in the order sweeps.json lists them; the
    core-count sweep only for scenarios that run on more than one core."""
    names = per_scenario(table, "apply", scenario["name"], [])
    return [n for n in names if not table["sweeps"][n]["smp"] or scenario["cpus"] > 1]


def default_of(sweep, scenario, config):
    """The value of the default configuration, or None when the swept keys
    differ there (then the default run is not a point of the sweep)."""
    if sweep["smp"]:
        return scenario["cpus"]
    values = {config_value(config, k) for k in sweep["keys"]}
    return values.pop() if len(values) == 1 else None


def run_id(scenario, variant, sweep=None, value=None):
    base = f"{scenario}.{variant}"
    if sweep is None:
        return base
    return f"{base}.{sweep}={value:g}" if isinstance(value, float) else f"{base}.{sweep}={value}"


def build_matrix(scenarios, table, config, quick):
    """Every run once: each variant at the default configuration, and each
    point of each applicable sweep (its default point is the default run).
    --quick: the first applicable sweep only, with its 'quick' values."""
    runs, defaults, plan = [], {}, {}
    for s in sorted(scenarios, key=lambda x: x["name"]):
        names = applicable_sweeps(table, s)
        if quick:
            names = names[:1]
        plan[s["name"]] = names
        defaults[s["name"]] = {n: default_of(table["sweeps"][n], s, config) for n in names}
        for v in s["variants"]:
            runs.append({"id": run_id(s["name"], v["name"]), "scenario": s["name"], "variant": v["name"],
                         "sweep": None, "value": None, "smp": None, "set": []})
        for n in names:
            sw = table["sweeps"][n]
            for value in sw["quick"] if quick else sw["values"]:
                if value == defaults[s["name"]][n]:
                    continue
                for v in s["variants"]:
                    runs.append({"id": run_id(s["name"], v["name"], n, value), "scenario": s["name"],
                                 "variant": v["name"], "sweep": n, "value": value,
                                 "smp": value if sw["smp"] else None,
                                 "set": [f"{k}={value:g}" if isinstance(value, float) else f"{k}={value}"
                                         for k in sw["keys"]]})
    return runs, defaults, plan


def command(hvsim, run, stats_path):
    argv = [hvsim, "--scenario", run["scenario"], "--variant", run["variant"], "--stats", stats_path]
    if run["smp"] is not None:
        argv += ["--smp", str(run["smp"])]
    for kv in run["set"]:
        argv += ["--set", kv]
    return argv
