"""JSON API for games: create, list, delete, watch, look back, seat orders, step, run, autoplay (SSE), export and
import. Stepping, running, autoplaying and deleting need the game's owner token (server.owners)."""
from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterator

from flask import Response, current_app, request
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, ValidationError

from server.games import GameManager
from server.schemas import (
    ApiError,
    CreatedFromTextOut,
    CreatedGameOut,
    CreateFromTextIn,
    CreateGameIn,
    ErrorOut,
    ExportOut,
    GameListOut,
    GamePath,
    GameState,
    GuideOut,
    HistoryOut,
    ImportedOut,
    ListQuery,
    ObjectivesOut,
    ObjectivesQuery,
    OwnerHeader,
    SeatHeader,
    SeatOrdersOut,
    SeatPath,
    StepIn,
    StreamQuery,
    SubmitOrdersIn,
    SubmitOrdersOut,
    TurnQuery,
    WithdrawOut,
    WithdrawQuery,
    format_validation_error,
    json_response,
)
from server.streams import KEEPALIVE, event_stream, sse

TAG = Tag(name="games", description="Games: state, orders, turns, autoplay, export/import")
bp = APIBlueprint("api_games", __name__, url_prefix="/api", abp_tags=[TAG],
                  abp_responses={400: ErrorOut, 404: ErrorOut})
POST_ERRORS: dict[str | int, type[BaseModel]] = {413: ErrorOut, 415: ErrorOut}
STEP_DOC = ("Body optional: {\"turn\": N} makes the request idempotent (409 if the game is not at turn N: it "
            "has moved on, or not got there). "
            "Send Content-Type: application/json (415 otherwise).")


def games() -> GameManager:
    return current_app.extensions["wargame.games"]


def _step_body() -> StepIn:
    """The optional body of step/run (may be empty)."""
    data = request.get_json(silent=True) if request.get_data(cache=True) else None
    try:
        return StepIn.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise ApiError(400, format_validation_error(exc)) from None


@bp.post("/games", summary="Create a game", responses={201: CreatedGameOut, **POST_ERRORS})
def create_game(body: CreateGameIn) -> Response:
    """A new game; each human seat gets a secret token and the game an owner token (returned only here, stored
    as hashes): the owner alone steps, runs, autoplays or deletes it."""
    return json_response(games().create(body.scenario, body.seed, body.turns, body.human), 201)


@bp.post("/games/from-yaml", summary="Create a game from scenario text",
         responses={201: CreatedFromTextOut, **POST_ERRORS})
def create_game_from_text(body: CreateFromTextIn) -> Response:
    """A new game of the editor's text, saved or not (400 with every error, as validation gives them); tokens as
    for POST /api/games."""
    return json_response(games().create_from_text(body.yaml, body.seed, body.turns, body.human, body.scenario), 201)


@bp.get("/games", summary="List games", responses={200: GameListOut})
def list_games(query: ListQuery) -> Response:
    """One page of the stored games, newest first, with their status and the seats still to move; the
    X-Total-Count header gives the number of games."""
    page, total = games().list(query.limit, query.offset)
    resp = json_response(page)
    resp.headers["X-Total-Count"] = str(total)
    return resp


@bp.delete("/games/<game_id>", summary="Delete a game",
           responses={204: {"description": "deleted, with its snapshots and pending orders"}, 403: ErrorOut})
def delete_game(path: GamePath, header: OwnerHeader) -> Response:
    """Remove a game for good (the owner only, X-Owner-Token); streams watching it end with an error event."""
    games().delete(path.game_id, header.x_owner_token)
    return Response(status=204)


@bp.post("/games/import", summary="Import an exported game", responses={201: ImportedOut, **POST_ERRORS})
def import_game(body: ExportOut) -> Response:
    """Replay an export (scenario, seed, orders of every turn) into a new game with the identical state."""
    return json_response(games().import_game(body), 201)


