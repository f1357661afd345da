"""Actors as Mesa agents: identity, action points, a policy, this turn's orders, and views of their own slice of the
world arrays (which stay in the model's World, vectorised over all actors, so a turn is cheap)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import mesa

from model.sim.actions import Ctx, Order
from model.sim.policies import HumanPolicy, Scored, make_policy
from model.sim.utility import Batch, GoalTable, utility

CAPABILITIES = ("military", "economic", "diplomatic")


class ActorAgent(mesa.Agent):
    """One state or armed movement; `index` is its row in the World's arrays (scenario order). Its model is a
    WargameModel (not imported here: the model imports this module)."""

    def __init__(self, model: mesa.Model, actor_id: str, index: int, *, human: bool = False) -> None:
        super().__init__(model)
        actor = model.scenario.actors[actor_id]
        self.actor_id = actor_id
        self.index = index
        self.name = actor.name
        self.action_points = actor.action_points
        self.policy = make_policy(actor.policy)
        self.human = human or isinstance(self.policy, HumanPolicy)
        self.orders: list[Order] = []

    @property
    def capabilities(self) -> dict[str, float]:
        """Military, economic and diplomatic capability now (0-100)."""
        return dict(zip(CAPABILITIES, self.model.world.cap[self.index].tolist(), strict=True))

    @property
    def size(self) -> float:
        """Weight in contests and bargaining: the capabilities weighted by the scenario's size weights."""
        return float(self.model.ctx.size[self.index])

    @property
    def bloc(self) -> int:
        """The alliance bloc the actor is in now."""
        return int(self.model.world.blocs[self.index])

    def relation(self, other: str) -> float:
        """Relation with another actor now, in [-1, 1]."""
        w = self.model.world
        return float(w.rel[self.index, w.idx(other)])

    def goals(self) -> GoalTable:
        """All actors' compiled goals (shared by the model; rebuilt when an event changes a weight)."""
        return self.model.goals()

    def utility(self, batch: Batch | None = None) -> float:
        """Utility in the current state (`batch` may hold this actor's current view, else one is built)."""
        ctx: Ctx = self.model.ctx
        view = batch if batch is not None else Batch.of(ctx.w, self.index)
        return float(utility(view, self.index, self.goals(), ctx.w.scale)[0])

    def give_orders(self, scored: Scored, previous: Mapping[str, Any]) -> None:
        """Ask the policy for this turn's orders, given last turn's record (human seats keep what was submitted)."""
        if self.human:
            self.orders = self.model.submitted.get(self.actor_id, [])
            return
        m = self.model
        self.orders = self.policy.choose(m.ctx, self.index, self.action_points, m.rng, previous, scored, m.steps)
