"""Alignment: who stands with whom, from structural drivers, with up to k blocs (phase 6 of the month).

Landscape theory (Axelrod & Bennett 1993; k blocs and outsiders in `model.theory.blocs`) takes sizes s_i and
propensities p_ij. Here the propensities come from the scenario's structural drivers (config `alignment:`,
model.config.alignment; equations and sources in docs/model-alignment.md):

    p_ij = w_ties K_ij + w_shared S_ij - w_threat (T_ij + T_ji)/2 + w_econ (E_ij + E_ji)/2 + w_aff A_ij + w_rel r_ij

with K the ties (treaties, patronage, military MoUs, plus the tie of every base held by consent), T the threat
that i sees in j, S_ij = sum_k T_ik T_jk / (n - 2) the threats i and j share, E the dependence of i on j, A the
regime affinity and r the current relations. Each month:

1. orders carried out this month and effects of kind `driver` (events, thresholds) have moved the drivers;
   threat and economic flows then close a config share of their gap to their baselines (decay);
2. the propensities are rebuilt, and the k-bloc dynamics run from last month's labels with a realignment cost:
   an actor moves only if its frustration falls by more than `switch_cost` times its total pull sum_j |s_j p_ij|
   (so a month's noise cannot undo a switch); moves go one at a time as in `model.theory.blocs.settle_blocs`,
   which this loop reproduces exactly when the cost is 0 (tests/sim/test_alignment.py checks it);
3. each actor's alignment margin (its frustration where it is minus that in its best other option, divided by its
   total pull: negative while content, above `switch_cost` it moves) is recorded, and every switch is an event
   naming its cause: the pull terms that decided it and which drivers moved them since the start and recently.

Everything here is vectorised over actors: a month without a switch is a dozen small numpy calls.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from model.config.alignment import DIRECTED, DRIVERS, FLOWS, AlignmentConfig
from model.config.scenario import Effect, Scenario, pair_key
from model.sim.adjudication import ev
from model.theory.alliances import RELATIVE_TOLERANCE
from model.theory.blocs import ABSTAIN, FIXED, FREE, OUTSIDE
from model.theory.blocs_landscape import MAX_EXACT_CONFIGS, bloc_landscape

# the additive parts of p_ij, in the order of AlignmentState.parts; their sum is the propensity
PARTS = ("ties", "shared_threat", "threat", "economic", "affinity", "relations")
PART_WORDS = {"ties": "ties", "shared_threat": "shared threats", "threat": "threat", "economic": "economic ties",
              "affinity": "affinity", "relations": "relations"}
INITIAL_SAMPLES = 2000       # seeded starts for the initial landscape above MAX_EXACT_CONFIGS configurations
NO_OPTION_MARGIN = -1.0      # alignment margin recorded for an actor with no other option (fixed outside)
CAUSE_MIN_CHANGE = 0.005     # a part of a propensity that moved less than this is not named as a cause
_LANDSCAPE_CACHE: dict[bytes, np.ndarray] = {}   # starting labels by landscape input: seeds share one landscape
_CACHE_SIZE = 64


@dataclass
class AlignmentState:
    """The drivers and the dynamics' memory, kept in the World (`World.alignment`)."""
    drivers: dict[str, np.ndarray]     # ties, threat, economic, affinity (n, n); threat/economic as [i, j] = i's view
    baseline: dict[str, np.ndarray]    # threat, economic: what the flows decay to (moved by lasting effects)
    base_tie: np.ndarray               # (b,) tie a base adds between its holder and its host while held
    kinds: np.ndarray                  # (n,) FREE, ABSTAIN or FIXED (model.theory.blocs)
    blocs: int                         # k
    parts: np.ndarray                  # (6, n, n) this month's weighted parts of p (PARTS order)
    start_parts: np.ndarray            # the parts at the start, for "since <start>" in a cause
    history: deque = field(default_factory=deque)   # the parts of recent months (oldest first)
    ids: tuple[str, ...] = ()          # actor ids, for the events
    margin: np.ndarray | None = None   # (n,) relative alignment margin (NO_OPTION_MARGIN without options)

    @property
    def propensity(self) -> np.ndarray:
        return self.parts.sum(axis=0)


