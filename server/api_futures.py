"""JSON API of issue 11: forks, a game's family and two branches compared, futures from a game's month, two moves
compared for a seat, after-action reviews, forecast questions of a scenario; futures jobs (progress, SSE, cancel),
the review and the forecast as one HTML file each.

Who may do what (server.owners' rules): anyone who can watch a game may fork it (the fork is a new game: its owner
token and new seat tokens go to whoever forks), run its futures or review a seat (from what the game's export shows
anyway); only a seat's holder (X-Seat-Token) may give orders for that seat, in futures or in a comparison. A job's
owner token (returned once, with its id) cancels or deletes it. Pending orders of the coming month never enter a
job: the futures start from the month as played, every human seat played by its actor's AI policy, so no job
reveals what a seat has submitted. Bounds: server.futures_jobs.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from flask import Response, current_app, render_template
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from model import (
    DEFAULT_AAR_FUTURES,
    DEFAULT_FUTURE_MONTHS,
    DEFAULT_FUTURES,
    ECHARTS_JS,
    MAX_FUTURE_MONTHS,
    MAX_FUTURE_TURNS,
    MAX_FUTURES,
    MAX_RELATIONS,
    MAX_SEED,
    UserError,
    WargameModel,
    after_action_review,
    check_resolutions,
    check_review,
    default_relations,
    forecast,
    forecast_html,
    moves_result,
    plan_futures,
    plan_moves,
    question_files,
    questions_from_text,
    read_yaml,
    read_yaml_text,
    review_cost,
    run_plans,
    user_dirs,
)
from server.branches import compare as compare_records
from server.branches import family as family_of
from server.futures_jobs import DEFAULTS, FINAL, FuturesJobs, Job
from server.games import GameManager, export_of, order_label
from server.schemas import (
    MAX_ORDERS,
    MAX_TURNS,
    ApiError,
    CreatedGameOut,
    ErrorOut,
    GamePath,
    OrderIn,
    OwnerHeader,
    SeatHeader,
    TurnQuery,
    error_text,
    json_response,
)
from server.streams import KEEPALIVE, event_stream, sse

TAG = Tag(name="futures", description="Forks, branches, futures from a game's month, two moves compared, "
                                      "after-action reviews")
bp = APIBlueprint("api_futures", __name__, url_prefix="/api", abp_tags=[TAG],
                  abp_responses={400: ErrorOut, 404: ErrorOut})
POST_ERRORS: dict[str | int, type[BaseModel]] = {413: ErrorOut, 415: ErrorOut}
MAX_RELATIONS_IN = MAX_RELATIONS     # relations one request may name (the model's own cap, model.config.limits)


# ------------------------------------------------------------------------------------------------ models
class FuturesOptionsOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    defaults: dict[str, Any] = Field(description="{n, months, relations}: what a request without them gets "
                                                 "(relations as relation.A.B columns).")
    caps: dict[str, int] = Field(description="{n, months, turns, relations}: the largest request this server takes "
                                             "(turns: n x months of one job, both moves of a comparison counted).")


class ForkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    turn: StrictInt | None = Field(None, ge=0, le=MAX_TURNS,
                                   description="The month to fork at (already played); omitted = the current one.")

    @model_validator(mode="before")
    @classmethod
    def _empty(cls, v: Any) -> Any:
        """No body at all is {} (the current month), as for step and run: the only field is optional."""
        return {} if v is None else v


class ForkLinks(BaseModel):
    game: str
    parent: str
    family: str
    export: str
    seats: dict[str, str]


class ForkOut(CreatedGameOut):
    parent: str = Field(description="The game this one was forked from.")
    parent_turn: int = Field(description="The parent's month it was forked at.")
    stream: int = Field(description="The fork's stream number (the parent's count of forks made before it).")
    links: ForkLinks


class OtherPath(BaseModel):
    game_id: str = Field(description="Game id.")
    other_id: str = Field(description="The other game (a parent, fork or any game of the same scenario).")


class FamilyOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    game: dict[str, Any]
    parent: dict[str, Any] | None = Field(description="The game this one was forked from (exists: false if deleted).")
    ancestors: list[dict[str, Any]] = Field(description="Parent, grandparent, ... (nearest first).")
    forks: list[dict[str, Any]] = Field(description="Forks made of this game, oldest first (at most 100).")
    forks_total: int
    forks_made: int


class BranchesOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    a: dict[str, Any]
    b: dict[str, Any]
    turn: int
    date: str | None
    same_scenario: bool
    diverged: int | None = Field(description="The first month where any indicator differs (null: none so far).")
    differences: list[dict[str, Any]] = Field(description="{column, kind, a, b, difference} at `turn`: text first, "
                                                          "then numbers by size (at most 300).")
    total: int
    min_difference: float


class FuturesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    n: StrictInt | None = Field(None, description=f"Futures to run (default {DEFAULT_FUTURES}; capped by the model's "
                                                  "MAX_FUTURES and the server's FUTURES_MAX_TURNS).")
    months: StrictInt | None = Field(None, description=f"Months each future runs (default {DEFAULT_FUTURE_MONTHS}).")
    seat: str | None = Field(None, max_length=64, description="The seat whose `orders` these are (default: the only "
                                                              "human seat); needs that seat's X-Seat-Token.")
    orders: list[OrderIn] | None = Field(None, max_length=MAX_ORDERS,
                                         description="Orders the seat gives in the coming month (checked as a "
                                                     "submission); omitted = its AI policy's.")
    relations: list[str] | None = Field(None, max_length=MAX_RELATIONS_IN,
                                        description="Relations drawn as fans, 'A.B' (default: the headline pairs).")


class CompareIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seat: str = Field(max_length=64, description="The seat whose two moves are compared; needs its X-Seat-Token.")
    orders_a: list[OrderIn] = Field(max_length=MAX_ORDERS, description="Move A: the seat's orders for the coming "
                                                                       "month ([] = hold).")
    orders_b: list[OrderIn] = Field(max_length=MAX_ORDERS, description="Move B.")
    n: StrictInt | None = Field(None, description=f"Futures per move (default {DEFAULT_FUTURES}; both moves count).")
    months: StrictInt | None = Field(None, description=f"Months (default {DEFAULT_FUTURE_MONTHS}).")
    relations: list[str] | None = Field(None, max_length=MAX_RELATIONS_IN)


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seat: str = Field(max_length=64, description="The human seat to review.")
    n: StrictInt | None = Field(None, description=f"Futures per ensemble and per compared month (default "
                                                  f"{DEFAULT_AAR_FUTURES}).")
    pivotal: StrictBool = Field(True, description="Compare each month's orders with the AI's (the costly part).")
    turn: StrictInt | None = Field(None, ge=0, le=MAX_TURNS, description="Review up to this month (default: the "
                                                                         "current one).")


class ForecastIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    questions: str | None = Field(None, max_length=100, description="A question file's name (GET /api/forecast/"
                                                                    "questions), or give `questions_yaml`.")
    questions_yaml: str | None = Field(None, max_length=200_000, description="A question file's text (docs/"
                                                                             "futures.md), instead of `questions`.")
    scenario: str | None = Field(None, max_length=64, description="A scenario id (default: the question file's "
                                                                  "`scenario`).")
    replications: StrictInt | None = Field(None, description=f"Futures of the scenario (default {DEFAULT_FUTURES}).")
    seed: StrictInt | None = Field(None, ge=0, le=MAX_SEED, description="Seed of the futures (default 0).")
    resolutions: dict[str, StrictBool] | None = Field(None, max_length=500, description="What happened: question "
                                                                                       "id -> true/false; adds the "
                                                                                       "scores.")


class QuestionSetsOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    sets: list[dict[str, Any]] = Field(description="[{id, name, description, scenario, questions: [{id, text, "
                                                   "date}]}] (unchecked: a forecast request checks its set).")


class JobPath(BaseModel):
    job_id: str = Field(max_length=64, description="Futures job id.")


class JobOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    job: str
    kind: str = Field(description="futures | compare | review | forecast")
    game: str = Field(description="The game the job starts from (\"forecast\" for a forecast of a scenario).")
    turn: int = Field(description="The game's month the job starts from.")
    params: dict[str, Any]
    state: str = Field(description="queued | running | done | failed | cancelled")
    progress: dict[str, Any] = Field(description="{state, done, total, elapsed} (futures played of all).")
    error: str | None
    cost: int = Field(description="Months the job plays in all.")
    created: str
    finished: str | None
    links: dict[str, str]
    result: dict[str, Any] | None = Field(None, description="When done: the futures' summary (docs/futures.md), "
                                                            "the comparison, or the review.")


class JobStartedOut(JobOut):
    owner_token: str | None = Field(description="The job's owner token (cancels or deletes it); shown once; null "
                                                "when an identical finished job answered.")
    reused: bool = Field(description="True when a finished job of the identical request answered.")


# ------------------------------------------------------------------------------------------------ helpers
def games() -> GameManager:
    return current_app.extensions["wargame.games"]


def jobs() -> FuturesJobs:
    app = current_app
    ext = app.extensions.get("wargame.futures")
    if ext is None:
        cfg = {k: app.config.get(k, v) for k, v in DEFAULTS.items()}
        ext = FuturesJobs(max_running=int(cfg["FUTURES_MAX_RUNNING"]), max_turns=int(cfg["FUTURES_MAX_TURNS"]),
                          workers=int(cfg["FUTURES_WORKERS"]), thread_turns=int(cfg["FUTURES_THREAD_TURNS"]),
                          keep=int(cfg["FUTURES_KEEP"]), shards=app.extensions.get("wargame.shards"))
        app.extensions["wargame.futures"] = ext
    return ext


def _key(*parts: Any) -> str:
    return json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)


def _planned(game_id: str, plan: Callable[[Any, WargameModel], Any]) -> tuple[Any, WargameModel, Any]:
    """plan(row, model) on the game's live model under its lock, with the coming month's submissions set aside (they
    are secret and never enter a job) and put back after; a UserError is a 400 naming its field."""
    with games().live(game_id) as (row, m):
        saved = dict(m.submitted)
        m.submitted.clear()
        try:
            return row, m, plan(row, m)
        except UserError as exc:
            raise ApiError(400, str(exc)) from None
        finally:
            m.submitted.clear()
            m.submitted.update(saved)


def _orders(given: list[OrderIn] | None) -> list[dict[str, str]] | None:
    return None if given is None else [o.to_dict() for o in given]


def _labels(m: WargameModel, orders: list[dict] | None) -> list[str]:
    return [order_label(m, o) for o in orders or []]


# ------------------------------------------------------------------------------------------------ forks
@bp.post("/games/<game_id>/fork", summary="Fork a game at a month",
         responses={201: ForkOut, 409: ErrorOut, **POST_ERRORS})
def fork(path: GamePath, body: ForkIn) -> Response:
    """A new game that replays this one to `turn` and then goes its own way on its own random stream (repeated forks
    at one month differ). Its seats get new tokens and it gets its own owner token, returned only here; pending
    orders of the coming month stay with the parent."""
    return json_response(games().fork(path.game_id, body.turn), 201)


@bp.get("/games/<game_id>/family", summary="A game's family", responses={200: FamilyOut})
def family(path: GamePath) -> Response:
    """The game it was forked from (and theirs, up the tree) and the forks made of it."""
    return json_response(family_of(games().store, path.game_id))


@bp.get("/games/<game_id>/branches/<other_id>", summary="Two branches compared", responses={200: BranchesOut})
def compare_branches(path: OtherPath, query: TurnQuery) -> Response:
    """What differs between this game and another at month ?turn=N (default: the last month both have played), and
    the first month where they differ."""
    return json_response(compare_records(games().store, path.game_id, path.other_id, query.turn))


# ------------------------------------------------------------------------------------------------ futures
@bp.get("/games/<game_id>/futures/options", summary="Defaults and caps of a game's futures",
        responses={200: FuturesOptionsOut, 409: ErrorOut})
def futures_options(path: GamePath) -> Response:
    """What a futures or comparison request of this game gets by default (N, M, the relations drawn as fans) and
    the most it may ask, so a page can offer them before any job runs. From the game's scenario (no model built)."""
    manager = games()
    row = manager.row(path.game_id)
    try:
        scenario = manager.library.stored(row.scenario_yaml, row.scenario_hash)
    except UserError as exc:
        raise ApiError(409, f"this game's scenario is not valid for this version of the wargame ({exc})") from None
    return json_response({
        "defaults": {"n": DEFAULT_FUTURES, "months": DEFAULT_FUTURE_MONTHS, "relations": default_relations(scenario)},
        "caps": {"n": MAX_FUTURES, "months": MAX_FUTURE_MONTHS, "turns": min(MAX_FUTURE_TURNS, jobs().max_turns),
                 "relations": MAX_RELATIONS_IN}})


