"""Forks of a game: a deep, independent copy with its own random stream, a game rebuilt from its export at a month,
and the hand-over of human seats to their actor's AI policy (for futures and after-action reviews).

Random streams. Every model has a stream identity `(entropy, key)`: a model built from a seed has the seed as its
entropy and an empty key. `fork(model, stream=k)` at turn t copies the model and reseeds the copy with

    numpy.random.SeedSequence(entropy, spawn_key=key + (FORK_TAG, t, k))

so the copy's identity is `(entropy, key + (FORK_TAG, t, k))` and forks of forks nest. The stream number k defaults
to the number of forks this model object has made so far (0 for the first), so two forks of one object differ while
`from_export(data, turn=t).fork()` is the same game every time. Keys derived for other purposes (the futures'
seeds, model.experiments.futures) use other tags, so they never meet a fork's stream. The parent is left untouched:
its rng, records and events are exactly as before the fork.

Exports are the server's format (`GET /api/games/<id>/export`): {format, scenario, scenario_yaml, seed, turns,
human, orders}; the optional `forks: [{turn, stream}]` lists the fork points of a forked game (the orders log alone
cannot replay a fork, whose draws after the fork point come from its own stream).

This module does not import model.sim.model (that module calls into this one): functions take the model object,
and `from_export` the class to build.
"""
from __future__ import annotations

import copy
import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import mesa
import numpy as np
from pydantic import BaseModel

from model.config import limits
from model.config.errors import UserError
from model.config.vocabulary import MAX_SEED
from model.sim.policies import HumanPolicy, UtilityPolicy

EXPORT_FORMAT = "syria-wargame/1"
FORK_TAG = 0x666F726B        # "fork" in ASCII: the spawn-key word of a fork's stream
MAX_EXPORT_TURNS = limits.MAX_TURNS   # the scenario schema's limit on `turns`


# ------------------------------------------------------------------------------------------- random streams
def stream_of(model: mesa.Model) -> tuple[int, tuple[int, ...]]:
    """The model's stream identity (entropy, spawn key): its seed and () unless it is a fork."""
    stream = getattr(model, "_fork_stream", None)
    if stream is not None:
        return stream
    return int(model._seed), ()


def derive(model: mesa.Model, *key: int) -> np.random.SeedSequence:
    """A SeedSequence below the model's stream: SeedSequence(entropy, spawn_key=model's key + key)."""
    entropy, base = stream_of(model)
    return np.random.SeedSequence(entropy, spawn_key=(*base, *key))


def reseed(model: mesa.Model, seq: np.random.SeedSequence) -> None:
    """Give the model a new random stream: numpy's rng from `seq`, and Mesa's stdlib `random` (which the wargame does
    not draw from, but Mesa's agent sets may) from the same sequence."""
    model.rng = np.random.default_rng(seq)
    model._rng = model.rng.bit_generator.state           # Mesa's record of the stream's starting state
    model.random = random.Random(int(seq.generate_state(2, dtype=np.uint64)[1]))
    for agents in (getattr(model, "_all_agents", None), *getattr(model, "_agents_by_type", {}).values()):
        if agents is not None and hasattr(agents, "random"):
            agents.random = model.random


def fork_points(model: mesa.Model) -> list[dict[str, int]]:
    """[{turn, stream}] of every fork between the seed and this model (empty for a game played from its seed)."""
    return [dict(p) for p in getattr(model, "_fork_points", ())]


# ------------------------------------------------------------------------------------------------- forks
def scenario_parts(scenario: Any) -> list[Any]:
    """Every pydantic model inside the scenario (itself first), in a fixed order: what copies and snapshots of a
    game share instead of copying (the game never changes its scenario)."""
    out: list[Any] = []

    def walk(v: Any) -> None:
        if isinstance(v, BaseModel):
            out.append(v)
            for name in type(v).model_fields:
                walk(getattr(v, name))
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)

    walk(scenario)
    return out


def scenario_memo(scenario: Any) -> dict[int, Any]:
    """A deepcopy memo that keeps the scenario and every part of it shared."""
    return {id(p): p for p in scenario_parts(scenario)}


def fork[M: mesa.Model](model: M, stream: int | None = None) -> M:
    """A deep, independent copy of the model at its current month with its own random stream (module docstring).

    The copy shares only the scenario (a validated config the game never changes); the world, agents, records,
    events, orders log and pending submissions are its own. `stream`: which of the model's fork streams (a
    non-negative int); None takes the next one of this object."""
    made = getattr(model, "_forks_made", 0)
    k = made if stream is None else stream
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise UserError(f"a fork's stream is a whole number >= 0, got {k!r}", field="stream")
    entropy, base = stream_of(model)
    key = (*base, FORK_TAG, int(model.steps), k)
    child = copy.deepcopy(model, memo=scenario_memo(model.scenario))
    reseed(child, np.random.SeedSequence(entropy, spawn_key=key))
    child._fork_stream = (entropy, key)
    child._fork_points = (*getattr(model, "_fork_points", ()), (("turn", int(model.steps)), ("stream", k)))
    child._forks_made = 0
    if stream is None:
        model._forks_made = made + 1
    return child


