"""`uncertainty:` in a spec: the scenario's ranged numbers drawn by Latin hypercube, the same whatever the engine,
the workers or interruptions; each run plays its draw exactly as if it were set by hand; the arms share draws;
the report's intervals are over the draws; the Morris screening can run over the ranges."""
from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from model import WargameModel, load_scenario
from model.cli.main import main
from model.config.errors import UserError
from model.experiments.runner import run_batch
from model.experiments.sensitivity import run_sensitivity
from model.experiments.spec import load_experiment
from model.experiments.stats import compare_paired, describe_draws

DATA = Path(__file__).parents[1] / "data"
SPEC = DATA / "experiments" / "uncertain.yaml"
RANGED = DATA / "scenarios" / "ranged.yaml"
TEXT = SPEC.read_text()


def spec_variant(tmp_path: Path, old: str, new: str, name: str = "spec") -> Path:
    assert TEXT.count(old) == 1, old
    p = tmp_path / f"{name}.yaml"
    p.write_text(TEXT.replace(old, new).replace("../scenarios/ranged.yaml", str(RANGED)))
    return p


def frames(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_parquet(out / "runs.parquet"), pd.read_parquet(out / "turns.parquet")


def assert_same(a: Path, b: Path) -> None:
    for x, y in zip(frames(a), frames(b), strict=True):
        pd.testing.assert_frame_equal(x, y)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("uncertain")
    run_batch(load_experiment(SPEC), out, workers=1, chunk_size=1, progress=False)
    return out


def test_the_draws_form_a_latin_hypercube_shared_by_the_arms(tmp_path):
    exp = load_experiment(SPEC)
    assert exp.n_draws == 6 and len(exp.cells) == 2 * 6
    assert exp.inputs == sorted(exp.inputs) and len(exp.inputs) == 6
    u = np.asarray(exp.draws)
    assert u.shape == (6, 6)
    for j in range(u.shape[1]):                 # one draw in each sixth of every input's range
        assert sorted(np.floor(u[:, j] * 6).astype(int)) == list(range(6))
    ranges = load_scenario(RANGED).uncertain
    base = [c for c in exp.cells if c.arm == "baseline"]
    engaged = [c for c in exp.cells if c.arm == "engaged"]
    for b, e in zip(base, engaged, strict=True):
        assert b.draw == e.draw
        for path, v in b.inputs.items():
            assert ranges[path].low <= v <= ranges[path].high
            if path != "initial_us_engagement":
                assert e.inputs[path] == v          # paired: the same value of every shared input
        assert "initial_us_engagement" not in e.params and e.inputs["initial_us_engagement"] == 0.8   # fixed by set:
        assert isinstance(b.inputs["actors.USA.action_points"], int)
    assert load_experiment(SPEC).draws == exp.draws           # deterministic
    assert load_experiment(spec_variant(tmp_path, "seed: 11", "seed: 12")).draws != exp.draws
    other = load_experiment(spec_variant(Path(__import__("tempfile").mkdtemp()), "seed: 11", "seed: 12"))
    assert other.draws != exp.draws


def test_triangular_draws_keep_the_value_likeliest_and_uniform_ones_are_flat(tmp_path):
    exp = load_experiment(spec_variant(tmp_path, "draws: 6}", "draws: 400}"))
    drift = np.array([c.inputs["params.drift"] for c in exp.cells if c.arm == "baseline"])
    # triangular(0, 0.05, 0.2): the mean is (0 + 0.05 + 0.2) / 3 and the mode is near 0.05
    assert drift.mean() == pytest.approx(0.25 / 3, abs=2e-3)
    assert stats.kstest(drift, stats.triang(0.25, loc=0, scale=0.2).cdf).pvalue > 0.5
    flat = load_experiment(spec_variant(tmp_path, "draws: 6}", "draws: 400, distribution: uniform}", "flat"))
    drift = np.array([c.inputs["params.drift"] for c in flat.cells if c.arm == "baseline"])
    assert stats.kstest(drift, stats.uniform(0, 0.2).cdf).pvalue > 0.5


def test_a_drawn_run_equals_the_same_values_set_by_hand(reference):
    runs, turns = frames(reference)
    exp = load_experiment(SPEC)
    assert list(runs.columns[:4]) == ["run_id", "arm", "point", "draw"]
    assert exp.inputs == list(runs.columns[4:10])
    assert (runs.loc[runs["arm"] == "baseline", "engagement_start"]
            == runs.loc[runs["arm"] == "baseline", "initial_us_engagement"]).all()   # the input reached the model
    assert runs["initial_us_engagement"].nunique() == 7          # 6 draws in baseline, fixed 0.8 in engaged
    for _, row in runs.iloc[[3, 8, 17]].iterrows():
        sets = [f"{p}={json.dumps(getattr(row[p], 'item', lambda v=row[p]: v)())}" for p in exp.inputs]
        sc = load_scenario(RANGED, sets + (["initial_us_engagement=0.8"] if row["arm"] == "engaged" else []))
        df = WargameModel(sc, seed=int(row["seed"]), turns=exp.turns).run().indicators()
        assert row["alignment_final"] == df["syria_alignment"].iloc[-1]
        mine = turns[turns["run_id"] == row["run_id"]].reset_index(drop=True)
        assert mine["syria_alignment"].tolist() == df["syria_alignment"].tolist()
    # and the draws matter: runs of one seed differ in outcome across draws
    assert runs.groupby("draw")["alignment_final"].mean().nunique() == 6


def _executors():
    """Where the local engine's knobs live (model.experiments.executors once the executors moved there)."""
    try:
        return importlib.import_module("model.experiments.executors")
    except ImportError:
        return importlib.import_module("model.experiments.chunks")


def test_identical_with_two_worker_processes_on_dask_and_after_resume(reference, tmp_path, monkeypatch):
    engine = _executors()
    monkeypatch.setattr(engine, "POOL_MIN_SECONDS", 0.0)     # a pool even for this little work,
    monkeypatch.setattr(engine, "PARENT_WORKS", False)        # and it runs all but the first chunk
    res = run_batch(load_experiment(SPEC), tmp_path / "two", workers=2, chunk_size=2, progress=False)
    assert res.processes == 2
    assert_same(reference, tmp_path / "two")
    run_batch(load_experiment(SPEC), tmp_path / "dask", engine="dask", workers=2, chunk_size=3, progress=False,
              dask_processes=False)
    assert_same(reference, tmp_path / "dask")
    part = tmp_path / "part"                                  # half the chunks on disk, then --resume
    run_batch(load_experiment(SPEC, replications=1), part, workers=1, chunk_size=1, progress=False)
    resumed = run_batch(load_experiment(SPEC), part, resume=True, workers=1, progress=False)
    assert resumed.ran == 12
    assert_same(reference, part)


def test_resume_refuses_when_a_range_changed(reference, tmp_path):
    shutil.copytree(reference, tmp_path / "out")
    shutil.copytree(DATA / "scenarios", tmp_path / "scenarios")      # the same spec text, another range
    (tmp_path / "experiments").mkdir()
    spec = tmp_path / "experiments" / "uncertain.yaml"
    shutil.copy(SPEC, spec)
    run_batch(load_experiment(spec), tmp_path / "out", resume=True, progress=False)   # nothing changed: fine
    ranged = tmp_path / "scenarios" / "ranged.yaml"
    ranged.write_text(ranged.read_text().replace("drift: {value: 0.05, low: 0.0, high: 0.2}",
                                                 "drift: {value: 0.05, low: 0.0, high: 0.3}"))
    with pytest.raises(UserError, match="cannot resume: the input draws .* changed"):
        run_batch(load_experiment(spec), tmp_path / "out", resume=True, progress=False)


def test_the_report_says_the_intervals_carry_input_uncertainty(reference):
    runs = frames(reference)[0]
    md = (reference / "summary.md").read_text()
    assert "Input uncertainty: 6 ranged number(s)" in md and "paired t over 6 draws" in md
    summary = pd.read_csv(reference / "summary.csv")
    row = summary[(summary["table"] == "outcome") & (summary["outcome"] == "alignment_final")
                  & (summary["arm"] == "baseline")].iloc[0]
    means = runs[runs["arm"] == "baseline"].groupby("draw")["alignment_final"].mean()
    ci = stats.ttest_1samp(means, 0).confidence_interval()
    assert (row["estimate"], row["ci_low"], row["ci_high"], row["draws"]) == pytest.approx(
        (means.mean(), ci.low, ci.high, 6))
    assert row["input_low"] <= row["estimate"] <= row["input_high"] and 0 <= row["input_share"] <= 1
    hyp = summary[summary["table"] == "hypothesis"].iloc[0]
    by = runs.groupby(["arm", "draw"])["engagement_start"].mean()
    d = by.loc["engaged"] - by.loc["baseline"]
    assert hyp["effect"] == pytest.approx(d.mean())
    assert hyp["p_value"] == pytest.approx(stats.ttest_rel(by.loc["engaged"], by.loc["baseline"]).pvalue)
    meta = json.loads((reference / "metadata.json").read_text())
    assert meta["uncertainty"]["draws"] == 6 and meta["uncertainty"]["distribution"] == "triangular"
    assert meta["uncertainty"]["ranges"]["baseline"]["params.drift"] == {"value": 0.05, "low": 0.0, "high": 0.2}
    assert "initial_us_engagement" not in meta["uncertainty"]["ranges"]["engaged"]
    assert "Input uncertainty" in (reference / "report.html").read_text()


def test_describe_draws_splits_input_variance_from_seed_noise():
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(40), 25)
    effect = rng.normal(0, 2.0, 40)                           # input sd 2, seed sd 1
    x = effect[groups] + rng.normal(0, 1.0, groups.size)
    d = describe_draws(x, groups, binary=False)
    assert d["draws"] == 40 and d["input_share"] == pytest.approx(4 / 5, abs=0.1)
    lo, hi = np.percentile(effect, [5, 95])
    assert d["input_low"] == pytest.approx(lo, abs=0.6) and d["input_high"] == pytest.approx(hi, abs=0.6)
    noise = describe_draws(rng.normal(0, 1, groups.size), groups, binary=False)   # no input effect at all
    assert noise["input_share"] < 0.1 and noise["input_high"] - noise["input_low"] < 0.6
    flat = describe_draws(np.ones(20), np.repeat(np.arange(4), 5), binary=True)
    assert (flat["estimate"], flat["ci_low"], flat["input_share"]) == (1.0, 1.0, 0.0)