@bp.post("/games/<game_id>/futures", summary="Futures from the game's current month",
         responses={202: JobStartedOut, 403: ErrorOut, 409: ErrorOut, **POST_ERRORS})
def futures(path: GamePath, header: SeatHeader, body: FuturesIn) -> Response:
    """N futures of M months from the current month, every human seat played by its actor's AI policy (`orders`,
    with the seat's X-Seat-Token, set the seat's orders for the coming month). Answers 202 with the job; follow it
    at GET /api/futures/<job> or its events."""
    n = DEFAULT_FUTURES if body.n is None else body.n
    months = DEFAULT_FUTURE_MONTHS if body.months is None else body.months
    orders, seat = _orders(body.orders), body.seat
    manager = games()
    if orders is not None:
        row = manager.row(path.game_id)
        if seat is None:
            if len(row.human) != 1:
                raise ApiError(400, "seat: name the seat whose orders these are (human seats: "
                                    f"{', '.join(row.human) or 'none'})")
            seat = row.human[0]
        manager.check_token(row, seat, header.x_seat_token)
    _check_size(n, months)

    def plan(row: Any, m: WargameModel) -> Any:
        return plan_futures(m, n, months, seat=seat if orders is not None else None, orders=orders,
                            relations=body.relations)

    row, m, planned = _planned(path.game_id, plan)
    labels = _labels(m, planned.orders)

    def work(execution: dict, progress: Callable[[dict], None], cancel: Any) -> dict:
        summary = run_plans([planned], on_progress=progress, cancel=cancel, **execution)[0].summary()
        return {**summary, "labels": labels, "game": row.id}

    params = {"n": n, "months": months, "seat": planned.seat, "orders": planned.orders,
              "relations": [c for c in planned.columns if c.startswith("relation.")]}
    key = _key("futures", row.id, planned.turn, params)
    return json_response(jobs().submit("futures", row.id, planned.turn, params, key, n * months, work), 202)


