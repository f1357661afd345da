"""Landscape theory with up to k blocs and actors who stand outside every bloc, as pure numpy functions.

Axelrod and Bennett (1993) split the actors into two sides; `model.theory.alliances` implements that paper. This
module keeps their definitions and lets a configuration have up to k blocs:

* a configuration X gives every actor a bloc label 0..k-1 or OUTSIDE (-1, non-aligned);
* d_ij(X) = 1 unless i and j are in the same bloc; two outside actors are not together, and an outside actor is
  apart from everyone;
* F_i(X) = sum_{j != i} s_j p_ij d_ij(X) and E(X) = sum_i s_i F_i(X) (ordered pairs, as in the paper).

With k = 2 and nobody outside this is exactly the paper: same configurations, energies, dynamics and basins
(tests/theory/test_blocs.py checks it against `alliances`). Galam (1996; 1998, a comment on the paper) read the
two-sided model as a zero-temperature Ising spin glass, and Florian and Galam (2000, "Optimizing conflicts in the
formation of strategic alliances", Eur. Phys. J. B 16) let the number of coalitions follow from a minimum-conflict
principle, finding that it is not always two. The energy here is that generalisation in Axelrod and Bennett's
terms (a Potts-type spin glass: a pair in the same bloc adds nothing, a pair apart adds s_i s_j p_ij, each order
counted). The outside option is not in that literature; the choices where the literature is silent are these:

* Outside enters the energy only through d: an outside actor is apart from everyone, so energetically it is a
  bloc of one that uses none of the k labels. Configurations that differ only in a singleton bloc versus standing
  outside therefore have the same energy, and both can be minima; they are kept apart because "non-aligned" and
  "a bloc of one" mean different things to the model.
* Options per actor: "free" actors must be in a bloc; `abstain` actors may also stand outside; `outside` actors
  are fixed outside (they take no decisions but still count in everyone's frustration).
* Moves: one actor at a time moves to the option that lowers its frustration most: any bloc in use, a new bloc
  (only while fewer than k are in use) or outside (if it may abstain). Writing A_i(b) = sum_{j in b} s_j p_ij,
  F_i = sum_j s_j p_ij - A_i(own) with A = 0 for a new bloc or outside, so dF_i = A_i(own) - A_i(target). As in
  two blocs, dE = 2 s_i dF_i: only the terms of pairs (i, j) change, and each counts twice by symmetry.
* Who moves: rule "energy" (default) takes the move that lowers E most (the largest 2 s_i |dF_i|), rule
  "frustration" the largest |dF_i|, ties (within a relative tolerance) to the lowest index, as in `alliances`.
* Where to: ties between options go to the bloc whose first-listed member comes first, then a new bloc, then
  outside. New before outside, because an actor that stands outside cannot be joined, while a new bloc can: with
  outside first, two actors who like each other and dislike everyone else could never get together. The rule
  depends only on the partition, never on how the blocs are labelled, so basins are well defined. Options whose
  affinity lies within RELATIVE_TOLERANCE * sum_j |s_j p_ij| of the best count as tied (exact ties are common
  with integer ratings); a mover's own option never does, since it moves only when its gain exceeds that.
* Labels in `settle_blocs` keep the caller's meaning (bloc 2 stays bloc 2 from month to month); a new bloc takes
  the lowest label not in use.
* A configuration is counted once up to relabelling of the blocs (a restricted growth string: actor order sets
  the labels, each new bloc takes the next label). A basin is the share of these configurations that the
  deterministic dynamics carries to a minimum, as in two blocs. `model.theory.blocs_landscape` enumerates them.

Alignment (`alignment`): an actor's frustration where it stands minus its frustration in its best other option.
Negative while it is content, it rises toward 0 as its propensities drift and turns positive before it moves, so
a switch can be seen coming; divided by sum_j |s_j p_ij| it lies in [-1, 1] and compares across actors.
`explain` lists the terms s_j p_ij d_ij of an actor's frustration and the terms a move changes (their changes add
up to the move's dF), which is the cause of a switch in the theory's own terms.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from model.theory.alliances import (
    DEFAULT_MOVE_RULE,
    RELATIVE_TOLERANCE,
    ArrayLike,
    Propensities,
    _names,
    _prepare,
    _tolerance,
    _weights,
)

OUTSIDE = -1  # the label of an actor that stands outside every bloc
DEFAULT_BLOCS = 4
MAX_BLOCS = 100  # labels are stored as int8
FREE, ABSTAIN, FIXED = 0, 1, 2  # an actor's options: blocs only; blocs or outside; outside only

Labels = Any  # a sequence of bloc labels (0..k-1, or OUTSIDE), one per actor
Mask = Any  # None, a sequence of n booleans, or a collection of actor names or indices


@dataclass(frozen=True)
class Move:
    """One step of the dynamics: `actor` left option `source` for `target` (labels; OUTSIDE = -1)."""

    actor: int
    source: int
    target: int
    d_frustration: float  # the mover's change of frustration, < 0; the energy changes by 2 s_actor times this


@dataclass(frozen=True)
class Alignment:
    """How firmly each actor sits where it is: its frustration against that of its best other option.

    margin = frustration - alternative_frustration: negative while the actor is content, rising toward 0 as it
    drifts, positive when a move would lower its frustration (it moves when it is the steepest such actor).
    relative_margin divides by sum_j |s_j p_ij|, so it lies in [-1, 1] and compares across actors. Actors with
    no other option (fixed outside, or one bloc allowed) get NO_OPTION and NaN.
    """

    labels: np.ndarray
    frustration: np.ndarray
    alternative: np.ndarray  # label of the best other option (a new bloc: the lowest unused label)
    alternative_frustration: np.ndarray
    margin: np.ndarray
    relative_margin: np.ndarray


NO_OPTION = -2  # Alignment.alternative of an actor that has no other option


@dataclass(frozen=True)
class Term:
    """One term s_j p_ij d_ij of an actor's frustration."""

    other: str
    size: float
    propensity: float
    value: float


