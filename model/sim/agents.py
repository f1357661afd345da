"""Actors as Mesa agents: identity, index into the world arrays, goals compiled for utility, and a policy."""
from __future__ import annotations

import mesa

from model.sim.actions import Ctx, Order
from model.sim.policies import HumanPolicy, make_policy
from model.sim.utility import Batch, GoalTable, utility


class ActorAgent(mesa.Agent):
    """One state or armed movement. Hot state lives in the model's World; the agent holds its index."""

    def __init__(self, model: "mesa.Model", actor_id: str, index: int) -> None:
        super().__init__(model)
        spec = model.spec.actors[actor_id]
        self.actor_id = actor_id
        self.index = index
        self.name = spec.name
        self.action_points = spec.action_points
        self.policy = make_policy(spec.policy)
        self.human = isinstance(self.policy, HumanPolicy)
        self.orders: list[Order] = []

    def goals(self) -> GoalTable:
        """All actors' compiled goals (shared by the model; rebuilt when an event changes a weight)."""
        return self.model.goals()

    def utility(self, batch: Batch | None = None) -> float:
        """Utility in the current state (`batch` may hold this actor's current view, else one is built)."""
        ctx: Ctx = self.model.ctx
        view = batch if batch is not None else Batch.of(ctx.w, self.index)
        return float(utility(view, self.index, self.goals(), ctx.w.scale)[0])

    def give_orders(self, scored) -> None:
        """Ask the policy for this turn's orders (human seats keep what the person submitted)."""
        if self.human:
            self.orders = self.model.submitted.get(self.actor_id, [])
            return
        m = self.model
        self.orders = self.policy.choose(m.ctx, self.index, self.action_points, m.rng, m.last_record,
                                         scored, m.turn)