def _check_size(n: int, months: int) -> None:
    """The server's cap before any planning (the model checks its own caps with the plan)."""
    if n >= 1 and months >= 1:
        jobs().check_cost(n * months)


@bp.post("/games/<game_id>/compare", summary="Compare two moves for a seat",
         responses={202: JobStartedOut, 403: ErrorOut, 409: ErrorOut, **POST_ERRORS})
def compare_moves(path: GamePath, header: SeatHeader, body: CompareIn) -> Response:
    """Two order sets for the seat's coming month, each followed by N futures on the same (paired) seeds; the result
    gives every outcome under A and B and the difference A - B with its 95% interval. Needs the seat's
    X-Seat-Token (only a seat's holder gives its orders)."""
    manager = games()
    row = manager.row(path.game_id)
    manager.check_token(row, body.seat, header.x_seat_token)
    n = DEFAULT_FUTURES if body.n is None else body.n
    months = DEFAULT_FUTURE_MONTHS if body.months is None else body.months
    _check_size(2 * n, months)
    orders_a, orders_b = _orders(body.orders_a), _orders(body.orders_b)
    row, m, plans = _planned(path.game_id, lambda row, m: plan_moves(m, body.seat, orders_a, orders_b, n, months,
                                                                     relations=body.relations))
    labels = {"a": _labels(m, plans[0].orders), "b": _labels(m, plans[1].orders)}

    def work(execution: dict, progress: Callable[[dict], None], cancel: Any) -> dict:
        result = moves_result(plans, run_plans(plans, on_progress=progress, cancel=cancel, **execution))
        for arm in ("a", "b"):
            result[arm]["labels"] = labels[arm]
        return {**result, "game": row.id}

    params = {"seat": body.seat, "n": n, "months": months, "orders_a": plans[0].orders, "orders_b": plans[1].orders}
    key = _key("compare", row.id, plans[0].turn, params, [c for c in plans[0].columns if c.startswith("relation.")])
    return json_response(jobs().submit("compare", row.id, plans[0].turn, params, key, 2 * n * months, work), 202)