@dataclass(frozen=True)
class Switch:
    """One move of the dynamics: `actor` left label `source` for `target`; `gain` is its frustration drop as a
    share of its total pull (> switch_cost)."""
    actor: int
    source: int
    target: int
    d_frustration: float
    gain: float


# ------------------------------------------------------------------------------------------- building blocks
def driver_matrices(sc: Scenario, actors: Sequence[str]) -> dict[str, np.ndarray]:
    """The scenario's driver tables as (n, n) arrays: ties and affinity symmetric, threat/economic [i, j] = the
    view of i (the first actor of "A-B") of j."""
    al = sc.alignment
    index = {a: i for i, a in enumerate(actors)}
    n = len(actors)
    out = {}
    for name in DRIVERS:
        m = np.zeros((n, n))
        for key, v in getattr(al, name).items():
            a, b = pair_key(key)  # type: ignore[misc]
            m[index[a], index[b]] = v
            if name not in DIRECTED:
                m[index[b], index[a]] = v
        out[name] = m
    return out


def option_kinds(al: AlignmentConfig, actors: Sequence[str]) -> np.ndarray:
    """(n,) FREE / ABSTAIN / FIXED per actor from `outside` and `may_abstain`."""
    return np.array([FIXED if a in al.outside else ABSTAIN if a in al.may_abstain else FREE for a in actors],
                    dtype=np.int8)


def basing_ties(base_tie: np.ndarray, holder: np.ndarray, host: np.ndarray, held: np.ndarray, n: int) -> np.ndarray:
    """(n, n) symmetric: the tie each listed base adds between its holder and its host while it is held."""
    out = np.zeros((n, n))
    use = held & (base_tie > 0) & (holder >= 0) & (holder != host)
    if use.any():
        np.add.at(out, (holder[use], host[use]), base_tie[use])
        out += out.T
    return out


def build_parts(al: AlignmentConfig, drivers: dict[str, np.ndarray], basing: np.ndarray, rel: np.ndarray,
                out: np.ndarray | None = None) -> np.ndarray:
    """The weighted parts of p_ij (PARTS order), each symmetric with a zero diagonal; p is their sum."""
    w = al.weights
    n = rel.shape[0]
    parts = np.empty((len(PARTS), n, n)) if out is None else out
    threat = drivers["threat"]
    np.minimum(drivers["ties"] + basing, 1.0, out=parts[0])
    parts[0] *= w.ties
    np.matmul(threat, threat.T, out=parts[1])
    parts[1] *= w.shared_threat / max(n - 2, 1)
    np.add(threat, threat.T, out=parts[2])
    parts[2] *= -0.5 * w.threat
    economic = drivers["economic"]
    np.add(economic, economic.T, out=parts[3])
    parts[3] *= 0.5 * w.economic
    np.multiply(drivers["affinity"], w.affinity, out=parts[4])
    np.multiply(rel, w.relations, out=parts[5])
    idx = np.arange(n)
    parts[:, idx, idx] = 0.0
    return parts


def propensities(al: AlignmentConfig, drivers: dict[str, np.ndarray], basing: np.ndarray,
                 rel: np.ndarray) -> np.ndarray:
    """p_ij from the drivers (docs/model-alignment.md): symmetric, zero diagonal."""
    return build_parts(al, drivers, basing, rel).sum(axis=0)


