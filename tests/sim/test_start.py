"""A game's start is computed once per scenario and copied for every game: games must not share state through it."""
from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

from model import WargameModel, load_scenario
from model.sim import model as sim_model
from model.sim.world import fresh_copy


@pytest.fixture(scope="module")
def sc():
    return load_scenario("baseline-2025")


def _frame(m: WargameModel):
    return m.indicators().to_dict("list")


def test_a_game_built_from_the_kept_start_plays_as_one_built_afresh(sc):
    sim_model._STARTS.clear()
    first = WargameModel(sc, seed=5, turns=6)              # builds the start
    kept = WargameModel(sc, seed=5, turns=6)               # copies it
    assert id(sc) in sim_model._STARTS
    assert _frame(first.run()) == _frame(kept.run())
    assert first.events() == kept.events() and first.orders_log == kept.orders_log


def test_playing_a_game_leaves_the_start_and_other_games_as_they_were(sc):
    other = WargameModel(sc, seed=2, turns=4)
    before = other.world.copy()
    WargameModel(sc, seed=9, turns=12).run()               # plays on its own copy
    again = WargameModel(sc, seed=2, turns=4)
    for name, value in vars(before).items():
        if isinstance(value, np.ndarray):
            assert np.array_equal(getattr(other.world, name), value), name
            assert np.array_equal(getattr(again.world, name), value), name
    assert other.world.goal_weight == before.goal_weight and other.world.counters == before.counters
    layouts = [next(iter(m.talks.layouts.values())) for m in (other, again)]
    assert other.world.rel is not again.world.rel and layouts[0].x is not layouts[1].x
    assert _frame(other.run()) == _frame(again.run())


def test_fresh_copy_copies_arrays_and_containers_keeps_sharing_and_layout():
    a = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    shared = {"x": [a, a], "t": (a, {1, 2}), "n": 3}
    out = fresh_copy(shared)
    assert out["x"][0] is out["x"][1] is out["t"][0] and out["x"][0] is not a
    assert out["x"][0].flags.f_contiguous and np.array_equal(out["x"][0], a)
    out["x"][0][0, 0] = 99.0
    assert a[0, 0] == 0.0 and out["t"][1] == {1, 2} and out["t"][1] is not shared["t"][1]


def test_release_frees_the_model_by_reference_counting(sc):
    m = WargameModel(sc, seed=3, turns=2).run()
    columns = m.datacollector.model_vars
    refs = [weakref.ref(m), *(weakref.ref(a) for a in m.agents)]
    gc.disable()
    try:
        m.release()
        del m
        assert [r() for r in refs] == [None] * len(refs)
    finally:
        gc.enable()
    assert columns["turn"] == [0, 1, 2]


def test_a_record_without_utilities_changes_no_other_column(sc):
    full = WargameModel(sc, seed=4, turns=8).run().indicators()
    lean = WargameModel(sc, seed=4, turns=8, record_utility=False).run().indicators()
    utility = [c for c in full.columns if c.startswith("utility.")]
    assert utility and list(lean.columns) == list(full.columns)
    assert lean[utility].isna().all().all() and not full[utility].isna().any().any()
    rest = [c for c in full.columns if c not in utility]
    assert lean[rest].equals(full[rest])


def test_a_condition_on_a_utility_column_keeps_it_computed(sc):
    data = sc.model_dump()
    event = next(iter(data["events"].values()))
    event["condition"] = {"indicator": f"utility.{next(iter(data['actors']))}", "op": ">", "value": -100.0}
    reading = type(sc).model_validate(data)
    lean = WargameModel(reading, seed=4, turns=3, record_utility=False).run().indicators()
    assert not lean.filter(like="utility.").isna().any().any()
