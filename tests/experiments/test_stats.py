"""Statistics of experiments against published or hand-computed answers, and the verdict rules."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats

from model.experiments.stats import (
    compare,
    describe,
    fisher,
    mann_whitney,
    newcombe,
    newcombe_paired,
    paired_difference,
    t_interval,
    two_proportion_z,
    verdict,
    welch,
    wilson,
)


def test_wilson_interval_known_values():
    lo, hi = wilson(0, 10)                      # upper bound z^2 / (n + z^2) when k = 0
    assert lo == 0.0 and hi == pytest.approx(3.8415 / 13.8415, abs=1e-4)
    lo, hi = wilson(81, 263)                    # Newcombe (1998) example: 0.2553 to 0.3662
    assert (lo, hi) == (pytest.approx(0.2553, abs=1e-4), pytest.approx(0.3662, abs=1e-4))
    lo, hi = wilson(10, 10)
    assert hi == 1.0 and lo == pytest.approx(1 - 3.8415 / 13.8415, abs=1e-4)


def test_newcombe_difference_interval_published_example():
    lo, hi = newcombe(56, 70, 48, 80)           # Newcombe (1998) method 10, example (a): 0.0524 to 0.3339
    assert (lo, hi) == (pytest.approx(0.0524, abs=1e-4), pytest.approx(0.3339, abs=1e-4))


def test_two_proportion_z_known_answer():
    # 60/100 vs 40/100: pooled p = 0.5, se = sqrt(0.25 * 0.02), z = 2.828..., p = 0.00468
    assert two_proportion_z(60, 100, 40, 100) == pytest.approx(2 * stats.norm.sf(0.2 / math.sqrt(0.005)))
    assert two_proportion_z(60, 100, 40, 100) == pytest.approx(0.004678, abs=1e-6)
    assert two_proportion_z(0, 10, 0, 10) == 1.0


def test_fisher_exact_lady_tasting_tea():
    assert fisher(3, 4, 1, 4) == pytest.approx(0.4857, abs=1e-4)   # Fisher's own example, two-sided
    assert fisher(4, 4, 0, 4) == pytest.approx(2 / 70)


def test_welch_known_answer():
    # means 3 and 8, variances 2.5 each, n = 5: se = 1, t = -5, df = 8
    d, lo, hi, p = welch([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
    assert d == -5.0 and p == pytest.approx(2 * stats.t.sf(5, 8)) and p == pytest.approx(0.001052, abs=1e-6)
    half = stats.t.ppf(0.975, 8)
    assert (lo, hi) == (pytest.approx(-5 - half), pytest.approx(-5 + half))
    x, y = np.random.default_rng(1).normal(0, 1, 30), np.random.default_rng(2).normal(0.5, 2, 45)
    assert welch(x, y)[3] == pytest.approx(stats.ttest_ind(x, y, equal_var=False).pvalue)


def test_welch_without_spread_is_exact():
    assert welch([1, 1, 1], [1, 1])[3] == 1.0
    assert welch([2, 2, 2], [1, 1])[3] == 0.0


def test_welch_with_one_constant_group_is_exact_and_quiet():
    # variances 1 and 0, n = 3: se = sqrt(1/3), df = 2 (Welch-Satterthwaite), t = -2 / se
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d, lo, hi, p = welch([1, 2, 3], [4, 4, 4])
    half = stats.t.ppf(0.975, 2) * math.sqrt(1 / 3)
    assert (d, lo, hi) == (-2.0, pytest.approx(-2 - half), pytest.approx(-2 + half))
    assert p == pytest.approx(2 * stats.t.sf(2 / math.sqrt(1 / 3), 2))


def test_mann_whitney_known_answer():
    # complete separation of 4 and 4: exact two-sided p = 2 / C(8, 4) = 0.0286
    assert mann_whitney([5, 6, 7, 8], [1, 2, 3, 4]) == pytest.approx(2 / 70)
    assert mann_whitney([1, 1], [1, 1]) == 1.0


def test_scipy_intervals_equal_the_textbook_formulas():
    """scipy computes the intervals; these are the formulas the reports have always stated, over many inputs."""
    z = stats.norm.ppf(0.975)
    for n in (1, 2, 7, 30, 263):
        for k in sorted({0, 1, n // 3, n - 1, n}):
            p = k / n
            centre, half = (p + z * z / (2 * n)), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
            lo, hi = wilson(k, n)
            assert lo == pytest.approx(max(0.0, (centre - half) / (1 + z * z / n)), abs=1e-12)
            assert hi == pytest.approx(min(1.0, (centre + half) / (1 + z * z / n)), abs=1e-12)
            assert (lo == 0.0) == (k == 0) and (hi == 1.0) == (k == n)      # exact at the ends
    rng = np.random.default_rng(3)
    for n in (2, 5, 40):
        x = rng.normal(1, 2, n)
        half = stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / math.sqrt(n)
        m = x.mean()
        assert t_interval(x) == (pytest.approx(m), pytest.approx(m - half), pytest.approx(m + half))
    for k1, n1, k0, n0 in ((3, 10, 7, 12), (50, 90, 20, 95), (1, 40, 0, 40)):
        pooled = (k1 + k0) / (n1 + n0)
        zz = (k1 / n1 - k0 / n0) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
        assert two_proportion_z(k1, n1, k0, n0) == pytest.approx(2 * stats.norm.sf(abs(zz)), rel=1e-12)
    assert two_proportion_z(10, 10, 12, 12) == 1.0


def test_t_interval():
    m, lo, hi = t_interval([1, 2, 3, 4, 5])
    half = stats.t.ppf(0.975, 4) * math.sqrt(2.5) / math.sqrt(5)
    assert (m, lo, hi) == (3.0, pytest.approx(3 - half), pytest.approx(3 + half))
    assert t_interval([4.0]) == (4.0, 4.0, 4.0)


def test_describe_binary_and_numeric():
    d = describe([True, False, True, True], binary=True)
    assert d["estimate"] == 0.75 and (d["ci_low"], d["ci_high"]) == wilson(3, 4)
    d = describe([1.0, 2.0, 3.0], binary=False)
    assert d["estimate"] == 2.0 and d["n"] == 3


@pytest.mark.parametrize("effect, low, high, p, direction, min_effect, expected", [
    (0.2, 0.1, 0.3, 0.001, "higher", 0.0, "supported"),
    (0.2, 0.1, 0.3, 0.001, "lower", 0.0, "contradicted"),
    (-0.2, -0.3, -0.1, 0.001, "lower", 0.0, "supported"),
    (0.05, -0.05, 0.15, 0.30, "higher", 0.0, "inconclusive"),
    (0.05, -0.05, 0.15, 0.30, "lower", 0.0, "inconclusive"),
    (0.05, 0.01, 0.09, 0.01, "higher", 0.10, "negligible"),     # significant, but the interval rules out 0.10
    (-0.0115, -0.018, -0.005, 0.001, "higher", 0.0, "negligible"),  # tiny and significant: counts neither way
    (0.01, 0.002, 0.05, 0.01, "higher", 0.0, "inconclusive"),   # tiny estimate, but a larger effect not ruled out
    (0.12, 0.01, 0.23, 0.03, "higher", 0.10, "supported"),
    (0.08, 0.01, 0.15, 0.03, "higher", 0.10, "inconclusive"),   # below the minimum, but 0.10 is still possible
    (-0.2, -0.3, -0.1, 0.001, "different", 0.0, "supported"),
    (0.01, -0.02, 0.04, 0.5, "different", 0.05, "contradicted"),  # equivalent within +-0.05
    (0.01, -0.02, 0.04, 0.5, "different", 0.0, "inconclusive"),
    (0.0, math.nan, math.nan, math.nan, "higher", 0.0, "inconclusive"),
])
def test_verdicts(effect, low, high, p, direction, min_effect, expected):
    assert verdict(effect, low, high, p, direction, 0.05, min_effect) == expected


def test_compare_binary_picks_fisher_for_small_counts_and_z_for_large():
    small = compare([1, 1, 1, 0], [0, 0, 0, 1], binary=True, direction="higher", alpha=0.05)
    assert small.test == "Fisher exact" and small.effect == 0.5 and small.verdict == "inconclusive"
    big = compare([1] * 60 + [0] * 40, [1] * 40 + [0] * 60, binary=True, direction="higher", alpha=0.05)
    assert big.test == "two-proportion z" and big.p_value == pytest.approx(0.004678, abs=1e-6)
    assert big.verdict == "supported" and big.effect == pytest.approx(0.2)
    assert (big.effect_low, big.effect_high) == newcombe(60, 100, 40, 100)


def test_compare_numeric_and_too_few_runs():
    c = compare([6, 7, 8, 9, 10], [1, 2, 3, 4, 5], binary=False, direction="lower", alpha=0.05)
    assert c.test == "Welch t" and c.effect == 5.0 and c.verdict == "contradicted"
    mw = compare([6, 7, 8, 9], [1, 2, 3, 4], binary=False, direction="higher", alpha=0.05, test="mannwhitney")
    assert mw.test == "Mann-Whitney U" and mw.p_value == pytest.approx(2 / 70) and mw.verdict == "supported"
    one = compare([1.0], [0.0, 1.0], binary=False, direction="higher", alpha=0.05)
    assert one.verdict == "inconclusive" and math.isnan(one.p_value)


# ------------------------------------------------------------------------------------------ paired samples
def test_newcombe_paired_without_correlation_is_the_independent_interval():
    # both * neither == only1 * only0 makes phi = 0: the interval is then Newcombe's for two samples of n
    both, only1, only0, neither = 4, 8, 2, 4          # 16 == 16
    n = both + only1 + only0 + neither
    lo, hi = newcombe_paired(both, only1, only0, neither)
    assert (lo, hi) == pytest.approx(newcombe(both + only1, n, both + only0, n))


def test_newcombe_paired_is_narrower_for_positively_correlated_pairs():
    n = 40
    independent = newcombe(20, n, 12, n)
    lo, hi = newcombe_paired(12, 8, 0, 20)      # the same proportions, every pair agreeing but eight
    assert lo > independent[0] and hi < independent[1]
    assert lo <= 8 / n <= hi and -1 <= lo and hi <= 1


def test_newcombe_paired_covers_the_true_difference():
    rng = np.random.default_rng(5)
    hits, trials, n = 0, 400, 60
    for _ in range(trials):
        latent = rng.random(n)
        x1, x0 = latent < 0.55, (latent + 0.3 * rng.random(n)) < 0.5    # correlated pairs
        d = paired_difference(x1, x0, binary=True)
        hits += d["low"] <= TRUE_DIFFERENCE <= d["high"]
    assert 0.90 <= hits / trials <= 0.99


# P(latent < 0.55) - P(latent + 0.3 u < 0.5) for independent uniforms latent, u:
# the second is the integral over u of (0.5 - 0.3 u) = 0.5 - 0.15 = 0.35, so the difference is 0.20
TRUE_DIFFERENCE = 0.20


def test_paired_t_for_numbers_matches_the_differences_t_interval():
    rng = np.random.default_rng(2)
    a = rng.normal(size=30)
    b = a - 0.5 + 0.1 * rng.normal(size=30)
    d = paired_difference(a, b, binary=False)
    mean, lo, hi = t_interval(a - b)
    assert d["difference"] == pytest.approx(mean) and (d["low"], d["high"]) == pytest.approx((lo, hi))
    assert d["method"] == "paired t" and d["n"] == 30
    assert paired_difference([1.0, 2.0], [1.0, 2.0], binary=False)["high"] == 0.0
