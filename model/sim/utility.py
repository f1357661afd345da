"""Actors' utility as a vectorised function of the (expected) state.

The utility policy scores all of an actor's candidate orders at once: each candidate's expected effect is written
into one row of a `Batch` (expected states stacked along axis 0), then `utility()` evaluates every row in one go.
The same function, on a batch of one (the current state), gives the `utility.<actor>` indicator.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from model.config.scenario import Scenario
from model.sim.world import World


@dataclass
class Batch:
    """c expected states, each seen from the actor deciding in that row (only what its goals read).

    An order changes at most one base, so base holdings and garrisons are kept as the current arrays plus one
    change per row (`base`, who may gain it `to`, who may lose it `frm`, with probability `p`, and its new
    garrison `gar`), instead of a (c, bases, actors) tensor that would grow as n^4."""
    rel: np.ndarray          # (c, n) the row actor's relations
    fight: np.ndarray        # (c, n) fighting between the row actor and each other actor
    fight_total: np.ndarray  # (c,) total fighting over all pairs
    own0: np.ndarray         # (b, n) current holdings, one-hot per held base
    garrison0: np.ndarray    # (b,) current garrisons
    base: np.ndarray         # (c,) the base the row's order changes, -1 for none
    to: np.ndarray           # (c,) actor who may gain that base, -1 for none
    frm: np.ndarray          # (c,) actor who may lose it, -1 for none
    p: np.ndarray            # (c,) probability the holding changes
    gar: np.ndarray          # (c,) the base's expected garrison after the order
    control: np.ndarray      # (c, r) the row actor's control share per region
    econ: np.ndarray         # (c,) the row actor's economic capability
    forecast: np.ndarray     # (c, k)
    position: np.ndarray     # (k, n) ideal points: what each actor wants on each issue (the goal's reference)
    pay: np.ndarray          # (c, n) the row actor's favours to each actor (side payments, model.sim.bases)
    upkeep: np.ndarray       # (c,) the row actor's upkeep in troops
    loss: np.ndarray         # (c,) the row actor's expected loss of military (attrition from the order's fighting)
    base2: np.ndarray        # (c,) a second base whose garrison the order changes (consolidation), -1 for none
    gar2: np.ndarray         # (c,) that base's garrison after the order
    view: GroundView       # what the utility reads of bases, budgets and armies, the same for every row
    plain: bool = True       # every row is the current state (no order's effect written yet): the utility then
                             # skips the per-row base changes and losses, which are all zero (the same values)

    @classmethod
    def of(cls, w: World, actors: np.ndarray | int, held: np.ndarray | None = None) -> Batch:
        """One row per entry of `actors`, each the current state as that actor sees it (`held`: w.held(), if the
        caller has it)."""
        if not (isinstance(actors, np.ndarray) and actors.ndim == 1 and actors.dtype.kind == "i"):
            actors = np.atleast_1d(np.asarray(actors, dtype=int))
        c = len(actors)
        rows = (w.held() if held is None else held).nonzero()[0]
        own = np.zeros((len(w.bases), w.n))
        own[rows, w.base_ctrl.take(rows)] = 1.0
        none = np.full((4, c), -1)               # base, to, frm, base2: one allocation, a row each
        zero = np.zeros((4, c))                  # p, gar, loss, gar2
        forecast = np.empty((c, w.forecast.size))
        forecast[:] = w.forecast
        return cls(rel=w.rel.take(actors, axis=0), fight=w.fighting.take(actors, axis=0),
                   fight_total=np.full(c, w.fighting.sum() / 2), own0=own, garrison0=w.base_garrison.copy(),
                   base=none[0], to=none[1], frm=none[2], p=zero[0], gar=zero[1],
                   control=w.control.T.take(actors, axis=0), econ=w.cap[:, 1].take(actors), forecast=forecast,
                   position=w.ideal, pay=w.payments.take(actors, axis=0), upkeep=w.upkeep.take(actors),
                   loss=zero[2], base2=none[3], gar2=zero[3], view=GroundView.of(w))

    def own_at(self, b: np.ndarray, x: np.ndarray, flat: np.ndarray | None = None,
               hit: np.ndarray | None = None) -> np.ndarray:
        """(c, T) probability that actor x[i, j] holds base b[i, j] in row i (`flat`: b * n + x, if known;
        `hit`: self.base[:, None] == b, if known)."""
        if hit is None:
            hit = self.base[:, None] == b
        change = (hit & (self.to[:, None] == x)).astype(float) - (hit & (self.frm[:, None] == x))
        held = self.own0[b, x] if flat is None else self.own0.take(flat)
        return held + self.p[:, None] * change

    def garrison_at(self, b: np.ndarray, hit: np.ndarray | None = None) -> np.ndarray:
        """(c, T) expected garrison of base b[i, j] in row i (`hit`: self.base[:, None] == b, if known)."""
        return np.where(self.base[:, None] == b if hit is None else hit, self.gar[:, None],
                        np.where(self.base2[:, None] == b, self.gar2[:, None], self.garrison0.take(b)))


@dataclass
class GroundView:
    """Per-base and per-actor state the utility reads to price lease risk, strain and attrition (the same for every
    row). `base` stacks per base: the consent's constant part (bias - w_value x the host's value), the talks' issue
    index, their weight (w_talks x the end of the scale that favours the holder, 0 without talks), the scale's low
    end and 1/span, the evict threshold and 1/(renew - evict), and whether the base can be leased at all."""
    host: np.ndarray        # (b,) host of each base
    base: np.ndarray        # (b, 8) the columns above
    same_bloc: np.ndarray   # (n, n) the two actors share a bloc (equal labels, not -1)
    inv_available: np.ndarray  # (n,) 1 / budget net of drains (0: no budget)
    inv_mil: np.ndarray     # (n,) 1 / military now
    weights: np.ndarray     # (7,) consent weights: bias, relation, payments, talks, value, bloc; lease risk
    leasable: np.ndarray    # (b,) bool: the base can be leased at all (the last column of `base`)
    any_talks: bool         # some base's consent reads talks (the third column of `base` is not all 0)

    @classmethod
    def of(cls, w: World) -> GroundView:
        """The view of the world now; the per-base columns and blocs are rebuilt only when hosts or blocs change."""
        _, base, same, leasable, any_talks = cls._cached(w)
        return cls(host=w.base_host, base=base, same_bloc=same, inv_available=1.0 / w.available,
                   inv_mil=1.0 / np.maximum(w.cap[:, 0], 1e-9), weights=w.consent_weights, leasable=leasable,
                   any_talks=any_talks)

    @classmethod
    def static(cls, w: World) -> tuple[np.ndarray, np.ndarray]:
        """The per-base columns and the same-bloc matrix, cached in the world until hosts or blocs change."""
        cached = cls._cached(w)
        return cached[1], cached[2]

    @classmethod
    def _cached(cls, w: World) -> tuple:
        key = (w.base_host.tobytes(), w.blocs.tobytes())
        cached = w.view_cache
        if cached is not None and cached[0] == key:
            return cached
        base, same = cls._static(w)
        w.view_cache = cached = (key, base, same, base[:, 7] > 0, bool(base[:, 2].any()))
        return cached

    @staticmethod
    def _static(w: World) -> tuple[np.ndarray, np.ndarray]:
        nb, wt = len(w.bases), w.consent_weights
        host = w.base_host
        k = np.maximum(w.base_talks, 0)
        scale = w.scale[k] if len(w.issues) else np.tile([0.0, 1.0], (nb, 1))
        base = np.stack([wt[0] - wt[4] * w.base_value[np.arange(nb), host], k,
                         np.where(w.base_talks >= 0, wt[3] * w.base_talks_sign, 0.0), scale[:, 0],
                         1.0 / (scale[:, 1] - scale[:, 0]), w.lease[:, 2], 1.0 / (w.lease[:, 0] - w.lease[:, 2]),
                         ~w.base_by_force], axis=1) if nb else np.zeros((0, 8))
        blocs = w.blocs
        return base, (blocs[:, None] == blocs[None, :]) & (blocs[:, None] >= 0)


@dataclass
class GoalTable:
    """Every actor's goals compiled to padded term arrays (one row per actor, weight 0 for padding), so one call
    scores rows of many actors at once and its cost grows with rows x goals-per-actor, not rows x all goals.

    Rebuilt when an event changes a goal weight."""
    hold_b: np.ndarray; hold_w: np.ndarray                      # noqa: E702  (n, H)
    deny_b: np.ndarray; deny_t: np.ndarray; deny_w: np.ndarray  # noqa: E702  (n, D)
    rel_p: np.ndarray; rel_t: np.ndarray; rel_w: np.ndarray     # noqa: E702  (n, R)
    rel_s: np.ndarray       # (n, R) +1: at least the target, -1: at most, 0: near it (Goal.direction)
    iss_k: np.ndarray; iss_w: np.ndarray                        # noqa: E702  (n, K)
    influence: np.ndarray   # (n, regions) population-weighted goal weight per region
    economy: np.ndarray     # (n,)
    stability: np.ndarray   # (n,)
    strain_w: np.ndarray    # (n,) utility lost per unit of strain (0: no budget)
    attrition_w: np.ndarray  # (n,) utility lost per share of the actor's military lost
    own_b: np.ndarray       # (n, H + D) the bases of the hold goals, then of the deny goals
    own_x: np.ndarray       # (n, H + D) whose holding each reads: -1 for the actor itself (hold), else deny's actor
    iss_inv: np.ndarray     # (n, K) 1 / span of each issue goal's scale

    def __post_init__(self) -> None:
        """The per-actor columns packed in one float and one int table, so the utility gathers a row's goals in
        two takes instead of one per field; `parts` names each field's columns in them."""
        n = self.economy.shape[0]
        me = np.arange(n)[:, None]
        x = np.where(self.own_x < 0, me, self.own_x)            # whose holding each base goal reads
        floats = [("influence", self.influence), ("economy", self.economy[:, None]), ("hold_w", self.hold_w),
                  ("deny_w", self.deny_w), ("rel_t", self.rel_t), ("rel_s", self.rel_s), ("rel_w", self.rel_w),
                  ("iss_inv", self.iss_inv), ("iss_w", self.iss_w), ("strain_w", self.strain_w[:, None])]
        ints = [("own_b", self.own_b), ("own_x", x), ("own_flat", self.own_b * n + x), ("rel_p", self.rel_p),
                ("iss_k", self.iss_k), ("iss_pos", self.iss_k * n + me)]
        self.parts: dict[str, slice] = {}
        for table in (floats, ints):
            at = 0
            for name, arr in table:
                self.parts[name] = slice(at, at + arr.shape[1])
                at += arr.shape[1]
        self.floats = np.concatenate([a for _, a in floats], axis=1, dtype=float)
        self.ints = np.concatenate([a for _, a in ints], axis=1, dtype=np.intp)
        self.any_stability = bool(self.stability.any())
        self.any_strain = bool(self.strain_w.any())
        # per family, for the scoring pass (utility with `changed`): each family's columns in one contiguous table
        # per family, for the scoring pass (utility with `changed`): contiguous tables, so that a gather by row
        # gives arrays numpy walks as one run (a column slice of a wider table is walked row by row)
        hold = self.hold_b.shape[1]
        flat = self.own_b * n + x
        self.own_h = np.stack([self.own_b[:, :hold], flat[:, :hold]]).astype(np.intp)      # (2, n, H) base, flat
        self.own_d = np.stack([self.own_b[:, hold:], x[:, hold:], flat[:, hold:]]).astype(np.intp)  # (3, n, D)
        self.own_all = np.stack([self.own_b, x, flat]).astype(np.intp)                 # (3, n, H + D)
        self.rel_f = np.stack([self.rel_t, self.rel_s, self.rel_w]).astype(float)          # (3, n, R)
        self.rel_near = self.rel_s == 0
        self.iss_f = np.concatenate([self.iss_inv, self.iss_w], axis=1, dtype=float)
        self.iss_i = np.concatenate([self.iss_k, self.iss_k * n + me], axis=1, dtype=np.intp)


