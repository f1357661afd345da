"""Morris screening: known elementary effects come out exactly, and the outputs are complete."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

from model.cli.main import main
from model.config.errors import UserError
from model.experiments.sensitivity import COLUMNS, run_sensitivity
from model.experiments.spec import load_experiment

DATA = Path(__file__).parents[1] / "data" / "experiments"


def test_known_effects_rank_first_and_an_inert_parameter_scores_zero(tmp_path):
    df = run_sensitivity(load_experiment(DATA / "screen.yaml"), tmp_path, trajectories=3, replications=2,
                         workers=1, progress=False)
    assert list(df.columns) == COLUMNS and len(df) == 2 * 3
    start = df[df["outcome"] == "engagement_start"].set_index("parameter")
    # us_engagement at turn 0 is initial_us_engagement itself: each elementary effect is exactly 1
    assert start.loc["initial_us_engagement", "mu_star"] == pytest.approx(1.0)
    assert start.loc["initial_us_engagement", "sigma"] == pytest.approx(0.0, abs=1e-12)
    assert start.loc["initial_us_engagement", "rank"] == 1
    assert start.loc["actors.RUS.color", "mu_star"] == 0.0 and start.loc["params.drift", "mu_star"] == 0.0
    align = df[df["outcome"] == "alignment_final"].set_index("parameter")
    assert align.loc["actors.RUS.color", "mu_star"] == 0.0     # a colour changes nothing in the simulation
    assert sorted(align["rank"]) == [1, 2, 3]
    assert pd.read_csv(tmp_path / "sensitivity.csv").shape == df.shape
    page = (tmp_path / "sensitivity.html").read_text()
    assert "initial_us_engagement" in page and not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    runs = pd.read_parquet(tmp_path / "runs.parquet")
    assert len(runs) == 3 * (3 + 1) * 2 and set(runs["arm"]) == {"baseline"}


def test_a_spec_without_sweep_and_bad_options_are_user_errors(tmp_path, capsys):
    exp = load_experiment(DATA / "tiny.yaml")
    no_sweep = dataclasses.replace(exp, spec=exp.spec.model_copy(update={"sweep": None}))
    with pytest.raises(UserError, match="has no sweep"):
        run_sensitivity(no_sweep, tmp_path)
    with pytest.raises(UserError, match="--trajectories: must be at least 2"):
        run_sensitivity(exp, tmp_path, trajectories=1)
    assert main(["sensitivity", str(DATA / "screen.yaml"), "--levels", "3", "--out", str(tmp_path / "x")]) == 2
    assert "--levels: must be an even number" in capsys.readouterr().err
    assert main(["sensitivity", str(DATA / "screen.yaml"), "--arm", "nope", "--out", str(tmp_path / "y")]) == 2
    assert "--arm: unknown arm 'nope'" in capsys.readouterr().err


def test_a_screening_over_the_limits_is_refused_from_its_counts(tmp_path, monkeypatch):
    """Points (trajectories x (parameters + 1)) and runs are checked before SALib samples or any point is built:
    3,000 trajectories once took minutes before the cell limit was seen."""
    from SALib.sample import morris as morris_sample

    from model.config.limits import MAX_CELLS, MAX_RUNS

    def never(*args, **kwargs):
        raise AssertionError("sampled before the counts were checked")

    monkeypatch.setattr(morris_sample, "sample", never)
    exp = load_experiment(DATA / "screen.yaml")
    k = len(exp.spec.sweep.parameters) + 1
    too_many = MAX_CELLS // k + 1
    limit = f"the limit is {MAX_CELLS:,}"
    with pytest.raises(UserError, match=f"--trajectories: {too_many * k:,} Morris points .* {limit}"):
        run_sensitivity(exp, tmp_path, trajectories=too_many)
    runs = MAX_RUNS // (10 * k) + 1
    with pytest.raises(UserError, match=f"--replications: {10 * k * runs:,} runs"):
        run_sensitivity(exp, tmp_path, trajectories=10, replications=runs)
    assert not any(tmp_path.iterdir())


def test_cli_prints_the_ranking(tmp_path, capsys):
    assert main(["sensitivity", str(DATA / "screen.yaml"), "--trajectories", "2", "--replications", "1",
                 "--workers", "1", "--no-progress", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("engagement_start:") and re.search(r"1\s+initial_us_engagement\s+1\s", out)
