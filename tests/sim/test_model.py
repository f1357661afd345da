"""The turn loop as a whole: determinism, invariants that hold in every state, and human seats."""
from __future__ import annotations

import copy
import hashlib
import json
import multiprocessing
import os
import pickle
import subprocess
import sys
import warnings
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import GameOver, OrdersPending, WargameModel, load_scenario
from model.config.errors import UserError
from model.config.scenario import Scenario
from model.config.vocabulary import BASE_STATUSES, indicator_names
from model.sim.agents import ActorAgent
from model.sim.alignment import margins, settle_with_cost

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "scenarios" / "mini.yaml"
# SDF plays randomly, so the utility, random and event draws all come from the one rng
MIXED = ["actors.SDF.policy.kind=random", "actors.RUS.policy.temperature=0.5"]


@pytest.fixture(scope="module")
def mini() -> Scenario:
    return load_scenario(MINI, overrides=MIXED)


def fingerprint(m: WargameModel) -> str:
    payload = json.dumps({"indicators": m.indicators().to_dict(orient="list"), "events": m.events()},
                         sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


# ------------------------------------------------------------------------------------- determinism
def test_same_seed_same_trajectory_in_one_process(mini):
    a, b = WargameModel(mini, seed=42).run(), WargameModel(mini, seed=42).run()
    pd.testing.assert_frame_equal(a.indicators(), b.indicators())
    assert a.events() == b.events()
    assert a.orders_log == b.orders_log
    assert len(a.indicators()) == mini.turns + 1 and len(a.events()) > 0


def test_same_seed_same_trajectory_in_separate_processes(mini):
    code = ("import hashlib, json, sys\n"
            "from model import WargameModel, load_scenario\n"
            f"m = WargameModel(load_scenario({str(MINI)!r}, overrides={MIXED!r}), seed=42).run()\n"
            "payload = json.dumps({'indicators': m.indicators().to_dict(orient='list'), 'events': m.events()},\n"
            "                     sort_keys=True, default=str)\n"
            "print(hashlib.sha256(payload.encode()).hexdigest())\n")
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONHASHSEED": hs}) for hs in ("0", "4242")]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    digests = [out.strip() for out, _ in outs]
    assert digests[0] == digests[1] == fingerprint(WargameModel(mini, seed=42).run())


def test_different_seeds_give_different_trajectories(mini):
    runs = [WargameModel(mini, seed=s).run() for s in (1, 2)]
    assert fingerprint(runs[0]) != fingerprint(runs[1])
    assert not runs[0].indicators().equals(runs[1].indicators())


def test_the_datacollector_is_the_one_store_of_every_indicator(mini):
    m = WargameModel(mini, seed=3).run(3)
    w = m.world
    columns = m.datacollector.model_vars
    assert list(columns)[:2] == ["turn", "date"]
    assert set(columns) == indicator_names(w.actors, w.bases, w.regions, w.issues) | {"turn", "date"}
    assert all(len(values) == 4 for values in columns.values())
    assert columns["turn"] == [0, 1, 2, 3]
    df = m.indicators()
    pd.testing.assert_frame_equal(df, m.datacollector.get_model_vars_dataframe())
    assert list(df.columns) == list(columns) and len(df) == 4
    assert m.last_record == df.iloc[-1].to_dict() and m.last_record["turn"] == m.steps == 3
    assert not hasattr(m, "rows")
    m.last_record["turn"] = 99                         # a copy: the store is not changed through it
    assert columns["turn"][-1] == 3


def test_steps_is_the_turn_counter_and_agents_are_an_agentset(mini):
    m = WargameModel(mini, seed=3)
    assert m.turn == m.steps == 0 and m.date() == "2025-12"
    assert isinstance(m.agents, mesa.agentset.AbstractAgentSet)
    assert [ag.actor_id for ag in m.agents] == list(mini.actors)
    assert all(isinstance(ag, ActorAgent) for ag in m.agents)
    m.run(2)
    assert m.turn == m.steps == 2 and m.time == 2.0 and m.date() == "2026-02" and m.last_record["date"] == "2026-02"
    usa = m.agent("USA")
    assert usa is m.agents[m.world.idx("USA")] and usa.name == mini.actors["USA"].name
    kinds = ("military", "economic", "diplomatic")
    assert usa.capabilities == dict(zip(kinds, m.world.cap[usa.index].tolist(), strict=True))
    assert usa.bloc == m.last_record["bloc.USA"] and usa.size == m.ctx.size[usa.index]
    assert usa.relation("RUS") == pytest.approx(m.last_record["relation.RUS.USA"])
    with pytest.raises(KeyError):
        m.agent("XXX")


def test_a_scenario_can_be_given_by_name_path_or_object_and_seed_is_rng(mini):
    base = WargameModel(load_scenario("baseline-2025"), seed=7, turns=2).run()
    for other in (WargameModel("baseline-2025", rng=7, turns=2), WargameModel(rng=7, turns=2),
                  WargameModel(ROOT / "configs" / "scenarios" / "baseline-2025.yaml", seed=7, turns=2)):
        pd.testing.assert_frame_equal(other.run().indicators(), base.indicators())
        assert other.scenario == base.scenario and other.scenario.name == "Syria, late 2025 (baseline)"
    assert WargameModel(mini, rng=4).scenario is mini
    with pytest.raises(ValueError, match="not both"):
        WargameModel(mini, rng=1, seed=1)
    with pytest.raises(UserError, match="no-such-scenario"):
        WargameModel("no-such-scenario")


def test_batch_run_plays_the_model_and_its_rows_carry_the_indicators():
    method = multiprocessing.get_start_method(allow_none=True)
    try:
        with pytest.deprecated_call():            # Mesa deprecates iterations= for rng=[...]
            rows = mesa.batch_run(WargameModel, {"scenario": "baseline-2025"}, iterations=2, max_steps=3,
                                  display_progress=False)
        (seeded,) = mesa.batch_run(WargameModel, {"scenario": "baseline-2025"}, rng=[7], max_steps=3,
                                   display_progress=False)
    finally:
        multiprocessing.set_start_method(method, force=True)   # batch_run forces "spawn" process-wide
    assert len(rows) == 2 and [r["iteration"] for r in rows] == [0, 1]
    m = WargameModel("baseline-2025", seed=7).run(3)
    for row in (*rows, seeded):
        assert row["Step"] == 3.0 and row["turn"] == 3 and row["scenario"] == "baseline-2025"
        assert set(m.last_record) <= set(row)
    assert {k: seeded[k] for k in m.last_record} == m.last_record


def test_a_deep_copy_or_a_pickled_model_plays_on_exactly_like_the_original(mini):
    m = WargameModel(mini, seed=8, turns=6).run(3)
    copies = [copy.deepcopy(m), pickle.loads(pickle.dumps(m))]
    m.run()
    for c in copies:
        assert c.steps == 3
        c.run()
        pd.testing.assert_frame_equal(c.indicators(), m.indicators())
        assert c.events() == m.events() and c.orders_log == m.orders_log and c.steps == m.steps == 6


def test_state_is_json_and_matches_the_record(mini):
    m = WargameModel(mini, seed=3).run(2)
    s = json.loads(json.dumps(m.state()))
    assert s["turn"] == 2 and s["done"] is False and s["waiting_for"] == []
    assert [a["id"] for a in s["actors"]] == list(mini.actors)
    assert {b["id"]: b["controller"] for b in s["bases"]} == {
        b: m.last_record[f"base.{b}.controller"] for b in mini.bases}
    for region in s["regions"]:
        assert sum(region["control"].values()) == pytest.approx(1.0, abs=1e-3)
    assert all(e["turn"] == 2 for e in s["events"])


def test_the_states_events_are_this_months_events_of_the_story_however_the_model_was_made(mini):
    """state() lists the month's events from the turn's own list (not by scanning the whole story): the same events
    for a model played on, a copy, a fork and a model replayed from its export to a month."""
    from model.sim.fork import fork, from_export, to_export

    def month_events(model: WargameModel) -> list[dict]:
        return [e for e in model.events() if e["turn"] == model.steps]

    m = WargameModel(mini, seed=11, turns=8)
    assert m.state()["events"] == [] == month_events(m)
    told = 0
    for _ in range(4):
        m.step()
        told += len(m.state()["events"])
        assert m.state()["events"] == month_events(m)
    assert told > 0, "the test needs a game in which something happens"
    for made in (copy.deepcopy(m), fork(m), from_export(WargameModel, to_export(m), turn=3, scenario=mini)):
        assert made.state()["events"] == month_events(made)
        made.step()
        assert made.state()["events"] == month_events(made)


def test_warnings_from_mesa_are_errors(request, mini):
    ini = request.config.getini("filterwarnings")
    assert "error::FutureWarning" in ini and "error::DeprecationWarning" in ini
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        WargameModel(mini, seed=0).run(2)


# --------------------------------------------------------------------------------------- invariants
def check_state(m: WargameModel, sc: Scenario, prev_blocs: np.ndarray) -> None:
    w, rec = m.world, m.last_record
    assert np.all(np.isfinite(w.rel)) and np.all(np.abs(w.rel) <= 1.0)
    assert np.array_equal(w.rel, w.rel.T) and np.all(np.diag(w.rel) == 0)
    assert np.all(w.fighting >= 0) and np.all(w.fighting <= 1) and np.array_equal(w.fighting, w.fighting.T)
    assert np.all(w.control >= 0) and np.allclose(w.control.sum(axis=1), 1.0, atol=1e-9)
    assert np.all((w.base_garrison >= 0) & (w.base_garrison <= 1))
    assert np.all((w.cap >= 0) & (w.cap <= 100))
    assert np.all((w.position >= w.scale[:, [0]]) & (w.position <= w.scale[:, [1]]))
    assert np.all((w.forecast >= w.scale[:, 0] - 1e-9) & (w.forecast <= w.scale[:, 1] + 1e-9))
    for b in sc.bases:
        assert rec[f"base.{b}.status"] in BASE_STATUSES
        assert rec[f"base.{b}.controller"] in (*sc.actors, "none")
    ids = list(sc.actors)
    for i, a in enumerate(ids):
        for j in range(i + 1, len(ids)):
            assert rec[f"relation.{a}.{ids[j]}"] == pytest.approx(w.rel[i, j], abs=1e-6)
        for r, region in enumerate(sc.regions):
            assert rec[f"region.{region}.{a}"] == pytest.approx(w.control[r, i], abs=1e-6)
    assert 0 <= rec["russia_isolation"] <= 1 and 0 <= rec["kurdish_conflict"] <= 1
    assert rec["sdf_damascus_fighting"] in (0, 1) and 0 <= rec["us_engagement"] <= 1
    assert -2 <= rec["syria_alignment"] <= 2
    # alliances: the blocs are where the k-bloc dynamics with the realignment cost take last turn's blocs on this
    # turn's propensities, the margins are theirs, and the count agrees
    st_, al = w.alignment, sc.alignment
    if sc.params.alliance_switch:
        expected, _ = settle_with_cost(m.ctx.size, st_.propensity, prev_blocs, st_.kinds, al.blocs, al.switch_cost,
                                       al.rule)
    else:  # switching turned off: the blocs stay as they were
        expected = prev_blocs
    assert w.blocs.tolist() == expected.tolist()
    assert np.array_equal(st_.margin, margins(m.ctx.size, st_.propensity, w.blocs, st_.kinds, al.blocs))
    assert all(rec[f"alignment.{a}"] == st_.margin[i] and rec[f"bloc.{a}"] == w.blocs[i] for i, a in enumerate(ids))
    assert rec["blocs_in_use"] == len(set(w.blocs.tolist()) - {-1}) <= al.blocs
    shifts = [e for e in m.events() if e["kind"] == "alliance_shift" and e["turn"] == m.turn]
    assert rec["alliance_shifts"] == len(shifts) == int((w.blocs != prev_blocs).sum())
    assert sorted(e["actors"][0] for e in shifts) == sorted(a for i, a in enumerate(ids) if w.blocs[i] != prev_blocs[i])
    keys = {"turn", "date", "kind", "actors", "sentence", "numbers", "phase", "importance", "streak", "since"}
    assert all(set(e) == keys and set(e["actors"]) <= set(ids) for e in m.events())
    assert all(e["importance"] in ("major", "minor") and 1 <= e["streak"] and e["since"] == e["turn"] - e["streak"] + 1
               for e in m.events())
    # action points are never overspent
    for actor, orders in (m.orders_log[-1]["orders"] if m.orders_log else {}).items():
        assert sum(sc.actions[o["kind"]].cost for o in orders) <= sc.actors[actor].action_points


unit = st.floats(0.0, 1.0)
params = st.fixed_dictionaries({
    "drift": unit, "balance": unit, "fighting_decay": unit, "drawdown_rate": unit, "collapse_garrison": unit,
    "control_rate": unit, "garrison_presence": unit, "open_fighting": unit,
    "tullock_k": st.floats(0.2, 10.0), "alliance_switch": st.booleans()})
policies = st.lists(st.tuples(st.sampled_from(["utility", "random"]), st.floats(0.01, 10.0)), min_size=4, max_size=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), prm=params, pol=policies, tartus=st.sampled_from(BASE_STATUSES),
       fight=st.floats(0.0, 1.0))
