"""Statistics of an experiment: intervals for each outcome and tests of each hypothesis, with a plain verdict.

Proportions get Wilson score intervals (good coverage near 0 and 1, where a normal interval fails), differences
of proportions Newcombe's hybrid score interval (method 10) built from them; means get t intervals and
differences of means Welch's interval. scipy.stats computes every interval and test it has; only Newcombe's
interval, which scipy lacks, is written out here. Tests are two-sided: Fisher's exact test for binary outcomes when an
expected cell count is below 5, else the two-proportion z test; Welch's t test (or Mann-Whitney U on request)
for numeric outcomes. Runs of different cells have independent seeds, so the samples are independent.
"""
from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from model.config.experiment import NEGLIGIBLE_EFFECT

CONFIDENCE = 0.95
FISHER_BELOW = 5.0      # smallest expected cell count for the z test; below it Fisher's exact test is used


@functools.lru_cache(maxsize=4096)     # a report asks for the same few (k, n) many times (each turn of each arm)
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


def t_interval(x: ArrayLike, conf: float = CONFIDENCE) -> tuple[float, float, float]:
    """(mean, low, high): Student t interval of the mean; a single value or no spread gives low = high = mean."""
    a = np.asarray(x, dtype=float)
    if a.size == 0:
        return (math.nan, math.nan, math.nan)
    m = float(a.mean())
    if a.size < 2 or np.ptp(a) == 0 or float(a.std(ddof=1)) == 0.0:
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


def welch(x1: ArrayLike, x0: ArrayLike, conf: float = CONFIDENCE) -> tuple[float, float, float, float]:
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


def mann_whitney(x1: ArrayLike, x0: ArrayLike) -> float:
    """Two-sided p-value of the Mann-Whitney U test; two samples of one constant value cannot differ (p = 1)."""
    a, b = np.asarray(x1, dtype=float), np.asarray(x0, dtype=float)
    if np.ptp(np.concatenate([a, b])) == 0:
        return 1.0
    return float(stats.mannwhitneyu(a, b, alternative="two-sided").pvalue)


def verdict(effect: float, low: float, high: float, p: float, direction: str, alpha: float,
            min_effect: float = 0.0) -> str:
    """supported / contradicted / negligible / inconclusive.

    A significant effect smaller than the smallest effect that matters (min_effect, or NEGLIGIBLE_EFFECT when the
    hypothesis sets none) counts neither way, however many runs made it significant: `negligible` when its whole
    interval lies within that size, else inconclusive.

    `higher`: supported when the test rejects equality (p < alpha) with arm > versus by at least min_effect;
    contradicted when it rejects equality with arm < versus, or (min_effect > 0) when the whole interval lies
    below min_effect (the data rule out an effect as large as claimed); otherwise inconclusive. `lower` mirrors
    it. `different`: supported when p < alpha and |effect| >= min_effect; contradicted only when min_effect > 0
    and the interval lies inside (-min_effect, min_effect)."""
    if any(math.isnan(v) for v in (effect, p)):
        return "inconclusive"
    significant = p < alpha
    smallest = min_effect if min_effect > 0 else NEGLIGIBLE_EFFECT
    if significant and abs(effect) < smallest:
        return "negligible" if -smallest < low and high < smallest else "inconclusive"
    if direction == "different":
        if significant and abs(effect) >= min_effect:
            return "supported"
        if min_effect > 0 and -min_effect < low and high < min_effect:
            return "contradicted"
        return "inconclusive"
    sign = 1.0 if direction == "higher" else -1.0
    e, hi = sign * effect, max(sign * low, sign * high)
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


