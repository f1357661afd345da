"""WargameModel: the turn loop. One `step()` is one month, in eight phases, each its own method below.

1 nature -> 2 orders -> 3 adjudication -> 4 bargaining -> 5 relations -> 6 alignment -> 7 control -> 8 record.
The bargaining is model.sim.talks; the alliances model.sim.alignment; the event log is model.sim.story (`events()`).

Mesa keeps the books: `steps` counts the turns, `agents` holds the actors, and the DataCollector is the one store of
indicators (`indicators()` is its frame), so `mesa.batch_run(WargameModel, {"scenario": "baseline-2025"})` works.
"""
from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd
from mesa.experimental.scenarios import Scenario as MesaScenario

from model.config.conditions import evaluate
from model.config.errors import UserError
from model.config.scenario import Scenario, load_scenario
from model.config.vocabulary import INDICATORS, KIND_PHASE
from model.sim import bases, talks, territory
from model.sim.actions import Ctx, Order, zero_diagonal
from model.sim.adjudication import phase_sorted, resolve
from model.sim.agents import ActorAgent
from model.sim.alignment import init_alignment, phase_alignment
from model.sim.effects import apply_effect
from model.sim.indicators import record_values
from model.sim.policies import (
    gumbel_keys,
    match_feasible,
    parse_order,
    score_all,
    score_candidates,
)
from model.sim.story import Story, ev
from model.sim.utility import Batch, GoalTable, compile_goals, utility
from model.sim.victory import VictoryBook
from model.sim.world import World, fresh_copy, from_scenario

HEADLINE = [k for k in INDICATORS if k not in ("turn", "date")]
ENGAGING = {"engage", "aid", "invest", "lift_sanctions", "recognise", "patrol", "mediate"}


@dataclass(frozen=True)
class _Start:
    """A game's state after construction, which depends on the scenario alone (construction draws no random number):
    the world (after the territory, bases, talks, alignment and consent are set up), the talks' tables and the
    compiled goals (`state`, copied for every game with fresh_copy), the sizes, the actor names and the first record
    (the start, turn 0). Computed by the same calls as a game's first month reads them."""
    state: tuple[World, talks.Tables, GoalTable, np.ndarray]     # ... and the sizes (ctx.size)
    goal_key: tuple
    size_w: np.ndarray
    names: tuple[str, ...]
    record: tuple[tuple[str, ...], list[Any]]
    reads_utility: bool                      # some condition of the scenario reads a utility.<actor> column
    utility_at: slice                        # where the utility.<actor> columns sit in the record


_STARTS: OrderedDict[int, tuple[Scenario, _Start]] = OrderedDict()
_STARTS_KEPT = 16                     # scenarios whose start is kept (an experiment's arms and sweep points reuse them)
_STARTS_LOCK = threading.Lock()


def month(start: str, turn: int) -> str:
    """The month (YYYY-MM) `turn` months after `start` (WargameModel.date)."""
    y, m = map(int, start.split("-"))
    k = y * 12 + (m - 1) + turn
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def _start_of(sc: Scenario) -> _Start:
    """The start of a game of `sc`, computed once per Scenario object (a Scenario is not changed once validated:
    every override makes a new one). The entry holds the scenario, so its id is not reused while it is kept."""
    entry = _STARTS.get(id(sc))
    if entry is not None and entry[0] is sc:
        return entry[1]
    start = _build_start(sc)
    with _STARTS_LOCK:
        _STARTS[id(sc)] = (sc, start)
        _STARTS.move_to_end(id(sc))
        while len(_STARTS) > _STARTS_KEPT:
            _STARTS.popitem(last=False)
    return start


