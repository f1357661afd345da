"""Alignment (model.sim.alignment): propensities from structural drivers, their updates, the k-bloc dynamics with a
realignment cost, switch events with causes, outsiders, determinism, the config's errors and a pivot strategy.

Mechanisms are checked on the tiny stage (tests/data/scenarios/tiny.yaml: three scripted actors, no drift, no
balance pressure, no events), where every number can be worked out by hand.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from model import WargameModel, load_scenario
from model.cli.alliances import load_alliance_input
from model.config.errors import UserError, UserErrors
from model.config.vocabulary import indicator_names
from model.sim import alignment as al_mod
from model.sim.alignment import NO_OPTION_MARGIN, margins, settle_with_cost
from model.theory.blocs import ABSTAIN, FIXED, FREE, OUTSIDE, alignment, settle_blocs
from model.theory.blocs_landscape import bloc_landscape

DATA = Path(__file__).parents[1] / "data" / "scenarios"
TINY = DATA / "tiny.yaml"
MINI = DATA / "mini.yaml"
BASELINE = Path(__file__).parents[2] / "configs" / "scenarios" / "baseline-2025.yaml"

DRIVERS = {"alignment": {
    "ties": {"RED-BLUE": 0.4},
    "threat": {"RED-GREEN": 0.6, "GREEN-RED": 0.2, "BLUE-GREEN": 0.5},
    "economic": {"BLUE-RED": 0.3},
    "affinity": {"RED-BLUE": 0.2},
    "basing": {"fort": 0.3},        # BLUE holds the fort, GREEN hosts it (the largest share of its governorate)
}, "regions": {"north": {"control": {"RED": 0.3, "BLUE": 0.2, "GREEN": 0.5}}}}


def merged(base: dict, change: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in change.items():
        out[k] = merged(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else copy.deepcopy(v)
    return out


def stage(tmp_path: Path, *changes: dict, base: Path = TINY):
    data = yaml.safe_load(base.read_text())
    for change in changes:
        data = merged(data, change)
    path = tmp_path / "stage.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_scenario(path)


def events_of(m: WargameModel, kind: str) -> list[dict]:
    return [e for e in m.events() if e["kind"] == kind]


# ------------------------------------------------------------------------------------------- propensities
def test_propensities_follow_the_documented_formula(tmp_path):
    m = WargameModel(stage(tmp_path, DRIVERS), seed=0)
    p = m.world.alignment.propensity
    red, blue, green = 0, 1, 2
    # p = ties + shared threat (n - 2 = 1) - mean direct threat + mean dependence + affinity + 0.5 relation
    assert p[red, blue] == pytest.approx(0.4 + 0.6 * 0.5 - 0.0 + 0.3 / 2 + 0.2 + 0.5 * 0.5)
    assert p[red, green] == pytest.approx(0.0 + 0.0 - (0.6 + 0.2) / 2 + 0.0 + 0.0 + 0.5 * -0.5)
    assert p[blue, green] == pytest.approx(0.3 + 0.0 - 0.5 / 2 + 0.0 + 0.0 + 0.5 * -0.5)   # the fort's tie
    assert np.array_equal(p, p.T) and np.all(np.diag(p) == 0)
    parts = m.world.alignment.parts
    assert parts.shape == (len(al_mod.PARTS), 3, 3) and np.allclose(parts.sum(axis=0), p)


def test_weights_scale_their_driver(tmp_path):
    base = WargameModel(stage(tmp_path, DRIVERS), seed=0).world.alignment
    heavy = WargameModel(stage(tmp_path, DRIVERS, {"alignment": {"weights": {"threat": 2.0, "relations": 0}}}),
                         seed=0).world.alignment
    threat, rel = al_mod.PARTS.index("threat"), al_mod.PARTS.index("relations")
    assert np.allclose(heavy.parts[threat], 2 * base.parts[threat])
    assert np.all(heavy.parts[rel] == 0)


def test_a_base_adds_its_tie_only_while_it_is_held(tmp_path):
    effect = {"kind": "base_controller", "base": "fort", "controller": "GREEN"}
    handover = {"events": {"handover": {"name": "Handover", "probability": 1.0, "max_times": 1,
                                        "sentence": "Blue left.", "effects": [effect]}}}
    ties = al_mod.PARTS.index("ties")
    m = WargameModel(stage(tmp_path, DRIVERS, {"turns": 2}), seed=0).run()
    assert [m.world.alignment.parts[ties][1, 2], m.world.alignment.parts[ties][2, 1]] == pytest.approx([0.3, 0.3])
    m = WargameModel(stage(tmp_path, DRIVERS, handover), seed=0).run(1)
    assert m.world.base_ctrl[0] == 2 and m.world.alignment.parts[ties][1, 2] == 0.0   # the host holds it now


# ------------------------------------------------------------------------------------------ driver updates
def test_orders_move_the_drivers_and_flows_decay_to_their_baselines(tmp_path):
    script = {1: [{"kind": "aid", "target": "BLUE"}, {"kind": "strike", "target": "GREEN"},
                  {"kind": "support_proxy", "target": "BLUE"}]}
    sc = stage(tmp_path, DRIVERS, {"actors": {"RED": {"policy": {"script": script}}}})
    rate_e, rate_t = sc.alignment.decay.economic, sc.alignment.decay.threat
    orders = sc.alignment.orders
    m = WargameModel(sc, seed=0)
    d = m.world.alignment.drivers
    m.step()
    assert d["economic"][1, 0] == pytest.approx(0.3 + (1 - rate_e) * orders["aid"].economic)    # Blue on Red
    assert d["threat"][2, 0] == pytest.approx(0.2 + (1 - rate_t) * orders["strike"].threat)     # Green fears Red
    assert d["ties"][0, 1] == d["ties"][1, 0] == pytest.approx(0.4 + orders["support_proxy"].ties)
    assert d["threat"][0, 2] == pytest.approx(0.6)                       # the striker's own view is unchanged
    e1, t1 = d["economic"][1, 0], d["threat"][2, 0]
    m.step()                                                             # no orders: the flows decay, ties stay
    assert d["economic"][1, 0] == pytest.approx(0.3 + (1 - rate_e) * (e1 - 0.3))
    assert d["threat"][2, 0] == pytest.approx(0.2 + (1 - rate_t) * (t1 - 0.2))
    assert d["ties"][0, 1] == pytest.approx(0.4 + orders["support_proxy"].ties)


def test_any_order_kind_can_be_given_a_driver_effect_in_config(tmp_path):
    change = {"alignment": {"orders": {"engage": {"ties": 0.1}, "strike": {"threat": 0.0}}},
              "actors": {"RED": {"policy": {"script": {1: [{"kind": "engage", "target": "BLUE"}]}}}}}
    sc = stage(tmp_path, DRIVERS, change)
    assert sc.alignment.orders["engage"].ties == 0.1 and sc.alignment.orders["strike"].threat == 0.0
    assert sc.alignment.orders["aid"].economic > 0                       # rows not given keep their defaults
    m = WargameModel(sc, seed=0).run(1)
    assert m.world.alignment.drivers["ties"][0, 1] == pytest.approx(0.5)


def test_driver_effects_move_a_driver_and_lasting_ones_its_baseline(tmp_path):
    effects = [{"kind": "driver", "driver": "threat", "actor": "RED", "other": "GREEN", "delta": 0.3},
               {"kind": "driver", "driver": "economic", "actor": "GREEN", "other": "BLUE", "delta": 0.4,
                "lasting": True},
               {"kind": "driver", "driver": "ties", "actor": "GREEN", "other": "RED", "delta": 0.5},
               {"kind": "driver", "driver": "affinity", "actor": "GREEN", "other": "BLUE", "delta": -3.0}]
    sc = stage(tmp_path, DRIVERS, {"events": {"pact": {"name": "Pact", "probability": 1.0, "max_times": 1,
                                                      "sentence": "A pact.", "effects": effects}}})
    m = WargameModel(sc, seed=0).run(1)
    st = m.world.alignment
    rate_t = sc.alignment.decay.threat
    assert st.drivers["threat"][0, 2] == pytest.approx(0.6 + (1 - rate_t) * 0.3)   # a flow: decays back
    assert st.baseline["threat"][0, 2] == pytest.approx(0.6)
    assert st.drivers["economic"][2, 1] == pytest.approx(0.4)                      # lasting: the baseline moved
    assert st.baseline["economic"][2, 1] == pytest.approx(0.4)
    assert st.drivers["ties"][0, 2] == st.drivers["ties"][2, 0] == 0.5            # ties are symmetric
    assert st.drivers["affinity"][1, 2] == st.drivers["affinity"][2, 1] == -1.0   # clipped to its range
    (e,) = events_of(m, "event")
    assert "threat RED-GREEN +0.30" in e["numbers"]["effects"] and "(lasting)" in e["numbers"]["effects"]


# ----------------------------------------------------------------------------------------- switches
TURN = {"events": {"turn": {
    "name": "Red changes course", "probability": 1.0, "max_times": 1, "actors": ["RED"],
    "sentence": "Red signed a pact with Green and fell out with Blue.",
    "effects": [{"kind": "driver", "driver": "ties", "actor": "RED", "other": "GREEN", "delta": 1.0},
                {"kind": "driver", "driver": "threat", "actor": "RED", "other": "BLUE", "delta": 0.9,
                 "lasting": True}]}}}


def test_a_switch_is_an_event_that_names_its_cause(tmp_path):
    m = WargameModel(stage(tmp_path, TURN), seed=0).run(3)
    df = m.indicators()
    assert df["bloc.RED"].iloc[0] == df["bloc.BLUE"].iloc[0] != df["bloc.GREEN"].iloc[0]
    assert df["bloc.RED"].iloc[1] == df["bloc.GREEN"].iloc[1] != df["bloc.BLUE"].iloc[1]
    assert df["alliance_shifts"].tolist() == [0, 1, 0, 0]
    (e,) = events_of(m, "alliance_shift")
    assert e["actors"] == ["RED"] and e["turn"] == 1 and e["phase"] == "alliances"
    s = e["sentence"]
    assert s.startswith("Red left Blue's bloc for Green's bloc")
    assert "its pull toward Green" in s and "ties +1.00 since the start, all in the last month" in s
    assert "its quarrel with Blue" in s and "threat -0.45" in s               # -(0.9 + 0) / 2: the direct threat
    assert e["numbers"]["gain"] > m.scenario.alignment.switch_cost and e["numbers"]["d_frustration"] < 0
    assert e["numbers"]["bloc"] == df["bloc.GREEN"].iloc[1] and e["numbers"]["source"] == df["bloc.BLUE"].iloc[1]


def test_the_margin_shows_the_drift_before_the_switch(tmp_path):
    slow = {"events": {"drift": {"name": "Drift", "probability": 1.0, "actors": ["RED"], "sentence": "Drift.",
                                 "effects": [{"kind": "driver", "driver": "ties", "actor": "RED", "other": "GREEN",
                                              "delta": 0.05}]}},
            "relations": {"RED-GREEN": 0.0}, "turns": 12}
    sc = stage(tmp_path, slow)
    df = WargameModel(sc, seed=0).run().indicators()
    switch = int(np.argmax(df["alliance_shifts"].to_numpy() > 0))
    assert switch > 3, "the drift should take a few months"
    before = df["alignment.RED"].iloc[:switch].to_numpy()
    assert np.all(np.diff(before) > 0)                     # rising toward the cost month after month
    assert before[0] < 0 and before[-1] <= sc.alignment.switch_cost
    assert df["alignment.RED"].iloc[switch] < 0            # content again once it has moved
    (e,) = events_of(WargameModel(sc, seed=0).run(), "alliance_shift")
    assert e["turn"] == switch and e["numbers"]["gain"] > sc.alignment.switch_cost


def flip_flops(cost: float, noise: float, shift: float = 0.0, months: int = 24) -> int:
    """Actor 0 between two rival actors (p_12 = -2) whose pulls on it differ by `shift` plus noise of
    alternating sign: how often it changes bloc."""
    sizes = np.ones(3)
    x = np.array([0, 0, 1])
    kinds = np.zeros(3, dtype=np.int8)
    switches = 0
    for t in range(months):
        eps = shift + noise * (1 if t % 2 else -1)
        p = np.array([[0, 1 - eps, 1 + eps], [1 - eps, 0, -2], [1 + eps, -2, 0]], dtype=float)
        x, moves = settle_with_cost(sizes, p, x, kinds, 4, cost)
        switches += len(moves)
    return switches


def test_the_realignment_cost_prevents_flip_flops():
    assert flip_flops(cost=0.0, noise=0.02) >= 20           # without a cost, every sign change is a switch
    assert flip_flops(cost=0.05, noise=0.02) == 0           # noise below the cost moves nobody
    assert flip_flops(cost=0.05, noise=0.02, shift=0.15) == 1   # a lasting change beyond it: one switch, kept


# ----------------------------------------------------------------------------------- the theory's dynamics
def random_problem(rng: np.random.Generator):
    n = int(rng.integers(3, 8))
    sizes = rng.uniform(0.5, 3.0, n)
    p = rng.integers(-3, 4, (n, n)).astype(float) * rng.choice([1.0, 0.37], (n, n))
    p = np.triu(p, 1)
    p = p + p.T
    kinds = rng.choice([FREE, FREE, ABSTAIN, FIXED], n).astype(np.int8)
    k = int(rng.integers(1, 5))
    start = np.where(kinds == FIXED, OUTSIDE, rng.integers(0, k, n))
    start = np.where((kinds == ABSTAIN) & (rng.random(n) < 0.3), OUTSIDE, start)
    return sizes, p, kinds, k, start


@pytest.mark.parametrize("rule", ["energy", "frustration"])
def test_settle_without_cost_moves_exactly_like_settle_blocs(rule):
    rng = np.random.default_rng(3)
    for _ in range(300):
        sizes, p, kinds, k, start = random_problem(rng)
        ours, moves = settle_with_cost(sizes, p, start, kinds, k, 0.0, rule)
        theirs, reference = settle_blocs(sizes, p, start, blocs=k, abstain=kinds == ABSTAIN, outside=kinds == FIXED,
                                         rule=rule)
        assert ours.tolist() == theirs.tolist()
        assert [(mv.actor, mv.source, mv.target) for mv in moves] == [(mv.actor, mv.source, mv.target)
                                                                       for mv in reference]
        assert [mv.d_frustration for mv in moves] == pytest.approx([mv.d_frustration for mv in reference])


def test_margins_are_the_theorys_relative_alignment_margins():
    rng = np.random.default_rng(5)
    for _ in range(300):
        sizes, p, kinds, k, start = random_problem(rng)
        ours = margins(sizes, p, start, kinds, k)
        ref = alignment(sizes, p, start, blocs=k, abstain=kinds == ABSTAIN, outside=kinds == FIXED)
        expected = np.where(np.isnan(ref.relative_margin), NO_OPTION_MARGIN, ref.relative_margin)
        assert ours == pytest.approx(expected, abs=1e-12)


def test_a_cost_only_lets_moves_that_clear_it():
    rng = np.random.default_rng(8)
    for _ in range(200):
        sizes, p, kinds, k, start = random_problem(rng)
        cost = float(rng.uniform(0.0, 0.3))
        final, moves = settle_with_cost(sizes, p, start, kinds, k, cost)
        assert all(mv.gain > cost for mv in moves)
        m = margins(sizes, p, final, kinds, k)
        assert np.all((m <= cost + 1e-9) | (kinds == FIXED))    # nobody is left who would clear the cost


# ------------------------------------------------------------------------------------------- outsiders
def test_an_outsider_never_joins_however_strong_its_pull(tmp_path):
    change = {"alignment": {"outside": ["GREEN"], "ties": {"GREEN-RED": 1.0, "GREEN-BLUE": 1.0}},
              "relations": {"RED-GREEN": 1.0, "BLUE-GREEN": 1.0}}
    df = WargameModel(stage(tmp_path, change), seed=0).run().indicators()
    assert set(df["bloc.GREEN"]) == {OUTSIDE} and set(df["alignment.GREEN"]) == {NO_OPTION_MARGIN}
    assert set(df["bloc.RED"]) == {0} and set(df["bloc.BLUE"]) == {0}


def test_an_abstainer_stands_aside_when_every_bloc_repels_it(tmp_path):
    change = {"alignment": {"may_abstain": ["GREEN"], "blocs": 1}, "relations": {"RED-BLUE": 0.5}}
    m = WargameModel(stage(tmp_path, change), seed=0)
    assert m.world.blocs.tolist() == [0, 0, OUTSIDE]       # one bloc allowed, Green dislikes both: outside
    assert m.last_record["blocs_in_use"] == 1


@pytest.fixture(scope="module")
def baseline_runs():
    return [WargameModel(load_scenario("baseline-2025"), seed=s).run(24) for s in (0, 1)]


def test_isis_stands_outside_every_bloc_in_the_baseline(baseline_runs):
    for m in baseline_runs:
        df = m.indicators()
        assert set(df["bloc.ISIS"]) == {OUTSIDE}
        assert (df["bloc.RUS"] == df["bloc.IRN"]).all()


def test_the_baseline_starts_in_its_landscapes_largest_basin():
    sc = load_scenario("baseline-2025")
    m = WargameModel(sc, seed=0)
    st = m.world.alignment
    result = bloc_landscape(m.ctx.size, st.propensity, m.world.actors, blocs=sc.alignment.blocs,
                            abstain=st.kinds == ABSTAIN, outside=st.kinds == FIXED)
    top = max(result.minima, key=lambda mn: mn.basin)
    assert tuple(m.world.blocs.tolist()) == top.labels
    names, sizes, p = load_alliance_input(BASELINE)        # `wargame alliances` reads the same propensities
    assert names == m.world.actors and np.allclose(p, st.propensity) and np.allclose(sizes, m.ctx.size)


def test_initial_blocs_can_be_given_and_are_settled(tmp_path):
    m = WargameModel(stage(tmp_path, {"alignment": {"initial": [["RED", "GREEN"], ["BLUE"]]}}), seed=0)
    # Red prefers Blue (+0.5) to Green (-0.5): the dynamics carry the given start to Red with Blue
    assert m.world.blocs[0] == m.world.blocs[1] != m.world.blocs[2]


def test_russia_bloc_opposition_counts_other_blocs_but_not_outsiders(tmp_path):
    sc = stage(tmp_path, {"roles": {"russia": "RED"}, "alignment": {"outside": ["GREEN"]}})
    m = WargameModel(sc, seed=0)
    assert m.world.blocs.tolist() == [0, 0, OUTSIDE] and m.last_record["russia_bloc_opposition"] == 0.0
    sc = stage(tmp_path, {"roles": {"russia": "RED"}})
    m = WargameModel(sc, seed=0)
    size = m.ctx.size
    assert m.last_record["russia_bloc_opposition"] == pytest.approx(size[2] / (size[1] + size[2]))


# ------------------------------------------------------------------------------------------- determinism
def test_the_same_seed_gives_the_same_blocs_margins_and_events():
    sc = load_scenario("baseline-2025")
    a = WargameModel(sc, seed=11).run(12)
    al_mod._LANDSCAPE_CACHE.clear()                         # the start does not depend on the cache
    b = WargameModel(sc, seed=11).run(12)
    assert a.indicators().equals(b.indicators()) and a.events() == b.events()
    cols = [c for c in a.indicators() if c.startswith(("bloc.", "alignment."))]
    assert len(cols) == 2 * len(sc.actors)


def test_the_new_indicators_are_named_for_conditions():
    names = indicator_names(["A", "B"], [], [], [])
    assert {"alignment.A", "bloc.B", "blocs_in_use", "syria_with_west"} <= names


# ------------------------------------------------------------------------------------------ bad configs
MINI_ALIGNMENT = """
alignment:
  blocs: 3
  outside: [SDF]
  ties:
    RUS-SYR: 0.5
  threat:
    SYR-SDF: 0.4
  basing:
    tartus: 0.2
  orders:
    strike: {threat: 0.2}
