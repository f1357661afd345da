"""Tests for the k-bloc landscape (model.theory.blocs, model.theory.blocs_landscape) and `wargame alliances --blocs`.

Three independent references: a pure-Python implementation of the definitions (one configuration at a time, exact
integer arithmetic), the two-bloc engine `model.theory.alliances` (k = 2 must be exactly Axelrod & Bennett), and a
brute force over every labelling with an energy table (the published case at k = 3 and 4).
"""
from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.cli.alliances import load_alliance_input
from model.cli.main import main
from model.theory import alliances
from model.theory.alliances import RELATIVE_TOLERANCE
from model.theory.blocs import (
    NO_OPTION,
    OUTSIDE,
    alignment,
    bloc_energy,
    bloc_frustration,
    canonical_labels,
    explain,
    settle_blocs,
)
from model.theory.blocs_landscape import (
    MAX_EXACT_CONFIGS,
    bloc_landscape,
    count_configurations,
)

DATA = Path(__file__).parents[1] / "data"
SYRIA_2016 = DATA / "alliances" / "landscape-syria-2016.yaml"
BASELINE = Path(__file__).parents[2] / "configs" / "scenarios" / "baseline-2025.yaml"
KINDS = ("free", "abstain", "fixed")


# ---------------------------------------------------------------- a pure-Python reference, from the definitions
def ref_canonical(x):
    seen = {}
    for v in x:
        if v != OUTSIDE and v not in seen:
            seen[v] = len(seen)
    return tuple(seen.get(v, OUTSIDE) for v in x)


def ref_frustration(s, p, x, i):
    return sum(s[j] * p[i][j] for j in range(len(x)) if j != i and (x[i] == OUTSIDE or x[i] != x[j]))


def ref_energy(s, p, x):
    return sum(s[i] * ref_frustration(s, p, x, i) for i in range(len(x)))


def ref_configurations(kinds, k):
    options = [[OUTSIDE] if kind == "fixed" else list(range(k)) + ([OUTSIDE] if kind == "abstain" else [])
               for kind in kinds]
    return sorted({ref_canonical(x) for x in itertools.product(*options)})


def ref_options(x, i, kinds, k):
    """Actor i's other options in tie order: blocs by first member, a new bloc, outside."""
    if kinds[i] == "fixed":
        return []
    blocs = sorted({v for v in x if v != OUTSIDE})  # canonical labels are in first-member order
    out = [b for b in blocs if b != x[i]]
    alone = x[i] != OUTSIDE and sum(v == x[i] for v in x) == 1
    if len(blocs) < k and not alone:
        out.append(max(blocs, default=-1) + 1)  # a new bloc
    if kinds[i] == "abstain" and x[i] != OUTSIDE:
        out.append(OUTSIDE)
    return out


def ref_step(s, p, x, kinds, k, rule="energy"):
    """(next canonical configuration, mover, option, dF), or None at a local minimum."""
    best = None
    for i in range(len(x)):
        f0 = ref_frustration(s, p, x, i)
        choice = None
        for option in ref_options(x, i, kinds, k):
            y = list(x)
            y[i] = option
            d_f = ref_frustration(s, p, y, i) - f0
            if choice is None or d_f < choice[0]:
                choice = (d_f, option, y)
        if choice is None or choice[0] >= 0:
            continue
        gain = 2 * s[i] * choice[0] if rule == "energy" else choice[0]
        if best is None or gain < best[0]:
            best = (gain, i, choice)
    if best is None:
        return None
    _, i, (d_f, option, y) = best
    return ref_canonical(y), i, option, d_f


def ref_landscape(s, p, kinds, k, rule="energy"):
    configs = ref_configurations(kinds, k)
    ends = {}
    for x in configs:
        while (nxt := ref_step(s, p, x, kinds, k, rule)) is not None:
            x = nxt[0]
        ends[x] = ends.get(x, 0) + 1
    return {x: (ref_energy(s, p, x), Fraction(c, len(configs))) for x, c in ends.items()}, len(configs)


def masks(kinds):
    return [kd == "abstain" for kd in kinds], [kd == "fixed" for kd in kinds]


