"""The talks (model.sim.talks) on a small stage (tests/data/scenarios/talks.yaml) where the round can be recomputed
with the bargaining module alone: the damping, the status quo at the table, the forecast statistic, the moves told
with their sender and kind, closing issues, one-shot thresholds and their re-arming."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from stages import merged, stage_of

from model import WargameModel
from model.config.errors import UserError
from model.config.scenario import Scenario
from model.sim import actions, talks
from model.theory import bargaining

STAGE = Path(__file__).parents[1] / "data" / "scenarios" / "talks.yaml"


def stage(tmp_path: Path, change: dict | None = None, overrides: tuple[str, ...] = ()) -> Scenario:
    return stage_of(STAGE, tmp_path, change, overrides)


def table(m: WargameModel, k: int = 0, with_sq: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Capabilities, positions and saliences of issue k's table as the talks build it, written out by hand: the
    actors, then the status quo with capability sum(c) and the salience that gives it its share w of the votes."""
    w, sc = m.world, m.scenario
    c, x, s = m.ctx.size.copy(), w.position[k].copy(), w.salience[k].copy()
    if not with_sq:
        return c, x, s
    q = sc.issues[w.issues[k]].status_quo
    share = q.weight if q.weight is not None else sc.talks.status_quo_weight
    s_q = share / (1 - share) * float(c @ s) / c.sum()
    return np.append(c, c.sum()), np.append(x, w.status_quo[k]), np.append(s, s_q)


def talks_events(m: WargameModel) -> list[dict]:
    return [e for e in m.events() if e["kind"] == "talks"]


# ------------------------------------------------------------------------------------------- damping
@pytest.mark.parametrize("half_life", [1.0, 3.0, 6.0, 12.0])
def test_each_month_an_actor_makes_the_damped_share_of_the_round_s_move(tmp_path, half_life):
    sc = stage(tmp_path, {"talks": {"half_life": half_life}})
    m = WargameModel(sc, seed=0)
    lam = 1 - 0.5 ** (1 / half_life)
    assert talks.damping_share(half_life) == pytest.approx(lam)
    for _ in range(3):
        c, x, s = table(m)
        undamped = bargaining.bargain_round(c, x, s, scale=(0, 100)).new_positions
        m.step()
        assert m.world.position[0] == pytest.approx(x[:3] + lam * (undamped[:3] - x[:3]), abs=1e-9)
        assert m.world.status_quo[0] == 100.0          # the status quo is the facts: the talks never move it


def test_half_life_zero_is_the_undamped_round_and_an_issue_may_set_its_own_pace(tmp_path):
    sc = stage(tmp_path, {"issues": {"basing": {"half_life": 0}}}, overrides=("talks.half_life=24",))
    m = WargameModel(sc, seed=0)
    c, x, s = table(m)
    m.step()
    assert m.world.position[0] == pytest.approx(bargaining.bargain_round(c, x, s).new_positions[:3], abs=1e-12)


def test_a_half_life_halves_a_standing_move_in_that_many_months():
    for h in (2.0, 6.0, 9.0):
        lam = talks.damping_share(h)
        assert (1 - lam) ** h == pytest.approx(0.5)
    assert talks.damping_share(0) == 1.0


# ------------------------------------------------------------------------------------------- status quo
def test_the_status_quo_casts_its_share_of_the_votes(tmp_path):
    for weight in (0.1, 0.2, 0.5):
        sc = stage(tmp_path, {"issues": {"basing": {"status_quo": {"weight": weight}}}})
        m = WargameModel(sc, seed=0)
        c, x, s = table(m)
        votes = c * s
        assert votes[-1] / votes.sum() == pytest.approx(weight)
        lay = talks._layout(m.world, m.talks, np.array([0]), True)
        c2, x2, s2 = talks._table(m.world, lay, m.ctx.size)
        assert lay.seats.tolist() == [0, 1, 2]
        np.testing.assert_allclose(c2, c)
        np.testing.assert_allclose(x2[0], x)
        np.testing.assert_allclose(s2[0], s)


