"""Actors' utility as a vectorised function of the (expected) state.

The utility policy scores all of an actor's candidate orders at once: each candidate's expected effect is written
into one row of a `Batch` (expected states stacked along axis 0), then `utility()` evaluates every row in one go.
The same function, on a batch of one (the current state), gives the `utility.<actor>` indicator.
"""
from __future__ import annotations

from dataclasses import dataclass

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
    mil: np.ndarray          # (c,) the row actor's military after the order's expected attrition
    base2: np.ndarray        # (c,) a second base whose garrison the order changes (consolidation), -1 for none
    gar2: np.ndarray         # (c,) that base's garrison after the order
    view: "GroundView"       # what the utility reads of bases, budgets and armies, the same for every row

    @classmethod
    def of(cls, w: World, actors: np.ndarray | int) -> "Batch":
        """One row per entry of `actors`, each the current state as that actor sees it."""
        actors = np.atleast_1d(np.asarray(actors, dtype=int))
        c = len(actors)
        held = w.held()
        own = np.zeros((len(w.bases), w.n))
        rows = np.nonzero(held)[0]
        own[rows, w.base_ctrl[rows]] = 1.0
        none = np.full(c, -1)
        return cls(rel=w.rel[actors], fight=w.fighting[actors], fight_total=np.full(c, w.fighting.sum() / 2),
                   own0=own, garrison0=w.base_garrison.copy(), base=none, to=none.copy(), frm=none.copy(),
                   p=np.zeros(c), gar=np.zeros(c), control=w.control.T[actors], econ=w.cap[actors, 1].copy(),
                   forecast=np.repeat(w.forecast[None], c, axis=0), position=w.ideal, pay=w.payments[actors],
                   upkeep=w.upkeep[actors], mil=w.cap[actors, 0].copy(), base2=none.copy(), gar2=np.zeros(c),
                   view=GroundView.of(w))

    def own_at(self, b: np.ndarray, x: np.ndarray) -> np.ndarray:
        """(c, T) probability that actor x[i, j] holds base b[i, j] in row i."""
        hit = self.base[:, None] == b
        change = (hit & (self.to[:, None] == x)).astype(float) - (hit & (self.frm[:, None] == x))
        return self.own0[b, x] + self.p[:, None] * change

    def garrison_at(self, b: np.ndarray) -> np.ndarray:
        """(c, T) expected garrison of base b[i, j] in row i."""
        return np.where(self.base[:, None] == b, self.gar[:, None],
                        np.where(self.base2[:, None] == b, self.gar2[:, None], self.garrison0[b]))


@dataclass
class GroundView:
    """Per-base and per-actor state the utility reads to price lease risk, strain and attrition."""
    host: np.ndarray        # (b,) host of each base
    no_lease: np.ndarray    # (b,) held by force: no consent needed
    value: np.ndarray       # (b,) the host's own value of the base
    talks: np.ndarray       # (b,) issue index of the base's talks (0 when none: weight 0)
    talks_sign: np.ndarray  # (b,) +1 / -1 for the end of the scale that favours the holder, 0 without talks
    renew: np.ndarray       # (b,) consent at which the lease is safe
    evict: np.ndarray       # (b,) consent at which notice is served
    blocs: np.ndarray       # (n,) bloc labels (equal labels: one bloc; -1 outside)
    available: np.ndarray   # (n,) budget net of drains (inf: none)
    mil0: np.ndarray        # (n,) military now

    @classmethod
    def of(cls, w: World) -> "GroundView":
        nb = len(w.bases)
        host = w.base_host
        return cls(host=host, no_lease=w.base_by_force, value=w.base_value[np.arange(nb), np.maximum(host, 0)],
                   talks=np.maximum(w.base_talks, 0), talks_sign=np.where(w.base_talks >= 0, w.base_talks_sign, 0.0),
                   renew=w.lease[:, 0], evict=w.lease[:, 2], blocs=w.blocs, available=w.available,
                   mil0=np.maximum(w.cap[:, 0], 1e-9))