def matrix_from(n, values):
    p = np.zeros((n, n))
    for (i, j), v in zip(itertools.combinations(range(n), 2), values, strict=True):
        p[i, j] = p[j, i] = v
    return p


@st.composite
def int_problems(draw, max_n=6):
    n = draw(st.integers(2, max_n))
    sizes = draw(st.lists(st.integers(1, 5), min_size=n, max_size=n))
    values = draw(st.lists(st.integers(-3, 3), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2))
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=n, max_size=n))
    return sizes, matrix_from(n, values), kinds, draw(st.integers(1, 4))


@st.composite
def float_problems(draw, max_n=9):
    n = draw(st.integers(2, max_n))
    finite = {"allow_nan": False, "allow_infinity": False}
    sizes = draw(st.lists(st.floats(0.1, 10, **finite), min_size=n, max_size=n))
    values = draw(st.lists(st.floats(-2, 2, **finite), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2))
    start = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    return sizes, matrix_from(n, values), start


def start_for(kinds, k, data):
    return [OUTSIDE if kd == "fixed" else data.draw(st.sampled_from(list(range(k)) + [OUTSIDE] * (kd == "abstain")))
            for kd in kinds]


# ---------------------------------------------------------------- definitions
def test_frustration_and_energy_follow_the_definitions():
    s, p = [1.0, 2.0, 3.0, 4.0], matrix_from(4, [1.0, -2.0, 0.5, 3.0, -1.0, 2.0])
    x = [0, 0, OUTSIDE, 1]
    for i in range(4):
        assert bloc_frustration(s, p, x)[i] == pytest.approx(ref_frustration(s, p.tolist(), x, i))
    assert bloc_energy(s, p, x) == pytest.approx(ref_energy(s, p.tolist(), x))
    # an outside actor is apart from everyone, another outside actor included
    both_out = [OUTSIDE, OUTSIDE, 0, 0]
    assert bloc_frustration(s, p, both_out)[0] == pytest.approx(2 * 1.0 + 3 * -2.0 + 4 * 0.5)
    # energy does not depend on how blocs are labelled
    assert bloc_energy(s, p, [2, 2, OUTSIDE, 0]) == bloc_energy(s, p, x)
    assert canonical_labels([2, 2, 0, OUTSIDE, 1]).tolist() == [0, 0, 1, OUTSIDE, 2]


@settings(max_examples=60, deadline=None)
@given(float_problems(), st.integers(1, 4), st.data())
def test_a_move_changes_energy_by_twice_size_times_the_movers_frustration_change(problem, k, data):
    sizes, p, _ = problem
    n = len(sizes)
    x = data.draw(st.lists(st.integers(OUTSIDE, k - 1), min_size=n, max_size=n))
    for i in range(n):
        for option in set(range(k)) | {OUTSIDE}:
            y = list(x)
            y[i] = option
            d_e = bloc_energy(sizes, p, y) - bloc_energy(sizes, p, x)
            d_f = bloc_frustration(sizes, p, y)[i] - bloc_frustration(sizes, p, x)[i]
            assert d_e == pytest.approx(2 * sizes[i] * d_f, abs=1e-9)


# ---------------------------------------------------------------- two blocs are exactly Axelrod & Bennett
@settings(max_examples=80, deadline=None)
@given(float_problems())
def test_two_blocs_reproduce_the_two_bloc_energies_and_frustrations(problem):
    sizes, p, start = problem
    assert bloc_energy(sizes, p, start) == pytest.approx(alliances.energy(sizes, p, start), abs=1e-9)
    assert np.allclose(bloc_frustration(sizes, p, start), alliances.frustration(sizes, p, start), atol=1e-9)


@settings(max_examples=80, deadline=None)
@given(float_problems(), st.sampled_from(["energy", "frustration"]))
def test_two_blocs_move_exactly_like_the_two_bloc_dynamics(problem, rule):
    sizes, p, start = problem
    final, moves = settle_blocs(sizes, p, start, blocs=2, rule=rule)
    sides, switches = alliances.settle(sizes, p, start, rule=rule)
    assert [m.actor for m in moves] == switches
    assert final.tolist() == sides.tolist()  # labels keep their meaning: side 0 stays 0
    assert all(m.source in (0, 1) and m.target == 1 - m.source for m in moves)


