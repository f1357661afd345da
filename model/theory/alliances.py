"""Landscape theory of aggregation and structural balance, as pure numpy functions (no Mesa).

Source: Axelrod, R. and Bennett, D. S. (1993), "A Landscape Theory of Aggregation", British Journal of
Political Science 23(2): 211-233. The definitions below are the paper's, not a variant:

* actors i = 0..n-1 have sizes s_i > 0 and symmetric propensities p_ij = p_ji (pairs not given are 0; a
  positive propensity means the pair would rather be on the same side);
* a configuration X splits the actors into two sides; d_ij(X) = 1 when i and j are on different sides;
* frustration F_i(X) = sum_{j != i} s_j p_ij d_ij(X);
* energy E(X) = sum_i s_i F_i(X) = sum_{i != j} s_i s_j p_ij d_ij(X), so every pair counts in both orders.

Dynamics: actors switch sides one at a time, and only when that lowers their own frustration. Switching k
flips d_kj for every j, so dF_k = sum_j s_j p_kj (1 - 2 d_kj); by symmetry each other actor j changes by
s_k p_jk (1 - 2 d_jk), hence dE = s_k dF_k + sum_j s_j s_k p_jk (1 - 2 d_jk) = 2 s_k dF_k (the paper's
footnote 2). With s_k > 0 a switch lowers the mover's frustration exactly when it lowers E, so E falls at
every step and every run ends in a local minimum: a configuration where no single switch lowers E.

Who moves first (the paper leaves it open, and basins depend on it): by default (rule "energy") the actor
whose switch lowers E the most, i.e. steepest descent on the landscape (the largest size-weighted drop
s_k |dF_k|); rule "frustration" takes the largest drop in the mover's own frustration. Ties, within a
relative tolerance, go to the lowest index. A basin is the share of all configurations that this
deterministic dynamics carries to a minimum.

A configuration is an integer whose bit i is the side (0 or 1) of actor i. A split and its mirror (all
sides swapped) are the same configuration, so enumeration keeps actor 0 on side 0: 2^(n-1) of them.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from model.theory.defaults import DEFAULT_SAMPLES, DEFAULT_SEED

MAX_EXACT = 20  # enumerate every configuration up to this many actors; sample beyond it
CHUNK_CONFIGS = 1 << 15  # configurations per vectorised block: bounds memory at a few MB per array
RELATIVE_TOLERANCE = 1e-9  # a gain within this fraction of the largest possible gain counts as zero
MOVE_RULES = ("energy", "frustration")
DEFAULT_MOVE_RULE = "energy"
RELATION_BOUND = 1.0  # structural balance expects relations in [-RELATION_BOUND, RELATION_BOUND]

ArrayLike = Any  # a sequence or numpy array of numbers
Config = Any  # an int bit mask, or a sequence of 0/1 sides, one per actor
Propensities = Any  # an (n, n) symmetric matrix, or a mapping {(i, j): p} keyed by index or name


@dataclass(frozen=True)
class Minimum:
    """A local minimum of the energy landscape: a split no single actor wants to leave."""

    sides: tuple[tuple[str, ...], tuple[str, ...]]  # the side holding actor 0 comes first
    energy: float
    basin: float  # share of configurations (or of samples) whose dynamics end here
    config: int  # bit i set = actor i on the second side; actor 0 is always on the first


@dataclass(frozen=True)
class Landscape:
    """Every local minimum with its energy and basin, lowest energy first."""

    n_configurations: int  # 2^(n-1) distinct splits
    minima: tuple[Minimum, ...]
    exact: bool  # False when the minima and basins come from sampled starting configurations
    names: tuple[str, ...]
    samples: int  # configurations examined (= n_configurations when exact)


@dataclass(frozen=True)
class Balance:
    """Structural balance of a signed relation matrix (Heider; Cartwright and Harary)."""

    triads: int  # triads whose three relations are all non-zero (the only ones with a sign)
    balanced_share: float  # share of those with a positive sign product; 1.0 when there are none
    weighted_balanced_share: float  # the same with triad weight |r_ij r_jk r_ik|; 1.0 when all weigh 0
    frustration_count: int  # fewest edges violating balance over all two-camp splits
    frustration_weight: float  # least total |r_ij| of violating edges over all two-camp splits
    camps: tuple[tuple[str, ...], tuple[str, ...]]  # a split attaining frustration_weight
    exact: bool


def _sizes(sizes: ArrayLike) -> np.ndarray:
    s = np.asarray(sizes, dtype=float).reshape(-1)
    if s.size == 0:
        raise ValueError("need at least one actor")
    if not np.all(np.isfinite(s)) or np.any(s <= 0):
        raise ValueError("sizes must be finite and positive")
    return s


def _names(names: Sequence[str] | None, n: int) -> tuple[str, ...]:
    if names is None:
        return tuple(str(i) for i in range(n))
    names = tuple(str(x) for x in names)
    if len(names) != n or len(set(names)) != n:
        raise ValueError(f"need {n} distinct names, got {names!r}")
    return names


def propensity_matrix(n: int, pairs: Mapping[tuple[Any, Any], float],
                      names: Sequence[str] | None = None) -> np.ndarray:
    """Build the symmetric matrix from {(a, b): p}, a and b being indices or names; absent pairs are 0."""
    index = {name: i for i, name in enumerate(names or ())}
    p = np.zeros((n, n))
    seen: dict[tuple[int, int], float] = {}
    for key, value in pairs.items():
        try:
            i, j = (int(k) if isinstance(k, (int, np.integer)) else index[k] for k in key)
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"pair {key!r} must name two known actors") from None
        if not (0 <= i < n and 0 <= j < n):
            raise ValueError(f"pair {key!r} is out of range for {n} actors")
        if i == j:
            raise ValueError(f"pair {key!r} names one actor twice")
        pair = (min(i, j), max(i, j))
        if pair in seen and seen[pair] != float(value):
            raise ValueError(f"pair {key!r} given twice with different values")
        seen[pair] = float(value)
        p[i, j] = p[j, i] = float(value)
    return p


def _matrix(m: Propensities, n: int, names: Sequence[str] | None = None) -> np.ndarray:
    if isinstance(m, Mapping):
        return propensity_matrix(n, m, names)
    p = np.array(m, dtype=float)
    if p.shape != (n, n) or not np.all(np.isfinite(p)):
        raise ValueError(f"expected a finite {n}x{n} matrix, got shape {p.shape}")
    if not np.allclose(p, p.T, rtol=1e-9, atol=1e-12):
        raise ValueError("the matrix must be symmetric")
    p = (p + p.T) / 2
    np.fill_diagonal(p, 0.0)  # F_i sums over j != i only
    return p


def _prepare(sizes: ArrayLike, propensities: Propensities,
             names: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Sizes and Q with Q_ij = s_j p_ij, so that F = (Q * d).sum(1)."""
    s = _sizes(sizes)
    return s, _matrix(propensities, s.size, names) * s[None, :]


