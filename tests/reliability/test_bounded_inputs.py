"""Bounded work and sane numbers: inputs a red-team pass found that the first round did not try.

Scenarios over a size limit (10,000 actors: 86 s and 7.5 GB of validation before the limits; a stored 500-actor game:
21.9 s per step), grid sweeps expanded before the run cap was checked (3 x 1,000 steps: a MemoryError), spec checks
running without bound on a request thread, and numbers the schema let through that made the model silently wrong
(an issue's span overflowing, self-sanctions, two regions with one ISO code, the year 10000). Each is now one clear
error in well under a second of CPU. Limits: model.config.limits."""
from __future__ import annotations

import copy
import sqlite3
import time

import pytest
import yaml

from model import UserError, load_scenario, validate_scenario
from model.config import limits
from model.experiments.spec import load_experiment
from reliability_helpers import BASELINE, MINI, ROOT, new_game, run_measured, wargame_measured
from server import create_app
from server.scenarios import resolved_text, sha256
from server.store import DB_NAME

ANSWER_CPU = 1.0            # seconds of CPU for refusing an input over a limit
MINI_DATA = yaml.safe_load(MINI.read_text(encoding="utf-8"))
BASE_DATA = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))


def many_actors(n: int) -> str:
    """The red team's file: n minimal actors (10,000 make 228 KB)."""
    return "name: big\nactors:\n" + "".join(f"  A{i}: {{name: A{i}}}\n" for i in range(n))


def timed(fn):
    t0 = time.process_time()
    out = fn()
    return out, time.process_time() - t0


# ---------------------------------------------------------------------------------------------- scenarios
def test_a_10000_actor_scenario_is_refused_from_its_count_in_under_a_second(client):
    text = many_actors(10_000)
    resp, cpu = timed(lambda: client.post("/api/scenarios/validate", json={"yaml": text}))
    body = resp.get_json()
    assert resp.status_code == 200 and body["ok"] is False and cpu < ANSWER_CPU, cpu
    assert len(body["errors"]) == 1
    assert body["errors"][0]["field"] == "actors" and body["errors"][0]["line"] == 2
    assert "10,000 actors" in body["errors"][0]["message"] and f"limit is {limits.MAX_ACTORS}" in \
        body["errors"][0]["message"]
    for url, payload in (("/api/scenarios", {"id": "big", "yaml": text}),
                         ("/api/games/import", {"format": "syria-wargame/1", "scenario": "big", "scenario_yaml": text,
                                                "seed": 1, "turns": 2})):
        resp, cpu = timed(lambda url=url, payload=payload: client.post(url, json=payload))
        assert resp.status_code == 400 and "10,000 actors" in resp.get_json()["error"] and cpu < ANSWER_CPU


def test_a_body_of_half_a_million_values_is_refused_in_under_a_second(client):
    """Under the body limit (1 MB) but 450,000 values: parsing stops at the values limit (100,000; the baseline has
    4,406), not after 1.9 s of composing every node (the limit was 300,000)."""
    text = "name: flood\nactors: [" + "0," * 450_000 + "0]\n"
    assert len(text) < 1_000_000
    resp, cpu = timed(lambda: client.post("/api/scenarios/validate", json={"yaml": text}))
    body = resp.get_json()
    assert resp.status_code == 200 and body["ok"] is False and cpu < ANSWER_CPU, cpu
    assert len(body["errors"]) == 1 and "more than 100,000 values" in body["errors"][0]["message"]