def same_landscape(two, many):
    """alliances.Landscape and BlocLandscape agree on minima (as partitions), energies and basins."""
    expected = {frozenset(map(frozenset, m.sides)) - {frozenset()}: (m.energy, m.basin) for m in two.minima}
    got = {frozenset(map(frozenset, m.blocs)): (m.energy, m.basin) for m in many.minima}
    assert got.keys() == expected.keys()
    for key, (e, b) in expected.items():
        assert got[key][0] == pytest.approx(e, abs=1e-9) and got[key][1] == pytest.approx(b)
    assert many.n_configurations == two.n_configurations


@settings(max_examples=60, deadline=None)
@given(float_problems(max_n=10), st.sampled_from(["energy", "frustration"]))
def test_two_blocs_give_the_same_landscape_as_the_two_bloc_engine(problem, rule):
    sizes, p, _ = problem
    same_landscape(alliances.landscape(sizes, p, rule=rule), bloc_landscape(sizes, p, blocs=2, rule=rule))


@settings(max_examples=60, deadline=None)
@given(int_problems(max_n=8), st.sampled_from(["energy", "frustration"]))
def test_two_blocs_agree_with_the_two_bloc_engine_on_tie_heavy_integer_inputs(problem, rule):
    sizes, p, _, _ = problem
    same_landscape(alliances.landscape(sizes, p, rule=rule), bloc_landscape(sizes, p, blocs=2, rule=rule))


# ---------------------------------------------------------------- k blocs against the pure-Python reference
@settings(max_examples=150, deadline=None)
@given(int_problems(), st.sampled_from(["energy", "frustration"]))
def test_landscape_agrees_with_the_reference(problem, rule):
    sizes, p, kinds, k = problem
    abstain, outside = masks(kinds)
    expected, total = ref_landscape(sizes, p.astype(int).tolist(), kinds, k, rule)
    result = bloc_landscape(sizes, p, blocs=k, abstain=abstain, outside=outside, rule=rule)
    assert result.exact and result.n_configurations == result.samples == total
    assert {m.labels: (m.energy, m.basin) for m in result.minima} == {
        x: (pytest.approx(e), pytest.approx(float(b))) for x, (e, b) in expected.items()}
    assert [m.energy for m in result.minima] == sorted(m.energy for m in result.minima)
    for m in result.minima:
        assert tuple(canonical_labels(m.labels)) == m.labels
        assert set(m.outside) == {str(i) for i, v in enumerate(m.labels) if v == OUTSIDE}
        assert [set(b) for b in m.blocs] == [{str(i) for i, v in enumerate(m.labels) if v == c}
                                             for c in range(len(m.blocs))]


@settings(max_examples=150, deadline=None)
@given(int_problems(max_n=7), st.sampled_from(["energy", "frustration"]), st.data())
def test_settle_follows_the_reference_move_by_move(problem, rule, data):
    sizes, p, kinds, k = problem
    abstain, outside = masks(kinds)
    start = start_for(kinds, k, data)
    final, moves = settle_blocs(sizes, p, start, blocs=k, abstain=abstain, outside=outside, rule=rule)
    x, expected = ref_canonical(start), []
    while (nxt := ref_step(sizes, p.astype(int).tolist(), x, kinds, k, rule)) is not None:
        x = nxt[0]
        expected.append((nxt[1], nxt[3]))
    assert [(m.actor, pytest.approx(m.d_frustration)) for m in moves] == expected
    assert tuple(canonical_labels(final)) == x
    labels = list(start)  # replay with the caller's labels: a new bloc takes the lowest unused label
    for m in moves:
        assert m.source == labels[m.actor] and m.target != m.source
        if m.target != OUTSIDE and m.target not in labels:
            assert m.target == min(set(range(k)) - set(labels))
        labels[m.actor] = m.target
    assert labels == final.tolist()


