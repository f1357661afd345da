"""The world state as numpy arrays indexed by actor, base, region and issue, so a turn is cheap and a copy is one go.

Mesa agents (`model.sim.agents`) hold their index into these arrays; every mechanism reads and writes them here.
"""
from __future__ import annotations

import copy
from collections import deque
from dataclasses import dataclass, field, is_dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel

from model.config.scenario import Scenario, split_pair
from model.config.vocabulary import BASE_STATUSES

CAP_FIELDS = ("military", "economic", "diplomatic")
STATUS = {s: i for i, s in enumerate(BASE_STATUSES)}
HELD_STATUSES = np.array([STATUS["active"], STATUS["drawdown"], STATUS["contested"], STATUS["reduced"]])
IS_HELD = np.isin(np.arange(len(STATUS)), HELD_STATUSES)   # status index -> held? (a lookup, not a search)


@dataclass
class World:
    """Hot state of one game. Arrays are owned; `copy()` is a deep copy."""
    actors: list[str]
    bases: list[str]
    regions: list[str]
    issues: list[str]
    cap: np.ndarray                 # (n, 3) military, economic, diplomatic, 0-100
    rel: np.ndarray                 # (n, n) relations in [-1, 1], symmetric, zero diagonal
    affinity: np.ndarray            # (n, n) baseline affinity that relations drift towards
    fighting: np.ndarray            # (n, n) fighting intensity in [0, 1], symmetric
    base_ctrl: np.ndarray           # (b,) actor index holding the base, -1 for none
    base_host: np.ndarray           # (b,) the host: largest control share of its region (model.sim.bases)
    base_garrison: np.ndarray       # (b,) 0-1
    base_status: np.ndarray         # (b,) index into BASE_STATUSES
    base_value: np.ndarray          # (b, n) value of each base to each actor, 0-1
    base_region: np.ndarray         # (b,) region index
    control: np.ndarray             # (r, n) control shares, rows sum to 1
    population: np.ndarray          # (r,) population weights
    position: np.ndarray            # (k, n) issue positions (on each issue's own scale), moved by bargaining
    ideal: np.ndarray               # (k, n) each actor's preferred outcome: its starting position, moved only
                                    # by events that change what it wants (issue goals measure distance to it)
    salience: np.ndarray            # (k, n) 0-1
    scale: np.ndarray               # (k, 2) low, high
    forecast: np.ndarray            # (k,) current forecast position of each issue
    blocs: np.ndarray               # (n,) bloc label 0..k-1 in the landscape configuration, -1 = outside every bloc
    goal_weight: dict[str, dict[str, float]]  # actor -> goal name -> weight (events can change it)
    western: np.ndarray             # (n,) bool
    sanctions: np.ndarray           # (n, n) bool, [a, b]: a sanctions b
    recognised: np.ndarray          # (n, n) bool, [a, b]: a has recognised (or delisted) b during the game
    us_engagement: float = 0.0
    roles: dict[str, int] = field(default_factory=dict)  # role -> actor index (absent roles are missing)
    # --- bases and territory: the model fills these with model.sim.bases.init_bases and
    # model.sim.territory.init_territory (they build on this module, so it cannot call them)
    base_troops: np.ndarray = field(default_factory=lambda: np.zeros(0))    # (b,) troops at full garrison
    base_by_force: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (b,) no lease needed
    base_talks: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))   # (b,) issue index, -1 none
    base_talks_k: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))  # (b,) the same, 0 for none
    base_talks_sign: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (b,) +1: high end favours holder
    lease: np.ndarray = field(default_factory=lambda: np.zeros((0, 5)))  # (b, 5) renew reduce evict reprieve cap
    lease_months: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))  # (b,) notice months
    base_rate: np.ndarray = field(default_factory=lambda: np.zeros(0))     # (b,) garrison drawn down per month
    base_notice: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (b,) drawdown by notice
    base_consent: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (b,) host's consent, 1 = not needed
    consent_start: np.ndarray = field(default_factory=lambda: np.zeros((0, 5)))  # (b, 5) consent terms at start
    consent_weights: np.ndarray = field(default_factory=lambda: np.zeros(7))  # bias rel pay talks value bloc; risk
    payments: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # (n, n) [a, h]: a's favours to h
    budget: np.ndarray = field(default_factory=lambda: np.zeros(0))        # (n,) troops before drains; inf: none
    drains: np.ndarray = field(default_factory=lambda: np.zeros((0, 4)))   # (d, 4) actor troops start months
    drain_names: list[str] = field(default_factory=list)
    upkeep: np.ndarray = field(default_factory=lambda: np.zeros(0))        # (n,) troops at bases this month
    available: np.ndarray = field(default_factory=lambda: np.zeros(0))     # (n,) budget net of drains now
    strain: np.ndarray = field(default_factory=lambda: np.zeros(0))        # (n,) (upkeep - budget) / budget, >= 0
    strained: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (n,) over budget last month
    potential: np.ndarray = field(default_factory=lambda: np.zeros(0))     # (n,) military regenerated toward
    cap_start: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))  # (n, 3) capabilities at turn start
    committed: np.ndarray = field(default_factory=lambda: np.zeros(0))     # (n,) US$bn committed, not yet absorbed
    fight_start: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # (n, n) fighting after the fade
    ceasefire: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=int))  # (n, n) months left
    support: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # (r, n) local and tribal support
    view_cache: tuple | None = None     # model.sim.utility.GroundView's per-base columns, keyed by hosts and blocs
    available_key: tuple | None = None  # (turn, budgets) that `available` was computed for (model.sim.bases)
    turn: int = 0
    counters: dict[str, int] = field(default_factory=dict)  # event id -> times fired
    # the talks (model.sim.talks): where each issue stands on the ground (nan = no status quo), closed issues, each
    # actor's talks move not yet told, and the thresholds and events waiting for their re-arming condition
    status_quo: np.ndarray = field(default_factory=lambda: np.zeros(0))          # (k,)
    issue_closed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (k,)
    untold: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))          # (k, n)
    disarmed: set[str] = field(default_factory=set)
    alignment: Any = None           # model.sim.alignment.AlignmentState: drivers of alliance choice, margins
                                    # (not imported here: alignment imports the modules that import this one)

    @property
    def n(self) -> int:
        return len(self.actors)

    def copy(self) -> World:
        return copy.deepcopy(self)

    # ---------------------------------------------------------------------------------- helpers
    def idx(self, actor: str) -> int:
        return self._aidx[actor]

    def bidx(self, base: str) -> int:
        return self._bidx[base]

    def ridx(self, region: str) -> int:
        return self._ridx[region]

    def kidx(self, issue: str) -> int:
        return self._kidx[issue]

    def __post_init__(self) -> None:
        self._aidx = {a: i for i, a in enumerate(self.actors)}
        self._bidx = {b: i for i, b in enumerate(self.bases)}
        self._ridx = {r: i for i, r in enumerate(self.regions)}
        self._kidx = {k: i for i, k in enumerate(self.issues)}

    def sizes(self, weights: np.ndarray) -> np.ndarray:
        """Actor size for alliances and bargaining: weighted capabilities, kept strictly positive."""
        return np.maximum(self.cap @ weights, 1e-3)

    def held(self) -> np.ndarray:
        """(b,) bool: the base is held by its controller (active, in drawdown or contested)."""
        return (self.base_ctrl >= 0) & IS_HELD[self.base_status]

    def add_relation(self, a: int, b: int, delta: float) -> None:
        v = clamp(float(self.rel[a, b]) + delta, -1.0, 1.0)
        self.rel[a, b] = self.rel[b, a] = v

    def add_fighting(self, a: int, b: int, delta: float) -> None:
        v = clamp(float(self.fighting[a, b]) + delta, 0.0, 1.0)
        self.fighting[a, b] = self.fighting[b, a] = v

    def shift_control(self, r: int, a: int, delta: float, recipient: int | None = None) -> float:
        """Move up to `delta` of region r's control to actor a (or away if negative), pro rata from the others.

        Share taken from an actor that holds the whole region goes to `recipient` (e.g. the attacker), or is
        spread over everyone else when none is named. Returns the change made; rows keep summing to 1.
        """
        row = self.control[r]
        if delta >= 0:
            others = row.sum() - row[a]
            d = min(delta, others)
            if d <= 0:
                return 0.0
            share = row[a]
            row *= 1.0 - d / others
            row[a] = share + d
        else:
            d = min(-delta, row[a])
            if d <= 0:
                return 0.0
            others = row.sum() - row[a]
            row[a] -= d
            if others > 0:
                mask = mask_others(len(row), a)
                row[mask] += d * row[mask] / others
            elif recipient is not None and recipient != a:
                row[recipient] += d
            else:
                row[mask_others(len(row), a)] += d / (len(row) - 1)
            d = -d
        self.control[r] = row / row.sum()
        return float(d)


