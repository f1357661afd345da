"""Batch runs: seeds, identical results whatever the engine, workers or interruptions, and the output files."""
from __future__ import annotations

import json
import math
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.cli.main import main
from model.config.errors import UserError
from model.experiments import chunks, executors
from model.experiments import chunks as chunking
from model.experiments.chunks import plan_chunks, run_seeds, seed_int, taper
from model.experiments.runner import OUTPUTS, run_batch
from model.experiments.spec import apply_overrides, load_experiment
from model.sim.model import HEADLINE, WargameModel

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "experiments" / "tiny.yaml"
MINI = ROOT / "tests" / "data" / "scenarios" / "mini.yaml"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The tiny experiment run once in-process, one run at a time: what every other way must reproduce."""
    out = tmp_path_factory.mktemp("reference")
    result = run_batch(load_experiment(TINY), out, workers=1, chunk_size=1, progress=False)
    return out, result


def frames(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_parquet(out / "runs.parquet"), pd.read_parquet(out / "turns.parquet")


def assert_same(a: Path, b: Path) -> None:
    ra, ta = frames(a)
    rb, tb = frames(b)
    pd.testing.assert_frame_equal(ra, rb)
    pd.testing.assert_frame_equal(ta, tb)


def test_seeds_are_spawned_from_the_master_seed():
    s = run_seeds(7, 3, 4)
    assert s[2, 1] == seed_int(np.random.SeedSequence(7).spawn(3)[2].spawn(4)[1])
    assert (run_seeds(7, 3, 6)[:, :4] == s).all()          # more replications keep the existing seeds
    assert len(set(s.ravel().tolist())) == 12 and (s >= 0).all() and (s < 2 ** 53).all()
    assert not (run_seeds(8, 3, 4) == s).any()
    common = run_seeds(7, 3, 4, common=True)                # the screening's common random numbers
    assert (common == common[0]).all() and len(set(common[0].tolist())) == 4


def test_chunks_cover_what_is_missing_and_never_span_cells():
    chunks = plan_chunks(2, 5, 2, {0: {1, 2}, 1: {0, 1, 2, 3, 4}})
    assert [(c.cell, c.start, c.stop) for c in chunks] == [(0, 0, 1), (0, 3, 5)]
    assert sum(c.size for c in plan_chunks(3, 7, 3)) == 21


def test_a_tapered_plan_covers_the_same_runs_with_a_short_first_chunk_and_a_shrinking_tail():
    plan = plan_chunks(3, 200, 50, {1: set(range(10, 40))})
    tapered = taper(plan, 2)
    runs = sorted((c.cell, r) for c in plan for r in range(c.start, c.stop))
    assert sorted((c.cell, r) for c in tapered for r in range(c.start, c.stop)) == runs   # each run once
    for c in tapered:                                        # within one chunk of the plan: never across cells
        assert any(p.cell == c.cell and p.start <= c.start < c.stop <= p.stop for p in plan)
    assert tapered[0].size == chunking.FIRST_CHUNK and tapered[-1].size == 1
    sizes = [c.size for c in tapered]
    assert max(sizes) == 50 and len(tapered) <= len(plan) + 25   # a few more, short ones
    for k, size in enumerate(sizes):                         # the tail shrinks: each at most a share of what follows
        assert size <= max(1, math.ceil(sum(sizes[k + 1:]) / (chunking.TAPER * 2)))
    assert taper(plan, 1) == plan                            # one process: the plan as it is


def test_runs_collect_garbage_less_often_and_the_setting_is_put_back():
    import gc
    before = gc.get_threshold()
    with chunking.fewer_collections():
        with chunking.fewer_collections():                  # chunks running at once in two threads
            assert gc.get_threshold()[0] == max(before[0], chunking.GC_YOUNG)
        assert gc.get_threshold()[0] == max(before[0], chunking.GC_YOUNG)
    assert gc.get_threshold() == before


def test_a_played_model_is_freed_without_the_cyclic_collector():
    import gc
    import weakref
    m = WargameModel(MINI, seed=3, turns=2).run()
    columns = m.datacollector.model_vars
    refs = [weakref.ref(m), *(weakref.ref(a) for a in m.agents)]
    gc.disable()
    try:
        chunking.release(m)
        del m
        assert [r() for r in refs] == [None] * len(refs)   # freed by reference counting alone
    finally:
        gc.enable()
    assert columns["turn"] == [0, 1, 2]                      # what was taken out stays


def test_a_run_depends_only_on_its_seed_and_parameters(reference):
    out, _ = reference
    runs, turns = frames(out)
    exp = load_experiment(TINY)
    row = runs[(runs["arm"] == "engaged") & (runs["point"] == 1)].iloc[2]
    sc = apply_overrides(exp.arm_dumps["engaged"], [("params.drift", row["params.drift"])])
    m = WargameModel(sc, seed=int(row["seed"]), turns=exp.turns).run()
    df = m.indicators()
    assert row["alignment_final"] == df["syria_alignment"].iloc[-1]
    assert row["tartus_held"] == (df["base.tartus.controller"].iloc[-1] == "RUS")
    assert row["engagement_mean"] == pytest.approx(df["us_engagement"].iloc[1:].mean(), abs=1e-15)
    mine = turns[turns["run_id"] == row["run_id"]].reset_index(drop=True)
    assert mine["syria_alignment"].tolist() == df["syria_alignment"].tolist()


def test_two_worker_processes_give_identical_results(reference, tmp_path, monkeypatch):
    out, _ = reference
    monkeypatch.setattr(executors, "POOL_MIN_SECONDS", 0.0)    # a pool even for this little work,
    monkeypatch.setattr(executors, "PARENT_WORKS", False)       # and it runs all but the first chunk
    res = run_batch(load_experiment(TINY), tmp_path, workers=2, chunk_size=3, progress=False)
    assert_same(out, tmp_path)
    assert res.processes == 2


def paced(monkeypatch, seconds_a_run: float) -> None:
    """Chunks run in this process report this pace instead of the one measured, so whether worker processes are
    worth starting depends on the work alone, not on how loaded the machine is (the results are the real ones)."""
    real = chunks.run_chunk

    def run_chunk(task, arm_dump):
        return {**real(task, arm_dump), "seconds": seconds_a_run * len(task["seeds"])}

    monkeypatch.setattr(chunks, "run_chunk", run_chunk)


def test_small_work_is_not_worth_starting_worker_processes(reference, tmp_path, monkeypatch):
    exp = load_experiment(TINY)
    runs = len(exp.cells) * exp.replications
    paced(monkeypatch, executors.POOL_MIN_SECONDS / (2 * runs))      # all of it: half what a pool is worth
    res = run_batch(exp, tmp_path, workers=2, progress=False)
    assert res.processes == 1
    assert_same(reference[0], tmp_path)


def test_work_that_is_worth_it_starts_worker_processes(reference, tmp_path, monkeypatch):
    paced(monkeypatch, executors.POOL_MIN_SECONDS)                   # each run alone is what a pool is worth
    monkeypatch.setattr(executors, "PARENT_WORKS", False)            # the rest runs in the worker process
    res = run_batch(load_experiment(TINY), tmp_path, workers=2, progress=False)
    assert res.processes == 2
    assert_same(reference[0], tmp_path)


def test_dask_local_cluster_gives_identical_results(reference, tmp_path):
    out, _ = reference
    run_batch(load_experiment(TINY), tmp_path, engine="dask", workers=2, chunk_size=4, progress=False,
              dask_processes=False)
    assert_same(out, tmp_path)


def test_resume_after_sigkill_equals_an_uninterrupted_run(tmp_path):
    spec = tmp_path / "slow.yaml"
    spec.write_text(TINY.read_text().replace("../scenarios/mini.yaml", str(MINI))
                    .replace("replications: 5", "replications: 30").replace("turns: 4", "turns: 6"))
    killed = tmp_path / "killed"
    with open(tmp_path / "stderr.txt", "wb") as log, subprocess.Popen(
            [sys.executable, "-m", "model.cli", "batch", str(spec), "--out", str(killed), "--workers", "1",
             "--chunk-size", "2", "--no-progress"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log) as proc:
        deadline = time.time() + 120
        while len(list((killed / "chunks").glob("*.runs.parquet"))) < 5 and proc.poll() is None:
            assert time.time() < deadline, "the batch made no progress"
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, (tmp_path / "stderr.txt").read_text()
    finished = len(list((killed / "chunks").glob("*.runs.parquet")))
    assert 5 <= finished < 60 and not (killed / "runs.parquet").exists()
    exp = load_experiment(spec)
    resumed = run_batch(exp, killed, resume=True, workers=1, progress=False)
    assert resumed.ran == 120 - 2 * finished             # only what was missing
    run_batch(exp, tmp_path / "whole", workers=1, progress=False)
    assert_same(killed, tmp_path / "whole")
    assert len(json.loads((killed / "metadata.json").read_text())["timings"]["sessions"]) == 1


def test_a_second_batch_on_a_folder_in_use_is_refused_with_the_first_ones_pid(tmp_path, capsys):
    """A --resume while the first batch still runs (a Ctrl-C that did not reach it, a second terminal): before, both
    wrote the same chunks and tables, and one died with a traceback renaming the other's temporary file."""
    spec = tmp_path / "slow.yaml"
    spec.write_text(TINY.read_text().replace("../scenarios/mini.yaml", str(MINI))
                    .replace("replications: 5", "replications: 30").replace("turns: 4", "turns: 6"))
    busy = tmp_path / "busy"
    with subprocess.Popen([sys.executable, "-m", "model.cli", "batch", str(spec), "--out", str(busy), "--workers",
                           "1", "--chunk-size", "2", "--no-progress"], cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL) as proc:
        deadline = time.time() + 120
        while not list((busy / "chunks").glob("*.runs.parquet")) and proc.poll() is None:
            assert time.time() < deadline, "the batch made no progress"
            time.sleep(0.01)
        assert proc.poll() is None, "the first batch ended before the second one tried"
        exp = load_experiment(spec)
        with pytest.raises(UserError, match=rf"another batch \(pid {proc.pid}\) is writing to .*busy"):
            run_batch(exp, busy, resume=True, workers=1, progress=False)
        assert main(["batch", str(spec), "--out", str(busy), "--resume", "--no-progress"]) == 2
        err = capsys.readouterr().err
        assert f"pid {proc.pid}" in err.strip().splitlines()[-1] and "Traceback" not in err
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    resumed = run_batch(exp, busy, resume=True, workers=1, progress=False)   # the kernel dropped the dead one's lock
    assert resumed.ran < 120 and (busy / "runs.parquet").is_file()


