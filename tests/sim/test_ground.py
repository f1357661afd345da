"""Bases and territory (model.sim.bases, model.sim.territory) on the tiny stage, where every number is known.

The stage (tests/data/scenarios/tiny.yaml): Red (50/50/50), Blue (30) and Green (20); the north is Red 0.3, Blue
0.4, Green 0.3, so Blue hosts its bases; the south is Green's. Nobody acts unless a test scripts it, relations do
not drift, military does not regenerate (unless a test says so).
"""
from __future__ import annotations

import copy
import math
import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from model import WargameModel, load_scenario
from model.config.scenario import Scenario
from model.sim import bases, territory
from model.sim.policies import score_candidates

TINY = Path(__file__).parents[1] / "data" / "scenarios" / "tiny.yaml"
NO_BLOC = {"consent": {"bloc": 0.0}}      # consent without the bloc term, so a test's numbers do not hang on blocs


def merged(base: dict, change: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in change.items():
        out[k] = merged(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else copy.deepcopy(v)
    return out


def stage(tmp_path: Path, change: dict | None = None) -> Scenario:
    data = merged(yaml.safe_load(TINY.read_text()), change or {})
    path = tmp_path / "stage.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_scenario(path)


def script(turns: dict[int, list[dict]]) -> dict:
    return {"policy": {"kind": "scripted", "script": turns}}


def events_of(m: WargameModel, kind: str) -> list[dict]:
    return [e for e in m.events() if e["kind"] == kind]


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def red_fort(tmp_path: Path, relation: float, lease: dict | None = None, more: dict | None = None) -> Scenario:
    """Red holds Blue's fort (Blue has the north's largest share) on a lease, at this relation with Blue."""
    change = {"relations": {"RED-BLUE": relation}, "ground": NO_BLOC,
              "bases": {"fort": {"controller": "RED", "lease": lease or {}}}}
    return stage(tmp_path, merged(change, more or {}))


# -------------------------------------------------------------------------------------------------- hosts
def test_the_host_is_whoever_holds_the_largest_share_and_a_change_is_an_event(tmp_path):
    shift = {"name": "Green advances", "probability": 1.0, "max_times": 1, "actors": ["GREEN"],
             "sentence": "Green took ground in the north.",
             "effects": [{"kind": "control", "region": "north", "actor": "GREEN", "delta": 0.3}]}
    m = WargameModel(stage(tmp_path, {"events": {"shift": shift}}), seed=0)
    assert m.last_record["base.fort.host"] == "BLUE" and m.last_record["base.depot.host"] == "BLUE"
    m.run(1)
    assert m.last_record["base.fort.host"] == "GREEN"
    (e,) = events_of(m, "host_change")
    assert e["numbers"]["region"] == "north" and set(e["numbers"]["bases"].split(",")) == {"fort", "depot"}
    assert "Green now holds the largest share of North" in e["sentence"]
    # Blue's fort now stands on Green's consent (Blue-Green -0.5): it has a consent below 1
    assert m.last_record["base.fort.consent"] < 1.0


def test_a_base_on_the_holders_own_ground_or_held_by_force_needs_no_consent(tmp_path):
    m = WargameModel(stage(tmp_path), seed=0)                    # Blue holds its own region's fort
    assert m.last_record["base.fort.consent"] == 1.0
    sc = stage(tmp_path, {"relations": {"RED-BLUE": -1.0},
                          "bases": {"fort": {"controller": "RED", "held_by_force": True}}})
    m = WargameModel(sc, seed=0).run(3)
    assert set(m.indicators()["base.fort.consent"]) == {1.0}
    assert set(m.indicators()["base.fort.status"]) == {"active"} and events_of(m, "lease") == []


# ------------------------------------------------------------------------------------------------ consent
def test_consent_is_the_logistic_of_its_documented_terms(tmp_path):
    # relation 0.5 (x 2) and the host's value of the base 0.4 (x -1), no favours, no talks, no bloc term
    sc = red_fort(tmp_path, 0.5, more={"bases": {"fort": {"value": {"BLUE": 0.4}}}})
    m = WargameModel(sc, seed=0)
    assert m.last_record["base.fort.consent"] == pytest.approx(sigmoid(2 * 0.5 - 0.4))
    c, leased, terms = bases.consent(m.world, m.world.consent_weights)
    f = m.world.bidx("fort")
    assert leased[f] and terms[f].tolist() == pytest.approx([1.0, 0.0, 0.0, -0.4, 0.0])


def test_side_payments_raise_consent_and_fade(tmp_path):
    sc = red_fort(tmp_path, 0.5, more={"actors": {"RED": script({1: [{"kind": "aid", "target": "BLUE"}]})}})
    m = WargameModel(sc, seed=0).run(1)
    rel = 0.5 + sc.actions["aid"].relation
    # this month's outcomes (and the indicator) read the stock of favours before it fades
    assert m.last_record["base.fort.consent"] == pytest.approx(sigmoid(2 * rel + (1 - math.exp(-1.0))))
    decay = sc.ground.payments.decay
    assert m.world.payments[0, 1] == pytest.approx(1.0 - decay)
    m.run(1)
    assert m.last_record["base.fort.consent"] == pytest.approx(sigmoid(2 * rel + (1 - math.exp(-(1 - decay)))))


def test_a_concession_is_a_favour_to_everyone_who_cares_about_the_issue(tmp_path):
    issue = {"talks": {"name": "Talks", "positions": {"RED": 100, "BLUE": 0, "GREEN": 50},
                       "salience": {"RED": 0.9, "BLUE": 0.6, "GREEN": 0.3}}}
    sc = red_fort(tmp_path, 0.5, more={"issues": issue,
                                       "actors": {"RED": script({1: [{"kind": "concede", "issue": "talks"}]})}})
    m = WargameModel(sc, seed=0).run(1)
    assert events_of(m, "concede")
    pay = sc.ground.payments.concede * (1 - sc.ground.payments.decay)
    assert m.world.payments[0, 1] == pytest.approx(0.6 * pay) and m.world.payments[0, 2] == pytest.approx(0.3 * pay)


def test_the_linked_talks_move_consent_with_their_forecast(tmp_path):
    # the talks' forecast as a share of the scale toward the holder: 2 f - 1, times the talks weight
    issue = {"talks": {"name": "Talks", "positions": {"RED": 100, "BLUE": 0, "GREEN": 0},
                       "salience": {"RED": 0.5, "BLUE": 0.5, "GREEN": 0.5}}}
    for favours, sign in (("high", 1), ("low", -1)):
        sc = red_fort(tmp_path, 0.0, more={"issues": issue, "bases": {"fort": {"talks": "talks",
                                                                             "talks_favours": favours}}})
        m = WargameModel(sc, seed=0)
        f = float(m.world.forecast[0]) / 100
        assert m.last_record["base.fort.consent"] == pytest.approx(sigmoid(sign * 1.5 * (2 * f - 1)))


# ------------------------------------------------------------------------------------------ lease outcomes
LEASE = {"renew": 0.8, "reduce": 0.5, "evict": 0.2, "reprieve": 0.4, "cap": 0.3, "notice_months": 3,
         "on_notice": [{"kind": "relation", "actor": "RED", "other": "BLUE", "delta": -0.1}],
         "on_handed_over": [{"kind": "relation", "actor": "RED", "other": "GREEN", "delta": 0.2}]}


def test_consent_between_evict_and_reduce_renegotiates_the_lease_down(tmp_path):
    sc = red_fort(tmp_path, -0.1, LEASE)                        # consent sigmoid(-0.2) = 0.45
    m = WargameModel(sc, seed=0).run(1)
    assert m.last_record["base.fort.status"] == "reduced" and m.last_record["base.fort.controller"] == "RED"
    assert m.last_record["base.fort.garrison"] == pytest.approx(0.3)   # capped from 0.5
    (e,) = events_of(m, "lease")
    assert e["numbers"]["outcome"] == "reduced" and e["numbers"]["consent"] == pytest.approx(sigmoid(-0.2), abs=1e-4)
    assert "renegotiated Red's lease of Fort down" in e["sentence"]
    m.run(2)                                                     # no deploy above the cap, no repeat
    assert len(events_of(m, "lease")) == 1 and m.last_record["base.fort.status"] == "reduced"


def test_consent_above_renew_restores_a_reduced_lease(tmp_path):
    sc = red_fort(tmp_path, 0.8, LEASE, {"bases": {"fort": {"status": "reduced", "garrison": 0.3}}})
    m = WargameModel(sc, seed=0).run(1)                          # consent sigmoid(1.6) = 0.83 > 0.8
    assert m.last_record["base.fort.status"] == "active"
    assert [e["numbers"]["outcome"] for e in events_of(m, "lease")] == ["renewed"]


def test_notice_draws_the_garrison_down_over_its_months_then_hands_the_base_over(tmp_path):
    sc = red_fort(tmp_path, -0.9, LEASE)                         # consent sigmoid(-1.8) = 0.14 < 0.2
    m = WargameModel(sc, seed=0)
    m.run(1)
    assert m.last_record["base.fort.status"] == "drawdown"
    (notice,) = events_of(m, "lease")
    assert notice["numbers"]["outcome"] == "notice" and "draws down over 3 months" in notice["sentence"]
    assert m.last_record["relation.RED.BLUE"] == pytest.approx(-1.0)      # on_notice: -0.1 (clipped at -1)
    garrisons = [m.last_record["base.fort.garrison"]]
    m.run(1)
    garrisons.append(m.last_record["base.fort.garrison"])
    assert m.last_record["base.fort.controller"] == "RED"
    m.run(1)                                                     # three months after the notice: handed over
    assert m.last_record["base.fort.controller"] == "BLUE" and m.last_record["base.fort.status"] == "evacuated"
    step = (0.5 - sc.params.collapse_garrison) / 3
    assert garrisons == pytest.approx([0.5 - step, 0.5 - 2 * step], abs=1e-5)
    (left,) = events_of(m, "base_change")
    assert left["numbers"]["cause"] == "handed_over" and left["turn"] == 3 and "handed over to Blue" in left["sentence"]
    assert m.last_record["relation.RED.GREEN"] == pytest.approx(-0.5 + 0.2)   # on_handed_over


def test_a_counter_offer_that_lifts_consent_during_the_notice_wins_a_reprieve(tmp_path):
    # month 1: notice (consent 0.14); month 2: Moscow-style counter-offer, an event that restores the relation
    offer = {"name": "Counter-offer", "probability": 1.0, "max_times": 1, "actors": ["RED"],
             "condition": {"indicator": "base.fort.status", "op": "==", "value": "drawdown"},
             "sentence": "Red made Blue an offer.",
             "effects": [{"kind": "relation", "actor": "RED", "other": "BLUE", "delta": 1.0}]}
    sc = red_fort(tmp_path, -0.9, dict(LEASE, on_notice=[]), {"events": {"offer": offer}})
    m = WargameModel(sc, seed=0).run(2)
    outcomes = [e["numbers"]["outcome"] for e in events_of(m, "lease")]
    assert outcomes == ["notice", "reprieve"]
    assert m.last_record["base.fort.status"] == "reduced" and m.last_record["base.fort.controller"] == "RED"
    assert not m.world.base_notice[m.world.bidx("fort")]
    assert "withdrew its notice" in events_of(m, "lease")[1]["sentence"]


def test_a_lease_lapses_when_the_holder_becomes_the_host(tmp_path):
    gain = {"name": "Red advances", "probability": 1.0, "max_times": 1, "actors": ["RED"], "sentence": "Red grew.",
            "effects": [{"kind": "control", "region": "north", "actor": "RED", "delta": 0.3}]}
    sc = red_fort(tmp_path, -0.1, LEASE, {"bases": {"fort": {"status": "reduced", "garrison": 0.3}},
                                          "events": {"gain": gain}})
    m = WargameModel(sc, seed=0).run(1)
    assert m.last_record["base.fort.host"] == "RED" and m.last_record["base.fort.status"] == "active"
    assert [e["numbers"]["outcome"] for e in events_of(m, "lease")] == ["lapsed"]


def test_a_lease_outcome_is_explained_by_the_terms_that_moved_its_way():
    """A renegotiation (consent fell) names the terms that fell, never those that rose, however large."""
    start = np.zeros(len(bases.TERMS))
    now = np.array([0.11, 0.86, 0.0, -0.3, 0.0])             # relation and payments rose; value fell
    assert bases._cause(now, start, -1.0) == "value -0.30"
    assert bases._cause(now, start, 1.0) == "payments +0.86, relation +0.11"
    assert bases._cause(start, start, -1.0) == "no term fell since the start"


def test_a_crossed_threshold_is_printed_with_the_digits_that_tell_it_apart():
    assert bases._versus(0.3471, 0.35) == ("0.347", "0.350")
    assert bases._versus(0.23, 0.35) == ("0.23", "0.35")
    assert bases._versus(0.349996, 0.35) == ("0.349996", "0.350000")


def test_a_renewal_after_a_renegotiation_is_its_own_story():
    """The story keys a lease event on the base and the outcome: Al-Tanf renegotiated in month 1 and renewed in
    month 2 (a consent bias of -2) is two stories; it was told as "renewed ..., second month running"."""
    m = WargameModel(load_scenario("baseline-2025", overrides=["ground.consent.bias=-2"]), seed=0).run(3)
    tanf = [e for e in m.events() if e["kind"] == "lease" and e["numbers"]["base"] == "al_tanf"]
    assert [(e["turn"], e["numbers"]["outcome"]) for e in tanf][:2] == [(1, "reduced"), (2, "renewed")]
    assert tanf[1]["streak"] == 1 and "month running" not in tanf[1]["sentence"]
    told = [re.search(r"(\d\.\d+) ([<>]) (\d\.\d+)", e["sentence"]) for e in m.events() if e["kind"] == "lease"
            and e["numbers"]["outcome"] != "lapsed"]
    assert len(told) >= 5
    for found in told:                    # every printed comparison reads true
        assert found is not None
        value, op, threshold = float(found[1]), found[2], float(found[3])
        assert value < threshold if op == "<" else value > threshold, found[0]


def test_coming_back_within_budget_is_not_the_strain_running_on():
    """Going over budget and coming back are two stories: "back within its budget, second month running" was told
    the month after Russia went over (a drain of 400 troops over 3 months, seed 1)."""
    base = load_scenario("baseline-2025")
    data = base.model_dump(mode="python", by_alias=True)
    data["actors"]["RUS"]["budget"]["drains"][0].update(troops=400, months=3)
    m = WargameModel(Scenario.model_validate(data), seed=1).run(4)
    strain = [e for e in m.events() if e["kind"] == "strain" and e["actors"] == ["RUS"]]
    assert [("over" if "over its budget" in e["sentence"] else "within") for e in strain][:2] == ["over", "within"]
    assert all(e["streak"] == 1 and "month running" not in e["sentence"] for e in strain)


def test_each_base_has_its_own_thresholds(tmp_path):
    # the same host, holder and consent: the fort's lease is renegotiated, the depot's (a lower reduce) is not
    sc = red_fort(tmp_path, -0.1, LEASE, {"bases": {"depot": {"controller": "RED", "status": "active",
                                                              "garrison": 0.5, "lease": dict(LEASE, reduce=0.3)}}})
    m = WargameModel(sc, seed=0).run(1)
    assert m.last_record["base.fort.status"] == "reduced" and m.last_record["base.depot.status"] == "active"


# ------------------------------------------------------------------------------------------ upkeep, strain
def budgeted(tmp_path: Path, budget: dict, more: dict | None = None) -> Scenario:
    """Red holds the fort (400 troops at full garrison, 0.5 now: upkeep 200) by force, with this budget."""
    change = {"actors": {"RED": {"budget": budget}},
              "bases": {"fort": {"controller": "RED", "troops": 400, "held_by_force": True}}}
    return stage(tmp_path, merged(change, more or {}))


def test_upkeep_over_budget_is_strain_and_thins_the_garrisons(tmp_path):
    sc = budgeted(tmp_path, {"troops": 100})
    m = WargameModel(sc, seed=0)
    assert m.last_record["strain.RED"] == pytest.approx(1.0)           # (200 - 100) / 100
    m.run(1)
    rate = sc.ground.upkeep.strain_rate
    g = 0.5 * (1 - rate * 100 / 200)                                   # a share of the excess shed
    assert m.last_record["base.fort.garrison"] == pytest.approx(g)
    assert m.last_record["strain.RED"] == pytest.approx(1.0)           # the month's strain, before thinning
    assert m.world.upkeep[0] == pytest.approx(400 * g)
    (e,) = events_of(m, "strain")
    assert "need 200 troops, 100 over its budget of 100" in e["sentence"]
    assert m.last_record["strain.BLUE"] == 0.0                         # no budget, no strain


def test_drains_ramp_in_over_their_months(tmp_path):
    sc = budgeted(tmp_path, {"troops": 300, "drains": [{"name": "a war elsewhere", "troops": 200, "months": 2}]})
    m = WargameModel(sc, seed=0)
    assert [float(bases.available(m.world, t)[0]) for t in (0, 1, 2, 5)] == [300.0, 200.0, 100.0, 100.0]
    m.run(1)
    assert m.last_record["strain.RED"] == 0.0                          # 200 troops against 200
    m.run(1)
    assert m.last_record["strain.RED"] > 0.0
    assert "while a war elsewhere draws on it" in events_of(m, "strain")[0]["sentence"]


def test_a_budget_effect_cuts_the_budget(tmp_path):
    cut = {"name": "Cut", "probability": 1.0, "max_times": 1, "actors": ["RED"], "sentence": "Red cut its budget.",
           "effects": [{"kind": "budget", "actor": "RED", "troops": -250}]}
    sc = budgeted(tmp_path, {"troops": 300}, {"events": {"cut": cut}})
    m = WargameModel(sc, seed=0).run(1)
    assert m.world.budget[0] == 50.0 and m.last_record["strain.RED"] > 0


def test_the_utility_policy_sees_strain_as_a_cost(tmp_path):
    def withdraw_gain(budget: float) -> float:
        sc = budgeted(tmp_path, {"troops": budget}, {"actors": {"RED": {"goals": {
            "fort": {"kind": "hold_base", "base": "fort", "weight": 0.5}}}}})
        m = WargameModel(sc, seed=0)
        scored = score_candidates(m.ctx, 0, m.goals())
        sl = scored.rows(0)
        gains = {str(scored.order(m.ctx, r).to_dict()): float(scored.gain[r]) for r in range(sl.start, sl.stop)}
        return gains[str({"kind": "withdraw", "base": "fort"})]
    assert withdraw_gain(1000) < 0 < withdraw_gain(100)


def test_the_orders_of_a_month_see_the_budget_its_events_left(tmp_path):
    """A cut in month 1's events weighs on month 1's orders, and a withdrawal's reason quotes the cut budget: the
    budget used to be last month's until the control phase (the US withdrew 'with 1,220 of 1,000 troops' in the
    month Washington cut it to 400)."""
    cut = {"name": "Cut", "probability": 1.0, "max_times": 1, "actors": ["RED"], "sentence": "Red cut its budget.",
           "effects": [{"kind": "budget", "actor": "RED", "troops": -950}]}
    sc = budgeted(tmp_path, {"troops": 1000}, {"events": {"cut": cut}, "actors": {"RED": {"goals": {
        "fort": {"kind": "hold_base", "base": "fort", "weight": 0.5}}}}})
    m = WargameModel(sc, seed=0)
    gains: list[float] = []
    play = m.phase_orders

    def scored_then_played(previous):
        scored = score_candidates(m.ctx, 0, m.goals())
        sl = scored.rows(0)
        gains.extend(float(scored.gain[r]) for r in range(sl.start, sl.stop)
                     if scored.order(m.ctx, r).to_dict() == {"kind": "withdraw", "base": "fort"})
        play(previous)

    m.phase_orders = scored_then_played
    m.step()
    assert m.world.budget[0] == 50.0 and gains[0] > 0       # 200 troops of upkeep on a budget of 50: leaving pays
    left = [e for e in m.events() if e["kind"] in ("withdraw", "base_change") and "RED" in e["actors"]]
    assert all("of 50 troops" in e["sentence"] for e in left if "budget" in e["sentence"])


def test_consolidate_moves_the_troops_and_leaves_the_base_to_its_host(tmp_path):
    sc = stage(tmp_path, {"bases": {"fort": {"controller": "RED", "troops": 400, "held_by_force": True},
                                    "depot": {"controller": "RED", "troops": 200, "garrison": 0.2, "status": "active",
                                              "held_by_force": True}},
                          "actors": {"RED": merged(script({1: [{"kind": "consolidate", "base": "fort",
                                                                "into": "depot"}]}),
                                                   {"budget": {"troops": 1000}})}})
    m = WargameModel(sc, seed=0).run(1)
    (c,) = events_of(m, "consolidate")
    assert "40 troops went home" in c["sentence"]                 # 200 moved, room for 160 at the depot
    assert m.last_record["base.depot.garrison"] == pytest.approx(1.0)
    assert m.last_record["base.fort.controller"] == "BLUE" and m.last_record["base.fort.status"] == "evacuated"
    assert m.world.upkeep[0] == pytest.approx(200.0)


def test_consolidate_names_two_bases_of_the_same_holder(tmp_path):
    sc = stage(tmp_path, {"actors": {"BLUE": script({1: [{"kind": "consolidate", "base": "fort",
                                                          "into": "depot"}]})}})
    m = WargameModel(sc, seed=0).run(1)                           # the depot is not Blue's: not possible
    assert m.orders_log[0]["orders"] == {} and m.last_record["base.fort.controller"] == "BLUE"


# -------------------------------------------------------------------------------------------------- attack
def attack_stage(tmp_path: Path, attacker: str, target: str, **ground) -> Scenario:
    return stage(tmp_path, {"actors": {attacker: script({t: [{"kind": "attack", "target": target,
                                                               "region": "north"}] for t in (1, 2, 3)})},
                            "ground": {"territory": ground} if ground else {}})


def test_an_attack_is_a_tullock_contest_with_a_defenders_advantage(tmp_path):
    sc = attack_stage(tmp_path, "RED", "GREEN")
    tr = sc.ground.territory
    att = 50 * (0.3 + tr.commitment)                               # Red's presence 0.3 plus what it brings
    dfd = 20 * 0.3                                                 # Green's presence
    p = att ** tr.decisiveness / (att ** tr.decisiveness + (tr.defender_advantage * dfd) ** tr.decisiveness)
    outcomes = set()
    for seed in range(8):
        m = WargameModel(sc, seed=seed).run(1)
        (e,) = [e for e in m.events() if e["kind"] in ("attack", "territory")]
        assert e["numbers"]["p"] == pytest.approx(p, abs=1e-4)
        assert e["numbers"]["force"] == pytest.approx(att, abs=0.01) and e["numbers"]["defence"] == pytest.approx(dfd)
        won = e["numbers"]["draw"] < p
        outcomes.add(won)
        taken = sc.actions["attack"].amount * 0.3 if won else 0.0
        assert m.last_record["region.north.GREEN"] == pytest.approx(0.3 - taken)
        assert m.last_record["region.north.RED"] == pytest.approx(0.3 + taken)
        if won:
            assert e["kind"] == "territory" and e["sentence"].startswith("Red took 0.12 of North from Green")
        assert m.last_record["relation.RED.GREEN"] == pytest.approx(-0.5 + sc.actions["attack"].relation)
    assert outcomes == {True, False} or p > 0.9


def test_the_better_force_ratio_takes_ground_within_two_months_in_most_seeds(tmp_path):
    strong, weak = attack_stage(tmp_path, "RED", "GREEN"), attack_stage(tmp_path, "GREEN", "RED")
    took = {True: 0, False: 0}
    for seed in range(20):
        took[True] += WargameModel(strong, seed=seed).run(2).last_record["region.north.RED"] > 0.3 + 1e-9
        took[False] += WargameModel(weak, seed=seed).run(2).last_record["region.north.GREEN"] > 0.3 + 1e-9
    assert took[True] >= 15 and took[False] <= 10 and took[True] > took[False]


def test_a_stronger_defence_lowers_the_odds(tmp_path):
    p = [territory.contest(WargameModel(attack_stage(tmp_path, "RED", "GREEN", defender_advantage=d), seed=0).world,
                           attack_stage(tmp_path, "RED", "GREEN", defender_advantage=d),
                           np.array([0]), np.array([2]), np.array([0]))[0][0] for d in (1.0, 1.5, 3.0)]
    assert p[0] > p[1] > p[2]


def test_fighting_wears_both_sides_down_within_the_monthly_bound(tmp_path):
    sc = attack_stage(tmp_path, "RED", "GREEN")
    tr, fight = sc.ground.territory, sc.actions["attack"].fighting
    m = WargameModel(sc, seed=0).run(1)
    assert m.world.cap[0, 0] == pytest.approx(50 - tr.attrition * fight * 20)     # from the opponent's military
    assert m.world.cap[2, 0] == pytest.approx(20 - tr.attrition * fight * 50)
    assert events_of(m, "attrition")
    heavy = attack_stage(tmp_path, "RED", "GREEN", attrition=1.0)
    m = WargameModel(heavy, seed=0).run(1)
    assert m.world.cap[2, 0] == pytest.approx(20 * (1 - tr.max_loss))             # bounded per month


def test_military_regenerates_toward_its_potential(tmp_path):
    sc = stage(tmp_path, {"actors": {"RED": {"potential": 60}}, "ground": {"territory": {"regeneration": 0.25}}})
    m = WargameModel(sc, seed=0).run(2)
    assert m.world.cap[0, 0] == pytest.approx(60 - 10 * 0.75 ** 2)


def test_a_ceasefire_freezes_the_lines(tmp_path):
    truce = {"name": "Truce", "probability": 1.0, "max_times": 1, "actors": ["RED", "GREEN"],
             "sentence": "A ceasefire.", "effects": [{"kind": "ceasefire", "actor": "RED", "other": "GREEN",
                                                        "months": 2}]}
    sc = stage(tmp_path, {"events": {"truce": truce},
                          "actors": {"RED": script({t: [{"kind": "attack", "target": "GREEN", "region": "north"}]
                                                    for t in (1, 2, 3)})}})
    m = WargameModel(sc, seed=0).run(2)
    assert [o for o in m.orders_log if o["orders"]] == []               # not possible while the lines are frozen
    assert m.last_record["region.north.GREEN"] == 0.3
    m.run(1)                                                            # two months on, the attack goes ahead
    assert [e["kind"] for e in m.events() if e["turn"] == 3 and e["kind"] in ("attack", "territory")]


def test_a_mediation_between_fighting_parties_is_a_ceasefire(tmp_path):
    # month 1: Blue strikes Green (fighting); month 2: Red mediates between them (diplomacy comes first in a month)
    sc = stage(tmp_path, {"relations": {"RED-GREEN": 0.5},
                          "actors": {"RED": script({1: [{"kind": "mediate", "target": "BLUE", "other": "GREEN"}],
                                                    2: [{"kind": "mediate", "target": "BLUE", "other": "GREEN"}]}),
                                     "BLUE": script({1: [{"kind": "strike", "target": "GREEN", "region": "south"}]})},
                          "actions": {"mediate": {"difficulty": 0.001}, "strike": {"min_military": 0}}})
    m = WargameModel(sc, seed=0).run(2)
    first, second = events_of(m, "mediate")
    assert first["numbers"]["ceasefire"] is False                        # nobody was fighting yet
    assert second["numbers"]["ceasefire"] is True and "A ceasefire freezes the lines" in second["sentence"]
    assert m.world.ceasefire[1, 2] == sc.ground.territory.ceasefire_months - 1    # one month counted down


def test_an_attack_held_back_by_a_ceasefire_is_its_own_story_not_a_third_month_of_fighting(tmp_path):
    # Red attacks Green in the north each month and is held (the defence is ten times as strong); in month 2 Blue
    # mediates between them first (diplomacy before the military phase): the month's attack is held back by the
    # ceasefire. Held back is not the next month of being held ("was held, second month running" before).
    sc = stage(tmp_path, {"relations": {"BLUE-RED": 0.5, "BLUE-GREEN": 0.5},
                          "actors": {"RED": script({t: [{"kind": "attack", "target": "GREEN", "region": "north"}]
                                                    for t in (1, 2)}),
                                     "BLUE": script({2: [{"kind": "mediate", "target": "RED", "other": "GREEN"}]})},
                          "actions": {"mediate": {"difficulty": 0.001}},
                          "ground": {"territory": {"defender_advantage": 10.0}}})
    m = WargameModel(sc, seed=0).run(2)
    held, back = events_of(m, "attack")
    assert "was held" in held["sentence"] and "ceasefire" in back["numbers"]
    assert back["streak"] == 1 and "month running" not in back["sentence"], back["sentence"]
    assert back["sentence"].startswith("Red held back from attacking Green in North: a ceasefire freezes the lines")


# ------------------------------------------------------------------------------------------------ economy
def test_money_moves_an_economy_relative_to_its_size(tmp_path):
    sc = stage(tmp_path, {"actors": {"GREEN": {"capabilities": {"economic": 2}},
                                     "RED": script({1: [{"kind": "aid", "target": "GREEN"},
                                                        {"kind": "aid", "target": "BLUE"}]})},
                          "relations": {"RED-GREEN": 0.5}})
    m = WargameModel(sc, seed=0).run(1)
    gdp = sc.ground.economy.gdp_at_100
    usd = sc.actions["aid"].usd_bn

    def after(index: float) -> float:
        return 100 * math.sqrt(((index / 100) ** 2 * gdp + usd) / gdp)
    assert m.world.cap[2, 1] == pytest.approx(after(2.0))
    assert m.world.cap[1, 1] == pytest.approx(after(30.0))
    assert m.world.cap[2, 1] / 2.0 - 1 > 50 * (m.world.cap[1, 1] / 30.0 - 1)   # far more for the small economy


def test_an_economy_grows_and_falls_within_its_monthly_bounds(tmp_path):
    boom = {"name": "Boom", "probability": 1.0, "actors": ["BLUE"], "sentence": "Money poured in.",
            "effects": [{"kind": "capability", "actor": "BLUE", "field": "economic", "delta": 10},
                        {"kind": "capability", "actor": "GREEN", "field": "economic", "delta": -10}]}
    sc = stage(tmp_path, {"events": {"boom": boom}})
    ec = sc.ground.economy
    m = WargameModel(sc, seed=0).run(3)
    assert m.world.cap[1, 1] == pytest.approx(30 * (1 + ec.max_growth) ** 1.5)     # GDP x (1 + g) a month
    assert m.world.cap[2, 1] == pytest.approx(20 * (1 - ec.max_fall) ** 1.5)
    assert m.last_record["capability.BLUE.economic"] == pytest.approx(m.world.cap[1, 1])


def test_committed_money_reaches_gdp_at_the_growth_bound_until_it_is_all_in(tmp_path):
    """A deal's billions are not lost to the month's bound (they were, as index points): they wait and arrive."""
    deal = {"name": "Deal", "probability": 1.0, "max_times": 1, "actors": ["GREEN"], "sentence": "A deal.",
            "effects": [{"kind": "money", "actor": "GREEN", "usd_bn": 1.0}]}
    snap = {"name": "Snap", "probability": 1.0, "max_times": 1, "actors": ["BLUE"], "sentence": "Snapback.",
            "effects": [{"kind": "money", "actor": "BLUE", "usd_bn": -1200.0}]}
    sc = stage(tmp_path, {"turns": 14, "actors": {"GREEN": {"capabilities": {"economic": 2}}},
                          "events": {"deal": deal, "snap": snap}})
    ec = sc.ground.economy
    gdp0 = {1: (30 / 100) ** 2 * ec.gdp_at_100, 2: (2 / 100) ** 2 * ec.gdp_at_100}   # BLUE ~$2.6T, GREEN ~$11.5bn
    m = WargameModel(sc, seed=0)
    seen = []
    for _ in range(14):
        m.step()
        seen.append({a: (m.world.cap[a, 1] / 100) ** 2 * ec.gdp_at_100 for a in (1, 2)})
    months = math.ceil(math.log(1 + 1.0 / gdp0[2]) / math.log(1 + ec.max_growth))   # $1bn on $11.5bn: 8 months
    assert 5 < months < 12
    for k in range(months - 1):             # at the bound while money waits
        assert seen[k][2] == pytest.approx(gdp0[2] * (1 + ec.max_growth) ** (k + 1))
    assert seen[months - 1][2] == pytest.approx(gdp0[2] + 1.0) == seen[-1][2]        # all of it, then no more
    assert m.world.committed[2] == 0.0
    assert seen[0][1] == pytest.approx(gdp0[1] * (1 - ec.max_fall))                # a loss waits the same way
    assert seen[-1][1] == pytest.approx(gdp0[1] * (1 - ec.max_fall) ** 14)
    assert seen[-1][1] > gdp0[1] - 1200
    assert m.world.committed[1] == pytest.approx((gdp0[1] - 1200) - seen[-1][1])
    note = next(e for e in m.events() if e["kind"] == "event" and e["numbers"]["event"] == "deal")
    assert note["numbers"]["effects"] == "GREEN +$1.00bn committed (reaching GDP at up to +1.17% / -2.90% a month)"


# ----------------------------------------------------------------------------- determined players' orders
def test_military_orders_have_no_relation_precondition_but_cost_more_against_partners(tmp_path):
    # Red strikes Blue, a partner (0.5): the order is possible, and costs betrayal x 0.5 more relation
    sc = stage(tmp_path, {"actors": {"RED": script({1: [{"kind": "strike", "target": "BLUE", "base": "fort"}]})}})
    m = WargameModel(sc, seed=0).run(1)
    assert events_of(m, "strike")
    p = sc.actions["strike"]
    assert m.last_record["relation.RED.BLUE"] == pytest.approx(0.5 + p.relation - p.betrayal * 0.5)