@settings(max_examples=60, deadline=None)
@given(float_problems(), st.integers(1, 4), st.sampled_from(["energy", "frustration"]), st.data())
def test_dynamics_lower_energy_every_move_and_end_in_a_local_minimum(problem, k, rule, data):
    sizes, p, _ = problem
    n = len(sizes)
    kinds = data.draw(st.lists(st.sampled_from(KINDS), min_size=n, max_size=n))
    abstain, outside = masks(kinds)
    start = start_for(kinds, k, data)
    _, moves = settle_blocs(sizes, p, start, blocs=k, abstain=abstain, outside=outside, rule=rule)
    x = list(start)
    for m in moves:
        before_e, before_f = bloc_energy(sizes, p, x), bloc_frustration(sizes, p, x)[m.actor]
        x[m.actor] = m.target
        assert bloc_frustration(sizes, p, x)[m.actor] - before_f == pytest.approx(m.d_frustration, abs=1e-9)
        assert m.d_frustration < 0 and bloc_energy(sizes, p, x) < before_e
    e = bloc_energy(sizes, p, x)
    for i, kind in enumerate(kinds):  # no single move lowers E beyond the rule's tie tolerance: a local minimum
        for option in ([] if kind == "fixed" else list(range(k)) + [OUTSIDE] * (kind == "abstain")):
            y = list(x)
            y[i] = option
            assert bloc_energy(sizes, p, y) >= e - energy_tolerance(sizes, p, rule, i)


def energy_tolerance(sizes, p, rule, i):
    """The energy change of actor i's move that the dynamics count as zero, from the documented rule.

    A gain (2 s_i dF_i under "energy", dF_i under "frustration") within RELATIVE_TOLERANCE of the largest possible
    gain is a tie. Under "frustration" that is a tolerance on dF, so in energy it scales with the mover's 2 s_i.
    """
    s = np.asarray(sizes, dtype=float)
    weight = 2 * s if rule == "energy" else np.ones_like(s)
    gain_tol = RELATIVE_TOLERANCE * float(np.max(np.abs(p * s[None, :]).sum(axis=1) * weight))
    return gain_tol * 2 * s[i] / weight[i] + 1e-12


def test_a_frustration_gain_within_the_tie_tolerance_is_no_move():
    """Hypothesis found it: under "frustration" a drop of dF = 1e-9 (energy 4e-9 for a mover of size 2) is a tie."""
    sizes = [1.0, 1.0, 2.0, 1.0, 1.0]
    p = np.zeros((5, 5))
    p[3, 4] = p[4, 3] = -1.0
    p[2, 4] = p[4, 2] = 1e-9
    final, moves = settle_blocs(sizes, p, [0, 0, 0, 0, 1], blocs=2, rule="frustration")
    assert final.tolist() == [0, 0, 0, 0, 1] and moves == []
    final, moves = settle_blocs(sizes, p, [0, 0, 0, 0, 1], blocs=2, rule="energy")  # 4e-9 > the energy tie 2e-9
    assert final.tolist() == [0, 0, 1, 0, 1] and [m.actor for m in moves] == [2]
    y = [0, 0, 1, 0, 1]
    assert bloc_energy(sizes, p, y) < bloc_energy(sizes, p, [0, 0, 0, 0, 1]) - energy_tolerance(sizes, p, "energy", 2)
    assert bloc_energy(sizes, p, y) >= bloc_energy(sizes, p, [0, 0, 0, 0, 1]) - energy_tolerance(
        sizes, p, "frustration", 2)


def stirling_up_to(n, k):
    """Partitions of n items into at most k blocks, from the Stirling recurrence S(n, j) = j S(n-1, j) + S(n-1, j-1)."""
    s = [[1] + [0] * k]
    for _ in range(n):
        s.append([0] + [j * s[-1][j] + s[-1][j - 1] for j in range(1, k + 1)])
    return sum(s[n][1:]) if n else 1


@pytest.mark.parametrize("n, k", [(1, 1), (5, 2), (7, 3), (13, 4), (9, 9)])
def test_counts_are_set_partitions_into_at_most_k_blocs(n, k):
    assert count_configurations(n, k) == stirling_up_to(n, k)