def _build_start(sc: Scenario) -> _Start:
    """Construction's work on the scenario, in the order a game needs it (the template _start_of keeps)."""
    w = from_scenario(sc)
    territory.init_territory(w, sc)
    bases.init_bases(w, sc)
    size_w = np.array([sc.params.size_weights.military, sc.params.size_weights.economic,
                       sc.params.size_weights.diplomatic])
    size = w.sizes(size_w)
    tables = talks.init_talks(w, sc)
    init_alignment(w, sc, size)
    bases.settle_consent(w, sc)   # consent reads the blocs: measured once they are settled
    goals = compile_goals(sc, w)
    goal_key = tuple([tuple(w.goal_weight[a].values()) for a in w.actors])
    everyone = np.arange(w.n)
    utilities = utility(Batch.of(w, everyone), everyone, goals, w.scale)
    names, values = record_values(w, size, sc.params.open_fighting, 0, utilities, month(sc.start, 0))
    first = names.index(f"utility.{w.actors[0]}") if w.n else 0
    return _Start(fresh_copy((w, tables, goals, size)), goal_key, size_w,
                  tuple(sc.actors[a].name for a in w.actors), (names, list(values)), _mentions_utility(sc.model_dump()),
                  slice(first, first + w.n))


def _mentions_utility(value: Any) -> bool:
    """Whether a scenario (as dumped) names a utility.<actor> column anywhere, a condition's indicator above all (a
    mere mention in a text counts too: the answer errs on the side of computing the column)."""
    if isinstance(value, str):
        return value.startswith("utility.")
    if isinstance(value, dict):
        return any(_mentions_utility(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_mentions_utility(v) for v in value)
    return False


class OrdersPending(UserError):
    """Raised by step() while a human seat has not submitted its orders for the turn."""


class GameOver(UserError):
    """Raised by step() after the last turn."""


class IndicatorCollector(mesa.DataCollector):
    """Mesa's DataCollector holding every indicator of the model's record, one model variable (column) each.

    One Mesa reporter per column would cost ~180 us a turn for the ~340 columns of the baseline (a call and a
    deepcopy each: a tenth of a turn). So `turn` alone is a reporter (Mesa's `steps`; it keeps Mesa's own books, such
    as the collection times batch_run reads) and the rest of the record, `model.measure()`'s values in its order
    (`measure_values()`, without building the dict), is appended in one pass at C speed. The readers are Mesa's:
    `model_vars`, `get_model_vars_dataframe()`, `batch_run`."""

    def __init__(self) -> None:
        super().__init__(model_reporters={"turn": "steps"})
        self._columns: list[list[Any]] | None = None   # the model_vars lists a record's values go to, in order

    def collect(self, model: WargameModel, record: tuple[tuple[str, ...], list[Any]] | None = None) -> None:
        """Append the model's record (`record`: its measure_values(), when the caller has them)."""
        names, values = model.measure_values() if record is None else record
        super().collect(model)
        rest = islice(values, 1, None)            # the record's own "turn" (first) is Mesa's reporter's column
        if self._columns is None:                 # the first record names the columns
            self._columns = [[value] for value in rest]
            self.model_vars.update(zip(names[1:], self._columns, strict=True))
        else:
            deque(map(list.append, self._columns, rest), maxlen=0)   # each value to its column

    def latest(self) -> dict[str, Any]:
        """The last collected row, as a new dict."""
        return dict(zip(self.model_vars, map(itemgetter(-1), self.model_vars.values()), strict=True))

    def row(self, index: int = -1) -> Row:
        """A read-only view of one collected row (the last by default), without copying it."""
        return Row(self.model_vars, index % len(self.model_vars["turn"]))


class Row(Mapping[str, Any]):
    """One row of a DataCollector's model variables, read in place (the row stays the same as more are added)."""

    __slots__ = ("_columns", "_index")

    def __init__(self, columns: dict[str, list[Any]], index: int) -> None:
        self._columns, self._index = columns, index

    def __getitem__(self, name: str) -> Any:
        return self._columns[name][self._index]

    def get(self, name: str, default: Any = None) -> Any:
        """Mapping.get without its exception round trip (conditions read records this way every month)."""
        column = self._columns.get(name)
        return default if column is None else column[self._index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


CAPABILITIES = ("military", "economic", "diplomatic")


@dataclass(frozen=True)
class _StateParts:
    """What WargameModel.state() repeats every turn unchanged: the scenario's names, colours and places, and the
    record's keys per actor and base, in the state's order."""
    actors: tuple[tuple[str, str, str, str, str, str], ...]
    bases: tuple[tuple[dict[str, Any], str, str, str, str, Any], ...]
    regions: tuple[dict[str, Any], ...]
    issues: tuple[tuple[str, str, Any, Any], ...]

    @staticmethod
    def of(sc: Scenario, w: World) -> _StateParts:
        return _StateParts(
            actors=tuple((a, sc.actors[a].name, sc.actors[a].color, f"strain.{a}", f"alignment.{a}", f"utility.{a}")
                         for a in w.actors),
            bases=tuple(({"id": b, "name": sc.bases[b].name, "lat": sc.bases[b].lat, "lon": sc.bases[b].lon,
                          "region": sc.bases[b].region, "kind": sc.bases[b].kind},
                         f"base.{b}.controller", f"base.{b}.status", f"base.{b}.host", f"base.{b}.consent",
                         sc.bases[b].value) for b in w.bases),
            regions=tuple({"id": r, "name": sc.regions[r].name, "iso": sc.regions[r].iso} for r in w.regions),
            issues=tuple((k, sc.issues[k].name, sc.issues[k].forecast, sc.issues[k].scale) for k in w.issues))


class WargameModel(mesa.Model):
    """The Syria 2025 wargame. `WargameModel("baseline-2025", rng=7).run(24).indicators()`."""

    def __init__(self, scenario: Scenario | str | Path = "baseline-2025", *,
                 rng: int | np.random.SeedSequence | np.random.Generator | None = None, seed: int | None = None,
                 turns: int | None = None, human: Sequence[str] = (), record_utility: bool = True) -> None:
        """`scenario`: a Scenario, or a scenario file or name for load_scenario. `rng` (or its synonym `seed`) seeds
        every draw; None draws a fresh seed. `turns`: default the scenario's. `human`: seats whose orders come from
        people (submit_orders); step() waits for them. `record_utility=False`: the record's utility.<actor>
        columns are nan, not computed (~7% of a run), unless a condition of the scenario reads one: for batches
        that keep none of them (nothing else in the game reads them, so every other column is the same)."""
        if seed is not None:
            if rng is not None:
                raise ValueError("give rng or seed (a synonym), not both")
            rng = seed
        sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        for h in human:
            if h not in sc.actors:
                raise UserError(f"unknown actor {h!r} for a human seat; expected one of {', '.join(sc.actors)}")
        super().__init__(rng=rng)
        # Mesa's __init__ binds `self.step` to its clock: time + 1, which runs the class's `step` (one turn) as a
        # scheduled event counted in `steps`. A turn refused inside that event would leave the clock moved and the
        # step schedule lost (every later step a silent no-op), so the public step checks first, then runs Mesa's.
        self._clock_step = self.step
        self.step = self._checked_step  # type: ignore[method-assign]
        self.scenario = sc
        self.max_turns = turns or sc.turns
        self.human = tuple(human)
        start = _start_of(sc)           # what construction computes from the scenario alone, copied for this game
        world, self.talks, self._goals, size = fresh_copy(start.state)
        self.world: World = world
        self._goal_key = start.goal_key
        for i, aid in enumerate(world.actors):
            ActorAgent(self, aid, i, human=aid in self.human)
        self._agent_of: dict[str, ActorAgent] = {ag.actor_id: ag for ag in self.agents}
        self._size_w = start.size_w.copy()
        self.ctx = Ctx(world, sc, size, dict(sc.actions))
        self.submitted: dict[str, list[Order]] = {}
        self.orders_log: list[dict] = []          # every turn's orders, for export and replay
        self.story = Story(sc.story)
        self._turn_events: list[dict] = []
        self._shifts = 0
        self._date = self.date()
        self._names = list(start.names)
        self._everyone = np.arange(world.n)
        self.victory = VictoryBook(sc)            # read-only: judges each recorded month (model.sim.victory)
        self._lean = not (record_utility or start.reads_utility)
        self._no_utility = np.full(world.n, np.nan)
        names, values = start.record            # the start's record (computed once per scenario)
        if self._lean:
            values = list(values)
            values[start.utility_at] = self._no_utility.tolist()
        self.datacollector = IndicatorCollector()
        self.datacollector.collect(self, (names, values))
        if self.victory.conditions:
            self.victory.observe(self.steps, self.datacollector.row(-1))
        self.running = True

    # Mesa 3.5 gives Model a `scenario` for its experimental Scenario class (free parameters and rng), which
    # Model.__init__ assigns; this model is seeded by rng= and parameterised by the wargame's Scenario, so here the
    # name means that one and Mesa's default is not kept.
    @property
    def scenario(self) -> Scenario:
        """The scenario being played."""
        return self._game_scenario

    @scenario.setter
    def scenario(self, value: Scenario) -> None:
        if isinstance(value, Scenario):
            self._game_scenario = value
        elif not isinstance(value, MesaScenario):
            raise TypeError(f"a WargameModel's scenario is a model.config.scenario.Scenario, "
                            f"not {type(value).__name__}")

    # ------------------------------------------------------------------------------------ public API
    @property
    def turn(self) -> int:
        """The turns played so far: Mesa's `steps` (0 at the start)."""
        return self.steps

    @property
    def done(self) -> bool:
        return self.steps >= self.max_turns

    def agent(self, actor_id: str) -> ActorAgent:
        """The agent of an actor, by its id (KeyError if the scenario has no such actor)."""
        return self._agent_of[actor_id]

    @property
    def last_record(self) -> dict[str, Any]:
        """The DataCollector's latest row (the turn last played; the start before the first turn), as a new dict."""
        return self.datacollector.latest()

    def date(self, turn: int | None = None) -> str:
        """Month of a turn: turn 0 (the starting situation) is the scenario's start month, turn t the t-th month
        after it; the one convention of the UI, the CLI and the files."""
        return month(self.scenario.start, self.steps if turn is None else turn)

    def _log(self, e: dict) -> None:
        """Tell an event (from `ev`, with its phase) in the story of the current month."""
        self._turn_events.append(self.story.tell(self.steps, self._date, e))

    def goals(self) -> GoalTable:
        """All actors' goals compiled for the utility function, rebuilt only when an event changed a weight."""
        weights = self.world.goal_weight
        key = tuple([tuple(weights[a].values()) for a in self.world.actors])
        if getattr(self, "_goal_key", None) != key:
            self._goals, self._goal_key = compile_goals(self.scenario, self.world), key
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
            raise UserError(f"{actor} has already submitted orders for turn {self.steps + 1}")
        if not isinstance(orders, list):
            raise UserError("orders must be a list", field="orders")
        a = self.world.idx(actor)
        parsed, ap = [], self.agent(actor).action_points
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

    def run(self, turns: int | None = None) -> WargameModel:
        """Play `turns` more turns (default: to the end), fewer if the game ends first."""
        for _ in range(turns if turns is not None else self.max_turns - self.steps):
            if self.done:
                break
            self.step()
        return self

    def check_step(self) -> None:
        """Raise GameOver after the last turn and OrdersPending while a human seat has still to give its orders.

        step() calls it before Mesa's clock moves, so a refused step leaves `steps` and `time` as they were."""
        self._check_turn(self.steps + 1)

    def _check_turn(self, turn: int) -> None:
        if turn > self.max_turns:
            raise GameOver(f"the game has ended after {self.max_turns} turns")
        waiting = self.waiting_for()
        if waiting:
            raise OrdersPending(f"waiting for orders from {', '.join(waiting)}")

    def _checked_step(self) -> None:
        """The public `step()`: the preconditions, then Mesa's step (the clock, which plays the turn below)."""
        self.check_step()
        self._clock_step()

    def step(self) -> None:
        """Play one turn (all eight phases). Mesa runs it from `model.step()` once the clock has moved and `steps`
        counts it. The check again is for Mesa's run_for/run_until, which move the clock without step(): a turn they
        start is refused too (though the clock has then moved)."""
        self._check_turn(self.steps)
        self.world.turn = self.steps
        self._date = self.date()
        self._turn_events = []
        self.ctx.size = self.world.sizes(self._size_w)
        previous = self.datacollector.row(-1)   # last turn's record, read in the store
        self.phase_nature(previous)
        talks.close_issues(self, previous)
        # this month's budgets net of drains, as the events left them: the orders weigh strain on them, and a
        # withdrawal's reason quotes them (last month's control phase computed them before a cut or a new drain)
        self.world.available = bases.available(self.world, self.world.turn)
        self.phase_orders(previous)
        self.phase_adjudication()
        self.phase_bargaining(previous)
        self.phase_relations()
        self.phase_alignment()
        self.phase_control()
        self.phase_record()
        self.submitted = {}
        self.running = not self.done

    def indicators(self) -> pd.DataFrame:
        """The DataCollector's frame: one row per turn (turn 0 = the start), one column per indicator, named as
        documented in model.sim.indicators."""
        return self.datacollector.get_model_vars_dataframe()

    def measure(self) -> dict[str, Any]:
        """Every indicator of the current state, as one flat record (what the DataCollector collects each turn)."""
        names, values = self.measure_values()
        return dict(zip(names, values, strict=True))

    def measure_values(self) -> tuple[tuple[str, ...], list[Any]]:
        """`measure()` as its column names (the same tuple every month) and values, in order."""
        w = self.world
        everyone = self._everyone
        utilities = self._no_utility if self._lean else utility(Batch.of(w, everyone), everyone, self.goals(),
                                                                  w.scale)
        return record_values(w, self.ctx.size, self.scenario.params.open_fighting, self._shifts, utilities,
                             self.date())

    def release(self) -> None:
        """Free this model now, once it is played and what is needed was taken out (its DataCollector's columns stay
        valid): a model is a web of reference cycles (the model, its agents, its clock and its bound methods point
        at each other) that only the cyclic collector could free, by traversing all of it (~2% of a run); emptying
        the model's attributes breaks every cycle through it, so reference counting frees it at once. The model is
        unusable afterwards."""
        self.__dict__.clear()

    def history(self) -> pd.DataFrame:
        return self.indicators()

    def events(self) -> list[dict]:
        """The story so far: every event told, in order (model.sim.story)."""
        return list(self.story.events)

    def state(self) -> dict[str, Any]:
        """JSON-serialisable snapshot of the current turn for the web UI and files.

        Built once per turn for every step a server answers: the record is read in place (no dict of its ~340
        columns), each array is converted to Python floats once, and the parts that never change in a game (names,
        colours, coordinates, record keys) are made on the first call (_StateParts)."""
        w, rec = self.world, self.datacollector.row(-1)
        parts = self.__dict__.get("_state_parts")
        if parts is None:
            parts = self.__dict__["_state_parts"] = _StateParts.of(self.scenario, w)
        cap, size, blocs = w.cap.round(3).tolist(), self.ctx.size.tolist(), w.blocs.tolist()
        garrison, control = w.base_garrison.tolist(), w.control.tolist()
        forecast, closed, quo = w.forecast.tolist(), w.issue_closed.tolist(), w.status_quo.tolist()
        position = w.position.round(3).tolist()
        human, agent = self.human, self._agent_of
        actors = w.actors
        return {
            "turn": self.steps, "date": self.date(), "max_turns": self.max_turns, "done": self.done,
            "indicators": {k: rec[k] for k in HEADLINE},
            "actors": [{"id": a, "name": name, "color": color,
                        "capabilities": dict(zip(CAPABILITIES, cap[i], strict=True)),
                        "size": round(size[i], 4), "bloc": blocs[i],
                        "strain": rec[strain], "alignment": rec.get(alignment), "utility": rec[util],
                        "human": a in human, "action_points": agent[a].action_points}
                       for i, (a, name, color, strain, alignment, util) in enumerate(parts.actors)],
            "relations": w.rel.round(4).tolist(),
            "bases": [{**static, "controller": rec[controller], "status": rec[status], "host": rec[host],
                       "consent": rec[consent], "garrison": round(garrison[j], 4), "value": value}
                      for j, (static, controller, status, host, consent, value) in enumerate(parts.bases)],
            "regions": [{**static, "control": {a: round(c, 4) for a, c in zip(actors, control[j], strict=True)
                                               if c > 1e-6}} for j, static in enumerate(parts.regions)],
            "issues": [{"id": k, "name": name, "forecast": round(forecast[j], 3), "statistic": statistic,
                        "closed": bool(closed[j]), "status_quo": None if quo[j] != quo[j] else round(quo[j], 3),
                        "scale": list(scale), "positions": dict(zip(actors, position[j], strict=True))}
                       for j, (k, name, statistic, scale) in enumerate(parts.issues)],
            "events": list(self._turn_events),
            "waiting_for": self.waiting_for(),
            "victory": self.victory.status(self.done, self.date),
        }

    # ---------------------------------------------------------------------------------------- phases

    def phase_nature(self, previous: Mapping[str, Any]) -> None:
        """1. Last turn's fighting fades; then exogenous events: each fires with its probability when its
        condition holds on last turn's record (`previous`).

        One rng draw per eligible event, in config order, so the draws do not depend on what fired before. An event
        with a `rearm` condition waits after firing until that condition has held on a record."""
        w = self.world
        w.fighting *= 1.0 - self.scenario.params.fighting_decay  # last turn's fighting fades before this turn's
        eligible = []              # (what decides whether an event may fire is its own state and `previous` only)
        for eid, e in self.scenario.events.items():
            if e.max_times and w.counters.get(f"event.{eid}", 0) >= e.max_times:
                continue
            if eid in w.disarmed:
                if not evaluate(e.rearm, previous):
                    continue
                w.disarmed.discard(eid)
            if evaluate(e.condition, previous):
                eligible.append((eid, e))
        if not eligible:
            return
        # one draw per eligible event in config order, drawn at once (the same numbers as one call per event)
        for (eid, e), draw in zip(eligible, self.rng.random(len(eligible)).tolist(), strict=True):
            if draw >= e.probability:
                continue
            notes = [apply_effect(w, self.scenario, ef) for ef in e.effects]
            w.counters[f"event.{eid}"] = w.counters.get(f"event.{eid}", 0) + 1
            if e.rearm is not None:
                w.disarmed.add(eid)
            self._log(ev("event", list(e.actors), e.sentence, importance=e.importance, repeat=e.repeat, event=eid,
                         p=e.probability, draw=draw, effects="; ".join(notes)) | {"phase": "nature"})

    def phase_orders(self, previous: Mapping[str, Any]) -> None:
        """2. Every actor's policy gives orders within its action points (seeing last turn's record, `previous`);
        human seats' orders were submitted. Agents act in scenario order, so the draws are reproducible."""
        scored = score_all(self.ctx, self.goals())
        temperature, uniform = zip(*(ag.policy.sampling() for ag in self.agents), strict=True)
        scored.keys = gumbel_keys(scored.gain, scored.cost, scored.start, np.array(temperature),
                                  np.array(uniform), self.rng)
        self.agents.do("give_orders", scored, previous)
        self.orders_log.append({"turn": self.steps, "orders": {ag.actor_id: [o.to_dict() for o in ag.orders]
                                                               for ag in self.agents if ag.orders}})

    def phase_adjudication(self) -> None:
        """3. Orders resolve in phase order diplomacy -> economy -> military; contests use the Tullock function.

        An order that is no longer possible (the world changed since it was given) is dropped and logged: human
        orders are always re-checked, AI orders when the base they name changed hands or status this turn."""
        queue = [(ag.index, o) for ag in self._agent_of.values() for o in ag.orders]   # the agents' order
        w = self.world
        usa, syr = w.roles.get("usa", -1), w.roles.get("syria", -1)
        syria_id = w.actors[syr] if syr >= 0 else None
        spent = 0
        ctrl0, status0 = w.base_ctrl.tolist(), w.base_status.tolist()   # AI orders on a base that changed since
        for a, o in phase_sorted(queue):                                 # are re-checked
            b = w.bidx(o.base) if o.base is not None else -1
            moved = b >= 0 and (ctrl0[b] != w.base_ctrl[b] or status0[b] != w.base_status[b])
            ag = self.agent(w.actors[a])
            if (ag.human or moved) and match_feasible(self.ctx, a, o) is None:
                self._log(ev("order_dropped", [ag.actor_id], f"{ag.name}'s order "
                             f"{o.kind} could no longer be carried out.", order=str(o.to_dict()))
                          | {"phase": KIND_PHASE[o.kind]})
                continue
            for e in resolve(self.ctx, a, o, self.rng):
                self._log(e)
            if a == usa and o.kind in ENGAGING and syria_id in (o.target, o.other):
                spent += self.ctx.p(o.kind).cost
        if usa >= 0 and syr >= 0:
            ap = max(self.agent(w.actors[usa]).action_points, 1)
            m = self.scenario.params.engagement_memory
            self.world.us_engagement = m * self.world.us_engagement + (1 - m) * min(spent / ap, 1.0)

    def phase_bargaining(self, previous: Mapping[str, Any]) -> None:
        """4. The talks (model.sim.talks): one damped round of the expected-utility model per live issue with the
        status quo at the table; the forecast (each issue's statistic) crossing an armed threshold has
        consequences; big moves are told."""
        talks.phase_talks(self, previous)

    def phase_relations(self) -> None:
        """5. Balance pressure (the friend of my enemy) and drift to baseline affinity; clipped, symmetric."""
        w, prm = self.world, self.scenario.params
        r = w.rel
        n = w.n
        pressure = (r @ r) / max(n - 2, 1)
        new = r + prm.balance * pressure + prm.drift * (w.affinity - r)
        new = np.minimum(np.maximum((new + new.T) / 2, -1.0), 1.0)   # np.clip's values, without its wrapper
        zero_diagonal(new)
        w.rel = new

    def phase_alignment(self) -> None:
        """6. Alignment (model.sim.alignment): this month's orders and the decay of flows move the structural
        drivers, the propensities are rebuilt from them, and the k-bloc dynamics run from last month's blocs with a
        realignment cost; every actor that ends the month in another bloc is an event naming the cause."""
        w = self.world
        moving = self.scenario.alignment.orders                 # the kinds that move a driver
        dropped = {(e["actors"][0], e["numbers"].get("order")) for e in self._turn_events
                   if e["kind"] == "order_dropped"}
        carried = [(ag.index, o.kind, w.idx(o.target)) for ag in self._agent_of.values() for o in ag.orders
                   if o.kind in moving and o.target is not None
                   and not (dropped and (ag.actor_id, str(o.to_dict())) in dropped)]
        before = w.blocs.copy()
        events = phase_alignment(w, self.scenario, self.ctx.size, carried, self._names,
                                 switching=self.scenario.params.alliance_switch)
        last = {e["actors"][0]: e for e in events}          # an actor that moved twice: its last move's cause
        moved = [e for e in events if last[e["actors"][0]] is e
                 and w.blocs[w.idx(e["actors"][0])] != before[w.idx(e["actors"][0])]]
        self._shifts = len(moved)
        for e in moved:                                     # in the order of the moves
            self._log(e)

    def phase_control(self) -> None:
        """7. The ground: attrition, regeneration and the economy's bounds (model.sim.territory), then hosts, lease
        consent and outcomes, drawdowns, upkeep and strain, collapses (model.sim.bases)."""
        prm = self.scenario.params
        territory.phase_territory(self)
        bases.phase_bases(self)
        if prm.control_rate > 0:
            territory.drift(self.world, prm.control_rate, prm.garrison_presence)
        territory.end_month(self.world, prm.fighting_decay)

    def phase_record(self) -> None:
        """8. The turn's indicators (`measure()`) to the DataCollector; the events are already logged. Then the
        victory conditions are judged on that record (model.sim.victory; it changes nothing)."""
        self.datacollector.collect(self)
        if self.victory.conditions:
            self.victory.observe(self.steps, self.datacollector.row(-1))

    # ------------------------------------------------------------------------------- forks (model.sim.fork)
    def fork(self, stream: int | None = None) -> WargameModel:
        """A deep, independent copy at this month with its own random stream, derived reproducibly from this game's
        seed, month and `stream` (default: this object's next); model.sim.fork documents the derivation."""
        from model.sim.fork import fork

        return fork(self, stream)

    @classmethod
    def from_export(cls, data: Mapping[str, Any], turn: int | None = None, *, strict: bool = True,
                    scenario: Any = None) -> WargameModel:
        """The game of an export (the server's format) replayed to month `turn` (default: the last played); a
        computer-played actor's orders must replay as logged unless strict=False (model.sim.fork.from_export).
        `scenario`: the export's Scenario when the caller has validated it already (a server's stored game)."""
        from model.sim.fork import from_export

        return from_export(cls, data, turn, strict=strict, scenario=scenario)
