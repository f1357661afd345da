"""Morris screening of an experiment's sweep: which assumptions move each outcome most.

Every sweep parameter is mapped to [0, 1] (a range from low to high; a list by position), SALib draws Morris
trajectories on a `levels`-level grid of that cube, each point is run `replications` times through the batch runner
(same seeds, chunks and engines as `wargame batch`), and the outcome's mean over those runs is the model output.
mu_star (mean absolute elementary effect) ranks influence in the outcome's units per full sweep of a parameter's
range; sigma (their spread) flags non-linear effects or interactions. Every point runs the same seeds (common
random numbers), so an elementary effect measures the parameter's change, not a change of luck.
"""
from __future__ import annotations

import dataclasses
import html
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model.config.errors import UserError
from model.experiments.defaults import (
    DEFAULT_LEVELS,
    DEFAULT_REPLICATIONS,
    DEFAULT_TRAJECTORIES,
)
from model.experiments.report import echarts_source
from model.experiments.runner import run_batch
from model.experiments.spec import Cell, Experiment, Range

COLUMNS = ["outcome", "parameter", "mu_star", "mu_star_conf", "mu", "sigma", "rank"]


def _value(values: Any, u: float) -> Any:
    if isinstance(values, Range):
        v = values.low + u * (values.high - values.low)
        return int(round(v)) if values.integer else float(f"{v:.12g}")
    return values[min(int(u * len(values)), len(values) - 1)]


def morris_experiment(exp: Experiment, *, trajectories: int, levels: int, replications: int,
                      arm: str | None) -> tuple[Experiment, np.ndarray, dict]:
    """The experiment whose cells are the Morris points of one arm, the unit-cube sample, and SALib's problem."""
    from SALib.sample import morris as morris_sample

    if exp.spec.sweep is None:
        raise UserError("a sensitivity screening varies the spec's sweep parameters, and this spec has no sweep",
                        file=exp.path)
    if trajectories < 2:
        raise UserError(f"must be at least 2, got {trajectories}", field="--trajectories")
    if replications < 1:
        raise UserError(f"must be at least 1, got {replications}", field="--replications")
    if levels < 2 or levels % 2:
        raise UserError(f"must be an even number of at least 2, got {levels}", field="--levels")
    arm = arm or next(iter(exp.spec.arms))
    if arm not in exp.spec.arms:
        raise UserError(f"unknown arm {arm!r}; expected one of {', '.join(exp.spec.arms)}", field="--arm")
    params = exp.spec.sweep.parameters
    names = list(params)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    x = morris_sample.sample(problem, N=trajectories, num_levels=levels, seed=exp.spec.seed)
    points = [{n: _value(params[n], float(u)) for n, u in zip(names, row)} for row in x]
    spec = exp.spec.model_copy(update={"arms": {arm: exp.spec.arms[arm]}, "hypotheses": {}, "sweep": None,
                                       "replications": replications})
    cells = [Cell(i, arm, i, p) for i, p in enumerate(points)]
    derived = dataclasses.replace(exp, spec=spec, points=points, cells=cells,
                                  arm_files={arm: exp.arm_files[arm]}, arm_dumps={arm: exp.arm_dumps[arm]},
                                  common_seeds=True)
    _check_points(derived)
    return derived, x, problem


def _check_points(exp: Experiment) -> None:
    from model.experiments.spec import apply_overrides
    arm = next(iter(exp.arm_dumps))
    for n, p in enumerate(exp.points):
        try:
            apply_overrides(exp.arm_dumps[arm], list(p.items()), label="sweep")
        except UserError as exc:
            raise UserError(f"Morris point {n} {p} is not a valid scenario: {exc}", file=exp.path) from None


def analyse(exp: Experiment, x: np.ndarray, problem: dict, runs: pd.DataFrame, levels: int) -> pd.DataFrame:
    """mu_star, its 95% bootstrap interval, mu and sigma for every outcome and parameter, ranked by mu_star."""
    from SALib.analyze import morris as morris_analyze

    rows = []
    for name in exp.spec.outcomes:
        y = runs.groupby("point")[name].mean().reindex(range(len(x))).to_numpy(dtype=float)
        si = morris_analyze.analyze(problem, x, y, num_levels=levels, seed=exp.spec.seed, print_to_console=False)
        order = np.argsort(-np.nan_to_num(np.asarray(si["mu_star"], dtype=float)), kind="stable")
        rank = np.empty(len(order), dtype=int)
        rank[order] = np.arange(1, len(order) + 1)
        for i, p in enumerate(problem["names"]):
            rows.append({"outcome": name, "parameter": p, "mu_star": float(si["mu_star"][i]),
                         "mu_star_conf": float(si["mu_star_conf"][i]), "mu": float(si["mu"][i]),
                         "sigma": float(si["sigma"][i]), "rank": int(rank[i])})
    return pd.DataFrame(rows, columns=COLUMNS).sort_values(["outcome", "rank"], key=lambda c: c.map(
        {k: i for i, k in enumerate(exp.spec.outcomes)}) if c.name == "outcome" else c, kind="stable")


