"""Forks and exports: a fork is a deep, independent copy with its own reproducible stream; an export replays to any
played month exactly, and a bad export or month gets one error naming the field."""
from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from model import WargameModel, fork_points, load_scenario, read_export, to_export
from model.config.errors import UserError
from model.sim.fork import FORK_TAG, play_by_ai, set_orders


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("baseline-2025")


def human_game(sc, months: int, seed: int = 7) -> WargameModel:
    """A game with the US as a human seat that alternates between holding and engaging Damascus."""
    m = WargameModel(sc, seed=seed, human=("USA",))
    for t in range(months):
        m.submit_orders("USA", [{"kind": "engage", "target": "SYR"}] if t % 2 else [])
        m.step()
    return m


def test_a_fork_leaves_its_parent_exactly_as_it_was(baseline):
    m = WargameModel(baseline, seed=7).run(5)
    untouched = copy.deepcopy(m)
    child = m.fork()
    child.run(6)
    m.run(6)
    untouched.run(6)
    assert m.indicators().equals(untouched.indicators()) and m.events() == untouched.events()
    assert m.turn == 11 and child.turn == 11


def test_a_fork_owns_its_state(baseline):
    m = WargameModel(baseline, seed=7).run(3)
    child = m.fork()
    assert child.scenario is m.scenario                       # the one shared, unchanging config
    for name in ("rel", "control", "base_ctrl", "position"):
        assert not np.shares_memory(getattr(child.world, name), getattr(m.world, name))
    assert child.ctx.w is child.world and child.agent("USA").model is child
    assert child.datacollector.model_vars["turn"] is not m.datacollector.model_vars["turn"]
    child.world.rel[0, 1] = 0.99
    assert m.world.rel[0, 1] != 0.99


def test_the_forks_stream_is_derived_from_seed_month_and_stream_number(baseline):
    m = WargameModel(baseline, seed=7).run(5)
    child = m.fork(stream=3)
    expected = np.random.default_rng(np.random.SeedSequence(7, spawn_key=(FORK_TAG, 5, 3)))
    assert child.rng.bit_generator.state == expected.bit_generator.state
    assert fork_points(child) == [{"turn": 5, "stream": 3}]
    grandchild = child.run(2).fork(stream=0)
    expected = np.random.default_rng(np.random.SeedSequence(7, spawn_key=(FORK_TAG, 5, 3, FORK_TAG, 7, 0)))
    assert grandchild.rng.bit_generator.state == expected.bit_generator.state
    assert fork_points(grandchild) == [{"turn": 5, "stream": 3}, {"turn": 7, "stream": 0}]


def test_forks_are_reproducible_and_successive_forks_differ(baseline):
    m = WargameModel(baseline, seed=7).run(4)
    first, second = m.fork(), m.fork()
    again = WargameModel(baseline, seed=7).run(4).fork()
    for x in (first, second, again):
        x.run(8)
    assert first.indicators().equals(again.indicators()) and first.events() == again.events()
    assert not first.indicators().equals(second.indicators())
    assert fork_points(second) == [{"turn": 4, "stream": 1}]
    parent_goes_on = m.run(8)
    assert not parent_goes_on.indicators().equals(first.indicators())


@pytest.mark.parametrize("stream", [-1, 1.5, True, "0"])
def test_a_bad_stream_number_is_refused(baseline, stream):
    with pytest.raises(UserError) as err:
        WargameModel(baseline, seed=1).fork(stream=stream)
    assert err.value.field == "stream"


def test_an_export_replays_to_any_played_month(baseline, tmp_path):
    m = human_game(baseline, 6)
    path = tmp_path / "game.json"
    path.write_text(json.dumps(to_export(m, "baseline-2025")))
    data = read_export(path)
    whole = WargameModel.from_export(data)
    assert whole.turn == 6 and whole.indicators().equals(m.indicators()) and whole.events() == m.events()
    at3 = WargameModel.from_export(data, turn=3)
    assert at3.turn == 3 and at3.indicators().equals(m.indicators().iloc[:4])
    assert at3.human == ("USA",) and at3.waiting_for() == ["USA"]
    assert WargameModel.from_export(data, turn=0).indicators().equals(m.indicators().iloc[:1])


def test_a_forked_games_export_replays_through_its_fork_points(baseline):
    m = human_game(baseline, 4)
    child = m.fork(stream=2)
    for _ in range(3):
        child.submit_orders("USA", [])
        child.step()
    data = to_export(child)
    assert data["forks"] == [{"turn": 4, "stream": 2}] and len(data["orders"]) == 7
    again = WargameModel.from_export(data)
    assert again.indicators().equals(child.indicators()) and again.events() == child.events()
    assert fork_points(again) == fork_points(child)
    before = WargameModel.from_export(data, turn=4)
    assert fork_points(before) == [{"turn": 4, "stream": 2}]          # at the fork point: already the fork