def test_the_status_quo_follows_the_bases_the_holder_still_holds(tmp_path):
    sc = stage(tmp_path, {"bases": {"port": {"status": "evacuated", "controller": "GREEN"}}})
    m = WargameModel(sc, seed=0)
    assert m.world.status_quo[0] == 50.0                     # one of the two bases
    m.world.base_ctrl[m.world.bidx("fort")] = m.world.idx("BLUE")
    m.step()
    assert m.world.status_quo[0] == 0.0                      # none left
    full = WargameModel(stage(tmp_path), seed=0)
    assert full.world.status_quo[0] == 100.0


def test_the_status_quo_reads_control_sanctions_or_a_fixed_position(tmp_path):
    control = stage(tmp_path, {"issues": {"basing": {"status_quo": {
        "kind": "control", "actor": "GREEN", "regions": ["north", "south"], "bases": None}}}})
    # population-weighted: (300 * 0.6 + 100 * 1.0) / 400
    assert WargameModel(control, seed=0).world.status_quo[0] == pytest.approx(100 * 280 / 400)
    sanctions = stage(tmp_path, {"sanctions": ["RED-GREEN"], "issues": {"basing": {"status_quo": {
        "kind": "sanctions", "actor": "GREEN", "by": ["RED", "BLUE"], "value": 80, "bases": None}}}})
    # economy-weighted share of the powers that do not sanction Green (Blue: 30 of 80), times 80
    m = WargameModel(sanctions, seed=0)
    assert m.world.status_quo[0] == pytest.approx(80 * 30 / 80)
    m.world.sanctions[m.world.idx("RED"), m.world.idx("GREEN")] = False
    m.step()
    assert m.world.status_quo[0] == pytest.approx(80.0)
    fixed = stage(tmp_path, {"issues": {"basing": {"status_quo": {"kind": "fixed", "value": 30, "bases": None,
                                                                  "actor": None}}}})
    assert WargameModel(fixed, seed=0).world.status_quo[0] == 30.0


def test_the_status_quo_pulls_the_talks_towards_the_facts(tmp_path):
    base = {"issues": {"basing": {"positions": {"RED": 100, "BLUE": 30, "GREEN": 0}, "forecast": "mean"}}}
    without = WargameModel(stage(tmp_path, merged(base, {"issues": {"basing": {"status_quo": {"weight": 0}}}})),
                           seed=0)
    with_sq = WargameModel(stage(tmp_path, base), seed=0)
    assert np.isnan(without.world.status_quo[0]) and with_sq.world.status_quo[0] == 100.0
    assert with_sq.world.forecast[0] > without.world.forecast[0]
    without.run(6)
    with_sq.run(6)
    assert with_sq.world.forecast[0] > without.world.forecast[0]


# ------------------------------------------------------------------------------------------- forecast
@pytest.mark.parametrize("statistic", ["median", "mean"])
def test_the_forecast_is_the_issue_s_statistic_of_the_table(tmp_path, statistic):
    sc = stage(tmp_path, {"issues": {"basing": {"forecast": statistic,
                                                "positions": {"RED": 90, "BLUE": 55, "GREEN": 10}}}})
    m = WargameModel(sc, seed=0)
    for _ in range(4):
        c, x, s = table(m)
        want = bargaining.median_voter(c, x, s) if statistic == "median" else bargaining.weighted_mean(c, x, s)
        assert m.world.forecast[0] == pytest.approx(want, abs=1e-9)
        assert m.last_record["issue.basing.forecast"] == pytest.approx(want, abs=1e-9)
        m.step()


def test_median_and_mean_forecasts_differ_where_the_weight_is_lopsided(tmp_path):
    change = {"issues": {"basing": {"positions": {"RED": 100, "BLUE": 20, "GREEN": 0},
                                    "salience": {"RED": 1.0, "BLUE": 0.2, "GREEN": 0.3}}}}
    median = WargameModel(stage(tmp_path, merged(change, {"issues": {"basing": {"forecast": "median"}}})), seed=0)
    mean = WargameModel(stage(tmp_path, merged(change, {"issues": {"basing": {"forecast": "mean"}}})), seed=0)
    assert median.world.forecast[0] == 100.0                  # Red and the status quo carry the majority
    assert 50 < mean.world.forecast[0] < 100