def test_invariants_hold_in_every_state(seed, prm, pol, tartus, fight):
    overrides = [f"params.{k}={str(v).lower()}" for k, v in prm.items()]
    for actor, (kind, temp) in zip(("RUS", "SYR", "USA", "SDF"), pol, strict=True):
        overrides += [f"actors.{actor}.policy.kind={kind}", f"actors.{actor}.policy.temperature={temp!r}"]
    overrides += [f"bases.tartus.status={tartus}", "events.isis_attack.probability=1",
                  "events.isis_attack.effects.0.kind=fighting", "events.isis_attack.effects.0.other=SDF",
                  "events.isis_attack.effects.0.field=null",
                  f"events.isis_attack.effects.0.delta={fight!r}"]
    sc = load_scenario(MINI, overrides=overrides)
    m = WargameModel(sc, seed=seed, turns=5)
    check_state(m, sc, m.world.blocs.copy())
    while not m.done:
        prev = m.world.blocs.copy()
        m.step()
        check_state(m, sc, prev)
    assert len(m.indicators()) == 6 and len(m.orders_log) == 5


# -------------------------------------------------------------------------------------- human seats
def test_step_waits_for_every_human_seat(mini):
    m = WargameModel(mini, seed=5, human=("USA", "SYR"))
    assert m.waiting_for() == ["USA", "SYR"] and m.state()["waiting_for"] == ["USA", "SYR"]
    with pytest.raises(OrdersPending, match="USA, SYR"):
        m.step()
    m.submit_orders("USA", [])
    with pytest.raises(OrdersPending, match="SYR") as info:
        m.step()
    assert "USA" not in str(info.value) and m.turn == 0 and len(m.indicators()) == 1
    m.submit_orders("SYR", [{"kind": "hold"}])
    m.check_step()                                      # nothing pending: no objection
    m.step()
    # refused steps left no trace in Mesa's clock either (a lost schedule would make later steps no-ops)
    assert m.turn == m.steps == 1 and m.time == 1.0 and m.waiting_for() == ["USA", "SYR"]
    assert "USA" not in m.orders_log[0]["orders"] and "SYR" not in m.orders_log[0]["orders"]