@bp.post("/games/<game_id>/review", summary="After-action review of a human seat",
         responses={202: JobStartedOut, 409: ErrorOut, **POST_ERRORS})
def review(path: GamePath, body: ReviewIn) -> Response:
    """The seat's utility month by month against its own AI policy's ensemble from month 0, the months where its
    orders changed the outcome most, and every turning point with its causes (model.after_action_review), up to
    month `turn`. The page /games/<id>/review/<seat> draws it; GET /api/futures/<job>/review.html downloads it."""
    n = DEFAULT_AAR_FUTURES if body.n is None else body.n
    seat, pivotal = body.seat, body.pivotal

    def plan(row: Any, m: WargameModel) -> int:
        at = m.turn if body.turn is None else body.turn
        if at > m.turn:
            raise ApiError(400, f"turn: month {at} has not been played yet; the game is at month {m.turn}")
        played = check_review(_AtMonth(m, at), seat, n, pivotal)
        jobs().check_cost(review_cost(played, n, pivotal), "ask for fewer futures, or review without the "
                                                           "month-by-month comparison (pivotal: false)")
        return played

    row, m, played = _planned(path.game_id, plan)
    data, scenario, name = export_of(row), m.scenario, m.scenario.actors[seat].name

    def work(execution: dict, progress: Callable[[dict], None], cancel: Any) -> dict:
        game = WargameModel.from_export(data, turn=played, scenario=scenario)
        result = after_action_review(game, seat, n=n, pivotal=pivotal, on_progress=progress, cancel=cancel,
                                     **execution)
        for row_ in result["pivotal"]:
            row_["labels"] = _labels(game, row_["orders"])
        return {**result, "game": row.id, "scenario_name": row.scenario_name, "seat_name": name}

    params = {"seat": seat, "n": n, "pivotal": pivotal, "turn": played}
    key = _key("review", row.id, params)
    return json_response(jobs().submit("review", row.id, played, params, key, review_cost(played, n, pivotal),
                                       work), 202)