def _sides(config: Config, n: int) -> np.ndarray:
    if isinstance(config, (int, np.integer)):
        if not 0 <= int(config) < (1 << n):
            raise ValueError(f"configuration {config} out of range for {n} actors")
        return np.array([(int(config) >> i) & 1 for i in range(n)], dtype=np.int8)
    x = np.asarray(config).reshape(-1)
    if x.size != n or not np.all((x == 0) | (x == 1)):
        raise ValueError(f"expected {n} sides, each 0 or 1")
    return x.astype(np.int8)


def frustration(sizes: ArrayLike, propensities: Propensities, config: Config) -> np.ndarray:
    """F_i for every actor: the size-weighted propensity it has towards actors on the other side."""
    s, q = _prepare(sizes, propensities)
    x = _sides(config, s.size)
    return (q * (x[:, None] != x[None, :])).sum(axis=1)


def energy(sizes: ArrayLike, propensities: Propensities, config: Config) -> float:
    """E = sum_i s_i F_i, the quantity every switch of the dynamics lowers."""
    return float(_sizes(sizes) @ frustration(sizes, propensities, config))


def _weights(s: np.ndarray, rule: str) -> np.ndarray:
    if rule not in MOVE_RULES:
        raise ValueError(f"rule must be one of {MOVE_RULES}, got {rule!r}")
    return 2.0 * s if rule == "energy" else np.ones_like(s)


def _tolerance(q: np.ndarray, weight: np.ndarray) -> float:
    return RELATIVE_TOLERANCE * float(np.max(np.abs(q).sum(axis=1) * weight))