def compare(x1: ArrayLike, x0: ArrayLike, *, binary: bool, direction: str, alpha: float,
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


def describe(x: ArrayLike, *, binary: bool, conf: float = CONFIDENCE) -> dict:
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


# ------------------------------------------------------------------------------------------ input draws
INPUT_SPREAD = (5, 95)  # percentiles of the draws' expected outcome shown as the inputs' spread


def describe_draws(x: ArrayLike, groups: Sequence[int], *, binary: bool, conf: float = CONFIDENCE) -> dict:
    """An outcome over runs that come in groups of one input draw each (`uncertainty:`; a group = a cell).

    The draw is the unit: the estimate is the mean over runs, its interval the t interval of the groups' means
    (so it carries the variation the inputs cause, not only seed noise; for a probability too). One-way
    random-effects ANOVA splits the run-to-run variance: tau^2 = max(0, var(group means) - within / R) is the
    part due to the inputs, `input_share` = tau^2 / (tau^2 + within). `input_low`..`input_high` is the 5th-95th
    percentile of the group means shrunk toward the mean until their variance is tau^2 (the seed noise of R runs
    per draw taken out): the range of the expected outcome across the inputs' ranges."""
    a = np.asarray(x, dtype=float)
    g = np.asarray(groups)
    n = int(a.size)
    out = {"n": n, "estimate": math.nan, "ci_low": math.nan, "ci_high": math.nan, "sd": math.nan, "draws": 0,
           "input_low": math.nan, "input_high": math.nan, "input_share": math.nan}
    if n == 0:
        return out
    _, inv = np.unique(g, return_inverse=True)
    counts = np.bincount(inv)
    means = np.bincount(inv, weights=a) / counts
    k = int(means.size)
    m = float(a.mean())
    _, lo, hi = t_interval(means.tolist(), conf)
    out.update(n=n, estimate=m, ci_low=lo, ci_high=hi, sd=float(a.std(ddof=1)) if n > 1 else math.nan, draws=k)
    if k < 2:
        return out
    if np.ptp(a) == 0:                  # nothing varies: no part of the (zero) variance is the inputs'
        out.update(input_low=m, input_high=m, input_share=0.0)
        return out
    between = float(means.var(ddof=1))
    dev = a - means[inv]
    within_df = n - k
    within = float((dev ** 2).sum() / within_df) if within_df > 0 else 0.0
    r = n / k
    tau2 = max(0.0, between - within / r)
    total = tau2 + within
    out["input_share"] = tau2 / total if total > 0 else 0.0
    scale = math.sqrt(tau2 / between) if between > 0 else 0.0
    shrunk = means.mean() + scale * (means - means.mean())
    out["input_low"], out["input_high"] = (float(v) for v in np.percentile(shrunk, INPUT_SPREAD))
    return out


def compare_paired(x1: ArrayLike, x0: ArrayLike, *, direction: str, alpha: float,
                   min_effect: float = 0.0, conf: float = CONFIDENCE, n_arm: int | None = None,
                   n_versus: int | None = None) -> Comparison:
    """Effect (arm - versus) from paired per-draw means (the arms share the draws): a one-sample t test and
    interval on the draws' differences, for binary and numeric outcomes alike."""
    a, b = np.asarray(x1, dtype=float), np.asarray(x0, dtype=float)
    k = int(min(a.size, b.size))
    n1 = n_arm if n_arm is not None else int(a.size)
    n0 = n_versus if n_versus is not None else int(b.size)
    label = f"paired t over {k} draws"
    m1 = float(a.mean()) if a.size else math.nan
    m0 = float(b.mean()) if b.size else math.nan
    if k < 2 or a.size != b.size:
        return Comparison(n1, n0, m1, m0, m1 - m0, math.nan, math.nan, math.nan,
                          "none (fewer than 2 paired draws)", "inconclusive")
    d = a - b
    effect = float(d.mean())
    if np.ptp(d) == 0 or float(d.std(ddof=1)) == 0.0:
        lo = hi = effect
        p = 1.0 if effect == 0 else 0.0
    else:
        res = stats.ttest_1samp(d, 0.0)
        ci = res.confidence_interval(confidence_level=conf)
        lo, hi, p = float(ci.low), float(ci.high), float(res.pvalue)
    return Comparison(n1, n0, m1, m0, effect, lo, hi, p, label, verdict(effect, lo, hi, p, direction, alpha,
                                                                        min_effect))


# ------------------------------------------------------------------------------------------ paired samples
def newcombe_paired(both: int, only1: int, only0: int, neither: int,
                    conf: float = CONFIDENCE) -> tuple[float, float]:
    """Interval for p1 - p0 of paired binary outcomes (Newcombe 1998, "Improved confidence intervals for the
    difference between binomial proportions based on paired data", method 10): the two Wilson intervals combined
    with the correlation of the pairs (phi, shrunk by n/2 towards 0 when positive, as Newcombe does).

    both: pairs with 1 in each sample, only1 / only0: 1 in one sample only, neither: 0 in each."""
    n = both + only1 + only0 + neither
    if n <= 0:
        return (math.nan, math.nan)
    k1, k0 = both + only1, both + only0
    p1, p0 = k1 / n, k0 / n
    l1, u1 = wilson(k1, n, conf)
    l0, u0 = wilson(k0, n, conf)
    margins = (both + only1) * (only0 + neither) * (both + only0) * (only1 + neither)
    cross = both * neither - only1 * only0
    if margins == 0:
        phi = 0.0
    elif cross > 0:
        phi = max(cross - n / 2, 0.0) / math.sqrt(margins)
    else:
        phi = cross / math.sqrt(margins)
    d = p1 - p0
    below = math.sqrt(max((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u0 - p0) + (u0 - p0) ** 2, 0.0))
    above = math.sqrt(max((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p0 - l0) + (p0 - l0) ** 2, 0.0))
    return (max(d - below, -1.0), min(d + above, 1.0))


def paired_difference(x1: Sequence[float] | np.ndarray, x0: Sequence[float] | np.ndarray, *, binary: bool,
                      conf: float = CONFIDENCE) -> dict:
    """Mean of x1 - x0 over pairs (the same seed in both samples) with its interval: Newcombe's paired interval for
    binary outcomes, the paired t interval (scipy.stats.ttest_rel) for numbers; no spread at all gives low = high."""
    a, b = np.asarray(x1, dtype=float), np.asarray(x0, dtype=float)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("paired samples need the same length")
    n = int(a.size)
    out: dict[str, Any] = {"n": n, "a": float(a.mean()) if n else math.nan, "b": float(b.mean()) if n else math.nan,
           "difference": float((a - b).mean()) if n else math.nan, "low": math.nan, "high": math.nan}
    if n == 0:
        return out
    if binary:
        one, zero = a.astype(bool), b.astype(bool)
        out["low"], out["high"] = newcombe_paired(int((one & zero).sum()), int((one & ~zero).sum()),
                                                  int((~one & zero).sum()), int((~one & ~zero).sum()), conf)
        out["method"] = "Newcombe paired (method 10)"
        return out
    d = a - b
    out["method"] = "paired t"
    if n < 2 or np.ptp(d) == 0:
        out["low"] = out["high"] = out["difference"]
        return out
    ci = stats.ttest_rel(a, b).confidence_interval(confidence_level=conf)
    out["low"], out["high"] = float(ci.low), float(ci.high)
    return out
