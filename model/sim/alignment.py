"""Alignment: who stands with whom, from structural drivers, with up to k blocs (phase 6 of the month).

Landscape theory (Axelrod & Bennett 1993; k blocs and outsiders in `model.theory.blocs`) takes sizes s_i and
propensities p_ij. Here the propensities come from the scenario's structural drivers (config `alignment:`,
model.config.alignment; equations and sources in docs/model.md):

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

from model.config.alignment import DIRECTED, DRIVERS, FLOWS, MAX_ALIGNMENT_BLOCS, AlignmentConfig
from model.config.scenario import Effect, Scenario, split_pair
from model.sim.story import ev
from model.theory.alliances import RELATIVE_TOLERANCE
from model.theory.blocs import ABSTAIN, FIXED, FREE, OUTSIDE
from model.theory.blocs_landscape import MAX_EXACT_CONFIGS, bloc_landscape

# the additive parts of p_ij (their sum is the propensity), computed from a snapshot when a cause is told
PARTS = ("ties", "shared_threat", "threat", "economic", "affinity", "relations")
PART_WORDS = {"ties": "ties", "shared_threat": "shared threats", "threat": "threat", "economic": "economic ties",
              "affinity": "affinity", "relations": "relations"}
INITIAL_SAMPLES = 2000       # seeded starts for the initial landscape above MAX_EXACT_CONFIGS configurations
NO_OPTION_MARGIN = -1.0      # alignment margin recorded for an actor with no other option (fixed outside)
CAUSE_MIN_CHANGE = 0.005     # a part of a propensity that moved less than this is not named as a cause
_LANDSCAPE_CACHE: dict[bytes, np.ndarray] = {}   # starting labels by landscape input: seeds share one landscape
_CACHE_SIZE = 64
_LABELS = np.arange(MAX_ALIGNMENT_BLOCS)


@dataclass(frozen=True)
class Snapshot:
    """The inputs of the propensities in one month (copies), from which their parts can be rebuilt."""
    ties: np.ndarray
    threat: np.ndarray
    economic: np.ndarray
    affinity: np.ndarray
    basing: np.ndarray
    rel: np.ndarray


@dataclass
class AlignmentState:
    """The drivers and the dynamics' memory, kept in the World (`World.alignment`)."""
    config: AlignmentConfig
    drivers: dict[str, np.ndarray]     # ties, threat, economic, affinity (n, n); threat/economic as [i, j] = i's view
    baseline: dict[str, np.ndarray]    # threat, economic: what the flows decay to (moved by lasting effects)
    base_tie: np.ndarray               # (b,) tie a base adds between its holder and its host while held
    kinds: np.ndarray                  # (n,) FREE, ABSTAIN or FIXED (model.theory.blocs)
    blocs: int                         # k
    prepared: Any                      # _Kinds: the same, prepared for the dynamics
    propensity: np.ndarray             # (n, n) this month's p
    start: Snapshot                    # the inputs at the start, for "since the start" in a cause
    current: Snapshot                  # this month's inputs
    history: deque = field(default_factory=deque)   # the inputs of recent months, oldest first
    ids: tuple[str, ...] = ()          # actor ids, for the events
    margin: np.ndarray | None = None   # (n,) relative alignment margin (NO_OPTION_MARGIN without options)
    basing_key: bytes = b""            # base holders, hosts and statuses the cached basing ties were built from
    basing: np.ndarray | None = None
    order_table: dict[str, tuple[float, float, float]] | None = None   # kind -> (ties, threat, economic) deltas

    @property
    def parts(self) -> np.ndarray:
        """(6, n, n): this month's weighted parts of p in PARTS order."""
        return parts_of(self.config, self.current)


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
            a, b = split_pair(key)
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
    if np.count_nonzero(use):
        np.add.at(out, (holder[use], host[use]), base_tie[use])
        out += out.T
    return out