RELATION_SIDE = {"at_least": 1.0, "at_most": -1.0, "near": 0.0}


def relation_direction(goal: Any) -> str:
    """A relation goal's direction: its own, or at_least for a target >= 0 and at_most below (Goal.direction)."""
    return goal.direction or ("at_least" if (goal.target or 0.0) >= 0 else "at_most")


def _padded(n: int, terms: list[tuple], types: tuple) -> list[np.ndarray]:
    """Terms (actor, field...) as (n, width) arrays per field; padding is index 0 / weight 0."""
    per_actor = [0] * n
    for t in terms:
        per_actor[t[0]] += 1
    width = max(per_actor + [0])
    out = [np.zeros((n, width), dtype=t) for t in types]
    fill = [0] * n
    for t in terms:
        a = t[0]
        for arr, v in zip(out, t[1:], strict=True):
            arr[a, fill[a]] = v
        fill[a] += 1
    return out


@dataclass(frozen=True)
class _GoalTemplate:
    """What compile_goals reads of a scenario's goals apart from their weights (which events change): built once
    per game, so a recompile is a fill of weights, not a walk through the validated config."""
    scenario: Any
    terms: dict[str, list[tuple]]       # family -> (actor, fields..., actor id, goal name) in config order
    influence: list[tuple]              # (actor, actor id, goal name, population vector, its divisor)
    economy: list[tuple]                # (actor, actor id, goal name)
    stability: list[tuple]
    strain: list[tuple]                 # (actor, fixed strain weight or None, actor id, its hold goals' names)
    attrition_weight: float
    # family -> the static fields as padded (n, width) arrays, and each term's (actor, column): a recompile only
    # places the weights
    padded: dict[str, tuple[list[np.ndarray], tuple[np.ndarray, np.ndarray], int]]