def test_counts_with_abstainers_and_fixed_outsiders():
    # one abstainer: partitions of the others into at most k blocs (it stands outside) plus those with it inside
    assert count_configurations(6, 3, abstain=[0]) == stirling_up_to(5, 3) + stirling_up_to(6, 3)
    assert count_configurations(6, 3, outside=[0, 5]) == stirling_up_to(4, 3)
    assert count_configurations(13, 4) == 2_798_251 <= MAX_EXACT_CONFIGS


@settings(max_examples=40, deadline=None)
@given(float_problems(max_n=9), st.integers(2, 4))
def test_minima_are_stable_and_basins_sum_to_one(problem, k):
    sizes, p, _ = problem
    result = bloc_landscape(sizes, p, blocs=k)
    assert sum(m.basin for m in result.minima) == pytest.approx(1.0)
    tol = RELATIVE_TOLERANCE * float(np.max(np.abs(p * np.asarray(sizes)[None, :]).sum(axis=1)
                                            * np.asarray(sizes) * 2)) + 1e-12
    for m in result.minima:
        assert m.energy == pytest.approx(bloc_energy(sizes, p, m.labels), abs=1e-9)
        assert settle_blocs(sizes, p, m.labels, blocs=k)[1] == []
        for i in range(len(sizes)):
            for option in range(min(k, len(m.blocs) + 1)):
                y = list(m.labels)
                y[i] = option
                assert bloc_energy(sizes, p, y) >= m.energy - tol


def test_sampling_above_max_configs_is_seeded_uniform_and_marked_approximate():
    rng = np.random.default_rng(5)
    n = 9
    sizes, p = rng.uniform(0.5, 2, n), rng.uniform(-1, 1, (n, n))
    p = (p + p.T) / 2
    abstain = [i % 2 == 0 for i in range(n)]
    exact = {m.labels: m for m in bloc_landscape(sizes, p, blocs=3, abstain=abstain).minima}
    first = bloc_landscape(sizes, p, blocs=3, abstain=abstain, max_configs=100, samples=20_000, seed=1)
    assert not first.exact and first.samples == 20_000
    assert first.n_configurations == count_configurations(n, 3, abstain=abstain)
    assert first == bloc_landscape(sizes, p, blocs=3, abstain=abstain, max_configs=100, samples=20_000, seed=1)
    assert sum(m.basin for m in first.minima) == pytest.approx(1.0)
    for m in first.minima:  # the same minima, and basins within sampling error of the exact shares
        assert m.energy == pytest.approx(exact[m.labels].energy) and m.index == exact[m.labels].index
        sigma = math.sqrt(exact[m.labels].basin * (1 - exact[m.labels].basin) / first.samples)
        assert abs(m.basin - exact[m.labels].basin) < 5 * sigma + 1e-12


def test_sampled_starts_are_uniform_over_configurations():
    """With zero propensities every configuration is a minimum, so the basins are the sampling frequencies."""
    n, k = 5, 3
    abstain = [True, False, False, True, False]
    result = bloc_landscape(np.ones(n), np.zeros((n, n)), blocs=k, abstain=abstain, max_configs=1,
                            samples=60_000, seed=3)
    total = count_configurations(n, k, abstain=abstain)
    assert len(result.minima) == total  # every configuration drawn
    counts = np.array([m.basin * result.samples for m in result.minima])
    expected = result.samples / total
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    assert chi2 < total + 6 * math.sqrt(2 * total)  # mean total - 1, sd sqrt(2 (total - 1))