def test_unknown_human_seat_is_refused(mini):
    with pytest.raises(UserError, match="unknown actor 'XXX' for a human seat"):
        WargameModel(mini, seed=0, human=("XXX",))


@pytest.mark.parametrize("orders, words, field", [
    ([{"kind": "nuke", "target": "SYR"}], "unknown order kind 'nuke'", "orders.0"),
    ([{"kind": "engage", "target": "XXX"}], "unknown target 'XXX'", "orders.0.target"),
    ([{"kind": "engage", "tgt": "SYR"}], "unknown order field(s) tgt", "orders.0"),
    (["engage SYR"], "an order is a mapping with a 'kind'", "orders.0"),
    ([{"kind": "engage"}], "an order of kind engage needs target", "orders.0.target"),
    ([{"kind": "mediate", "target": "RUS"}], "an order of kind mediate needs other", "orders.0.other"),
    ([{"kind": "sanction", "target": "RUS"}], "is not possible for USA now", "orders.0"),   # already in force
    ([{"kind": "seize", "base": "tartus"}], "is not possible for USA now", "orders.0"),     # no forces there
    ([{"kind": "engage", "target": "SYR"}, {"kind": "engage", "target": "SYR"}], "the same order is given twice",
     "orders.1"),
    ([{"kind": "engage", "target": "SYR"}, {"kind": "engage", "target": "SDF"}, {"kind": "engage", "target": "RUS"},
      {"kind": "aid", "target": "SYR"}], "not enough action points for aid (costs 1, 0 left)", "orders.3"),
    ({"kind": "engage", "target": "SYR"}, "orders must be a list", "orders"),
])
def test_submit_orders_rejects_bad_orders(mini, orders, words, field):
    m = WargameModel(mini, seed=5, human=("USA",))
    with pytest.raises(UserError) as info:
        m.submit_orders("USA", orders)
    assert words in str(info.value) and info.value.field == field
    assert m.waiting_for() == ["USA"]                  # a rejected submission does not count
    m.submit_orders("USA", [{"kind": "engage", "target": "SYR"}])
    m.step()
    assert m.orders_log[0]["orders"]["USA"] == [{"kind": "engage", "target": "SYR"}]