@bp.get("/games/<game_id>", summary="Game state", responses={200: GameState})
def get_game(path: GamePath, query: TurnQuery) -> Response:
    """The current state (model.state() plus the game's identity), or the stored snapshot of ?turn=N."""
    return json_response(games().state(path.game_id, query.turn))


@bp.get("/games/<game_id>/history", summary="Indicator history", responses={200: HistoryOut})
def get_history(path: GamePath) -> Response:
    """Every played turn's flat indicator record (the columns of model.sim.indicators())."""
    return json_response(None, text=games().history(path.game_id))


@bp.get("/games/<game_id>/seats/<actor>/orders", summary="A seat's order menu",
        responses={200: SeatOrdersOut, 403: ErrorOut})
def get_seat_orders(path: SeatPath, header: SeatHeader) -> Response:
    """Feasible orders of a human seat with cost, chance of success, what each does on success and on failure,
    the AI's gain and the goals behind it; and the orders already given. Needs the seat's X-Seat-Token."""
    return json_response(games().seat_orders(path.game_id, path.actor, header.x_seat_token))


@bp.delete("/games/<game_id>/seats/<actor>/orders", summary="Withdraw a seat's orders",
           responses={200: WithdrawOut, 403: ErrorOut, 409: ErrorOut})
def withdraw_seat_orders(path: SeatPath, query: WithdrawQuery, header: SeatHeader) -> Response:
    """Take back the orders a seat gave for the coming turn, while other seats are still to move (409 once the
    month has resolved); the seat then gives its orders again. Needs the seat's X-Seat-Token."""
    return json_response(games().withdraw(path.game_id, path.actor, header.x_seat_token, query.turn))


@bp.get("/games/<game_id>/objectives", summary="Objectives and scores", responses={200: ObjectivesOut})
def get_objectives(path: GamePath, query: ObjectivesQuery) -> Response:
    """Every actor's goals as objectives (met or not, how close), its utility and its score at the current turn
    (?actor= for one). Goals are part of the scenario, so this needs no token."""
    return json_response(games().objectives(path.game_id, query.actor))


@bp.get("/games/<game_id>/guide", summary="What the game page explains", responses={200: GuideOut})
def get_guide(path: GamePath) -> Response:
    """Indicator definitions, order kinds with their effect sizes, issue thresholds and the score's definition,
    from the game's scenario."""
    return json_response(games().guide(path.game_id))


@bp.post("/games/<game_id>/orders", summary="Submit a seat's orders",
         responses={200: SubmitOrdersOut, 403: ErrorOut, 409: ErrorOut, **POST_ERRORS})
def post_orders(path: GamePath, header: SeatHeader, body: SubmitOrdersIn) -> Response:
    """Orders for the coming turn; the turn resolves when the last human seat has submitted."""
    orders = [o.to_dict() for o in body.orders]
    return json_response(games().submit(path.game_id, body.actor, header.x_seat_token, orders, body.turn))


@bp.post("/games/<game_id>/step", summary="Resolve one turn", description=STEP_DOC,
         responses={200: GameState, 403: ErrorOut, 409: ErrorOut, **POST_ERRORS})
def post_step(path: GamePath, header: OwnerHeader) -> Response:
    """Advance an AI-only game (or one whose human seats have all submitted) by one turn; the owner only
    (X-Owner-Token); the new state."""
    return json_response(None, text=games().step(path.game_id, _step_body().turn, header.x_owner_token))


@bp.post("/games/<game_id>/run", summary="Run an AI-only game to its end", description=STEP_DOC,
         responses={200: GameState, 403: ErrorOut, 409: ErrorOut, **POST_ERRORS})
def post_run(path: GamePath, header: OwnerHeader) -> Response:
    """Play every remaining turn of an AI-only game (the owner only, X-Owner-Token); the final state (409 for
    games with human seats). {"turn": N} is checked as for step, so a double click runs once."""
    return json_response(games().run(path.game_id, header.x_owner_token, _step_body().turn))