@dataclass(frozen=True)
class Change:
    """A term of an actor's frustration that a move changes: before and after the move."""

    other: str
    propensity: float
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Explanation:
    """Why an actor is as frustrated as it is, and what a move would change."""

    actor: str
    label: int
    frustration: float
    terms: tuple[Term, ...]  # non-zero terms (pairs apart), largest |value| first
    target: int  # the option compared with (its best other option unless given); NO_OPTION if none
    target_frustration: float  # NaN when there is no option
    changes: tuple[Change, ...]  # the terms that move changes, largest |delta| first; their deltas sum to dF


@dataclass(frozen=True)
class _Problem:
    s: np.ndarray
    q: np.ndarray  # q_ij = s_j p_ij
    names: tuple[str, ...]
    blocs: int  # k as asked
    k: int  # labels actually needed: min(k, actors who can be in a bloc), at least 1
    kinds: np.ndarray  # FREE, ABSTAIN or FIXED per actor
    weight: np.ndarray
    tol: float  # gains (weight * dF) within this of zero count as zero
    tol_option: np.ndarray  # per actor: affinities within this of the best count as ties
    order: np.ndarray | None = None  # original index of each actor when the problem was reordered (see _reordered)

    @cached_property
    def priority(self) -> np.ndarray:
        """Tie-break weights per actor, n - original index, so that a max picks the first-listed actor."""
        n = self.s.size
        original = np.arange(n) if self.order is None else self.order
        return (n - original).astype(np.int8 if n < 127 else np.int16)[:, None]

    @cached_property
    def position(self) -> np.ndarray:
        """Original index (or n for none) -> index in this problem."""
        n = self.s.size
        out = np.full(n + 1, n, dtype=np.intp)
        out[np.arange(n) if self.order is None else self.order] = np.arange(n)
        return out

    @cached_property
    def abstain(self) -> np.ndarray:
        return self.kinds == ABSTAIN

    @cached_property
    def fixed(self) -> np.ndarray:
        return self.kinds == FIXED


