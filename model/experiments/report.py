"""The results of an experiment in words, tables and charts: summary.csv, summary.md, summary.json, report.html.

Everything here is computed from runs.parquet and turns.parquet alone, so a report can be rebuilt from the files.
report.html is one self-contained page that opens from disk or a mail: rendered from templates/report.html.j2 with
the data as escaped JSON and ECharts and templates/report.js inlined.
"""
from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from model.config.conditions import OPS
from model.experiments import assets
from model.experiments.spec import Experiment, Outcome
from model.experiments.stats import (
    CONFIDENCE,
    INPUT_SPREAD,
    compare,
    compare_paired,
    describe,
    describe_draws,
    wilson,
)

BAND = (10, 90)            # percentiles of runs shaded around a numeric trajectory's mean
HIST_BINS = 20
ALL = "all"


def _num(x: Any) -> Any:
    if isinstance(x, (float, np.floating)):
        return None if math.isnan(x) else round(float(x), 6)
    if isinstance(x, np.integer):
        return int(x)
    return x


# ---------------------------------------------------------------------------------------------- tables
INPUT_COLUMNS = ["draws", "input_low", "input_high", "input_share"]    # with `uncertainty:` only


def _describe(exp: Experiment, df: pd.DataFrame, name: str, binary: bool) -> dict:
    """Runs as independent draws of seed noise, or (with input draws) grouped by draw: see stats.describe_draws."""
    x = df[name].astype(float).to_numpy()
    return describe_draws(x, df["cell"].to_numpy(), binary=binary) if exp.n_draws else describe(x, binary=binary)


def outcome_rows(exp: Experiment, runs: pd.DataFrame) -> list[dict]:
    """Each outcome per arm and sweep point (and per arm over all points when there is a sweep)."""
    rows = []
    several = len(exp.points) > 1
    for arm in exp.spec.arms:
        groups: list[tuple[int | str, dict[str, Any], pd.DataFrame]] = [
            (p, exp.points[p], runs[(runs["arm"] == arm) & (runs["point"] == p)]) for p in range(len(exp.points))]
        if several:
            groups.append((ALL, {k: ALL for k in exp.param_names}, runs[runs["arm"] == arm]))
        for point, params, df in groups:
            for name, o in exp.spec.outcomes.items():
                d = _describe(exp, df, name, o.binary)
                rows.append({"table": "outcome", "arm": arm, "point": point, **params, "outcome": name,
                             "kind": "probability" if o.binary else "mean", **d})
    return rows


def hypothesis_rows(exp: Experiment, runs: pd.DataFrame) -> list[dict]:
    """Each hypothesis over all sweep points pooled, then (with a sweep) at each point."""
    rows = []
    points: list[Any] = [ALL] + (list(range(len(exp.points))) if len(exp.points) > 1 else [])
    for hname, h in exp.spec.hypotheses.items():
        o = exp.spec.outcomes[h.outcome]
        for point in points:
            sel = runs if point == ALL else runs[runs["point"] == point]
            x1 = sel.loc[sel["arm"] == h.arm, h.outcome].astype(float).to_numpy()
            x0 = sel.loc[sel["arm"] == h.versus, h.outcome].astype(float).to_numpy()
            if exp.n_draws:     # the arms share the draws: compare them draw by draw (and sweep point)
                by = sel.groupby(["arm", "point", "draw"])[h.outcome].mean()
                m1, m0 = by.loc[h.arm], by.loc[h.versus]
                m0 = m0.reindex(m1.index)
                c = compare_paired(m1.to_numpy(dtype=float), m0.to_numpy(dtype=float), direction=h.direction,
                                   alpha=h.alpha, min_effect=h.min_effect, n_arm=len(x1), n_versus=len(x0))
            else:
                c = compare(x1, x0, binary=o.binary, direction=h.direction, alpha=h.alpha,
                            min_effect=h.min_effect, test=h.test)
            params = exp.points[point] if point != ALL else {k: ALL for k in exp.param_names}
            rows.append({"table": "hypothesis", "hypothesis": hname, "statement": h.statement, "outcome": h.outcome,
                         "kind": "probability" if o.binary else "mean", "arm": h.arm, "versus": h.versus,
                         "direction": h.direction, "point": point, **params, "alpha": h.alpha,
                         "min_effect": h.min_effect, **c.as_dict()})
    return rows