@bp.get("/games/<game_id>/stream", summary="Autoplay or watch (Server-Sent Events)",
        responses={200: {"description": "text/event-stream: `event: state` (the new state JSON) per turn, "
                                        "`event: done` at the end, `event: error` if a turn fails or the game is "
                                        "deleted"},
                   403: ErrorOut, 409: ErrorOut, 503: ErrorOut})
def stream(path: GamePath, query: StreamQuery, header: OwnerHeader) -> Response:
    """With the owner token (X-Owner-Token, or ?owner_token= for an EventSource), step an AI-only game every
    `interval` seconds until it ends or the client disconnects; one such autoplay per game. Every other stream (no
    token, or a second autoplay) watches: a state event whenever the game moves, whoever moves it. The first event,
    `mode`, says which ({"mode": "autoplay"} or {"mode": "watch"})."""
    manager, game_id, interval = games(), path.game_id, query.interval
    owner = manager.check_autoplay(game_id, header.x_owner_token or query.owner_token)
    driving = owner and manager.claim_autoplay(game_id)
    mode = sse("mode", json.dumps({"mode": "autoplay" if driving else "watch"}))
    # waitress (with channel_request_lookahead, see model/cli/serve.py) tells when the client has gone, so Pause
    # stops the autoplay before its next month instead of after the first write that fails
    gone = request.environ.get("waitress.client_disconnected") or (lambda: False)
    events = itertools.chain([mode], _autoplay(manager, game_id, interval, gone) if driving
                             else _watch(manager, game_id))
    return event_stream(events, (lambda: manager.release_autoplay(game_id)) if driving else None)


def _autoplay(manager: GameManager, game_id: str, interval: float, gone: Callable[[], bool]) -> Iterator[str]:
    while True:
        if gone():
            return
        try:
            played = manager.autoplay_step(game_id)
        except ApiError as exc:
            yield sse("error", json.dumps({"error": exc.message}))
            return
        except Exception:
            current_app.logger.exception("autoplay of game %s failed", game_id)
            yield sse("error", json.dumps({"error": "the turn could not be resolved; see the server log"}))
            return
        if played is None:
            yield sse("done", json.dumps({"id": game_id}))
            return
        state, text = played
        yield sse("state", text)
        if state["done"]:
            yield sse("done", json.dumps({"id": game_id, "turn": state["turn"]}))
            return
        time.sleep(interval)     # a disconnected client ends the generator at the next write


def _watch(manager: GameManager, game_id: str) -> Iterator[str]:
    """Follow a game someone else advances: its state after every move, a keep-alive comment when quiet."""
    seen = manager.store.progress(game_id)
    quiet = time.monotonic()
    while True:
        now = manager.store.progress(game_id)
        if now is None:
            yield sse("error", json.dumps({"error": f"game {game_id} was deleted"}))
            return
        if now != seen:
            seen = now
            try:
                state = manager.state(game_id)
            except ApiError as exc:             # deleted in between
                yield sse("error", json.dumps({"error": exc.message}))
                return
            yield sse("state", json.dumps(state, separators=(",", ":")))
            quiet = time.monotonic()
        if now[1] == "finished":
            yield sse("done", json.dumps({"id": game_id, "turn": now[0]}))
            return
        if time.monotonic() - quiet > KEEPALIVE:
            yield ": keep-alive\n\n"
            quiet = time.monotonic()
        manager.wait_for_change(min(KEEPALIVE, 1.0))


@bp.get("/games/<game_id>/export", summary="Export a game", responses={200: ExportOut})
def export_game(path: GamePath) -> Response:
    """Scenario (resolved YAML), seed, turns, human seats and every turn's orders: enough to replay it exactly."""
    resp = json_response(games().export(path.game_id))
    resp.headers["Content-Disposition"] = f'attachment; filename="wargame-{path.game_id}.json"'
    return resp