_ATOMS = (int, float, str, bool, bytes, type(None), slice, range, frozenset, np.generic, BaseModel)
_ATOM_TYPES = frozenset((int, float, str, bool, bytes, type(None), slice, np.float64, np.int64, np.bool_))


def fresh_copy(obj: Any, memo: dict[int, Any] | None = None) -> Any:
    """A deep copy of game state (a World, the talks' tables, a goal table, or a tuple of them) at a fraction of
    copy.deepcopy's cost: arrays, containers and dataclasses are copied, immutable values and the scenario's
    configuration (pydantic models, read-only during a game) are shared. `memo` keeps shared references shared,
    as deepcopy does; anything else goes to copy.deepcopy with the same memo."""
    if memo is None:
        memo = {}
    kind = type(obj)
    if kind in _ATOM_TYPES or isinstance(obj, _ATOMS):
        return obj
    key = id(obj)
    if key in memo:
        return memo[key]
    out: Any
    if (kind is tuple or kind is list) and all(map(_ATOM_TYPES.__contains__, map(type, obj))):
        out = obj if kind is tuple else list(obj)       # (a sequence of plain values, checked at C speed)
    elif kind is np.ndarray:
        out = obj.copy(order="K")        # (the memory layout too: reductions follow it)
    elif kind is dict and all(map(_ATOM_TYPES.__contains__, map(type, obj.values()))):
        out = dict(obj)
    elif kind is dict:
        out = memo[key] = {}
        for k, v in obj.items():
            out[k] = fresh_copy(v, memo)
    elif kind is list:
        out = memo[key] = []
        out.extend(fresh_copy(v, memo) for v in obj)
    elif kind is tuple:
        out = tuple(fresh_copy(v, memo) for v in obj)
    elif kind is set:
        out = set(obj)
    elif kind is deque:
        out = deque((fresh_copy(v, memo) for v in obj), maxlen=obj.maxlen)
    elif is_dataclass(obj) and hasattr(obj, "__dict__") and not hasattr(kind, "__slots__"):
        out = memo[key] = copy.copy(obj)
        attrs = out.__dict__
        for k, v in obj.__dict__.items():
            attrs[k] = fresh_copy(v, memo)
    else:
        return copy.deepcopy(obj, memo)
    memo[key] = out
    return out