def bad(data: dict, **change) -> dict:
    out = copy.deepcopy(data)
    for key, value in change.items():
        if value is None:
            del out[key]
        else:
            out[key] = value
    return out


@pytest.fixture(scope="module")
def export(baseline):
    return to_export(human_game(baseline, 3))


@pytest.mark.parametrize("change, field", [
    ({"format": "other/2"}, "format"),
    ({"seed": None}, "seed"),
    ({"seed": "7"}, "seed"),
    ({"seed": -1}, "seed"),
    ({"turns": 0}, "turns"),
    ({"orders": {"turn": 1}}, "orders"),
    ({"human": "USA"}, "human"),
    ({"human": ["USA", "XXX"]}, "human.1"),
    ({"scenario_yaml": "actors: {}\n"}, None),
    ({"forks": [{"turn": 9, "stream": 0}]}, "forks.0.turn"),
    ({"forks": [{"turn": 1}]}, "forks.0"),
])
def test_a_bad_export_gets_one_error_naming_the_field(export, change, field):
    with pytest.raises(UserError) as err:
        WargameModel.from_export(bad(export, **change))
    if field is not None:
        assert err.value.field == field, str(err.value)
    else:
        assert "scenario_yaml" in str(err.value)


@pytest.mark.parametrize("turn", [4, -1, "2"])
def test_a_month_not_yet_played_is_refused(export, turn):
    with pytest.raises(UserError) as err:
        WargameModel.from_export(export, turn=turn)
    assert err.value.field == "turn"
    if turn == 4:
        assert "has not been played yet" in str(err.value)


def test_an_edited_computer_order_is_refused_unless_not_strict(export):
    edited = copy.deepcopy(export)
    actor = next(a for a in edited["orders"][1]["orders"] if a != "USA")
    edited["orders"][1]["orders"][actor] = [{"kind": "hold"}]
    with pytest.raises(UserError) as err:
        WargameModel.from_export(edited)
    assert err.value.field == f"orders.1.orders.{actor}"
    assert WargameModel.from_export(edited, strict=False).turn == 3


def test_a_computer_actor_left_out_of_a_month_is_refused_unless_not_strict(export):
    """Deleting a computer-played actor's orders from a month is an edit too (only the actors the file listed were
    compared, so it replayed, differently, as if nothing were wrong)."""
    edited = copy.deepcopy(export)
    actor = next(a for a, orders in edited["orders"][1]["orders"].items() if a != "USA" and orders)
    del edited["orders"][1]["orders"][actor]
    with pytest.raises(UserError) as err:
        WargameModel.from_export(edited)
    assert err.value.field == f"orders.1.orders.{actor}" and "played by the computer" in err.value.message
    assert WargameModel.from_export(edited, strict=False).turn == 3


def test_a_bad_human_order_in_an_export_names_its_turn_and_field(export):
    edited = copy.deepcopy(export)
    edited["orders"][0]["orders"]["USA"] = [{"kind": "engage", "target": "XXX"}]
    with pytest.raises(UserError) as err:
        WargameModel.from_export(edited)
    assert err.value.field == "orders.0.orders.USA.0.target"


def test_unreadable_export_files_name_the_file(tmp_path):
    p = tmp_path / "x.json"
    p.write_text("{\n  'no': 1}")
    with pytest.raises(UserError) as err:
        read_export(p)
    assert err.value.file == str(p) and err.value.line == 2
    with pytest.raises(UserError) as err:
        read_export(tmp_path / "missing.json")
    assert "cannot read" in str(err.value)


def test_human_seats_can_be_handed_to_their_ai_policy(baseline):
    m = WargameModel(baseline, seed=3, human=("USA", "RUS"))
    m.submit_orders("RUS", [])
    assert play_by_ai(m, keep_submitted=True) == ["USA"]
    assert m.human == ("RUS",) and m.waiting_for() == [] and not m.agent("USA").human
    m.step()
    assert play_by_ai(m) == ["RUS"] and m.human == ()
    m.run(2)
    assert m.orders_log[-1]["orders"].get("RUS")        # the computer now gives Russia's orders
    assert m.turn == 3


def test_set_orders_checks_the_orders_and_names_the_field(baseline):
    m = WargameModel(baseline, seed=3)
    assert set_orders(m, "USA", [{"kind": "engage", "target": "SYR"}], field="a") == [
        {"kind": "engage", "target": "SYR"}]
    assert m.human == ("USA",) and m.waiting_for() == []
    with pytest.raises(UserError) as err:
        set_orders(WargameModel(baseline, seed=3), "USA", [{"kind": "engage", "target": "NOPE"}], field="b")
    assert err.value.field == "b.0.target"
    with pytest.raises(UserError) as err:
        set_orders(WargameModel(baseline, seed=3), "USA", {"kind": "hold"}, field="b")
    assert err.value.field == "b"
    with pytest.raises(UserError) as err:
        set_orders(WargameModel(baseline, seed=3), "ZZZ", [], field="b")
    assert err.value.field == "seat"