def test_median_voters_of_stacked_issues_match_one_at_a_time():
    rng = np.random.default_rng(5)
    for _ in range(50):
        n, k = int(rng.integers(2, 9)), int(rng.integers(1, 5))
        c = rng.uniform(0.1, 5, n)
        x = np.round(rng.uniform(0, 100, (k, n)), int(rng.integers(0, 2)))
        s = rng.uniform(0, 1, (k, n))
        got = bargaining.median_voters(c, x, s)
        assert got.tolist() == [bargaining.median_voter(c, x[q], s[q]) for q in range(k)]


# ------------------------------------------------------------------------------------------- told moves
def test_a_big_move_is_told_with_the_offer_s_sender_and_kind(tmp_path):
    sc = stage(tmp_path, {"talks": {"half_life": 0, "tell_move": 5}})
    m = WargameModel(sc, seed=0)
    c, x, s = table(m)
    new, _, _, sender, kinds = bargaining.bargain_rounds(c, x[None], s[None], np.array([[0.0, 100.0]]),
                                                         offers=True)
    m.step()
    told = talks_events(m)
    moved = [i for i in range(3) if abs(new[0, i] - x[i]) >= 5]
    assert moved and sorted(m.world.actors.index(e["actors"][0]) for e in told) == moved
    names = ["RED", "BLUE", "GREEN", "status_quo"]
    for e in told:
        i = m.world.actors.index(e["actors"][0])
        j = int(sender[0, i])
        kind = bargaining.KINDS[int(kinds[0, i, j])]
        assert e["numbers"]["sender"] == names[j] and e["numbers"]["offer"] == kind
        assert e["numbers"]["start"] == pytest.approx(x[i])
        assert e["numbers"]["end"] == pytest.approx(new[0, i], abs=1e-4)
        assert f"({kind})." in e["sentence"] and e["phase"] == "bargaining" and e["numbers"]["issue"] == "basing"
        sender_name = sc.actors[names[j]].name if j < 3 else talks.STATUS_QUO_NAME
        assert sender_name in e["sentence"]
        assert e["importance"] == ("major" if abs(new[0, i] - x[i]) >= sc.talks.major_move else "minor")


def test_small_moves_add_up_until_they_are_told(tmp_path):
    sc = stage(tmp_path, {"talks": {"half_life": 6, "tell_move": 3}})   # Blue drifts ~1.2 points a month
    m = WargameModel(sc, seed=0)
    start = m.world.position[0].copy()
    told_at: dict[str, float] = {}
    for _ in range(6):
        m.step()
        for e in talks_events(m):
            if e["turn"] == m.turn:
                a = e["actors"][0]
                assert e["numbers"]["start"] == pytest.approx(told_at.get(a, start[m.world.idx(a)]), abs=1e-3)
                assert abs(e["numbers"]["end"] - e["numbers"]["start"]) >= 3
                told_at[a] = e["numbers"]["end"]
    assert told_at                                            # the slow drift was told in the end
    for a, i in m.world._aidx.items():                        # and what is left untold is below the threshold
        assert abs(m.world.position[0, i] - told_at.get(a, start[i])) < 3 + 1e-9


def test_bargain_rounds_offers_keep_the_results_and_match_the_single_round():
    rng = np.random.default_rng(3)
    n, k = 7, 3
    cap = rng.uniform(1, 50, n)
    pos = rng.uniform(0, 100, (k, n))
    sal = rng.uniform(0, 1, (k, n))
    scale = np.array([[0.0, 100.0]] * k)
    plain = bargaining.bargain_rounds(cap, pos, sal, scale)
    new, mean, median, accepted, kinds = bargaining.bargain_rounds(cap, pos, sal, scale, offers=True)
    for a, b in zip(plain, (new, mean, median), strict=True):
        assert np.array_equal(a, b)
    for q in range(k):
        one = bargaining.bargain_round(cap, pos[q], sal[q])
        assert accepted[q].tolist() == one.accepted.tolist()
        assert np.array_equal(kinds[q], one.offer_kind)
        for o in one.offers:
            assert bargaining.KINDS[int(kinds[q, o.receiver, o.sender])] == o.kind


