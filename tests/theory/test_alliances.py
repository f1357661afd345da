"""Tests for model.theory.alliances (Axelrod & Bennett 1993 landscape theory, structural balance) and its CLI."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.cli.main import main
from model.theory import alliances
from model.theory.alliances import (
    RELATIVE_TOLERANCE,
    Landscape,
    energy,
    frustration,
    landscape,
    propensity_matrix,
    settle,
    structural_balance,
)

DATA = Path(__file__).parents[1] / "data" / "alliances"
WORKED = DATA / "worked_example.yaml"


# ---------------------------------------------------------------- a pure-Python reference, straight from the paper
def ref_energy(s, p, x):
    n = len(s)
    return sum(s[i] * s[j] * p[i][j] for i in range(n) for j in range(n) if i != j and x[i] != x[j])


def ref_frustration(s, p, x, i):
    return sum(s[j] * p[i][j] for j in range(len(s)) if j != i and x[i] != x[j])


def ref_landscape(s, p, rule="energy"):
    """Every configuration, one at a time: minima, energies and basins (integer inputs make it exact)."""
    n = len(s)

    def norm(x):
        return tuple(b ^ x[0] for b in x)  # mirror so actor 0 is on side 0

    def step(x):
        best = None
        for k in range(n):
            y = tuple(b ^ (i == k) for i, b in enumerate(x))
            gain = ref_energy(s, p, y) - ref_energy(s, p, x) if rule == "energy" else \
                ref_frustration(s, p, y, k) - ref_frustration(s, p, x, k)
            if gain < 0 and (best is None or gain < best[0]):
                best = (gain, y)
        return None if best is None else norm(best[1])

    configs = [(0,) + rest for rest in itertools.product((0, 1), repeat=n - 1)]
    ends = {}
    for x in configs:
        while (y := step(x)) is not None:
            x = y
        ends[x] = ends.get(x, 0) + 1
    return {sum(b << i for i, b in enumerate(x)): (ref_energy(s, p, x), c / len(configs)) for x, c in ends.items()}


def matrix_from(n, values):
    p = np.zeros((n, n))
    for (i, j), v in zip(itertools.combinations(range(n), 2), values, strict=True):
        p[i, j] = p[j, i] = v
    return p


@st.composite
def int_problems(draw, max_n=7):
    n = draw(st.integers(2, max_n))
    sizes = draw(st.lists(st.integers(1, 5), min_size=n, max_size=n))
    values = draw(st.lists(st.integers(-3, 3), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2))
    return sizes, matrix_from(n, values)


@st.composite
def float_problems(draw, max_n=9):
    n = draw(st.integers(2, max_n))
    finite = dict(allow_nan=False, allow_infinity=False)
    sizes = draw(st.lists(st.floats(0.1, 10, **finite), min_size=n, max_size=n))
    values = draw(st.lists(st.floats(-2, 2, **finite), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2))
    start = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    return sizes, matrix_from(n, values), start


# ---------------------------------------------------------------- worked examples, checked by hand
def test_worked_example_by_hand():
    """HAND-COMPUTED worked example (not published data): see the table in tests/data/alliances/.

    The published 1936 (17 nations) and Unix (9 firms) inputs are on the landscape-theory distribution
    disk of Axelrod's "Complexity of Cooperation" web site (Int. Politics Case; Unix Case u9pg01), which
    could not be retrieved when this was written; reproducing them is a follow-up.
    """
    sizes = [2, 1, 1, 1]
    p = propensity_matrix(4, {("A", "B"): 2, ("A", "C"): -1, ("A", "D"): -1, ("B", "C"): 1, ("B", "D"): 2,
                              ("C", "D"): -1}, "ABCD")
    by_hand = {"ABCD|": 0, "ABC|D": -2, "ABD|C": -4, "AB|CD": -2, "ACD|B": 14, "AC|BD": 4, "AD|BC": 6,
               "A|BCD": 0}
    for label, e in by_hand.items():
        second = label.split("|")[1]
        assert energy(sizes, p, ["ABCD"[i] in second for i in range(4)]) == e
    result = landscape(sizes, p, "ABCD")
    assert result.exact and result.n_configurations == 8
    assert [(m.sides, m.energy, m.basin) for m in result.minima] == [
        ((("A", "B", "D"), ("C",)), -4.0, 7 / 8), ((("A", "B", "C"), ("D",)), -2.0, 1 / 8)]
    # From A|BCD the dynamics go B (to AB|CD), then D: the path of the table's last row.
    final, switches = settle(sizes, p, [0, 1, 1, 1])
    assert switches == [1, 3] and final.tolist() == [0, 0, 1, 0]


def test_frustrated_triangle_and_tie_rule():
    """Three mutual enemies of equal size: every one-against-two split is a minimum (E = -4 each).

    From 'all together' every switch lowers E by 4: the tie goes to the lowest index, actor 0, which is why
    its split has basin 2/4 and the other two 1/4 each.
    """
    p = -(np.ones((3, 3)) - np.eye(3))
    result = landscape([1, 1, 1], p, ["A", "B", "C"])
    assert {m.sides: (m.energy, m.basin) for m in result.minima} == {
        (("A",), ("B", "C")): (-4.0, 0.5), (("A", "B"), ("C",)): (-4.0, 0.25),
        (("A", "C"), ("B",)): (-4.0, 0.25)}
    assert settle([1, 1, 1], p, [0, 0, 0])[1] == [0]


def test_frustration_and_energy_follow_the_paper():
    s, p = [1.0, 2.0, 3.0], matrix_from(3, [1.0, -2.0, 0.5])  # p01 = 1, p02 = -2, p12 = 0.5
    x = [0, 0, 1]
    assert frustration(s, p, x).tolist() == [3 * -2.0, 3 * 0.5, 1 * -2.0 + 2 * 0.5]
    assert energy(s, p, x) == pytest.approx(2 * (1 * 3 * -2.0 + 2 * 3 * 0.5))
    assert energy(s, p, 4) == energy(s, p, x)  # an int is a bit mask: bit i = side of actor i


# ---------------------------------------------------------------- properties
@settings(max_examples=60, deadline=None)
@given(float_problems())
def test_energy_unchanged_when_sides_swapped(problem):
    sizes, p, start = problem
    assert energy(sizes, p, start) == pytest.approx(energy(sizes, p, [1 - b for b in start]), abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(float_problems())
def test_switch_changes_energy_by_twice_size_times_own_frustration_change(problem):
    sizes, p, start = problem
    for k in range(len(sizes)):
        moved = list(start)
        moved[k] ^= 1
        d_e = energy(sizes, p, moved) - energy(sizes, p, start)
        d_f = frustration(sizes, p, moved)[k] - frustration(sizes, p, start)[k]
        assert d_e == pytest.approx(2 * sizes[k] * d_f, abs=1e-9)


def _stop_allowance(sizes, p, rule):
    """The energy a flip may still gain where the dynamics stop: a gain within RELATIVE_TOLERANCE of the largest
    possible gain counts as zero (model.theory.alliances), in energy units (2 s_k times a frustration gain)."""
    s, q = alliances._prepare(sizes, p)
    tol = alliances._tolerance(q, alliances._weights(s, rule))
    return (tol if rule == "energy" else 2.0 * float(s.max()) * tol) + 1e-12


@settings(max_examples=60, deadline=None)
@given(float_problems(), st.sampled_from(["energy", "frustration"]))
def test_dynamics_never_raise_energy_and_end_in_a_local_minimum(problem, rule):
    sizes, p, start = problem
    final, switches = settle(sizes, p, start, rule=rule)
    x = list(start)
    for k in switches:  # replay, checking every step
        before_e, before_f = energy(sizes, p, x), frustration(sizes, p, x)[k]
        x[k] ^= 1
        assert frustration(sizes, p, x)[k] < before_f
        assert energy(sizes, p, x) < before_e
    assert x == final.tolist()
    e = energy(sizes, p, x)
    for k in range(len(sizes)):
        assert energy(sizes, p, [b ^ (i == k) for i, b in enumerate(x)]) >= e - _stop_allowance(sizes, p, rule)


@settings(max_examples=40, deadline=None)
@given(float_problems(max_n=10))
def test_minima_are_stable_basins_sum_to_one_and_count_is_two_to_the_n_minus_one(problem):
    sizes, p, _ = problem
    n = len(sizes)
    result = landscape(sizes, p)
    assert result.n_configurations == 2 ** (n - 1) == result.samples and result.exact
    assert sum(m.basin for m in result.minima) == pytest.approx(1.0)
    assert [m.energy for m in result.minima] == sorted(m.energy for m in result.minima)
    # switches that change energy by less than the engine's documented tolerance count as ties
    s = np.asarray(sizes, dtype=float)
    tol = RELATIVE_TOLERANCE * float(np.max(np.abs(p).sum(axis=1) * 2 * s)) + 1e-12
    for m in result.minima:
        assert not m.config & 1 and "0" in m.sides[0]
        assert m.energy == pytest.approx(energy(sizes, p, m.config), abs=1e-9)
        for k in range(n):
            assert energy(sizes, p, m.config ^ (1 << k)) >= m.energy - tol


@settings(max_examples=80, deadline=None)
@given(int_problems(), st.sampled_from(["energy", "frustration"]))
def test_landscape_agrees_with_brute_force_reference(problem, rule):
    sizes, p = problem
    expected = ref_landscape(sizes, p.astype(int).tolist(), rule)
    got = {m.config: (m.energy, m.basin) for m in landscape(sizes, p, rule=rule).minima}
    assert got.keys() == expected.keys()
    for config, (e, b) in expected.items():
        assert got[config][0] == pytest.approx(e) and got[config][1] == pytest.approx(b)


def test_sampling_above_max_exact_is_seeded_and_marked_approximate():
    rng = np.random.default_rng(7)
    n = 9
    sizes, p = rng.uniform(0.5, 2, n), rng.uniform(-1, 1, (n, n))
    p = (p + p.T) / 2
    exact = {m.config: m.energy for m in landscape(sizes, p).minima}
    first = landscape(sizes, p, max_exact=4, samples=3000, seed=3)
    assert not first.exact and first.samples == 3000 and first.n_configurations == 2 ** (n - 1)
    assert first == landscape(sizes, p, max_exact=4, samples=3000, seed=3)
    assert sum(m.basin for m in first.minima) == pytest.approx(1.0)
    for m in first.minima:
        assert exact[m.config] == pytest.approx(m.energy)


def test_sampled_minima_of_more_than_63_actors_name_their_sides_exactly():
    """Configurations are Python ints: with 70 actors a 64-bit mask would wrap and misplace actors 64..69."""
    rng = np.random.default_rng(11)
    n = 70
    sizes, p = rng.uniform(0.5, 2, n), rng.uniform(-1, 1, (n, n))
    p = (p + p.T) / 2
    result = landscape(sizes, p, samples=40, seed=5)
    assert not result.exact
    for m in result.minima:
        assert type(m.config) is int and m.config.bit_length() <= n
        second = {str(i) for i in range(n) if (m.config >> i) & 1}
        assert set(m.sides[1]) == second and set(m.sides[0]) == {str(i) for i in range(n)} - second
        assert energy(sizes, p, m.config) == pytest.approx(m.energy)


def test_bad_inputs_to_the_pure_functions():
    with pytest.raises(ValueError, match="symmetric"):
        landscape([1, 1], [[0, 1], [2, 0]])
    with pytest.raises(ValueError, match="positive"):
        energy([1, 0], np.zeros((2, 2)), [0, 1])
    with pytest.raises(ValueError, match="twice"):
        propensity_matrix(2, {(0, 1): 1, (1, 0): 2})
    with pytest.raises(ValueError, match="rule"):
        settle([1, 1], np.zeros((2, 2)), [0, 1], rule="random")


# ---------------------------------------------------------------- structural balance
@pytest.mark.parametrize("signs, balanced, frustrated", [
    ((1, 1, 1), True, 0), ((1, -1, -1), True, 0), ((-1, -1, -1), False, 1), ((1, 1, -1), False, 1)])
def test_balance_of_a_triangle(signs, balanced, frustrated):
    result = structural_balance(matrix_from(3, signs))
    assert result.triads == 1
    assert result.balanced_share == result.weighted_balanced_share == (1.0 if balanced else 0.0)
    assert result.frustration_count == frustrated and result.frustration_weight == frustrated


def test_balanced_camps_are_found():
    r = matrix_from(4, [1, -1, -1, -1, -1, 1])  # {0, 1} friends, {2, 3} friends, hostile across
    result = structural_balance(r, ["a", "b", "c", "d"])
    assert result.camps == (("a", "b"), ("c", "d")) and result.frustration_count == 0
    assert result.balanced_share == 1.0 and result.exact


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 6).flatmap(lambda n: st.tuples(st.just(n), st.lists(
    st.sampled_from([-1.0, -0.5, 0.0, 0.5, 1.0]), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2))))
def test_balance_agrees_with_brute_force(case):
    n, values = case
    r = matrix_from(n, values)
    products = [r[i, j] * r[j, k] * r[i, k] for i, j, k in itertools.combinations(range(n), 3)]
    signed = [x for x in products if x != 0]
    weight = sum(abs(x) for x in products)
    edges = list(itertools.combinations(range(n), 2))

    def violations(x, weighted):
        bad = [(i, j) for i, j in edges if (r[i, j] < 0 and x[i] == x[j]) or (r[i, j] > 0 and x[i] != x[j])]
        return sum(abs(r[i, j]) for i, j in bad) if weighted else len(bad)

    splits = list(itertools.product((0, 1), repeat=n))
    result = structural_balance(r)
    assert result.triads == len(signed)
    assert result.balanced_share == pytest.approx(sum(x > 0 for x in signed) / len(signed) if signed else 1.0)
    assert result.weighted_balanced_share == pytest.approx(
        sum(x for x in products if x > 0) / weight if weight else 1.0)
    assert result.frustration_count == min(violations(x, False) for x in splits)
    assert result.frustration_weight == pytest.approx(min(violations(x, True) for x in splits))


# ---------------------------------------------------------------- CLI
def test_cli_text_table(capsys):
    assert main(["alliances", str(WORKED)]) == 0
    out = capsys.readouterr().out
    assert "all 8 configurations enumerated; 2 local minima" in out
    lines = out.splitlines()
    assert lines[1].split() == ["rank", "energy", "basin", "%", "side", "A", "side", "B"]
    assert lines[2].split() == ["1", "-4", "87.50", "A,", "B,", "D", "C"]


def test_cli_json_shape(capsys):
    assert main(["alliances", str(WORKED), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {"n_configurations": 8, "minima": [
        {"sides": [["A", "B", "D"], ["C"]], "energy": -4.0, "basin": 0.875},
        {"sides": [["A", "B", "C"], ["D"]], "energy": -2.0, "basin": 0.125}]}


def test_cli_side_of_first_listed_actor_comes_first(tmp_path, capsys):
    f = tmp_path / "order.yaml"
    f.write_text("sizes: {Z: 1, A: 1, M: 1}\npropensities: {Z-A: -1, A-M: 1}\n")
    assert main(["alliances", str(f), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["minima"][0]["sides"] == [["Z"], ["A", "M"]]


BAD_INPUTS = [
    ("", None, None, "empty"),
    ("sizes: {A: 1, B: x}\npropensities: {}\n", 1, "sizes.B", "expected a number, got 'x'"),
    ("sizes:\n  A: 1\n  B: -2\npropensities: {}\n", 3, "sizes.B", "must be positive"),
    ("sizes:\n  A: 0\n  B: 2\npropensities: {}\n", 2, "sizes.A", "must be positive"),
    ("sizes: {A: 1, B: 1}\npropensities:\n  A-B: 1\n  A-X: 2\n", 4, "propensities.A-X", "unknown actor 'X'"),
    ("sizes: {A: 1, B: 1}\npropensities:\n  AB: 1\n", 3, "propensities.AB", "malformed pair"),
    ("sizes: {A: 1, B: 1, C: 1}\npropensities:\n  A-B-C: 1\n", 3, "propensities.A-B-C", "malformed pair"),
    ("sizes: {A: 1, B: 1}\npropensities:\n  A-B: 1\n  B-A: 2\n", 4, "propensities.B-A",
     "pair given twice with different values"),
    ("sizes:\n  A: 1\npropensities: {}\n", 1, "sizes", "need at least two actors, found 1"),
    ("sizes: {A: 1, B: 1}\npropensities: {A-B: high}\n", 2, "propensities.A-B", "expected a number"),
    ("sizes: {A: 1, B: 1}\npropensities: {A-A: 1}\n", 2, "propensities.A-A", "two different actors"),
    ("sizes: {A: 1, B: 1}\n", None, "propensities", "missing 'propensities'"),
    ("sizes: {A: 1, B: 1}\npropensities: {}\nextra: 1\n", 3, "extra", "unknown key"),
    ("sizes:\n  A: 1\n  A: 2\npropensities: {}\n", 3, "sizes.A", "actor given twice"),
    ("sizes: {A: 1, B-C: 1}\npropensities: {}\n", 1, "sizes.B-C", "must not contain '-'"),
    ("sizes: [A, B]\npropensities: {}\n", 1, "sizes", "expected a mapping"),
    ("sizes: {A: 1, B: 1\npropensities: {}\n", 2, None, "invalid YAML"),
]


@pytest.mark.parametrize("text, line, field, message", BAD_INPUTS)
def test_cli_reports_bad_input_as_one_line(tmp_path, capsys, text, line, field, message):
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    assert main(["alliances", str(f)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    where = f"{f}:{line}: " if line else f"{f}: "
    assert err.startswith(f"error: {where}" + (f"{field}: " if field else ""))
    assert message in err


def test_cli_missing_file(tmp_path, capsys):
    missing = tmp_path / "nope.yaml"
    assert main(["alliances", str(missing)]) == 2
    assert capsys.readouterr().err == f"error: {missing}: file not found\n"


def test_cli_takes_scenario_names_as_run_does(tmp_path, capsys, monkeypatch):
    """A shipped name works from any folder, a user's through --config-dir; an unknown name lists the known ones."""
    monkeypatch.chdir(tmp_path)
    assert main(["alliances", "baseline-2025", "--json"]) == 0
    shipped = json.loads(capsys.readouterr().out)
    (tmp_path / "mine" / "scenarios").mkdir(parents=True)
    (tmp_path / "mine" / "scenarios" / "v.yaml").write_text("extends: baseline-2025\nname: v\n")
    assert main(["alliances", "v", "--json", "--config-dir", str(tmp_path / "mine")]) == 0
    assert json.loads(capsys.readouterr().out) == shipped
    assert main(["alliances", "no-such-scenario"]) == 2
    err = capsys.readouterr().err
    assert "no-such-scenario: file not found, nor a scenario of that name (known scenarios: " in err
    assert "baseline-2025" in err