def clamp(v: float, lo: float, hi: float) -> float:
    """min(max(v, lo), hi) on one number: what np.clip gives, without its ~3 us of call overhead (hot paths)."""
    return lo if v < lo else hi if v > hi else v


_UPPER: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def upper_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (i, j) of the pairs with i < j, cached (every turn asks for the same ones)."""
    if n not in _UPPER:
        _UPPER[n] = np.triu_indices(n, 1)
    return _UPPER[n]


_UPPER_FLAT: dict[int, np.ndarray] = {}


def upper_flat(n: int) -> np.ndarray:
    """Flat offsets i * n + j of the pairs i < j in an (n, n) array (`a.take(upper_flat(n))` is
    `a[upper_pairs(n)]`, with one take instead of fancy indexing by two arrays), cached."""
    if n not in _UPPER_FLAT:
        iu, ju = upper_pairs(n)
        _UPPER_FLAT[n] = iu * n + ju
    return _UPPER_FLAT[n]


def mask_others(n: int, a: int) -> np.ndarray:
    m = np.ones(n, dtype=bool)
    m[a] = False
    return m


def from_scenario(sc: Scenario) -> World:
    """Build the arrays from a validated scenario (ids keep the scenario's order, which fixes iteration order)."""
    actors = list(sc.actors)
    ai = {a: i for i, a in enumerate(actors)}
    n = len(actors)
    cap = np.array([[getattr(sc.actors[a].capabilities, f) for f in CAP_FIELDS] for a in actors], dtype=float)
    rel = np.zeros((n, n))
    for key, v in sc.relations.items():
        a, b = split_pair(key)
        rel[ai[a], ai[b]] = rel[ai[b], ai[a]] = v
    aff = rel.copy()
    for key, v in sc.affinity.items():
        a, b = split_pair(key)
        aff[ai[a], ai[b]] = aff[ai[b], ai[a]] = v
    bases = list(sc.bases)
    regions = list(sc.regions)
    ri = {r: i for i, r in enumerate(regions)}
    issues = list(sc.issues)
    bval = np.zeros((len(bases), n))
    for j, b in enumerate(bases):
        for a, v in sc.bases[b].value.items():
            bval[j, ai[a]] = v
    control = np.zeros((len(regions), n))
    for j, r in enumerate(regions):
        for a, v in sc.regions[r].control.items():
            control[j, ai[a]] = v
    pos = np.zeros((len(issues), n))
    sal = np.zeros((len(issues), n))
    scale = np.zeros((len(issues), 2))
    for k, iid in enumerate(issues):
        iss = sc.issues[iid]
        scale[k] = iss.scale
        mid = (iss.scale[0] + iss.scale[1]) / 2
        pos[k] = mid
        for a, v in iss.positions.items():
            pos[k, ai[a]] = v
        for a, v in iss.salience.items():
            sal[k, ai[a]] = v
    sw = sc.params.size_weights  # the same weights as World.sizes, so turn 1's forecast is comparable
    size = np.maximum(cap @ np.array([sw.military, sw.economic, sw.diplomatic]), 1e-3)
    forecast = np.array([_weighted_mean(pos[k], sal[k], size) for k in range(len(issues))])
    w = World(
        actors=actors, bases=bases, regions=regions, issues=issues, cap=cap, rel=rel, affinity=aff,
        fighting=np.zeros((n, n)),
        base_ctrl=np.array([ai.get(sc.bases[b].controller or "", -1) for b in bases], dtype=int),
        base_host=np.full(len(bases), -1, dtype=int),
        base_garrison=np.array([sc.bases[b].garrison for b in bases], dtype=float),
        base_status=np.array([STATUS[sc.bases[b].status] for b in bases], dtype=int),
        base_value=bval, base_region=np.array([ri[sc.bases[b].region] for b in bases], dtype=int),
        control=control, population=np.array([sc.regions[r].population for r in regions], dtype=float),
        position=pos, ideal=pos.copy(), salience=sal, scale=scale, forecast=forecast, blocs=np.zeros(n, dtype=int),
        goal_weight={a: {g: goal.weight for g, goal in sc.actors[a].goals.items()} for a in actors},
        western=np.array([sc.actors[a].western for a in actors], dtype=bool),
        sanctions=_sanctions(sc, ai, n), recognised=np.zeros((n, n), dtype=bool),
        us_engagement=sc.initial_us_engagement,
        roles={r: ai[a] for r, a in sc.roles.resolved(actors).items()},
        status_quo=np.full(len(issues), np.nan), issue_closed=np.zeros(len(issues), dtype=bool),
        untold=np.zeros((len(issues), n)),
    )
    return w


def _sanctions(sc: Scenario, ai: dict[str, int], n: int) -> np.ndarray:
    m = np.zeros((n, n), dtype=bool)
    for key in sc.sanctions:
        a, b = split_pair(key)
        m[ai[a], ai[b]] = True
    return m


def _weighted_mean(pos: np.ndarray, sal: np.ndarray, size: np.ndarray) -> float:
    w = sal * size
    return float((w * pos).sum() / w.sum()) if w.sum() > 0 else float(pos.mean())
