"""The refactors keep the trajectory: values of `WargameModel(load_scenario("baseline-2025"), seed=7).run(24)`
recorded before the model moved onto Mesa's steps, agents and DataCollector (the pre-refactor pin file), at a few
months. A change of mechanics that moves them must say so and update the pins."""
from __future__ import annotations

import pytest

from model import WargameModel, load_scenario

# indicator -> {turn: value} (turn 0 is the start, turn 24 the last month)
PINNED = {
    "russia_bases_held": {0: 3, 1: 3, 6: 3, 12: 3, 24: 3},
    "syria_alignment": {0: 0.23999999999999996, 1: 0.1997533818181819, 6: 0.21813079592050133,
                        12: 0.19122510093544204, 24: 0.257296109513678},
    "russia_isolation": {0: 0.5836498844337253, 1: 0.5860584657671073, 6: 0.5919951125246514,
                         12: 0.5931966232834268, 24: 0.5833154520848551},
    "kurdish_conflict": {0: 0.0, 1: 0.8, 6: 0.2535, 12: 0.019118688773437507, 24: 0.00010874727501801001},
    "us_engagement": {0: 0.4, 1: 0.5800000000000001, 6: 0.21851059999999997,
                      12: 0.2161285535794, 24: 0.09538177226842917},
    "relation.RUS.SYR": {0: 0.1, 1: 0.18983818181818182, 6: 0.2506020820007959,
                         12: 0.29019375397797814, 24: 0.24033512413912786},
    "region.raqqa.SDF": {0: 0.507, 1: 0.4651683168316832, 6: 0.20300189311317676,
                         12: 0.20300189311317676, 24: 0.20300189311317676},
    "issue.russian_basing.forecast": {0: 52.50540766590721, 1: 46.4327551931631, 6: 45.694938213908955,
                                      12: 45.275010142903724, 24: 46.15442761713415},
    "utility.RUS": {0: 8.27881567312504, 1: 8.776732031648836, 6: 9.596031133320665,
                    12: 9.787290833825042, 24: 9.810091238551374},
    "base.tartus.controller": {0: "RUS", 1: "RUS", 6: "RUS", 12: "RUS", 24: "RUS"},
}


@pytest.fixture(scope="module")
def seed7() -> WargameModel:
    return WargameModel(load_scenario("baseline-2025"), seed=7).run(24)


@pytest.mark.parametrize("column", PINNED)
def test_seed_7_gives_the_pinned_trajectory(seed7, column):
    df = seed7.indicators()
    assert len(df) == 25 and df["turn"].tolist() == list(range(25))
    for turn, value in PINNED[column].items():
        got = df[column].iloc[turn]
        if isinstance(value, float):
            assert got == pytest.approx(value, rel=1e-12, abs=1e-12), (column, turn)
        else:
            assert got == value, (column, turn)


def test_the_keyword_forms_give_the_same_trajectory(seed7):
    again = WargameModel("baseline-2025", rng=7).run()
    assert again.indicators().equals(seed7.indicators()) and again.events() == seed7.events()