def _goal_template(sc: Scenario, w: World) -> _GoalTemplate:
    cached = w.__dict__.get("_goal_template")
    if cached is not None and cached.scenario is sc:
        return cached
    terms: dict[str, list] = {k: [] for k in ("hold", "deny", "rel", "iss")}
    influence, economy, stability, strain = [], [], [], []
    for aid in w.actors:
        a = w.idx(aid)
        for name, g in sc.actors[aid].goals.items():
            base, other = g.base or "", g.actor or ""        # the schema requires them for the kinds that read them
            if g.kind == "hold_base":
                terms["hold"].append((a, w.bidx(base), aid, name))
            elif g.kind == "deny_base":
                terms["deny"].append((a, w.bidx(base), w.idx(other), aid, name))
            elif g.kind == "relation":
                terms["rel"].append((a, w.idx(other), g.target, RELATION_SIDE[relation_direction(g)], aid, name))
            elif g.kind == "issue":
                terms["iss"].append((a, w.kidx(g.issue or ""), aid, name))
            elif g.kind == "influence":
                pop = np.zeros(len(w.regions))
                ids = [w.ridx(r) for r in g.regions] if g.regions else range(len(w.regions))
                for r in ids:
                    pop[r] = w.population[r]
                influence.append((a, aid, name, pop, max(pop.sum(), 1e-9)))
            elif g.kind == "economy":
                economy.append((a, aid, name))
            elif g.kind == "stability":
                stability.append((a, aid, name))
    for aid in w.actors:
        budget = sc.actors[aid].budget
        if budget is not None:
            strain.append((w.idx(aid), budget.strain_weight, aid,
                           [name for name, g in sc.actors[aid].goals.items() if g.kind == "hold_base"]))
    n = w.n
    static = {"hold": (int,), "deny": (int, int), "iss": (int,), "rel": (int, float, float)}
    padded = {}
    for family, types in static.items():
        rows = [t[:1 + len(types)] for t in terms[family]]
        fill = [0] * n
        column = []
        for t in rows:
            column.append(fill[t[0]])
            fill[t[0]] += 1
        at = (np.array([t[0] for t in rows], dtype=np.intp), np.array(column, dtype=np.intp))
        arrays = _padded(n, rows, types)
        for arr in arrays:                  # shared by every GoalTable compiled from this template
            arr.flags.writeable = False
        padded[family] = (arrays, at, max(fill + [0]))
    template = _GoalTemplate(sc, terms, influence, economy, stability, strain,
                             sc.ground.territory.attrition_weight, padded)
    w.__dict__["_goal_template"] = template
    return template