# ---------------------------------------------------------------------------------------------------------- input
def _mask(value: Mask, names: tuple[str, ...], what: str) -> np.ndarray:
    n = len(names)
    if value is None:
        return np.zeros(n, dtype=bool)
    items = list(value)
    if len(items) == n and all(isinstance(x, (bool, np.bool_)) for x in items):
        return np.array(items, dtype=bool)
    index = {name: i for i, name in enumerate(names)}
    out = np.zeros(n, dtype=bool)
    for x in items:
        if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)) and 0 <= int(x) < n:
            out[int(x)] = True
        elif isinstance(x, str) and x in index:
            out[index[x]] = True
        else:
            raise ValueError(f"{what}: {x!r} is not a known actor (give names, indices or {n} booleans)")
    return out


def _problem(sizes: ArrayLike, propensities: Propensities, names: Sequence[str] | None, blocs: int,
             abstain: Mask, outside: Mask, rule: str) -> _Problem:
    if isinstance(blocs, bool) or not isinstance(blocs, (int, np.integer)) or not 1 <= blocs <= MAX_BLOCS:
        raise ValueError(f"blocs must be an integer from 1 to {MAX_BLOCS}, got {blocs!r}")
    s = np.asarray(sizes, dtype=float).reshape(-1)
    labels = _names(names, s.size)
    s, q = _prepare(s, propensities, labels)
    fixed = _mask(outside, labels, "outside")
    kinds = np.where(fixed, FIXED, np.where(_mask(abstain, labels, "abstain"), ABSTAIN, FREE)).astype(np.int8)
    weight = _weights(s, rule)
    return _Problem(s, q, labels, int(blocs), max(1, min(int(blocs), int((~fixed).sum()))), kinds, weight,
                    _tolerance(q, weight), RELATIVE_TOLERANCE * np.abs(q).sum(axis=1))


def _labels(config: Labels, p: _Problem) -> np.ndarray:
    x = np.asarray(config).reshape(-1)
    n = p.s.size
    if x.size != n or not np.all(np.isfinite(x.astype(float))) or not np.all(x == np.round(x)):
        raise ValueError(f"expected {n} integer labels")
    x = x.astype(np.int64)
    for i, (label, kind) in enumerate(zip(x, p.kinds, strict=True)):
        if not OUTSIDE <= label < p.blocs:
            raise ValueError(f"{p.names[i]}: label {label} is not a bloc 0..{p.blocs - 1} or OUTSIDE ({OUTSIDE})")
        if kind == FIXED and label != OUTSIDE:
            raise ValueError(f"{p.names[i]} is fixed outside every bloc but has label {label}")
        if kind == FREE and label == OUTSIDE:
            raise ValueError(f"{p.names[i]} may not stand outside (it is not in the abstain set)")
    return x


def _apart(x: np.ndarray) -> np.ndarray:
    return (x[:, None] != x[None, :]) | (x[:, None] == OUTSIDE)


def bloc_frustration(sizes: ArrayLike, propensities: Propensities, labels: Labels) -> np.ndarray:
    """F_i for every actor: the size-weighted propensity it has towards actors not in its bloc."""
    s, q = _prepare(sizes, propensities)
    x = np.asarray(labels).reshape(-1)
    if x.size != s.size or np.any(x < OUTSIDE):
        raise ValueError(f"expected {s.size} labels, each a bloc >= 0 or OUTSIDE ({OUTSIDE})")
    return (q * _apart(x)).sum(axis=1)


def bloc_energy(sizes: ArrayLike, propensities: Propensities, labels: Labels) -> float:
    """E = sum_i s_i F_i, the quantity every move of the dynamics lowers."""
    return float(np.asarray(sizes, dtype=float).reshape(-1) @ bloc_frustration(sizes, propensities, labels))


