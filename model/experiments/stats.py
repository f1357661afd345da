"""Statistics of an experiment: intervals for each outcome and tests of each hypothesis, with a plain verdict.

Proportions get Wilson score intervals (good coverage near 0 and 1, where a normal interval fails), differences
of proportions Newcombe's hybrid score interval (method 10) built from them; means get t intervals and
differences of means Welch's interval. scipy.stats computes every interval and test it has; only Newcombe's
interval, which scipy lacks, is written out here. Tests are two-sided: Fisher's exact test for binary outcomes when an
expected cell count is below 5, else the two-proportion z test; Welch's t test (or Mann-Whitney U on request)
for numeric outcomes. Runs of different cells have independent seeds, so the samples are independent.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass
from typing import Sequence

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
FISHER_BELOW = 5.0      # smallest expected cell count for the z test; below it Fisher's exact test is used


def wilson(k: int, n: int, conf: float = CONFIDENCE) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials (scipy's binomtest)."""
    if n <= 0:
        return (math.nan, math.nan)
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=conf, method="wilson")
    return (float(ci.low), float(ci.high))


def newcombe(k1: int, n1: int, k0: int, n0: int, conf: float = CONFIDENCE) -> tuple[float, float]:
    """Interval for p1 - p0 from the two Wilson intervals (Newcombe 1998, method 10)."""
    p1, p0 = k1 / n1, k0 / n0
    l1, u1 = wilson(k1, n1, conf)
    l0, u0 = wilson(k0, n0, conf)
    d = p1 - p0
    return (d - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2))


def t_interval(x: Sequence[float], conf: float = CONFIDENCE) -> tuple[float, float, float]:
    """(mean, low, high): Student t interval of the mean; a single value or no spread gives low = high = mean."""
    a = np.asarray(x, dtype=float)
    if a.size == 0:
        return (math.nan, math.nan, math.nan)
    m = float(a.mean())
    if a.size < 2 or float(a.std(ddof=1)) == 0.0:
        return (m, m, m)
    ci = stats.ttest_1samp(a, 0.0).confidence_interval(confidence_level=conf)
    return (m, float(ci.low), float(ci.high))


def two_proportion_z(k1: int, n1: int, k0: int, n0: int) -> float:
    """Two-sided p-value of the pooled two-proportion z test: Pearson's chi-square test of the 2x2 table without
    continuity correction, which is the same test (chi-square = z squared)."""
    if k1 + k0 in (0, n1 + n0):           # no spread at all: the proportions cannot differ
        return 1.0
    table = [[k1, n1 - k1], [k0, n0 - k0]]
    return float(stats.chi2_contingency(table, correction=False).pvalue)


def fisher(k1: int, n1: int, k0: int, n0: int) -> float:
    """Two-sided p-value of Fisher's exact test on the 2x2 table."""
    return float(stats.fisher_exact([[k1, n1 - k1], [k0, n0 - k0]], alternative="two-sided").pvalue)


def welch(x1: Sequence[float], x0: Sequence[float], conf: float = CONFIDENCE) -> tuple[float, float, float, float]:
    """(mean1 - mean0, low, high, two-sided p) by Welch's unequal-variance t; no spread at all is handled exactly."""
    a, b = np.asarray(x1, dtype=float), np.asarray(x0, dtype=float)
    d = float(a.mean() - b.mean())
    if float(a.var(ddof=1)) + float(b.var(ddof=1)) == 0:
        return (d, d, d, 1.0 if d == 0 else 0.0)
    with warnings.catch_warnings():
        if float(a.var(ddof=1)) == 0 or float(b.var(ddof=1)) == 0:
            # one group is constant, exactly: scipy's caution about nearly identical values does not apply
            warnings.simplefilter("ignore", RuntimeWarning)
        res = stats.ttest_ind(a, b, equal_var=False)
        ci = res.confidence_interval(confidence_level=conf)
    return (d, float(ci.low), float(ci.high), float(res.pvalue))


def mann_whitney(x1: Sequence[float], x0: Sequence[float]) -> float:
    a, b = np.asarray(x1, dtype=float), np.asarray(x0, dtype=float)
    if np.ptp(np.concatenate([a, b])) == 0:
        return 1.0
    return float(stats.mannwhitneyu(a, b, alternative="two-sided").pvalue)