def compile_goals(sc: Scenario, w: World) -> GoalTable:
    """Turn all actors' named goals (with current weights, which events may change) into term arrays."""
    tpl = _goal_template(sc, w)
    weight = w.goal_weight
    n = w.n
    influence = np.zeros((n, len(w.regions)))
    economy, stability = np.zeros(n), np.zeros(n)
    for a, aid, name, pop, total in tpl.influence:
        influence[a] += weight[aid][name] * pop / total
    for a, aid, name in tpl.economy:
        economy[a] += weight[aid][name]
    for a, aid, name in tpl.stability:
        stability[a] += weight[aid][name]
    strain_w = np.zeros(n)
    for a, fixed, aid, names in tpl.strain:   # default: the total weight of the actor's hold_base goals
        strain_w[a] = fixed if fixed is not None else sum(weight[aid][name] for name in names)
    attrition_w = tpl.attrition_weight * influence.sum(axis=1)
    t = tpl.terms

    def weights(family: str) -> np.ndarray:
        """(n, width) the family's weights, padded with 0 as _padded pads."""
        _, at, width = tpl.padded[family]
        out = np.zeros((n, width))
        out[at] = [weight[term[-2]][term[-1]] for term in t[family]]
        return out

    (hold_b,), (deny_b, deny_t), (iss_k,) = (tpl.padded[f][0] for f in ("hold", "deny", "iss"))
    rel_p, rel_t, rel_s = tpl.padded["rel"][0]
    hold_w, deny_w, iss_w, rel_w = weights("hold"), weights("deny"), weights("iss"), weights("rel")
    return GoalTable(hold_b, hold_w, deny_b, deny_t, deny_w, rel_p, rel_t, rel_w, rel_s,
                     iss_k, iss_w, influence, economy, stability, strain_w, attrition_w,
                     np.concatenate([hold_b, deny_b], axis=1),
                     np.concatenate([np.full(hold_b.shape, -1), deny_t], axis=1),
                     1.0 / (w.scale[iss_k, 1] - w.scale[iss_k, 0]) if len(w.issues) else np.zeros(iss_k.shape))