def table(df: pd.DataFrame) -> str:
    lines = []
    for outcome, g in df.groupby("outcome", sort=False):
        lines.append(f"{outcome}:")
        w = max(len("parameter"), *(len(p) for p in g["parameter"]))
        lines.append(f"  {'rank':>4}  {'parameter':<{w}}  {'mu_star':>10}  {'+-95%':>9}  {'mu':>10}  {'sigma':>10}")
        for r in g.itertuples():
            lines.append(f"  {r.rank:>4}  {r.parameter:<{w}}  {r.mu_star:>10.4g}  {r.mu_star_conf:>9.3g}  "
                         f"{r.mu:>10.4g}  {r.sigma:>10.4g}")
    return "\n".join(lines)


def chart_html(df: pd.DataFrame, title: str) -> str:
    """One self-contained page: per outcome, mu_star bars with intervals and the mu_star-sigma plane."""
    data = [{"outcome": o, "rows": g.to_dict("records")} for o, g in df.groupby("outcome", sort=False)]
    lib = echarts_source()
    payload = json.dumps(data, allow_nan=False).replace("</", "<\\/")
    rows = "".join(f"<tr><td>{html.escape(r.outcome)}</td><td>{r.rank}</td><td>{html.escape(r.parameter)}</td>"
                   f"<td>{r.mu_star:.4g}</td><td>{r.mu_star_conf:.3g}</td><td>{r.mu:.4g}</td><td>{r.sigma:.4g}</td>"
                   "</tr>" for r in df.itertuples())
    return _PAGE.format(title=html.escape(title), rows=rows, data=payload,
                        lib=f"<script>{lib}</script>" if lib else "", code=_CODE if lib else "",
                        note="" if lib else "<p>ECharts was not found, so this page has the table only.</p>")


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sensitivity: {title}</title>
<style>body {{ font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 1100px; padding: 0 1em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 3px 7px; }}
.chart {{ width: 100%; height: 320px; }} .grid {{ display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }}</style>
</head><body><h1>Morris screening: {title}</h1>
<p>mu_star: mean absolute change of the outcome when a parameter moves across its whole range (higher = more
influential); sigma: spread of those changes (high = non-linear or interacting).</p>{note}
<div id="charts"></div>
<table><tr><th>outcome</th><th>rank</th><th>parameter</th><th>mu_star</th><th>+-95%</th><th>mu</th><th>sigma</th>
</tr>{rows}</table>
<script type="application/json" id="data">{data}</script>{lib}<script>{code}</script></body></html>
"""

_CODE = r"""
(function () {
  var D = JSON.parse(document.getElementById('data').textContent), root = document.getElementById('charts');
  function third(p) { return p.data[2]; }
  D.forEach(function (o) {
    var row = document.createElement('div'), a = document.createElement('div'), b = document.createElement('div');
    row.className = 'grid';
    a.className = b.className = 'chart';
    row.appendChild(a);
    row.appendChild(b);
    root.appendChild(row);
    var rows = o.rows.slice().reverse();
    var bars = rows.map(function (r, i) { return [r.mu_star - r.mu_star_conf, r.mu_star + r.mu_star_conf, i]; });
    echarts.init(a).setOption({ title: { text: o.outcome, subtext: 'mu_star with 95% bootstrap interval' },
      grid: { left: 160, top: 60 }, tooltip: {}, xAxis: { type: 'value' },
      yAxis: { type: 'category', data: rows.map(function (r) { return r.parameter; }) },
      series: [{ type: 'bar', data: rows.map(function (r) { return r.mu_star; }) },
        { type: 'custom', z: 10, data: bars, renderItem: function (p, api) {
            var l = api.coord([api.value(0), api.value(2)]), h = api.coord([api.value(1), api.value(2)]);
            return { type: 'line', shape: { x1: l[0], y1: l[1], x2: h[0], y2: h[1] },
                     style: { stroke: '#222', lineWidth: 1.5 } }; } }] });
    echarts.init(b).setOption({ title: { text: o.outcome + ': mu_star vs sigma' }, grid: { top: 60 },
      tooltip: { formatter: third }, xAxis: { name: 'mu_star' }, yAxis: { name: 'sigma' },
      series: [{ type: 'scatter', symbolSize: 12, label: { show: true, position: 'right', formatter: third },
                 data: o.rows.map(function (r) { return [r.mu_star, r.sigma, r.parameter]; }) }] });
  });
})();
"""


def run_sensitivity(exp: Experiment, out: str | Path, *, trajectories: int = DEFAULT_TRAJECTORIES,
                    levels: int = DEFAULT_LEVELS, replications: int = DEFAULT_REPLICATIONS, arm: str | None = None,
                    **batch: Any) -> pd.DataFrame:
    """Run the Morris design through the batch runner and write sensitivity.csv and sensitivity.html to `out`."""
    derived, x, problem = morris_experiment(exp, trajectories=trajectories, levels=levels,
                                            replications=replications, arm=arm)
    result = run_batch(derived, out, reports=False, **batch)
    df = analyse(derived, x, problem, result.runs, levels)
    out = Path(out)
    df.to_csv(out / "sensitivity.csv", index=False)
    (out / "sensitivity.html").write_text(chart_html(df, exp.spec.name or Path(exp.path).stem), encoding="utf-8")
    (out / "morris.json").write_text(json.dumps({"problem": problem, "levels": levels, "trajectories": trajectories,
                                                 "replications": replications, "arm": derived.cells[0].arm,
                                                 "sample_unit_cube": x.tolist()}))
    return df