def test_an_actor_that_cares_nothing_for_an_issue_does_not_move_on_it(tmp_path):
    sc = stage(tmp_path, {"issues": {"basing": {"salience": {"BLUE": 0.0}}}, "talks": {"half_life": 0}})
    m = WargameModel(sc, seed=0).run(3)
    assert m.world.position[0, m.world.idx("BLUE")] == 60.0
    assert all(e["actors"][0] != "BLUE" for e in talks_events(m))


# ------------------------------------------------------------------------------------------- closing
CLOSES = {"all": [{"indicator": "base.fort.controller", "op": "!=", "value": "RED"},
                  {"indicator": "base.port.controller", "op": "!=", "value": "RED"}]}


def test_an_issue_closes_when_its_condition_holds_and_takes_no_more_orders(tmp_path):
    demand = {"kind": "demand", "target": "RED", "issue": "basing"}
    sc = stage(tmp_path, {"bases": {"fort": {"controller": "GREEN"}, "port": {"controller": "GREEN"}},
                          "issues": {"basing": {"closes_when": CLOSES,
                                                "closed_sentence": "The basing talks are over."}},
                          "actors": {"GREEN": {"policy": {"kind": "scripted", "script": {1: [demand], 2: [demand]}}}},
                          "relations": {"RED-GREEN": 0.1}})
    m = WargameModel(sc, seed=0, human=["BLUE"])
    assert not m.world.issue_closed[0]
    assert len(actions.candidates_all(m.ctx, "demand")["actor"]) > 0    # the talks are open before month 1
    m.submit_orders("BLUE", [])
    m.step()
    (closed,) = [e for e in m.events() if e["kind"] == "issue_closed"]
    assert closed["turn"] == 1 and closed["sentence"] == "The basing talks are over."
    assert closed["importance"] == "major"
    assert m.world.issue_closed[0]
    assert not any(e["kind"] == "demand" for e in m.events())            # Green's scripted demand was not feasible
    for kind in ("demand", "concede"):
        assert len(actions.candidates_all(m.ctx, kind)["actor"]) == 0
    with pytest.raises(UserError, match="not possible"):
        m.submit_orders("BLUE", [{"kind": "concede", "target": "RED", "issue": "basing"}])
    frozen, forecast = m.world.position.copy(), m.world.forecast.copy()
    m.submit_orders("BLUE", [])
    m.step()
    assert np.array_equal(m.world.position, frozen) and np.array_equal(m.world.forecast, forecast)
    assert len([e for e in m.events() if e["kind"] == "issue_closed"]) == 1 and talks_events(m) == []


def test_a_closing_threshold_settles_the_issue(tmp_path):
    deal = {"name": "deal", "when": "above", "value": 85, "closes": True, "sentence": "A deal was struck."}
    sc = stage(tmp_path, {"issues": {"basing": {"thresholds": [deal], "forecast": "mean", "half_life": 0}}})
    m = WargameModel(sc, seed=0).run(6)                       # the mean: 77, 79, 82, 86 (the deal), then frozen
    fired = [e for e in m.events() if e["kind"] == "issue"]
    assert [e["turn"] for e in fired] == [3] and fired[0]["numbers"]["closes"] is True and m.world.issue_closed[0]
    assert m.indicators()["issue.basing.forecast"].iloc[3:].nunique() == 1


