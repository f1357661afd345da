"""Actors' utility as a vectorised function of the (expected) state.

The utility policy scores all of an actor's candidate orders at once: each candidate's expected effect is written
into one row of a `Batch` (expected states stacked along axis 0), then `utility()` evaluates every row in one go.
The same function, on a batch of one (the current state), gives the `utility.<actor>` indicator.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.scenario import Scenario
from model.world import World


@dataclass
class Batch:
    """c expected states, each seen from the actor deciding in that row (only what its goals read)."""
    rel: np.ndarray          # (c, n) the row actor's relations
    fight: np.ndarray        # (c, n) fighting between the row actor and each other actor
    fight_total: np.ndarray  # (c,) total fighting over all pairs
    own: np.ndarray          # (c, b, n) probability that each actor holds each base
    garrison: np.ndarray     # (c, b)
    control: np.ndarray      # (c, r) the row actor's control share per region
    econ: np.ndarray         # (c,) the row actor's economic capability
    forecast: np.ndarray     # (c, k)
    position: np.ndarray     # (k, n) current positions (own position is the goal's reference)

    @classmethod
    def of(cls, w: World, actors: np.ndarray | int) -> "Batch":
        """One row per entry of `actors`, each the current state as that actor sees it."""
        actors = np.atleast_1d(np.asarray(actors, dtype=int))
        c = len(actors)
        held = w.held()
        own = np.zeros((len(w.bases), w.n))
        rows = np.nonzero(held)[0]
        own[rows, w.base_ctrl[rows]] = 1.0
        rep = lambda x: np.repeat(x[None], c, axis=0)  # noqa: E731 - contiguous, writable copies
        return cls(rel=w.rel[actors], fight=w.fighting[actors], fight_total=np.full(c, w.fighting.sum() / 2),
                   own=rep(own), garrison=rep(w.base_garrison), control=w.control.T[actors],
                   econ=w.cap[actors, 1].copy(), forecast=rep(w.forecast), position=w.position)

    def rows(self, sl: slice) -> "Batch":
        """A view on a contiguous block of rows (one actor's candidates)."""
        return Batch(self.rel[sl], self.fight[sl], self.fight_total[sl], self.own[sl], self.garrison[sl],
                     self.control[sl], self.econ[sl], self.forecast[sl], self.position)


@dataclass
class GoalTable:
    """One actor's goals compiled to index arrays (rebuilt when weights change)."""
    hold: tuple[np.ndarray, np.ndarray]          # base idx, weight
    deny: tuple[np.ndarray, np.ndarray, np.ndarray]  # base idx, denied actor idx, weight
    relation: tuple[np.ndarray, np.ndarray, np.ndarray]  # partner idx, target value, weight
    influence: list[tuple[np.ndarray, float]]    # (region mask as population weights, weight)
    issue: tuple[np.ndarray, np.ndarray]         # issue idx, weight
    economy: float
    stability: float


def compile_goals(sc: Scenario, w: World, actor: str) -> GoalTable:
    """Turn the actor's named goals (with current weights, which events may change) into index arrays."""
    hold_b, hold_w, deny_b, deny_a, deny_w = [], [], [], [], []
    rel_a, rel_t, rel_w, iss_k, iss_w, infl = [], [], [], [], [], []
    econ = stab = 0.0
    for name, g in sc.actors[actor].goals.items():
        wt = w.goal_weight[actor][name]
        if g.kind == "hold_base":
            hold_b.append(w.bidx(g.base)); hold_w.append(wt)
        elif g.kind == "deny_base":
            deny_b.append(w.bidx(g.base)); deny_a.append(w.idx(g.actor)); deny_w.append(wt)
        elif g.kind == "relation":
            rel_a.append(w.idx(g.actor)); rel_t.append(g.target); rel_w.append(wt)
        elif g.kind == "issue":
            iss_k.append(w.kidx(g.issue)); iss_w.append(wt)
        elif g.kind == "influence":
            pop = np.zeros(len(w.regions))
            ids = [w.ridx(r) for r in g.regions] if g.regions else range(len(w.regions))
            for r in ids:
                pop[r] = w.population[r]
            infl.append((pop / max(pop.sum(), 1e-9), wt))
        elif g.kind == "economy":
            econ += wt
        elif g.kind == "stability":
            stab += wt
    arr = lambda x, t=float: np.asarray(x, dtype=t)  # noqa: E731
    return GoalTable(hold=(arr(hold_b, int), arr(hold_w)), deny=(arr(deny_b, int), arr(deny_a, int), arr(deny_w)),
                     relation=(arr(rel_a, int), arr(rel_t), arr(rel_w)), influence=infl,
                     issue=(arr(iss_k, int), arr(iss_w)), economy=econ, stability=stab)


def utility(batch: Batch, a: int, goals: GoalTable, scale: np.ndarray) -> np.ndarray:
    """(c,) utility of actor a in each expected state: the weighted sum of its goal terms, each in about [-1, 1]."""
    c = batch.rel.shape[0]
    u = np.zeros(c)
    b, wt = goals.hold
    if b.size:
        u += (batch.own[:, b, a] * (0.6 + 0.4 * batch.garrison[:, b])) @ wt
    b, t, wt = goals.deny
    if b.size:
        u += (1.0 - batch.own[:, b, t]) @ wt
    p, target, wt = goals.relation
    if p.size:
        u += (1.0 - np.abs(batch.rel[:, p] - target)) @ wt
    for pop, wt in goals.influence:
        u += wt * (batch.control @ pop)
    k, wt = goals.issue
    if k.size:
        span = scale[k, 1] - scale[k, 0]
        u += (1.0 - np.abs(batch.forecast[:, k] - batch.position[k, a]) / span) @ wt
    if goals.economy:
        u += goals.economy * batch.econ / 100.0
    if goals.stability:
        mine = batch.fight.sum(axis=1)
        u -= goals.stability * np.minimum(mine + 0.5 * (batch.fight_total - mine), 1.0)
    return u
