"""Bueno de Mesquita's expected-utility ("group decision") model, as reconstructed by Scholz, Calbert & Smith
(2011), "Unravelling Bueno de Mesquita's group decision model", J. Theoretical Politics 23(4): 510-531 (SCS).

Why it is here: every wargame issue (Russian basing, SDF integration, ...) advances one bargaining round per turn,
so this is a pure, deterministic numpy core (no Mesa, no rng); one round for 13 actors costs ~0.15 ms.

Inputs per actor i: capability c_i >= 0 (only ratios matter), position x_i on a scale [lo, hi] (default [0, 100])
and salience s_i in 0..1 or 0..100 (if any value exceeds 1, all are read as percentages and divided by 100).
With d_ij = |x_i - x_j| / (hi - lo), one round (the SCS appendix, steps 2-11) is:

1. the weighted mean sum(c s x) / sum(c s) and the median-voter position mu (see choice 6);
2. P_ij, i's probability of beating j: the votes c_k s_k (|x_k - x_j| - |x_k - x_i|) of the k that prefer x_i,
   over all votes cast, sum_k c_k s_k ||x_k - x_j| - |x_k - x_i|| (SCS section 4), so P_ij + P_ji = 1;
3. utilities with exponent r: U_s = 2 - 4(0.5 - 0.5 d_ij)^r, U_f = 2 - 4(0.5 + 0.5 d_ij)^r,
   U_b, U_w = 2 - 4(0.5 -/+ 0.25 (|x_i - mu| + |x_i - x_j|) / (hi - lo))^r, U_sq = 2 - 4 * 0.5^r, and
   E(U_ij) = s_j (P_ij U_s + (1 - P_ij) U_f) + (1 - s_j) U_s - Q U_sq - (1 - Q)(T U_b + (1 - T) U_w)  (SCS 2.2);
4. with every r = 1, i's danger is sum_{j != i} E(U_ji); R_i = (2 danger_i - max - min) / (max - min) over the
   actors' dangers and r_i = (1 - R_i/k) / (1 + R_i/k), k = (r_max + 1) / (r_max - 1): k = 3 for the default
   r_max = 2, which is SCS's r = (1 - R/3) / (1 + R/3), so r lies in [1/r_max, r_max] = [0.5, 2] (SCS section 5);
5. expected utilities again with the r_i, each pair classified in the octant diagram, and every actor moves to
   its best offer (SCS section 6).

Choices where the literature is ambiguous (each one a decision of this module):
1. P_ij uses risk-neutral distances and only positive votes in the numerator, as SCS print it; not Masad's
   (github.com/dmasad/BDM_DecisionModel_Replication) net-vote variant nor the all-triples denominator that
   jmckib/bdm-scholz-expected-utility-model attributes to SCS's code. With no votes cast, P = 0.5.
2. Salience is the target's probability of resisting, so E(U_ji) uses s_i: SCS print s_j in both E(U_ij) and
   E(U_ji); like Masad we read the second as a typo.
3. Perception: actor i evaluates both E^i(U_ij) and E^i(U_ji) with its own r_i (SCS's E^i notation, read as
   jmckib and Masad do).
4. Risk uses the first pass with all r = 1; if every danger is equal, R = 0 and r = 1.
5. mu in U_b / U_w is the round's median-voter position (SCS step 3), not the mean (matters only if Q < 1).
6. Median voter: the actor position that wins every pairwise vote c_k s_k (|x_k - x_b| - |x_k - x_a|) (r = 1)
   -- the BDM median voter, which for these votes is the position with the least weighted L1 distance sum_k
   c_k s_k |x_k - x|; ties go to the one nearest the weighted mean, then to the lowest.
7. Octants, from the receiver i's view (EU_ij = E^i(U_ij), EU_ji = E^i(U_ji)): confrontation that i loses,
   EU_ji > EU_ij > 0: i moves to x_j; compromise, EU_ij <= 0 < EU_ji and |EU_ij| < EU_ji: i moves to
   x_i + (x_j - x_i) |EU_ij / EU_ji|; capitulation, EU_ij <= 0 < EU_ji and |EU_ij| >= EU_ji: i moves to x_j
   (as Masad and jmckib read SCS). Other cells (i wins, both negative) make no offer; nor do equal positions.
8. Best offer: the one needing the smallest move (SCS's text and BDM 1994 as jmckib reads them: an actor takes
   the proposal closest to its own position), not the kind priority confrontation > compromise > capitulation
   that jmckib reports in SCS's code. Ties go to the proposer with the larger EU_ji, then to the lower index.
9. Moves are simultaneous: all offers of a round are computed from the positions at its start.
10. Distances are normalised by the declared scale (hi - lo), not by the current spread of positions.

Reporting: RoundResult k holds the state at the start of round k (round 0 = the input), the statistics and risk
exponents computed on it, the offers made in it, and new_positions, the start of round k + 1.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np

from model.theory.defaults import DEFAULT_ROUNDS

DEFAULT_SCALE: tuple[float, float] = (0.0, 100.0)
DEFAULT_Q = 1.0  # probability that the target's position stays put absent a challenge (SCS: 1)
DEFAULT_T = 1.0  # probability that a change without challenge is for the better (SCS: 1; only used if Q < 1)
DEFAULT_RISK_MAX = 2.0  # r lies in [1/risk_max, risk_max]; 2 gives SCS's r = (1 - R/3) / (1 + R/3)

NONE, CONFRONTATION, COMPROMISE, CAPITULATION = 0, 1, 2, 3
_HALVES = np.array([-0.5, 0.5])[:, None, None, None]   # the bases of U_s and U_f per unit of distance
KINDS = {CONFRONTATION: "confrontation", COMPROMISE: "compromise", CAPITULATION: "capitulation"}


@dataclass(frozen=True)
class Offer:
    """A proposal from `sender` that `receiver` move to `position` (indices into the actor arrays)."""

    sender: int
    receiver: int
    kind: str
    position: float
    accepted: bool


@dataclass(frozen=True, eq=False)
class RoundResult:
    """One round: the state it starts from, what was computed on it and where the actors end up."""

    positions: np.ndarray  # (n,) positions at the start of the round
    mean: float  # sum(c s x) / sum(c s)
    median: float  # the BDM median-voter position (module docstring, choice 6)
    risk: np.ndarray  # (n,) risk exponents r_i used in this round
    danger: np.ndarray  # (n,) sum_{j != i} E(U_ji) with every r = 1: how much the others gain by challenging i
    eu_challenge: np.ndarray  # (n, n) [i, j] = E^i(U_ij): i's expected utility of challenging j
    eu_threat: np.ndarray  # (n, n) [i, j] = E^i(U_ji): j's expected utility of challenging i, as i sees it
    offer_kind: np.ndarray  # (n, n) [receiver, sender]: NONE, CONFRONTATION, COMPROMISE or CAPITULATION
    offer_position: np.ndarray  # (n, n) [receiver, sender]: proposed position (nan without an offer)
    accepted: np.ndarray  # (n,) sender whose offer each actor accepted, -1 for none
    new_positions: np.ndarray  # (n,) positions at the start of the next round

    @cached_property
    def offers(self) -> list[Offer]:
        """Every offer made in the round, ordered by receiver then sender (built on demand: it is a Python loop)."""
        rows, cols = np.nonzero(self.offer_kind)
        return [Offer(int(s), int(r), KINDS[int(self.offer_kind[r, s])], float(self.offer_position[r, s]),
                      bool(self.accepted[r] == s)) for r, s in zip(rows, cols, strict=True)]


@dataclass(frozen=True)
class Issue:
    """Named inputs for one issue: the CLI and the wargame build one, then call `simulate`."""

    names: tuple[str, ...]
    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    scale: tuple[float, float] = DEFAULT_SCALE
    options: dict = field(default_factory=dict)  # Q, T, risk_max passed on to bargain_round

    def simulate(self, rounds: int = DEFAULT_ROUNDS) -> list[RoundResult]:
        """Rounds 0..rounds for this issue."""
        return simulate(self.capability, self.position, self.salience, rounds=rounds, scale=self.scale,
                        **self.options)


def normalise_salience(salience: np.ndarray | Sequence[float]) -> np.ndarray:
    """Salience as 0..1: a vector with any value above 1 is read as percentages (0..100)."""
    s = np.asarray(salience, dtype=float)
    return s / 100.0 if s.size and s.max() > 1.0 else s


def _check(capability: np.ndarray | Sequence[float], position: np.ndarray | Sequence[float],
           salience: np.ndarray | Sequence[float],
           scale: Sequence[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    c, x = np.asarray(capability, dtype=float), np.asarray(position, dtype=float)
    s = normalise_salience(salience)
    lo, hi = float(scale[0]), float(scale[1])
    if not c.ndim == x.ndim == s.ndim == 1 or not c.shape == x.shape == s.shape or c.size < 2:
        raise ValueError("capability, position and salience must be 1-d arrays of the same length >= 2")
    if not np.all(np.isfinite(c) & np.isfinite(x) & np.isfinite(s)) or not hi > lo:
        raise ValueError("inputs must be finite and the scale must have lo < hi")
    if c.min() < 0 or s.min() < 0 or s.max() > 1:
        raise ValueError("capability must be >= 0 and salience in 0..1 (or 0..100)")
    if x.min() < lo or x.max() > hi:
        raise ValueError(f"positions must lie within the scale [{lo:g}, {hi:g}]")
    if not np.dot(c, s) > 0:
        raise ValueError("at least one actor needs positive capability and salience")
    return c, x, s, lo, hi


def weighted_mean(capability: np.ndarray | Sequence[float], position: np.ndarray | Sequence[float],
                  salience: np.ndarray | Sequence[float]) -> float:
    """The capability- and salience-weighted mean position, sum(c s x) / sum(c s)."""
    w = np.asarray(capability, dtype=float) * normalise_salience(salience)
    return float(np.dot(w, position) / w.sum())


def median_voter(capability: np.ndarray | Sequence[float], position: np.ndarray | Sequence[float],
                 salience: np.ndarray | Sequence[float]) -> float:
    """The actor position that beats every other in c*s-weighted pairwise votes (module docstring, choice 6)."""
    x = np.asarray(position, dtype=float)
    w = np.asarray(capability, dtype=float) * normalise_salience(salience)
    return _median(x, w, np.abs(x[:, None] - x[None, :]))


def _median(x: np.ndarray, w: np.ndarray, absdiff: np.ndarray) -> float:
    return float(_medians(x[None], w[None], absdiff[None])[0])


def _medians(x: np.ndarray, w: np.ndarray, absdiff: np.ndarray) -> np.ndarray:
    """Median voter per issue; x, w (k, n), absdiff (k, n, n). When every issue has a single least-cost position
    (the common case) it is returned without the tie-breaking steps, which would pick it anyway."""
    # votes(a over b) = sum_k w_k (|x_k - x_b| - |x_k - x_a|) >= 0 for all b  <=>  a minimises sum_k w_k |x_k - x_a|
    cost = np.einsum("kj,kji->ki", w, absdiff)
    low, high = np.minimum.reduce(cost, axis=1), np.maximum.reduce(np.abs(cost), axis=1)
    tied = cost <= (low + 1e-12 * (high + 1.0))[:, None]
    first = x[np.arange(x.shape[0]), tied.argmax(axis=1)]
    if (tied.sum(axis=1) == 1).all():
        return first
    # the common tie: actors at the very same position (bit for bit), which the steps below pick too once the
    # weighted mean is defined
    if not np.count_nonzero(tied & (x.view(np.int64) != first.view(np.int64)[:, None])) and \
            (np.add.reduce(w, axis=1) > 0).all():
        return first
    mean = np.add.reduce((w * x), axis=1) / np.add.reduce(w, axis=1)
    cand = np.where(tied, np.abs(x - mean[:, None]), np.inf)
    closest, widest = np.minimum.reduce(cand, axis=1), np.maximum.reduce(np.abs(x), axis=1)
    near = cand <= (closest + 1e-12 * (widest + 1.0))[:, None]
    return np.minimum.reduce(np.where(near, x, np.inf), axis=1)


def _utility(base: np.ndarray, r_rows: np.ndarray) -> np.ndarray:
    """SCS's utility 2 - 4 base^r, with each row raised to its perceiver's exponent (r_rows: (..., n))."""
    return 2.0 - 4.0 * np.power(np.clip(base, 0.0, None), r_rows[..., :, None])


def _expected_utility(dist: np.ndarray, dmu: np.ndarray, p: np.ndarray, s_target: np.ndarray, r_rows: np.ndarray,
                      Q: float, T: float) -> np.ndarray:
    """E(U) of the challenger against the target, every argument an (..., n, n) array or a broadcastable one."""
    u_s = _utility(0.5 - 0.5 * dist, r_rows)
    u_f = _utility(0.5 + 0.5 * dist, r_rows)
    eu = s_target * (p * u_s + (1.0 - p) * u_f) + (1.0 - s_target) * u_s \
        - Q * (2.0 - 4.0 * 0.5 ** r_rows)[..., :, None]
    if Q != 1.0:
        spread = 0.25 * (dmu + dist)
        eu -= (1.0 - Q) * (T * _utility(0.5 - spread, r_rows) + (1.0 - T) * _utility(0.5 + spread, r_rows))
    return eu


def _combine(p: np.ndarray, u_s: np.ndarray, u_f: np.ndarray, s_target: np.ndarray) -> np.ndarray:
    """s_t (P U_s + (1 - P) U_f) + (1 - s_t) U_s: the part of E(U) that _expected_utility computes first."""
    return s_target * (p * u_s + (1.0 - p) * u_f) + (1.0 - s_target) * u_s


def _worse_or_better(dist: np.ndarray, dmu: np.ndarray, r_col: np.ndarray | None, Q: float | np.ndarray,
                     T: float | np.ndarray) -> np.ndarray:
    """(1 - Q)(T U_b + (1 - T) U_w), as in _expected_utility (r_col None: every r = 1)."""
    spread = 0.25 * (dmu + dist)
    if r_col is None:
        r_col = np.ones(dist.shape[:-1])[..., :, None]
    return (1.0 - Q) * (T * _utility(0.5 - spread, r_col[..., :, 0]) + (1.0 - T) * _utility(0.5 + spread,
                                                                                           r_col[..., :, 0]))


def _risk(danger: np.ndarray, risk_max: float) -> np.ndarray:
    """Risk exponents from the danger levels (..., n): the most threatened actor gets 1/risk_max, the safest
    risk_max."""
    hi, lo = np.maximum.reduce(danger, axis=-1, keepdims=True), np.minimum.reduce(danger, axis=-1, keepdims=True)
    spread = hi - lo
    # "flat": every danger equal (to a relative 1e-12); decided per issue in Python floats (the same comparisons)
    if any(s <= 1e-12 * max(abs(h), abs(low), 1.0)
           for h, low, s in zip(hi.ravel().tolist(), lo.ravel().tolist(), spread.ravel().tolist(), strict=True)):
        flat = spread <= 1e-12 * np.maximum(np.maximum(np.abs(hi), np.abs(lo)), 1.0)
        q = np.where(flat, 0.0, (2.0 * danger - hi - lo) / np.where(flat, 1.0, spread))
    else:                       # the same values without the two selections (the common case), in place
        q = 2.0 * danger
        q -= hi
        q -= lo
        q /= spread
    q /= (risk_max + 1.0) / (risk_max - 1.0)
    r = 1.0 - q
    q += 1.0
    r /= q
    np.maximum(r, 1.0 / risk_max, out=r)
    return np.minimum(r, risk_max, out=r)       # np.clip's values


def bargain_round(capability: np.ndarray | Sequence[float], position: np.ndarray | Sequence[float],
                  salience: np.ndarray | Sequence[float], *, scale: tuple[float, float] = DEFAULT_SCALE,
                  Q: float = DEFAULT_Q, T: float = DEFAULT_T, risk: np.ndarray | Sequence[float] | None = None,
                  risk_max: float = DEFAULT_RISK_MAX) -> RoundResult:
    """One round of the model on the given state (steps 1-5 of the module docstring).

    `risk` fixes the exponents (skipping step 4); Q, T and risk_max are SCS's tunables with SCS's defaults.
    """
    c, x, s, lo, hi = _check(capability, position, salience, scale)
    if not risk_max > 1.0:
        raise ValueError("risk_max must be > 1")
    if risk is not None:
        risk = np.asarray(risk, dtype=float)
        if risk.shape != x.shape or not np.all(risk > 0):
            raise ValueError("risk must hold one positive exponent per actor")
        risk = risk[None]
    out = _rounds(c, x[None], s[None], np.array([lo]), np.array([hi]), Q, T, risk, risk_max)
    one = {k: v[0] for k, v in out.items()}
    return RoundResult(positions=x, mean=float(one["mean"]), median=float(one["median"]), risk=one["risk"],
                       danger=one["danger"], eu_challenge=one["eu_ij"], eu_threat=one["eu_ji"],
                       offer_kind=one["kind"], offer_position=one["proposed"], accepted=one["accepted"],
                       new_positions=one["new_x"])


def bargain_rounds(capability: np.ndarray, positions: np.ndarray, salience: np.ndarray, scale: np.ndarray, *,
                   Q: float = DEFAULT_Q, T: float = DEFAULT_T, risk_max: float = DEFAULT_RISK_MAX,
                   offers: bool = False) -> tuple[np.ndarray, ...]:
    """One round on k issues at once (the wargame's per-turn call): positions, salience (k, n), scale (k, 2).

    Inputs are trusted (the scenario validated them). Returns new positions (k, n), means (k,), medians (k,);
    with `offers=True` also the sender whose offer each actor accepted (k, n; -1 for none) and the kinds of all
    offers (k, n, n; [issue, receiver, sender] = NONE, CONFRONTATION, COMPROMISE or CAPITULATION, as
    RoundResult.offer_kind), so a caller can tell who moved whom and how: the accepted offer's kind is
    kinds[q, i, accepted[q, i]]. The first three results are the same either way."""
    out = _rounds(np.asarray(capability, dtype=float), positions, normalise_salience(salience), scale[:, 0],
                  scale[:, 1], Q, T, None, risk_max)
    if not offers:
        return out["new_x"], out["mean"], out["median"]
    return out["new_x"], out["mean"], out["median"], out["accepted"], out["kind"]


def bargain_moves(capability: np.ndarray, positions: np.ndarray, salience: np.ndarray, scale: np.ndarray, *,
                  Q: float = DEFAULT_Q, T: float = DEFAULT_T,
                  risk_max: float = DEFAULT_RISK_MAX) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`bargain_rounds(..., offers=True)` without the round's statistics (mean and median of the positions at its
    start), for a caller that only moves the actors: new positions (k, n), accepted senders (k, n) and the offers'
    kinds (k, n, n), the same values."""
    out = _rounds(np.asarray(capability, dtype=float), positions, normalise_salience(salience), scale[:, 0],
                  scale[:, 1], Q, T, None, risk_max, stats=False)
    return out["new_x"], out["accepted"], out["kind"]


def median_voters(capability: np.ndarray, positions: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """The median-voter position (module docstring, choice 6) of k issues at once: positions, salience (k, n).

    The same rule as `_medians`; when every issue has a single least-cost position (the common case) it is
    returned without the tie-breaking steps, which would pick it anyway."""
    x = np.asarray(positions, dtype=float)
    w = np.asarray(capability, dtype=float)[None, :] * normalise_salience(salience)
    return _medians(x, w, np.abs(x[:, :, None] - x[:, None, :]))


def _rounds(c: np.ndarray, x: np.ndarray, s: np.ndarray, lo: np.ndarray, hi: np.ndarray, Q: float, T: float,
            risk: np.ndarray | None, risk_max: float, stats: bool = True) -> dict[str, np.ndarray]:
    """The round on k issues stacked on axis 0: x, s (k, n); lo, hi (k,); c (n,) shared. `stats=False` leaves out
    what only a report reads (mean, median unless Q < 1, danger, the proposals without an offer as nan).

    Written for arrays of a dozen actors, where a numpy call costs more than its arithmetic: E^i(U_ij) and
    E^i(U_ji), and U_s and U_f, are computed stacked on a leading axis of 2, each element by the same operations
    in the same order as the formulas of the module docstring (so the results do not depend on the stacking)."""
    k, n = x.shape
    span = (hi - lo)[:, None, None]
    w = c[None, :] * s
    towards = x[:, None, :] - x[:, :, None]          # [., i, j] = x_j - x_i
    absdiff = np.abs(towards)                        # [., k, i] = |x_k - x_i| (symmetric)
    dist = absdiff / span
    median = _medians(x, w, absdiff) if stats or Q != 1.0 else None

    votes = absdiff[:, :, None, :] - absdiff[:, :, :, None]  # [., m, i, j] = |x_m - x_j| - |x_m - x_i|
    pro = np.einsum("km,kmij->kij", w, np.maximum(votes, 0.0, out=votes))
    cast = pro + pro.transpose(0, 2, 1)  # sum w |v| = votes for i over j + votes for j over i
    # [0] = P_ij, [1] = P_ji; [0] = s_j, [1] = s_i (the target's salience in E^i(U_ij), E^i(U_ji))
    p2 = np.empty((2, k, n, n))
    p2[0] = 0.5
    np.divide(pro, cast, out=p2[0], where=cast > 0)
    p2[1] = p2[0].transpose(0, 2, 1)
    s2 = np.empty((2, k, n, n))
    s2[0] = s[:, None, :]
    s2[1] = s[:, :, None]
    q2, t2 = 1.0 - p2, 1.0 - s2
    # The utilities' bases [0] = 0.5 - 0.5 d (U_s), [1] = 0.5 + 0.5 d (U_f; >= 0.5, so its clip at 0 is a no-op),
    # shared by the passes below (d is symmetric, so E^i(U_ji) reads the same U_s and U_f as E^i(U_ij) with i's
    # own exponent). In the first pass every r = 1, where b^1 = b and 0.5^1 = 0.5 exactly: the same values as
    # _expected_utility with r = 1, without the powers.
    base = _HALVES * dist                        # -0.5 d, +0.5 d: exactly -(0.5 d) and 0.5 d
    base += 0.5
    np.maximum(base, 0.0, out=base)
    u1 = 2.0 - 4.0 * base
    eu1 = p2[0] * u1[0]
    eu1 += q2[0] * u1[1]
    eu1 *= s2[0]
    eu1 += t2[0] * u1[0]
    if Q != 1.0:
        assert median is not None               # computed above whenever Q != 1
        dmu = np.abs(x - median[:, None]) / span[:, :, 0]
        eu1 -= _worse_or_better(dist, dmu[:, :, None], None, Q, T)
    flat_diag = slice(None, None, n + 1)
    eu1.reshape(k, n * n)[:, flat_diag] = 0.0
    danger = np.add.reduce(eu1, axis=1)  # danger_i = sum_{j != i} E(U_ji)
    r = _risk(danger, risk_max) if risk is None else risk

    u = np.power(base, r[..., :, None])
    np.multiply(u, 4.0, out=u)
    np.subtract(2.0, u, out=u)                   # [0] = U_s, [1] = U_f with i's exponent
    status_quo = Q * (2.0 - 4.0 * 0.5 ** r)[..., :, None]
    eu = p2 * u[0]
    eu += q2 * u[1]
    eu *= s2
    eu += t2 * u[0]
    eu -= status_quo
    if Q != 1.0:
        eu[0] -= _worse_or_better(dist, dmu[:, :, None], r[..., :, None], Q, T)
        eu[1] -= _worse_or_better(dist, dmu[:, None, :], r[..., :, None], Q, T)
    eu.reshape(2 * k, n * n)[:, flat_diag] = 0.0
    eu_ij, eu_ji = eu[0], eu[1]                  # [., i, j] = E^i(U_ij), E^i(U_ji)

    # offers (octants): confrontation 1, compromise 2, capitulation 3 (disjoint: a confrontation needs
    # EU_ij > 0, the other two EU_ij <= 0); equal positions (also the diagonal) make none
    threat = (absdiff > 0) & (eu_ji > 0)
    confront = threat & (eu_ij > 0) & (eu_ji > eu_ij)
    yielding = threat & (eu_ij <= 0)
    neg = -eu_ij
    compromise = yielding & (neg < eu_ji)
    kind = yielding.astype(np.int8)
    kind *= CAPITULATION
    kind -= compromise                            # CAPITULATION - 1 = COMPROMISE
    kind += confront
    x_i, x_j = x[:, :, None], x[:, None, :]
    frac = np.divide(neg, eu_ji, out=np.zeros((k, n, n)), where=compromise)
    proposed = np.where(compromise, x_i + towards * frac, x_j)
    offered = kind > 0
    np.minimum(np.maximum(proposed, lo[:, None, None], out=proposed), hi[:, None, None], out=proposed)
    if stats:
        proposed[~offered] = np.nan

    move = np.where(offered, np.abs(proposed - x_i), np.inf)
    best = np.minimum.reduce(move, axis=2)
    has = np.isfinite(best)
    near = move <= (best + 1e-12 * span[:, :, 0])[:, :, None]
    choice = np.where(near, eu_ji, -np.inf).argmax(axis=2)
    accepted = np.where(has, choice, -1)
    chosen = proposed.reshape(k * n, n)[np.arange(k * n), choice.ravel()].reshape(k, n)
    new_x = np.where(has, chosen, x)
    out = {"risk": r, "eu_ij": eu_ij, "eu_ji": eu_ji, "kind": kind, "proposed": proposed, "accepted": accepted,
           "new_x": new_x}
    if stats:
        out.update(mean=np.add.reduce((w * x), axis=1) / np.add.reduce(w, axis=1), median=median, danger=danger)
    return out


def simulate(capability: np.ndarray | Sequence[float], position: np.ndarray | Sequence[float],
             salience: np.ndarray | Sequence[float], *, rounds: int = DEFAULT_ROUNDS,
             **options: Any) -> list[RoundResult]:
    """Rounds 0..`rounds` (round 0 starts from the input), each from the previous round's new positions.

    `options` are bargain_round's keywords (scale, Q, T, risk, risk_max).
    """
    if rounds < 0:
        raise ValueError("rounds must be >= 0")
    results = [bargain_round(capability, position, salience, **options)]
    for _ in range(rounds):
        results.append(bargain_round(capability, results[-1].new_positions, salience, **options))
    return results


def forecast(capability: np.ndarray | Sequence[float], position: np.ndarray | Sequence[float],
             salience: np.ndarray | Sequence[float], *, rounds: int = DEFAULT_ROUNDS,
             statistic: Literal["median", "mean"] = "median", **options: Any) -> float:
    """The predicted outcome: the median voter (BDM's forecast) or the weighted mean after `rounds` rounds."""
    if statistic not in ("median", "mean"):
        raise ValueError("statistic must be 'median' or 'mean'")
    last = simulate(capability, position, salience, rounds=rounds, **options)[-1]
    return last.median if statistic == "median" else last.mean