# ----------------------------------------------------------------------------------------------- the move kernel
# Configurations are columns: labels (n, c) int8, one column per configuration, so that every reduction over actors
# is an elementwise operation across configurations.
_LABELS = np.arange(MAX_BLOCS, dtype=np.int8)
KERNEL_COLUMNS = 1024  # columns per matrix product: with 13 actors m*n*k stays under OpenBLAS's threading
#                        threshold (262144); its threads spin-wait and are far slower than one on a busy machine


def _first_true(mask: np.ndarray) -> np.ndarray:
    """Per column, the first row where `mask` (rows, columns) holds, or `rows` if none.

    An int8 product and a max: ~60x faster than argmax along axis 0, which numpy runs row by row.
    """
    rows = mask.shape[0]
    weights = np.arange(rows, 0, -1, dtype=np.int8 if rows < 127 else np.int16)[:, None]
    return rows - np.multiply(mask.view(np.int8), weights).max(axis=0, initial=0).astype(np.intp)


class _Work:
    """Reusable arrays for _decide. Large temporaries allocated afresh for every block cost page faults (glibc
    hands freed heap back to the system), which at 13 actors x 16384 columns took as long as the arithmetic."""

    def __init__(self) -> None:
        self.buffers: dict[tuple[str, Any], np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype: Any = float) -> np.ndarray:
        size = int(np.prod(shape))
        buffer = self.buffers.get((name, dtype))
        if buffer is None or buffer.size < size:
            buffer = self.buffers[(name, dtype)] = np.empty(size, dtype=dtype)
        return buffer[:size].reshape(shape)


def _choose(p: _Problem, gain: np.ndarray, work: _Work) -> tuple[np.ndarray, np.ndarray]:
    """Columns that move and who moves: the most negative gain, ties (within tol) to the first-listed actor."""
    low = gain.min(axis=0)
    moving = low < -p.tol
    # candidates: gain <= low + tol and gain < -tol, as one comparison against the smaller threshold
    candidates = np.less_equal(gain, np.minimum(low + p.tol, np.nextafter(-p.tol, -np.inf)),
                               out=work.get("mask", gain.shape, bool))
    product = np.multiply(candidates.view(np.int8), p.priority, out=work.get("product", gain.shape, p.priority.dtype))
    return moving, p.position[p.s.size - product.max(axis=0, initial=0).astype(np.intp)]


