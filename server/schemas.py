"""Request and response models of the JSON API (pydantic), the error type and the validation-error formatter.

The models are the single source of the OpenAPI document (flask-openapi3 reads them), so a field documented here
is a field checked here. Errors leave the API as ``{"error": "<field>: <what was expected>, got <value>"}`` —
never pydantic's raw dump.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any, Literal

import orjson
from flask import Response
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StrictInt,
    ValidationError,
    field_validator,
)

from model import ACTION_KINDS, MAX_SEED, UserError, UserErrors

SCENARIO_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\Z")   # \Z, not $: $ also matches before a final newline
SCENARIO_ID_HINT = "letters, digits, '-' or '_' (1-64 characters, starting with a letter or digit)"
EXPORT_FORMAT = "syria-wargame/1"
MAX_TURNS = 240          # the scenario schema's own limit on `turns`
MAX_ORDERS = 50          # orders in one submission; far above any actor's action points
MAX_YAML_CHARS = 1_000_000
MAX_FORK_STREAM = 2**31 - 1   # fork stream numbers (a game's count of forks made)


class ApiError(Exception):
    """An error with its HTTP status and one sentence for the user; `extra` adds fields (e.g. `errors`)."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra

    def response(self) -> Response:
        return json_response({"error": self.message, **self.extra}, self.status)


def error_text(exc: UserError, *, first: bool = False) -> str:
    """A UserError as `file:line: field: message` (several joined by '; ', or only the first), each file by its name
    alone: what the API says never shows the server's folders (a scenario's or question file's name is its id)."""
    errors = (exc.errors or [exc]) if isinstance(exc, UserErrors) else [exc]
    shown = [str(UserError(e.message, file=PurePath(e.file).name if e.file else None, line=e.line, field=e.field))
             for e in errors[:1 if first else None]]
    return "; ".join(shown)


def json_response(data: Any, status: int = 200, *, text: str | None = None) -> Response:
    """A JSON response from data (or from already serialised text, which the game store keeps)."""
    body = text if text is not None else json.dumps(data, separators=(",", ":"), default=_json_default)
    return Response(body, status=status, mimetype="application/json")


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):        # numpy scalars
        return value.item()
    if hasattr(value, "tolist"):      # numpy arrays
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


# ------------------------------------------------------------------------------------------------ errors
class ErrorItem(BaseModel):
    line: int | None = Field(None, description="Line in the submitted YAML (null when unknown or in another file).")
    field: str | None = Field(None, description="Dotted path of the field, e.g. actors.USA.capabilities.military.")
    message: str = Field(description="What is wrong and what was expected.")


class ErrorOut(BaseModel):
    error: str = Field(description="One sentence naming the field and what was expected.")
    errors: list[ErrorItem] | None = Field(None, description="Every error of an invalid scenario, with its line.")


_HEADER_NAMES = {"x_seat_token": "X-Seat-Token header", "x_owner_token": "X-Owner-Token header"}
_TYPE_WORDS = {
    "int_type": "an integer", "int_parsing": "an integer", "int_from_float": "an integer (no fraction)",
    "float_type": "a number", "float_parsing": "a number", "string_type": "text", "bool_type": "true or false",
    "bool_parsing": "true or false", "list_type": "a list", "dict_type": "a JSON object",
    "model_type": "a JSON object", "model_attributes_type": "a JSON object", "tuple_type": "a list",
}


def _shown(value: Any) -> str:
    try:
        text = json.dumps(value, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def describe_error(err: Mapping[str, Any]) -> str:
    """One pydantic error as `field: expected ..., got ...`."""
    loc = [str(p) for p in err.get("loc", ()) if p != "__root__"]
    field = ".".join(_HEADER_NAMES.get(p, p) for p in loc)
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    got = f", got {_shown(err['input'])}" if "input" in err and kind != "missing" else ""
    if kind == "missing":
        text = "is required"
    elif kind in _TYPE_WORDS:
        text = f"expected {_TYPE_WORDS[kind]}{got}"
    elif kind == "extra_forbidden":
        text = "is not a known field"
    elif kind == "literal_error":
        text = f"expected one of {ctx.get('expected', '?')}{got}"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()), "?")
        text = f"expected a number {sign} {bound}{got}"
    elif kind in ("string_too_long", "too_long"):
        text = f"is too long (at most {ctx.get('max_length', '?')} {'characters' if 'string' in kind else 'items'})"
    elif kind in ("string_too_short", "too_short"):
        text = f"is too short (at least {ctx.get('min_length', '?')})"
    elif kind == "value_error":
        text = str(ctx.get("error", err.get("msg", "")))
    elif kind == "json_invalid":
        text = "expected valid JSON"
    else:
        text = f"{err.get('msg', 'is not valid')}{got}"
    if not field:
        return "the request body " + (text if kind != "model_type" and kind != "dict_type" else
                                      f"must be a JSON object{got}")
    return f"{field}: {text}"