def test_compare_paired_is_the_paired_t_test():
    rng = np.random.default_rng(1)
    a, b = rng.normal(1, 1, 30), rng.normal(0.5, 1, 30)
    c = compare_paired(a, b, direction="higher", alpha=0.05)
    ref = stats.ttest_rel(a, b)
    assert c.p_value == pytest.approx(ref.pvalue) and c.effect == pytest.approx((a - b).mean())
    assert (c.effect_low, c.effect_high) == pytest.approx(tuple(ref.confidence_interval()))
    assert c.test == "paired t over 30 draws"


@pytest.mark.parametrize("old, new, message", [
    ("scenario: ../scenarios/ranged.yaml", "scenario: ../scenarios/mini.yaml",
     "uncertainty: the scenario has no ranged numbers to draw"),
    ("draws: 6}", "draws: 6, inputs: [params.*, nothing.here]}", "uncertainty.inputs.1: no ranged number matches "
                                                                 "'nothing.here'"),
    ("draws: 6}", "draws: 1}", "uncertainty.draws: expected a number between 2 and 100000, got 1"),
    ("sample: lhs,", "sample: sobol,", "uncertainty.sample: expected one of 'lhs', got 'sobol'"),
    ("draws: 6}", "draws: 6, distribution: normal}", "uncertainty.distribution: expected one of 'triangular' or "
                                                     "'uniform', got 'normal'"),
    ("    direction: higher", "    direction: higher\n    test: welch",
     "hypotheses.engaged_more.test: with uncertainty: the arms are compared draw by draw"),
    ("  engagement_start:", "  initial_us_engagement: {indicator: us_engagement, at: final}\n  engagement_start:",
     "outcomes.initial_us_engagement: outcome name 'initial_us_engagement' is taken by a drawn input"),
])
def test_bad_uncertainty_options_are_user_errors(tmp_path, old, new, message):
    p = spec_variant(tmp_path, old, new)
    if "mini.yaml" in new:
        p.write_text(p.read_text().replace("../scenarios/mini.yaml", str(DATA / "scenarios" / "mini.yaml")))
    with pytest.raises(UserError) as exc:
        load_experiment(p)
    assert message in str(exc.value), str(exc.value)
    assert str(exc.value).startswith(f"{p}:")