def _decide(p: _Problem, labels: np.ndarray, aff: np.ndarray, own: np.ndarray,
            work: _Work | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Given affinities aff (k, n, c) and own affinities (n, c): moving columns, movers, targets, dF.

    A label not in use has affinity 0, the value of a new bloc, so the best over all k labels already covers
    "a new bloc while fewer than k are in use"; abstainers add outside (0). The target is the first option
    within tol_option of the mover's best: ties go to the bloc with the first-listed member, then a new bloc
    (the lowest unused label), then outside. A mover's own option is never within tol_option of its best
    (it moves only when best - own > tol / weight >= tol_option), so it needs no masking.
    """
    work = work or _Work()
    k = aff.shape[0]
    best = np.max(aff, axis=0, out=work.get("best", own.shape))
    if p.abstain.any():
        best[p.abstain] = np.maximum(best[p.abstain], 0.0)
    gain = np.subtract(own, best, out=work.get("gain", own.shape))
    np.multiply(gain, p.weight[:, None], out=gain)
    if p.fixed.any():
        gain[p.fixed] = 0.0
    moving, mover = _choose(p, gain, work)
    rows = np.flatnonzero(moving)
    who = mover[rows]
    flat = who * own.shape[1] + rows  # 1-d gathers: ~5x faster than 2-d fancy indexing
    a = np.stack([plane.reshape(-1).take(flat) for plane in aff])  # (k, movers)
    candidates = a >= best.reshape(-1).take(flat) - p.tol_option[who]
    first = _first_true(candidates)
    if p.order is not None:  # labels follow the internal order: break ties by the blocs' first-listed members
        ties = np.flatnonzero(candidates.view(np.int8).sum(axis=0) > 1)
        if ties.size:
            first[ties] = _first_listed(p, labels.take(rows[ties], axis=1), candidates[:, ties])
    target = np.where(first < k, first, OUTSIDE)
    gained = np.where(first < k, a.reshape(-1).take(np.minimum(first, k - 1) * rows.size + np.arange(rows.size)),
                      0.0)
    return rows, who, target, own.reshape(-1).take(flat) - gained


def _first_listed(p: _Problem, labels: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Among candidate labels (k, c), the bloc whose first member in the original order comes first; labels not
    in use (a new bloc) come after every bloc in use, the lowest of them first."""
    n = p.s.size
    original = p.order[:, None] if p.order is not None else np.arange(n)[:, None]
    key = np.stack([np.where(labels == b, original, n).min(axis=0) for b in range(candidates.shape[0])])
    return np.where(candidates, key, n + 1).argmin(axis=0)


def _reordered(p: _Problem) -> _Problem:
    """The same problem with the actors most likely to move last (the largest possible gain, weight_i
    sum_j |q_ij|): their moves then rarely change which actor comes first in a bloc, so the exact landscape can
    rank most next steps in O(1). Ties between movers and between blocs still follow the original order."""
    order = np.argsort(p.weight * np.abs(p.q).sum(axis=1), kind="stable")
    return _Problem(p.s[order], p.q[np.ix_(order, order)], tuple(p.names[i] for i in order), p.blocs, p.k,
                    p.kinds[order], p.weight[order], p.tol, p.tol_option[order], order)


def _moves(p: _Problem, labels: np.ndarray) -> tuple[np.ndarray, ...]:
    """The move of every column of canonical labels (n, c), c <= KERNEL_COLUMNS; also the own affinities."""
    onehot = np.empty((p.k,) + labels.shape)
    np.equal(labels[None], _LABELS[:p.k, None, None], out=onehot, casting="unsafe")
    aff = np.matmul(p.q, onehot)  # aff[b, i, c] = sum_j q_ij [label_j = b]
    own = np.einsum("bic,bic->ic", aff, onehot)  # 0 for actors outside
    return _decide(p, labels, aff, own) + (own,)


def _canonical(y: np.ndarray, k: int) -> np.ndarray:
    """Relabel columns (n, c) so that blocs are numbered in the order of their first member."""
    present = [y == b for b in range(k)]
    first = np.stack([_first_true(mask) for mask in present])  # (k, c); n where the label is not in use
    rank = (first[None, :, :] < first[:, None, :]).sum(axis=1).astype(np.int8)  # labels whose first comes earlier
    out = np.full_like(y, OUTSIDE)
    for b, mask in enumerate(present):  # int8 arithmetic: np.where on 2-d masks is ~30x slower
        out += mask.view(np.int8) * (rank[b] + 1)[None, :]
    return out


def running_max(y: np.ndarray) -> np.ndarray:
    """np.maximum.accumulate(y, axis=0), row by row: numpy's accumulate along axis 0 is ~100x slower."""
    out = np.empty_like(y)
    if y.shape[0]:
        out[0] = y[0]
    for i in range(1, y.shape[0]):
        np.maximum(out[i - 1], y[i], out=out[i])
    return out


def _advance(labels: np.ndarray, rows: np.ndarray, who: np.ndarray, target: np.ndarray, k: int) -> np.ndarray:
    """The canonical configurations after each move."""
    y = labels.take(rows, axis=1)  # C order (labels[:, rows] is Fortran order: slow reductions over actors)
    y[who, np.arange(rows.size)] = target
    return _canonical(y, k)


# ---------------------------------------------------------------------------------------------------- dynamics
def _canonical_map(x: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Canonical labels of a labelled configuration, and canonical label -> the caller's label."""
    values = [int(v) for v in x]
    order = list(dict.fromkeys(v for v in values if v != OUTSIDE))  # first-occurrence order
    index = {label: c for c, label in enumerate(order)}
    return np.array([index.get(v, OUTSIDE) for v in values], dtype=np.int8), order


def canonical_labels(labels: Labels) -> np.ndarray:
    """The same partition with blocs renumbered in the order of their first-listed member (outside stays -1),
    e.g. [2, 2, 0, -1, 1] -> [0, 0, 1, -1, 2]: two configurations are the same exactly when these agree."""
    return _canonical_map(np.asarray(labels).reshape(-1))[0].astype(np.int64)


def _to_caller(canonical_target: int, order: list[int], blocs: int) -> int:
    if canonical_target == OUTSIDE:
        return OUTSIDE
    if canonical_target < len(order):
        return order[canonical_target]
    return min(set(range(blocs)) - set(order))  # a new bloc takes the lowest unused label


def settle_blocs(sizes: ArrayLike, propensities: Propensities, start: Labels, *, blocs: int = DEFAULT_BLOCS,
                 abstain: Mask = None, outside: Mask = None, names: Sequence[str] | None = None,
                 rule: str = DEFAULT_MOVE_RULE) -> tuple[np.ndarray, list[Move]]:
    """Run the dynamics from `start` (e.g. last month's blocs) to a local minimum.

    Labels keep their meaning: an actor that joins bloc 2 carries label 2, and a new bloc takes the lowest label
    not in use, so the caller can follow a bloc from month to month. Returns the final labels and the moves.
    The rule is _decide's, for one configuration (tests/theory/test_blocs.py checks both against a reference).
    """
    p = _problem(sizes, propensities, names, blocs, abstain, outside, rule)
    x = _labels(start, p)
    n = x.size
    everyone = np.arange(n)
    may_abstain, fixed = p.abstain, p.fixed
    moves: list[Move] = []
    while True:
        onehot = np.zeros((n, p.blocs + 1))  # the last column collects the actors outside
        onehot[everyone, x] = 1.0
        onehot = onehot[:, :-1]
        aff = p.q @ onehot  # aff[i, b] = sum_j q_ij [label_j = b]
        used = onehot.any(axis=0)
        own = np.where(x >= 0, aff[everyone, np.maximum(x, 0)], 0.0)
        best = aff[:, used].max(axis=1, initial=-np.inf)
        zero = may_abstain | (used.sum() < p.k)  # outside, or a new bloc while fewer than k are in use
        best = np.where(zero, np.maximum(best, 0.0), best)
        gain = np.where(fixed, 0.0, (own - best) * p.weight)
        low = gain.min()
        if not low < -p.tol:
            return x, moves
        actor = int(np.argmax(gain <= min(low + p.tol, np.nextafter(-p.tol, -np.inf))))
        threshold = best[actor] - p.tol_option[actor]
        order = list(dict.fromkeys(v for v in x.tolist() if v != OUTSIDE))  # blocs in use, by first member
        to = next((b for b in order if b != x[actor] and aff[actor, b] >= threshold), None)
        if to is None:
            fresh = len(order) < p.k and threshold <= 0.0
            to = min(set(range(p.blocs)) - set(order)) if fresh else OUTSIDE
        gained = aff[actor, to] if to != OUTSIDE else 0.0
        moves.append(Move(actor, int(x[actor]), int(to), float(own[actor] - gained)))
        x[actor] = to


# ----------------------------------------------------------------------------------------- alignment and causes
def _options(p: _Problem, x: np.ndarray, i: int) -> list[tuple[int, float]]:
    """Actor i's other options as (label, affinity), in tie order: blocs by first member, new bloc, outside."""
    if p.kinds[i] == FIXED:
        return []
    _, order = _canonical_map(x)
    own = int(x[i])
    options = [(label, float(p.q[i][x == label].sum())) for label in order if label != own]
    alone = own != OUTSIDE and int((x == own).sum()) == 1
    if len(order) < p.k and not alone:
        options.append((_to_caller(len(order), order, p.blocs), 0.0))
    if p.kinds[i] == ABSTAIN and own != OUTSIDE:
        options.append((OUTSIDE, 0.0))
    return options


def _best(p: _Problem, options: list[tuple[int, float]], i: int) -> tuple[int, float]:
    top = max(a for _, a in options)
    return next((label, a) for label, a in options if a >= top - p.tol_option[i])


def alignment(sizes: ArrayLike, propensities: Propensities, labels: Labels, *, blocs: int = DEFAULT_BLOCS,
              abstain: Mask = None, outside: Mask = None, names: Sequence[str] | None = None) -> Alignment:
    """Every actor's frustration where it is against its best other option, so drift shows before a switch."""
    p = _problem(sizes, propensities, names, blocs, abstain, outside, DEFAULT_MOVE_RULE)
    x = _labels(labels, p)
    f = (p.q * _apart(x)).sum(axis=1)
    n = x.size
    alternative = np.full(n, NO_OPTION, dtype=np.int64)
    other = np.full(n, np.nan)
    for i in range(n):
        options = _options(p, x, i)
        if options:
            label, affinity = _best(p, options, i)
            alternative[i], other[i] = label, p.q[i].sum() - affinity
    margin = f - other
    scale = np.abs(p.q).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        relative = np.where(scale > 0, margin / np.where(scale > 0, scale, 1.0),
                            np.where(np.isnan(margin), np.nan, 0.0))
    return Alignment(x, f, alternative, other, margin, relative)


def explain(sizes: ArrayLike, propensities: Propensities, labels: Labels, actor: int | str, *,
            target: int | None = None, blocs: int = DEFAULT_BLOCS, abstain: Mask = None, outside: Mask = None,
            names: Sequence[str] | None = None, top: int | None = None) -> Explanation:
    """The largest terms of an actor's frustration, and the terms a move to `target` changes (by default its best
    other option), so that a switch can be reported with its cause."""
    p = _problem(sizes, propensities, names, blocs, abstain, outside, DEFAULT_MOVE_RULE)
    x = _labels(labels, p)
    i = p.names.index(actor) if isinstance(actor, str) else int(actor)
    if not 0 <= i < x.size:
        raise ValueError(f"actor {actor!r} is out of range")
    prop = p.q[i] / p.s  # p_ij
    apart = _apart(x)[i]
    others = [j for j in range(x.size) if j != i]
    terms = sorted((Term(p.names[j], float(p.s[j]), float(prop[j]), float(p.q[i, j])) for j in others
                    if apart[j] and p.q[i, j] != 0), key=lambda term: (-abs(term.value), term.other))
    options = _options(p, x, i)
    if target is None:
        target = _best(p, options, i)[0] if options else NO_OPTION
    elif target not in {label for label, _ in options}:
        raise ValueError(f"{p.names[i]} cannot move to option {target}")
    changes: list[Change] = []
    target_f = float("nan")
    if target != NO_OPTION:
        moved = x.copy()
        moved[i] = target
        after = _apart(moved)[i]
        target_f = float((p.q[i] * after).sum())
        changes = sorted((Change(p.names[j], float(prop[j]), float(p.q[i, j] * apart[j]), float(p.q[i, j] * after[j]))
                          for j in others if apart[j] != after[j] and p.q[i, j] != 0),
                         key=lambda c: (-abs(c.delta), c.other))
    f = float((p.q[i] * apart).sum())
    return Explanation(p.names[i], int(x[i]), f, tuple(terms[:top]), int(target), target_f, tuple(changes[:top]))