def parts_of(al: AlignmentConfig, snap: Snapshot) -> np.ndarray:
    """The weighted parts of p_ij (PARTS order), each symmetric with a zero diagonal; p is their sum."""
    w = al.weights
    n = snap.rel.shape[0]
    threat, economic = snap.threat, snap.economic
    parts = np.stack([w.ties * np.minimum(snap.ties + snap.basing, 1.0),
                      (w.shared_threat / max(n - 2, 1)) * (threat @ threat.T),
                      -0.5 * w.threat * (threat + threat.T),
                      0.5 * w.economic * (economic + economic.T),
                      w.affinity * snap.affinity,
                      w.relations * snap.rel])
    idx = np.arange(n)
    parts[:, idx, idx] = 0.0
    return parts


def propensities(al: AlignmentConfig, drivers: dict[str, np.ndarray], basing: np.ndarray,
                 rel: np.ndarray) -> np.ndarray:
    """p_ij from the drivers (docs/model.md): symmetric, zero diagonal; the sum of `parts_of` in a
    few in-place operations (this runs every month)."""
    w = al.weights
    n = rel.shape[0]
    threat, economic = drivers["threat"], drivers["economic"]
    p = np.add(drivers["ties"], basing)
    np.minimum(p, 1.0, out=p)
    p *= w.ties
    p += (threat @ threat.T) * (w.shared_threat / max(n - 2, 1))
    flows = threat * (-0.5 * w.threat) + economic * (0.5 * w.economic)   # both directed: symmetrised below
    p += flows
    p += flows.T
    p += drivers["affinity"] * w.affinity
    p += rel * w.relations
    p.reshape(-1)[::n + 1] = 0.0                 # the diagonal (np.fill_diagonal's cells)
    return p


def snapshot(drivers: dict[str, np.ndarray], basing: np.ndarray, rel: np.ndarray) -> Snapshot:
    """This month's inputs. Driver arrays are never changed in place once built (every change makes a new array:
    `_writable`), so a snapshot keeps references; the relations are changed in place by orders, so they are copied."""
    return Snapshot(drivers["ties"], drivers["threat"], drivers["economic"], drivers["affinity"], basing, rel.copy())


def _writable(st: AlignmentState, name: str, fresh: set[str]) -> np.ndarray:
    """A driver array that may be changed: a copy the first time in a batch of changes (`fresh` remembers)."""
    if name not in fresh:
        st.drivers[name] = st.drivers[name].copy()
        fresh.add(name)
    return st.drivers[name]