@dataclass
class GoalTable:
    """Every actor's goals compiled to padded term arrays (one row per actor, weight 0 for padding), so one call
    scores rows of many actors at once and its cost grows with rows x goals-per-actor, not rows x all goals.

    Rebuilt when an event changes a goal weight."""
    hold_b: np.ndarray; hold_w: np.ndarray                      # noqa: E702  (n, H)
    deny_b: np.ndarray; deny_t: np.ndarray; deny_w: np.ndarray  # noqa: E702  (n, D)
    rel_p: np.ndarray; rel_t: np.ndarray; rel_w: np.ndarray     # noqa: E702  (n, R)
    iss_k: np.ndarray; iss_w: np.ndarray                        # noqa: E702  (n, K)
    influence: np.ndarray   # (n, regions) population-weighted goal weight per region
    economy: np.ndarray     # (n,)
    stability: np.ndarray   # (n,)
    strain_w: np.ndarray    # (n,) utility lost per unit of strain (0: no budget)
    attrition_w: np.ndarray  # (n,) utility lost per share of the actor's military lost
    consent: np.ndarray     # (7,) consent weights: bias, relation, payments, talks, value, bloc; lease risk


def _padded(n: int, terms: list[tuple], types: tuple) -> list[np.ndarray]:
    """Terms (actor, field...) as (n, width) arrays per field; padding is index 0 / weight 0."""
    width = max([sum(1 for t in terms if t[0] == a) for a in range(n)] + [0])
    out = [np.zeros((n, width), dtype=t) for t in types]
    fill = [0] * n
    for t in terms:
        a = t[0]
        for arr, v in zip(out, t[1:]):
            arr[a, fill[a]] = v
        fill[a] += 1
    return out


def compile_goals(sc: Scenario, w: World) -> GoalTable:
    """Turn all actors' named goals (with current weights, which events may change) into term arrays."""
    terms: dict[str, list] = {k: [] for k in ("hold", "deny", "rel", "iss")}
    influence = np.zeros((w.n, len(w.regions)))
    economy, stability = np.zeros(w.n), np.zeros(w.n)
    for aid in w.actors:
        a = w.idx(aid)
        for name, g in sc.actors[aid].goals.items():
            wt = w.goal_weight[aid][name]
            if g.kind == "hold_base":
                terms["hold"].append((a, w.bidx(g.base), wt))
            elif g.kind == "deny_base":
                terms["deny"].append((a, w.bidx(g.base), w.idx(g.actor), wt))
            elif g.kind == "relation":
                terms["rel"].append((a, w.idx(g.actor), g.target, wt))
            elif g.kind == "issue":
                terms["iss"].append((a, w.kidx(g.issue), wt))
            elif g.kind == "influence":
                pop = np.zeros(len(w.regions))
                ids = [w.ridx(r) for r in g.regions] if g.regions else range(len(w.regions))
                for r in ids:
                    pop[r] = w.population[r]
                influence[a] += wt * pop / max(pop.sum(), 1e-9)
            elif g.kind == "economy":
                economy[a] += wt
            elif g.kind == "stability":
                stability[a] += wt
    n = w.n
    strain_w = np.zeros(n)
    for aid in w.actors:   # default: the total weight of the actor's hold_base goals
        a, budget = w.idx(aid), sc.actors[aid].budget
        if budget is not None:
            strain_w[a] = budget.strain_weight if budget.strain_weight is not None else sum(
                w.goal_weight[aid][name] for name, g in sc.actors[aid].goals.items() if g.kind == "hold_base")
    attrition_w = sc.ground.territory.attrition_weight * influence.sum(axis=1)
    c = sc.ground.consent
    consent = np.array([c.bias, c.relation, c.payments, c.talks, c.value, c.bloc, c.risk])
    return GoalTable(*_padded(n, terms["hold"], (int, float)), *_padded(n, terms["deny"], (int, int, float)),
                     *_padded(n, terms["rel"], (int, float, float)), *_padded(n, terms["iss"], (int, float)),
                     influence, economy, stability, strain_w, attrition_w, consent)