"""

BAD = [
    ("tie_actor", "    RUS-SYR: 0.5", "    RUS-SYRIA: 0.5", "RUS-SYRIA", "alignment.ties.RUS-SYRIA",
     "unknown actor 'SYRIA'; expected one of RUS, SDF, SYR, USA"),
    ("tie_pair", "    RUS-SYR: 0.5", "    RUS_SYR: 0.5", "RUS_SYR", "alignment.ties.RUS_SYR", "must look like 'A-B'"),
    ("tie_range", "    RUS-SYR: 0.5", "    RUS-SYR: 1.5", "RUS-SYR: 1.5", "alignment.ties.RUS-SYR",
     "expected a number at most 1.0, got 1.5"),
    ("affinity_range", "    RUS-SYR: 0.5", "    RUS-SYR: 0.5\n  affinity: {RUS-USA: -2}", "affinity",
     "alignment.affinity.RUS-USA", "expected a number at least -1.0, got -2"),
    ("tie_self", "    RUS-SYR: 0.5", "    RUS-RUS: 0.5", "RUS-RUS", "alignment.ties.RUS-RUS",
     "a pair needs two different actors"),
    ("tie_twice", "    RUS-SYR: 0.5", "    RUS-SYR: 0.5\n    SYR-RUS: 0.4", "SYR-RUS", "alignment.ties.SYR-RUS",
     "pair given twice with different values (also as 'RUS-SYR')"),
    ("outside_actor", "outside: [SDF]", "outside: [KURDS]", "KURDS", "alignment.outside.0",
     "unknown actor 'KURDS'"),
    ("outside_and_abstain", "outside: [SDF]", "outside: [SDF]\n  may_abstain: [SDF]", "may_abstain",
     "alignment.may_abstain", "SDF is fixed outside and cannot also be in may_abstain"),
    ("basing_base", "    tartus: 0.2", "    taurus: 0.2", "taurus", "alignment.basing.taurus", "unknown base 'taurus'"),
    ("order_kind", "    strike: {threat: 0.2}", "    bomb: {threat: 0.2}", "bomb", "alignment.orders.bomb",
     "unknown order kind 'bomb'"),
    ("order_driver", "    strike: {threat: 0.2}", "    strike: {menace: 0.2}", "menace",
     "alignment.orders.strike.menace", "unknown field 'menace'"),
    ("blocs", "  blocs: 3", "  blocs: 0", "blocs: 0", "alignment.blocs", "expected a number"),
    ("cost", "  blocs: 3", "  blocs: 3\n  switch_cost: 2", "switch_cost", "alignment.switch_cost", "got 2"),
    ("weight_typo", "  blocs: 3", "  blocs: 3\n  weights: {threats: 1}", "weights", "alignment.weights.threats",
     "did you mean 'threat'?"),
    ("initial_actor", "  blocs: 3", "  blocs: 3\n  initial: [[RUS, SYRIA], [USA]]", "initial",
     "alignment.initial.0", "unknown actor 'SYRIA'"),
    ("initial_missing", "  blocs: 3", "  blocs: 3\n  initial: [[RUS], [USA]]", "initial", "alignment.initial",
     "SYR is in no starting bloc"),
    ("initial_outsider", "  blocs: 3", "  blocs: 3\n  initial: [[RUS, SYR, SDF], [USA]]", "initial",
     "alignment.initial.0", "SDF is fixed outside and cannot start in a bloc"),
    ("initial_twice", "  blocs: 3", "  blocs: 3\n  initial: [[RUS, SYR], [USA, SYR]]", "initial",
     "alignment.initial.1", "SYR is in two starting blocs"),
]


def bad_variant(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    text = MINI.read_text() + MINI_ALIGNMENT
    assert text.count(old) == 1
    text = text.replace(old, new)
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    return path, text


def test_the_mini_alignment_section_is_valid(tmp_path):
    path, _ = bad_variant(tmp_path, "blocs: 3", "blocs: 3")
    sc = load_scenario(path)
    assert sc.alignment.outside == ["SDF"] and sc.alignment.orders["strike"].threat == 0.2


@pytest.mark.parametrize("name, old, new, marker, field, words", BAD, ids=[c[0] for c in BAD])
def test_a_bad_alignment_section_is_one_clear_error(tmp_path, name, old, new, marker, field, words):
    path, text = bad_variant(tmp_path, old, new)
    with pytest.raises(UserError) as info:
        load_scenario(path)
    err = info.value.errors[0] if isinstance(info.value, UserErrors) else info.value
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if marker in ln)
    assert (err.file, err.line, err.field) == (str(path), line, field), str(info.value)
    assert words in str(info.value) and "Traceback" not in str(info.value)


@pytest.mark.parametrize("effect, field, words", [
    ({"kind": "driver", "actor": "RUS", "other": "SYR", "delta": 0.1}, "events.isis_attack.effects.0",
     "an effect of kind driver needs 'driver'"),
    ({"kind": "driver", "driver": "love", "actor": "RUS", "other": "SYR", "delta": 0.1},
     "events.isis_attack.effects.0.driver", "expected one of 'ties', 'threat', 'economic' or 'affinity'"),
    ({"kind": "driver", "driver": "ties", "actor": "RUS", "other": "RUS", "delta": 0.1},
     "events.isis_attack.effects.0.other", "a driver effect needs two different actors"),
    ({"kind": "driver", "driver": "ties", "actor": "RUS", "other": "ATLANTIS", "delta": 0.1},
     "events.isis_attack.effects.0.other", "unknown actor 'ATLANTIS'"),
])
def test_a_bad_driver_effect_is_one_clear_error(tmp_path, effect, field, words):
    data = yaml.safe_load(MINI.read_text())
    data["events"]["isis_attack"]["effects"] = [effect]
    path = tmp_path / "effect.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(UserError) as info:
        load_scenario(path)
    err = info.value.errors[0] if isinstance(info.value, UserErrors) else info.value
    assert err.field == field and words in str(info.value) and err.line is not None, str(info.value)


# --------------------------------------------------------------------------------------- a pivot strategy
HEDGER = {
    "name": "A hedging Damascus", "start": "2025-12", "turns": 24,
    "actors": {
        "USA": {"name": "United States", "western": True, "capabilities": {"military": 50, "economic": 60,
                "diplomatic": 60}, "action_points": 1,
                "goals": {"ties": {"kind": "relation", "actor": "SYR", "target": 0.6, "weight": 1}}},
        "EU": {"name": "European Union", "western": True, "capabilities": {"military": 10, "economic": 50,
               "diplomatic": 40}, "action_points": 1,
               "goals": {"ties": {"kind": "relation", "actor": "SYR", "target": 0.5, "weight": 1}}},
        "RUS": {"name": "Russia", "capabilities": {"military": 40, "economic": 25, "diplomatic": 40},
                "action_points": 2,
                "goals": {"ties": {"kind": "relation", "actor": "SYR", "target": 0.6, "weight": 1.5},
                          "basing": {"kind": "issue", "issue": "basing", "weight": 1}}},
        "SYR": {"name": "Syria", "capabilities": {"military": 30, "economic": 5, "diplomatic": 40},
                "action_points": 3, "policy": {"kind": "scripted"}},
    },
    "relations": {"USA-EU": 0.8, "USA-RUS": -0.5, "EU-RUS": -0.5, "RUS-SYR": 0.3, "SYR-USA": 0.1, "SYR-EU": 0.0},
    "regions": {"coast": {"name": "Coast", "iso": "SY-LA", "population": 1000, "control": {"SYR": 1.0}}},
    "issues": {"basing": {"name": "Russian basing", "positions": {"RUS": 100, "SYR": 50, "USA": 0, "EU": 20},
                          "salience": {"RUS": 0.9, "SYR": 0.6, "USA": 0.5, "EU": 0.3}}},
    "alignment": {"ties": {"RUS-SYR": 0.7, "USA-EU": 0.8, "SYR-USA": 0.1},   # a basing treaty; a coalition
                  "threat": {"USA-RUS": 0.5, "RUS-USA": 0.5, "EU-RUS": 0.5, "RUS-EU": 0.5}},
}
PIVOT = [{"kind": "engage", "target": "USA"}, {"kind": "engage", "target": "EU"},
         {"kind": "demand", "issue": "basing", "target": "RUS"}]


def pivot_game(sc, seed: int, orders: list[dict] | None) -> WargameModel:
    """Syria as a human seat giving, each month, those of `orders` that are possible (None: it holds)."""
    m = WargameModel(sc, seed=seed, human=("SYR",))
    while not m.done:
        feasible = [f["order"] for f in m.feasible_orders("SYR")]
        chosen = [o for o in feasible for want in (orders or []) if all(o.get(k) == v for k, v in want.items())]
        m.submit_orders("SYR", chosen[:m.agent("SYR").action_points])
        m.step()
    return m


def test_a_syria_that_pivots_west_moves_across_to_the_us_bloc(tmp_path):
    path = tmp_path / "hedger.yaml"
    path.write_text(yaml.safe_dump(HEDGER, sort_keys=False))
    sc = load_scenario(path)
    start = WargameModel(sc, seed=0)
    assert start.last_record["syria_with_west"] == 0      # Syria starts with Russia (its basing treaty)
    pivots = [pivot_game(sc, s, PIVOT).indicators() for s in range(4)]
    holds = [pivot_game(sc, s, None).indicators() for s in range(4)]
    assert sum(df["syria_with_west"].iloc[-1] == 1 for df in pivots) >= 3   # across within two years
    assert sum(df["syria_with_west"].iloc[-1] == 0 for df in holds) >= 3    # the AI's courting alone: not
    for df in pivots:                                      # the margin rose toward the switch before it came
        switch = int(np.argmax(df["syria_with_west"].to_numpy() == 1)) or len(df)
        assert df["alignment.SYR"].iloc[switch - 1] > df["alignment.SYR"].iloc[0]


def test_in_the_baseline_the_pivot_deepens_syrias_ties_with_the_west(baseline_runs):
    sc = load_scenario("baseline-2025")
    west = ("EU", "GBR")                                  # no event moves these pairs' drivers
    for seed, ai in zip((0, 1), baseline_runs, strict=True):
        m = pivot_game(sc, seed, [{"kind": "engage", "target": a} for a in ("USA", "EU", "GBR")])
        w = m.world
        assert m.indicators()["syria_with_west"].min() == 1   # it starts with the US and stays
        i = w.idx("SYR")
        for a in west:
            j = w.idx(a)
            assert w.alignment.propensity[i, j] > ai.world.alignment.propensity[i, j]


def test_wargame_alliances_on_a_scenario_uses_its_drivers_and_outsiders(capsys):
    from model.cli.main import main

    assert main(["alliances", str(BASELINE), "--blocs", "4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    m = WargameModel(load_scenario("baseline-2025"), seed=0)
    start = [[a for a, label in zip(m.world.actors, m.world.blocs.tolist(), strict=True) if label == b]
             for b in sorted(set(m.world.blocs.tolist()) - {OUTSIDE})]
    assert data["minima"][0]["outside"] == ["ISIS"] and data["minima"][0]["blocs"] == start
    assert main(["alliances", str(BASELINE), "--blocs", "4", "--outside", "ISIS", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n_configurations"] < data["n_configurations"]   # SYR may abstain


def test_an_ai_does_not_strike_a_partner_warmer_than_its_relation_goal(tmp_path):
    # The United States and the EU want relations with Syria of at least 0.6 / 0.5 (Goal.direction defaults to
    # at_least for a target >= 0): a relation past the target is no loss, so cooling it by force is never worth it.
    # (When the goal read "near the target", both AIs struck a Syria at +0.93 in month 14 of seed 0.)
    path = tmp_path / "hedger.yaml"
    path.write_text(yaml.safe_dump(HEDGER, sort_keys=False))
    sc = load_scenario(path)
    for seed in range(4):
        m = pivot_game(sc, seed, PIVOT)
        hits = [e for e in m.events() if e["kind"] in ("strike", "attack", "seize") and e["actors"][0] in ("USA", "EU")
                and "SYR" in e["actors"]]
        assert hits == [], [e["sentence"] for e in hits]


def test_a_near_relation_goal_penalises_overshooting_and_at_least_does_not(tmp_path):
    def score(direction: str | None, rel: float) -> float:
        """USA's utility (the `utility.USA` indicator) at the start with its relation to Syria set to `rel`."""
        data = copy.deepcopy(HEDGER)
        if direction is not None:
            data["actors"]["USA"]["goals"]["ties"]["direction"] = direction
        path = tmp_path / "goal.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        m = WargameModel(load_scenario(path), seed=0)
        w = m.world
        usa, syr = w.idx("USA"), w.idx("SYR")
        w.add_relation(usa, syr, rel - float(w.rel[usa, syr]))
        return float(m.measure()["utility.USA"])

    assert score(None, 0.9) == pytest.approx(score(None, 0.6))           # at_least: warmer is no worse
    assert score("near", 0.9) < score("near", 0.6)                        # near: overshooting costs
    assert score(None, 0.3) < score(None, 0.6)                            # falling short costs either way