# ---------------------------------------------------------------------------------------------- dynamics
class _Problem:
    """Sizes and propensities prepared as model.theory.alliances prepares them (q_ij = s_j p_ij, each actor's
    total pull, the move weights, the tolerance), so that ties are decided the same way; `kinds` and k come
    prepared (_Kinds), since they do not change during a game."""

    def __init__(self, sizes: np.ndarray, p: np.ndarray, kinds: _Kinds, rule: str) -> None:
        self.q = p * sizes
        self.scale = np.add.reduce(np.abs(self.q), axis=1)
        self.weight = 2.0 * sizes if rule == "energy" else np.ones_like(sizes)
        self.weighted_scale = self.scale * self.weight
        self.tol = RELATIVE_TOLERANCE * float(np.maximum.reduce(self.weighted_scale))
        self.kinds = kinds

    def state(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """One-hot labels (n, k), aff[i, b] = sum_j q_ij [x_j = b], the blocs in use, each actor's affinity to
        its own bloc (0 outside) and to the best other bloc in use (-inf if none)."""
        onehot = x[:, None] == self.kinds.labels            # an outsider's row is all False
        aff = self.q @ onehot
        used = np.logical_or.reduce(onehot, axis=0)
        own = np.add.reduce((aff * onehot), axis=1)
        other = np.maximum.reduce(np.where(used & ~onehot, aff, -np.inf), axis=1)
        return onehot, aff, used, own, other


@dataclass(frozen=True)
class _Kinds:
    """Per-game constants of the dynamics: who is fixed outside or may abstain, k and the labels."""
    fixed: np.ndarray
    abstain: np.ndarray
    any_fixed: bool
    any_abstain: bool
    blocs: int
    k: int                  # labels actually usable: min(blocs, actors who can be in a bloc), at least 1
    labels: np.ndarray

    @classmethod
    def of(cls, kinds: np.ndarray, blocs: int) -> _Kinds:
        fixed, abstain = kinds == FIXED, kinds == ABSTAIN
        return cls(fixed, abstain, bool(fixed.any()), bool(abstain.any()), blocs,
                   max(1, min(blocs, int(kinds.size - fixed.sum()))), _LABELS[:blocs])


def _settle(pr: _Problem, start: np.ndarray, cost: float) -> tuple[np.ndarray, list[Switch], tuple]:
    """The dynamics with a realignment cost (see settle_with_cost); also the final state, for the margins."""
    kd = pr.kinds
    bar = pr.weighted_scale * cost + pr.tol         # a move's weighted gain must exceed this
    x = np.array(start, dtype=np.int64)
    moves: list[Switch] = []
    while True:
        onehot, aff, used, own, other = st = pr.state(x)
        best = np.maximum(other, own)               # the best bloc in use (an outsider's own is 0: outside)
        fresh = np.count_nonzero(used) < kd.k
        if fresh:                                   # a new bloc (affinity 0) is open to everyone
            best = np.maximum(best, 0.0)
        elif kd.any_abstain:                        # outside (affinity 0) is open to abstainers
            best = np.where(kd.abstain, np.maximum(best, 0.0), best)
        gain = (own - best) * pr.weight
        if kd.any_fixed:
            gain[kd.fixed] = 0.0
        eligible = gain < -bar
        if not np.count_nonzero(eligible):
            return x, moves, st
        low = gain[eligible].min()
        actor = int(np.argmax(eligible & (gain <= low + pr.tol)))
        threshold = best[actor] - RELATIVE_TOLERANCE * pr.scale[actor]
        order = list(dict.fromkeys(v for v in x.tolist() if v != OUTSIDE))   # blocs in use, by first member
        to = next((b for b in order if b != x[actor] and aff[actor, b] >= threshold), None)
        if to is None:
            to = min(set(range(kd.blocs)) - set(order)) if fresh and threshold <= 0.0 else OUTSIDE
        gained = aff[actor, to] if to != OUTSIDE else 0.0
        d_frustration = float(own[actor] - gained)
        scale = pr.scale[actor]
        moves.append(Switch(actor, int(x[actor]), int(to), d_frustration,
                            float(-d_frustration / scale) if scale > 0 else 0.0))
        x[actor] = to


def _margins(pr: _Problem, x: np.ndarray, st: tuple) -> np.ndarray:
    """Relative alignment margins from the state of a configuration (see margins)."""
    kd = pr.kinds
    onehot, aff, used, own, best = st               # best: the best other bloc in use
    zero = None                                     # who also has an option worth 0:
    if np.count_nonzero(used) < kd.k:               # a new bloc, unless the actor is alone in its own already
        zero = (onehot @ (np.add.reduce(onehot, axis=0) == 1)) == 0
    if kd.any_abstain:                              # standing aside
        aside = kd.abstain & (x != OUTSIDE)
        zero = aside if zero is None else zero | aside
    if zero is not None:
        best = np.where(zero, np.maximum(best, 0.0), best)
    relative = np.divide(best - own, pr.scale, out=np.zeros_like(own), where=pr.scale > 0)
    relative[best == -np.inf] = NO_OPTION_MARGIN
    if kd.any_fixed:
        relative[kd.fixed] = NO_OPTION_MARGIN
    return relative


def settle_with_cost(sizes: np.ndarray, p: np.ndarray, start: np.ndarray, kinds: np.ndarray, blocs: int,
                     switch_cost: float, rule: str = "energy") -> tuple[np.ndarray, list[Switch]]:
    """k-bloc dynamics from `start` where a move must lower the mover's frustration by more than
    switch_cost * sum_j |s_j p_ij|. Among the actors whose best move clears that bar, the one whose move lowers
    the energy most moves (rule "energy"; "frustration": the largest drop of its own frustration), ties to the
    first-listed; it goes to the best option, ties to the bloc whose first member comes first, then a new bloc,
    then outside. With switch_cost = 0 this is `model.theory.blocs.settle_blocs` move for move. Energy falls at
    every move, so the loop ends."""
    x, moves, _ = _settle(_Problem(sizes, p, _Kinds.of(kinds, blocs), rule), start, switch_cost)
    return x, moves


def margins(sizes: np.ndarray, p: np.ndarray, labels: np.ndarray, kinds: np.ndarray, blocs: int) -> np.ndarray:
    """Relative alignment margin per actor: (frustration where it is - frustration in its best other option) /
    sum_j |s_j p_ij|, in [-1, 1]; the margin of `model.theory.blocs.alignment`, vectorised. Actors with no other
    option (fixed outside) get NO_OPTION_MARGIN. An actor moves when its margin exceeds the realignment cost; the
    divisor is its current total pull, so a pull that passes through zero can shift the margin both ways."""
    pr = _Problem(sizes, p, _Kinds.of(kinds, blocs), "energy")
    x = np.asarray(labels, dtype=np.int64)
    return _margins(pr, x, pr.state(x))


# -------------------------------------------------------------------------------------------- start labels
def _listed(al: AlignmentConfig, actors: Sequence[str]) -> np.ndarray:
    """Labels of a configuration written as a list of blocs; unlisted actors (outsiders, abstainers) stand
    outside."""
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
def _basing(st: AlignmentState, w: Any) -> np.ndarray:
    """The bases' ties, rebuilt only when a base changed holder, host or status."""
    key = w.base_ctrl.tobytes() + w.base_host.tobytes() + w.base_status.tobytes()
    if st.basing is None or key != st.basing_key:
        st.basing = basing_ties(st.base_tie, w.base_ctrl, w.base_host, w.held(), w.n)
        st.basing_key = key
    return st.basing


def init_alignment(w: Any, sc: Scenario, sizes: np.ndarray) -> None:
    """Build the drivers and the starting blocs (documented in docs/model.md) into the World."""
    al = sc.alignment
    drivers = driver_matrices(sc, w.actors)
    base_tie = np.array([al.basing.get(b, 0.0) for b in w.bases], dtype=float)
    kinds = option_kinds(al, w.actors)
    basing = basing_ties(base_tie, w.base_ctrl, w.base_host, w.held(), w.n)
    p = propensities(al, drivers, basing, w.rel)
    now = snapshot(drivers, basing, w.rel)
    st = AlignmentState(config=al, drivers=drivers, baseline={f: drivers[f].copy() for f in FLOWS},
                        base_tie=base_tie, kinds=kinds, blocs=al.blocs, prepared=_Kinds.of(kinds, al.blocs),
                        propensity=p, start=now, current=now,
                        history=deque(maxlen=al.memory), ids=tuple(w.actors))
    if al.initial == "landscape":
        start = landscape_start(sizes, p, w.actors, kinds, al.blocs, al.rule)
    else:
        start = settle_with_cost(sizes, p, _listed(al, w.actors), kinds, al.blocs, 0.0, al.rule)[0]
    w.alignment = st
    w.blocs = start
    pr = _Problem(sizes, p, st.prepared, al.rule)
    st.margin = _margins(pr, start, pr.state(start))


def apply_driver_effect(w: Any, ef: Effect) -> str:
    """An effect of kind `driver`: add delta to the driver between actor and other (clipped to its range);
    a lasting effect moves the flow's baseline too. Returns the note for the event."""
    st: AlignmentState = w.alignment
    a, b = w.idx(ef.actor), w.idx(ef.other)
    name = str(ef.driver)           # the schema makes driver, actor and other required for this kind
    low = -1.0 if name == "affinity" else 0.0
    m = _writable(st, name, set())
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
    if st.order_table is None:
        st.order_table = {k: (e.ties, e.threat, e.economic) for k, e in al.orders.items()}
    table = st.order_table
    fresh: set[str] = set()
    for a, kind, t in carried:
        eff = table.get(kind)
        if eff is None or t < 0 or t == a:
            continue
        ties, threat, economic = eff
        if ties:
            m = _writable(st, "ties", fresh)
            m[a, t] = m[t, a] = min(max(m[a, t] + ties, 0.0), 1.0)
        if threat:
            m = _writable(st, "threat", fresh)
            m[t, a] = min(max(m[t, a] + threat, 0.0), 1.0)
        if economic:
            m = _writable(st, "economic", fresh)
            m[t, a] = min(max(m[t, a] + economic, 0.0), 1.0)


def decay_flows(st: AlignmentState, al: AlignmentConfig) -> None:
    """Threat and economic flows close their config share of the gap to their baselines."""
    for name in FLOWS:
        rate = getattr(al.decay, name)
        if rate:
            m = st.drivers[name]
            st.drivers[name] = m + (st.baseline[name] - m) * rate   # a new array (see snapshot)


def phase_alignment(w: Any, sc: Scenario, sizes: np.ndarray, carried: Iterable[tuple[int, str, int]],
                    names: Sequence[str], switching: bool = True) -> list[dict]:
    """6. Drivers move (orders, decay), propensities are rebuilt, blocs settle from last month's labels with the
    realignment cost, margins are recorded. Returns the switch events (kind `alliance_shift`), each naming its
    cause. `names` are the actors' display names."""
    al = sc.alignment
    st: AlignmentState = w.alignment
    apply_orders(w, al, carried)
    decay_flows(st, al)
    basing = _basing(st, w)
    st.history.append(st.current)           # last month's inputs, for "recently" in a cause
    st.current = snapshot(st.drivers, basing, w.rel)
    p = st.propensity = propensities(al, st.drivers, basing, w.rel)
    pr = _Problem(sizes, p, st.prepared, al.rule)
    before = w.blocs
    if switching:
        after, moves, state = _settle(pr, before, al.switch_cost)
    else:
        after, moves, state = before, [], pr.state(before)
    events: list[dict] = []
    if moves:
        x = before.copy()
        for mv in moves:
            events.append(switch_event(st, al, sizes, p, x, mv, names))
            x[mv.actor] = mv.target
        w.blocs = after
    st.margin = _margins(pr, after, state)
    return events


# ------------------------------------------------------------------------------------------------- causes
def bloc_name(members: Sequence[int], sizes: np.ndarray, names: Sequence[str]) -> str:
    """A bloc by its largest member: "Turkey's bloc" (as the web UI names it)."""
    lead = names[max(members, key=lambda j: (sizes[j], -j))]
    return f"{lead}' bloc" if lead.endswith("s") else f"{lead}'s bloc"


def _months(k: int) -> str:
    return "the last month" if k == 1 else f"the last {k} months"


def _moved(st: AlignmentState, parts: tuple[np.ndarray, np.ndarray, np.ndarray | None], i: int, j: int) -> str:
    """What moved p_ij: the parts that changed most since the start, and whether that happened recently (within
    `memory` months), e.g. "relations +0.30, economic ties +0.12 since the start, all in the last 4 months".
    `parts`: the parts now, at the start and `memory` months ago (None without history)."""
    now_parts, start_parts, old_parts = parts
    now = now_parts[:, i, j]
    since = now - start_parts[:, i, j]
    top = [k for k in np.argsort(-np.abs(since), kind="stable")[:2] if abs(since[k]) >= CAUSE_MIN_CHANGE]
    recent = now - old_parts[:, i, j] if old_parts is not None else np.zeros_like(now)
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
    parts = (parts_of(al, st.current), parts_of(al, st.start),
             parts_of(al, st.history[0]) if st.history else None)

    def term(j: int, toward: bool) -> str:
        what = f"its pull toward {names[j]}" if toward else f"its quarrel with {names[j]}"
        moved = _moved(st, parts, i, j)
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