def format_validation_error(exc: ValidationError) -> str:
    """All errors of a failed validation as one readable line (at most five, then a count)."""
    parts = [describe_error(e) for e in exc.errors(include_url=False)]
    more = f" (and {len(parts) - 5} more)" if len(parts) > 5 else ""
    return "; ".join(parts[:5]) + more


def validation_error_response(exc: ValidationError) -> Response:
    """flask-openapi3's validation_error_callback: a 400 with one readable sentence."""
    return json_response({"error": format_validation_error(exc)}, 400)


class CachedSchema(BaseModel):
    """For header and query models: flask-openapi3 asks for the model's JSON schema on every request that has one
    (about 2 ms each, a sixth of a step's server time), so it is built once and handed out as a copy, parsed
    from its JSON (a fifth of the time copy.deepcopy took)."""

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        key = (cls, args, tuple(sorted(kwargs.items())))
        text = _SCHEMAS.get(key)
        if text is None:
            text = _SCHEMAS[key] = orjson.dumps(super().model_json_schema(*args, **kwargs))
        return orjson.loads(text)


_SCHEMAS: dict[tuple, bytes] = {}


# --------------------------------------------------------------------------------------------- scenarios
class ScenarioPath(BaseModel):
    scenario_id: str = Field(description="Scenario id: a built-in file stem (baseline-2025) or a user scenario.")


class ScenarioSummary(BaseModel):
    id: str
    name: str
    description: str
    builtin: bool = Field(description="True for scenarios shipped in configs/scenarios/ (never overwritten).")
    extends: str | None = Field(None, description="Id of the scenario this one extends, if any.")


class ScenarioDetail(ScenarioSummary):
    yaml: str = Field(description="The file's text.")


class ScenarioList(RootModel[list[ScenarioSummary]]):
    """A JSON array of scenario summaries."""


class ValidateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    yaml: str = Field(max_length=MAX_YAML_CHARS, description="Scenario YAML text (may use `extends:`).")


class ActorRef(BaseModel):
    id: str
    name: str


class ValidateOut(BaseModel):
    ok: bool
    errors: list[ErrorItem]
    name: str | None = Field(None, description="The scenario's name (when valid).")
    actors: list[ActorRef] = Field(default_factory=list, description="Its actors (when valid): the seats a game of "
                                                                     "this text can have.")


class SaveScenarioIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(description=f"Id of the user scenario: {SCENARIO_ID_HINT}.")
    yaml: str = Field(max_length=MAX_YAML_CHARS, description="Scenario YAML text.")

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not SCENARIO_ID_RE.match(v):
            raise ValueError(f"expected {SCENARIO_ID_HINT}, got {_shown(v)}")
        return v


class SavedOut(BaseModel):
    id: str


class DiffQuery(CachedSchema):
    against: str | None = Field(None, description="Diff against this scenario instead of the one it extends.")


class DiffOut(BaseModel):
    parent: str | None = Field(description="The scenario compared against (the one extended), or null.")
    diff: str = Field(description="Unified diff of the resolved parent vs the resolved scenario ('' if no parent).")


# ------------------------------------------------------------------------------------------------- games
class OrderIn(BaseModel):
    """One order as the model writes it: {"kind": "engage", "target": "SYR"}."""
    model_config = ConfigDict(extra="forbid")
    kind: Literal[ACTION_KINDS] = Field(description="Action kind (model/actions.py ACTION_KINDS).")  # type: ignore
    target: str | None = Field(None, description="Target actor id.")
    other: str | None = Field(None, description="Second actor id (mediate).")
    base: str | None = Field(None, description="Base id.")
    region: str | None = Field(None, description="Region id.")
    issue: str | None = Field(None, description="Issue id.")
    into: str | None = Field(None, description="Base the troops go to (consolidate).")

    def to_dict(self) -> dict[str, str]:
        return self.model_dump(exclude_none=True)


class CreateGameIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: str = Field(description="Scenario id (see GET /api/scenarios).")
    seed: StrictInt | None = Field(None, ge=0, le=MAX_SEED,
                                   description="Random seed; omitted = a random one (stored, so still replayable).")
    turns: StrictInt | None = Field(None, ge=1, le=MAX_TURNS,
                                    description="Number of turns (months); omitted = the scenario's default.")
    human: list[str] = Field(default_factory=list, max_length=64,
                             description="Actor ids played by people (each gets a secret seat token).")


class CreateFromTextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    yaml: str = Field(max_length=MAX_YAML_CHARS,
                      description="Scenario YAML text, as in the editor (may use `extends:`); validated like POST "
                                  "/api/scenarios/validate.")
    seed: StrictInt | None = Field(None, ge=0, le=MAX_SEED, description="Random seed; omitted = a random one.")
    turns: StrictInt | None = Field(None, ge=1, le=MAX_TURNS, description="Months; omitted = the scenario's.")
    human: list[str] = Field(default_factory=list, max_length=64, description="Actor ids played by people.")
    scenario: str | None = Field(None, max_length=200, description="Optional: the scenario the editor opened; the "
                                                                   "game keeps its id when the text is unchanged.")


class CreatedGameOut(BaseModel):
    id: str
    tokens: dict[str, str] = Field(description="Seat token per human actor; shown once, stored only as a hash.")
    owner_token: str = Field(description="The game's owner token (send it as X-Owner-Token to step, run, autoplay "
                                         "or delete the game); shown once, stored only as a hash.")
    watch_url: str
    seat_urls: dict[str, str]


class GamePath(BaseModel):
    game_id: str = Field(description="Game id.")


class SeatPath(BaseModel):
    game_id: str = Field(description="Game id.")
    actor: str = Field(description="Actor id of a human seat.")


class SeatHeader(CachedSchema):
    model_config = ConfigDict(populate_by_name=True)
    x_seat_token: str | None = Field(None, alias="X-Seat-Token", description="The seat's secret token.")


class OwnerHeader(CachedSchema):
    model_config = ConfigDict(populate_by_name=True)
    x_owner_token: str | None = Field(None, alias="X-Owner-Token", max_length=200,
                                      description="The owner token returned when the game (or experiment) was made.")


class ListQuery(CachedSchema):
    limit: int = Field(50, ge=1, le=200, description="Games per page (newest first).")
    offset: int = Field(0, ge=0, le=10**9, description="Games to skip (the X-Total-Count header says how many "
                                                        "there are).")


class TurnQuery(CachedSchema):
    turn: int | None = Field(None, ge=0, le=MAX_TURNS, description="Return the stored snapshot of this earlier turn.")


class StreamQuery(CachedSchema):
    interval: float = Field(0.5, ge=0, le=10, description="Seconds between turns (when this stream advances the "
                                                          "game).")
    owner_token: str | None = Field(None, max_length=200,
                                    description="The owner token (an EventSource cannot send X-Owner-Token): with "
                                                "it this stream advances the game, unless another one already "
                                                "does; without it the stream watches.")


class GameSummary(BaseModel):
    id: str
    scenario: str
    scenario_name: str = Field(description="The scenario's name, cut to 120 characters.")
    seed: int
    turn: int
    max_turns: int
    status: Literal["waiting", "ready", "finished"] = Field(
        description="waiting: human seats still to move; ready: the turn can be resolved; finished: over.")
    human: list[str]
    waiting_for: list[str]
    created: str
    has_owner: bool = Field(description="False for games created before games had owners (anyone may play them).")


class GameListOut(RootModel[list[GameSummary]]):
    """A JSON array of game summaries, newest first: one page (?limit, ?offset); X-Total-Count gives the total."""


class VictoryPart(BaseModel):
    indicator: str
    op: str
    value: Any = Field(description="The value the condition compares the indicator with.")
    negated: bool = Field(description="True when the part sits under a `not` (it must not hold).")
    now: Any = Field(description="The indicator's value in this month.")
    ok: bool = Field(description="Whether this part does what the condition needs of it in this month.")


class VictoryCondition(BaseModel):
    id: str
    actor: str = Field(description="The actor (seat) it is a victory for.")
    text: str = Field(description="The condition as a player reads it.")
    when: Literal["end", "any_month", "every_month"] = Field(
        description="end: judged on the last month; any_month: won the first month it holds; every_month: must "
                    "hold in every month played (docs/playing.md).")
    holds: bool = Field(description="Whether the condition holds in this month.")
    met: bool | None = Field(description="The result once settled (true/false), null while still open.")
    month: int | None = Field(description="any_month: the month it was won; every_month: the month it was lost.")
    date: str | None = Field(description="That month as YYYY-MM.")
    parts: list[VictoryPart] = Field(default_factory=list, description="Each {indicator, op, value} of the "
                                                                       "condition as it reads in this month.")