class _AtMonth:
    """What check_review reads of a game (its scenario, human seats, month), at an earlier month of a live game."""

    def __init__(self, m: WargameModel, turn: int) -> None:
        self.scenario, self.human, self.turn = m.scenario, m.human, turn


# ------------------------------------------------------------------------------------------------ forecasts
FORECAST_SLOT = "forecast"       # the jobs' `game` of a forecast: one forecast runs at a time in a server


def _question_dirs() -> list[Any]:
    from pathlib import Path

    return user_dirs("questions", [Path(d) for d in current_app.config.get("CONFIG_DIRS", ())])


@bp.get("/forecast/questions", summary="The question files a forecast can use", responses={200: QuestionSetsOut})
def question_sets() -> Response:
    """Each question file the server knows (shipped, then --config-dir's): its name, default scenario and questions
    (id, text, date), for a page to list before asking for a forecast."""
    sets = []
    for name, path in question_files(_question_dirs()).items():
        try:
            data, _ = read_yaml(path)
        except UserError:
            continue                       # a broken user file is reported when a forecast asks for it
        items = data.get("questions") if isinstance(data.get("questions"), list) else []
        listed = [{k: q.get(k) for k in ("id", "text", "date")} for q in items if isinstance(q, dict)]
        sets.append({"id": name, "name": str(data.get("name", name)), "description": str(data.get("description", "")),
                     "scenario": data.get("scenario"), "questions": listed})
    return json_response({"sets": sets})