# ---------------------------------------------------------------- alignment and causes
@settings(max_examples=60, deadline=None)
@given(int_problems(max_n=7), st.data())
def test_alignment_margin_shows_who_wants_to_move(problem, data):
    sizes, p, kinds, k = problem
    abstain, outside = masks(kinds)
    start = start_for(kinds, k, data)
    a = alignment(sizes, p, start, blocs=k, abstain=abstain, outside=outside)
    f = bloc_frustration(sizes, p, start)
    assert np.allclose(a.frustration, f)
    for i in range(len(kinds)):
        options = ref_options(ref_canonical(start), i, kinds, k)
        if not options:
            assert a.alternative[i] == NO_OPTION and math.isnan(a.margin[i])
            continue
        best = min(ref_frustration(sizes, p.tolist(), [o if j == i else v for j, v in
                                                        enumerate(ref_canonical(start))], i) for o in options)
        assert a.alternative_frustration[i] == pytest.approx(best)
        assert a.margin[i] == pytest.approx(f[i] - best)
        assert -1 - 1e-9 <= a.relative_margin[i] <= 1 + 1e-9
        moved = list(start)
        moved[i] = a.alternative[i]
        assert bloc_frustration(sizes, p, moved)[i] == pytest.approx(best)
    _, moves = settle_blocs(sizes, p, start, blocs=k, abstain=abstain, outside=outside)
    if moves:  # the first mover had a positive margin and goes to its best option
        assert a.margin[moves[0].actor] > 0 and a.alternative[moves[0].actor] == moves[0].target
    else:
        assert np.all(np.nan_to_num(a.margin, nan=-1.0) <= 1e-9)


def test_alignment_in_two_blocs_is_minus_the_switch_gain():
    s, p = [1.0, 2.0, 3.0], matrix_from(3, [1.0, -2.0, 0.5])
    x = [0, 0, 1]
    a = alignment(s, p, x, blocs=2)
    for i in range(3):
        flipped = [1 - v if j == i else v for j, v in enumerate(x)]
        assert a.margin[i] == pytest.approx(alliances.frustration(s, p, x)[i] - alliances.frustration(s, p, flipped)[i])


def test_explain_names_the_terms_and_what_a_move_changes():
    names, sizes, p = load_alliance_input(SYRIA_2016)
    start = [0] * len(names)  # everyone together: every negative propensity is a reason to leave
    final, moves = settle_blocs(sizes, p, start, blocs=3, names=names)
    first = moves[0]
    why = explain(sizes, p, start, first.actor, target=first.target, blocs=3, names=names)
    assert why.actor == names[first.actor] and why.terms == ()  # together with everyone: nothing apart
    assert why.frustration == 0
    assert sum(c.delta for c in why.changes) == pytest.approx(first.d_frustration)
    assert why.target_frustration - why.frustration == pytest.approx(first.d_frustration)
    deltas = [abs(c.delta) for c in why.changes]
    assert deltas == sorted(deltas, reverse=True)
    # in the final configuration the terms add up to the frustration, largest first
    for i in range(len(names)):
        e = explain(sizes, p, final, names[i], blocs=3, names=names)
        assert sum(t.value for t in e.terms) == pytest.approx(e.frustration)
        assert [abs(t.value) for t in e.terms] == sorted((abs(t.value) for t in e.terms), reverse=True)
        assert all(t.value == pytest.approx(t.size * t.propensity) for t in e.terms)
        assert len(explain(sizes, p, final, i, blocs=3, names=names, top=2).terms) <= 2


# ---------------------------------------------------------------- bad input
def test_bad_inputs_to_the_pure_functions():
    s, p = [1, 1, 1], np.zeros((3, 3))
    with pytest.raises(ValueError, match="blocs"):
        bloc_landscape(s, p, blocs=0)
    with pytest.raises(ValueError, match="not a bloc"):
        settle_blocs(s, p, [0, 1, 4], blocs=2)
    with pytest.raises(ValueError, match="fixed outside"):
        settle_blocs(s, p, [0, 1, 0], blocs=2, outside=[2])
    with pytest.raises(ValueError, match="may not stand outside"):
        settle_blocs(s, p, [0, OUTSIDE, 0], blocs=2)
    with pytest.raises(ValueError, match="not a known actor"):
        bloc_landscape(s, p, ["a", "b", "c"], abstain=["d"])
    with pytest.raises(ValueError, match="cannot move"):
        explain(s, p, [0, 0, 0], 1, target=OUTSIDE, blocs=2)
    with pytest.raises(ValueError, match="integer labels"):
        settle_blocs(s, p, [0, 0.5, 1], blocs=2)