SUMMARY_COLUMNS = ["table", "arm", "point", "outcome", "kind", "n", "estimate", "ci_low", "ci_high", "sd",
                   "hypothesis", "statement", "versus", "direction", "alpha", "min_effect", "n_arm", "n_versus",
                   "estimate_arm", "estimate_versus", "effect", "effect_low", "effect_high", "p_value", "test",
                   "verdict"]


def summary_frame(exp: Experiment, outcomes: list[dict], hypotheses: list[dict]) -> pd.DataFrame:
    """One tidy table: `table` says whether a row is an outcome estimate or a hypothesis test."""
    cols = SUMMARY_COLUMNS[:3] + exp.param_names + SUMMARY_COLUMNS[3:]
    if exp.n_draws:
        cols = cols[:cols.index("sd") + 1] + INPUT_COLUMNS + cols[cols.index("sd") + 1:]
    return pd.DataFrame(outcomes + hypotheses, columns=cols)


# ------------------------------------------------------------------------------------------- in words
def _fmt(x: Any, kind: str = "mean") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.3f}" if kind == "probability" else f"{x:.4g}"


def _p(p: float) -> str:
    return "n/a" if p is None or math.isnan(p) else ("< 0.0001" if p < 1e-4 else f"{p:.4f}")


def _p_is(p: float) -> str:
    text = _p(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def sentence(h: dict) -> str:
    """A hypothesis result in one plain sentence."""
    what = f"P({h['outcome']})" if h["kind"] == "probability" else f"mean {h['outcome']}"
    sign = "+" if h["effect"] >= 0 else ""
    return (f"{what} is {_fmt(h['estimate_arm'], h['kind'])} in {h['arm']} vs {_fmt(h['estimate_versus'], h['kind'])}"
            f" in {h['versus']} (difference {sign}{_fmt(h['effect'], h['kind'])}, {int(CONFIDENCE * 100)}% CI "
            f"{_fmt(h['effect_low'], h['kind'])} to {_fmt(h['effect_high'], h['kind'])}; {h['test']} "
            f"{_p_is(h['p_value'])}; n = {h['n_arm']} and {h['n_versus']}).")


def summary_markdown(exp: Experiment, outcomes: list[dict], hypotheses: list[dict], meta: dict) -> str:
    s = exp.spec
    lines = [f"# {s.name or Path(exp.path).stem}", ""]
    if s.description:
        lines += [s.description.strip(), ""]
    draws = f" x {exp.n_draws} input draw(s)" if exp.n_draws else ""
    lines += [f"{len(exp.cells)} cell(s) ({len(s.arms)} arm(s) x {len(exp.points)} sweep point(s){draws}) x "
              f"{s.replications} replications = {len(exp.cells) * s.replications} runs of {exp.turns} turns; "
              f"master seed {s.seed}; engine {meta.get('engine')} with {meta.get('workers')} worker(s).", ""]
    if exp.n_draws:
        lines += [uncertainty_note(exp), ""]
    if hypotheses:
        lines += ["## Hypotheses", ""]
        for h in (h for h in hypotheses if h["point"] == ALL):
            said = f" — {h['statement']}" if h["statement"] else ""
            lines.append(f"- **{h['hypothesis']}: {h['verdict']}**{said}  \n  {sentence(h)}")
        lines.append("")
        lines += ["| hypothesis | point | arm | versus | direction | effect | 95% CI | p | test | verdict |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for h in hypotheses:
            lines.append(f"| {h['hypothesis']} | {h['point']} | {h['arm']} | {h['versus']} | {h['direction']} | "
                         f"{_fmt(h['effect'], h['kind'])} | [{_fmt(h['effect_low'], h['kind'])}, "
                         f"{_fmt(h['effect_high'], h['kind'])}] | {_p(h['p_value'])} | {h['test']} | "
                         f"{h['verdict']} |")
        lines.append("")
    intervals = ("t 95% intervals over the input draws' means (probabilities too)" if exp.n_draws else
                 "Probabilities with Wilson 95% intervals; means with t 95% intervals")
    lines += ["## Outcomes", "", intervals + ".", ""]
    params = exp.param_names
    spread = f" inputs p{INPUT_SPREAD[0]}-p{INPUT_SPREAD[1]} | input share |" if exp.n_draws else ""
    lines += ["| outcome | arm | point | " + "".join(f"{p} | " for p in params) + "kind | n | estimate | 95% CI |"
              + spread, "|---|---|---|" + "---|" * len(params) + "---|---|---|---|" + "---|---|" * bool(spread)]
    for r in sorted(outcomes, key=lambda r: list(s.outcomes).index(r["outcome"])):
        lines.append(f"| {r['outcome']} | {r['arm']} | {r['point']} | " + "".join(f"{r[p]} | " for p in params)
                     + f"{r['kind']} | {r['n']} | {_fmt(r['estimate'], r['kind'])} | "
                     f"[{_fmt(r['ci_low'], r['kind'])}, {_fmt(r['ci_high'], r['kind'])}] |"
                     + (f" [{_fmt(r['input_low'], r['kind'])}, {_fmt(r['input_high'], r['kind'])}] | "
                        f"{_fmt(r['input_share'], 'probability')} |" if spread else ""))
    lines += ["", "Definitions: " + "; ".join(f"{k} = {_define(o)}" for k, o in s.outcomes.items()) + "."]
    return "\n".join(lines) + "\n"


def uncertainty_note(exp: Experiment) -> str:
    """What the intervals mean when the inputs are drawn: the report says so."""
    r = exp.spec.replications
    how = exp.spec.uncertainty.distribution if exp.spec.uncertainty else "uniform"
    shape = "triangular, mode at the scenario's value" if how == "triangular" else "uniform"
    return (f"Input uncertainty: {len(exp.inputs)} ranged number(s) of the scenario are drawn by Latin hypercube "
            f"({shape}; {exp.n_draws} draws, shared by the arms); every run plays one draw, {r} run(s) per draw. The "
            f"intervals are over the draws, so they include the inputs' uncertainty as well as seed noise; "
            f"hypotheses compare the arms draw by draw (paired). 'inputs p{INPUT_SPREAD[0]}-p{INPUT_SPREAD[1]}' is "
            f"the range of the expected outcome across the draws (seed noise removed), 'input share' the part of "
            f"the run-to-run variance the inputs explain. Drawn: {', '.join(exp.inputs)}.")


def _define(o: Outcome) -> str:
    cond = f"{o.indicator} {o.op} {o.value}" if o.op else o.indicator
    return {"final": f"{cond} at the last turn", "ever": f"{cond} at any turn", "always": f"{cond} at every turn",
            "mean": f"mean of {cond} over the turns", "max": f"max of {cond}", "min": f"min of {cond}"}.get(
        o.at, f"{cond} at {o.at}")


# ------------------------------------------------------------------------------------------- chart data
def distributions(exp: Experiment, runs: pd.DataFrame) -> list[dict]:
    """Per outcome and arm (sweep points pooled): probability and interval, or box, histogram and mean."""
    out = []
    for name, o in exp.spec.outcomes.items():
        vals = runs[name].astype(float).to_numpy()
        edges = np.histogram_bin_edges(vals[np.isfinite(vals)] if vals.size else [0, 1], bins=HIST_BINS)
        arms = []
        for arm in exp.spec.arms:
            sel = runs[runs["arm"] == arm]
            x = sel[name].astype(float).to_numpy()
            d = _describe(exp, sel, name, o.binary)
            item = {"arm": arm, **{k: _num(v) for k, v in d.items()}}
            if not o.binary and x.size:
                item["box"] = [_num(v) for v in np.percentile(x, [0, 25, 50, 75, 100])]
                item["hist"] = np.histogram(x, bins=edges)[0].tolist()
            arms.append(item)
        out.append({"outcome": name, "kind": "probability" if o.binary else "mean", "definition": _define(o),
                    "description": o.description, "edges": [_num(e) for e in edges] if not o.binary else None,
                    "arms": arms})
    return out


def _per_turn(o: Outcome, turns: pd.DataFrame) -> pd.Series:
    col = turns[o.indicator]
    if o.op is None:
        return col.astype(float)
    held = OPS[o.op](col, o.value).astype(float)
    if o.at in ("ever", "always"):   # whether it has held (at every turn) so far, from turn 1
        held = held.where(turns["turn"] > 0)
        g = held.groupby(turns["run_id"])
        held = g.cummax() if o.at == "ever" else g.cummin()
    return held


def trajectories(exp: Experiment, turns: pd.DataFrame) -> list[dict]:
    """Per outcome and arm, by turn: probability with its Wilson band, or mean with the 10th-90th percentile band."""
    out = []
    for name, o in exp.spec.outcomes.items():
        v = _per_turn(o, turns)
        frame = pd.DataFrame({"arm": turns["arm"], "turn": turns["turn"], "v": v}).dropna()
        arms = {}
        for arm, g in frame.groupby("arm", sort=False):
            by = g.groupby("turn")["v"]
            t = by.mean().index.tolist()
            mean = by.mean().to_numpy()
            if o.op is not None and o.at != "mean":
                k, n = by.sum().to_numpy(), by.count().to_numpy()
                band = np.array([wilson(int(a), int(b)) for a, b in zip(k, n, strict=True)])
            else:
                band = np.column_stack([by.quantile(BAND[0] / 100).to_numpy(), by.quantile(BAND[1] / 100).to_numpy()])
            arms[arm] = {"turn": t, "mean": [_num(x) for x in mean], "low": [_num(x) for x in band[:, 0]],
                         "high": [_num(x) for x in band[:, 1]]}
        kind = "probability" if (o.op is not None and o.at != "mean") else "value"
        label = (f"P({o.indicator} {o.op} {o.value}" + (f", {o.at} so far)" if o.at in ("ever", "always") else ")")
                 if kind == "probability" else o.indicator)
        out.append({"outcome": name, "kind": kind, "label": label,
                    "band": "Wilson 95% interval" if kind == "probability"
                    else f"{BAND[0]}th-{BAND[1]}th percentile of runs",
                    "arms": {a: arms[a] for a in exp.spec.arms if a in arms}})
    return out


def report_data(exp: Experiment, runs: pd.DataFrame, turns: pd.DataFrame, outcomes: list[dict],
                hypotheses: list[dict], meta: dict) -> dict:
    def clean(rows: list[dict]) -> list[dict]:
        return [{k: _num(v) for k, v in r.items()} for r in rows]
    return {"title": exp.spec.name or Path(exp.path).stem, "description": exp.spec.description,
            "turns": exp.turns, "replications": exp.spec.replications, "arms": list(exp.spec.arms),
            "params": exp.param_names, "points": exp.points, "seed": exp.spec.seed,
            "engine": meta.get("engine"), "workers": meta.get("workers"), "runs": int(len(runs)),
            "uncertainty": uncertainty_note(exp) if exp.n_draws else None,
            "hypotheses": [{**r, "sentence": sentence(r)} for r in clean(hypotheses)],
            "outcomes": clean(outcomes), "distributions": distributions(exp, runs),
            "trajectories": trajectories(exp, turns)}


# -------------------------------------------------------------------------------------------- the page
def _inline_script(text: str) -> Markup:
    """Script text safe inside <script>: nothing in it can end the element or open an HTML comment."""
    return Markup(text.replace("</script", "<\\/script").replace("<!--", "<\\!--"))


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("model.experiments", assets.TEMPLATES),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    # `tojson` escapes <, >, & and ' as \u003c ... so no text in the data can end the <script> that holds it
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "allow_nan": False}
    return env


def echarts_source() -> Markup | None:
    """ECharts (vendored as package data, one copy in the repository), ready to inline; None when it is missing."""
    try:
        return _inline_script(assets.ECHARTS_JS.read_text(encoding="utf-8"))
    except OSError:
        return None


def render_page(template: str, script: str, data_id: str, data: Any, **context: Any) -> str:
    """A self-contained page from templates/<template>: the data as escaped JSON, ECharts and templates/<script>
    inlined (without ECharts the page keeps its tables and says why the charts are missing)."""
    lib = echarts_source()
    return _environment().get_template(template).render(
        data=data, data_id=data_id, echarts=lib, script=_inline_script(assets.template_script(script)) if lib else "",
        **context)


def report_html(data: dict) -> str:
    return render_page("report.html.j2", "report.js", "report-data", data, fmt=_fmt, pooled=ALL)


# ------------------------------------------------------------------------------------------------ files
def write_reports(exp: Experiment, runs: pd.DataFrame, turns: pd.DataFrame, out: Path, meta: dict) -> dict:
    """summary.csv, summary.md, summary.json and report.html in `out`; returns the summary data."""
    outs, hyps = outcome_rows(exp, runs), hypothesis_rows(exp, runs)
    summary_frame(exp, outs, hyps).to_csv(out / "summary.csv", index=False)
    (out / "summary.md").write_text(summary_markdown(exp, outs, hyps, meta), encoding="utf-8")
    data = report_data(exp, runs, turns, outs, hyps, meta)
    (out / "summary.json").write_text(json.dumps(data, allow_nan=False), encoding="utf-8")
    (out / "report.html").write_text(report_html(data), encoding="utf-8")
    return data