def test_inputs_patterns_choose_what_is_drawn_and_the_rest_plays_its_value(tmp_path):
    scenario = tmp_path / "more.yaml"
    scenario.write_text(f"extends: {RANGED}\nname: s\nactors:\n  USA:\n    capabilities:\n"
                        "      military: {value: 60, low: 50, high: 70}\n")
    p = spec_variant(tmp_path, "draws: 6}", "draws: 6, inputs: ['actors.*']}")
    p.write_text(p.read_text().replace(str(RANGED), str(scenario)))
    exp = load_experiment(p)
    assert exp.inputs == ["actors.USA.action_points", "actors.USA.capabilities.military"]
    assert all(set(c.params) == set(exp.inputs) for c in exp.cells)    # params.drift etc. keep their values


def test_morris_screens_the_ranges_of_a_tiny_scenario(tmp_path, capsys):
    exp = load_experiment(SPEC)
    df = run_sensitivity(exp, tmp_path / "m", trajectories=3, replications=2, workers=1, progress=False,
                         ranges=True)
    start = df[df["outcome"] == "engagement_start"].set_index("parameter")
    assert sorted(start.index) == exp.inputs
    # us_engagement at turn 0 is initial_us_engagement: each elementary effect is the range's width, 1.0
    assert start.loc["initial_us_engagement", "mu_star"] == pytest.approx(1.0)
    assert start.loc["initial_us_engagement", "rank"] == 1
    assert (start.drop("initial_us_engagement")["mu_star"] == 0).all()
    runs = pd.read_parquet(tmp_path / "m" / "runs.parquet")
    assert len(runs) == 3 * (6 + 1) * 2 and set(exp.inputs) <= set(runs.columns)
    assert runs["actors.USA.action_points"].isin([1, 2, 3, 4, 5]).all()
    meta = json.loads((tmp_path / "m" / "morris.json").read_text())
    assert meta["over"] == "ranges" and meta["ranges"]["params.drift"] == [0.0, 0.2]
    assert main(["sensitivity", str(SPEC), "--ranges", "--trajectories", "2", "--replications", "1",
                 "--workers", "1", "--no-progress", "--out", str(tmp_path / "cli")]) == 0
    assert capsys.readouterr().out.startswith("engagement_start:")
    with pytest.raises(UserError, match="has no sweep .*screen them with --ranges"):
        run_sensitivity(exp, tmp_path / "x")


def test_the_shipped_input_uncertainty_spec_validates(capsys):
    exp = load_experiment("input-uncertainty")
    assert exp.n_draws == 50 and exp.replications == 10 and len(exp.spec.arms) == 4
    assert len(exp.cells) == 4 * 50 and len(exp.inputs) >= 30
    assert "issues.russian_basing.positions.SYR" in exp.inputs and "params.drift" in exp.inputs
    pivot = [c for c in exp.cells if c.arm == "syria_west_pivot"]
    assert all(c.inputs["issues.russian_basing.positions.SYR"] == 35 for c in pivot)   # the variant fixes it
    base = [c for c in exp.cells if c.arm == "baseline"]
    assert len({c.inputs["issues.russian_basing.positions.SYR"] for c in base}) == 50
    assert main(["validate", "configs/experiments/input-uncertainty.yaml"]) == 0