# ---------------------------------------------------------------- the published case
def labelled_landscape(sizes, propensities, k):
    """Brute force over all k^n labellings: an integer energy table, each step the steepest energy drop found
    by trying every relabelling (lowest index first on ties; target ties: the bloc with the first-listed member,
    then an unused label), run from one labelling of every partition (restricted growth strings)."""
    s = np.asarray(sizes, dtype=np.int64)
    w = np.rint(np.outer(s, s) * np.asarray(propensities)).astype(np.int64)
    n = s.size
    power = k ** np.arange(n, dtype=np.int64)
    codes = np.arange(k ** n, dtype=np.int64)
    x = ((codes[None, :] // power[:, None]) % k).astype(np.int8)
    e = np.zeros(k ** n, dtype=np.int64)
    for i in range(n):
        for j in range(i + 1, n):
            if w[i, j]:
                e += 2 * w[i, j] * (x[i] != x[j])
    canonical = x[0] == 0
    top = x[0].copy()
    for i in range(1, n):
        canonical &= x[i] <= top + 1
        np.maximum(top, x[i], out=top)
    del x
    starts = codes[canonical]
    state, active = starts.copy(), np.arange(starts.size)
    while active.size:
        c = state[active]
        lab = (c[None, :] // power[:, None]) % k
        here = e[c]
        drop = np.zeros((n, c.size), dtype=np.int64)
        for i in range(n):
            for b in range(k):
                np.minimum(drop[i], e[c + (b - lab[i]) * power[i]] - here, out=drop[i])
        best = drop.min(axis=0)
        mover = np.full(c.size, n)
        for i in range(n - 1, -1, -1):
            mover = np.where(drop[i] == best, i, mover)
        cols = np.flatnonzero(best < 0)
        c, lab, best, mover = c[cols], lab[:, cols], best[cols], mover[cols]
        own = lab[mover, np.arange(c.size)]
        chosen, chosen_key = np.zeros(c.size, dtype=np.int64), np.full(c.size, 3 * n)
        for b in range(k):
            first = np.full(c.size, n)
            for i in range(n - 1, -1, -1):
                first = np.where(lab[i] == b, i, first)
            key = np.where(first < n, first, n + b)
            take = (e[c + (b - own) * power[mover]] - e[c] == best) & (key < chosen_key)
            chosen, chosen_key = np.where(take, b, chosen), np.where(take, key, chosen_key)
        state[active[cols]] = c + (chosen - own) * power[mover]
        active = active[cols]
    ends: dict[tuple[int, ...], int] = {}
    for c, count in zip(*np.unique(state, return_counts=True), strict=True):
        seen: dict[int, int] = {}
        part = tuple(seen.setdefault(int(v), len(seen)) for v in (c // power) % k)
        ends[part] = ends.get(part, 0) + int(count)
    return {part: (int(e[int(np.dot(part, power))]), c / starts.size) for part, c in ends.items()}, starts.size


def test_published_syria_2016_case_two_blocs():
    """Furnas's February 2016 run: one minimum, E = -83200, {Turkey, ISIS, Nusra} against the rest, basin 1."""
    names, sizes, p = load_alliance_input(SYRIA_2016)
    two = alliances.landscape(sizes, p, names)
    assert [(set(m.sides[1]), m.energy, m.basin) for m in two.minima] == [({"Turkey", "ISIS", "Nusra"}, -83200.0,
                                                                           1.0)]
    many = bloc_landscape(sizes, p, names, blocs=2)
    assert [({frozenset(b) for b in m.blocs}, m.energy, m.basin) for m in many.minima] == [
        ({frozenset({"Turkey", "ISIS", "Nusra"}), frozenset(set(names) - {"Turkey", "ISIS", "Nusra"})}, -83200.0, 1.0)]
    assert labelled_landscape(sizes, p, 2) == ({many.minima[0].labels: (-83200, 1.0)}, 1024)


@pytest.mark.parametrize("k", [3, 4])
def test_published_syria_2016_case_with_more_blocs_agrees_with_brute_force(k):
    names, sizes, p = load_alliance_input(SYRIA_2016)
    expected, total = labelled_landscape(sizes, p, k)
    result = bloc_landscape(sizes, p, names, blocs=k)
    assert result.n_configurations == total
    assert {m.labels: (m.energy, m.basin) for m in result.minima} == {
        x: (float(e), pytest.approx(b, abs=1e-15)) for x, (e, b) in expected.items()}


def test_the_baseline_scenario_at_four_blocs_is_exact_and_stable():
    names, sizes, p = load_alliance_input(BASELINE)
    result = bloc_landscape(sizes, p, names, blocs=4)
    assert result.exact and result.n_configurations == stirling_up_to(13, 4) == 2_798_251
    assert sum(m.basin for m in result.minima) == pytest.approx(1.0)
    for m in result.minima:
        assert settle_blocs(sizes, p, m.labels, blocs=4)[1] == []
    rng = np.random.default_rng(11)  # dynamics from random starts end in one of the minima
    minima = {m.labels for m in result.minima}
    for _ in range(30):
        final, _ = settle_blocs(sizes, p, rng.integers(0, 4, len(names)), blocs=4)
        assert tuple(canonical_labels(final)) in minima


# ---------------------------------------------------------------- CLI
def test_cli_blocs_table(capsys):
    assert main(["alliances", str(SYRIA_2016), "--blocs", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("11 actors, at most 3 blocs, all 29525 configurations enumerated; ")
    assert out[1].split() == ["rank", "energy", "basin", "%", "bloc", "1", "bloc", "2", "bloc", "3"]
    result = bloc_landscape(*load_alliance_input(SYRIA_2016)[1:], load_alliance_input(SYRIA_2016)[0], blocs=3)
    assert len(out) == 2 + len(result.minima)
    for line, m in zip(out[2:], result.minima, strict=True):
        assert f"{m.energy:.6g}" in line and ", ".join(m.blocs[0]) in line


def test_cli_blocs_json_with_abstainers_and_outsiders(capsys):
    argv = ["alliances", str(SYRIA_2016), "--blocs", "3", "--abstain", "ISIS, Turkey", "--outside", "Nusra",
            "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    names, sizes, p = load_alliance_input(SYRIA_2016)
    result = bloc_landscape(sizes, p, names, blocs=3, abstain=["ISIS", "Turkey"], outside=["Nusra"])
    assert data["n_configurations"] == result.n_configurations and data["blocs"] == 3 and data["exact"]
    assert data["minima"] == [{"blocs": [list(b) for b in m.blocs], "outside": list(m.outside),
                               "energy": m.energy, "basin": m.basin} for m in result.minima]
    assert all("Nusra" in m["outside"] for m in data["minima"])


def test_cli_two_blocs_keep_the_two_bloc_output(capsys):
    assert main(["alliances", str(SYRIA_2016), "--json"]) == 0
    default = capsys.readouterr().out
    assert main(["alliances", str(SYRIA_2016), "--blocs", "2", "--json"]) == 0
    assert capsys.readouterr().out == default
    assert json.loads(default) == {"n_configurations": 1024, "minima": [
        {"sides": [["US", "Russia", "Syria", "SaudiArabia", "Iran", "Hezbollah", "IraqiKurds", "Iraq"],
                   ["Turkey", "ISIS", "Nusra"]], "energy": -83200.0, "basin": 1.0}]}


def test_cli_reads_a_scenario_config_with_blocs(capsys):
    mini = DATA / "scenarios" / "mini.yaml"
    assert main(["alliances", str(mini), "--blocs", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names, sizes, p = load_alliance_input(mini)
    assert data["n_configurations"] == count_configurations(len(names), 3)
    assert [m["blocs"] for m in data["minima"]] == [
        [list(b) for b in m.blocs] for m in bloc_landscape(sizes, p, names, blocs=3).minima]


@pytest.mark.parametrize("argv, message", [
    (["--blocs", "0"], "error: --blocs: must be from 1 to 100, got 0"),
    (["--blocs", "3", "--abstain", "Atlantis"], "error: --abstain: unknown actor 'Atlantis' (actors: US, "),
    (["--outside", "ISIS", "--abstain", "ISIS"], "error: --outside: ISIS given in both --abstain and --outside"),
])
def test_cli_bad_bloc_options_are_one_line(capsys, argv, message):
    assert main(["alliances", str(SYRIA_2016)] + argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err
