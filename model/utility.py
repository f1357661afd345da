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
    """Every actor's goals compiled to flat term arrays, so one call scores rows of many actors at once.

    Rebuilt when an event changes a goal weight. Term arrays name the owning actor in `*_a`."""
    hold_a: np.ndarray; hold_b: np.ndarray; hold_w: np.ndarray                      # noqa: E702
    deny_a: np.ndarray; deny_b: np.ndarray; deny_t: np.ndarray; deny_w: np.ndarray  # noqa: E702
    rel_a: np.ndarray; rel_p: np.ndarray; rel_t: np.ndarray; rel_w: np.ndarray      # noqa: E702
    iss_a: np.ndarray; iss_k: np.ndarray; iss_w: np.ndarray                         # noqa: E702
    influence: np.ndarray   # (n, r) population-weighted goal weight per region
    economy: np.ndarray     # (n,)
    stability: np.ndarray   # (n,)


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

    def cols(rows: list, types: tuple) -> list[np.ndarray]:
        return [np.array([r[i] for r in rows], dtype=t) for i, t in enumerate(types)]

    return GoalTable(*cols(terms["hold"], (int, int, float)), *cols(terms["deny"], (int, int, int, float)),
                     *cols(terms["rel"], (int, int, float, float)), *cols(terms["iss"], (int, int, float)),
                     influence, economy, stability)


def utility(batch: Batch, actors: np.ndarray | int, goals: GoalTable, scale: np.ndarray) -> np.ndarray:
    """(c,) utility of each row's actor in its expected state: the weighted sum of its goal terms.

    Each goal term lies in about [-1, 1]; a term counts only in rows of the actor that holds the goal."""
    c = batch.rel.shape[0]
    act = np.broadcast_to(np.asarray(actors, dtype=int), (c,))
    g = goals
    u = (g.influence[act] * batch.control).sum(axis=1)
    u += g.economy[act] * batch.econ / 100.0
    if g.hold_a.size:
        mine = (act[:, None] == g.hold_a[None, :]) * g.hold_w
        u += (mine * batch.own[:, g.hold_b, g.hold_a] * (0.6 + 0.4 * batch.garrison[:, g.hold_b])).sum(axis=1)
    if g.deny_a.size:
        mine = (act[:, None] == g.deny_a[None, :]) * g.deny_w
        u += (mine * (1.0 - batch.own[:, g.deny_b, g.deny_t])).sum(axis=1)
    if g.rel_a.size:
        mine = (act[:, None] == g.rel_a[None, :]) * g.rel_w
        u += (mine * (1.0 - np.abs(batch.rel[:, g.rel_p] - g.rel_t))).sum(axis=1)
    if g.iss_a.size:
        mine = (act[:, None] == g.iss_a[None, :]) * g.iss_w
        span = scale[g.iss_k, 1] - scale[g.iss_k, 0]
        gap = np.abs(batch.forecast[:, g.iss_k] - batch.position[g.iss_k, g.iss_a]) / span
        u += (mine * (1.0 - gap)).sum(axis=1)
    stab = g.stability[act]
    if stab.any():
        own_fight = batch.fight.sum(axis=1)
        u -= stab * np.minimum(own_fight + 0.5 * (batch.fight_total - own_fight), 1.0)
    return u