def tenure(batch: Batch, act: np.ndarray, b: np.ndarray, real: np.ndarray) -> np.ndarray:
    """(c, H) share of each base's worth its row actor keeps given the lease: 1 - risk x (1 - tau), tau the
    host's consent c (as model.sim.bases computes it, from the row's relations, favours and forecasts) placed
    between the base's evict (0) and renew (1) thresholds; 1 where no consent is needed. `real`: (c, H) the goal
    is a real one, not padding. Only the leased (row, goal) entries are computed. The reference for _tenure_rows,
    which utility() and the scoring pass use (the same values: tests/sim/test_policies.py)."""
    v = batch.view
    host = v.host.take(b)
    out = np.ones(b.shape)
    c, width = b.shape
    q = ((host != act[:, None]) & v.leasable.take(b) & real).ravel().nonzero()[0]   # the leased (row, goal)
    if q.size == 0:                                                                  # entries, flat
        return out
    i = q // width
    bb, h = b.ravel().take(q), host.ravel().take(q)
    S = v.base[bb]                                                   # (entries, 8)
    wt = v.weights
    n = batch.rel.shape[1]
    ih = i * n + h
    z = (S[:, 0] + wt[1] * batch.rel.take(ih) + wt[2] * (1.0 - np.exp(-batch.pay.take(ih)))
         + wt[5] * v.same_bloc.take(act.take(i) * n + h))
    if v.any_talks:
        f = (batch.forecast.take(i * batch.forecast.shape[1] + S[:, 1].astype(int)) - S[:, 3]) * S[:, 4]
        z += S[:, 2] * (2.0 * f - 1.0)
    tau = np.minimum(np.maximum((1.0 / (1.0 + np.exp(-z)) - S[:, 5]) * S[:, 6], 0.0), 1.0)
    out.ravel()[q] = 1.0 - wt[6] * (1.0 - tau)
    return out


@dataclass
class Changed:
    """Which rows of a scoring batch may see another state than their actor's hold row, part by part (every other
    row's inputs of that part are its hold row's, so its goal terms are too and are copied, not recomputed).
    `heads`: the hold rows; `head_of`: each row's hold row, as an index into `heads`."""
    heads: np.ndarray
    head_of: np.ndarray
    control: np.ndarray     # rows whose control shares may differ (the influence goals)
    base: np.ndarray        # rows whose base change (base, to, frm, p, gar, base2, gar2) may be set
    forecast: np.ndarray    # rows whose forecasts may differ (issue goals; the lease talks are computed for all)
    fight: np.ndarray       # rows whose fighting may differ (stability)
    cells: tuple[np.ndarray, np.ndarray] | None = None   # the (row, partner) cells whose relation may differ (None:
                                                         # any): the relation goals are computed for those rows only


def _marked(c: int, *parts: np.ndarray) -> np.ndarray:
    """The rows named in any of `parts`, once each, in increasing order."""
    mark = np.zeros(c, dtype=bool)
    for part in parts:
        mark[part] = True
    return mark.nonzero()[0]


def _partners(g: GoalTable) -> np.ndarray:
    """(n * n,) flat: actor a's relation goals read its relation with partner p (padding included: the padded
    terms read partner 0, and a row counts as changed if that relation does)."""
    cached = g.__dict__.get("_partners")
    if cached is None:
        n = g.rel_p.shape[0]
        mark = np.zeros((n, n), dtype=bool)
        mark[np.arange(n).repeat(g.rel_p.shape[1]), g.rel_p.ravel()] = True
        cached = g.__dict__["_partners"] = mark.ravel()
    return cached


_ROWS: dict[tuple[int, int], np.ndarray] = {}


def _row_index(c: int, width: int = 1) -> np.ndarray:
    """(c, 1) row numbers times `width` (offsets of the rows of a (c, width) array), cached: a flat take at
    offset + column is much cheaper than fancy indexing by (rows, columns) or take_along_axis."""
    r = _ROWS.get((c, width))
    if r is None:
        if len(_ROWS) > 256:
            _ROWS.clear()
        r = _ROWS[c, width] = np.arange(c)[:, None] * width
    return r