def test_wargame_validate_refuses_a_10000_actor_file_with_exit_2(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(many_actors(10_000))
    run = run_measured(wargame_measured("validate", str(path)))
    assert run.returncode == 2, run.stderr
    assert f"{path}:2: actors: 10,000 actors in a scenario; the limit is {limits.MAX_ACTORS}" in run.stderr
    assert run.max_rss_mb < 400 and "Traceback" not in run.stderr


@pytest.mark.parametrize("table, limit", [("bases", limits.MAX_BASES), ("regions", limits.MAX_REGIONS),
                                          ("issues", limits.MAX_ISSUES), ("events", limits.MAX_EVENTS)])
def test_every_table_has_a_limit_checked_before_the_schema(table, limit):
    data = copy.deepcopy(MINI_DATA)
    data[table] = {f"x{i}": {"junk": True} for i in range(limit + 1)}     # not even valid entries: counted first
    with pytest.raises(UserError) as info:
        validate_scenario(data, file="t.yaml")
    assert str(info.value) == f"t.yaml: {table}: {limit + 1:,} {limits.LIMITS[table][1]}; the limit is {limit:,}"


def test_goals_of_one_actor_are_limited():
    data = copy.deepcopy(MINI_DATA)
    data["actors"]["RUS"]["goals"] = {f"g{i}": {"kind": "stability"} for i in range(limits.MAX_GOALS + 1)}
    with pytest.raises(UserError, match=r"actors\.RUS\.goals: 51 goals of one actor; the limit is 50"):
        validate_scenario(data, file="t.yaml")


def test_a_scenario_at_every_limit_still_validates_and_steps_in_bounded_time():
    """The limits are not so high that a legal scenario pins the CPU: 50 actors, each in every issue."""
    data = copy.deepcopy(BASE_DATA)
    usa = data["actors"]["USA"]
    for k in range(limits.MAX_ACTORS - len(data["actors"])):
        data["actors"][f"X{k}"] = {**copy.deepcopy(usa), "name": f"X{k}"}
        next(b for b in data["alignment"]["initial"] if "USA" in b).append(f"X{k}")   # in the USA's bloc too
        for issue in data["issues"].values():
            issue["positions"][f"X{k}"] = 50
            issue["salience"][f"X{k}"] = 0.5
    sc, cpu = timed(lambda: validate_scenario(data, file="max.yaml"))
    assert len(sc.actors) == limits.MAX_ACTORS and cpu < ANSWER_CPU
    from model import WargameModel
    m = WargameModel(sc, seed=1)
    _, cpu = timed(m.step)
    assert cpu < ANSWER_CPU


def test_a_stored_game_over_the_limits_is_a_quick_409_not_a_long_step(data_dir):
    """A 500-actor game saved by an earlier version (one step took 21.9 s and 6.4 GB) cannot pin the server."""
    app = create_app({"DATA_DIR": data_dir})
    client = app.test_client()
    gid = new_game(client)["id"]
    text = resolved_text(load_scenario(MINI)).replace("actors:\n", "actors:\n" + "".join(
        f"  Z{i}:\n    name: Z{i}\n" for i in range(500)), 1)
    with sqlite3.connect(data_dir / DB_NAME) as db:
        db.execute("UPDATE game_texts SET scenario_yaml = ? WHERE game_id = ?", (text, gid))
        db.execute("UPDATE games SET scenario_hash = ? WHERE id = ?", (sha256(text), gid))
    app.extensions["wargame.games"].evict(gid)
    resp, cpu = timed(lambda: client.post(f"/api/games/{gid}/step", json={}))
    assert resp.status_code == 409 and cpu < ANSWER_CPU
    assert "not valid for this version" in resp.get_json()["error"] and "504 actors" in resp.get_json()["error"]


# --------------------------------------------------------------------------------------------- sane numbers
@pytest.mark.parametrize("change, field, words", [
    (lambda d: d["issues"]["basing"].update(scale=[-1e308, 1e308]), "issues.basing.scale", ("within", "overflows")),
    (lambda d: d["issues"]["basing"].update(scale=[0, 1e7]), "issues.basing.scale", ("within",)),
    (lambda d: d.update(sanctions=["USA-RUS", "SYR-SYR"]), "sanctions.1", ("SYR cannot sanction itself",)),
    (lambda d: d["regions"]["homs"].update(iso="SY-TA"), "regions.homs.iso", ("SY-TA", "tartus")),
    (lambda d: d.update(start="9999-12"), "start", ("1900-01", "2200-12", "9999-12")),
    (lambda d: d.update(start="1066-10"), "start", ("1900-01",)),
], ids=["span-overflows", "span-too-wide", "self-sanction", "shared-iso", "year-10000", "too-early"])
def test_numbers_that_made_the_model_silently_wrong_are_refused(change, field, words, client):
    data = copy.deepcopy(MINI_DATA)
    if field.startswith("issues"):          # positions and thresholds inside the scale, so only the span is wrong
        data["issues"]["basing"]["positions"] = {k: 0 for k in data["issues"]["basing"]["positions"]}
        data["issues"]["basing"]["thresholds"] = []
    change(data)
    with pytest.raises(UserError) as info:
        validate_scenario(data, file="t.yaml")
    errors = getattr(info.value, "errors", [info.value])
    assert [e.field for e in errors] == [field], [str(e) for e in errors]
    for w in words:
        assert w in str(info.value)
    resp = client.post("/api/scenarios/validate", json={"yaml": yaml.safe_dump(data, sort_keys=False)})
    assert resp.get_json()["ok"] is False and resp.get_json()["errors"][0]["field"] == field


def test_the_shipped_scenarios_pass_the_new_checks():
    for path in sorted((ROOT / "configs" / "scenarios").glob("*.yaml")):
        load_scenario(path)


# -------------------------------------------------------------------------------------------- experiments
def spec(tmp_path, body: str, name: str = "spec.yaml"):
    p = tmp_path / name
    p.write_text(f"scenario: {MINI}\nreplications: 1\noutcomes:\n  a: {{indicator: syria_alignment}}\n" + body)
    return p


@pytest.mark.parametrize("body, words", [
    ("sweep:\n  parameters:\n" + "".join(f"    params.{p}: {{low: 0.0, high: 1.0, steps: 1000}}\n"
                                         for p in ("drift", "balance", "fighting_decay")),
     ("1,000,000,000 points of a grid sweep", "limit is 10,000", "1000 x 1000 x 1000")),
    ("sweep:\n  parameters:\n    params.drift: {low: 0.0, high: 1.0, steps: 200}\n"
     "    params.balance: {low: 0.0, high: 1.0, steps: 200}\n", ("40,000 points of a grid sweep",)),
    ("sweep:\n  design: lhs\n  n: 50000\n  parameters:\n    params.drift: {low: 0, high: 1}\n",
     ("50,000 points of a Latin-hypercube sweep",)),
    ("arms:\n" + "".join(f"  a{i}: {{}}\n" for i in range(60)), ("60 arms",)),
    ("arms:\n" + "".join(f"  a{i}: {{}}\n" for i in range(40)) +
     "sweep:\n  parameters:\n    params.drift: {low: 0.0, high: 1.0, steps: 1000}\n",
     ("40,000 cells", "40 arms x 1,000 points x 1 draws")),
], ids=["grid-3x1000", "grid-200x200", "lhs-50000", "arms-60", "cells"])
def test_experiment_sizes_are_checked_from_counts_before_anything_is_built(tmp_path, body, words):
    path = spec(tmp_path, body)
    t0 = time.process_time()
    with pytest.raises(UserError) as info:
        load_experiment(path)
    assert time.process_time() - t0 < ANSWER_CPU
    for w in words:
        assert w in str(info.value), str(info.value)


def test_a_whole_number_range_counts_its_distinct_values(tmp_path):
    """steps: 1000 over the whole numbers 0..3 is four points, not a thousand: not refused."""
    path = spec(tmp_path, "sweep:\n  parameters:\n    actors.USA.action_points: {low: 0, high: 3, steps: 1000}\n"
                          "    params.drift: {low: 0.0, high: 0.1, steps: 1000}\n")
    assert len(load_experiment(path).points) == 4000


def test_runs_over_the_limit_are_refused_from_the_counts(tmp_path):
    path = spec(tmp_path, "sweep:\n  parameters:\n    params.drift: {low: 0.0, high: 1.0, steps: 100}\n")
    with pytest.raises(UserError, match=r"replications: 100,000,000 runs of an experiment; the limit is 10,000,000"):
        load_experiment(path, replications=1_000_000)


def test_the_grid_sweep_request_answers_at_once_over_http(client):
    text = ("scenario: mini\nreplications: 1\noutcomes:\n  a: {indicator: syria_alignment}\nsweep:\n  parameters:\n"
            + "".join(f"    params.{p}: {{low: 0.0, high: 1.0, steps: 1000}}\n" for p in ("drift", "balance",
                                                                                      "fighting_decay")))
    for url in ("/api/experiments/validate", "/api/experiments"):
        resp, cpu = timed(lambda url=url: client.post(url, json={"yaml": text}))
        assert cpu < ANSWER_CPU and resp.status_code in (200, 400)
        shown = resp.get_json()
        assert "1,000,000,000 points" in (shown.get("error") or shown["errors"][0]["message"])


def test_checking_every_point_of_a_legal_sweep_stops_at_the_servers_time_budget(data_dir):
    """10,000 points are within the limits but take seconds to check: a request thread gives up after its budget
    (EXPERIMENTS_CHECK_SECONDS) with one clear error, instead of running for minutes after the client left."""
    app = create_app({"DATA_DIR": data_dir, "EXPERIMENTS_CHECK_SECONDS": 0.3})
    text = ("scenario: mini\nreplications: 1\noutcomes:\n  a: {indicator: syria_alignment}\nsweep:\n  parameters:\n"
            "    params.drift: {low: 0.0, high: 1.0, steps: 100}\n"
            "    params.balance: {low: 0.0, high: 1.0, steps: 100}\n")
    t0 = time.monotonic()
    resp = app.test_client().post("/api/experiments/validate", json={"yaml": text})
    assert time.monotonic() - t0 < 5
    assert resp.get_json()["ok"] is False
    assert "takes longer than the 0.3 s" in resp.get_json()["errors"][0]["message"]
    small = text.replace("steps: 100}", "steps: 3}")       # 9 points, in the default budget (a loaded machine
    roomy = create_app({"DATA_DIR": data_dir})              # took more than 0.3 s for them once)
    assert roomy.test_client().post("/api/experiments/validate", json={"yaml": small}).get_json()["ok"] is True