def _choose(gain: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Rows that move and who moves: the most negative gain, ties (within tol) to the lowest index."""
    low = gain.min(axis=-1)
    candidates = (gain <= (low + tol)[..., None]) & (gain < -tol)
    return low < -tol, candidates.argmax(axis=-1)


def settle(sizes: ArrayLike, propensities: Propensities, start: Config, *,
           rule: str = DEFAULT_MOVE_RULE) -> tuple[np.ndarray, list[int]]:
    """Run the dynamics from `start` (e.g. last turn's blocs) to a local minimum.

    Returns the final sides (int8 array, 0/1 per actor, not mirrored) and the actors who switched, in order.
    Cheap for the model's ~13 actors: one small matrix-vector product per switch.
    """
    s, q = _prepare(sizes, propensities)
    weight = _weights(s, rule)
    tol = _tolerance(q, weight)
    sigma = 1.0 - 2.0 * _sides(start, s.size)
    switches: list[int] = []
    while True:
        moving, k = _choose(sigma * (q @ sigma) * weight, tol)
        if not moving:
            return (sigma < 0).astype(np.int8), switches
        sigma[k] = -sigma[k]
        switches.append(int(k))


def _blocks(n: int) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """All 2^(n-1) configurations with actor 0 on side 0, in blocks: (offset, full bit masks, spins)."""
    shifts = np.arange(n, dtype=np.int64)
    total = 1 << (n - 1)
    for start in range(0, total, CHUNK_CONFIGS):
        x = np.arange(start, min(start + CHUNK_CONFIGS, total), dtype=np.int64) << 1
        yield start, x, 1.0 - 2.0 * ((x[:, None] >> shifts) & 1)


def _split(bits: int, names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (tuple(a for i, a in enumerate(names) if not (bits >> i) & 1),
            tuple(a for i, a in enumerate(names) if (bits >> i) & 1))


def landscape(sizes: ArrayLike, propensities: Propensities, names: Sequence[str] | None = None, *,
              max_exact: int = MAX_EXACT, samples: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED,
              rule: str = DEFAULT_MOVE_RULE) -> Landscape:
    """All local minima with energies and basins: exact for n <= max_exact, else from seeded samples.

    Exact enumeration keeps ~12 bytes per configuration (energy and next step), 6 MB at n = 20; each
    extra actor doubles it, so raise max_exact with care.
    """
    labels = _names(names, len(_sizes(sizes)))
    s, q = _prepare(sizes, propensities, labels)
    weight = _weights(s, rule)
    tol = _tolerance(q, weight)
    n = s.size
    if n <= max_exact:
        return _exact(s, q, weight, tol, labels)
    return _sampled(s, q, weight, tol, labels, samples, seed)


def _exact(s: np.ndarray, q: np.ndarray, weight: np.ndarray, tol: float,
           names: tuple[str, ...]) -> Landscape:
    n = s.size
    total = 1 << (n - 1)
    full = (1 << n) - 1
    rowsum = q.sum(axis=1)
    energies = np.empty(total)
    step: np.ndarray = np.empty(total, dtype=np.int64 if total > np.iinfo(np.int32).max else np.int32)
    for start, x, sigma in _blocks(n):
        df = sigma * (sigma @ q.T)  # change in F_i if i switched, for every configuration at once
        energies[start:start + x.size] = 0.5 * ((rowsum - df) @ s)  # F_i = (rowsum_i - dF_i) / 2
        moving, k = _choose(df * weight, tol)
        y = x ^ (np.int64(1) << k)
        y = np.where(y & 1, y ^ full, y)  # actor 0 moved: store the mirror image
        step[start:start + x.size] = np.where(moving, y >> 1, x >> 1)
    root = step
    while True:  # pointer jumping: after m rounds root[c] is 2^m moves down the path from c
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    fixed = np.flatnonzero(step == np.arange(total))
    basins = np.bincount(root, minlength=total)[fixed] / total
    order = np.lexsort((fixed, energies[fixed]))
    minima = tuple(Minimum(_split(int(c) << 1, names), float(energies[c]), float(b), int(c) << 1)
                   for c, b in zip(fixed[order], basins[order], strict=True))
    return Landscape(total, minima, True, names, total)


def _descend(q: np.ndarray, weight: np.ndarray, tol: float, sigma: np.ndarray) -> np.ndarray:
    """Run the dynamics on every row of `sigma` (spins +-1) at once, in place."""
    active = np.arange(sigma.shape[0])
    while active.size:
        sub = sigma[active]
        moving, k = _choose(sub * (sub @ q.T) * weight, tol)
        active = active[moving]
        sigma[active, k[moving]] *= -1.0
    return sigma


def _sampled(s: np.ndarray, q: np.ndarray, weight: np.ndarray, tol: float, names: tuple[str, ...],
             samples: int, seed: int) -> Landscape:
    if samples < 1:
        raise ValueError("samples must be at least 1")
    n = s.size
    bits = np.random.default_rng(seed).integers(0, 2, size=(samples, n), dtype=np.int8)
    final = _descend(q, weight, tol, 1.0 - 2.0 * bits) < 0
    final ^= final[:, :1]  # mirror so that actor 0 is on side 0
    found, counts = np.unique(final, axis=0, return_counts=True)
    rowsum = q.sum(axis=1)
    sigma = 1.0 - 2.0 * found
    energies = 0.5 * ((rowsum - sigma * (sigma @ q.T)) @ s)
    configs = [sum(1 << int(i) for i in np.flatnonzero(row)) for row in found]   # Python ints: no overflow
    order = sorted(range(len(configs)), key=lambda r: (energies[r], configs[r]))
    minima = tuple(Minimum(_split(configs[r], names), float(energies[r]), float(counts[r] / samples), configs[r])
                   for r in order)
    return Landscape(1 << (n - 1), minima, False, names, samples)


def _relations(relations: ArrayLike) -> np.ndarray:
    r = np.array(relations, dtype=float)
    if r.ndim != 2 or r.shape[0] != r.shape[1] or r.shape[0] < 1:
        raise ValueError(f"expected a square matrix, got shape {r.shape}")
    r = _matrix(r, r.shape[0])
    if np.any(np.abs(r) > RELATION_BOUND * (1 + RELATIVE_TOLERANCE)):
        raise ValueError(f"relations must lie in [-{RELATION_BOUND}, {RELATION_BOUND}]")
    return r


def _least_frustrated(m: np.ndarray, max_exact: int, samples: int, seed: int) -> tuple[float, int, bool]:
    """min over splits of sum_{i<j} m_ij d_ij (unit sizes): the balance-violation part that depends on X."""
    n = m.shape[0]
    ones = np.ones(n)
    if n > max_exact:
        bits = np.random.default_rng(seed).integers(0, 2, size=(samples, n), dtype=np.int8)
        sigma = _descend(m, 2.0 * ones, _tolerance(m, 2.0 * ones), 1.0 - 2.0 * bits)
        values = 0.25 * (m.sum() - np.einsum("ci,ij,cj->c", sigma, m, sigma))
        best = int(np.argmin(values))
        row = sigma[best] < 0
        row ^= row[0]
        return float(values[best]), sum(1 << int(i) for i in np.flatnonzero(row)), False
    best_value, best_config = None, 0
    for _, x, sigma in _blocks(n):
        values = 0.25 * (m.sum() - ((sigma @ m) * sigma).sum(axis=1))  # sum_{i<j} m_ij (1 - s_i s_j) / 2
        i = int(np.argmin(values))
        if best_value is None or values[i] < best_value - RELATIVE_TOLERANCE * max(1.0, abs(best_value)):
            best_value, best_config = float(values[i]), int(x[i])
    if best_value is None:  # unreachable: there is at least one configuration for n >= 1
        raise ValueError("expected at least one actor")
    return best_value, best_config, True


def structural_balance(relations: ArrayLike, names: Sequence[str] | None = None, *,
                       max_exact: int = MAX_EXACT, samples: int = DEFAULT_SAMPLES,
                       seed: int = DEFAULT_SEED) -> Balance:
    """How far a signed relation matrix is from two hostile camps of friends.

    Triads: a triad is balanced when the product of its three relations is positive (friend of a friend,
    enemy of an enemy); triads with a zero relation have no sign and are left out of the unweighted share
    and weigh 0 in the weighted one (weight |r_ij r_jk r_ik|). Counted with traces of matrix powers.
    Frustration index: over all two-camp splits, the fewest (and the least total |r_ij| of) edges that
    violate balance, i.e. negative inside a camp or positive across; exact by enumeration up to max_exact.
    """
    r = _relations(relations)
    labels = _names(names, r.shape[0])
    sign, absolute = np.sign(r), np.abs(r)

    def cube(a: np.ndarray) -> float:
        """The sum over triads of the products of their three edges."""
        return float(np.trace(a @ a @ a)) / 6.0

    triads = int(round(cube(sign * sign)))
    balanced = (triads + cube(sign)) / 2.0
    total_weight = cube(absolute)
    weighted = (total_weight + cube(r)) / (2.0 * total_weight) if total_weight > 0 else 1.0
    upper = np.triu(np.ones_like(r, dtype=bool), 1)
    neg_count, neg_weight = float((sign[upper] < 0).sum()), float(-r[upper][r[upper] < 0].sum())
    count, _, exact = _least_frustrated(sign, max_exact, samples, seed)
    weight, camps, _ = _least_frustrated(r, max_exact, samples, seed)
    return Balance(triads, balanced / triads if triads else 1.0, float(weighted),
                   int(round(neg_count + count)), max(0.0, neg_weight + weight), _split(camps, labels), exact)