@bp.post("/forecast", summary="Forecast questions of a scenario",
         responses={202: JobStartedOut, 409: ErrorOut, **POST_ERRORS})
def forecast_job(body: ForecastIn) -> Response:
    """Each question's probability over N futures of the scenario from month 0 with its 95% interval, and with
    `resolutions` the Brier and log scores against a persistence baseline and a reliability table (the same as
    `wargame forecast`). Answers 202 with the job; GET /api/futures/<job>/forecast.html downloads the report."""
    if (body.questions is None) == (body.questions_yaml is None):
        raise ApiError(400, "questions: give a question file's name (questions) or its text (questions_yaml)")
    n = DEFAULT_FUTURES if body.replications is None else body.replications
    seed = 0 if body.seed is None else body.seed
    try:
        if body.questions is not None:
            known = question_files(_question_dirs())
            if body.questions not in known:
                raise ApiError(400, f"questions: no question file {body.questions!r}; known: {', '.join(known)}")
            path = known[body.questions]
            data, _ = read_yaml(path)
            text, source = path.read_text(encoding="utf-8"), body.questions
        else:
            text, source = body.questions_yaml or "", "questions_yaml"
            data = None
        sid = body.scenario
        if sid is None:
            if data is None:
                data, _ = read_yaml_text(text, source)
            sid = data.get("scenario") if isinstance(data, dict) else None
            if not isinstance(sid, str):
                raise ApiError(400, "scenario: give a scenario id (the question file names none)")
        resolved = current_app.extensions["wargame.scenarios"].resolve(sid)
        qs = questions_from_text(text, resolved.scenario, file=source)
        resolutions = (check_resolutions(body.resolutions, qs, field="resolutions.")
                       if body.resolutions is not None else None)
        if isinstance(n, bool) or n < 1 or n > MAX_FUTURES:
            raise ApiError(400, f"replications: must be between 1 and {MAX_FUTURES:,}, got {n}")
    except UserError as exc:                    # a question file by its name, not the server's path to it
        raise ApiError(400, error_text(exc)) from None
    cost = n * qs.horizon
    jobs().check_cost(cost, "ask for fewer replications")
    scenario = resolved.scenario

    def work(execution: dict, progress: Callable[[dict], None], cancel: Any) -> dict:
        result = forecast(qs, scenario, n, seed=seed, resolutions=resolutions, on_progress=progress, cancel=cancel,
                          **execution)
        return {**result, "scenario_id": sid, "questions_source": source}

    params = {"questions": source, "scenario": sid, "replications": n, "seed": seed,
              "resolutions": resolutions}
    key = _key("forecast", resolved.sha256, text, params)
    return json_response(jobs().submit("forecast", FORECAST_SLOT, 0, params, key, cost, work), 202)


@bp.get("/futures/<job_id>/forecast.html", summary="A forecast as one HTML file",
        responses={200: {"description": "text/html: a self-contained page (the questions, the scores and the "
                                        "reliability diagram)"}})
def forecast_page_file(path: JobPath) -> Response:
    """The finished forecast of a forecast job as the page `wargame forecast --report` writes (works offline)."""
    job = jobs().get(path.job_id)
    if job.kind != "forecast" or job.state != "done":
        raise ApiError(404, f"futures job {path.job_id} is not a finished forecast (it is a {job.kind} job, "
                            f"{job.state})")
    resp = Response(forecast_html(job.result), mimetype="text/html")
    resp.headers["Content-Disposition"] = f'attachment; filename="forecast-{job.params.get("questions", "q")}.html"'
    return resp


# ------------------------------------------------------------------------------------------------ jobs
@bp.get("/futures/<job_id>", summary="A futures job: progress, then the result", responses={200: JobOut})
def get_job(path: JobPath) -> Response:
    """State and progress ({state, done, total, elapsed}); when done, the result."""
    return json_response(jobs().status(path.job_id))