def test_resume_with_more_replications_runs_only_the_new_ones(reference, tmp_path):
    out, _ = reference
    shutil.copytree(out, tmp_path / "more")
    res = run_batch(load_experiment(TINY, replications=7), tmp_path / "more", resume=True, progress=False)
    assert res.ran == 4 * 2
    old, new = frames(out)[0], frames(tmp_path / "more")[0]
    kept = new[new["replication"] < 5].drop(columns="run_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, old.drop(columns="run_id"))


def test_a_finished_folder_needs_resume_and_the_same_spec(reference, tmp_path):
    out, _ = reference
    with pytest.raises(UserError, match="already holds a batch; add --resume"):
        run_batch(load_experiment(TINY), out, progress=False)
    changed = tmp_path / "changed.yaml"
    changed.write_text(TINY.read_text().replace("seed: 7", "seed: 8").replace("../scenarios/mini.yaml", str(MINI)))
    with pytest.raises(UserError, match="cannot resume: the spec changed"):
        run_batch(load_experiment(changed), out, resume=True, progress=False)


def test_output_files_and_documented_columns(reference):
    out, result = reference
    for name in OUTPUTS:
        assert (out / name).is_file(), name
    runs, turns = frames(out)
    assert list(runs.columns) == ["run_id", "arm", "point", "params.drift", "replication", "seed", "seed_entropy",
                                  "seed_spawn_key", "cell", "tartus_held", "alignment_final", "engagement_mean",
                                  "fighting_ever"]
    assert len(runs) == 2 * 2 * 5 and runs["run_id"].tolist() == list(range(20))
    assert runs["tartus_held"].dtype == bool and runs["alignment_final"].dtype == float
    assert runs["seed_spawn_key"].iloc[7] == f"{runs['cell'].iloc[7]},{runs['replication'].iloc[7]}"
    assert list(turns.columns[:6]) == ["run_id", "arm", "point", "replication", "turn", "date"]
    assert set(HEADLINE) | {"base.tartus.controller", "kurdish_conflict"} <= set(turns.columns)
    assert len(turns) == 20 * 5 and turns.groupby("run_id")["turn"].apply(list).map(tuple).nunique() == 1
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["seeds"]["master"] == 7 and meta["versions"]["mesa"] and meta["versions"]["numpy"]
    assert meta["timings"]["sessions"][0]["runs"] == 20 and "tiny" in meta["spec_text"].lower()
    assert json.loads((out / "progress.json").read_text())["state"] == "done"


def test_summary_numbers_match_the_runs(reference):
    out, _ = reference
    runs = frames(out)[0]
    summary = pd.read_csv(out / "summary.csv")
    est = summary[(summary["table"] == "outcome") & (summary["outcome"] == "alignment_final")
                  & (summary["arm"] == "engaged") & (summary["point"] == "all")]
    assert est["estimate"].iloc[0] == pytest.approx(runs.loc[runs["arm"] == "engaged", "alignment_final"].mean())
    p = summary[(summary["table"] == "outcome") & (summary["outcome"] == "tartus_held")
                & (summary["arm"] == "baseline") & (summary["point"] == "0")]
    assert p["estimate"].iloc[0] == pytest.approx(
        runs.loc[(runs["arm"] == "baseline") & (runs["point"] == 0), "tartus_held"].mean())
    hyp = summary[summary["table"] == "hypothesis"]
    assert set(hyp["hypothesis"]) == {"engagement_up", "tartus_kept"} and len(hyp) == 2 * 3
    assert set(hyp["verdict"]) <= {"supported", "contradicted", "negligible", "inconclusive"}
    e = hyp[(hyp["hypothesis"] == "engagement_up") & (hyp["point"] == "all")].iloc[0]
    diff = (runs.loc[runs["arm"] == "engaged", "engagement_mean"].mean()
            - runs.loc[runs["arm"] == "baseline", "engagement_mean"].mean())
    assert e["effect"] == pytest.approx(diff) and e["test"] == "Welch t" and e["effect_low"] < diff < e["effect_high"]
    md = (out / "summary.md").read_text()
    assert f"**engagement_up: {e['verdict']}**" in md and "Wilson" in md


def test_report_is_one_self_contained_page(reference):
    out, _ = reference
    page = (out / "report.html").read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "<link" not in page.lower() and "@import" not in page
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)[1])
    assert [d["outcome"] for d in data["distributions"]] == ["tartus_held", "alignment_final", "engagement_mean",
                                                             "fighting_ever"]
    traj = {t["outcome"]: t for t in data["trajectories"]}
    assert set(traj["alignment_final"]["arms"]) == {"baseline", "engaged"}
    assert traj["fighting_ever"]["arms"]["baseline"]["turn"] == [1, 2, 3, 4]   # 'ever' counts turns played
    assert "echarts" in page and page.count("<script") == 3       # the data, ECharts (package data), the charts


def test_cli_batch_prints_the_summary_and_reports_bad_specs(tmp_path, capsys):
    assert main(["batch", str(TINY), "--out", str(tmp_path / "o"), "--workers", "1", "--no-progress",
                 "--replications", "2"]) == 0
    captured = capsys.readouterr()
    assert "## Hypotheses" in captured.out and "8 runs of 4 turns" in captured.err
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY.read_text().replace("replications: 5", "replications: 0"))
    assert main(["batch", str(bad), "--out", str(tmp_path / "p")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad}:5: replications:") and not (tmp_path / "p").exists()
    assert main(["batch", str(TINY), "--out", str(tmp_path / "q"), "--scheduler", "tcp://x:1"]) == 2
    assert "--scheduler is for --engine dask" in capsys.readouterr().err