# --------------------------------------------------------------------------------------- AI for human seats
def play_by_ai(model: mesa.Model, seats: Sequence[str] | None = None, *, keep_submitted: bool = False) -> list[str]:
    """Hand human seats (default: all) to their actor's AI policy: the policy the scenario gives the actor, or a
    utility policy at its temperature when the scenario itself marks the actor as human-played.

    keep_submitted=True leaves seats that have submitted orders for the coming month human until that month is
    played (their orders stand); call again afterwards. Returns the seats handed over."""
    chosen = list(model.human) if seats is None else list(seats)
    handed = []
    for actor in chosen:
        if keep_submitted and actor in model.submitted:
            continue
        agent = model.agent(actor)
        if isinstance(agent.policy, HumanPolicy):
            agent.policy = UtilityPolicy(model.scenario.actors[actor].policy.temperature)
        agent.human = False
        model.submitted.pop(actor, None)
        handed.append(actor)
    model.human = tuple(h for h in model.human if h not in handed)
    return handed


def set_orders(model: mesa.Model, seat: str, orders: Any, *, field: str = "orders") -> list[dict]:
    """Make `seat` give `orders` in the coming month (a human seat for that month, whoever plays it otherwise),
    after the same checks as a seat's submission; a bad order is one UserError naming `field`.<n>.<part>.

    Returns the orders as the model will play them (canonical dicts)."""
    if seat not in model.scenario.actors:
        raise UserError(f"unknown actor {seat!r}; expected one of {', '.join(model.scenario.actors)}", field="seat")
    agent = model.agent(seat)
    if seat not in model.human:
        model.human = (*model.human, seat)
    agent.human = True
    model.submitted.pop(seat, None)
    try:
        parsed = model.submit_orders(seat, orders)
    except UserError as exc:
        where = exc.field or ""
        inner = where[len("orders"):] if where.startswith("orders") else (f".{where}" if where else "")
        raise UserError(exc.message, field=f"{field}{inner}") from None
    return [o.to_dict() for o in parsed]


# ------------------------------------------------------------------------------------------------ exports
def read_export(path: str | Path) -> dict[str, Any]:
    """An export file (JSON) as a dict; a missing file or bad JSON is one UserError naming the file and line."""
    p = Path(path)
    from model.config.loading import parse_json

    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read the export: {exc.strerror or exc}", file=str(p)) from None
    except UnicodeDecodeError as exc:
        raise UserError(f"the file is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); "
                        "an export is JSON as `wargame run --out` or the game page writes it", file=str(p)) from None
    data = parse_json(text, file=str(p))
    if not isinstance(data, dict):
        raise UserError(f"an export is a JSON object, got {type(data).__name__}", file=str(p))
    return data