class ActorVictory(BaseModel):
    met: int = Field(description="Its conditions met so far (settled as met).")
    total: int
    won: bool | None = Field(description="True when every condition of the actor is met, false once one is not, "
                                         "null while open.")


class VictoryStatus(BaseModel):
    final: bool = Field(description="True in the last month: every result is settled.")
    conditions: list[VictoryCondition]
    actors: dict[str, ActorVictory] = Field(description="Each actor with victory conditions, by id.")
    winners: list[str] = Field(description="At the end: every actor that met all its conditions (empty: no one "
                                           "did, or the scenario has none); empty before the end.")


class SeatVictory(ActorVictory):
    conditions: list[VictoryCondition]


class GameState(BaseModel):
    """WargameModel.state() plus the game's identity; see the model API for every field of the nested objects."""
    model_config = ConfigDict(extra="allow")
    id: str
    scenario: str
    scenario_name: str
    seed: int
    status: Literal["waiting", "ready", "finished"]
    human: list[str]
    waiting_for: list[str] = Field(description="Human seats still to submit orders for the coming turn.")
    latest_turn: int = Field(description="The game's current turn (differs from `turn` when ?turn=N looks back).")
    has_owner: bool = Field(True, description="False for games created before games had owners.")
    parent: str | None = Field(None, description="The game this one was forked from (null for none).")
    parent_turn: int | None = Field(None, description="The parent's month this game was forked at.")
    turn: int
    date: str
    max_turns: int
    done: bool
    indicators: dict[str, Any]
    actors: list[dict[str, Any]]
    relations: list[list[float]]
    bases: list[dict[str, Any]]
    regions: list[dict[str, Any]]
    issues: list[dict[str, Any]]
    events: list[dict[str, Any]]
    victory: VictoryStatus | None = Field(None, description="The scenario's victory conditions as of this month "
                                                            "(null in games stored before victory conditions).")


class HistoryOut(BaseModel):
    rows: list[dict[str, Any]] = Field(description="One flat indicator record per played turn (turn 0 = start).")


class WhyTerm(BaseModel):
    goal: str = Field(description="The goal's name in the scenario.")
    label: str = Field(description="The goal as a player reads it.")
    delta: float = Field(description="Change of this goal's utility term if the order is carried out (expected).")


class FeasibleOrder(BaseModel):
    order: OrderIn
    cost: int
    gain: float = Field(description="Expected change of the actor's utility (the AI's rating; the sum of every "
                                    "goal's term change).")
    label: str = Field(description="Readable description, e.g. 'Engage United States'.")
    p: float = Field(1.0, description="Chance of success now, from the contest adjudication draws against "
                                      "(1 for orders nothing can oppose).")
    certain: bool = Field(True, description="True when the order cannot fail.")
    always: str | None = Field(None, description="What happens whatever the draw.")
    success: str = Field("", description="What happens if it succeeds.")
    failure: str | None = Field(None, description="What happens if it fails (null when it cannot fail).")
    why: list[WhyTerm] = Field(default_factory=list, description="The goals whose terms the order changes most.")


class GivenOrder(BaseModel):
    order: OrderIn
    label: str


class SeatOrdersOut(BaseModel):
    actor: str
    turn: int = Field(0, description="The turn the menu is for (orders resolve into turn + 1).")
    action_points: int
    submitted: bool
    submitted_orders: list[GivenOrder] = Field(default_factory=list,
                                               description="The orders this seat gave for the coming turn.")
    feasible: list[FeasibleOrder]


class WithdrawQuery(CachedSchema):
    turn: int | None = Field(None, ge=0, le=MAX_TURNS, description="Optional: the turn the player was looking at; "
                                                                    "409 if it has resolved since (or is ahead of "
                                                                    "the game).")


class WithdrawOut(BaseModel):
    withdrawn: bool
    turn: int
    waiting_for: list[str]


class ObjectivesQuery(CachedSchema):
    actor: str | None = Field(None, max_length=64, description="One actor's objectives only (default: every actor).")


class Objective(BaseModel):
    name: str
    kind: str
    label: str
    weight: float
    met: bool
    reading: str = Field(description="Where the goal stands now, in words.")
    progress: float = Field(description="0..1, how close the goal is to met.")
    term: float = Field(description="The goal's term of the actor's utility now.")


class ActorObjectives(BaseModel):
    actor: str
    name: str
    utility: float
    score: float | None = Field(None, description="Utility gained since the start, in percent of the total goal "
                                                  "weight (see rules.score).")
    met: int
    total: int
    rank: int = Field(description="Place by score among the actors listed.")
    human: bool
    goals: list[Objective]
    victory: SeatVictory | None = Field(None, description="The actor's victory conditions and result (null: the "
                                                          "scenario gives it none).")


