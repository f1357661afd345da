"""Each mechanism of the turn loop on a small stage (tests/data/scenarios/tiny.yaml) where the outcome is known.

Every actor of the stage holds unless a test scripts its orders, and relations neither drift nor feel balance
pressure, so a change seen in the indicators was caused by the one mechanism under test.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from stages import merged, stage_of

from model import WargameModel
from model.config.scenario import Scenario
from model.sim.actions import contest, contest_v
from model.sim.alignment import settle_with_cost
from model.theory import bargaining
from model.theory.blocs import bloc_frustration

TINY = Path(__file__).parents[1] / "data" / "scenarios" / "tiny.yaml"


def stage(tmp_path: Path, change: dict | None = None, overrides: tuple[str, ...] = ()) -> Scenario:
    return stage_of(TINY, tmp_path, change, overrides)


def script(turn_orders: dict[int, list[dict]]) -> dict:
    return {"policy": {"kind": "scripted", "script": turn_orders}}


def events_of(m: WargameModel, kind: str) -> list[dict]:
    return [e for e in m.events() if e["kind"] == kind]


# ------------------------------------------------------------------------------------------ Tullock
@pytest.mark.parametrize("a, b, k, p", [
    (2.0, 1.0, 1.0, 2 / 3),
    (3.0, 1.0, 2.0, 0.9),
    (1.0, 1.0, 5.0, 0.5),
    (4.0, 1.0, 0.5, 2 / 3),
    (40.0, 15.0, 1.5, 40 ** 1.5 / (40 ** 1.5 + 15 ** 1.5)),
    (1.0, 3.0, 1.0, 0.25),
])
def test_tullock_contest_matches_hand_values(a, b, k, p):
    assert contest(a, b, k) == pytest.approx(p, rel=1e-12)
    assert contest(b, a, k) == pytest.approx(1 - p, rel=1e-12)
    assert contest_v(np.array([a, b]), np.array([b, a]), k) == pytest.approx([p, 1 - p], rel=1e-12)


def test_tullock_contest_with_no_strength_is_lost():
    assert contest(0.0, 5.0, 1.5) < 1e-9
    assert contest(5.0, 0.0, 1.5) > 1 - 1e-9


# ------------------------------------------------------------------------------------------- seize
def test_seize_of_an_empty_base_changes_its_controller(tmp_path):
    sc = stage(tmp_path, {"actors": {"RED": script({1: [{"kind": "seize", "base": "depot"}]})},
                          "actions": {"seize": {"difficulty": 0.001}}})
    # a partial actions table changes only what it names: the rest of seize and every other kind keep defaults
    assert sc.actions["seize"].cost == 2 and sc.actions["seize"].amount == 0.3
    assert sc.actions["engage"].relation == 0.06
    m = WargameModel(sc, seed=1).run(1)
    df = m.indicators()
    assert df.loc[0, "base.depot.controller"] == "none"
    assert df.loc[1, "base.depot.controller"] == "RED"
    assert df.loc[1, "base.depot.status"] == "active"
    assert df.loc[1, "base.depot.garrison"] == pytest.approx(sc.actions["seize"].amount)
    (e,) = events_of(m, "base_change")
    # attacker strength = military * (0.5 + its control share of the region) = 50 * 0.8
    assert e["numbers"]["p"] == round(contest(50 * 0.8, 0.001, 1.5), 4)
    assert e["numbers"]["draw"] < e["numbers"]["p"]
    assert e["actors"] == ["RED"] and e["numbers"]["base"] == "depot"


def test_seize_outcome_follows_the_tullock_draw(tmp_path):
    # difficulty 40 against strength 40: p = 0.5, so over a dozen seeds both outcomes occur
    sc = stage(tmp_path, {"actors": {"RED": script({1: [{"kind": "seize", "base": "depot"}]})},
                          "actions": {"seize": {"difficulty": 40}}})
    outcomes = set()
    for seed in range(12):
        m = WargameModel(sc, seed=seed).run(1)
        (e,) = [e for e in m.events() if e["numbers"].get("base") == "depot"]
        assert e["numbers"]["p"] == 0.5
        won = e["numbers"]["draw"] < e["numbers"]["p"]
        assert e["kind"] == ("base_change" if won else "seize")
        assert m.last_record["base.depot.controller"] == ("RED" if won else "none")
        outcomes.add(won)
    assert outcomes == {True, False}


def test_seize_of_a_held_base_is_a_contest_with_its_garrison(tmp_path):
    sc = stage(tmp_path, {"relations": {"RED-BLUE": -0.5},
                          "actors": {"RED": script({1: [{"kind": "seize", "base": "fort", "target": "BLUE"}]})}})
    # defender strength = military * (0.5 + garrison) + 100 * control share * 0.2 = 30 * 1.0 + 8
    p = contest(50 * 0.8, 30 * 1.0 + 100 * 0.4 * 0.2, sc.params.tullock_k)
    outcomes = set()
    for seed in range(10):
        m = WargameModel(sc, seed=seed).run(1)
        (e,) = [e for e in m.events() if e["numbers"].get("base") == "fort"]
        assert e["numbers"]["p"] == round(p, 4)
        won = e["numbers"]["draw"] < p
        outcomes.add(won)
        if won:
            assert m.last_record["base.fort.controller"] == "RED"
            assert m.last_record["base.fort.garrison"] == pytest.approx(sc.actions["seize"].amount)
        else:
            assert m.last_record["base.fort.controller"] == "BLUE"
            assert m.last_record["base.fort.garrison"] == pytest.approx(0.5 - sc.actions["seize"].amount / 3)
        # either way the attack costs the relation and leaves fighting, recorded in full this turn
        assert m.last_record["relation.RED.BLUE"] == pytest.approx(-0.5 + sc.actions["seize"].relation)
        assert m.world.fighting[0, 1] == pytest.approx(sc.actions["seize"].fighting)
    assert outcomes == {True, False}


def test_seize_of_a_base_evacuated_to_its_host_needs_no_fight_with_the_host(tmp_path):
    sc = stage(tmp_path, {"bases": {"fort": {"controller": "GREEN", "status": "evacuated", "garrison": 0.0}},
                          "actors": {"RED": script({1: [{"kind": "seize", "base": "fort"}]})},
                          "actions": {"seize": {"difficulty": 0.001}}})
    m = WargameModel(sc, seed=2).run(1)
    assert m.orders_log[0]["orders"]["RED"] == [{"kind": "seize", "base": "fort"}]    # no holder to fight
    assert m.last_record["base.fort.controller"] == "RED" and m.last_record["base.fort.status"] == "active"
    assert m.last_record["relation.RED.GREEN"] == -0.5 and m.world.fighting.max() == 0.0


def test_a_base_taken_earlier_in_the_turn_is_not_attacked_by_the_takers_friend(tmp_path):
    # Red (index 0) resolves first and takes the empty depot; Blue, Red's friend, had ordered the same seize:
    # against the new holder it is no longer possible (this stage gives seize a max_relation, which the model's
    # default leaves at 1) and is dropped
    both = {1: [{"kind": "seize", "base": "depot"}]}
    sc = stage(tmp_path, {"actors": {"RED": script(both), "BLUE": script(both), "GREEN": script(both)},
                          "actions": {"seize": {"difficulty": 0.001, "max_relation": -0.1}}})
    m = WargameModel(sc, seed=1).run(1)
    assert m.last_record["relation.RED.BLUE"] == 0.5 and m.world.fighting[0, 1] == 0.0
    (dropped,) = events_of(m, "order_dropped")
    assert dropped["actors"] == ["BLUE"] and dropped["phase"] == "military" and dropped["turn"] == 1
    # Green, Red's enemy, still attacks: its order now is a contest against Red's fresh garrison
    (attack,) = [e for e in m.events() if e["actors"] == ["GREEN", "RED"]]
    dfd = 50 * (0.5 + sc.actions["seize"].amount) + 100 * 0.3 * 0.2
    assert attack["numbers"]["p"] == round(contest(20 * 0.8, dfd, sc.params.tullock_k), 4)
    assert m.last_record["relation.RED.GREEN"] == pytest.approx(-0.5 + sc.actions["seize"].relation)


# ------------------------------------------------------------------------------------------ demand
DEMAND_ISSUE = {"talks": {"name": "Talks", "positions": {"RED": 0, "BLUE": 50, "GREEN": 100},
                          "salience": {"RED": 1.0, "BLUE": 0.1, "GREEN": 0.5}}}


def test_refused_demand_lowers_the_relation_by_refused_relation(tmp_path):
    # Green (size 20, salience 0.5) against Red (size 50, salience 1): with k = 10 Red never gives way
    sc = stage(tmp_path, {"issues": DEMAND_ISSUE,
                          "actors": {"GREEN": script({1: [{"kind": "demand", "target": "RED", "issue": "talks"}]})},
                          "actions": {"demand": {"refused_relation": -0.3}},
                          "params": {"tullock_k": 10}})
    m = WargameModel(sc, seed=0).run(1)
    (e,) = events_of(m, "demand")
    lev, res = 20 * 0.5 * (1.5 - 0.5), 50 * 1.0 * 1.5
    assert e["numbers"]["p"] == round(contest(lev, res, 10), 4) == 0.0
    assert e["numbers"]["delta"] == -0.3
    assert "refused" in e["sentence"]
    assert m.indicators().loc[0, "relation.RED.GREEN"] == -0.5
    assert m.last_record["relation.RED.GREEN"] == pytest.approx(-0.8)


def test_demand_relation_change_follows_the_draw(tmp_path):
    talks = merged(DEMAND_ISSUE, {"talks": {"salience": {"RED": 0.2, "GREEN": 1.0}}})
    sc = stage(tmp_path, {"issues": talks,
                          "actors": {"GREEN": script({1: [{"kind": "demand", "target": "RED", "issue": "talks"}]})}})
    p = contest(20 * 1.0 * (1.5 - 0.5), 50 * 0.2 * 1.5, sc.params.tullock_k)
    dp = sc.actions["demand"]
    outcomes = set()
    for seed in range(12):
        m = WargameModel(sc, seed=seed).run(1)
        (e,) = events_of(m, "demand")
        assert e["numbers"]["p"] == round(p, 4)
        gave_way = e["numbers"]["draw"] < p
        outcomes.add(gave_way)
        if gave_way:
            assert e["numbers"]["move"] == pytest.approx(dp.amount * 100)   # towards Green, capped at 8% of scale
        expected = -0.5 + (dp.relation if gave_way else dp.refused_relation)
        assert m.last_record["relation.RED.GREEN"] == pytest.approx(expected)
    assert outcomes == {True, False}


# ------------------------------------------------------------------------------------------ issues
def _issue(positions: dict, salience: dict, thresholds: list[dict]) -> dict:
    """An issue whose talks are one undamped round with the weighted mean as the forecast, so that the crossing
    tests below can compute the forecast with the bargaining module alone (the damping, the median and the status
    quo are tested in tests/sim/test_talks.py)."""
    return {"basing": {"name": "Basing", "positions": positions, "salience": salience, "thresholds": thresholds,
                       "forecast": "mean", "half_life": 0}}


EVICT = {"name": "eviction_notice", "when": "below", "value": 35, "sentence": "Notice served on the fort.",
         "effects": [{"kind": "base_status", "bases": ["fort"], "status": "drawdown", "only_status": ["active"]}]}
LEASE = {"name": "lease_reaffirmed", "when": "above", "value": 60, "sentence": "The lease was reaffirmed.",
         "effects": [{"kind": "base_status", "bases": ["fort"], "status": "active", "only_status": ["drawdown"]}]}


def _first_round(m: WargameModel) -> tuple[float, float]:
    """The forecast before and after one bargaining round, computed with the bargaining module directly."""
    w = m.world
    before = bargaining.weighted_mean(m.ctx.size, w.position[0], w.salience[0])
    new = bargaining.bargain_round(m.ctx.size, w.position[0], w.salience[0], scale=tuple(w.scale[0])).new_positions
    return before, bargaining.weighted_mean(m.ctx.size, new, w.salience[0])


def test_initial_forecast_uses_the_same_weights_as_bargaining(tmp_path):
    # capabilities that differ by field, so summed capabilities and weighted sizes disagree
    sc = stage(tmp_path, {"actors": {"RED": {"capabilities": {"military": 90, "economic": 5, "diplomatic": 5}},
                                     "BLUE": {"capabilities": {"military": 5, "economic": 90, "diplomatic": 5}}},
                          "issues": _issue({"RED": 100, "BLUE": 0, "GREEN": 30}, {"RED": 0.5, "BLUE": 0.9,
                                                                                  "GREEN": 0.4}, [])})
    m = WargameModel(sc, seed=0)
    w = m.world
    assert w.forecast[0] == pytest.approx(bargaining.weighted_mean(m.ctx.size, w.position[0], w.salience[0]))
    assert m.last_record["issue.basing.forecast"] == pytest.approx(w.forecast[0], abs=1e-4)


def test_forecast_falling_below_a_threshold_serves_notice(tmp_path):
    sc = stage(tmp_path, {"bases": {"fort": {"controller": "RED"}},
                          "issues": _issue({"RED": 100, "BLUE": 0, "GREEN": 0}, {"RED": 0.6, "BLUE": 0.9, "GREEN": 0.9},
                                           [EVICT, LEASE])})
    m = WargameModel(sc, seed=0)
    before, after = _first_round(m)
    assert before >= 35 > after and after <= 60          # the premise: round 1 crosses 35 downward, not 60 upward
    assert m.last_record["issue.basing.forecast"] == pytest.approx(before, abs=1e-4)
    m.step()
    (e,) = events_of(m, "issue")
    assert e["numbers"]["threshold"] == "eviction_notice" and e["turn"] == 1
    assert e["numbers"]["before"] == pytest.approx(before, abs=1e-4)
    assert e["numbers"]["after"] == pytest.approx(after, abs=1e-4)
    assert e["sentence"] == EVICT["sentence"]
    assert m.last_record["base.fort.status"] == "drawdown"
    # the drawdown starts wearing the garrison down in the same turn's control phase
    assert m.last_record["base.fort.garrison"] == pytest.approx(0.5 - sc.params.drawdown_rate)


def test_forecast_rising_above_a_threshold_ends_a_drawdown(tmp_path):
    sc = stage(tmp_path, {"bases": {"fort": {"controller": "RED", "status": "drawdown"}},
                          "issues": _issue({"RED": 100, "BLUE": 0, "GREEN": 0}, {"RED": 0.75, "BLUE": 0.6,
                                                                                 "GREEN": 0.6}, [EVICT, LEASE])})
    m = WargameModel(sc, seed=0)
    before, after = _first_round(m)
    assert before <= 60 < after
    m.step()
    (e,) = events_of(m, "issue")
    assert e["numbers"]["threshold"] == "lease_reaffirmed"
    assert m.last_record["base.fort.status"] == "active"
    assert m.last_record["base.fort.garrison"] == 0.5     # reaffirmed before the control phase: nothing lost
    m.run(2)
    assert len(events_of(m, "issue")) == 1               # no crossing back and forth


def test_no_threshold_event_without_a_crossing(tmp_path):
    far = dict(EVICT, value=0)                            # the scale's low end: nothing falls below it
    sc = stage(tmp_path, {"bases": {"fort": {"controller": "RED"}},
                          "issues": _issue({"RED": 100, "BLUE": 0, "GREEN": 0}, {"RED": 0.6, "BLUE": 0.9, "GREEN": 0.9},
                                           [far])})
    m = WargameModel(sc, seed=0).run(3)
    assert events_of(m, "issue") == []
    assert set(m.indicators()["base.fort.status"]) == {"active"}


# ---------------------------------------------------------------------------------------- drawdown
@pytest.mark.parametrize("rate, collapse", [(0.2, 0.08), (0.15, 0.25), (0.05, 0.3)])
def test_drawdown_wears_the_garrison_down_then_the_base_is_evacuated(tmp_path, rate, collapse):
    sc = stage(tmp_path, {"bases": {"fort": {"controller": "RED", "status": "drawdown"}},
                          "params": {"drawdown_rate": rate, "collapse_garrison": collapse}})
    m = WargameModel(sc, seed=0, turns=12)
    g, turn = 0.5, 0
    while True:
        turn += 1
        m.step()
        g = max(g - rate, 0.0)
        if g < collapse:
            break
        assert m.last_record["base.fort.garrison"] == pytest.approx(g)
        assert m.last_record["base.fort.status"] == "drawdown"
        assert m.last_record["base.fort.controller"] == "RED"
        assert events_of(m, "base_change") == []
    assert m.last_record["base.fort.status"] == "evacuated"
    assert m.last_record["base.fort.controller"] == "BLUE"    # the host: the largest share of the north
    assert m.last_record["base.fort.garrison"] == 0.0
    (e,) = events_of(m, "base_change")
    assert e["turn"] == turn and e["phase"] == "control" and e["numbers"]["base"] == "fort"
    m.step()                                                   # an evacuated base stays so
    assert m.last_record["base.fort.status"] == "evacuated"
    assert len(events_of(m, "base_change")) == 1


def test_no_reinforcing_a_base_in_drawdown(tmp_path):
    sc = stage(tmp_path, {"bases": {"fort": {"controller": "RED", "status": "drawdown"}},
                          "actors": {"RED": script({1: [{"kind": "deploy", "base": "fort"}]})}})
    m = WargameModel(sc, seed=0).run(1)
    assert m.orders_log[0]["orders"] == {}
    assert m.last_record["base.fort.garrison"] == pytest.approx(0.5 - sc.params.drawdown_rate)


def test_a_collapsing_host_garrison_leaves_the_base_to_nobody(tmp_path):
    # Blue holds the largest share of the north: it is the fort's host
    sc = stage(tmp_path, {"bases": {"fort": {"controller": "BLUE", "status": "drawdown", "garrison": 0.1}}})
    m = WargameModel(sc, seed=0).run(1)
    assert m.last_record["base.fort.controller"] == "none"
    assert m.last_record["base.fort.status"] == "evacuated"


def test_an_active_base_keeps_its_garrison(tmp_path):
    m = WargameModel(stage(tmp_path), seed=0).run(4)
    assert set(m.indicators()["base.fort.garrison"]) == {0.5}


# ---------------------------------------------------------------------------------------- alliances
TURNCOAT = {"events": {"turn": {"name": "Red changes course", "probability": 1.0, "max_times": 1,
                                "actors": ["RED"], "sentence": "Red turned on Blue and towards Green.",
                                "effects": [{"kind": "relation", "actor": "RED", "other": "BLUE", "delta": -1.0},
                                            {"kind": "relation", "actor": "RED", "other": "GREEN", "delta": 1.0}]}}}


def test_side_switch_happens_when_it_lowers_frustration(tmp_path):
    m = WargameModel(stage(tmp_path, TURNCOAT), seed=0, turns=3)
    start = m.world.blocs.copy()
    assert start[0] == start[1] != start[2]            # Red and Blue together against Green
    m.step()
    st, al, size = m.world.alignment, m.scenario.alignment, m.ctx.size
    expected, moves = settle_with_cost(size, st.propensity, start, st.kinds, al.blocs, al.switch_cost)
    assert [mv.actor for mv in moves] == [0]           # the theory says: Red alone moves
    assert m.world.blocs.tolist() == expected.tolist()
    f_stay = bloc_frustration(size, st.propensity, start)[0]
    f_move = bloc_frustration(size, st.propensity, expected)[0]
    assert f_stay - f_move > al.switch_cost * np.abs(st.propensity[0] * size).sum()   # it clears the cost
    (e,) = events_of(m, "alliance_shift")
    assert e["actors"] == ["RED"] and e["turn"] == 1
    df = m.indicators()
    assert df.loc[1, "alliance_shifts"] == 1
    assert df.loc[1, "bloc.RED"] != df.loc[0, "bloc.RED"]
    assert df.loc[1, "bloc.RED"] == df.loc[1, "bloc.GREEN"] != df.loc[1, "bloc.BLUE"]
    m.run(2)                                           # settled: nobody moves again
    assert m.indicators()["alliance_shifts"].tolist() == [0, 1, 0, 0]
    assert len(events_of(m, "alliance_shift")) == 1


def test_no_side_switch_when_none_lowers_frustration(tmp_path):
    m = WargameModel(stage(tmp_path), seed=0).run(4)
    assert m.indicators()["alliance_shifts"].tolist() == [0] * 5
    assert events_of(m, "alliance_shift") == []
    st, size, blocs = m.world.alignment, m.ctx.size, m.world.blocs
    now = bloc_frustration(size, st.propensity, blocs)
    for i in range(3):                                 # no other bloc (or a new one) would lower anyone's frustration
        for label in set(range(m.scenario.alignment.blocs)) - {int(blocs[i])}:
            moved = blocs.copy()
            moved[i] = label
            assert bloc_frustration(size, st.propensity, moved)[i] >= now[i]


def test_switching_can_be_turned_off(tmp_path):
    m = WargameModel(stage(tmp_path, merged(TURNCOAT, {"params": {"alliance_switch": False}})), seed=0).run(2)
    assert events_of(m, "alliance_shift") == []
    assert m.indicators()["alliance_shifts"].tolist() == [0, 0, 0]
    assert m.indicators()["bloc.RED"].nunique() == 1


# ------------------------------------------------------------------------------------------- events
def _event(**kw) -> dict:
    e = {"name": "Boost", "probability": 1.0, "sentence": "Red grew stronger.", "actors": ["RED"],
         "effects": [{"kind": "capability", "actor": "RED", "field": "military", "delta": 1.0}]}
    return e | kw


def _fired(m: WargameModel, eid: str) -> list[int]:
    return [e["turn"] for e in events_of(m, "event") if e["numbers"]["event"] == eid]


def test_certain_event_fires_every_turn_and_applies_its_effects(tmp_path):
    m = WargameModel(stage(tmp_path, {"events": {"boost": _event()}}), seed=3).run(4)
    assert _fired(m, "boost") == [1, 2, 3, 4]
    assert m.world.cap[0, 0] == 54.0
    for e in events_of(m, "event"):
        assert e["phase"] == "nature" and e["numbers"]["draw"] < e["numbers"]["p"] == 1.0


def test_event_fires_at_most_max_times(tmp_path):
    m = WargameModel(stage(tmp_path, {"events": {"boost": _event(max_times=2)}}), seed=3).run(4)
    assert _fired(m, "boost") == [1, 2]
    assert m.world.cap[0, 0] == 52.0


def test_impossible_event_never_fires(tmp_path):
    sc = stage(tmp_path, {"events": {"boost": _event(probability=0.0)}})
    for seed in range(5):
        m = WargameModel(sc, seed=seed).run(4)
        assert _fired(m, "boost") == []
        assert m.world.cap[0, 0] == 50.0


def test_false_condition_blocks_an_event_until_it_holds(tmp_path):
    # `handover` gives the fort to Red in turn 1; `rally` needs Red to hold it in the previous turn's record
    handover = _event(max_times=1, sentence="Blue handed the fort to Red.",
                      effects=[{"kind": "base_controller", "base": "fort", "controller": "RED"}])
    never = _event(condition={"indicator": "base.fort.controller", "op": "==", "value": "GREEN"})
    rally = _event(condition={"all": [{"indicator": "base.fort.controller", "op": "==", "value": "RED"},
                                      {"not": {"indicator": "alliance_shifts", "op": ">", "value": 5}}]})
    m = WargameModel(stage(tmp_path, {"events": {"handover": handover, "never": never, "rally": rally}}),
                     seed=0).run(4)
    assert _fired(m, "handover") == [1]
    assert _fired(m, "never") == []
    assert _fired(m, "rally") == [2, 3, 4]


# ------------------------------------------------------------------------------- control follow-ups
def test_the_host_can_re_garrison_a_base_that_reverted_to_it(tmp_path):
    sc = stage(tmp_path, {"bases": {"depot": {"controller": "BLUE"}},      # Blue hosts the north's bases
                          "actors": {"BLUE": script({1: [{"kind": "deploy", "base": "depot"}]})}})
    m = WargameModel(sc, seed=0)
    assert m.last_record["base.depot.status"] == "evacuated"
    m.run(1)
    assert m.last_record["base.depot.status"] == "active"
    assert m.last_record["base.depot.garrison"] == pytest.approx(sc.actions["deploy"].amount)


def test_ground_lost_by_a_sole_holder_goes_to_the_striker(tmp_path):
    sc = stage(tmp_path, {"actors": {"RED": script({1: [{"kind": "strike", "target": "GREEN", "region": "south"}]})}},
               overrides=("actions.strike.min_military=0",))
    m = WargameModel(sc, seed=0).run(1)
    strike = events_of(m, "strike")[0]
    south = {a: m.last_record[f"region.south.{a}"] for a in ("RED", "BLUE", "GREEN")}
    assert south["BLUE"] == 0.0
    if strike["numbers"]["draw"] < strike["numbers"]["p"]:
        assert south["RED"] > 0.0 and south["RED"] + south["GREEN"] == pytest.approx(1.0)
    else:
        assert south["GREEN"] == pytest.approx(1.0)


def test_support_leaves_evacuated_bases_alone(tmp_path):
    sc = stage(tmp_path, {"bases": {"depot": {"controller": "BLUE"}},
                          "actors": {"RED": script({1: [{"kind": "support_proxy", "target": "BLUE"}]})}})
    m = WargameModel(sc, seed=0).run(1)
    assert events_of(m, "support_proxy")
    assert m.last_record["base.depot.garrison"] == 0.0
    assert m.last_record["base.fort.garrison"] == pytest.approx(0.5 + sc.actions["support_proxy"].amount / 2)


def test_fighting_fades_at_the_start_of_the_next_turn(tmp_path):
    sc = stage(tmp_path, {"relations": {"RED-BLUE": -0.5},
                          "actors": {"RED": script({1: [{"kind": "seize", "base": "fort", "target": "BLUE"}]})}})
    m = WargameModel(sc, seed=0).run(1)
    assert m.world.fighting[0, 1] == pytest.approx(sc.actions["seize"].fighting)
    m.run(1)
    assert m.world.fighting[0, 1] == pytest.approx(sc.actions["seize"].fighting * (1 - sc.params.fighting_decay))