def utility(batch: Batch, actors: np.ndarray | int, goals: GoalTable, scale: np.ndarray,
            counts: np.ndarray | None = None, changed: Changed | None = None) -> np.ndarray:
    """(c,) utility of each row's actor in its expected state: the weighted sum of its goal terms.

    Each goal term lies in about [-1, 1]; padding terms have weight 0. The terms are added in a fixed order, each
    family summed over its goals first (the same operations whatever the rows, so a row's utility does not depend
    on the others in the batch). `counts`: rows per actor when the rows come sorted by actor (blocks of rows are
    then repeated rather than gathered row by row). `changed`: the scoring pass's rows that may differ from their
    hold rows, per part (Changed): the same values, with the parts' terms computed only for those rows."""
    if changed is not None:
        return _utility_changed(batch, actors, goals, changed)   # type: ignore[arg-type]
    c, n = batch.rel.shape
    if isinstance(actors, np.ndarray) and actors.shape == (c,) and actors.dtype.kind == "i":
        act = actors
    else:
        act = np.broadcast_to(np.asarray(actors, dtype=int), (c,))
    g, view, part = goals, batch.view, goals.parts
    if counts is None:                             # (c, .) each row actor's goals, packed
        F, IX = g.floats[act], g.ints[act]
    else:
        F, IX = g.floats.repeat(counts, axis=0), g.ints.repeat(counts, axis=0)
    u = np.add.reduce((F[:, part["influence"]] * batch.control), axis=1)
    u += F[:, part["economy"]][:, 0] * batch.econ / 100.0
    hold = g.hold_b.shape[1]
    if g.own_b.shape[1]:      # holding a base (hold goals) and others' holdings (deny goals) in one pass
        b = IX[:, part["own_b"]]
        if batch.plain:       # own0 + 0 x change is own0, and no row's garrison differs from the current one
            own = batch.own0.take(IX[:, part["own_flat"]])
        else:
            hit = batch.base[:, None] == b
            own = batch.own_at(b, IX[:, part["own_x"]], IX[:, part["own_flat"]], hit)
        if hold:
            bh, hw = b[:, :hold], F[:, part["hold_w"]]
            garrison = batch.garrison0.take(bh) if batch.plain else batch.garrison_at(bh, hit[:, :hold])
            # (tenure(batch, act, bh, hw > 0): bh are the rows' hold goals' bases, so the cached lease table's)
            u += np.add.reduce(hw * own[:, :hold] * (0.6 + 0.4 * garrison) * _tenure_rows(batch, act, g), axis=1)
        if g.deny_b.shape[1]:
            u += np.add.reduce((F[:, part["deny_w"]] * (1.0 - own[:, hold:])), axis=1)
    if g.any_strain:          # troops over budget, as a share of the budget, cost strain_w each
        u -= F[:, part["strain_w"]][:, 0] * np.maximum(batch.upkeep * view.inv_available[act] - 1.0, 0.0)
    if not batch.plain:       # (a plain batch's losses are 0: u - 0 is u)
        u -= (g.attrition_w * view.inv_mil)[act] * batch.loss
    if g.rel_p.shape[1]:      # how far each relation falls short of its target
        short = F[:, part["rel_t"]] - batch.rel.take(_row_index(c, n) + IX[:, part["rel_p"]])
        side = F[:, part["rel_s"]]
        gap = np.where(side == 0, np.abs(short), np.maximum(side * short, 0.0))
        u += np.add.reduce((F[:, part["rel_w"]] * (1.0 - gap)), axis=1)
    if g.iss_k.shape[1]:
        k = IX[:, part["iss_k"]]
        gap = (np.abs(batch.forecast.take(_row_index(c, batch.forecast.shape[1]) + k)
                      - batch.position.take(IX[:, part["iss_pos"]])) * F[:, part["iss_inv"]])
        u += np.add.reduce((F[:, part["iss_w"]] * (1.0 - gap)), axis=1)
    if g.any_stability:       # the actor's own fighting costs in full however much there is (no military order has
        stab = g.stability[act]                  # a relation precondition: this is the restraint); others' up to 1
        own_fight = np.add.reduce(batch.fight, axis=1)
        u -= stab * (own_fight + np.minimum(0.5 * (batch.fight_total - own_fight), 1.0))
    return u


def row_sums(a: np.ndarray) -> np.ndarray:
    """np.add.reduce(a, axis=1) of a 2-D float array with its very roundings, as one addition per column: numpy
    adds a row of fewer than 8 in order, a longer one pairwise (8 partial sums, combined as a tree, then the rest in
    order), to its identity 0.0. Cheaper for many short rows (numpy's loop restarts at every row)."""
    width = a.shape[1]
    if width > 128 or width == 0:
        return np.add.reduce(a, axis=1)
    if width < 8:
        out = a[:, 0] + 0.0
        for j in range(1, width):
            out += a[:, j]
        return out
    r = [a[:, j] for j in range(8)]
    i = 8
    while i < width - width % 8:
        r = [r[j] + a[:, i + j] for j in range(8)]
        i += 8
    out = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    for j in range(i, width):
        out += a[:, j]
    out += 0.0
    return out