# ------------------------------------------------------------------------------------------- thresholds
def _seesaw(change: dict) -> dict:
    """Red and Blue (alone at the table, at the same position: no offers) moved +20 in odd months and -20 in even
    ones by certain events, so the forecast (the mean) goes 40 -> 60 -> 40 -> 60 ..."""
    up = {"name": "Up", "probability": 1.0, "sentence": "Up.",
          "condition": {"any": [{"indicator": "turn", "op": "==", "value": t} for t in (0, 2, 4)]},
          "effects": [{"kind": "position", "issue": "basing", "actor": a, "delta": 20} for a in ("RED", "BLUE")]}
    down = merged(up, {"name": "Down", "sentence": "Down.",
                       "condition": {"any": [{"indicator": "turn", "op": "==", "value": t} for t in (1, 3, 5)]}})
    down["effects"] = [dict(e, delta=-20) for e in up["effects"]]
    issue = {"positions": {"RED": 40, "BLUE": 40, "GREEN": 50}, "salience": {"RED": 0.5, "BLUE": 0.5, "GREEN": 0},
             "forecast": "mean", "status_quo": None}
    return merged({"events": {"up": up, "down": down}, "issues": {"basing": issue}}, change)


def _fired(m: WargameModel) -> list[int]:
    return [e["turn"] for e in m.events() if e["kind"] == "issue"]


ABOVE = {"name": "above", "when": "above", "value": 50, "sentence": "Over fifty."}


def test_a_threshold_fires_once_without_a_rearming_condition(tmp_path):
    sc = stage(tmp_path, _seesaw({"issues": {"basing": {"thresholds": [ABOVE]}}}))
    m = WargameModel(sc, seed=0).run(6)
    assert m.indicators()["issue.basing.forecast"].round(6).tolist() == [40, 60, 40, 60, 40, 60, 40]
    assert _fired(m) == [1]


@pytest.mark.parametrize("rearming, fired", [
    ({"hysteresis": 5}, [1, 3, 5]),                  # back below 45 in between: armed again
    ({"hysteresis": 25}, [1]),                       # never back below 25
    ({"rearm": {"indicator": "issue.basing.forecast", "op": "<", "value": 45}}, [1, 3, 5]),
    ({"rearm": {"indicator": "turn", "op": ">=", "value": 4}}, [1, 5]),
])
def test_a_threshold_fires_again_only_once_rearmed(tmp_path, rearming, fired):
    sc = stage(tmp_path, _seesaw({"issues": {"basing": {"thresholds": [dict(ABOVE, **rearming)]}}}))
    assert _fired(WargameModel(sc, seed=0).run(6)) == fired


def test_an_event_with_a_rearming_condition_waits_for_it(tmp_path):
    ping = {"name": "Ping", "probability": 1.0, "sentence": "Ping.",
            "rearm": {"indicator": "turn", "op": ">=", "value": 3}}
    m = WargameModel(stage(tmp_path, {"events": {"ping": ping}}), seed=0).run(6)
    # fires in month 1, waits until a record with turn >= 3 (seen in month 4), then every month again until it fires
    assert [e["turn"] for e in m.events() if e["kind"] == "event"] == [1, 4, 5, 6]


# ------------------------------------------------------------------------------------------- config errors
@pytest.mark.parametrize("change, message", [
    ({"status_quo": {"kind": "bases_held", "actor": "RED", "bases": None}}, "needs 'bases'"),
    ({"status_quo": {"kind": "fixed", "bases": None, "actor": None}}, "needs 'value'"),
    ({"status_quo": {"bases": ["fort", "nowhere"]}}, "unknown base 'nowhere'"),
    ({"status_quo": {"kind": "fixed", "value": 120}}, "status quo 120.0 is outside the scale"),
    ({"status_quo": {"weight": 0.7}}, "expected a number between 0 and 0.5, got 0.7"),
    ({"forecast": "mode"}, "'median' or 'mean'"),
    ({"closes_when": {"indicator": "no.such", "op": "<", "value": 1}}, "unknown indicator 'no.such'"),
    ({"thresholds": [dict(ABOVE, rearm={"indicator": "nope", "op": "<", "value": 1})]}, "unknown indicator 'nope'"),
    ({"thresholds": [dict(ABOVE, hysteresis=-1)]}, "expected a number at least 0, got -1"),
])
def test_bad_talks_config_is_one_clear_error(tmp_path, change, message):
    with pytest.raises(UserError, match=message) as err:
        stage(tmp_path, {"issues": {"basing": change}})
    assert "stage.yaml" in str(err.value) and "issues.basing" in str(err.value)
