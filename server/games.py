"""The live game manager: WargameModels in memory, one lock per game, every state change committed to the store.

A model is rebuilt from the store whenever it is not in memory (first use after a restart, or after eviction from
the small LRU cache): the resolved scenario, seed and human seats give the starting model, the orders log replays
every played turn (the model is deterministic), and the pending submissions are re-applied. Requests on one game
are serialised by its lock; resolving a turn happens inside the lock and commits in one transaction.
"""
from __future__ import annotations

import builtins
import hashlib
import hmac
import json
import logging
import secrets
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from model import (
    INDICATORS,
    UserError,
    WargameModel,
    computer_orders_differ,
    fork_points,
    objectives,
    order_briefs,
    read_yaml_text,
    rules_doc,
    total_weight,
    withdraw_orders,
)
from server.owners import check_owner, is_owner, new_owner
from server.scenarios import (
    ScenarioLibrary,
    resolved_text,
    sha256,
)
from server.schemas import EXPORT_FORMAT, ApiError, ExportOut
from server.shards import Shards, new_id
from server.store import AlreadySubmitted, GameRow, Snapshot, Store, dumps, now

log = logging.getLogger(__name__)

GAME_ID_BYTES = 6          # 8 url-safe characters
TOKEN_BYTES = 24           # 32 url-safe characters, 192 bits
DEFAULT_CACHE_SIZE = 64    # live models kept in memory; others are rebuilt from the store on use
LIST_PAGE = 50             # games per page of the list (GET /api/games?limit=...), at most MAX_LIST_PAGE
MAX_LIST_PAGE = 200
IMPORTED_PREFIX = "imported-"   # the id of an imported scenario that matches no scenario of the library
EDITED_PREFIX = "edited-"       # the id of a game's scenario started from the editor's text, when it is no library one
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
    names: dict[str, Mapping[str, Any]] = {"target": sc.actors, "other": sc.actors, "base": sc.bases,
                                           "region": sc.regions, "issue": sc.issues, "into": sc.bases}

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