@bp.get("/futures/<job_id>/events", summary="A futures job's progress (Server-Sent Events)",
        responses={200: {"description": "text/event-stream: `event: progress` ({state, done, total, elapsed}) as the "
                                        "futures are played, then `event: done` (the job with its result), "
                                        "`event: failed` or `event: cancelled` ({error})"}, 503: ErrorOut})
def job_events(path: JobPath) -> Response:
    """Progress as it happens; the stream ends with the job."""
    manager = jobs()
    job = manager.get(path.job_id)          # 404 before the stream starts
    return event_stream(_job_events(manager, job))


def _job_events(manager: FuturesJobs, job: Job) -> Iterator[str]:
    last: Any = None
    quiet = time.monotonic()
    while True:
        with manager.changed:
            state, progress = job.state, dict(job.progress)
        if progress and progress != last:
            last = progress
            yield sse("progress", json.dumps(progress, separators=(",", ":")))
            quiet = time.monotonic()
        if state in FINAL:
            body = job.status() if state == "done" else {"error": job.error, "state": state}
            yield sse(state, json.dumps(body, separators=(",", ":"), default=_plain))
            return
        if time.monotonic() - quiet > KEEPALIVE:
            yield ": keep-alive\n\n"
            quiet = time.monotonic()
        manager.wait(job, _moved_on(last), timeout=min(KEEPALIVE, 1.0))


def _moved_on(seen: Any) -> Callable[[Job], bool]:
    """Whether a job has ended or reported progress other than `seen`."""
    return lambda job: job.state in FINAL or job.progress != seen


def _plain(value: Any) -> Any:
    return value.tolist() if hasattr(value, "tolist") else str(value)


@bp.post("/futures/<job_id>/cancel", summary="Cancel a futures job",
         responses={200: JobOut, 403: ErrorOut, 409: ErrorOut})
def cancel_job(path: JobPath, header: OwnerHeader) -> Response:
    """Stop a running job (its owner only: X-Owner-Token); it stops after the chunk of futures it is playing."""
    return json_response(jobs().cancel(path.job_id, header.x_owner_token))


@bp.delete("/futures/<job_id>", summary="Cancel and forget a futures job",
           responses={204: {"description": "cancelled if it was running, and forgotten"}, 403: ErrorOut})
def delete_job(path: JobPath, header: OwnerHeader) -> Response:
    """Cancel the job if it runs and drop it with its result (its owner only: X-Owner-Token)."""
    jobs().forget(path.job_id, header.x_owner_token)
    return Response(status=204)


@bp.get("/futures/<job_id>/review.html", summary="An after-action review as one HTML file",
        responses={200: {"description": "text/html: a self-contained page (data, charts and script inline)"}})
def review_html(path: JobPath) -> Response:
    """The finished review of a review job as one self-contained HTML file to keep or send (works offline)."""
    job = jobs().get(path.job_id)
    if job.kind != "review" or job.state != "done":
        raise ApiError(404, f"futures job {path.job_id} is not a finished after-action review (it is a {job.kind} "
                            f"job, {job.state})")
    html = review_document(job.result)
    seat = job.params.get("seat", "seat")
    resp = Response(html, mimetype="text/html")
    resp.headers["Content-Disposition"] = f'attachment; filename="review-{job.game_id}-{seat}-month{job.turn}.html"'
    return resp


def review_document(result: dict[str, Any]) -> str:
    """The review page as one file: ECharts, the drawing script, the style and the data inline."""
    from pathlib import Path

    static = Path(current_app.root_path) / "static"
    data = json.dumps(result, separators=(",", ":"), default=_plain)
    return render_template(
        "review_export.html", result=result,
        echarts=Path(ECHARTS_JS).read_text(encoding="utf-8"),
        draw=(static / "js" / "review-draw.js").read_text(encoding="utf-8"),
        css=(static / "css" / "futures.css").read_text(encoding="utf-8"),
        data=data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
