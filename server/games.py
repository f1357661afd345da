"""The live game manager: WargameModels in memory, one lock per game, every state change committed to the store.

A model is rebuilt from the store whenever it is not in memory (first use after a restart, or after eviction from
the small LRU cache): the resolved scenario, seed and human seats give the starting model, the orders log replays
every played turn (the model is deterministic), and the pending submissions are re-applied. Requests on one game
are serialised by its lock; resolving a turn happens inside the lock and commits in one transaction.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import threading
from collections import OrderedDict
from contextlib import contextmanager
from typing import Any, Iterator

from model import UserError, WargameModel
from server.scenarios import (
    ScenarioLibrary,
    resolved_text,
    scenario_from_resolved,
    sha256,
)
from server.schemas import EXPORT_FORMAT, ApiError, ExportOut
from server.store import AlreadySubmitted, GameRow, Snapshot, Store, dumps, now

log = logging.getLogger(__name__)

GAME_ID_BYTES = 6          # 8 url-safe characters
TOKEN_BYTES = 24           # 32 url-safe characters, 192 bits
DEFAULT_CACHE_SIZE = 64    # live models kept in memory; others are rebuilt from the store on use
VERBS = {"engage": "Engage", "demand": "Demand from", "concede": "Concede to", "mediate": "Mediate between",
         "recognise": "Recognise", "aid": "Aid", "invest": "Invest in", "sanction": "Sanction",
         "lift_sanctions": "Lift sanctions on", "deploy": "Deploy", "withdraw": "Withdraw", "strike": "Strike",
         "support_proxy": "Support proxy", "patrol": "Patrol with", "seize": "Seize", "hold": "Hold",
         "attack": "Attack", "consolidate": "Consolidate"}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def status_of(m: WargameModel) -> str:
    """finished: no turns left; waiting: a human seat has still to submit; ready: the turn can be resolved."""
    if m.done:
        return "finished"
    return "waiting" if m.waiting_for() else "ready"


def order_label(m: WargameModel, order: dict[str, str]) -> str:
    """A readable line for an order menu: 'Mediate between Russia and Türkiye', 'Deploy to Tartus'."""
    sc = m.scenario
    names = {"target": sc.actors, "other": sc.actors, "base": sc.bases, "region": sc.regions, "issue": sc.issues,
             "into": sc.bases}

    def name(field: str) -> str:
        ref = order[field]
        table = names[field]
        return table[ref].name if ref in table else ref

    words = [VERBS.get(order["kind"], order["kind"].replace("_", " ").capitalize())]
    if "target" in order:
        words.append(name("target"))
    if "other" in order:
        words.append(f"and {name('other')}")
    if "base" in order:
        prep = {"withdraw": "from ", "deploy": "to ", "seize": "", "consolidate": ""}.get(order["kind"], "at ")
        words.append(f"{prep}{name('base')}")
    if "region" in order:
        words.append(f"{'from' if order['kind'] == 'withdraw' else 'in'} {name('region')}")
    if "issue" in order:
        words.append(f"on {name('issue')}")
    if "into" in order:
        words.append(f"into {name('into')}")
    return " ".join(words)


class GameManager:
    """Create, load, play, export and import games; the only writer of the game store."""

    def __init__(self, store: Store, library: ScenarioLibrary, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        self.store = store
        self.library = library
        self.cache_size = max(1, cache_size)
        self._models: OrderedDict[str, WargameModel] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # --------------------------------------------------------------------------------- locks & cache
    def lock(self, game_id: str) -> threading.Lock:
        with self._locks_guard:
            lk = self._locks.get(game_id)
            if lk is None:
                lk = self._locks[game_id] = threading.Lock()
            return lk

    def _cached(self, game_id: str) -> WargameModel | None:
        with self._cache_lock:
            m = self._models.get(game_id)
            if m is not None:
                self._models.move_to_end(game_id)
            return m

    def _remember(self, game_id: str, m: WargameModel) -> None:
        with self._cache_lock:
            self._models[game_id] = m
            self._models.move_to_end(game_id)
            while len(self._models) > self.cache_size:
                self._models.popitem(last=False)

    def evict(self, game_id: str) -> None:
        """Forget the live model; the next use rebuilds it from the store (after any failed state change)."""
        with self._cache_lock:
            self._models.pop(game_id, None)

    def _row(self, game_id: str) -> GameRow:
        row = self.store.game(game_id)
        if row is None:
            raise ApiError(404, f"unknown game {game_id!r}")
        return row

    @contextmanager
    def live(self, game_id: str) -> Iterator[tuple[GameRow, WargameModel]]:
        """Hold the game's lock and give its row and live model; an unexpected error drops the model from memory."""
        with self.lock(game_id):
            row = self._row(game_id)
            m = self._cached(game_id)
            if m is None or m.turn != row.turn:
                m = self._rebuild(row)
                self._remember(game_id, m)
                if m.human and status_of(m) == "ready":     # a turn interrupted after its last submission
                    self._resolve(row, m)
                    row = self._row(game_id)
            try:
                yield row, m
            except ApiError:
                raise
            except BaseException:
                self.evict(game_id)
                raise

    def _rebuild(self, row: GameRow) -> WargameModel:
        """The live model of a stored game: replay the orders log, then re-apply pending submissions."""
        if sha256(row.scenario_yaml) != row.scenario_hash:
            raise RuntimeError(f"game {row.id}: the stored scenario does not match its hash")
        m = WargameModel(scenario_from_resolved(row.scenario_yaml), seed=row.seed, turns=row.turns,
                         human=tuple(row.human))
        try:
            for entry in row.orders_log:
                for h in m.human:
                    m.submit_orders(h, entry["orders"].get(h, []))
                m.step()
            for actor, orders in self.store.pending(row.id, row.turn + 1):
                m.submit_orders(actor, orders)
        except UserError as exc:   # orders valid when given are refused by a newer model: the game cannot go on
            log.warning("game %s cannot be replayed by this version of the model: %s", row.id, exc)
            raise ApiError(409, "this game was played with an earlier version of the model, which gave orders the "
                                "current version refuses, so it cannot be continued; its turns stay viewable "
                                "and exportable") from None
        if m.turn != row.turn:
            raise RuntimeError(f"game {row.id}: replay reached turn {m.turn}, the store says {row.turn}")
        if m.orders_log != row.orders_log:    # the model's code changed since these turns were played
            log.warning("game %s: replaying its orders gave other AI orders than it played (the model has changed "
                        "since); it goes on from the replayed state", row.id)
        return m

    def recover(self) -> int:
        """At start-up, resolve the turns of human games whose seats had all submitted when the server stopped."""
        done = 0
        for game_id in self.store.recoverable():
            try:
                with self.live(game_id):
                    done += 1
            except Exception:     # one broken game must not stop the server
                log.exception("could not recover game %s", game_id)
        return done

    # ------------------------------------------------------------------------------------- payloads
    @staticmethod
    def _with_identity(state: dict[str, Any], row: GameRow, status: str, waiting: list[str],
                       latest: int) -> dict[str, Any]:
        state.update(id=row.id, scenario=row.scenario, scenario_name=row.scenario_name, seed=row.seed,
                     status=status, human=list(row.human), waiting_for=waiting, latest_turn=latest)
        return state

    def _live_state(self, row: GameRow, m: WargameModel) -> dict[str, Any]:
        status = status_of(m)
        return self._with_identity(m.state(), row, status, m.waiting_for() if status != "finished" else [], m.turn)

    def _resolve(self, row: GameRow, m: WargameModel) -> dict[str, Any]:
        """Play one turn and commit it (snapshot, orders log, new turn, pending cleared) in one transaction."""
        try:
            m.step()
            state = m.state()
            status = status_of(m)
            self.store.commit_turn(row.id, Snapshot(m.turn, dumps(state), dumps(m.last_record)), m.orders_log,
                                   status)
        except BaseException:
            self.evict(row.id)
            raise
        return self._with_identity(state, row, status, m.waiting_for() if status != "finished" else [], m.turn)

    # ----------------------------------------------------------------------------------------- create
    def _check_human(self, human: list[str], actors: list[str], field: str = "human") -> None:
        for n, h in enumerate(human):
            if h not in actors:
                raise ApiError(400, f"{field}.{n}: unknown actor {h!r}; expected one of {', '.join(actors)}")
            if h in human[:n]:
                raise ApiError(400, f"{field}.{n}: {h!r} is given twice")

    def _insert(self, row: GameRow, snapshots: list[Snapshot], tokens_for: list[str]) -> dict[str, str]:
        tokens = {h: secrets.token_urlsafe(TOKEN_BYTES) for h in tokens_for}
        row.token_hashes = {h: token_hash(t) for h, t in tokens.items()}
        for _ in range(8):
            row.id = secrets.token_urlsafe(GAME_ID_BYTES)
            if not self.store.exists(row.id):
                break
        self.store.create_game(row, snapshots)
        return tokens

    @staticmethod
    def links(game_id: str, tokens: dict[str, str]) -> dict[str, Any]:
        return {"id": game_id, "tokens": tokens, "watch_url": f"/game/{game_id}",
                "seat_urls": {a: f"/game/{game_id}?seat={a}&token={t}" for a, t in tokens.items()}}

    def create(self, scenario_id: str, seed: int | None, turns: int | None, human: list[str]) -> dict[str, Any]:
        """A new game from a scenario id; returns {id, tokens, watch_url, seat_urls} (tokens shown only here)."""
        res = self.library.resolve(scenario_id)
        self._check_human(human, list(res.scenario.actors))
        seed = secrets.randbelow(2**31) if seed is None else seed
        m = WargameModel(scenario_from_resolved(res.text), seed=seed, turns=turns, human=tuple(human))
        stamp = now()
        row = GameRow(id="", scenario=res.id, scenario_name=res.name, scenario_yaml=res.text,
                      scenario_hash=res.sha256, seed=seed, turns=m.max_turns, human=list(human), token_hashes={},
                      orders_log=[], turn=0, status=status_of(m), created=stamp, updated=stamp)
        tokens = self._insert(row, [Snapshot(0, dumps(m.state()), dumps(m.last_record))], human)
        self._remember(row.id, m)
        return self.links(row.id, tokens)

    # ------------------------------------------------------------------------------------------ reads
    def list(self) -> list[dict[str, Any]]:
        out = []
        for row, submitted in self.store.list_games():
            waiting = [h for h in row.human if h not in submitted] if row.status != "finished" else []
            out.append({"id": row.id, "scenario": row.scenario, "scenario_name": row.scenario_name, "seed": row.seed,
                        "turn": row.turn, "max_turns": row.turns, "status": row.status, "human": row.human,
                        "waiting_for": waiting, "created": row.created})
        return out

    def state(self, game_id: str, turn: int | None = None) -> dict[str, Any]:
        """The stored snapshot of the current turn (or of `turn`), with the game's identity; never recomputed."""
        found = self.store.current(game_id, turn)
        if found is None:
            raise ApiError(404, f"unknown game {game_id!r}")
        row, snap, submitted = found
        if snap is None:
            raise ApiError(404, f"turn {turn} has not been played yet; the game is at turn {row.turn}")
        waiting = ([h for h in row.human if h not in submitted]
                   if snap.turn == row.turn and row.status != "finished" else [])
        return self._with_identity(json.loads(snap.state), row, row.status, waiting, row.turn)

    def history(self, game_id: str) -> str:
        """{"rows": [...]} as JSON text, straight from the stored records."""
        if not self.store.exists(game_id):
            raise ApiError(404, f"unknown game {game_id!r}")
        return '{"rows":[' + ",".join(self.store.history(game_id)) + "]}"

    # ------------------------------------------------------------------------------------------ seats
    def check_token(self, row: GameRow, actor: str, token: str | None) -> None:
        """403 unless `token` is the seat token of `actor` (compared as hashes, in constant time)."""
        if not token:
            raise ApiError(403, "the X-Seat-Token header is missing; only the holder of a seat's link can give "
                                "its orders")
        expected = row.token_hashes.get(actor)
        if expected is None:
            raise ApiError(403, f"actor: {actor!r} is not a human seat in this game (human seats: "
                                f"{', '.join(row.human) or 'none'})")
        if not hmac.compare_digest(token_hash(token), expected):
            raise ApiError(403, f"the X-Seat-Token is not the token of {actor}'s seat")

    def seat_orders(self, game_id: str, actor: str, token: str | None) -> dict[str, Any]:
        self.check_token(self._row(game_id), actor, token)
        with self.live(game_id) as (_, m):
            ag = m.agent(actor)
            feasible = [] if m.done else [{**f, "label": order_label(m, f["order"])} for f in m.feasible_orders(actor)]
            return {"actor": actor, "action_points": ag.action_points, "submitted": actor in m.submitted,
                    "feasible": feasible}

    def submit(self, game_id: str, actor: str, token: str | None, orders: list[dict],
               turn: int | None = None) -> dict[str, Any]:
        """Record a seat's orders (durably); when it was the last seat to move, resolve the turn."""
        self.check_token(self._row(game_id), actor, token)
        with self.live(game_id) as (row, m):
            if m.done:
                raise ApiError(409, f"the game has ended after {m.max_turns} turns")
            if turn is not None and turn != m.turn:
                raise ApiError(409, f"turn: orders were given at turn {turn}, but turn {turn + 1} has already been "
                                    f"resolved; the game is at turn {m.turn}")
            if actor in m.submitted:
                raise ApiError(409, f"{actor} has already submitted orders for turn {m.turn + 1}")
            try:
                parsed = m.submit_orders(actor, orders)
            except UserError as exc:
                raise ApiError(400, str(exc)) from None
            accepted = [o.to_dict() for o in parsed]
            try:
                self.store.add_pending(game_id, m.turn + 1, actor, accepted, status_of(m))
            except AlreadySubmitted:
                self.evict(game_id)
                raise ApiError(409, f"{actor} has already submitted orders for turn {m.turn + 1}") from None
            waiting = m.waiting_for()
            out: dict[str, Any] = {"accepted": accepted, "waiting_for": waiting, "resolved": False}
            if not waiting:
                out["state"] = self._resolve(row, m)
                out["resolved"] = True
                out["waiting_for"] = out["state"]["waiting_for"]
            return out

    # ------------------------------------------------------------------------------------------ steps
    def _check_step(self, m: WargameModel, turn: int | None) -> None:
        if turn is not None and turn != m.turn:
            raise ApiError(409, f"turn: the step from turn {turn} has already been resolved; the game is at turn "
                                f"{m.turn}")
        if m.done:
            raise ApiError(409, f"the game has ended after {m.max_turns} turns")
        waiting = m.waiting_for()
        if waiting:
            raise ApiError(409, f"orders pending: waiting for {', '.join(waiting)} to submit orders for turn "
                                f"{m.turn + 1}")

    def step(self, game_id: str, turn: int | None = None) -> dict[str, Any]:
        """Resolve the coming turn (AI-only games, or when every human seat has submitted)."""
        with self.live(game_id) as (row, m):
            self._check_step(m, turn)
            return self._resolve(row, m)

    def run(self, game_id: str) -> dict[str, Any]:
        """Play an AI-only game to its end (each turn committed as it resolves); returns the final state."""
        with self.live(game_id) as (row, m):
            if row.human:
                raise ApiError(409, f"run is for AI-only games; this game has human seats ({', '.join(row.human)})")
            self._check_step(m, None)
            state: dict[str, Any] = {}
            while not m.done:
                state = self._resolve(row, m)
            return state

    def check_autoplay(self, game_id: str) -> None:
        row = self._row(game_id)
        if row.human:
            raise ApiError(409, f"autoplay is for AI-only games; this game has human seats ({', '.join(row.human)})")

    def autoplay_step(self, game_id: str) -> dict[str, Any] | None:
        """One autoplay turn: the new state, or None when the game has ended."""
        with self.live(game_id) as (row, m):
            if m.done:
                return None
            return self._resolve(row, m)

    # ------------------------------------------------------------------------------------ export/import
    def export(self, game_id: str) -> dict[str, Any]:
        row = self._row(game_id)
        return {"format": EXPORT_FORMAT, "scenario": row.scenario, "scenario_yaml": row.scenario_yaml,
                "seed": row.seed, "turns": row.turns, "human": row.human, "orders": row.orders_log}

    def import_game(self, exp: ExportOut) -> dict[str, Any]:
        """A new game replayed from an export: same scenario, seed and orders give the identical state."""
        sc, errors = self.library.check_text(exp.scenario_yaml)
        if sc is None:
            first = errors[0]
            where = f"line {first.line}: " if first.line else ""
            raise ApiError(400, f"scenario_yaml: {where}{first.field + ': ' if first.field else ''}{first.message}",
                           errors=[e.model_dump() for e in errors])
        self._check_human(list(exp.human), list(sc.actors))
        if len(exp.orders) > exp.turns:
            raise ApiError(400, f"orders: {len(exp.orders)} turns of orders, but the game has only {exp.turns} turns")
        text = resolved_text(sc)
        m = WargameModel(scenario_from_resolved(text), seed=exp.seed, turns=exp.turns, human=tuple(exp.human))
        snapshots = [Snapshot(0, dumps(m.state()), dumps(m.last_record))]
        for n, entry in enumerate(exp.orders):
            if entry.turn != n + 1:
                raise ApiError(400, f"orders.{n}.turn: expected {n + 1}, got {entry.turn}")
            for h in m.human:
                try:
                    m.submit_orders(h, [o.to_dict() for o in entry.orders.get(h, [])])
                except UserError as exc:
                    raise ApiError(400, f"orders.{n}.orders.{h}: {exc}") from None
            m.step()
            snapshots.append(Snapshot(m.turn, dumps(m.state()), dumps(m.last_record)))
        given = [{"turn": e.turn, "orders": {a: [o.to_dict() for o in os] for a, os in e.orders.items() if os}}
                 for e in exp.orders]
        stamp = now()
        row = GameRow(id="", scenario=exp.scenario, scenario_name=sc.name, scenario_yaml=text,
                      scenario_hash=sha256(text), seed=exp.seed, turns=m.max_turns, human=list(exp.human),
                      token_hashes={}, orders_log=m.orders_log, turn=m.turn,
                      status=status_of(m), created=stamp, updated=stamp)
        tokens = self._insert(row, snapshots, list(exp.human))
        self._remember(row.id, m)
        return {**self.links(row.id, tokens), "replayed_identically": given == m.orders_log}