def _utility_changed(batch: Batch, act: np.ndarray, g: GoalTable, ch: Changed) -> np.ndarray:
    """utility() of a scoring batch, term by term the same operations on the same values: a part's terms are
    computed for the hold rows and the rows `ch` names, and copied from the hold row for the others."""
    c, n = batch.rel.shape
    view = batch.view
    heads, head_of = ch.heads, ch.head_of
    nh = len(heads)

    def spread(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """(c,) from the values of the hold rows followed by those of `rows`."""
        out = values[:nh].take(head_of)
        out[rows] = values[nh:]
        return out

    def own_of(rows: np.ndarray, b: np.ndarray, x: np.ndarray, flat: np.ndarray) -> np.ndarray:
        """Batch.own_at for these rows (b, x, flat: their goals' columns), computed only where a base changes."""
        own = batch.own0.take(flat)
        moved = (batch.base.take(rows) >= 0).nonzero()[0]
        if moved.size:
            at, bm, xm = rows.take(moved), b.take(moved, axis=0), x.take(moved, axis=0)
            hit = batch.base.take(at)[:, None] == bm
            change = ((hit & (batch.to.take(at)[:, None] == xm)).astype(float)
                      - (hit & (batch.frm.take(at)[:, None] == xm)))
            own[moved] = own[moved] + batch.p.take(at)[:, None] * change
        return own

    at = np.concatenate([heads, ch.control])
    u = spread(np.add.reduce(g.influence.take(act.take(at), axis=0) * batch.control.take(at, axis=0), axis=1),
               ch.control)
    u += g.economy.take(act) * batch.econ / 100.0
    hold, deny = g.hold_b.shape[1], g.deny_b.shape[1]
    rb = ch.base                 # rows that may change a base: own_of of those rows, hold and deny goals at once
    if (hold or deny) and rb.size:
        ab = act.take(rb)
        bo, xo, fo = g.own_all.take(ab, axis=1)
        own = own_of(rb, bo, xo, fo)
    if hold:       # weight x holding x garrison per actor and goal, as every row that changes no base sees it
        bh, flat = g.own_h       # (own_of and garrison_at give own0 and garrison0 there)
        worth = (g.hold_w * batch.own0.take(flat) * (0.6 + 0.4 * batch.garrison0.take(bh))).take(act, axis=0)
        if rb.size:              # garrison_at of the rows that may change a base
            bb = bo[:, :hold]
            garrison = np.where(batch.base.take(rb)[:, None] == bb, batch.gar.take(rb)[:, None],
                                np.where(batch.base2.take(rb)[:, None] == bb, batch.gar2.take(rb)[:, None],
                                         batch.garrison0.take(bb)))
            worth[rb] = g.hold_w.take(ab, axis=0) * own[:, :hold] * (0.6 + 0.4 * garrison)
        u += row_sums(worth * _tenure_rows(batch, act, g))
    if deny:                     # the hold rows see the holdings now, then the rows that may change a base
        held = batch.own0.take(g.own_d[2].take(act.take(heads), axis=0))
        at = np.concatenate([heads, rb])
        if rb.size:
            held = np.concatenate([held, own[:, hold:]])
        u += spread(np.add.reduce(g.deny_w.take(act.take(at), axis=0) * (1.0 - held), axis=1), rb)
    if g.any_strain:
        u -= g.strain_w.take(act) * np.maximum(batch.upkeep * view.inv_available.take(act) - 1.0, 0.0)
    u -= (g.attrition_w * view.inv_mil).take(act) * batch.loss
    if g.rel_p.shape[1]:
        if ch.cells is None:
            target, side, weight = g.rel_f.take(act, axis=1)
            short = target - batch.rel.take(_row_index(c, n) + g.rel_p.take(act, axis=0))
            gap = np.where(g.rel_near.take(act, axis=0), np.abs(short), np.maximum(side * short, 0.0))
            u += row_sums(weight * (1.0 - gap))
        else:                   # the hold rows, and the rows whose relation changes with a goal's partner
            cr, cp = ch.cells
            moved = _marked(c, cr.take(_partners(g).take(act.take(cr) * n + cp).nonzero()[0]))
            at = np.concatenate([heads, moved])
            ab = act.take(at)
            target, side, weight = g.rel_f.take(ab, axis=1)
            short = target - batch.rel.take(at[:, None] * n + g.rel_p.take(ab, axis=0))
            gap = np.where(g.rel_near.take(ab, axis=0), np.abs(short), np.maximum(side * short, 0.0))
            u += spread(row_sums(weight * (1.0 - gap)), moved)
    width = g.iss_k.shape[1]
    if width:
        at = np.concatenate([heads, ch.forecast])
        ab = act.take(at)
        f = g.iss_f.take(ab, axis=0)
        k = batch.forecast.shape[1]
        ii = g.iss_i.take(ab, axis=0)            # the issues, and their offsets in the (k, n) ideal points
        gap = (np.abs(batch.forecast.take(_row_index(c, k).take(at, axis=0) + ii[:, :width])
                      - batch.position.take(ii[:, width:])) * f[:, :width])
        u += spread(np.add.reduce((f[:, width:] * (1.0 - gap)), axis=1), ch.forecast)
    if g.any_stability:
        at = np.concatenate([heads, ch.fight])
        own_fight = np.add.reduce(batch.fight.take(at, axis=0), axis=1)
        u -= spread(g.stability.take(act.take(at)) * (own_fight + np.minimum(
            0.5 * (batch.fight_total.take(at) - own_fight), 1.0)), ch.fight)
    return u


_ARANGES: dict[int, np.ndarray] = {}


def _arange(c: int) -> np.ndarray:
    r = _ARANGES.get(c)
    if r is None:
        if len(_ARANGES) > 256:
            _ARANGES.clear()
        r = _ARANGES[c] = np.arange(c)
    return r


def _lease_table(view: GroundView, g: GoalTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per actor and hold goal (flat: actor x H + goal) what tenure() reads of the base and its host: whether the
    goal is leased (n, H), the float columns (constant part, talks weight, scale low, 1/span, evict, 1/(renew -
    evict), the bloc term) and the int ones (host, talks issue). Cached in the GoalTable while the view's per-base
    columns (rebuilt when hosts or blocs change) and the consent weights stay the same."""
    wt = view.weights
    key = (view.base, view.same_bloc, wt.tobytes())
    cached = g.__dict__.get("_lease")
    if cached is not None and cached[0][0] is key[0] and cached[0][1] is key[1] and cached[0][2] == key[2]:
        return cached[1]
    n, width = g.hold_b.shape
    b = g.hold_b
    host = view.host.take(b)
    leased = (host != np.arange(n)[:, None]) & view.leasable.take(b) & (g.hold_w > 0)
    S = view.base.take(b.ravel(), axis=0)
    h = host.ravel()
    bloc = wt[5] * view.same_bloc.take(np.arange(n).repeat(width) * n + h)
    floats = np.stack([S[:, 0], S[:, 2], S[:, 3], S[:, 4], S[:, 5], S[:, 6], bloc], axis=1)
    ints = np.stack([h, S[:, 1].astype(int)], axis=1)
    table = (leased, floats, ints)
    g.__dict__["_lease"] = (key, table)
    return table


def _tenure_rows(batch: Batch, act: np.ndarray, g: GoalTable) -> np.ndarray:
    """tenure(batch, act, hold bases, hold_w > 0) of the scoring pass, the same operations on the same values, with
    what depends only on the actor and goal taken from _lease_table."""
    v = batch.view
    leased, floats, ints = _lease_table(v, g)
    c = len(act)
    width = leased.shape[1]
    out = np.ones((c, width))
    q = leased.take(act, axis=0).ravel().nonzero()[0]          # the leased (row, goal) entries, flat
    if q.size == 0:
        return out
    i, j = np.divmod(q, width)
    e = act.take(i) * width + j
    E, Ei = floats.take(e, axis=0), ints.take(e, axis=0)
    wt = v.weights
    n = batch.rel.shape[1]
    ih = i * n + Ei[:, 0]
    z = E[:, 0] + wt[1] * batch.rel.take(ih) + wt[2] * (1.0 - np.exp(-batch.pay.take(ih))) + E[:, 6]
    if v.any_talks:
        f = (batch.forecast.take(i * batch.forecast.shape[1] + Ei[:, 1]) - E[:, 2]) * E[:, 3]
        z += E[:, 1] * (2.0 * f - 1.0)
    tau = np.minimum(np.maximum((1.0 / (1.0 + np.exp(-z)) - E[:, 4]) * E[:, 5], 0.0), 1.0)
    out.ravel()[q] = 1.0 - wt[6] * (1.0 - tau)
    return out