def test_submit_orders_refuses_a_second_submission_and_other_seats(mini):
    m = WargameModel(mini, seed=5, human=("USA",))
    with pytest.raises(UserError, match="RUS is not a human seat"):
        m.submit_orders("RUS", [])
    m.submit_orders("USA", [{"kind": "engage", "target": "SYR"}])
    with pytest.raises(UserError, match="USA has already submitted orders for turn 1"):
        m.submit_orders("USA", [{"kind": "aid", "target": "SYR"}])
    m.step()
    assert m.orders_log[0]["orders"]["USA"] == [{"kind": "engage", "target": "SYR"}]
    m.submit_orders("USA", [{"kind": "aid", "target": "SYR"}])     # a new turn, a new submission
    m.step()
    assert m.orders_log[1]["orders"]["USA"] == [{"kind": "aid", "target": "SYR"}]


def test_submitted_orders_are_completed_and_every_menu_order_is_accepted(mini):
    m = WargameModel(mini, seed=5, human=("USA",))
    menu = m.feasible_orders("USA")
    assert menu and all(x["cost"] > 0 for x in menu)
    for x in menu:                                      # each offered order is accepted on its own
        probe = WargameModel(mini, seed=5, human=("USA",))
        assert [o.to_dict() for o in probe.submit_orders("USA", [x["order"]])] == [x["order"]]
    patrol = next(x["order"] for x in menu if x["order"]["kind"] == "patrol")
    m.submit_orders("USA", [{"kind": "patrol", "target": patrol["target"]}])   # the region is filled in
    m.step()
    assert m.orders_log[0]["orders"]["USA"] == [patrol]


