"""What a player sees of a seat (model.sim.player): the menu's chances are adjudication's, the gain splits exactly
into goal terms, objectives read the world, withdrawn orders are gone, and nothing here moves the trajectory."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model import (
    UserError,
    WargameModel,
    load_scenario,
    objectives,
    order_briefs,
    score,
    total_weight,
    withdraw_orders,
)
from model.sim.actions import Order, success_prob
from model.sim.adjudication import _cand
from model.sim.player import fresh_ctx, goal_terms
from model.sim.policies import score_candidates
from model.sim.utility import Batch

MINI = Path(__file__).parents[1] / "data" / "scenarios" / "mini.yaml"


@pytest.fixture(scope="module")
def played() -> WargameModel:
    m = WargameModel(load_scenario("baseline-2025"), seed=7, human=("SYR",))
    for _ in range(3):
        m.submit_orders("SYR", [])
        m.step()
    return m


def test_briefs_list_the_menu_with_the_policys_gains(played):
    m = played
    briefs = order_briefs(m, "SYR")
    ctx = fresh_ctx(m)
    scored = score_candidates(ctx, m.world.idx("SYR"), m.goals())
    sl = scored.rows(m.world.idx("SYR"))
    menu = [(scored.order(ctx, r).to_dict(), float(scored.gain[r])) for r in range(sl.start, sl.stop)
            if scored.cost[r] > 0]
    assert [b["order"] for b in briefs] == [o for o, _ in menu]
    assert np.allclose([b["gain"] for b in briefs], [g for _, g in menu], atol=1e-4)
    assert [b["order"] for b in briefs] == [f["order"] for f in m.feasible_orders("SYR")]


def test_the_chance_is_the_one_adjudication_draws_against(played):
    m = played
    ctx = fresh_ctx(m)
    a = m.world.idx("SYR")
    contested = [b for b in order_briefs(m, "SYR") if not b["certain"]]
    assert contested, "the baseline's Syria should have some contested order (a demand)"
    for b in contested:
        o = Order(**b["order"])
        assert b["p"] == pytest.approx(float(success_prob(ctx, o.kind, _cand(ctx, a, o))[0]), abs=1e-3)
        assert 0 < b["p"] < 1 and b["failure"]
    certain = [b for b in order_briefs(m, "SYR") if b["certain"]]
    assert all(b["p"] == 1.0 and b["failure"] is None and b["success"] for b in certain)


def test_why_splits_the_gain_into_goal_terms(played):
    m = played
    a = m.world.idx("SYR")
    batch = Batch.of(m.world, a)
    terms = goal_terms(m, "SYR", batch)
    assert sum(float(t[0]) for t in terms.values()) == pytest.approx(m.last_record["utility.SYR"], abs=1e-9)
    scored = score_candidates(fresh_ctx(m), a, m.goals())      # the AI's scoring pass: its rows' expected states
    every = goal_terms(m, "SYR", scored.batch)
    split = sum(t - t[0] for t in every.values())          # each candidate's gain, goal by goal, added up
    assert np.allclose(split, scored.gain, atol=1e-9)
    briefs = order_briefs(m, "SYR")
    menu = [r for r in range(len(split)) if scored.cost[r] > 0]
    assert np.allclose(split[menu], [b["gain"] for b in briefs], atol=1e-4)
    for b in briefs:                                       # the "why" terms are the same pass's goal terms
        assert sum(t["delta"] for t in b["why"]) == pytest.approx(b["gain"], abs=1e-3) or len(b["why"]) == 3
    for b in briefs:
        deltas = [abs(t["delta"]) for t in b["why"]]
        assert deltas == sorted(deltas, reverse=True) and len(deltas) <= 3
    engage = next(b for b in order_briefs(m, "SYR") if b["order"] == {"kind": "engage", "target": "USA"})
    assert engage["why"][0]["goal"] == "washington" and "United States" in engage["why"][0]["label"]


def test_objectives_read_the_world_and_score_from_the_start():
    m = WargameModel(load_scenario(MINI), seed=3)
    start = {a: m.last_record[f"utility.{a}"] for a in m.world.actors}
    o = objectives(m, "RUS", start["RUS"])
    assert o["score"] == 0.0 and o["total"] == 3
    tartus = next(g for g in o["goals"] if g["name"] == "tartus")
    assert tartus["met"] and "held by you" in tartus["reading"]
    assert o["utility"] == pytest.approx(start["RUS"], abs=1e-4)
    m.world.base_ctrl[m.world.bidx("tartus")] = m.world.idx("USA")      # the base changes hands
    after = objectives(m, "RUS", start["RUS"])
    assert not next(g for g in after["goals"] if g["name"] == "tartus")["met"]
    assert after["score"] < 0 and after["met"] == o["met"] - 1
    usa = objectives(m, "USA", start["USA"])
    assert next(g for g in usa["goals"] if g["name"] == "deny")["met"]
    assert score(3.0, 2.0, 4.0) == 25.0 and total_weight(m.scenario, "RUS") == 4.0


def test_withdrawn_orders_are_gone_and_others_can_be_given():
    m = WargameModel(load_scenario(MINI), seed=3, human=("SYR", "USA"))
    order = m.feasible_orders("SYR")[0]["order"]
    m.submit_orders("SYR", [order])
    withdraw_orders(m, "SYR")
    assert m.waiting_for() == ["SYR", "USA"]
    with pytest.raises(UserError, match="no orders to withdraw"):
        withdraw_orders(m, "SYR")
    with pytest.raises(UserError, match="not a human seat"):
        withdraw_orders(m, "RUS")
    m.submit_orders("SYR", [])
    m.submit_orders("USA", [])
    m.step()
    assert m.orders_log[-1]["orders"].get("SYR") is None


def test_looking_does_not_change_the_trajectory():
    plain = WargameModel(load_scenario(MINI), seed=5).run(4).indicators()
    m = WargameModel(load_scenario(MINI), seed=5)
    for _ in range(4):
        for a in m.world.actors:
            order_briefs(m, a)
            objectives(m, a, 0.0)
        m.step()
    assert m.indicators().equals(plain)
