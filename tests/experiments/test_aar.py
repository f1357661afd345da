"""After-action review data: the seat's utility against its AI policy's ensemble, the months whose orders mattered,
and the turning points with their causes."""
from __future__ import annotations

import pytest

from model import WargameModel, after_action_review, load_scenario
from model.config.errors import UserError
from model.experiments.aar import turning_points

ENGAGE = [{"kind": "engage", "target": "SYR"}]


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("baseline-2025")


@pytest.fixture(scope="module")
def game(baseline):
    m = WargameModel(baseline, seed=3, human=("USA", "RUS"))
    for t in range(4):
        m.submit_orders("USA", ENGAGE if t % 2 else [])
        m.submit_orders("RUS", [])
        m.step()
    return m


@pytest.fixture(scope="module")
def review(game):
    return after_action_review(game, "USA", n=6, chunk_size=4)


def test_the_seats_utility_is_set_against_its_ai_policys_ensemble(game, review):
    assert review["seat"] == "USA" and review["turns"] == 4 and len(review["dates"]) == 5
    assert review["utility"] == game.indicators()["utility.USA"].tolist()
    fan = review["ai"]["fan"]
    assert all(len(fan[k]) == 5 for k in fan)
    assert all(fan[k][0] == pytest.approx(review["utility"][0]) for k in fan)   # the same start
    assert all(0.0 <= r <= 1.0 for r in review["percentile"]) and review["percentile"][0] == 0.5
    assert "AI policy" in review["note"]


def test_every_month_of_orders_gets_its_effect_sorted_by_size(game, review):
    rows = review["pivotal"]
    assert sorted(r["turn"] for r in rows) == [1, 2, 3, 4]
    assert [abs(r["effect"]) for r in rows] == sorted((abs(r["effect"]) for r in rows), reverse=True)
    for r in rows:
        assert r["effect"] == pytest.approx(r["with_orders"] - r["with_ai"])
        assert r["low"] <= r["effect"] <= r["high"] and r["n"] == 6
        assert r["orders"] == (ENGAGE if r["turn"] % 2 == 0 else [])
        assert r["date"] == game.date(r["turn"])


def test_the_review_is_reproducible_and_leaves_the_game_alone(game, review):
    again = after_action_review(game, "USA", n=6)
    assert again["pivotal"] == review["pivotal"] and again["ai"] == review["ai"]
    assert game.turn == 4 and game.human == ("USA", "RUS") and game.waiting_for() == ["USA", "RUS"]
    quick = after_action_review(game, "RUS", n=3, pivotal=False)
    assert quick["pivotal"] == [] and quick["seat"] == "RUS"


@pytest.mark.parametrize("seat, field", [("SYR", "seat"), ("NOPE", "seat")])
def test_only_a_human_seat_can_be_reviewed(game, seat, field):
    with pytest.raises(UserError) as err:
        after_action_review(game, seat, n=2)
    assert err.value.field == field


def test_a_review_over_its_cap_is_refused_before_any_work(game, monkeypatch):
    from model.config import limits

    monkeypatch.setattr(limits, "MAX_REVIEW_TURNS", 100)
    with pytest.raises(UserError) as err:
        after_action_review(game, "USA", n=6)                 # 6 x 4 + 6 x 4 x 5 = 144 months
    assert err.value.field == "n" and "144" in str(err.value) and "pivotal=False" in str(err.value)
    assert after_action_review(game, "USA", n=6, pivotal=False)["pivotal"] == []


def test_a_game_that_has_not_started_has_nothing_to_review(baseline):
    with pytest.raises(UserError) as err:
        after_action_review(WargameModel(baseline, seed=1, human=("USA",)), "USA", n=2)
    assert err.value.field == "turn"


def first_base_change(baseline):
    for seed in range(40):
        m = WargameModel(baseline, seed=seed).run(12)
        df = m.indicators()
        for b in baseline.bases:
            held = df[f"base.{b}.controller"].tolist()
            changed = [t for t in range(1, len(held)) if held[t] != held[t - 1]]
            if changed:
                return m, b, changed[0], held
    raise AssertionError("no base changed hands in 40 games")


def test_base_changes_and_threshold_crossings_come_with_their_causes(baseline):
    m, base, turn, held = first_base_change(baseline)
    moments = turning_points(m)
    change = next(x for x in moments if x["kind"] == "base" and x["base"] == base)
    assert change["turn"] == turn and change["from"] == held[turn - 1] and change["to"] == held[turn]
    assert change["causes"], "a base does not change hands without an event naming it"
    assert all(c["sentence"] for c in change["causes"])
    crossings = [e for e in m.events() if e["kind"] == "issue"]
    assert len([x for x in moments if x["kind"] == "threshold"]) == len(crossings)
    assert [x["turn"] for x in moments] == sorted(x["turn"] for x in moments)


def test_a_bloc_change_is_found_in_the_record_with_its_shift(baseline):
    m = WargameModel(baseline, seed=2).run(3)
    column = m.datacollector.model_vars["bloc.TUR"]
    column[2] = column[3] = 1 - column[1]                      # Türkiye on the other side from month 2 on
    m.story.events.append({"turn": 2, "date": m.date(2), "kind": "alliance_shift", "actors": ["TUR"],
                      "sentence": "Turkey changed sides.", "numbers": {"bloc": column[2]}, "phase": "alliances"})
    moments = [x for x in turning_points(m) if x["kind"] == "bloc"]
    assert [(x["turn"], x["actor"]) for x in moments] == [(2, "TUR")]
    assert moments[0]["sentence"] == "Turkey changed sides." and moments[0]["from"] == column[1]


def test_a_review_is_the_same_on_worker_processes_and_on_dask(game):
    from model.experiments.executors import LocalWorkers

    local = after_action_review(game, "USA", n=3)
    with LocalWorkers(2) as pool:
        assert pool.warm(timeout=60)
        pooled = after_action_review(game, "USA", n=3, pool=pool, parent_works=False, chunk_size=2)
    dask = after_action_review(game, "USA", n=3, engine="dask", workers=2, dask_processes=False)
    for other in (pooled, dask):
        assert other["pivotal"] == local["pivotal"] and other["ai"] == local["ai"]
        assert other["percentile"] == local["percentile"]