def verdict(effect: float, low: float, high: float, p: float, direction: str, alpha: float,
            min_effect: float = 0.0) -> str:
    """supported / contradicted / inconclusive.

    `higher`: supported when the test rejects equality (p < alpha) with arm > versus by at least min_effect;
    contradicted when it rejects equality with arm < versus, or (min_effect > 0) when the whole interval lies
    below min_effect (the data rule out an effect as large as claimed); otherwise inconclusive. `lower` mirrors
    it. `different`: supported when p < alpha and |effect| >= min_effect; contradicted only when min_effect > 0
    and the interval lies inside (-min_effect, min_effect)."""
    if any(math.isnan(v) for v in (effect, p)):
        return "inconclusive"
    significant = p < alpha
    if direction == "different":
        if significant and abs(effect) >= min_effect:
            return "supported"
        if min_effect > 0 and -min_effect < low and high < min_effect:
            return "contradicted"
        return "inconclusive"
    sign = 1.0 if direction == "higher" else -1.0
    e, lo, hi = sign * effect, min(sign * low, sign * high), max(sign * low, sign * high)
    if significant and e > 0 and e >= min_effect:
        return "supported"
    if (significant and e < 0) or (min_effect > 0 and hi < min_effect):
        return "contradicted"
    return "inconclusive"


@dataclass
class Comparison:
    n_arm: int
    n_versus: int
    estimate_arm: float
    estimate_versus: float
    effect: float
    effect_low: float
    effect_high: float
    p_value: float
    test: str
    verdict: str

    def as_dict(self) -> dict:
        return asdict(self)


def compare(x1: Sequence[float], x0: Sequence[float], *, binary: bool, direction: str, alpha: float,
            min_effect: float = 0.0, test: str = "auto", conf: float = CONFIDENCE) -> Comparison:
    """Effect (arm - versus), its interval, a two-sided p-value from a suitable test, and the verdict."""
    a, b = np.asarray(x1, dtype=float), np.asarray(x0, dtype=float)
    n1, n0 = int(a.size), int(b.size)
    if n1 < 2 or n0 < 2:
        m1 = float(a.mean()) if n1 else math.nan
        m0 = float(b.mean()) if n0 else math.nan
        return Comparison(n1, n0, m1, m0, m1 - m0, math.nan, math.nan, math.nan, "none (fewer than 2 runs)",
                          "inconclusive")
    if binary:
        k1, k0 = int(a.sum()), int(b.sum())
        lo, hi = newcombe(k1, n1, k0, n0, conf)
        pooled = (k1 + k0) / (n1 + n0)
        expected = min(n1, n0) * min(pooled, 1 - pooled)
        name = test if test != "auto" else ("fisher" if expected < FISHER_BELOW else "z")
        p = fisher(k1, n1, k0, n0) if name == "fisher" else two_proportion_z(k1, n1, k0, n0)
        effect, label = k1 / n1 - k0 / n0, {"fisher": "Fisher exact", "z": "two-proportion z"}[name]
    else:
        effect, lo, hi, p = welch(a, b, conf)
        name = "welch" if test == "auto" else test
        if name == "mannwhitney":
            p = mann_whitney(a, b)
        label = {"welch": "Welch t", "mannwhitney": "Mann-Whitney U"}[name]
    return Comparison(n1, n0, float(a.mean()), float(b.mean()), effect, lo, hi, p, label,
                      verdict(effect, lo, hi, p, direction, alpha, min_effect))


def describe(x: Sequence[float], *, binary: bool, conf: float = CONFIDENCE) -> dict:
    """An outcome over runs: probability with its Wilson interval, or mean with its t interval, and the spread."""
    a = np.asarray(x, dtype=float)
    n = int(a.size)
    if binary:
        k = int(a.sum())
        lo, hi = wilson(k, n, conf)
        return {"n": n, "estimate": k / n if n else math.nan, "ci_low": lo, "ci_high": hi,
                "sd": float(a.std(ddof=1)) if n > 1 else math.nan}
    m, lo, hi = t_interval(a, conf)
    return {"n": n, "estimate": m, "ci_low": lo, "ci_high": hi, "sd": float(a.std(ddof=1)) if n > 1 else math.nan}