class VictorySummary(BaseModel):
    final: bool
    winners: list[str] = Field(description="At the end, the actors that met every victory condition of theirs.")
    judged: list[str] = Field(description="The actors with victory conditions (an empty list: none in this "
                                          "scenario, so no winner is named).")


class ObjectivesOut(BaseModel):
    turn: int
    date: str
    done: bool
    rules: dict[str, Any] = Field(description="When a goal counts as met (model.ObjectiveRules) and the score's "
                                              "definition.")
    actors: list[ActorObjectives]
    victory: VictorySummary | None = None


class GuideOut(BaseModel):
    start: str = Field(description="The scenario's start month (month 0, the starting situation).")
    turns: int
    indicators: dict[str, str] = Field(description="Definition of every headline indicator.")
    actions: dict[str, dict[str, Any]] = Field(description="Each order kind's cost and effect sizes.")
    issues: list[dict[str, Any]] = Field(description="Each issue's scale and thresholds (forecast crossings with "
                                                     "consequences).")
    score_weights: dict[str, float]
    rules: dict[str, Any]


class SubmitOrdersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    actor: str = Field(description="The seat's actor id; must match the X-Seat-Token.")
    orders: list[OrderIn] = Field(max_length=MAX_ORDERS, description="Orders for the coming turn ([] = hold).")
    turn: StrictInt | None = Field(None, ge=0, description="Optional: the turn the player was looking at "
                                                          "(state.turn); 409 if the game has moved on since (or "
                                                          "the turn is ahead of it).")


class SubmitOrdersOut(BaseModel):
    accepted: list[OrderIn]
    waiting_for: list[str]
    resolved: bool
    state: GameState | None = None


class StepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    turn: StrictInt | None = Field(None, ge=0, description="Optional: the turn the client is at; 409 if the game "
                                                          "has moved on (a double click steps once) or the turn "
                                                          "is ahead of it.")


class OrdersLogEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    turn: StrictInt = Field(ge=1)
    orders: dict[str, list[OrderIn]] = Field(description="Orders per actor id for that turn.")


class ForkPoint(BaseModel):
    model_config = ConfigDict(extra="forbid")
    turn: StrictInt = Field(ge=0, le=MAX_TURNS, description="The month the game was forked at.")
    stream: StrictInt = Field(ge=0, le=MAX_FORK_STREAM, description="The fork's stream number at that month.")


class ExportOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["syria-wargame/1"] = Field("syria-wargame/1", description="Format tag (EXPORT_FORMAT).")
    scenario: str = Field(description=f"Id of the scenario the game was created from ({SCENARIO_ID_HINT}).")
    scenario_yaml: str = Field(max_length=MAX_YAML_CHARS,
                               description="The scenario as the game used it, fully resolved (no `extends:`).")
    seed: StrictInt = Field(ge=0, le=MAX_SEED)
    turns: StrictInt = Field(ge=1, le=MAX_TURNS)
    human: list[str] = Field(default_factory=list, max_length=64)
    orders: list[OrdersLogEntry] = Field(default_factory=list, max_length=MAX_TURNS,
                                         description="Every played turn's orders (model.orders_log).")
    forks: list[ForkPoint] = Field(default_factory=list, max_length=MAX_TURNS,
                                   description="A forked game's fork points (model.fork_points), in order of month: "
                                               "its draws after each come from that fork's own stream.")


    @field_validator("scenario")
    @classmethod
    def _scenario_id(cls, v: str) -> str:
        if not SCENARIO_ID_RE.match(v):
            raise ValueError(f"expected a scenario id: {SCENARIO_ID_HINT}, got {_shown(v)}")
        return v


class CreatedFromTextOut(CreatedGameOut):
    scenario: str = Field(description="The game's scenario id: the library's when the text is exactly a library "
                                      "scenario, else edited-<hash> (its own).")
    scenario_name: str


class ImportedOut(CreatedGameOut):
    scenario: str = Field(description="The game's scenario id: the library's when the YAML is exactly that "
                                      "scenario, else imported-<hash> (its own).")
    scenario_name: str
    replayed_identically: bool = Field(description="True when the replay recorded exactly the export's orders. "
                                                   "Computer-played orders that differ or are missing are refused "
                                                   "(400), so false means only that a seat's orders were recorded in "
                                                   "the model's own form (e.g. a hold left out), which plays the "
                                                   "same.")
