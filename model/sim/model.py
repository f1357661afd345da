"""WargameModel: the turn loop. One `step()` is one month, in eight phases, each its own method below.

1 nature -> 2 orders -> 3 adjudication -> 4 bargaining -> 5 relations -> 6 alliances -> 7 control -> 8 record.
"""
from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd

from model.config.conditions import evaluate
from model.config.errors import UserError
from model.config.scenario import Scenario
from model.config.vocabulary import INDICATORS, KIND_PHASE
from model.sim.actions import Ctx, Order
from model.sim.adjudication import ev, phase_sorted, resolve
from model.sim.agents import ActorAgent
from model.sim.effects import apply_effect
from model.sim.indicators import record
from model.sim.policies import (
    gumbel_keys,
    match_feasible,
    parse_order,
    score_all,
    score_candidates,
)
from model.sim.utility import Batch, GoalTable, compile_goals, utility
from model.sim.world import STATUS, World, from_scenario
from model.theory import alliances, bargaining

HEADLINE = [k for k in INDICATORS if k not in ("turn", "date")]
ENGAGING = {"engage", "aid", "invest", "lift_sanctions", "recognise", "patrol", "mediate"}


class OrdersPending(UserError):
    """Raised by step() while a human seat has not submitted its orders for the turn."""


class GameOver(UserError):
    """Raised by step() after the last turn."""


