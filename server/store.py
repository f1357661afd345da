"""The SQLite game store: games, per-turn snapshots and pending orders, so a restart loses nothing.

One transaction per state change (create, submit orders, resolve a turn), in WAL mode: a crash mid-turn leaves the
game at its last committed turn with every submitted order still pending. Snapshots keep each turn's state and
indicator row as JSON text, so watching, looking back (`?turn=N`) and the history never recompute anything. A
game's resolved scenario text (game_texts) and its orders log (game_orders, a row per month) are kept apart from its
row, which every resolved turn updates.
Only hashes of seat and owner tokens are stored. The schema is versioned (`PRAGMA user_version`) and upgraded step
by step when a database is opened (MIGRATIONS), so games saved by an earlier version play on.
"""
from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from model import UserError

DB_NAME = "games.sqlite3"
WRITE_LOCK_NAME = "games.write-lock"   # the workers' write queue (Store(shared=True))
BUSY_TIMEOUT_MS = 10_000
CHECKPOINT_SECONDS = 2.0     # a server's background WAL checkpoints (Store.checkpoint_in_background)

# The schema grows by steps: MIGRATIONS[k] takes a database at `PRAGMA user_version` k to k + 1, in one transaction,
# so a database written by any earlier version is upgraded in order when it is opened (a new one goes through all
# of them). To change the schema, append a step; never edit a step that has been released, since databases in use
# have already gone through it. Each step is a list of SQL statements (DDL is transactional in SQLite).
MIGRATIONS: list[list[str]] = [
    [  # 0 -> 1: games, their per-turn snapshots and pending orders (IF NOT EXISTS: databases from before versioning)
        """CREATE TABLE IF NOT EXISTS games (
            id            TEXT PRIMARY KEY,
            scenario      TEXT NOT NULL,              -- scenario id the game was created from (display, export)
            scenario_name TEXT NOT NULL,
            scenario_yaml TEXT NOT NULL,              -- the resolved scenario: the game never depends on files again
            scenario_hash TEXT NOT NULL,              -- sha256 of scenario_yaml
            seed          INTEGER NOT NULL,
            turns         INTEGER NOT NULL,
            human         TEXT NOT NULL,              -- JSON list of actor ids
            token_hashes  TEXT NOT NULL,              -- JSON {actor: sha256 hex of the seat token}
            orders_log    TEXT NOT NULL,              -- JSON model.orders_log of every resolved turn
            turn          INTEGER NOT NULL,           -- last completed turn
            status        TEXT NOT NULL,              -- waiting | ready | finished
            created       TEXT NOT NULL,
            updated       TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS snapshots (
            game_id TEXT NOT NULL REFERENCES games(id) ON DELETE CASCADE,
            turn    INTEGER NOT NULL,
            state   TEXT NOT NULL,                    -- JSON model.state() after the turn
            record  TEXT NOT NULL,                    -- JSON indicator row of the turn
            PRIMARY KEY (game_id, turn)
        )""",
        """CREATE TABLE IF NOT EXISTS pending (
            game_id   TEXT NOT NULL REFERENCES games(id) ON DELETE CASCADE,
            turn      INTEGER NOT NULL,               -- the coming turn the orders are for
            actor     TEXT NOT NULL,
            orders    TEXT NOT NULL,                  -- JSON list of order dicts
            submitted TEXT NOT NULL,
            seq       INTEGER NOT NULL,               -- submission order, to re-apply in the same order
            PRIMARY KEY (game_id, turn, actor)
        )""",
        "CREATE INDEX IF NOT EXISTS games_created ON games(created)",
    ],
    [  # 1 -> 2: the owner of a game (sha256 hex of its owner token; '' for games created before owners existed)
        "ALTER TABLE games ADD COLUMN owner_hash TEXT NOT NULL DEFAULT ''",
    ],
    [  # 2 -> 3: forks (issue 11). A fork keeps the game it came from and the month it left it; fork_points (JSON
       # [{turn, stream}], model.fork_points) replay its own random streams; forks_made numbers the forks made of
       # this game, so repeated forks at one month get different streams. Games before forks: no parent, no points.
        "ALTER TABLE games ADD COLUMN parent TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE games ADD COLUMN parent_turn INTEGER",
        "ALTER TABLE games ADD COLUMN fork_points TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE games ADD COLUMN forks_made INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX IF NOT EXISTS games_parent ON games(parent)",
    ],
    [  # 3 -> 4: each game's resolved scenario (~84 KB for the baseline) moves out of its games row into
       # game_texts, so resolving a turn, which updates the row (turn, status, orders log), no longer rewrites the
       # text's pages; games.scenario_yaml stays as '' (reads take the text from game_texts).
        """CREATE TABLE IF NOT EXISTS game_texts (
            game_id       TEXT PRIMARY KEY REFERENCES games(id) ON DELETE CASCADE,
            scenario_yaml TEXT NOT NULL               -- the resolved scenario (games.scenario_hash is its sha256)
        )""",
        "INSERT INTO game_texts (game_id, scenario_yaml) SELECT id, scenario_yaml FROM games",
        "UPDATE games SET scenario_yaml = ''",
    ],
    [  # 4 -> 5: each game's orders log moves out of its games row into game_orders, one row per played month, so
       # resolving a turn adds that month's orders instead of writing the whole log again; games.orders_log stays
       # as '[]' (reads gather the log from game_orders).
        """CREATE TABLE IF NOT EXISTS game_orders (
            game_id TEXT NOT NULL REFERENCES games(id) ON DELETE CASCADE,
            turn    INTEGER NOT NULL,                 -- the month these orders played (1 for the first)
            entry   TEXT NOT NULL,                    -- JSON entry of model.orders_log: {turn, orders}
            PRIMARY KEY (game_id, turn)
        )""",
        "INSERT INTO game_orders (game_id, turn, entry) SELECT g.id, CAST(e.key AS INTEGER) + 1, e.value "
        "FROM games g, json_each(g.orders_log) e",
        "UPDATE games SET orders_log = '[]'",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)     # the version this code writes and reads
GAME_SQL = ("SELECT g.id, g.scenario, g.scenario_name, COALESCE(t.scenario_yaml, '') AS scenario_yaml, "
            "g.scenario_hash, g.seed, g.turns, g.human, g.token_hashes, '[]' AS orders_log, g.turn, g.status, "
            "g.created, g.updated, g.owner_hash, g.parent, g.parent_turn, g.fork_points, g.forks_made FROM games g "
            "LEFT JOIN game_texts t ON t.game_id = g.id WHERE g.id = ?")   # Store.game (a missing text fails its hash)
ORDERS_SQL = "SELECT entry FROM game_orders WHERE game_id = ? ORDER BY turn"      # Store.game's orders log
HEAD_SQL = ("SELECT id, scenario, scenario_name, '' AS scenario_yaml, scenario_hash, seed, turns, human, token_hashes, "
            "'[]' AS orders_log, turn, status, created, updated, owner_hash, parent, parent_turn, fork_points, "
            "forks_made FROM games WHERE id = ?")       # Store.head


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _plain(value: Any) -> Any:
    """What dumps writes for a value JSON has no type for: a numpy scalar's Python value, else its str()."""
    return value.item() if hasattr(value, "item") else str(value)


# orjson writes what json.dumps(separators=(",", ":")) wrote, parsed back the same, about 8 times faster (a turn's
# state is the largest thing a step writes; it went from ~0.4 to ~0.05 ms). Dates and dataclasses go to _plain as
# they did with json; the text differs only in form (UTF-8 rather than \u escapes, 1e-5 rather than 1e-05).
DUMPS_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def dumps(value: Any) -> str:
    """Compact JSON text of a state, record, orders log or other stored value."""
    return orjson.dumps(value, default=_plain, option=DUMPS_OPTIONS).decode("utf-8")


def _test_hook_slow_resolve(game_id: str, turn: int) -> None:
    """Test hook (tests/reliability only): WARGAME_TEST_SLOW_RESOLVE=<seconds> holds the transaction that commits a
    resolved turn open that long just before its COMMIT, so a test can kill the server in the middle of resolving a
    turn. Unset in normal use, when it costs one environment lookup per turn."""
    delay = os.environ.get("WARGAME_TEST_SLOW_RESOLVE")
    if delay:
        print(f"test hook: game {game_id} turn {turn} written, holding its transaction open {delay} s before COMMIT",
              file=sys.stderr, flush=True)
        time.sleep(float(delay))


class AlreadySubmitted(Exception):
    """A seat submitted twice for the same turn (the primary key refused the second row)."""


@dataclass
class GameRow:
    id: str
    scenario: str
    scenario_name: str
    scenario_yaml: str
    scenario_hash: str
    seed: int
    turns: int
    human: list[str]
    token_hashes: dict[str, str]
    orders_log: list[dict]
    turn: int
    status: str
    created: str
    updated: str
    owner_hash: str = ""      # '' for a game created before games had owners
    parent: str = ""          # the game this one was forked from ('' for none)
    parent_turn: int | None = None   # the month of the parent it was forked at
    fork_points: list[dict] = field(default_factory=list)   # [{turn, stream}] that replay a fork's streams
    forks_made: int = 0       # forks made of this game so far (the next fork's stream number)

    @classmethod
    def from_sql(cls, r: sqlite3.Row) -> GameRow:
        return cls(id=r["id"], scenario=r["scenario"], scenario_name=r["scenario_name"],
                   scenario_yaml=r["scenario_yaml"], scenario_hash=r["scenario_hash"], seed=r["seed"],
                   turns=r["turns"], human=json.loads(r["human"]), token_hashes=json.loads(r["token_hashes"]),
                   orders_log=json.loads(r["orders_log"]), turn=r["turn"], status=r["status"],
                   created=r["created"], updated=r["updated"], owner_hash=r["owner_hash"], parent=r["parent"],
                   parent_turn=r["parent_turn"], fork_points=json.loads(r["fork_points"]),
                   forks_made=r["forks_made"])


@dataclass
class Snapshot:
    turn: int
    state: str        # JSON text
    record: str       # JSON text


class Store:
    """Thread-safe access to the games database (one connection per thread, WAL, explicit transactions)."""

    def __init__(self, data_dir: str | Path, shared: bool = False) -> None:
        self.path = Path(data_dir) / DB_NAME
        self._local = threading.local()
        # This process's writers queue here rather than in SQLite's busy handler, which sleeps in steps of up to
        # 100 ms and so made the slowest of ten concurrent steps wait far longer than the work (one server per data
        # dir, so the other writers SQLite must still allow for are rare: an upgrade, a second tool).
        self._write_lock = threading.Lock()
        # shared=True (the workers of `wargame serve --workers N`): the writers of the other processes queue on an
        # flock of WRITE_LOCK_NAME too, which the kernel hands over at once, rather than in that busy handler.
        self._shared_lock: int | None = None
        if shared:
            self._shared_lock = os.open(Path(data_dir) / WRITE_LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        self._checkpointer: threading.Thread | None = None
        try:
            self.upgrade()
        except sqlite3.Error as exc:
            raise UserError(f"cannot open the games database: {exc}", file=str(self.path)) from None

    # -------------------------------------------------------------------------------------- versions
    def version(self) -> int:
        return int(self._db().execute("PRAGMA user_version").fetchone()[0])

    def _refuse_newer(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise UserError(f"the games database has schema version {version}, newer than this version of the "
                            f"wargame reads (up to {SCHEMA_VERSION}); upgrade the wargame, or use another --data-dir",
                            file=str(self.path))

    def upgrade(self) -> int:
        """Bring the database to SCHEMA_VERSION one step at a time; returns the number of steps applied.

        Each step runs in its own write transaction and re-reads the version inside it, so several processes
        opening the same database at once apply every step exactly once, and a crash leaves a whole version."""
        applied = 0
        self._refuse_newer(self.version())
        while self.version() < SCHEMA_VERSION:
            with self.transaction() as db:
                current = int(db.execute("PRAGMA user_version").fetchone()[0])   # another process may be ahead
                if current >= SCHEMA_VERSION:
                    break
                for statement in MIGRATIONS[current]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {current + 1}")
            applied += 1
        self._refuse_newer(self.version())
        return applied

    # ------------------------------------------------------------------------------------ connections
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                 check_same_thread=True)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")   # WAL + NORMAL: durable across process crashes
            db.execute("PRAGMA foreign_keys=ON")
            db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if self._checkpointer is not None:     # the checkpoint thread copies the WAL back, not the request
                db.execute("PRAGMA wal_autocheckpoint=0")
            self._local.db = db
        return db

    def checkpoint_in_background(self, every: float = CHECKPOINT_SECONDS) -> None:
        """Copy the WAL into the database from a thread of its own every `every` seconds (a passive checkpoint, which
        never blocks readers or writers), instead of inside whichever commit crosses SQLite's threshold: that commit
        used to wait for the copy and its fsync, and so did every writer queued behind it (a server's slowest steps).
        For servers (wargame serve), whose threads keep their connections."""
        if self._checkpointer is not None:
            return

        def run() -> None:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            failing = ""
            while True:
                time.sleep(every)
                try:
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                    failing = ""
                except sqlite3.Error as exc:      # e.g. a full disk: the WAL keeps the data; try again later
                    if str(exc) != failing:       # once per new problem, not every few seconds
                        print(f"WAL checkpoint failed (retrying): {exc}", file=sys.stderr, flush=True)
                    failing = str(exc)

        self._checkpointer = threading.Thread(target=run, name="wal-checkpoint", daemon=True)
        self._checkpointer.start()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error: all of a state change or none of it."""
        db = self._db()
        with self._write_lock:
            if self._shared_lock is not None:
                fcntl.flock(self._shared_lock, fcntl.LOCK_EX)
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:     # SQLite has already rolled back after SQLITE_FULL, IOERR, NOMEM, ...
                        db.execute("ROLLBACK")
                    raise
            finally:
                if self._shared_lock is not None:
                    fcntl.flock(self._shared_lock, fcntl.LOCK_UN)

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: several SELECTs see one consistent version of the database."""
        db = self._db()
        db.execute("BEGIN")
        try:
            yield db
        finally:
            db.execute("COMMIT")

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # ---------------------------------------------------------------------------------------- writes
    def create_game(self, row: GameRow, snapshots: list[Snapshot], copy_from: str | None = None) -> None:
        """Insert a new game with its snapshots (turn 0, or every replayed turn of an import) at once; a fork copies
        the snapshots of months 0 to row.turn from the game `copy_from` instead (the same states, in SQL)."""
        with self.transaction() as db:
            db.execute("INSERT INTO games (id, scenario, scenario_name, scenario_yaml, scenario_hash, seed, turns, "
                       "human, token_hashes, orders_log, turn, status, created, updated, owner_hash, parent, "
                       "parent_turn, fork_points, forks_made) VALUES (?,?,?,'',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       (row.id, row.scenario, row.scenario_name, row.scenario_hash, row.seed,
                        row.turns, dumps(row.human), dumps(row.token_hashes), "[]", row.turn,
                        row.status, row.created, row.updated, row.owner_hash, row.parent, row.parent_turn,
                        dumps(row.fork_points), row.forks_made))
            db.execute("INSERT INTO game_texts (game_id, scenario_yaml) VALUES (?, ?)", (row.id, row.scenario_yaml))
            db.executemany("INSERT INTO game_orders (game_id, turn, entry) VALUES (?,?,?)",
                           [(row.id, n, dumps(entry)) for n, entry in enumerate(row.orders_log, 1)])
            if copy_from is not None:
                copied = db.execute("INSERT INTO snapshots (game_id, turn, state, record) SELECT ?, turn, state, "
                                    "record FROM snapshots WHERE game_id = ? AND turn <= ?",
                                    (row.id, copy_from, row.turn)).rowcount
                if copied != row.turn + 1:
                    raise RuntimeError(f"game {copy_from} has {copied} snapshots of months 0 to {row.turn}")
            db.executemany("INSERT INTO snapshots (game_id, turn, state, record) VALUES (?,?,?,?)",
                           [(row.id, s.turn, s.state, s.record) for s in snapshots])

    def next_fork_stream(self, game_id: str) -> int:
        """Take the next fork stream number of a game (0 for its first fork): each fork made of one game gets its
        own, even two forks at the same month or after a fork was deleted. -1 when there is no such game."""
        with self.transaction() as db:
            r = db.execute("UPDATE games SET forks_made = forks_made + 1 WHERE id = ? RETURNING forks_made",
                           (game_id,)).fetchall()     # every row read before COMMIT
        return int(r[0][0]) - 1 if r else -1

    def delete_game(self, game_id: str) -> bool:
        """Remove a game with its snapshots and pending orders in one transaction; False if there was none."""
        with self.transaction() as db:
            db.execute("DELETE FROM snapshots WHERE game_id = ?", (game_id,))
            db.execute("DELETE FROM pending WHERE game_id = ?", (game_id,))
            db.execute("DELETE FROM game_texts WHERE game_id = ?", (game_id,))
            db.execute("DELETE FROM game_orders WHERE game_id = ?", (game_id,))
            return db.execute("DELETE FROM games WHERE id = ?", (game_id,)).rowcount == 1

    def add_pending(self, game_id: str, turn: int, actor: str, orders: list[dict], status: str) -> None:
        """Record a seat's orders for the coming turn (durable before the turn resolves)."""
        try:
            with self.transaction() as db:
                seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM pending WHERE game_id = ?",
                                 (game_id,)).fetchone()[0]
                db.execute("INSERT INTO pending (game_id, turn, actor, orders, submitted, seq) VALUES (?,?,?,?,?,?)",
                           (game_id, turn, actor, dumps(orders), now(), seq))
                db.execute("UPDATE games SET status = ?, updated = ? WHERE id = ?", (status, now(), game_id))
        except sqlite3.IntegrityError:
            raise AlreadySubmitted(actor) from None

    def remove_pending(self, game_id: str, turn: int, actor: str, status: str) -> bool:
        """Withdraw a seat's orders for the coming turn (before it resolves); False if there were none."""
        with self.transaction() as db:
            gone = db.execute("DELETE FROM pending WHERE game_id = ? AND turn = ? AND actor = ?",
                              (game_id, turn, actor)).rowcount == 1
            if gone:
                db.execute("UPDATE games SET status = ?, updated = ? WHERE id = ?", (status, now(), game_id))
            return gone

    def commit_turn(self, game_id: str, snapshot: Snapshot, orders: dict, status: str) -> None:
        """A resolved turn in one transaction: its snapshot, its entry of the orders log (`orders`, the model's
        orders_log[-1]), the new turn, pending orders cleared."""
        with self.transaction() as db:
            cur = db.execute("UPDATE games SET turn = ?, status = ?, updated = ? WHERE id = ? AND turn = ?",
                             (snapshot.turn, status, now(), game_id, snapshot.turn - 1))
            if cur.rowcount != 1:
                raise RuntimeError(f"game {game_id} is not at turn {snapshot.turn - 1}; turn not committed")
            db.execute("INSERT INTO snapshots (game_id, turn, state, record) VALUES (?,?,?,?)",
                       (game_id, snapshot.turn, snapshot.state, snapshot.record))
            db.execute("INSERT INTO game_orders (game_id, turn, entry) VALUES (?,?,?)",
                       (game_id, snapshot.turn, dumps(orders)))
            db.execute("DELETE FROM pending WHERE game_id = ? AND turn <= ?", (game_id, snapshot.turn))
            _test_hook_slow_resolve(game_id, snapshot.turn)

    # ----------------------------------------------------------------------------------------- reads
    def game(self, game_id: str) -> GameRow | None:
        """The whole game: its row, its scenario text and its orders log (for a rebuild, an export or a fork)."""
        with self.reading() as db:
            r = db.execute(GAME_SQL, (game_id,)).fetchone()
            if r is None:
                return None
            row = GameRow.from_sql(r)
            row.orders_log = [json.loads(e["entry"]) for e in db.execute(ORDERS_SQL, (game_id,))]
        return row

    def head(self, game_id: str) -> GameRow | None:
        """The game without its two large fields (scenario_yaml '' and orders_log []): what checking a token and
        playing a live game's turn read, so a step neither copies the scenario's text nor parses every turn's
        orders (game() reads them, for a rebuild, an export or a fork)."""
        r = self._db().execute(HEAD_SQL, (game_id,)).fetchone()
        return GameRow.from_sql(r) if r else None

    def exists(self, game_id: str) -> bool:
        return self._db().execute("SELECT 1 FROM games WHERE id = ?", (game_id,)).fetchone() is not None

    def pending(self, game_id: str, turn: int) -> list[tuple[str, list[dict]]]:
        """(actor, orders) submitted for `turn`, in submission order."""
        rows = self._db().execute("SELECT actor, orders FROM pending WHERE game_id = ? AND turn = ? ORDER BY seq",
                                  (game_id, turn)).fetchall()
        return [(r["actor"], json.loads(r["orders"])) for r in rows]

    def current(self, game_id: str, turn: int | None = None) -> tuple[GameRow, Snapshot | None, list[str]] | None:
        """The game (as head() reads it), the snapshot of `turn` (default: its current turn) and the seats that
        submitted, consistently."""
        with self.reading() as db:
            r = db.execute(HEAD_SQL, (game_id,)).fetchone()
            if r is None:
                return None
            row = GameRow.from_sql(r)
            t = row.turn if turn is None else turn
            s = db.execute("SELECT turn, state, record FROM snapshots WHERE game_id = ? AND turn = ?",
                           (game_id, t)).fetchone()
            submitted = [x["actor"] for x in db.execute(
                "SELECT actor FROM pending WHERE game_id = ? AND turn = ?", (game_id, row.turn + 1))]
        return row, (Snapshot(s["turn"], s["state"], s["record"]) if s else None), submitted

    def record(self, game_id: str, turn: int) -> dict[str, Any] | None:
        """The stored indicator record of one turn, or None."""
        r = self._db().execute("SELECT record FROM snapshots WHERE game_id = ? AND turn = ?",
                               (game_id, turn)).fetchone()
        return json.loads(r["record"]) if r else None

    def history(self, game_id: str) -> list[str]:
        """The indicator record (JSON text) of every played turn, turn 0 first."""
        rows = self._db().execute("SELECT record FROM snapshots WHERE game_id = ? ORDER BY turn",
                                  (game_id,)).fetchall()
        return [r["record"] for r in rows]

    def list_games(self, limit: int, offset: int = 0,
                   name_chars: int = 120) -> tuple[list[tuple[GameRow, list[str]]], int]:
        """One page of games (newest first) with the seats that have submitted for its coming turn, and the number
        of games in all. Scenario names are cut to `name_chars` in SQL, so a page stays small whatever they hold."""
        with self.reading() as db:
            total = db.execute("SELECT COUNT(*) FROM games").fetchone()[0]
            games = [GameRow.from_sql(r) for r in db.execute(
                "SELECT id, scenario, substr(scenario_name, 1, ?) AS scenario_name, '' AS scenario_yaml, "
                "scenario_hash, seed, turns, human, '{}' AS token_hashes, '[]' AS orders_log, turn, status, created, "
                "updated, owner_hash, parent, parent_turn, '[]' AS fork_points, forks_made FROM games "
                "ORDER BY created DESC, rowid DESC LIMIT ? OFFSET ?",
                (name_chars, limit, offset))]
            sub: dict[str, list[str]] = {}
            ids = [g.id for g in games]
            if ids:
                marks = ",".join("?" * len(ids))
                for r in db.execute(f"SELECT p.game_id, p.actor FROM pending p JOIN games g ON g.id = p.game_id "
                                    f"AND p.turn = g.turn + 1 WHERE p.game_id IN ({marks}) ORDER BY p.seq", ids):
                    sub.setdefault(r["game_id"], []).append(r["actor"])
        return [(g, sub.get(g.id, [])) for g in games], total

    def progress(self, game_id: str) -> tuple[int, str] | None:
        """(turn, status) of a game, or None when there is none: what a watching stream polls."""
        r = self._db().execute("SELECT turn, status FROM games WHERE id = ?", (game_id,)).fetchone()
        return (r["turn"], r["status"]) if r else None

    def forks_of(self, game_id: str, limit: int) -> tuple[list[dict[str, Any]], int]:
        """The games forked from this one (oldest first, at most `limit`) and how many there are."""
        with self.reading() as db:
            total = db.execute("SELECT COUNT(*) FROM games WHERE parent = ?", (game_id,)).fetchone()[0]
            rows = db.execute("SELECT id, parent_turn, turn, turns, status, human, created FROM games WHERE parent = ? "
                              "ORDER BY created, rowid LIMIT ?", (game_id, limit)).fetchall()
        return [{"id": r["id"], "parent_turn": r["parent_turn"], "turn": r["turn"], "max_turns": r["turns"],
                 "status": r["status"], "human": json.loads(r["human"]), "created": r["created"]} for r in rows], total

    def game_ids(self) -> list[str]:
        return [r["id"] for r in self._db().execute("SELECT id FROM games ORDER BY created")]

    def recoverable(self) -> list[str]:
        """Games with human seats whose coming turn is ready to resolve (a stop came between submit and resolve)."""
        return [r["id"] for r in self._db().execute(
            "SELECT id FROM games WHERE status = 'ready' AND human != '[]' ORDER BY created")]