def test_game_over_after_the_last_turn(mini):
    m = WargameModel(mini, seed=1, turns=2, human=("USA",))
    for _ in range(2):
        m.submit_orders("USA", [])
        m.step()
    assert m.done and m.max_turns == 2 and not m.running
    with pytest.raises(GameOver):
        m.check_step()
    with pytest.raises(GameOver):
        m.step()
    assert m.steps == 2 and m.time == 2.0 and len(m.indicators()) == 3      # the refused step left no trace
    with pytest.raises(GameOver):
        m.submit_orders("USA", [])


def play_as_humans(sc: Scenario, seed: int, seats: tuple[str, ...], turns: int) -> WargameModel:
    """Each seat gives its best-scoring menu orders that fit, plus a seat-and-turn-dependent extra choice."""
    m = WargameModel(sc, seed=seed, human=seats)
    for t in range(turns):
        for s in seats:
            ap = sc.actors[s].action_points
            menu = sorted(m.feasible_orders(s), key=lambda x: -x["gain"])
            pick = []
            for n, x in enumerate(menu):
                if x["cost"] <= ap and (x["gain"] > 0 or n == t):
                    pick.append(x["order"])
                    ap -= x["cost"]
            m.submit_orders(s, pick)
        m.step()
    return m


def test_replaying_the_orders_log_reproduces_the_game(mini):
    seats = ("USA", "SYR")
    played = play_as_humans(mini, 9, seats, 5)
    assert any(played.orders_log[t]["orders"].get(s) for t in range(5) for s in seats)
    replay = WargameModel(mini, seed=9, human=seats)
    for turn in json.loads(json.dumps(played.orders_log)):      # as saved to and read from a file
        for s in seats:
            replay.submit_orders(s, turn["orders"].get(s, []))
        replay.step()
    pd.testing.assert_frame_equal(replay.indicators(), played.indicators())
    assert replay.events() == played.events()
    assert replay.orders_log == played.orders_log
