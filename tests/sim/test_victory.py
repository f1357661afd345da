"""Victory conditions (model.sim.victory) are judged on each month's record by their `when`, name the winners at
the end, travel with forks and exports, and never change a trajectory."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from stages import stage_of

from model import WargameModel, load_scenario, objectives
from model.config.victory import Victory
from model.sim.victory import VictoryBook

TINY = Path(__file__).parents[1] / "data" / "scenarios" / "tiny.yaml"
MINI = Path(__file__).parents[1] / "data" / "scenarios" / "mini.yaml"

# BLUE withdraws from its fort twice: the garrison (0.5) falls to 0.25 in month 1 and collapses in month 2, when the
# fort passes to nobody (its host is BLUE itself). Nothing else moves (tiny.yaml's actors hold).
WITHDRAW = {1: [{"kind": "withdraw", "base": "fort"}], 2: [{"kind": "withdraw", "base": "fort"}]}
FORT_BLUE = {"indicator": "base.fort.controller", "op": "==", "value": "BLUE"}
VICTORY = {
    "blue_keeps": {"actor": "BLUE", "text": "Blue holds the fort at the end", "condition": FORT_BLUE},
    "blue_never_loses": {"actor": "BLUE", "text": "Blue never loses the fort", "when": "every_month",
                         "condition": FORT_BLUE},
    "red_sees_it_fall": {"actor": "RED", "text": "Nobody holds the fort", "when": "any_month",
                         "condition": {"indicator": "base.fort.controller", "op": "==", "value": "none"}},
    "green_south": {"actor": "GREEN", "text": "Green holds the south and the fort is no one's",
                    "condition": {"all": [{"indicator": "region.south.GREEN", "op": ">=", "value": 0.99},
                                          {"not": FORT_BLUE}]}},
}


def stage(tmp_path: Path, victory: dict | None = VICTORY, script: dict | None = None):
    change: dict = {"actors": {"BLUE": {"policy": {"script": WITHDRAW if script is None else script}}}}
    if victory is not None:
        change["victory"] = victory
    return stage_of(TINY, tmp_path, change)


def by_id(status: dict) -> dict[str, dict]:
    return {c["id"]: c for c in status["conditions"]}


def first_month(frame: pd.DataFrame, held: pd.Series) -> int | None:
    """The first month played (1 on) where `held` is true, read from the indicators frame."""
    months = frame.loc[held & (frame["turn"] >= 1), "turn"]
    return int(months.iloc[0]) if len(months) else None


def test_each_condition_is_judged_by_its_when_on_the_records(tmp_path):
    m = WargameModel(stage(tmp_path), seed=1)
    start = by_id(m.state()["victory"])
    assert start["blue_keeps"]["holds"] is True and start["blue_keeps"]["met"] is None      # open until the end
    assert start["red_sees_it_fall"]["met"] is None                                         # month 0 decides nothing
    m.run()
    frame = m.indicators()
    lost = first_month(frame, frame["base.fort.controller"] != "BLUE")
    assert lost == 2                                       # the stage does what the comment above says
    status = m.state()["victory"]
    got = by_id(status)
    assert status["final"] is True
    assert got["blue_keeps"]["met"] is (frame["base.fort.controller"].iloc[-1] == "BLUE") is False
    assert (got["blue_never_loses"]["met"], got["blue_never_loses"]["month"]) == (False, lost)
    assert (got["red_sees_it_fall"]["met"], got["red_sees_it_fall"]["month"]) == (True, lost)
    assert got["red_sees_it_fall"]["date"] == m.date(lost)
    assert got["green_south"]["met"] is True and got["green_south"]["holds"] is True
    # each part as it reads in the last month: the fort's holder is "none", which the `not` part needs
    parts = got["green_south"]["parts"]
    assert [(x["indicator"], x["negated"], x["now"], x["ok"]) for x in parts] == [
        ("region.south.GREEN", False, frame["region.south.GREEN"].iloc[-1], True),
        ("base.fort.controller", True, "none", True)]
    assert [x["ok"] for x in got["blue_keeps"]["parts"]] == [False]
    assert status["actors"]["BLUE"] == {"met": 0, "total": 2, "won": False}
    assert status["winners"] == ["RED", "GREEN"]


def test_a_condition_that_holds_is_met_and_one_that_does_not_is_not(tmp_path):
    """The same conditions when BLUE keeps its fort: now Blue wins and Red never does (so the test can fail)."""
    m = WargameModel(stage(tmp_path, script={}), seed=1).run()
    got = by_id(m.state()["victory"])
    assert got["blue_keeps"]["met"] is True and got["blue_never_loses"]["met"] is True
    assert got["blue_never_loses"]["month"] is None
    assert got["red_sees_it_fall"]["met"] is False and got["green_south"]["met"] is False
    assert m.state()["victory"]["winners"] == ["BLUE"]


def test_any_month_is_won_once_and_stays_won():
    """A condition that held once stays won when it stops holding; every_month stays lost when it holds again."""
    sc = load_scenario(MINI)
    book = VictoryBook(sc.model_copy(update={"victory": {
        "once": Victory(actor="RUS", text="t", when="any_month",
                        condition={"indicator": "turn", "op": "==", "value": 2}),
        "always": Victory(actor="SYR", text="t", when="every_month",
                          condition={"indicator": "turn", "op": "!=", "value": 2})}}))
    for turn in range(5):
        book.observe(turn, {"turn": turn})
    status = book.status(True, lambda t: f"m{t}")
    got = by_id(status)
    assert (got["once"]["met"], got["once"]["month"], got["once"]["holds"]) == (True, 2, False)
    assert (got["always"]["met"], got["always"]["month"], got["always"]["holds"]) == (False, 2, True)
    assert status["winners"] == ["RUS"]


def test_no_conditions_no_winners_and_the_same_trajectory(tmp_path):
    plain = WargameModel(stage(tmp_path, victory=None), seed=5).run()
    judged = WargameModel(stage(tmp_path, victory=VICTORY), seed=5).run()
    pd.testing.assert_frame_equal(plain.indicators(), judged.indicators())
    assert plain.state()["victory"] == {"final": True, "conditions": [], "actors": {}, "winners": []}
    assert plain.events() == judged.events()


def test_the_baseline_plays_the_same_with_its_victory_conditions():
    """The shipped baseline has victory conditions; without them it plays exactly the same months."""
    sc = load_scenario("baseline-2025")
    assert sc.victory, "the baseline ships victory conditions"
    bare = sc.model_copy(update={"victory": {}})
    with_victory = WargameModel(sc, seed=7).run(6)
    without = WargameModel(bare, seed=7).run(6)
    pd.testing.assert_frame_equal(with_victory.indicators(), without.indicators())


def test_forks_and_exports_keep_the_standing(tmp_path):
    m = WargameModel(stage(tmp_path), seed=1).run(3)
    child = m.fork()
    assert child.state()["victory"] == m.state()["victory"]
    child.run()
    assert by_id(child.state()["victory"])["red_sees_it_fall"]["month"] == 2
    assert m.turn == 3 and m.state()["victory"]["final"] is False      # the parent is untouched


def test_the_seats_brief_carries_its_victory(tmp_path):
    m = WargameModel(stage(tmp_path), seed=1).run()
    blue = objectives(m, "BLUE", 0.0)["victory"]
    assert blue["won"] is False and [c["id"] for c in blue["conditions"]] == ["blue_keeps", "blue_never_loses"]
    plain = WargameModel(stage(tmp_path, victory=None), seed=1)
    assert objectives(plain, "BLUE", 0.0)["victory"] is None


@pytest.mark.parametrize("name", ["baseline-2025", "syria-west-pivot", "kurdish-conflict", "us-engagement"])
def test_shipped_conditions_are_open_at_the_start_and_settled_at_the_end(name):
    sc = load_scenario(name)
    m = WargameModel(sc, seed=11, turns=3)
    assert all(c["met"] is None for c in m.state()["victory"]["conditions"])
    m.run()
    status = m.state()["victory"]
    assert status["conditions"] and all(c["met"] in (True, False) for c in status["conditions"])
    assert set(status["winners"]) == {a for a, r in status["actors"].items() if r["won"]}