# ---------------------------------------------------------------------------------------------- dynamics
def _prepared(sizes: np.ndarray, p: np.ndarray, rule: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """q_ij = s_j p_ij, each actor's total pull sum_j |q_ij|, the move weights and the gain tolerance, as in
    model.theory.alliances (so that ties are decided the same way)."""
    q = p * sizes[None, :]
    scale = np.abs(q).sum(axis=1)
    weight = 2.0 * sizes if rule == "energy" else np.ones_like(sizes)
    return q, scale, weight, RELATIVE_TOLERANCE * float(np.max(scale * weight))


def _affinities(q: np.ndarray, x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """aff[i, b] = sum_j q_ij [x_j = b], the blocs in use, and each actor's affinity to its own bloc."""
    n = x.size
    onehot = np.zeros((n, k + 1))
    onehot[np.arange(n), x] = 1.0            # OUTSIDE (-1) lands in the last column, which is dropped
    onehot = onehot[:, :k]
    aff = q @ onehot
    own = np.where(x >= 0, aff[np.arange(n), np.maximum(x, 0)], 0.0)
    return aff, onehot.any(axis=0), own


def settle_with_cost(sizes: np.ndarray, p: np.ndarray, start: np.ndarray, kinds: np.ndarray, blocs: int,
                     switch_cost: float, rule: str = "energy") -> tuple[np.ndarray, list[Switch]]:
    """k-bloc dynamics from `start` where a move must lower the mover's frustration by more than
    switch_cost * sum_j |s_j p_ij|. Among the actors whose best move clears that bar, the one whose move lowers
    the energy most moves (rule "energy"; "frustration": the largest drop of its own frustration), ties to the
    first-listed; it goes to the best option, ties to the bloc whose first member comes first, then a new bloc,
    then outside. With switch_cost = 0 this is `model.theory.blocs.settle_blocs` move for move. Energy falls at
    every move, so the loop ends."""
    q, scale, weight, tol = _prepared(sizes, p, rule)
    tol_option = RELATIVE_TOLERANCE * scale
    bar = switch_cost * scale * weight + tol         # a move's weighted gain must exceed this
    x = np.asarray(start, dtype=np.int64).copy()
    fixed, abstain = kinds == FIXED, kinds == ABSTAIN
    k = max(1, min(blocs, int((~fixed).sum())))
    moves: list[Switch] = []
    while True:
        aff, used, own = _affinities(q, x, blocs)
        best = aff[:, used].max(axis=1, initial=-np.inf)
        zero = abstain | (used.sum() < k)           # outside, or a new bloc while fewer than k are in use
        best = np.where(zero, np.maximum(best, 0.0), best)
        gain = np.where(fixed, 0.0, (own - best) * weight)
        eligible = gain < -bar
        if not eligible.any():
            return x, moves
        low = gain[eligible].min()
        actor = int(np.argmax(eligible & (gain <= low + tol)))
        threshold = best[actor] - tol_option[actor]
        order = list(dict.fromkeys(v for v in x.tolist() if v != OUTSIDE))   # blocs in use, by first member
        to = next((b for b in order if b != x[actor] and aff[actor, b] >= threshold), None)
        if to is None:
            fresh = len(order) < k and threshold <= 0.0
            to = min(set(range(blocs)) - set(order)) if fresh else OUTSIDE
        gained = aff[actor, to] if to != OUTSIDE else 0.0
        d_frustration = float(own[actor] - gained)
        moves.append(Switch(actor, int(x[actor]), int(to), d_frustration,
                            float(-d_frustration / scale[actor]) if scale[actor] > 0 else 0.0))
        x[actor] = to


def margins(sizes: np.ndarray, p: np.ndarray, labels: np.ndarray, kinds: np.ndarray, blocs: int) -> np.ndarray:
    """Relative alignment margin per actor: (frustration where it is - frustration in its best other option) /
    sum_j |s_j p_ij|, in [-1, 1]; the margin of `model.theory.blocs.alignment`, vectorised. Actors with no other
    option (fixed outside) get NO_OPTION_MARGIN."""
    q = p * sizes[None, :]
    scale = np.abs(q).sum(axis=1)
    x = np.asarray(labels, dtype=np.int64)
    fixed, abstain = kinds == FIXED, kinds == ABSTAIN
    k = max(1, min(blocs, int((~fixed).sum())))
    aff, used, own = _affinities(q, x, blocs)
    other = used[None, :] & (np.arange(blocs)[None, :] != x[:, None])
    best = np.where(other, aff, -np.inf).max(axis=1, initial=-np.inf)
    counts = np.bincount(np.maximum(x, 0), weights=(x >= 0).astype(float), minlength=blocs)
    alone = (x >= 0) & (counts[np.maximum(x, 0)] == 1)
    new_bloc = (used.sum() < k) & ~alone
    outside = abstain & (x != OUTSIDE)
    best = np.where(new_bloc | outside, np.maximum(best, 0.0), best)
    margin = best - own
    with np.errstate(invalid="ignore", divide="ignore"):
        relative = np.where(scale > 0, margin / np.where(scale > 0, scale, 1.0), 0.0)
    return np.where(fixed | ~np.isfinite(best), NO_OPTION_MARGIN, relative)


# -------------------------------------------------------------------------------------------- start labels
def _listed(al: AlignmentConfig, actors: Sequence[str], kinds: np.ndarray) -> np.ndarray:
    """Labels of a configuration written as a list of blocs; unlisted abstainers stand outside."""
    x = np.full(len(actors), OUTSIDE, dtype=np.int64)
    index = {a: i for i, a in enumerate(actors)}
    assert isinstance(al.initial, list)
    for label, bloc in enumerate(b for b in al.initial if b):
        for a in bloc:
            x[index[a]] = label
    return x


def landscape_start(sizes: np.ndarray, p: np.ndarray, actors: Sequence[str], kinds: np.ndarray, blocs: int,
                    rule: str) -> np.ndarray:
    """The minimum of the starting landscape with the largest basin (ties: the lower energy), as labels; exact
    up to MAX_EXACT_CONFIGS configurations, else from INITIAL_SAMPLES seeded starts. Cached by its inputs, so the
    seeds of an experiment share one landscape (it costs ~0.1-0.3 s at 13 actors and 4 blocs)."""
    key = b"|".join([sizes.tobytes(), p.tobytes(), kinds.tobytes(), str((blocs, rule)).encode()])
    if key not in _LANDSCAPE_CACHE:
        result = bloc_landscape(sizes, p, list(actors), blocs=blocs, abstain=kinds == ABSTAIN,
                                outside=kinds == FIXED, max_configs=MAX_EXACT_CONFIGS, samples=INITIAL_SAMPLES,
                                rule=rule)
        top = max(result.minima, key=lambda m: m.basin)   # minima come lowest energy first: ties keep that order
        if len(_LANDSCAPE_CACHE) >= _CACHE_SIZE:
            _LANDSCAPE_CACHE.pop(next(iter(_LANDSCAPE_CACHE)))
        _LANDSCAPE_CACHE[key] = np.array(top.labels, dtype=np.int64)
    return _LANDSCAPE_CACHE[key].copy()


# -------------------------------------------------------------------------------------------- the phase
def init_alignment(w: Any, sc: Scenario, sizes: np.ndarray) -> None:
    """Build the drivers and the starting blocs (documented in docs/model-alignment.md) into the World."""
    al = sc.alignment
    drivers = driver_matrices(sc, w.actors)
    base_tie = np.array([al.basing.get(b, 0.0) for b in w.bases], dtype=float)
    kinds = option_kinds(al, w.actors)
    basing = basing_ties(base_tie, w.base_ctrl, w.base_host, w.held(), w.n)
    parts = build_parts(al, drivers, basing, w.rel)
    state = AlignmentState(drivers=drivers, baseline={f: drivers[f].copy() for f in FLOWS}, base_tie=base_tie,
                           kinds=kinds, blocs=al.blocs, parts=parts, start_parts=parts.copy(),
                           history=deque(maxlen=al.memory), ids=tuple(w.actors))
    p = parts.sum(axis=0)
    if al.initial == "landscape":
        start = landscape_start(sizes, p, w.actors, kinds, al.blocs, al.rule)
    else:
        start, _ = settle_with_cost(sizes, p, _listed(al, w.actors, kinds), kinds, al.blocs, 0.0, al.rule)
    w.alignment = state
    w.blocs = start
    state.margin = margins(sizes, p, start, kinds, al.blocs)


def apply_driver_effect(w: Any, ef: Effect) -> str:
    """An effect of kind `driver`: add delta to the driver between actor and other (clipped to its range);
    a lasting effect moves the flow's baseline too. Returns the note for the event."""
    st: AlignmentState = w.alignment
    a, b = w.idx(ef.actor), w.idx(ef.other)
    name = str(ef.driver)           # the schema makes driver, actor and other required for this kind
    low = -1.0 if name == "affinity" else 0.0
    m = st.drivers[name]
    cells = [(a, b)] if name in DIRECTED else [(a, b), (b, a)]
    for i, j in cells:
        m[i, j] = min(max(m[i, j] + ef.delta, low), 1.0)
        if ef.lasting and name in st.baseline:
            base = st.baseline[name]
            base[i, j] = min(max(base[i, j] + ef.delta, low), 1.0)
    return f"{name} {ef.actor}-{ef.other} {ef.delta:+.2f}" + (" (lasting)" if ef.lasting else "")


def apply_orders(w: Any, al: AlignmentConfig, carried: Iterable[tuple[int, str, int]]) -> None:
    """Orders carried out this month move the drivers between actor and target (config `alignment.orders`):
    ties for the pair, threat[target, actor] and economic[target, actor] (the target's view of the actor)."""
    st: AlignmentState = w.alignment
    table = al.orders
    for a, kind, t in carried:
        eff = table.get(kind)
        if eff is None or t < 0 or t == a:
            continue
        if eff.ties:
            v = min(max(st.drivers["ties"][a, t] + eff.ties, 0.0), 1.0)
            st.drivers["ties"][a, t] = st.drivers["ties"][t, a] = v
        if eff.threat:
            st.drivers["threat"][t, a] = min(max(st.drivers["threat"][t, a] + eff.threat, 0.0), 1.0)
        if eff.economic:
            st.drivers["economic"][t, a] = min(max(st.drivers["economic"][t, a] + eff.economic, 0.0), 1.0)


def decay_flows(st: AlignmentState, al: AlignmentConfig) -> None:
    """Threat and economic flows close their config share of the gap to their baselines."""
    for name in FLOWS:
        rate = getattr(al.decay, name)
        if rate:
            m = st.drivers[name]
            m += rate * (st.baseline[name] - m)


def phase_alignment(w: Any, sc: Scenario, sizes: np.ndarray, carried: Iterable[tuple[int, str, int]],
                    names: Sequence[str], switching: bool = True) -> list[dict]:
    """6. Drivers move (orders, decay), propensities are rebuilt, blocs settle from last month's labels with the
    realignment cost, margins are recorded. Returns the switch events (kind `alliance_shift`), each naming its
    cause. `names` are the actors' display names."""
    al = sc.alignment
    st: AlignmentState = w.alignment
    apply_orders(w, al, carried)
    decay_flows(st, al)
    st.history.append(st.parts.copy())      # last month's parts, for "recently" in a cause
    basing = basing_ties(st.base_tie, w.base_ctrl, w.base_host, w.held(), w.n)
    build_parts(al, st.drivers, basing, w.rel, out=st.parts)
    p = st.parts.sum(axis=0)
    before = w.blocs
    events: list[dict] = []
    if switching:
        after, moves = settle_with_cost(sizes, p, before, st.kinds, st.blocs, al.switch_cost, al.rule)
        if moves:
            x = before.copy()
            for mv in moves:
                events.append(switch_event(st, al, sizes, p, x, mv, names))
                x[mv.actor] = mv.target
            w.blocs = after
    st.margin = margins(sizes, p, w.blocs, st.kinds, st.blocs)
    return events


# ------------------------------------------------------------------------------------------------- causes
def bloc_name(members: Sequence[int], sizes: np.ndarray, names: Sequence[str]) -> str:
    """A bloc by its largest member: "Turkey's bloc" (as the web UI names it)."""
    lead = names[max(members, key=lambda j: (sizes[j], -j))]
    return f"{lead}' bloc" if lead.endswith("s") else f"{lead}'s bloc"


def _months(k: int) -> str:
    return "the last month" if k == 1 else f"the last {k} months"


def _moved(st: AlignmentState, i: int, j: int) -> str:
    """What moved p_ij: the parts that changed most since the start, and whether that happened recently (within
    `memory` months), e.g. "relations +0.30, economic ties +0.12 since the start, all in the last 4 months"."""
    now = st.parts[:, i, j]
    since = now - st.start_parts[:, i, j]
    top = [k for k in np.argsort(-np.abs(since), kind="stable")[:2] if abs(since[k]) >= CAUSE_MIN_CHANGE]
    recent = now - st.history[0][:, i, j] if st.history else np.zeros_like(now)
    months = len(st.history)
    if not top:
        big = [k for k in np.argsort(-np.abs(recent), kind="stable")[:1] if abs(recent[k]) >= CAUSE_MIN_CHANGE]
        return (f"{PART_WORDS[PARTS[big[0]]]} {recent[big[0]]:+.2f} in {_months(months)}" if big else "")
    text = ", ".join(f"{PART_WORDS[PARTS[k]]} {since[k]:+.2f}" for k in top) + " since the start"
    if months and all(abs(since[k] - recent[k]) < CAUSE_MIN_CHANGE for k in top):
        return text + f", all in {_months(months)}"
    late = [k for k in top if abs(recent[k]) >= CAUSE_MIN_CHANGE]
    if late:
        text += f" ({', '.join(f'{PART_WORDS[PARTS[k]]} {recent[k]:+.2f}' for k in late)} in {_months(months)})"
    return text


def switch_event(st: AlignmentState, al: AlignmentConfig, sizes: np.ndarray, p: np.ndarray, x: np.ndarray,
                 mv: Switch, names: Sequence[str]) -> dict:
    """The event of one switch, with its cause in the theory's terms: the pull terms s_j p_ij the move gains
    (toward its new partners, away from old partners it opposes) and the ones it gives up, each with the drivers
    that moved it."""
    i, n = mv.actor, x.size
    q = p[i] * sizes
    old = [j for j in range(n) if j != i and mv.source != OUTSIDE and x[j] == mv.source]
    new = [j for j in range(n) if j != i and mv.target != OUTSIDE and x[j] == mv.target]
    # the move's change of frustration is sum_{old} q_ij - sum_{new} q_ij: terms that lower it are reasons to go
    reasons = sorted([(q[j], j) for j in new if q[j] > 0] + [(-q[j], j) for j in old if q[j] < 0], reverse=True)
    holds = sorted([(q[j], j) for j in old if q[j] > 0] + [(-q[j], j) for j in new if q[j] < 0], reverse=True)
    where_from = bloc_name(old, sizes, names) if old else "a bloc of its own"
    where_to = ("to stand outside every bloc" if mv.target == OUTSIDE else
                f"for {bloc_name(new, sizes, names)}" if new else "for a bloc of its own")
    me = names[i]

    def term(j: int, toward: bool) -> str:
        what = f"its pull toward {names[j]}" if toward else f"its quarrel with {names[j]}"
        moved = _moved(st, i, j)
        return f"{what} ({p[i, j]:+.2f}" + (f": {moved})" if moved else ")")

    def held(j: int) -> str:
        return (f"its ties to {names[j]} ({p[i, j]:+.2f})" if j in old
                else f"its quarrel with {names[j]} ({p[i, j]:+.2f})")

    reason_text = " and ".join(term(j, j in new) for _, j in reasons[:al.cause_terms])
    if mv.source == OUTSIDE:
        head = f"{me} gave up standing outside every bloc and joined {where_to[4:]}"
    else:
        head = f"{me} left {where_from} {where_to}"
    if reason_text and holds:
        body = f": {reason_text} now outweigh {held(holds[0][1])}"
    elif reason_text:
        body = f", moved by {reason_text}"
    else:
        body = f", giving up {held(holds[0][1])}" if holds else ""
    sentence = (f"{head}{body} (frustration {mv.d_frustration:+.1f}, {100 * mv.gain:.0f}% of its pull against "
                f"a realignment cost of {100 * al.switch_cost:.0f}%).")
    return ev("alliance_shift", [st.ids[i]], sentence, bloc=int(mv.target), source=int(mv.source),
              gain=mv.gain, d_frustration=mv.d_frustration,
              reasons=", ".join(f"{names[j]}" for _, j in reasons[:al.cause_terms])) | {"phase": "alliances"}