class WargameModel(mesa.Model):
    """The Syria 2025 wargame. `WargameModel(load_scenario(path), seed=7).run(24)`."""

    def __init__(self, scenario: Scenario, seed: int | None = None, *, turns: int | None = None,
                 human: tuple[str, ...] | list[str] = ()) -> None:
        super().__init__(rng=seed)
        self.spec = scenario
        self.seed = seed
        self.max_turns = turns or scenario.turns
        self.turn = 0
        self.world: World = from_scenario(scenario)
        for h in human:
            if h not in scenario.actors:
                raise UserError(f"unknown actor {h!r} for a human seat; expected one of {', '.join(scenario.actors)}")
        self.human = tuple(human)
        self.actor_agents: list[ActorAgent] = []
        for i, aid in enumerate(self.world.actors):
            ag = ActorAgent(self, aid, i)
            if aid in self.human:
                ag.human = True
            self.actor_agents.append(ag)
        self._size_w = np.array([scenario.params.size_weights.military, scenario.params.size_weights.economic,
                                 scenario.params.size_weights.diplomatic])
        self.ctx = Ctx(self.world, scenario, self.world.sizes(self._size_w), dict(scenario.actions))
        self.submitted: dict[str, list[Order]] = {}
        self.orders_log: list[dict] = []          # every turn's orders, for export and replay
        self._events: list[dict] = []
        self._turn_events: list[dict] = []
        self._shifts = 0
        self._date = self.date()
        w = self.world
        start = (w.rel[0] < 0).astype(np.int8)
        start[0] = 0
        w.blocs = alliances.settle(self.ctx.size, w.rel, start)[0].astype(int)
        self.datacollector = mesa.DataCollector(
            model_reporters={k: (lambda m, k=k: m.last_record[k]) for k in HEADLINE})
        self.rows: list[dict[str, Any]] = []
        self.last_record: dict[str, Any] = {}
        self.phase_record()
        self.running = True

    # ------------------------------------------------------------------------------------ public API
    @property
    def done(self) -> bool:
        return self.turn >= self.max_turns

    def date(self, turn: int | None = None) -> str:
        """Month of a turn: turn 1 is the scenario's start month, turn 0 the month before."""
        t = self.turn if turn is None else turn
        y, m = map(int, self.spec.start.split("-"))
        k = y * 12 + (m - 1) + t - 1
        return f"{k // 12:04d}-{k % 12 + 1:02d}"

    def _log(self, e: dict) -> None:
        e = {"turn": self.turn, "date": self._date, **e}
        self._turn_events.append(e)
        self._events.append(e)

    def goals(self) -> GoalTable:
        """All actors' goals compiled for the utility function, rebuilt only when an event changed a weight."""
        key = tuple(v for a in self.world.actors for v in self.world.goal_weight[a].values())
        if getattr(self, "_goal_key", None) != key:
            self._goals, self._goal_key = compile_goals(self.spec, self.world), key
        return self._goals

    def waiting_for(self) -> list[str]:
        """Human seats that still have to submit orders for the coming turn."""
        return [h for h in self.human if h not in self.submitted]

    def feasible_orders(self, actor: str) -> list[dict]:
        """Orders the actor could give now, with cost and expected utility gain (for human seats' menus)."""
        a = self.world.idx(actor)
        scored = score_candidates(self.ctx, a, self.goals())
        sl = scored.rows(a)
        return [{"order": scored.order(self.ctx, r).to_dict(), "cost": int(scored.cost[r]),
                 "gain": round(float(scored.gain[r]), 4)}
                for r in range(sl.start, sl.stop) if scored.cost[r] > 0]

    def submit_orders(self, actor: str, orders: list[dict]) -> list[Order]:
        """Record a human seat's orders for the coming turn after checking them; raises UserError if invalid."""
        if self.done:
            raise GameOver("the game has ended")
        if actor not in self.human:
            raise UserError(f"{actor} is not a human seat in this game")
        if actor in self.submitted:
            raise UserError(f"{actor} has already submitted orders for turn {self.turn + 1}")
        if not isinstance(orders, list):
            raise UserError("orders must be a list", field="orders")
        a = self.world.idx(actor)
        parsed, ap = [], self.actor_agents[a].action_points
        for n, d in enumerate(orders):
            o = parse_order(self.ctx, d, f"orders.{n}")
            if o.kind == "hold":
                continue
            cost = self.ctx.p(o.kind).cost
            if cost > ap:
                raise UserError(f"not enough action points for {o.kind} (costs {cost}, {ap} left)",
                                field=f"orders.{n}")
            canon = match_feasible(self.ctx, a, o)
            if canon is None:
                raise UserError(f"{o.kind} {o.to_dict()} is not possible for {actor} now", field=f"orders.{n}")
            if canon in parsed:
                raise UserError("the same order is given twice", field=f"orders.{n}")
            o = canon
            ap -= cost
            parsed.append(o)
        self.submitted[actor] = parsed
        return parsed

    def run(self, turns: int | None = None) -> "WargameModel":
        for _ in range(turns if turns is not None else self.max_turns - self.turn):
            if self.done:
                break
            self.step()
        return self

    def _refuse_step(self) -> None:
        if self.done:
            raise GameOver(f"the game has ended after {self.max_turns} turns")
        waiting = self.waiting_for()
        if waiting:
            raise OrdersPending(f"waiting for orders from {', '.join(waiting)}")

    def _wrapped_step(self) -> None:
        """Mesa runs step() as a scheduled event that is lost when step() raises (every later step() would then
        silently do nothing), so a step is refused here, before Mesa's clock and schedule move."""
        self._refuse_step()
        super()._wrapped_step()

    def step(self) -> None:
        """Play one turn (all eight phases)."""
        self._refuse_step()
        self.turn += 1
        self.world.turn = self.turn
        self._date = self.date()
        self._turn_events = []
        self.ctx.size = self.world.sizes(self._size_w)
        self.phase_nature()
        self.phase_orders()
        self.phase_adjudication()
        self.phase_bargaining()
        self.phase_relations()
        self.phase_alliances()
        self.phase_control()
        self.phase_record()
        self.submitted = {}
        self.running = not self.done

    def indicators(self) -> pd.DataFrame:
        """One row per turn (turn 0 = the start), columns named as documented in model.sim.indicators."""
        return pd.DataFrame(self.rows)

    def history(self) -> pd.DataFrame:
        return self.indicators()

    def events(self) -> list[dict]:
        return list(self._events)

    def state(self) -> dict[str, Any]:
        """JSON-serialisable snapshot of the current turn for the web UI and files."""
        w, sc = self.world, self.spec
        return {
            "turn": self.turn, "date": self.date(), "max_turns": self.max_turns, "done": self.done,
            "indicators": {k: self.last_record[k] for k in HEADLINE},
            "actors": [{"id": a, "name": sc.actors[a].name, "color": sc.actors[a].color,
                        "capabilities": dict(zip(("military", "economic", "diplomatic"), w.cap[i].round(3).tolist())),
                        "size": round(float(self.ctx.size[i]), 4), "bloc": int(w.blocs[i]),
                        "utility": self.last_record[f"utility.{a}"], "human": a in self.human,
                        "action_points": self.actor_agents[i].action_points}
                       for i, a in enumerate(w.actors)],
            "relations": w.rel.round(4).tolist(),
            "bases": [{"id": b, "name": sc.bases[b].name, "lat": sc.bases[b].lat, "lon": sc.bases[b].lon,
                       "region": sc.bases[b].region, "kind": sc.bases[b].kind,
                       "controller": self.last_record[f"base.{b}.controller"],
                       "status": self.last_record[f"base.{b}.status"],
                       "garrison": round(float(w.base_garrison[j]), 4),
                       "value": sc.bases[b].value} for j, b in enumerate(w.bases)],
            "regions": [{"id": r, "name": sc.regions[r].name, "iso": sc.regions[r].iso,
                         "control": {a: round(float(w.control[j, i]), 4) for i, a in enumerate(w.actors)
                                     if w.control[j, i] > 1e-6}} for j, r in enumerate(w.regions)],
            "issues": [{"id": k, "name": sc.issues[k].name, "forecast": round(float(w.forecast[j]), 3),
                        "scale": list(sc.issues[k].scale),
                        "positions": dict(zip(w.actors, w.position[j].round(3).tolist()))}
                       for j, k in enumerate(w.issues)],
            "events": [e for e in self._events if e["turn"] == self.turn],
            "waiting_for": self.waiting_for(),
        }

    # ---------------------------------------------------------------------------------------- phases

    def phase_nature(self) -> None:
        """1. Last turn's fighting fades; then exogenous events: each fires with its probability when its
        condition holds on last turn's record.

        One rng draw per eligible event, in config order, so the draws do not depend on what fired before."""
        w = self.world
        w.fighting *= 1.0 - self.spec.params.fighting_decay  # last turn's fighting fades before this turn's
        for eid, e in self.spec.events.items():
            if e.max_times and w.counters.get(f"event.{eid}", 0) >= e.max_times:
                continue
            if not evaluate(e.condition, self.last_record):
                continue
            draw = float(self.rng.random())
            if draw >= e.probability:
                continue
            notes = [apply_effect(w, self.spec, ef) for ef in e.effects]
            w.counters[f"event.{eid}"] = w.counters.get(f"event.{eid}", 0) + 1
            self._log(ev("event", list(e.actors), e.sentence, event=eid, p=e.probability, draw=draw,
                         effects="; ".join(notes)) | {"phase": "nature"})

    def phase_orders(self) -> None:
        """2. Every actor's policy gives orders within its action points; human seats' orders were submitted."""
        scored = score_all(self.ctx, self.goals())
        temperature, uniform = zip(*(ag.policy.sampling() for ag in self.actor_agents))
        scored.keys = gumbel_keys(scored.gain, scored.cost, scored.start, np.array(temperature),
                                  np.array(uniform), self.rng)
        for ag in self.actor_agents:
            ag.give_orders(scored)
        self.orders_log.append({"turn": self.turn, "orders": {ag.actor_id: [o.to_dict() for o in ag.orders]
                                                              for ag in self.actor_agents if ag.orders}})

    def phase_adjudication(self) -> None:
        """3. Orders resolve in phase order diplomacy -> economy -> military; contests use the Tullock function.

        An order that is no longer possible (the world changed since it was given) is dropped and logged: human
        orders are always re-checked, AI orders when the base they name changed hands or status this turn."""
        queue = [(ag.index, o) for ag in self.actor_agents for o in ag.orders]
        usa = self.world._aidx.get("USA", -1)
        syr = self.world._aidx.get("SYR", -1)
        spent = 0
        w = self.world
        held0 = (w.base_ctrl.copy(), w.base_status.copy())   # AI orders on a base that changed since are re-checked
        for a, o in phase_sorted(queue):
            moved = o.base is not None and any(x[w.bidx(o.base)] != y[w.bidx(o.base)]
                                               for x, y in zip(held0, (w.base_ctrl, w.base_status)))
            if (self.actor_agents[a].human or moved) and match_feasible(self.ctx, a, o) is None:
                self._log(ev("order_dropped", [self.world.actors[a]], f"{self.actor_agents[a].name}'s order "
                             f"{o.kind} could no longer be carried out.", order=str(o.to_dict()))
                          | {"phase": KIND_PHASE[o.kind]})
                continue
            for e in resolve(self.ctx, a, o, self.rng):
                self._log(e)
            if a == usa and o.kind in ENGAGING and "SYR" in (o.target, o.other):
                spent += self.ctx.p(o.kind).cost
        if usa >= 0 and syr >= 0:
            ap = max(self.actor_agents[usa].action_points, 1)
            m = self.spec.params.engagement_memory
            self.world.us_engagement = m * self.world.us_engagement + (1 - m) * min(spent / ap, 1.0)

    def phase_bargaining(self) -> None:
        """4. One round of the expected-utility model per issue (all issues in one vectorised call); the
        forecast (capability- and salience-weighted mean of the new positions) crossing a threshold has
        consequences."""
        w, prm = self.world, self.spec.params
        live = np.nonzero((w.salience * self.ctx.size[None, :]).sum(axis=1) > 0)[0]
        if live.size == 0:
            return
        new, _, _ = bargaining.bargain_rounds(self.ctx.size, w.position[live], w.salience[live], w.scale[live],
                                              Q=prm.bargaining_q, T=prm.bargaining_t)
        weights = w.salience[live] * self.ctx.size[None, :]
        new = np.clip(new, w.scale[live, :1], w.scale[live, 1:])
        after_all = (weights * new).sum(axis=1) / weights.sum(axis=1)
        for j, k in enumerate(live.tolist()):
            iid = w.issues[k]
            before, after = float(w.forecast[k]), float(after_all[j])
            w.position[k] = new[j]
            w.forecast[k] = after
            for th in self.spec.issues[iid].thresholds:
                crossed = (before >= th.value > after) if th.when == "below" else (before <= th.value < after)
                if crossed:
                    notes = [apply_effect(w, self.spec, ef) for ef in th.effects]
                    self._log(ev("issue", [], th.sentence, issue=iid, threshold=th.name, before=before, after=after,
                                 effects="; ".join(notes)) | {"phase": "bargaining"})

    def phase_relations(self) -> None:
        """5. Balance pressure (the friend of my enemy) and drift to baseline affinity; clipped, symmetric."""
        w, prm = self.world, self.spec.params
        r = w.rel
        n = w.n
        pressure = (r @ r) / max(n - 2, 1)
        new = r + prm.balance * pressure + prm.drift * (w.affinity - r)
        new = np.clip((new + new.T) / 2, -1.0, 1.0)
        np.fill_diagonal(new, 0.0)
        w.rel = new

    def phase_alliances(self) -> None:
        """6. Landscape dynamics from last turn's blocs: actors switch one at a time when it lowers frustration."""
        w = self.world
        self._shifts = 0
        if not self.spec.params.alliance_switch:
            return
        new, switches = alliances.settle(self.ctx.size, w.rel, w.blocs)
        moved = sorted(set(i for i in switches if new[i] != w.blocs[i]))
        w.blocs = new.astype(int)
        self._shifts = len(moved)
        for i in moved:
            mates = [self.spec.actors[w.actors[j]].name for j in range(w.n) if j != i and w.blocs[j] == w.blocs[i]]
            self._log(ev("alliance_shift", [w.actors[i]], f"{self.actor_agents[i].name} changed sides, now with "
                         f"{', '.join(mates) or 'nobody'}.", bloc=int(w.blocs[i])) | {"phase": "alliances"})

    def phase_control(self) -> None:
        """7. Drawdowns wear garrisons down, collapsed garrisons leave, contested bases calm, regions follow presence."""
        w, prm = self.world, self.spec.params
        for b in range(len(w.bases)):
            if w.base_ctrl[b] < 0:
                continue
            if w.base_status[b] == STATUS["drawdown"]:
                w.base_garrison[b] = max(w.base_garrison[b] - prm.drawdown_rate, 0.0)
            if w.base_garrison[b] < prm.collapse_garrison and w.base_status[b] in (STATUS["active"],
                                                                                   STATUS["drawdown"],
                                                                                   STATUS["contested"]):
                old = int(w.base_ctrl[b])
                host = int(w.base_host[b])
                w.base_ctrl[b] = host if host != old else -1
                w.base_status[b] = STATUS["evacuated"]
                w.base_garrison[b] = 0.0
                self._log(ev("base_change", [w.actors[old]], f"{self.actor_agents[old].name} left "
                             f"{self.spec.bases[w.bases[b]].name}; it passes to "
                             f"{self.actor_agents[host].name if host != old else 'nobody'}.", base=w.bases[b])
                          | {"phase": "control"})
            elif w.base_status[b] == STATUS["contested"] and w.fighting[w.base_ctrl[b]].max() < prm.open_fighting:
                w.base_status[b] = STATUS["active"]
        presence = w.control.copy()
        held = w.held()
        np.add.at(presence, (w.base_region[held], w.base_ctrl[held]), prm.garrison_presence * w.base_garrison[held])
        presence /= presence.sum(axis=1, keepdims=True)
        w.control += prm.control_rate * (presence - w.control)
        w.control /= w.control.sum(axis=1, keepdims=True)

    def phase_record(self) -> None:
        """8. Indicators of the turn to the DataCollector and the table of rows; events already logged."""
        w = self.world
        everyone = np.arange(w.n)
        utilities = utility(Batch.of(w, everyone), everyone, self.goals(), w.scale)
        self.last_record = record(w, self.ctx.size, self.spec.params.open_fighting, self._shifts, utilities,
                                  self.date())
        self.rows.append(self.last_record)
        self.datacollector.collect(self)
