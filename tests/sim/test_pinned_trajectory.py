"""The refactors keep the trajectory: values of `WargameModel(load_scenario("baseline-2025"), seed=7).run(24)` at a
few months. A change of mechanics that moves them must say so and update the pins; `alignment.SYR` and `bloc.SYR`
pin the alignment phase."""
from __future__ import annotations

import pytest

from model import WargameModel, load_scenario

# indicator -> {turn: value} (turn 0 is the start, turn 24 the last month). Re-pinned by the lead after merging the
# issue-10 branches (talks: damped rounds with the status quo at the table; ground: bases from control, per-base
# leases, upkeep and budgets, attack and attrition, a bounded economy; alignment: structural drivers of bloc choice
# with k blocs) and making relation goals one-sided by default (Goal.direction). Re-pinned in session 12: the month's
# budget is worked out before the orders (docs/model.md §9.4), so Russia's war drain weighs on the month it comes in.
# Re-pinned in session 13: events commit money in US$bn that reaches GDP at the growth bound (docs/model.md §9.6).
PINNED = {
    "russia_bases_held": {0: 3, 1: 3, 6: 3, 12: 3, 24: 3},
    "syria_alignment": {0: 0.23999999999999996, 1: 0.15593163636363633, 6: 0.2432276630679395, 12: 0.14259306949463918,
                        24: 0.1901708844405487},
    "russia_isolation": {0: 0.5836498844337253, 1: 0.5787303981692109, 6: 0.5982919918936519, 12: 0.5988600877646432,
                         24: 0.6074862949329979},
    "kurdish_conflict": {0: 0.0, 1: 0.8, 6: 0.09282325000000001, 12: 0.0070006265392070334, 24: 0.65},
    "us_engagement": {0: 0.4, 1: 0.27999999999999997, 6: 0.19507959999999996, 12: 0.21097091986039998,
                      24: 0.20773759132584688},
    "relation.RUS.SYR": {0: 0.1, 1: 0.20826363636363637, 6: 0.2262283082312744, 12: 0.34777768207742255,
                         24: 0.3048819587370361},
    "region.raqqa.SDF": {0: 0.507, 1: 0.4651683168316832, 6: 0.4651683168316832, 12: 0.4651683168316832,
                         24: 0.323718558246771},
    "issue.russian_basing.forecast": {0: 55.0, 1: 53.90898718140339, 6: 62.986132930262215, 12: 78.12025621025381,
                                      24: 80.81156142264297},
    "utility.RUS": {0: 8.292758503803391, 1: 8.832273287925261, 6: 9.082915002626747, 12: 9.49676146933948,
                    24: 9.540317867417459},
    "base.tartus.controller": {0: 'RUS', 1: 'RUS', 6: 'RUS', 12: 'RUS', 24: 'RUS'},
    "alignment.SYR": {0: -0.47982089160193403, 1: -0.45369845322574187, 6: -0.5345351252260058, 12: -0.5196855311977882,
                      24: -0.5739018940900903},
    "bloc.SYR": {0: 1, 1: 1, 6: 1, 12: 1, 24: 1},
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
