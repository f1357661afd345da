"""Policies choose what their definition says: utility (softmax over expected gains), rule, scripted, random."""
from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import WargameModel, load_scenario
from model.config.scenario import Scenario
from model.sim.policies import score_candidates

DATA = Path(__file__).parents[1] / "data" / "scenarios"
MINI, TINY = DATA / "mini.yaml", DATA / "tiny.yaml"


def merged(base: dict, change: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in change.items():
        out[k] = merged(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else copy.deepcopy(v)
    return out


def write(tmp_path: Path, data: dict, name: str = "variant.yaml", overrides=()) -> Scenario:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_scenario(path, overrides=list(overrides))


def tiny(tmp_path: Path, change: dict) -> Scenario:
    return write(tmp_path, merged(yaml.safe_load(TINY.read_text()), change))


def orders_of(m: WargameModel, actor: str) -> list[list[dict]]:
    """The orders the actor gave in each played turn."""
    return [t["orders"].get(actor, []) for t in m.orders_log]


def costs(sc: Scenario, orders: list[dict]) -> int:
    return sum(sc.actions[o["kind"]].cost for o in orders)


# ----------------------------------------------------------------------------------------- utility
def greedy(gain: np.ndarray, cost: np.ndarray, ap: int) -> list[int]:
    """What a softmax with temperature -> 0 picks: the best affordable row, again and again, until holding
    (row 0, gain 0) is at least as good as anything left."""
    open_, picked = cost > 0, []
    while True:
        avail = np.nonzero(open_ & (cost <= ap))[0]
        if avail.size == 0:
            return picked
        best = int(avail[np.argmax(gain[avail])])
        if gain[best] <= gain[0]:
            return picked
        picked.append(best)
        ap -= int(cost[best])
        open_[best] = False


@pytest.fixture
def calm_mini(tmp_path) -> Scenario:
    """mini.yaml without its random event, every actor on a utility policy with a near-zero temperature."""
    data = yaml.safe_load(MINI.read_text())
    data["events"] = {}
    for a in data["actors"].values():
        a["policy"] = {"kind": "utility", "temperature": 1e-6}
    return write(tmp_path, data)


def test_low_temperature_utility_policy_takes_the_best_orders(calm_mini):
    m = WargameModel(calm_mini, seed=11)
    scores = {}
    for ag in m.agents:
        scored = score_candidates(m.ctx, ag.index, ag.goals())
        sl = scored.rows(ag.index)
        assert scored.order(m.ctx, sl.start).kind == "hold" and scored.gain[sl.start] == 0.0
        rows = range(sl.start, sl.stop)
        scores[ag.actor_id] = ({str(scored.order(m.ctx, r).to_dict()): float(scored.gain[r]) for r in rows},
                               greedy(scored.gain[sl], scored.cost[sl], ag.action_points),
                               [scored.order(m.ctx, sl.start + r).to_dict() for r in range(sl.stop - sl.start)])
    m.step()
    for actor, (gain_of, best, menu) in scores.items():
        chosen = m.orders_log[0]["orders"].get(actor, [])
        gains = [gain_of[str(o)] for o in chosen]
        # the best orders first, in order of their gain (equal gains may come in either order) ...
        assert gains[:len(best)] == pytest.approx([gain_of[str(menu[r])] for r in best], abs=1e-12)
        assert all(g > 0 for g in gains[:len(best)])
        # ... then at most orders worth exactly as much as holding (a tie the softmax cannot break)
        assert all(abs(g) < 1e-12 for g in gains[len(best):])
        assert costs(calm_mini, chosen) <= calm_mini.actors[actor].action_points
    # Russia's and Syria's best orders are not tied: the choice is exact and the same for every seed
    expected = {a: [scores[a][2][r] for r in scores[a][1]] for a in ("RUS", "SYR")}
    # Tartus stands on Damascus's consent (lease risk is in the utility): recognition, which warms the relation
    # the consent reads, is worth more to Russia than reinforcing the garrison
    assert expected["RUS"][0] == {"kind": "recognise", "target": "SYR"}
    for seed in (11, 1, 2, 3):
        orders = WargameModel(calm_mini, seed=seed).run(1).orders_log[0]["orders"]
        assert {a: orders[a] for a in expected} == expected


def test_high_temperature_utility_policy_explores(calm_mini, tmp_path):
    hot = load_scenario(tmp_path / "variant.yaml", overrides=[f"actors.{a}.policy.temperature=10"
                                                              for a in calm_mini.actors])
    first = {str(WargameModel(hot, seed=s).run(1).orders_log[0]["orders"]) for s in range(8)}
    assert len(first) > 1


def test_feasible_orders_menu_matches_the_scores(calm_mini):
    m = WargameModel(calm_mini, seed=0, human=("USA",))
    menu = m.feasible_orders("USA")
    ag = m.agent("USA")
    scored = score_candidates(m.ctx, ag.index, ag.goals())
    sl = scored.rows(ag.index)
    rows = [r for r in range(sl.start, sl.stop) if scored.cost[r] > 0]
    assert [x["order"] for x in menu] == [scored.order(m.ctx, r).to_dict() for r in rows]
    assert [x["gain"] for x in menu] == [round(float(scored.gain[r]), 4) for r in rows]
    assert all(x["cost"] == calm_mini.actions[x["order"]["kind"]].cost for x in menu)


# -------------------------------------------------------------------------------------------- rule
def rule(cond: dict, then: list[dict]) -> dict:
    return {"if": cond, "then": then}


RULES = [
    rule({"indicator": "base.fort.controller", "op": "==", "value": "GREEN"}, [{"kind": "engage", "target": "GREEN"}]),
    rule({"indicator": "relation.RED.BLUE", "op": ">", "value": 0.4}, [{"kind": "engage", "target": "BLUE"}]),
    rule({"indicator": "turn", "op": ">=", "value": 1}, [{"kind": "sanction", "target": "GREEN"}]),
]


def test_rule_policy_gives_the_orders_of_the_rules_that_match(tmp_path):
    sc = tiny(tmp_path, {"actors": {"RED": {"policy": {"kind": "rule", "rules": RULES}}}})
    m = WargameModel(sc, seed=0).run(3)
    engage, sanction = {"kind": "engage", "target": "BLUE"}, {"kind": "sanction", "target": "GREEN"}
    # rule 0 never matches; rule 2 reads the previous turn's record (turn 0 in turn 1); a sanction in force
    # cannot be imposed again, so in turn 3 it is skipped
    assert orders_of(m, "RED") == [[engage], [engage, sanction], [engage]]


def test_rule_policy_first_matching_rule_comes_first(tmp_path):
    sc = tiny(tmp_path, {"actors": {"RED": {"action_points": 1, "policy": {"kind": "rule", "rules": RULES}}}})
    m = WargameModel(sc, seed=0).run(3)
    assert orders_of(m, "RED") == [[{"kind": "engage", "target": "BLUE"}]] * 3


@pytest.mark.parametrize("fallback", ["utility", "random"])
def test_rule_policy_fallback_spends_what_is_left(tmp_path, fallback):
    # Red's fallback orders are peaceful (military orders have no relation precondition: a random strike on Blue
    # would break rule 1's condition for the next turn)
    peaceful = ["engage", "demand", "concede", "mediate", "recognise", "aid", "invest", "sanction", "deploy"]
    sc = tiny(tmp_path, {"actors": {"RED": {"actions": peaceful,
                                            "policy": {"kind": "rule", "rules": RULES[:2], "fallback": fallback}}}})
    for seed in range(4):
        m = WargameModel(sc, seed=seed).run(3)
        for orders in orders_of(m, "RED"):
            assert orders[0] == {"kind": "engage", "target": "BLUE"}
            assert costs(sc, orders) <= 3
            assert len({str(o) for o in orders}) == len(orders)


# ---------------------------------------------------------------------------------------- scripted
def test_scripted_policy_gives_its_orders_on_the_right_turn(tmp_path):
    script = {2: [{"kind": "engage", "target": "BLUE"}],
              3: [{"kind": "sanction", "target": "GREEN"}, {"kind": "engage", "target": "BLUE"}]}
    m = WargameModel(tiny(tmp_path, {"actors": {"RED": {"policy": {"kind": "scripted", "script": script}}}}),
                     seed=0).run(4)
    assert orders_of(m, "RED") == [[], script[2], script[3], []]


def test_scripted_policy_skips_impossible_orders_and_fills_in_targets(tmp_path):
    # Turn 1: withdrawing from a base Red does not hold is not possible and is skipped.
    # Turn 2: Green seizes the fort of Blue, its enemy, naming only the base: the holder is filled in.
    script_red = {1: [{"kind": "withdraw", "base": "fort"}, {"kind": "engage", "target": "BLUE"}]}
    script_green = {2: [{"kind": "seize", "base": "fort"}]}
    sc = tiny(tmp_path, {"actors": {"RED": {"policy": {"kind": "scripted", "script": script_red}},
                                    "GREEN": {"policy": {"kind": "scripted", "script": script_green}}}})
    m = WargameModel(sc, seed=0).run(2)
    assert orders_of(m, "RED") == [[{"kind": "engage", "target": "BLUE"}], []]
    assert orders_of(m, "GREEN") == [[], [{"kind": "seize", "target": "BLUE", "base": "fort"}]]
    (e,) = [e for e in m.events() if e["numbers"].get("base") == "fort"]
    assert e["turn"] == 2 and e["actors"] == ["GREEN", "BLUE"]


def test_scripted_policy_respects_action_points(tmp_path):
    many = [{"kind": "engage", "target": "BLUE"}, {"kind": "sanction", "target": "GREEN"},
            {"kind": "seize", "base": "depot"}]            # 1 + 1 + 2 points, Red has 3
    m = WargameModel(tiny(tmp_path, {"actors": {"RED": {"policy": {"kind": "scripted", "script": {1: many}}}}}),
                     seed=0).run(1)
    assert orders_of(m, "RED") == [many[:2]]


# ------------------------------------------------------------------------------------------ random
@pytest.fixture(scope="module")
def random_mini(tmp_path_factory) -> Scenario:
    data = yaml.safe_load(MINI.read_text())
    for a in data["actors"].values():
        a["policy"] = {"kind": "random"}
    return write(tmp_path_factory.mktemp("random"), data)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_random_policy_stays_within_action_points(random_mini, seed):
    m = WargameModel(random_mini, seed=seed).run(3)
    for turn in m.orders_log:
        for actor, orders in turn["orders"].items():
            assert costs(random_mini, orders) <= random_mini.actors[actor].action_points
            assert len({str(o) for o in orders}) == len(orders)      # no order twice


def test_random_policy_varies_with_the_seed(random_mini):
    seen = {str(WargameModel(random_mini, seed=s).run(1).orders_log[0]["orders"]) for s in range(6)}
    assert len(seen) > 1


# ------------------------------------------------------------------- softmax details, on a built Scored
def _scored(gains: list[float], costs: list[float]):
    from model.config.vocabulary import ACTION_KINDS, COLUMNS
    from model.sim.policies import Scored

    c = len(gains)
    kind = np.array([0] + [ACTION_KINDS.index("engage")] * (c - 1))
    cols = {f: np.full(c, -1) for f in COLUMNS}
    cols["actor"][:] = 0
    cols["target"][1:] = 1
    return Scored(kind, cols, np.array(gains, dtype=float), np.array(costs, dtype=float), np.array([0, c, c, c, c]))


def test_holding_outweighs_any_number_of_harmful_orders(mini):
    from model.sim.policies import pick_softmax

    m = WargameModel(mini, seed=0)
    scored = _scored([0.0] + [-0.01] * 40, [0.0] + [1.0] * 40)
    rng = np.random.default_rng(1)
    assert all(pick_softmax(m.ctx, scored, 0, 3, 10.0, rng) == [] for _ in range(200))


def test_only_improving_orders_are_drawn(mini):
    from model.sim.policies import pick_softmax

    m = WargameModel(mini, seed=0)
    scored = _scored([0.0, 0.2, -0.5], [0.0, 1.0, 1.0])
    scored.cols["target"][2] = 2
    rng = np.random.default_rng(2)
    picks = [o.target for _ in range(200) for o in pick_softmax(m.ctx, scored, 0, 3, 1.0, rng)]
    assert picks and set(picks) == {"SYR"}       # target index 1 is SYR; the harmful order (USA) never


def test_issue_goals_keep_the_actors_own_wish(mini):
    """Bargaining moves positions towards consensus; the utility still measures distance to what the actor wants."""
    m = WargameModel(mini, seed=0).run(3)
    w = m.world
    k = w.kidx("basing")
    assert w.ideal[k, w.idx("RUS")] == 100.0 and w.ideal[k, w.idx("USA")] == 0.0
    assert not np.allclose(w.position[k], w.ideal[k])


@pytest.fixture
def mini() -> Scenario:
    return load_scenario(MINI)


def test_gumbel_keys_draw_the_softmax_first_choice():
    """The first order walked is distributed as softmax(gain / (T x max|gain|)), holding carrying the weight of
    every harmful order; checked on 40,000 seeded draws for two actors at once."""
    from model.sim.policies import gumbel_keys

    gain = np.array([0.0, 0.3, 0.1, -0.2, -0.1,      0.0, 0.5, 0.0])   # actor 0: rows 0-4; actor 1: rows 5-7
    cost = np.array([0.0, 1, 1, 1, 1,                  0.0, 1, 1])
    start = np.array([0, 5, 8])
    temperature, uniform = np.array([0.5, 1.0]), np.array([False, True])
    rng = np.random.default_rng(5)
    firsts = np.zeros((2, 5))
    n = 40_000
    for _ in range(n):
        keys = gumbel_keys(gain, cost, start, temperature, uniform, rng)
        firsts[0, np.argmax(keys[0:5])] += 1
        firsts[1, np.argmax(keys[5:8])] += 1
    z = np.exp(gain[:5] / (0.5 * 0.3))
    p0 = np.array([z[0] + z[3] + z[4], z[1], z[2], 0.0, 0.0]) / z.sum()      # harmful orders fold into holding
    np.testing.assert_allclose(firsts[0] / n, p0, atol=0.01)
    np.testing.assert_allclose(firsts[1, :3] / n, [1 / 3] * 3, atol=0.01)    # uniform: hold and both orders


@pytest.mark.parametrize("width", [0, 1, 2, 3, 5, 7, 8, 9, 13, 14, 16, 17, 24, 31])
def test_row_sums_round_as_numpy_adds_a_row(width):
    """row_sums (the scoring pass's sums of goal terms, one addition per column) gives np.add.reduce's very bits:
    numpy adds short rows in order and longer ones pairwise, and a different order would change the last bit."""
    from model.sim.utility import row_sums

    rng = np.random.default_rng(width)
    a = rng.normal(size=(300, width)) * 10.0 ** rng.integers(-6, 6, size=(300, width))
    a[rng.random(a.shape) < 0.05] = -0.0
    a[:3] = -0.0                                          # whole rows of negative zeros
    got, want = row_sums(a), np.add.reduce(a, axis=1)
    assert got.tobytes() == want.tobytes()


@pytest.mark.parametrize("scenario", ["baseline-2025", "syria-west-pivot"])
def test_scoring_pass_utility_is_the_utility_of_its_rows(scenario):
    """The scoring pass computes some goal terms only for the rows whose orders change them (utility.Changed):
    every row's utility is bit for bit the plain utility() of the same expected state, in every month."""
    from model.sim import policies
    from model.sim.utility import utility

    seen = []
    plain = policies.utility

    def checked(batch, actors, goals, scale, counts=None, changed=None):
        u = plain(batch, actors, goals, scale, counts, changed)
        if changed is not None:
            seen.append(len(u))
            assert u.tobytes() == utility(batch, actors, goals, scale).tobytes()
        return u

    policies.utility = checked
    try:
        m = WargameModel(scenario, seed=3).run(12)
        for actor in m.world.actors[:4]:                   # one actor's pass (a seat's menu)
            m.feasible_orders(actor)
    finally:
        policies.utility = plain
    assert len(seen) == 12 + 4 and min(seen) > 0


@pytest.mark.parametrize("scenario", ["baseline-2025", "syria-west-pivot"])
def test_cached_tenure_is_the_reference_tenure(scenario):
    """utility() and the scoring pass read the lease risk from the goal table's cached lease table (_tenure_rows):
    bit for bit tenure() of the rows' hold goals, on every month's scoring batch and on the plain batch of all
    actors (the record's utility)."""
    from model.sim import policies
    from model.sim.utility import Batch, _tenure_rows, tenure

    m = WargameModel(scenario, seed=3)
    everyone = np.arange(m.world.n)
    seen = []
    plain = policies.utility

    def checked(batch, actors, goals, scale, counts=None, changed=None):
        for b, act in ((batch, actors), (Batch.of(m.world, everyone), everyone)):
            want = tenure(b, act, goals.hold_b.take(act, axis=0), goals.hold_w.take(act, axis=0) > 0)
            assert _tenure_rows(b, act, goals).tobytes() == want.tobytes()
        seen.append(len(actors))
        return plain(batch, actors, goals, scale, counts, changed)

    policies.utility = checked
    try:
        m.run(12)
    finally:
        policies.utility = plain
    assert len(seen) == 12



def test_the_turns_draw_walks_each_actors_rows_by_decreasing_key():
    """pick_softmax with the turn's keys walks only the rows that beat the actor's hold row (Scored.ranking): the
    orders are those of walking all the actor's rows by decreasing key (ties by row) until hold or no points."""
    from model.sim import policies

    m = WargameModel("baseline-2025", seed=5).run(6)
    ctx = m.ctx
    scored = policies.score_all(ctx, m.goals())
    n = m.world.n
    rng = np.random.default_rng(11)
    scored.keys = policies.gumbel_keys(scored.gain, scored.cost, scored.start, np.full(n, 0.15), np.zeros(n, bool),
                                       rng)
    walked = 0
    for a in range(n):
        sl = scored.rows(a)
        keys = scored.keys[sl]
        want, ap = [], 3
        for row in np.lexsort((-keys, np.zeros(len(keys)))).tolist():
            if row == 0 or ap <= 0 or keys[row] == -np.inf:
                break
            if scored.cost[sl.start + row] <= ap:
                want.append(scored.order(ctx, sl.start + row))
                ap -= int(scored.cost[sl.start + row])
        got = policies.pick_softmax(ctx, scored, a, 3, 0.15, rng)
        assert got == want, a
        walked += len(got)
    assert walked > 0


def _menu_counts(sc: Scenario, actor: str) -> dict[str, int]:
    from model.sim.actions import ACTION_KINDS
    m = WargameModel(sc, seed=0)
    scored = score_candidates(m.ctx, m.world.idx(actor), m.goals())
    kinds = [ACTION_KINDS[k] for k in scored.kind.tolist()]
    return {k: kinds.count(k) for k in set(kinds)}


def test_which_candidates_are_listed_is_set_by_the_scenarios_params():
    """The AI's menu thresholds are config (params.talks_*, mediation_*, patrol_*), not constants in the code."""
    base = _menu_counts(load_scenario("baseline-2025"), "USA")
    assert base.get("mediate", 0) == 3 and base.get("demand", 0) > 0 and base.get("patrol", 0) > 0
    assert _menu_counts(load_scenario("baseline-2025", ["params.mediation_pairs=1"]), "USA")["mediate"] == 1
    none = _menu_counts(load_scenario("baseline-2025", ["params.talks_min_gap=1", "params.mediation_hostility=-1",
                                                         "params.patrol_min_share=1"]), "USA")
    assert {"demand", "concede", "mediate", "patrol"}.isdisjoint(none) and none["hold"] == 1
    fewer = _menu_counts(load_scenario("baseline-2025", ["params.talks_min_salience=0.9"]), "USA")
    assert fewer.get("demand", 0) < base["demand"]
