"""server.shards: which worker owns what, the ids a worker makes, the shared connection counts, the router's own
rule (a request forwarded by another worker carries the run's secret), and the store's cross-process write queue."""
from __future__ import annotations

import io
import os
import secrets
import threading
from pathlib import Path

import pytest

from server import create_app
from server.shards import SECRET_HEADER, Balance, ShardRouter, Shards, shard_of
from server.store import Store


def shards(index: int = 0, count: int = 2) -> Shards:
    return Shards(index, count, "s3cret", tuple(range(1, count + 1)))


def test_owner_is_a_pure_function_of_the_id_spread_over_the_workers():
    ids = [secrets.token_urlsafe(6) for _ in range(400)]
    assert [shard_of(i, 2) for i in ids] == [shard_of(i, 2) for i in ids]
    assert shard_of("abc", 3) == shard_of("abc", 3) == 0x352441C2 % 3          # crc32, never Python's hash()
    counts = [sum(shard_of(i, 2) == k for i in ids) for k in range(2)]
    assert min(counts) > 120                                                   # roughly half each


def test_a_worker_makes_ids_it_owns():
    for k in range(3):
        s = shards(k, 3)
        made = [s.new_id(lambda: secrets.token_urlsafe(6)) for _ in range(30)]
        assert all(shard_of(i, 3) == k and s.owns(i) for i in made)


def test_routes_games_and_jobs_by_id_experiments_to_worker_0_and_the_rest_anywhere():
    s = shards(1, 2)
    gid = "Abcdefgh"
    assert s.target(f"/api/games/{gid}") == shard_of(gid, 2)
    assert s.target(f"/api/games/{gid}/step") == shard_of(gid, 2)
    assert s.target(f"/api/games/{gid}/seats/SYR/orders") == shard_of(gid, 2)
    assert s.target("/api/futures/JOBJOBJOB/events") == shard_of("JOBJOBJOB", 2)
    assert s.target("/api/experiments/x/cancel") == 0 and s.target("/experiments") == 0
    assert s.target("/api/forecast") == 0 and s.target("/api/forecast/questions") == 0   # reuse needs one keeper
    for anywhere in ("/api/games", "/api/games/import", "/api/games/from-yaml", "/api/scenarios", "/", "/game/x",
                     "/static/js/app.js"):
        assert s.target(anywhere) is None, anywhere


def test_balance_lets_a_worker_accept_unless_one_with_fewer_connections_is_listening():
    fds = Balance.create(2)
    try:
        a, b = Balance(fds, 0, 2), Balance(fds, 1, 2)
        assert a.may_accept(5)                      # b has not started: it counts as full
        assert b.may_accept(3)                      # fewer than a: b listens
        assert not a.may_accept(5)                  # b has fewer and listens: a leaves the connection to b
        assert a.may_accept(3) and b.may_accept(3)  # ties: both
        assert b.may_accept(2) and not a.may_accept(4)
        assert not b.may_accept(2, able=False)      # b at waitress's own limit: not listening...
        assert a.may_accept(4)                      # ...so a takes connections though b has fewer
        assert not b.may_accept(6) and a.may_accept(4)   # b with more: it declines while a listens
    finally:
        for fd in fds:
            os.close(fd)


def test_balance_does_not_wait_for_a_worker_that_has_stopped_listening():
    """A worker that declined sleeps in its event loop without the accepting socket (up to waitress's 1 s loop
    timeout); the other must not decline for it, or a burst of connections is taken a second at a time (200
    half-sent requests held every other request for 12 s)."""
    fds = Balance.create(2)
    try:
        a, b = Balance(fds, 0, 2), Balance(fds, 1, 2)
        assert a.may_accept(1) and b.may_accept(1)
        assert not a.may_accept(2)      # a took one: b has fewer and listens, a declines (and sleeps)
        assert b.may_accept(2)          # b took one: a tie, b listens
        with pytest.raises(BlockingIOError):
            os.eventfd_read(a.wake_fd)  # (nobody woke a so far)
        assert b.may_accept(3)          # a has fewer but is not listening: b takes the next too...
        assert os.eventfd_read(a.wake_fd) >= 1   # ...and wakes a's event loop
        assert a.may_accept(2)          # a wakes with the fewest: it listens...
        assert not b.may_accept(3)      # ...and b leaves the next ones to it
    finally:
        for fd in fds:
            os.close(fd)


def call(app, environ: dict) -> tuple[str, bytes]:
    seen: dict[str, str] = {}

    def start_response(status: str, headers: list, exc_info: object = None) -> None:
        seen["status"] = status

    body = b"".join(app(environ, start_response))
    return seen["status"], body


def test_the_router_answers_its_own_and_forwarded_requests_and_forwards_the_rest(tmp_path: Path):
    app = create_app({"DATA_DIR": tmp_path})
    s = shards(0, 2)
    router = ShardRouter(app, s)
    base = {"REQUEST_METHOD": "GET", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "REMOTE_ADDR": "127.0.0.1"}
    mine = s.new_id(lambda: secrets.token_urlsafe(6))
    other = next(i for i in (secrets.token_urlsafe(6) for _ in range(100)) if not s.owns(i))
    assert call(router, {**base, "PATH_INFO": f"/api/games/{mine}"})[0].startswith("404")     # ours: asked locally
    status, body = call(router, {**base, "PATH_INFO": f"/api/games/{other}"})  # worker 1's: port 2 answers nothing
    assert status.startswith("503") and b"worker 1" in body
    key = "HTTP_" + SECRET_HEADER.upper().replace("-", "_")
    forwarded = {**base, "PATH_INFO": f"/api/games/{other}", key: s.secret, "HTTP_X_WARGAME_REMOTE": "10.0.0.9"}
    assert call(router, forwarded)[0].startswith("404")                          # forwarded to us: answered here
    forged = {**base, "PATH_INFO": f"/api/games/{other}", key: "guess"}
    assert call(router, forged)[0].startswith("503")                             # a guess is routed as usual


def test_shared_stores_queue_their_writers_on_one_lock(tmp_path: Path):
    stores = [Store(tmp_path, shared=True) for _ in range(2)]
    assert (tmp_path / "games.write-lock").exists()
    errors: list[BaseException] = []

    def write(store: Store, n: int) -> None:
        try:
            for k in range(40):
                with store.transaction() as db:
                    db.execute("CREATE TABLE IF NOT EXISTS t (k TEXT)")
                    db.execute("INSERT INTO t VALUES (?)", (f"{n}-{k}",))
        except BaseException as exc:
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=write, args=(s, n)) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with stores[0].reading() as db:
        assert db.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 80
