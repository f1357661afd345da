"""Morris screening of an experiment's sweep, or of its scenario's ranged numbers: which assumptions move each
outcome most.

Every sweep parameter is mapped to [0, 1] (a range from low to high; a list by position), or with `ranges=True`
every ranged number of the arm's scenario (`{value, low, high}`, those `uncertainty.inputs` selects when the spec
has that option) from its low to its high; SALib draws Morris
trajectories on a `levels`-level grid of that cube, each point is run `replications` times through the batch runner
(same seeds, chunks and engines as `wargame batch`), and the outcome's mean over those runs is the model output.
mu_star (mean absolute elementary effect) ranks influence in the outcome's units per full sweep of a parameter's
range; sigma (their spread) flags non-linear effects or interactions. Every point runs the same seeds (common
random numbers), so an elementary effect measures the parameter's change, not a change of luck.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model.config.errors import UserError
from model.config.loading import Uncertain
from model.experiments.defaults import (
    DEFAULT_LEVELS,
    DEFAULT_REPLICATIONS,
    DEFAULT_TRAJECTORIES,
)
from model.experiments.report import render_page
from model.experiments.runner import run_batch
from model.experiments.spec import Cell, Experiment, Range

COLUMNS = ["outcome", "parameter", "mu_star", "mu_star_conf", "mu", "sigma", "rank"]
SCREENING_FILES = ("sensitivity.csv", "sensitivity.html", "morris.json")   # what a screening adds to a batch's


def _value(values: Any, u: float) -> Any:
    if isinstance(values, Uncertain):
        return values.at(u)
    if isinstance(values, Range):
        v = values.low + u * (values.high - values.low)
        return int(round(v)) if values.integer else float(f"{v:.12g}")
    return values[min(int(u * len(values)), len(values) - 1)]


def screened_ranges(exp: Experiment, arm: str) -> dict[str, Uncertain]:
    """The ranged numbers of an arm that a screening over ranges varies (those `uncertainty.inputs` selects)."""
    import fnmatch

    ranges = exp.arm_ranges.get(arm, {})
    patterns = exp.spec.uncertainty.inputs if exp.spec.uncertainty else []
    return {p: r for p, r in sorted(ranges.items())
            if not patterns or any(fnmatch.fnmatchcase(p, x) for x in patterns)}


def morris_experiment(exp: Experiment, *, trajectories: int, levels: int, replications: int,
                      arm: str | None, ranges: bool = False) -> tuple[Experiment, np.ndarray, dict]:
    """The experiment whose cells are the Morris points of one arm, the unit-cube sample, and SALib's problem.

    ranges=True screens the arm's ranged numbers instead of the sweep (the sweep and the input draws are off)."""
    from SALib.sample import morris as morris_sample

    if exp.spec.sweep is None and not ranges:
        hint = (" (its scenario has ranged numbers: screen them with --ranges)"
                if any(exp.arm_ranges.values()) else "")
        raise UserError("a sensitivity screening varies the spec's sweep parameters, and this spec has no sweep"
                        + hint, file=exp.path)
    if trajectories < 2:
        raise UserError(f"must be at least 2, got {trajectories}", field="--trajectories")
    if replications < 1:
        raise UserError(f"must be at least 1, got {replications}", field="--replications")
    if levels < 2 or levels % 2:
        raise UserError(f"must be an even number of at least 2, got {levels}", field="--levels")
    arm = arm or next(iter(exp.spec.arms))
    if arm not in exp.spec.arms:
        raise UserError(f"unknown arm {arm!r}; expected one of {', '.join(exp.spec.arms)}", field="--arm")
    params: dict[str, Any]
    if ranges:
        params = dict(screened_ranges(exp, arm))
        if len(params) < 1:
            raise UserError(f"the scenario of arm {arm!r} has no ranged numbers ({{value, low, high}}) to screen",
                            file=exp.path, field="--ranges")
    else:
        assert exp.spec.sweep is not None
        params = dict(exp.spec.sweep.parameters)
    names = list(params)
    # the sample's size from the counts, before SALib draws it and every point is checked as a scenario
    from model.config.limits import MAX_CELLS, MAX_RUNS, too_many

    points_count = trajectories * (len(names) + 1)
    if points_count > MAX_CELLS:
        raise too_many(f"Morris points ({trajectories:,} trajectories x {len(names) + 1} points)", points_count,
                       MAX_CELLS, field="--trajectories")
    if points_count * replications > MAX_RUNS:
        raise too_many(f"runs ({points_count:,} Morris points x {replications:,} replications)",
                       points_count * replications, MAX_RUNS, field="--replications")
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    x = morris_sample.sample(problem, N=trajectories, num_levels=levels, seed=exp.spec.seed)
    points = [{n: _value(params[n], float(u)) for n, u in zip(names, row, strict=True)} for row in x]
    spec = exp.spec.model_copy(update={"arms": {arm: exp.spec.arms[arm]}, "hypotheses": {}, "sweep": None,
                                       "uncertainty": None, "replications": replications})
    cells = [Cell(i, arm, i, p) for i, p in enumerate(points)]
    derived = dataclasses.replace(exp, spec=spec, points=points, cells=cells,
                                  arm_files={arm: exp.arm_files[arm]}, arm_dumps={arm: exp.arm_dumps[arm]},
                                  arm_ranges={arm: exp.arm_ranges.get(arm, {})}, inputs=[], draws=[],
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
    """One self-contained page (templates/sensitivity.html.j2): per outcome, mu_star bars with intervals and the
    mu_star-sigma plane, and the table."""
    data = [{"outcome": o, "rows": g.to_dict("records")} for o, g in df.groupby("outcome", sort=False)]
    return render_page("sensitivity.html.j2", "sensitivity.js", "data", data, title=title,
                       rows=df.to_dict("records"))


def run_sensitivity(exp: Experiment, out: str | Path, *, trajectories: int = DEFAULT_TRAJECTORIES,
                    levels: int = DEFAULT_LEVELS, replications: int = DEFAULT_REPLICATIONS, arm: str | None = None,
                    ranges: bool = False, **batch: Any) -> pd.DataFrame:
    """Run the Morris design through the batch runner and write sensitivity.csv and sensitivity.html to `out`.

    ranges=True: screen the scenario's ranged numbers (each from its low to its high) instead of the sweep."""
    derived, x, problem = morris_experiment(exp, trajectories=trajectories, levels=levels,
                                            replications=replications, arm=arm, ranges=ranges)
    result = run_batch(derived, out, reports=False, **batch)
    df = analyse(derived, x, problem, result.runs, levels)
    out = Path(out)
    df.to_csv(out / "sensitivity.csv", index=False)
    (out / "sensitivity.html").write_text(chart_html(df, exp.spec.name or Path(exp.path).stem), encoding="utf-8")
    (out / "morris.json").write_text(json.dumps({"problem": problem, "levels": levels, "trajectories": trajectories,
                                                 "replications": replications, "arm": derived.cells[0].arm,
                                                 "over": "ranges" if ranges else "sweep",
                                                 "ranges": {p: [r.low, r.high] for p, r in
                                                            screened_ranges(exp, derived.cells[0].arm).items()}
                                                 if ranges else None,
                                                 "sample_unit_cube": x.tolist()}))
    return df