def test_landscape_type_is_exported():
    assert isinstance(landscape([1, 1], np.zeros((2, 2))), Landscape)


def test_cli_reads_a_scenario_config(capsys, tmp_path):
    """A scenario's actors are sized by capability and its starting relations are the propensities."""
    from model.config.scenario import load_scenario
    from model.sim.world import from_scenario

    mini = Path(__file__).parents[1] / "data" / "scenarios" / "mini.yaml"
    assert main(["alliances", str(mini), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_configurations"] == 2 ** 3
    sc = load_scenario(mini)
    w = from_scenario(sc)
    sw = sc.params.size_weights
    expected = landscape(w.sizes(np.array([sw.military, sw.economic, sw.diplomatic])), w.rel, list(w.actors))
    assert [m["sides"] for m in out["minima"]] == [[list(s) for s in m.sides] for m in expected.minima]
    bad = tmp_path / "bad.yaml"
    bad.write_text(mini.read_text().replace("garrison: 0.6", "garrison: 7"))
    assert main(["alliances", str(bad)]) == 2
    assert f"{bad}:" in capsys.readouterr().err


def test_a_gain_within_the_tolerance_does_not_move_anyone():
    """Hypothesis found it: a propensity of 1e-9 gives a flip a 2e-9 energy gain, inside the documented relative
    tolerance, so the dynamics stop there rather than chase rounding."""
    p = np.zeros((4, 4))
    p[1, 3] = p[3, 1] = 1.0
    p[2, 3] = p[3, 2] = 1.09469217e-09
    final, _ = settle([1.0, 2.0, 1.0, 1.0], p, [0, 0, 0, 1], rule="energy")
    x = final.tolist()
    e = energy([1.0, 2.0, 1.0, 1.0], p, x)
    gain = e - energy([1.0, 2.0, 1.0, 1.0], p, [b ^ (i == 2) for i, b in enumerate(x)])
    assert 0 < gain <= _stop_allowance([1.0, 2.0, 1.0, 1.0], p, "energy")


@pytest.mark.parametrize("blocs", ["2", "3"])
def test_cli_refuses_numbers_that_overflow_instead_of_printing_nan(tmp_path, capsys, blocs):
    huge = tmp_path / "huge.yaml"
    huge.write_text("sizes: {A: 1.0e+308, B: 1.0e+308, C: 1.0e+308}\n"
                    "propensities: {A-B: 1.0e+308, A-C: -1.0e+308, B-C: 1}\n")
    assert main(["alliances", str(huge), "--json", "--blocs", blocs]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Warning" not in err
    assert err == (f"error: {huge}: the numbers are too large to compute with: minima.0.energy came out as NaN or "
                   "infinite; use smaller numbers (values near the float limit, 1e308, overflow)\n")