class FairLock:
    """A lock its waiters get in the order they came (threading.Lock hands it to whichever thread the OS wakes).

    Resolving turns one at a time, first come first served, costs no throughput (the GIL lets one turn compute at a
    time anyway) and keeps the threads that wait off the GIL: with 10 games stepped at once, the GIL's 5 ms switches
    shared the core among all their turns in whatever order the OS woke them, so a step could wait behind steps that
    came after it (the p95 latency of benchmarks/server.py), and every switch costs cache misses."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held = False
        self._queue: deque[threading.Lock] = deque()

    def __enter__(self) -> None:
        with self._guard:
            if not self._held:
                self._held = True
                return
            baton = threading.Lock()
            baton.acquire()
            self._queue.append(baton)
        baton.acquire()              # released by the holder before us: the lock is ours, still held

    def __exit__(self, *exc: object) -> None:
        with self._guard:
            if self._queue:
                self._queue.popleft().release()
            else:
                self._held = False


class GameManager:
    """Create, load, play, export and import games; the only writer of the game store."""

    def __init__(self, store: Store, library: ScenarioLibrary, cache_size: int = DEFAULT_CACHE_SIZE,
                 shards: Shards | None = None) -> None:
        self.store = store
        self.library = library
        self.shards = shards                          # this worker's place among several (server.shards), or None
        self.cache_size = max(1, cache_size)
        self._models: OrderedDict[str, WargameModel] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self._drivers: set[str] = set()               # games an autoplay stream is advancing right now
        self.changed = threading.Condition()          # notified whenever a turn is committed or a game deleted
        self._turns = FairLock()                      # one turn resolves at a time in this process, in arrival order

    # --------------------------------------------------------------------------------- locks & cache
    def lock(self, game_id: str) -> threading.Lock:
        """The game's lock; 404 for an unknown game, which gets no entry (random ids cannot fill memory)."""
        with self._locks_guard:
            lk = self._locks.get(game_id)
        if lk is not None:
            return lk
        if not self.store.exists(game_id):
            raise ApiError(404, f"unknown game {game_id!r}")
        with self._locks_guard:
            return self._locks.setdefault(game_id, threading.Lock())

    def _forget(self, game_id: str) -> None:
        """Drop everything kept in memory for a game that is no longer in the store."""
        self.evict(game_id)
        with self._locks_guard:
            self._locks.pop(game_id, None)

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

    def row(self, game_id: str) -> GameRow:
        """The stored game (its row); 404 when there is none."""
        return self._row(game_id)

    def _row(self, game_id: str) -> GameRow:
        row = self.store.game(game_id)
        if row is None:
            raise ApiError(404, f"unknown game {game_id!r}")
        return row

    def _head(self, game_id: str) -> GameRow:
        """The stored game without its scenario text and orders log (Store.head); 404 when there is none."""
        row = self.store.head(game_id)
        if row is None:
            raise ApiError(404, f"unknown game {game_id!r}")
        return row

    @contextmanager
    def live(self, game_id: str, head: bool = False,
             check: Callable[[GameRow], None] | None = None) -> Iterator[tuple[GameRow, WargameModel]]:
        """Hold the game's lock and give its row and live model; an unexpected error drops the model from memory.
        head=True: the row as Store.head reads it (no scenario text, no orders log), for playing a turn. `check`
        (an owner or seat token check) sees that row first, before any model is built, so the row is read once."""
        read = self._head if head else self._row
        with self.lock(game_id):
            try:
                row = read(game_id)
            except ApiError:                    # deleted while this request waited for the lock
                self._forget(game_id)
                raise
            if check is not None:
                check(row)
            m = self._cached(game_id)
            if m is None or m.turn != row.turn:
                m = self._rebuild(row if not head else self._row(game_id))
                self._remember(game_id, m)
                if m.human and status_of(m) == "ready":     # a turn interrupted after its last submission
                    self._resolve(row, m)
                    row = read(game_id)
            try:
                yield row, m
            except ApiError:
                raise
            except BaseException:
                self.evict(game_id)
                raise

    def _rebuild(self, row: GameRow) -> WargameModel:
        """The live model of a stored game: replay the orders log (re-forking a fork's streams at its fork points),
        then re-apply pending submissions."""
        if sha256(row.scenario_yaml) != row.scenario_hash:
            raise RuntimeError(f"game {row.id}: the stored scenario does not match its hash")
        try:
            sc = self.library.stored(row.scenario_yaml, row.scenario_hash)
        except UserError as exc:   # e.g. a scenario over a limit of this version (model.config.limits)
            log.warning("game %s: its stored scenario is refused by this version: %s", row.id, exc)
            raise ApiError(409, "this game's scenario is not valid for this version of the wargame "
                                f"({str(exc).splitlines()[0][:300]}), so it cannot be continued") from None
        m = WargameModel(sc, seed=row.seed, turns=row.turns, human=tuple(row.human))
        points = fork_streams(row.fork_points)
        try:
            for entry in row.orders_log:
                m = forked_at(m, points)
                for h in m.human:
                    m.submit_orders(h, entry["orders"].get(h, []))
                m.step()
            m = forked_at(m, points)
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
            if self.shards is not None and not self.shards.owns(game_id):
                continue                              # its owner recovers it
            try:
                with self.live(game_id, head=True):
                    done += 1
            except Exception:     # one broken game must not stop the server
                log.exception("could not recover game %s", game_id)
        return done

    # ------------------------------------------------------------------------------------- payloads
    @staticmethod
    def _with_identity(state: dict[str, Any], row: GameRow, status: str, waiting: list[str],
                       latest: int) -> dict[str, Any]:
        state.update(id=row.id, scenario=row.scenario, scenario_name=row.scenario_name, seed=row.seed,
                     status=status, human=list(row.human), waiting_for=waiting, latest_turn=latest,
                     has_owner=bool(row.owner_hash), parent=row.parent or None, parent_turn=row.parent_turn)
        return state

    def _live_state(self, row: GameRow, m: WargameModel) -> dict[str, Any]:
        status = status_of(m)
        return self._with_identity(m.state(), row, status, m.waiting_for() if status != "finished" else [], m.turn)

    def _resolve(self, row: GameRow, m: WargameModel) -> dict[str, Any]:
        """Play one turn and commit it (snapshot, orders log, new turn, pending cleared) in one transaction."""
        return self._resolve_text(row, m)[0]

    def _resolve_text(self, row: GameRow, m: WargameModel) -> tuple[dict[str, Any], str]:
        """_resolve, with the new state also as JSON text: the snapshot's text and the identity, joined, so the
        state (the largest part of a step's answer) is serialised once."""
        try:
            with self._turns:        # the computing only: a commit waits on the disk or the other worker's write
                m.step()
                state = m.state()
                status = status_of(m)
                text = dumps(state)
                snapshot = Snapshot(m.turn, text, dumps(m.last_record))
            self.store.commit_turn(row.id, snapshot, m.orders_log[-1], status)
        except BaseException:
            self.evict(row.id)
            raise
        with self.changed:
            self.changed.notify_all()
        keys = set(state)
        state = self._with_identity(state, row, status, m.waiting_for() if status != "finished" else [], m.turn)
        identity = dumps({k: v for k, v in state.items() if k not in keys})
        return state, text[:-1] + "," + identity[1:]

    # ----------------------------------------------------------------------------------------- create
    def _check_human(self, human: list[str], actors: list[str], field: str = "human") -> None:
        for n, h in enumerate(human):
            if h not in actors:
                raise ApiError(400, f"{field}.{n}: unknown actor {h!r}; expected one of {', '.join(actors)}")
            if h in human[:n]:
                raise ApiError(400, f"{field}.{n}: {h!r} is given twice")

    def add_game(self, row: GameRow, snapshots: list[Snapshot], m: WargameModel,
                 copy_from: str | None = None) -> dict[str, Any]:
        """Store a new game (made by create, import, fork, or any later way of making one) with a fresh id, a secret
        token per human seat and an owner token; returns {id, tokens, owner_token, watch_url, seat_urls}. The
        tokens are shown only here: the store keeps their hashes. `copy_from`: a fork's parent, whose snapshots of
        months 0 to row.turn the new game shares."""
        tokens = {h: secrets.token_urlsafe(TOKEN_BYTES) for h in row.human}
        row.token_hashes = {h: token_hash(t) for h, t in tokens.items()}
        owner_token, row.owner_hash = new_owner()
        for _ in range(8):
            row.id = new_id(self.shards, lambda: secrets.token_urlsafe(GAME_ID_BYTES))   # a game this worker owns
            if not self.store.exists(row.id):
                break
        self.store.create_game(row, snapshots, copy_from=copy_from)
        self._remember(row.id, m)
        return self.links(row.id, tokens, owner_token)

    @staticmethod
    def links(game_id: str, tokens: dict[str, str], owner_token: str) -> dict[str, Any]:
        return {"id": game_id, "tokens": tokens, "owner_token": owner_token, "watch_url": f"/game/{game_id}",
                "seat_urls": {a: f"/game/{game_id}?seat={a}&token={t}" for a, t in tokens.items()}}

    def create(self, scenario_id: str, seed: int | None, turns: int | None, human: list[str]) -> dict[str, Any]:
        """A new game from a scenario id; returns {id, tokens, owner_token, watch_url, seat_urls} (the tokens are
        shown only here). The model is built from the library's validated (cached) scenario, not from its text."""
        res = self.library.resolve(scenario_id)
        self._check_human(human, list(res.scenario.actors))
        seed = secrets.randbelow(2**31) if seed is None else seed
        m = WargameModel(res.scenario, seed=seed, turns=turns, human=tuple(human))
        stamp = now()
        row = GameRow(id="", scenario=res.id, scenario_name=res.name, scenario_yaml=res.text,
                      scenario_hash=res.sha256, seed=seed, turns=m.max_turns, human=list(human), token_hashes={},
                      orders_log=[], turn=0, status=status_of(m), created=stamp, updated=stamp)
        return self.add_game(row, [Snapshot(0, dumps(m.state()), dumps(m.last_record))], m)

    def create_from_text(self, text: str, seed: int | None, turns: int | None, human: list[str],
                         opened: str | None = None) -> dict[str, Any]:
        """A new game of the editor's text (saved or not): validated as the editor validates it (400 with every
        error), kept resolved in the game like any other; its scenario is the library's when the text resolves to
        exactly a library scenario, else its own `edited-<hash>`."""
        sc, errors = self.library.check_text(text)
        if sc is None:
            first = errors[0]
            where = f"line {first.line}: " if first.line else ""
            raise ApiError(400, f"yaml: {where}{first.field + ': ' if first.field else ''}{first.message}",
                           errors=[e.model_dump() for e in errors])
        self._check_human(human, list(sc.actors))
        resolved = resolved_text(sc)
        digest = sha256(resolved)
        extends = read_yaml_text(text)[0].get("extends")
        scenario_id, scenario_name = self._own_identity(sc.name, digest, [opened, self.library._id_of(extends)])
        seed = secrets.randbelow(2**31) if seed is None else seed
        m = WargameModel(sc, seed=seed, turns=turns, human=tuple(human))
        stamp = now()
        row = GameRow(id="", scenario=scenario_id, scenario_name=scenario_name, scenario_yaml=resolved,
                      scenario_hash=digest, seed=seed, turns=m.max_turns, human=list(human), token_hashes={},
                      orders_log=[], turn=0, status=status_of(m), created=stamp, updated=stamp)
        created = self.add_game(row, [Snapshot(0, dumps(m.state()), dumps(m.last_record))], m)
        return {**created, "scenario": scenario_id, "scenario_name": scenario_name}

    def _own_identity(self, name: str, digest: str, candidates: list[str | None]) -> tuple[str, str]:
        """(id, name) of an edited text's scenario: the library scenario among `candidates` (the one the editor
        opened, the one the text extends) with the same resolved content, else its own."""
        for sid in dict.fromkeys(c for c in candidates if c):
            try:
                res = self.library.resolve(sid)
            except ApiError:
                continue
            if res.sha256 == digest:
                return res.id, res.name
        return f"{EDITED_PREFIX}{digest[:12]}", f"{name} (edited)"

    def delete(self, game_id: str, owner_token: str | None) -> None:
        """Remove a game, its snapshots and pending orders (the owner only); streams watching it end."""
        check_owner(self._head(game_id).owner_hash, owner_token, "this game", "delete it")
        with self.lock(game_id):
            if not self.store.delete_game(game_id):
                raise ApiError(404, f"unknown game {game_id!r}")
            self._forget(game_id)
        with self.changed:
            self.changed.notify_all()

    # ------------------------------------------------------------------------------------------ reads
    def list(self, limit: int = LIST_PAGE, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """One page of games, newest first, each with bounded fields; and how many games there are in all."""
        out = []
        rows, total = self.store.list_games(min(max(1, limit), MAX_LIST_PAGE), max(0, offset))
        for row, submitted in rows:
            waiting = [h for h in row.human if h not in submitted] if row.status != "finished" else []
            out.append({"id": row.id, "scenario": row.scenario, "scenario_name": row.scenario_name, "seed": row.seed,
                        "turn": row.turn, "max_turns": row.turns, "status": row.status, "human": row.human,
                        "waiting_for": waiting, "created": row.created, "has_owner": bool(row.owner_hash)})
        return out, total

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
        """The seat's order menu: each feasible order with cost, gain, chance of success, outcomes and the goals
        behind its rating (model.order_briefs), plus the orders it has already given for the coming turn."""
        with self.live(game_id, head=True, check=lambda row: self.check_token(row, actor, token)) as (_, m):
            ag = m.agent(actor)
            feasible = [] if m.done else [{**f, "label": order_label(m, f["order"])} for f in order_briefs(m, actor)]
            given = [{"order": o.to_dict(), "label": order_label(m, o.to_dict())} for o in m.submitted.get(actor, [])]
            return {"actor": actor, "turn": m.turn, "action_points": ag.action_points,
                    "submitted": actor in m.submitted, "submitted_orders": given, "feasible": feasible}

    def withdraw(self, game_id: str, actor: str, token: str | None, turn: int | None = None) -> dict[str, Any]:
        """Take back a seat's orders for the coming turn while other seats are still to move (409 once the month
        has resolved), so it can give others."""
        with self.live(game_id, head=True, check=lambda row: self.check_token(row, actor, token)) as (_, m):
            self._check_open(m)
            self._check_not_ahead(m, turn)
            if turn is not None and turn != m.turn:
                raise ApiError(409, f"turn: turn {turn + 1} has already been resolved, so its orders stand; the "
                                    f"game is at turn {m.turn}")
            if actor not in m.submitted:
                raise ApiError(409, f"{actor} has no orders waiting for turn {m.turn + 1} (not given yet, or the "
                                    "month has already resolved)")
            self.store.remove_pending(game_id, m.turn + 1, actor, "waiting")
            withdraw_orders(m, actor)
            return {"withdrawn": True, "turn": m.turn, "waiting_for": m.waiting_for()}

    def start_utilities(self, game_id: str) -> dict[str, float]:
        """Every actor's utility at the start (turn 0's stored record): the zero of the score."""
        record = self.store.record(game_id, 0)
        if record is None:
            raise ApiError(404, f"unknown game {game_id!r}")
        return {k[len("utility."):]: float(v) for k, v in record.items() if k.startswith("utility.")}

    def objectives(self, game_id: str, actor: str | None = None) -> dict[str, Any]:
        """Each actor's (or one actor's) objectives, utility and score at the current turn; public, like the
        scenario's goals. Work: one utility evaluation per goal (at most limits.MAX_GOALS per actor)."""
        start = self.start_utilities(game_id)
        with self.live(game_id, head=True) as (_, m):
            actors = list(m.world.actors)
            if actor is not None and actor not in actors:
                raise ApiError(400, f"actor: unknown actor {actor!r}; expected one of {', '.join(actors)}")
            rows = [objectives(m, a, start.get(a)) for a in ([actor] if actor else actors)]
            for r in rows:
                r["human"] = r["actor"] in m.human
            ranked = sorted(rows, key=lambda r: (-(r.get("score") or 0.0), r["actor"]))
            for place, r in enumerate(ranked, 1):
                r["rank"] = place
            book = m.victory.status(m.done, m.date)
            victory = {"final": book["final"], "winners": book["winners"], "judged": list(book["actors"])}
            return {"turn": m.turn, "date": m.date(), "done": m.done, "rules": rules_doc(), "actors": rows,
                    "victory": victory}

    def guide(self, game_id: str) -> dict[str, Any]:
        """What the game page explains: indicator definitions, order kinds with their costs and effect sizes, each
        issue's scale and thresholds, the score; from the game's own scenario (no model is built)."""
        row = self._row(game_id)
        sc = self.library.stored(row.scenario_yaml, row.scenario_hash)
        return {
            "start": sc.start, "turns": row.turns,
            "indicators": dict(INDICATORS),
            "actions": {k: {"cost": p.cost, **p.model_dump(exclude={"cost"})} for k, p in sc.actions.items()},
            "issues": [{"id": k, "name": i.name, "description": i.description, "scale": list(i.scale),
                        "thresholds": [{"name": t.name, "when": t.when, "value": t.value, "sentence": t.sentence}
                                       for t in i.thresholds]} for k, i in sc.issues.items()],
            "score_weights": {a: total_weight(sc, a) for a in sc.actors},
            "rules": rules_doc(),
        }

    def submit(self, game_id: str, actor: str, token: str | None, orders: builtins.list[dict],
               turn: int | None = None) -> dict[str, Any]:
        """Record a seat's orders (durably); when it was the last seat to move, resolve the turn."""
        with self.live(game_id, head=True, check=lambda row: self.check_token(row, actor, token)) as (row, m):
            self._check_open(m)
            self._check_not_ahead(m, turn)
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
    @staticmethod
    def _check_open(m: WargameModel) -> None:
        """409 once the game has played its last month: nothing more may be given, withdrawn or stepped."""
        if m.done:
            raise ApiError(409, f"the game has ended after {m.max_turns} turn{'' if m.max_turns == 1 else 's'}")

    @staticmethod
    def _check_not_ahead(m: WargameModel, turn: int | None) -> None:
        """409 for a `turn` the game has not reached (the turn checks' other message says it has been resolved)."""
        if turn is not None and turn > m.turn:
            raise ApiError(409, f"turn: turn {turn} has not been played yet; the game is at turn {m.turn}")

    def _check_step(self, m: WargameModel, turn: int | None) -> None:
        self._check_not_ahead(m, turn)
        if turn is not None and turn != m.turn:
            raise ApiError(409, f"turn: the step from turn {turn} has already been resolved; the game is at turn "
                                f"{m.turn}")
        self._check_open(m)
        waiting = m.waiting_for()
        if waiting:
            raise ApiError(409, f"orders pending: waiting for {', '.join(waiting)} to submit orders for turn "
                                f"{m.turn + 1}")

    def step(self, game_id: str, turn: int | None = None, owner_token: str | None = None) -> str:
        """Resolve the coming turn (AI-only games, or when every human seat has submitted); the owner only. The new
        state as JSON text."""
        with self.live(game_id, head=True,
                       check=lambda row: check_owner(row.owner_hash, owner_token, "this game", "step it")) as (row, m):
            self._check_step(m, turn)
            return self._resolve_text(row, m)[1]

    def run(self, game_id: str, owner_token: str | None = None, turn: int | None = None) -> dict[str, Any]:
        """Play an AI-only game to its end (each turn committed as it resolves); the owner only; the final state.
        A `turn` other than the game's is a 409, as for step (a second click finds the game at its end)."""
        with self.live(game_id, head=True,
                       check=lambda row: check_owner(row.owner_hash, owner_token, "this game", "run it")) as (row, m):
            if row.human:
                raise ApiError(409, f"run is for AI-only games; this game has human seats ({', '.join(row.human)})")
            self._check_step(m, turn)
            state: dict[str, Any] = {}
            while not m.done:
                state = self._resolve(row, m)
            return state

    def check_autoplay(self, game_id: str, owner_token: str | None) -> bool:
        """Whether a stream may advance this AI-only game (its owner asks); 409 when the owner asks it of a game with
        human seats, 403 for a wrong owner token. Without a token a stream only watches, any game (a watcher asked
        for no autoplay, so a game's human seats are no reason to refuse it)."""
        row = self._head(game_id)
        if owner_token:
            if row.human:
                raise ApiError(409, f"autoplay is for AI-only games; this game has human seats "
                                    f"({', '.join(row.human)})")
            check_owner(row.owner_hash, owner_token, "this game", "autoplay it")
            return True
        if row.human:
            return False
        return not row.owner_hash and is_owner(row.owner_hash, None)   # a game from before owners: as before

    def claim_autoplay(self, game_id: str) -> bool:
        """Become the one stream advancing this game (False when another one is): one autoplay per game."""
        with self._locks_guard:
            if game_id in self._drivers:
                return False
            self._drivers.add(game_id)
            return True

    def release_autoplay(self, game_id: str) -> None:
        with self._locks_guard:
            self._drivers.discard(game_id)

    def wait_for_change(self, timeout: float) -> None:
        """Sleep until a turn is committed or a game deleted anywhere (or `timeout` seconds): watchers' pace."""
        with self.changed:
            self.changed.wait(timeout)

    def autoplay_step(self, game_id: str) -> tuple[dict[str, Any], str] | None:
        """One autoplay turn: the new state (and as JSON text), or None when the game has ended."""
        with self.live(game_id, head=True) as (row, m):
            if m.done:
                return None
            return self._resolve_text(row, m)

    # ------------------------------------------------------------------------------------ export/import
    def export(self, game_id: str) -> dict[str, Any]:
        row = self._row(game_id)
        return export_of(row)

    def import_game(self, exp: ExportOut) -> dict[str, Any]:
        """A new game replayed from an export: same scenario, seed and orders give the identical state.

        The scenario keeps its identity by content: the export's id and name count only when its YAML resolves to
        exactly the library's scenario of that id; any other YAML becomes its own imported scenario
        (`imported-<hash>`), so a forged file can never pass for a built-in. Orders are refused, never dropped,
        for actors the scenario does not have and for computer-played actors whose recorded orders are not what
        the computer plays on the replay (an edited file, or one from another version of the model), missing ones
        included: a month without an actor the computer moves is refused like one with other orders."""
        sc, errors = self.library.check_text(exp.scenario_yaml)
        if sc is None:
            first = errors[0]
            where = f"line {first.line}: " if first.line else ""
            raise ApiError(400, f"scenario_yaml: {where}{first.field + ': ' if first.field else ''}{first.message}",
                           errors=[e.model_dump() for e in errors])
        actors = list(sc.actors)
        self._check_human(list(exp.human), actors)
        if len(exp.orders) > exp.turns:
            raise ApiError(400, f"orders: {len(exp.orders)} turns of orders, but the game has only {exp.turns} turns")
        text = resolved_text(sc)
        digest = sha256(text)
        scenario_id, scenario_name = self._imported_identity(exp.scenario, sc.name, digest)
        m = WargameModel(sc, seed=exp.seed, turns=exp.turns, human=tuple(exp.human))
        snapshots = [Snapshot(0, dumps(m.state()), dumps(m.last_record))]
        given_points = [p.model_dump() for p in exp.forks]
        points = self._import_forks(given_points, len(exp.orders))
        for n, entry in enumerate(exp.orders):
            m = forked_at(m, points)
            if entry.turn != n + 1:
                raise ApiError(400, f"orders.{n}.turn: expected {n + 1}, got {entry.turn}")
            for actor in entry.orders:
                if actor not in sc.actors:
                    raise ApiError(400, f"orders.{n}.orders.{actor}: unknown actor {actor!r}; expected one of "
                                        f"{', '.join(actors)}")
            for h in m.human:
                try:
                    m.submit_orders(h, [o.to_dict() for o in entry.orders.get(h, [])])
                except UserError as exc:
                    raise ApiError(400, f"orders.{n}.orders.{h}: {exc}") from None
            m.step()
            given = {a: [o.to_dict() for o in os] for a, os in entry.orders.items()}
            differ = computer_orders_differ(m, given)      # a missing actor as well
            if differ:
                actor, mine, played = differ[0]
                raise ApiError(400, f"orders.{n}.orders.{actor}: {actor} is played by the computer in this "
                                    f"game, which gives {_shown_orders(played)} at turn {n + 1} "
                                    f"where the file says {_shown_orders(mine)}; a computer-played actor's "
                                    "orders are only a record, so an edited file or one made by another "
                                    f"version of the model cannot be replayed (list {actor} in human to play "
                                    "these orders as a seat)")
            snapshots.append(Snapshot(m.turn, dumps(m.state()), dumps(m.last_record)))
        m = forked_at(m, points)
        given_log = [{"turn": e.turn, "orders": {a: [o.to_dict() for o in os] for a, os in e.orders.items() if os}}
                     for e in exp.orders]
        stamp = now()
        row = GameRow(id="", scenario=scenario_id, scenario_name=scenario_name, scenario_yaml=text,
                      scenario_hash=digest, seed=exp.seed, turns=m.max_turns, human=list(exp.human),
                      token_hashes={}, orders_log=m.orders_log, turn=m.turn,
                      status=status_of(m), created=stamp, updated=stamp, fork_points=given_points)
        return {**self.add_game(row, snapshots, m), "scenario": scenario_id, "scenario_name": scenario_name,
                "replayed_identically": given_log == m.orders_log}

    @staticmethod
    def _import_forks(points: builtins.list[dict[str, int]], played: int) -> dict[int, builtins.list[int]]:
        """An export's fork points by month (the streams a forked game replays with); 400 naming forks.<n>."""
        last = -1
        for n, p in enumerate(points):
            if p["turn"] < last or p["turn"] > played:
                raise ApiError(400, f"forks.{n}.turn: fork points go in order of month, within the {played} played "
                                    f"months; got {p['turn']}")
            last = p["turn"]
        return fork_streams(points)

    # ------------------------------------------------------------------------------------------- forks
    def fork(self, game_id: str, turn: int | None) -> dict[str, Any]:
        """A new game that replays this one to month `turn` (default: its current month) and then goes its own way
        on its own random stream (WargameModel.fork with the parent's next stream number, so repeated forks at one
        month differ). Its seats get new tokens, returned only here, and it gets its own owner token. Pending
        orders of the parent's coming month stay the parent's (they are secret and not part of the month)."""
        row = self._row(game_id)
        at = row.turn if turn is None else turn
        if at > row.turn:
            raise ApiError(400, f"turn: month {at} has not been played yet; the game is at month {row.turn}")
        try:
            sc = self.library.stored(row.scenario_yaml, row.scenario_hash)
        except UserError as exc:
            raise ApiError(409, "this game's scenario is not valid for this version of the wargame "
                                f"({str(exc).splitlines()[0][:300]}), so it cannot be forked") from None
        try:
            base = WargameModel.from_export(export_of(row), turn=at, scenario=sc)
        except UserError as exc:   # the model changed since these months were played: the replay differs
            log.warning("game %s cannot be forked by this version of the model: %s", row.id, exc)
            raise ApiError(409, "this game was played with an earlier version of the model, whose replay differs, "
                                "so it cannot be forked; its turns stay viewable and exportable") from None
        stream = self.store.next_fork_stream(game_id)
        if stream < 0:
            raise ApiError(404, f"unknown game {game_id!r}")
        child = base.fork(stream=stream)
        stamp = now()
        new = GameRow(id="", scenario=row.scenario, scenario_name=row.scenario_name, scenario_yaml=row.scenario_yaml,
                      scenario_hash=row.scenario_hash, seed=row.seed, turns=row.turns, human=list(row.human),
                      token_hashes={}, orders_log=child.orders_log, turn=at, status=status_of(child), created=stamp,
                      updated=stamp, parent=game_id, parent_turn=at, fork_points=fork_points(child))
        links = self.add_game(new, [], child, copy_from=game_id)
        return {**links, "parent": game_id, "parent_turn": at, "stream": stream,
                "links": {"game": links["watch_url"], "parent": f"/game/{game_id}",
                          "family": f"/api/games/{links['id']}/family",
                          "export": f"/api/games/{links['id']}/export", "seats": links["seat_urls"]}}

    def _imported_identity(self, claimed: str, name: str, digest: str) -> tuple[str, str]:
        """(id, name) of an imported game's scenario: the library's when the content is the same, else its own."""
        try:
            res = self.library.resolve(claimed)
        except ApiError:            # no such scenario here, or it is invalid now
            res = None
        if res is not None and res.sha256 == digest:
            return res.id, res.name
        return f"{IMPORTED_PREFIX}{digest[:12]}", f"{name} (imported)"


def export_of(row: GameRow) -> dict[str, Any]:
    """A stored game as an export (GET /api/games/<id>/export), with `forks` for a forked game."""
    out = {"format": EXPORT_FORMAT, "scenario": row.scenario, "scenario_yaml": row.scenario_yaml,
           "seed": row.seed, "turns": row.turns, "human": row.human, "orders": row.orders_log}
    if row.fork_points:
        out["forks"] = row.fork_points
    return out


def fork_streams(points: list[dict[str, int]]) -> dict[int, list[int]]:
    """Fork points [{turn, stream}] as {turn: [stream, ...]} in order."""
    out: dict[int, list[int]] = {}
    for p in points:
        out.setdefault(int(p["turn"]), []).append(int(p["stream"]))
    return out


def forked_at(m: WargameModel, points: dict[int, list[int]]) -> WargameModel:
    """The model re-forked at its current month for each fork point there (itself when there is none)."""
    for stream in points.get(m.turn, ()):
        m = m.fork(stream=stream)
    return m


def _shown_orders(orders: list[dict]) -> str:
    text = json.dumps(orders, separators=(",", ":")) if orders else "no orders"
    return text if len(text) <= 200 else text[:197] + "..."