def _need(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    if key not in data:
        raise UserError("missing; an export holds format, scenario_yaml, seed, turns, human and orders",
                        field=key)
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        raise UserError(f"expected {what}, got {type(value).__name__}", field=key)
    return value


def export_scenario(data: Mapping[str, Any]) -> Any:
    """The export's scenario (its resolved YAML, validated as any scenario is)."""
    from model.config.loading import read_yaml_text
    from model.config.scenario import validate_scenario

    text = _need(data, "scenario_yaml", str, "the scenario as YAML text")
    parsed, lines = read_yaml_text(text, "scenario_yaml")
    if isinstance(parsed, dict) and "extends" in parsed:
        raise UserError("an exported scenario is resolved and cannot use extends", file="scenario_yaml",
                        field="extends")
    return validate_scenario(parsed, file="scenario_yaml", lines=lines)


def from_export[M: mesa.Model](cls: type[M], data: Mapping[str, Any], turn: int | None = None, *, strict: bool = True,
                scenario: Any = None) -> M:
    """The game of an export, replayed to month `turn` (default: the last played) from its seed and orders log.

    Human seats' orders are submitted as logged; with strict=True every computer-played actor's replayed orders
    must be those the log records (else the export was edited or made by another version of the model: one
    UserError naming `orders.<n>.orders.<actor>`). `forks` points are re-forked on the way. `scenario`: the
    export's Scenario when the caller has validated it already."""
    if not isinstance(data, Mapping):
        raise UserError(f"an export is a mapping, got {type(data).__name__}")
    fmt = data.get("format", EXPORT_FORMAT)
    if fmt != EXPORT_FORMAT:
        raise UserError(f"unknown export format {fmt!r}; expected {EXPORT_FORMAT!r}", field="format")
    seed = _need(data, "seed", int, "a whole number")
    if not 0 <= seed <= MAX_SEED:
        raise UserError(f"must be between 0 and {MAX_SEED}, got {seed}", field="seed")
    turns = _need(data, "turns", int, "a whole number")
    if not 1 <= turns <= MAX_EXPORT_TURNS:
        raise UserError(f"must be between 1 and {MAX_EXPORT_TURNS}, got {turns}", field="turns")
    human = data.get("human", [])
    if not isinstance(human, list) or not all(isinstance(h, str) for h in human):
        raise UserError("expected a list of actor ids", field="human")
    log = _need(data, "orders", list, "a list of every played turn's orders")
    if len(log) > turns:
        raise UserError(f"{len(log)} turns of orders, but the game has only {turns} turns", field="orders")
    forks = _fork_points(data.get("forks", []), len(log))
    played = len(log)
    if turn is None:
        turn = played
    if isinstance(turn, bool) or not isinstance(turn, int) or turn < 0:
        raise UserError(f"a month is a whole number >= 0, got {turn!r}", field="turn")
    if turn > played:
        raise UserError(f"month {turn} has not been played yet: the export holds months 0 to {played}", field="turn")
    sc = scenario if scenario is not None else export_scenario(data)
    for n, h in enumerate(human):
        if h not in sc.actors:
            raise UserError(f"unknown actor {h!r}; expected one of {', '.join(sc.actors)}", field=f"human.{n}")
    m = cls(sc, seed=seed, turns=turns, human=tuple(human))
    for n in range(turn + 1):
        for point in forks.get(n, ()):
            m = fork(m, point)
        if n == turn:
            break
        _replay_turn(m, log[n], n, strict)
    return m


def _fork_points(given: Any, played: int) -> dict[int, list[int]]:
    if not isinstance(given, list):
        raise UserError("expected a list of {turn, stream}", field="forks")
    points: dict[int, list[int]] = {}
    last = -1
    for n, p in enumerate(given):
        if not isinstance(p, dict) or set(p) != {"turn", "stream"}:
            raise UserError("a fork point is {turn, stream}", field=f"forks.{n}")
        t, k = p["turn"], p["stream"]
        for name, v in (("turn", t), ("stream", k)):
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise UserError(f"expected a whole number >= 0, got {v!r}", field=f"forks.{n}.{name}")
        if t < last or t > played:
            raise UserError(f"fork points go in order of turn, within the {played} played turns; got {t}",
                            field=f"forks.{n}.turn")
        last = t
        points.setdefault(t, []).append(k)
    return points


def _replay_turn(m: mesa.Model, entry: Any, n: int, strict: bool) -> None:
    where = f"orders.{n}"
    if not isinstance(entry, dict) or not isinstance(entry.get("orders", None), dict):
        raise UserError("a turn of the log is {turn, orders: {actor: [order, ...]}}", field=where)
    if entry.get("turn") != n + 1:
        raise UserError(f"expected turn {n + 1}, got {entry.get('turn')!r}", field=f"{where}.turn")
    given = entry["orders"]
    for actor in given:
        if actor not in m.scenario.actors:
            raise UserError(f"unknown actor {actor!r}; expected one of {', '.join(m.scenario.actors)}",
                            field=f"{where}.orders.{actor}")
    for h in m.human:
        try:
            m.submit_orders(h, given.get(h, []))
        except UserError as exc:
            raise UserError(exc.message, field=f"{where}.orders.{h}" + (exc.field or "")[len("orders"):]) from None
    m.step()
    if strict:
        differ = computer_orders_differ(m, given)
        if differ:
            actor, orders, played = differ[0]
            raise UserError(f"{actor} is played by the computer, which gives {played} at turn {n + 1} where the "
                            f"export says {orders}: the export was edited or made by another version of the model",
                            field=f"{where}.orders.{actor}")


def computer_orders_differ(m: mesa.Model, given: Mapping[str, list]) -> list[tuple[str, list, list]]:
    """After replaying a month: (actor, given, played) of each computer-played actor whose recorded orders (`given`,
    as dicts) are not what the computer played, an actor left out of the record included (an edited file, or one
    from another version of the model). The one check of exact replay, for from_export and the server's import."""
    played = m.orders_log[-1]["orders"]
    return [(a, given.get(a, []), played.get(a, [])) for a in [*given, *(a for a in played if a not in given)]
            if a not in m.human and given.get(a, []) != played.get(a, [])]


def to_export(model: mesa.Model, scenario_id: str = "") -> dict[str, Any]:
    """The model as an export (the server's format, plus `forks` for a forked game): replayable by from_export."""
    import yaml

    sc = model.scenario
    out: dict[str, Any] = {
        "format": EXPORT_FORMAT, "scenario": scenario_id or "exported",
        "scenario_yaml": yaml.safe_dump(sc.model_dump(mode="json", by_alias=True), sort_keys=False,
                                        allow_unicode=True, width=120),
        "seed": int(model._seed), "turns": int(model.max_turns), "human": list(model.human),
        "orders": copy.deepcopy(model.orders_log)}
    points = fork_points(model)
    if points:
        out["forks"] = points
    return out
