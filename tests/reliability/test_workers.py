"""`wargame serve --workers 2`: games sharded by id between two worker processes behind one port. Any connection
reaches every game (a worker forwards what another owns), the owner alone resolves a game's turns, streams work
through either worker, forged forwarding headers change nothing, and the workers live and die with their master."""
from __future__ import annotations

import http.client
import json
import os
import signal
import time
from pathlib import Path

from reliability_helpers import Server, remember_owner
from server.shards import SECRET_HEADER, shard_of

WORKERS = 2


def children(pid: int) -> list[int]:
    """Living processes whose parent is `pid`."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(entry.name))
    return out


def living(pids: list[int]) -> list[int]:
    """Those of `pids` still running (not gone, not a zombie)."""
    out = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.append(pid)
    return out


def workers_server(data_dir: Path, tmp_path: Path, **kw: object) -> Server:
    return Server(data_dir, tmp_path, extra_args=("--workers", str(WORKERS)), **kw)


def games_of_both_workers(srv: Server, per_worker: int = 2, human: list[str] | None = None) -> list[dict]:
    """Create games until each worker owns `per_worker` of them. A worker names the games it creates after itself;
    the server answers as soon as its first worker is up, so the games made in the first seconds are all that one's;
    and when no connection is open, the worker awake wins the race for the next. So each game is made on a new
    connection while the last few stay open: a running worker takes a new connection only while it holds no more
    than the others (server.shards.Balance)."""
    made: dict[int, list[dict]] = {k: [] for k in range(WORKERS)}
    held: list[http.client.HTTPConnection] = []
    deadline = time.monotonic() + 60
    seed = 0
    try:
        while time.monotonic() < deadline:
            if len(held) == 2 * WORKERS:                  # a new connection each time, the last few kept open
                held.pop(0).close()
            conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=60)
            held.append(conn)
            conn.request("POST", "/api/games", json.dumps({"scenario": "mini", "seed": seed, "turns": 6,
                                                           "human": human or []}),
                         {"Content-Type": "application/json"})
            resp = conn.getresponse()
            body = json.loads(resp.read())
            assert resp.status == 201, body
            remember_owner(body)
            owner = shard_of(body["id"], WORKERS)
            if len(made[owner]) < per_worker:
                made[owner].append(body)
            if all(len(v) == per_worker for v in made.values()):
                return [g for v in made.values() for g in v]
            seed += 1
            time.sleep(0.05)
    finally:
        for conn in held:
            conn.close()
    raise AssertionError(f"{seed} games in 60 s and not {per_worker} on each worker: {made}")


def test_every_game_plays_from_any_connection_and_each_turn_resolves_once(data_dir, tmp_path):
    with workers_server(data_dir, tmp_path) as srv:
        assert f"({WORKERS} worker processes)" in srv.log()
        assert len(children(srv.proc.pid)) >= WORKERS
        games = games_of_both_workers(srv)
        for turn in range(3):
            for g in games:                      # a new connection per request: either worker takes it
                r = srv.api("POST", f"/api/games/{g['id']}/step", {"turn": turn})
                assert r.status == 200, r.body
                assert r.body["turn"] == turn + 1 and r.body["id"] == g["id"]
                again = srv.api("POST", f"/api/games/{g['id']}/step", {"turn": turn})
                assert again.status == 409                          # that month is resolved, by its owner
        for g in games:
            state = srv.api("GET", f"/api/games/{g['id']}").body
            assert state["turn"] == 3
            export = srv.api("GET", f"/api/games/{g['id']}/export").body
            assert [e["turn"] for e in export["orders"]] == [1, 2, 3]
            assert srv.api("GET", f"/api/games/{g['id']}/history").body["rows"][-1]["turn"] == 3
        # a worker names the games it creates after itself, so finding two of each may take many games: list them all
        listed = srv.api("GET", "/api/games?limit=200")
        assert len(listed.body) == int(listed.headers["X-Total-Count"])
        assert {g["id"] for g in games} <= {g["id"] for g in listed.body}
        assert "Traceback" not in srv.log()


def test_seats_submit_through_either_worker_and_the_last_one_resolves(data_dir, tmp_path):
    with workers_server(data_dir, tmp_path) as srv:
        for g in games_of_both_workers(srv, per_worker=1, human=["SYR", "USA"]):
            for turn in range(2):
                replies = [srv.api("POST", f"/api/games/{g['id']}/orders", {"actor": a, "orders": [], "turn": turn},
                                   token=g["tokens"][a]) for a in ("SYR", "USA")]
                assert [r.status for r in replies] == [200, 200], [r.body for r in replies]
                assert [r.body["resolved"] for r in replies] == [False, True]
            menu = srv.api("GET", f"/api/games/{g['id']}/seats/SYR/orders", token=g["tokens"]["SYR"])
            assert menu.status == 200 and menu.body["turn"] == 2
            wrong = srv.api("POST", f"/api/games/{g['id']}/orders", {"actor": "SYR", "orders": []}, token="nope")
            assert wrong.status == 403                               # seat tokens still checked by the owner
            assert srv.api("POST", f"/api/games/{g['id']}/step", {}, owner=False).status == 403


def test_a_forged_forwarding_header_is_routed_like_any_other_request(data_dir, tmp_path):
    with workers_server(data_dir, tmp_path) as srv:
        games = games_of_both_workers(srv, per_worker=1)
        for g in games:
            r = srv.api("POST", f"/api/games/{g['id']}/step", {"turn": 0}, headers={SECRET_HEADER: "guess"})
            assert r.status == 200 and r.body["turn"] == 1
            r = srv.api("POST", f"/api/games/{g['id']}/step", {"turn": 0}, headers={SECRET_HEADER: "guess"})
            assert r.status == 409
        assert "Traceback" not in srv.log()


def read_events(port: int, path: str, count: int,
                timeout: float = 30) -> tuple[list[tuple], http.client.HTTPConnection]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path)
    resp = conn.getresponse()
    assert resp.status == 200 and resp.getheader("Content-Type").startswith("text/event-stream")
    events, name = [], None
    while len(events) < count:
        line = resp.fp.readline().decode()
        if not line:
            break
        if line.startswith("event: "):
            name = line[7:].strip()
        elif line.startswith("data: "):
            events.append((name, json.loads(line[6:])))
    return events, conn


def test_autoplay_streams_through_either_worker_and_stop_when_the_client_leaves(data_dir, tmp_path):
    with workers_server(data_dir, tmp_path) as srv:
        for g in games_of_both_workers(srv, per_worker=1):
            url = f"/api/games/{g['id']}/stream?interval=0.3&owner_token={g['owner_token']}"
            events, conn = read_events(srv.port, url, 3)
            assert events[0] == ("mode", {"mode": "autoplay"})
            assert [e[1]["turn"] for e in events[1:]] == [1, 2]
            conn.close()                                     # the client leaves: the autoplay stops soon after
            time.sleep(2.5)
            stopped_at = srv.api("GET", f"/api/games/{g['id']}").body["turn"]
            assert stopped_at < 6
            time.sleep(1.5)
            assert srv.api("GET", f"/api/games/{g['id']}").body["turn"] == stopped_at


def test_workers_stop_with_their_master_even_when_it_is_killed(data_dir, tmp_path):
    srv = workers_server(data_dir, tmp_path, warm_futures=True)     # each worker with its futures pool, as served
    workers = children(srv.proc.pid)
    assert len(workers) >= WORKERS
    os.kill(srv.proc.pid, signal.SIGKILL)                  # the master alone, not its process group
    srv.proc.wait()
    deadline = time.monotonic() + 30                     # a safety net: they go within a second or two
    while living(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = living(workers)
    srv.kill()
    assert left == []
    with workers_server(data_dir, tmp_path) as again:      # the data dir is free again
        assert again.api("GET", "/api/scenarios").status == 200


def test_sigterm_stops_the_master_and_every_worker(data_dir, tmp_path):
    srv = workers_server(data_dir, tmp_path, warm_futures=True)
    workers = children(srv.proc.pid)
    srv.stop()
    assert srv.proc.returncode == 0
    assert "stopped" in srv.log()
    assert living(workers) == []