def tenure(batch: Batch, act: np.ndarray, b: np.ndarray, weights: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """(c, H) share of each base's worth its row actor keeps given the lease: 1 - risk x (1 - tau), tau the
    host's consent c (as model.sim.bases computes it, from the row's relations, favours and forecasts) placed
    between the base's evict (0) and renew (1) thresholds; 1 where no consent is needed."""
    v = batch.view
    host = v.host[b]
    leased = (host >= 0) & (host != act[:, None]) & ~v.no_lease[b]
    if not leased.any():
        return np.ones(b.shape)
    h = np.maximum(host, 0)
    z = (weights[0] - weights[4] * v.value[b]
         + weights[1] * np.take_along_axis(batch.rel, h, axis=1)
         + weights[2] * (1.0 - np.exp(-np.take_along_axis(batch.pay, h, axis=1)))
         + weights[5] * ((v.blocs[h] == v.blocs[act][:, None]) & (v.blocs[h] >= 0)))
    sign = v.talks_sign[b]
    if sign.any():
        k = v.talks[b]
        f = (np.take_along_axis(batch.forecast, k, axis=1) - scale[k, 0]) / (scale[k, 1] - scale[k, 0])
        z += weights[3] * sign * (2.0 * f - 1.0)
    c = 1.0 / (1.0 + np.exp(-z))
    tau = np.clip((c - v.evict[b]) / (v.renew[b] - v.evict[b]), 0.0, 1.0)
    return np.where(leased, 1.0 - weights[6] * (1.0 - tau), 1.0)


def utility(batch: Batch, actors: np.ndarray | int, goals: GoalTable, scale: np.ndarray) -> np.ndarray:
    """(c,) utility of each row's actor in its expected state: the weighted sum of its goal terms.

    Each goal term lies in about [-1, 1]; padding terms have weight 0."""
    c = batch.rel.shape[0]
    act = np.broadcast_to(np.asarray(actors, dtype=int), (c,))
    g = goals
    u = (g.influence[act] * batch.control).sum(axis=1)
    u += g.economy[act] * batch.econ / 100.0
    if g.hold_b.shape[1]:
        b = g.hold_b[act]
        held = batch.own_at(b, np.broadcast_to(act[:, None], b.shape))
        u += (g.hold_w[act] * held * (0.6 + 0.4 * batch.garrison_at(b)) * tenure(batch, act, b, g.consent,
                                                                                 scale)).sum(axis=1)
    view = batch.view
    strained = g.strain_w[act]
    if strained.any():
        avail = view.available[act]
        u -= strained * np.maximum(batch.upkeep - avail, 0.0) / avail
    u -= g.attrition_w[act] * (view.mil0[act] - batch.mil) / view.mil0[act]
    if g.deny_b.shape[1]:
        u += (g.deny_w[act] * (1.0 - batch.own_at(g.deny_b[act], g.deny_t[act]))).sum(axis=1)
    if g.rel_p.shape[1]:
        rel = np.take_along_axis(batch.rel, g.rel_p[act], axis=1)
        u += (g.rel_w[act] * (1.0 - np.abs(rel - g.rel_t[act]))).sum(axis=1)
    if g.iss_k.shape[1]:
        k = g.iss_k[act]
        span = scale[k, 1] - scale[k, 0]
        gap = np.abs(np.take_along_axis(batch.forecast, k, axis=1) - batch.position[k, act[:, None]]) / span
        u += (g.iss_w[act] * (1.0 - gap)).sum(axis=1)
    stab = g.stability[act]
    if stab.any():   # the actor's own fighting costs in full however much there is (no military order has a
        own_fight = batch.fight.sum(axis=1)      # relation precondition: this is the restraint); others' up to 1
        u -= stab * (own_fight + np.minimum(0.5 * (batch.fight_total - own_fight), 1.0))
    return u
