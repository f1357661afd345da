"""Trusted hosts, one server per data dir, owners of games and experiments, bounded growth, honest imports, quick
creation: the second round of hardening (what a red-team pass found the suite did not try).

Before it: a page of attacker.example rebound to 127.0.0.1 could create games and delete experiments (any Host was
answered); two servers shared one data dir and waited on each other's seats; anyone could step, run or delete any
game, and each watcher's Play stream advanced the game on its own; games could not be deleted, the list returned
every game's full scenario name, the caches kept stale entries and random ids left lock entries; an export claiming
`scenario: baseline-2025` with a forged YAML was shown as the baseline."""
from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

from reliability_helpers import (
    BASELINE,
    MINI,
    ROOT,
    Server,
    call,
    new_game,
    plain_client,
    process_tree,
    wargame,
)
from server import create_app, experiment_jobs
from server.store import DB_NAME

ATTACKER = "attacker.example:5099"
# One server process where the test is not about the workers (each worker of the default one per core, with its
# futures pool, took ~15 s of this 2-core machine to start): the server that is stopped, killed or refused keeps
# the default; tests/reliability/test_workers.py is about the workers, test_sse_streams_under_waitress about
# streams forwarded between them.
ONE = ("--workers", "1")


def db_rows(data_dir: Path, sql: str, *args) -> list:
    with sqlite3.connect(data_dir / DB_NAME) as db:
        return db.execute(sql, args).fetchall()


def fake_job(app, owner_hash: str | None = None) -> str:
    """A finished experiment's folder, as a launch leaves it (no process behind it)."""
    jid = time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
    d = Path(app.config["DATA_DIR"]) / "experiments" / "jobs" / jid
    (d / "out").mkdir(parents=True)
    job = {"id": jid, "name": "x", "spec": None, "created": "2026-01-01T00:00:00+00:00", "runs": 1, "workers": 1}
    if owner_hash is not None:
        job["owner_hash"] = owner_hash
    (d / "job.json").write_text(json.dumps(job))
    (d / "error.txt").write_text("stopped")
    return jid


# ------------------------------------------------------------------------------------------- trusted hosts
def test_dns_rebinding_cannot_create_a_game_or_delete_an_experiment(app, client):
    """Host: attacker.example with a matching Origin passes an Origin check (the browser thinks it is same-origin);
    it used to answer 201 and 204."""
    client.get("/api/experiments")                       # the experiments extension exists
    jid = fake_job(app)                                  # made before owners: only the host check protects it
    rebound = {"Host": ATTACKER, "Origin": f"http://{ATTACKER}"}
    resp = client.post("/api/games", json={"scenario": "mini"}, headers=rebound)
    assert resp.status_code == 400 and "does not answer for the host attacker.example" in resp.get_json()["error"]
    resp = client.delete(f"/api/experiments/{jid}", headers=rebound)
    assert resp.status_code == 400
    assert client.get(f"/api/experiments/{jid}").status_code == 200                  # still there
    assert client.get("/api/games").get_json() == []                                  # no game was made
    for url in ("/", "/api/games", "/api/scenarios", "/static/js/common.js", "/game/x"):
        assert client.get(url, headers={"Host": ATTACKER}).status_code == 400, url
    for host in ("localhost", "127.0.0.1:5000", "[::1]:5000", "LOCALHOST"):
        assert client.get("/api/scenarios", headers={"Host": host}).status_code == 200, host
    assert client.delete(f"/api/experiments/{jid}").status_code == 204               # the real origin still can


def test_trusted_names_are_the_bound_address_and_the_public_names(data_dir):
    app = create_app({"DATA_DIR": data_dir, "BIND_HOST": "0.0.0.0", "PUBLIC_HOSTS": ["Play.Example.org"]})
    c = app.test_client()
    for host, status in (("192.168.1.7:5000", 200), ("[fe80::1]:5000", 200), ("play.example.org", 200),
                         ("play.example.org.", 200), (ATTACKER, 400), ("evil.play.example.org", 400), ("", 400),
                         ("a:b:c", 400)):
        assert c.get("/api/scenarios", headers={"Host": host}).status_code == status, host
    app = create_app({"DATA_DIR": data_dir, "BIND_HOST": "10.0.0.5"})
    c = app.test_client()
    assert c.get("/api/scenarios", headers={"Host": "10.0.0.5:5000"}).status_code == 200
    assert c.get("/api/scenarios", headers={"Host": "10.0.0.6:5000"}).status_code == 400   # not bound to any IP


def test_wargame_serve_answers_its_public_name_and_refuses_others(data_dir, tmp_path):
    with Server(data_dir, tmp_path, extra_args=("--public-host", "play.example.org")) as srv:
        assert srv.api("GET", "/api/scenarios", headers={"Host": "play.example.org"}).status == 200
        bad = srv.api("POST", "/api/games", {"scenario": "mini"},
                      headers={"Host": ATTACKER, "Origin": f"http://{ATTACKER}"})
        assert bad.status == 400 and "--public-host" in bad.body["error"]
        assert srv.api("GET", "/api/games").body == []


# ---------------------------------------------------------------------------------------- one server per dir
def test_a_second_server_on_the_same_data_dir_exits_2_naming_the_first(data_dir, tmp_path):
    with Server(data_dir, tmp_path) as srv:
        run = subprocess.run(wargame("serve", "--port", "0", "--data-dir", str(data_dir)), cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 2
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and f"another wargame server (pid {srv.proc.pid})" in lines[0], run.stderr
        assert srv.api("GET", "/api/scenarios").status == 200                       # the first one carries on
    with Server(data_dir, tmp_path, extra_args=ONE) as again:                       # the lock goes with the process
        assert again.api("GET", "/api/scenarios").status == 200


def test_the_lock_is_released_by_a_killed_server(data_dir, tmp_path):
    srv = Server(data_dir, tmp_path)
    srv.kill()
    with Server(data_dir, tmp_path, extra_args=ONE) as again:
        assert again.api("GET", "/api/games").status == 200


# ----------------------------------------------------------------------------------------------- owners
def test_the_owner_token_is_shown_once_and_kept_only_as_its_hash(app, client, data_dir):
    game = new_game(client)
    token = game["owner_token"]
    assert len(token) >= 32 and token not in json.dumps(client.get(f"/api/games/{game['id']}").get_json())
    assert token not in client.get("/api/games").get_data(as_text=True)
    assert token not in client.get(f"/api/games/{game['id']}/export").get_data(as_text=True)
    raw = b"".join(p.read_bytes() for p in data_dir.glob(f"{DB_NAME}*"))
    import hashlib
    assert token.encode() not in raw and hashlib.sha256(token.encode()).hexdigest().encode() in raw


def test_only_the_owner_steps_runs_autoplays_or_deletes_a_game(app, client):
    game = new_game(client, turns=4)
    gid, token = game["id"], game["owner_token"]
    seats = new_game(client, human=["SYR"])
    watcher = plain_client(app)
    forged = {"X-Owner-Token": seats["owner_token"]}                 # another game's owner token
    seat = {"X-Owner-Token": seats["tokens"]["SYR"]}                 # a seat token is not an owner token
    for headers in ({}, forged, seat, {"X-Owner-Token": token[:-1]}):
        for resp in (watcher.post(f"/api/games/{gid}/step", json={}, headers=headers),
                     watcher.post(f"/api/games/{gid}/run", json={}, headers=headers),
                     watcher.delete(f"/api/games/{gid}", headers=headers)):
            assert resp.status_code == 403 and "owner" in resp.get_json()["error"], resp.get_json()
    resp = watcher.get(f"/api/games/{gid}/stream?interval=0&owner_token=wrong")
    assert resp.status_code == 403
    assert watcher.get(f"/api/games/{gid}").get_json()["turn"] == 0                  # watchers still watch
    owner = {"X-Owner-Token": token}
    assert watcher.post(f"/api/games/{gid}/step", json={}, headers=owner).get_json()["turn"] == 1
    assert watcher.post(f"/api/games/{gid}/run", json={}, headers=owner).get_json()["turn"] == 4
    assert watcher.delete(f"/api/games/{seats['id']}", headers=seat).status_code == 403
    assert watcher.delete(f"/api/games/{seats['id']}",
                          headers={"X-Owner-Token": seats["owner_token"]}).status_code == 204


def test_deleting_a_game_removes_its_rows_snapshots_and_pending_orders(app, client, data_dir):
    game = new_game(client, human=["SYR", "USA"])
    gid = game["id"]
    client.post(f"/api/games/{gid}/orders", json={"actor": "SYR", "orders": []},
                headers={"X-Seat-Token": game["tokens"]["SYR"]})
    client.post(f"/api/games/{gid}/orders", json={"actor": "USA", "orders": []},
                headers={"X-Seat-Token": game["tokens"]["USA"]})
    client.post(f"/api/games/{gid}/orders", json={"actor": "SYR", "orders": []},
                headers={"X-Seat-Token": game["tokens"]["SYR"]})
    assert db_rows(data_dir, "SELECT COUNT(*) FROM pending WHERE game_id = ?", gid) == [(1,)]
    assert db_rows(data_dir, "SELECT COUNT(*) FROM snapshots WHERE game_id = ?", gid) == [(2,)]
    other = new_game(client)["id"]
    assert client.delete(f"/api/games/{gid}").status_code == 204
    for table, col in (("games", "id"), ("snapshots", "game_id"), ("pending", "game_id")):
        assert db_rows(data_dir, f"SELECT COUNT(*) FROM {table} WHERE {col} = ?", gid) == [(0,)], table
    assert client.get(f"/api/games/{gid}").status_code == 404
    assert client.delete(f"/api/games/{gid}").status_code == 404
    assert gid not in app.extensions["wargame.games"]._locks
    assert [g["id"] for g in client.get("/api/games").get_json()] == [other]         # the others stay


def test_experiments_get_the_same_owner_rule(app, client):
    client.get("/api/experiments")
    from server.owners import new_owner
    token, digest = new_owner()
    jid = fake_job(app, digest)
    watcher = plain_client(app)
    for headers in ({}, {"X-Owner-Token": "x" * 32}):
        resp = watcher.delete(f"/api/experiments/{jid}", headers=headers)
        assert resp.status_code == 403 and f"experiment {jid}" in resp.get_json()["error"]
        assert watcher.post(f"/api/experiments/{jid}/cancel", json={}, headers=headers).status_code == 403
    assert watcher.get(f"/api/experiments/{jid}").status_code == 200
    assert watcher.delete(f"/api/experiments/{jid}", headers={"X-Owner-Token": token}).status_code == 204


def test_launching_an_experiment_returns_its_owner_token(app, client, tmp_path):
    spec = ("scenario: mini\nreplications: 1\nturns: 1\noutcomes:\n  a: {indicator: syria_alignment}\n")
    job = client.post("/api/experiments", json={"yaml": spec, "workers": 1}).get_json()
    assert len(job["owner_token"]) >= 32
    meta = (Path(app.config["DATA_DIR"]) / "experiments" / "jobs" / job["id"] / "job.json").read_text()
    assert job["owner_token"] not in meta and "owner_hash" in meta
    assert plain_client(app).post(f"/api/experiments/{job['id']}/cancel", json={}).status_code == 403
    ext = app.extensions["wargame.experiments"]
    ext.procs[job["id"]].wait(timeout=120)
    assert client.delete(f"/api/experiments/{job['id']}").status_code == 204


# -------------------------------------------------------------------------------- streams under waitress
def read_events(conn: http.client.HTTPConnection, path: str, count: int, timeout: float = 30) -> list[tuple]:
    """(event, data) pairs of an SSE response, until `count` events or the timeout."""
    conn.sock = None
    conn.timeout = timeout
    conn.request("GET", path)
    resp = conn.getresponse()
    assert resp.status == 200 and resp.getheader("Content-Type").startswith("text/event-stream")
    events, name = [], None
    deadline = time.monotonic() + timeout
    while len(events) < count and time.monotonic() < deadline:
        try:
            line = resp.fp.readline().decode()
        except TimeoutError:                  # a quiet stream: what came so far
            break
        if not line:
            break
        if line.startswith("event: "):
            name = line[7:].strip()
        elif line.startswith("data: "):
            events.append((name, json.loads(line[6:])))
    return events


def test_sse_streams_under_waitress_one_autoplay_and_watchers_that_only_watch(data_dir, tmp_path):
    with Server(data_dir, tmp_path) as srv:
        game = srv.api("POST", "/api/games", {"scenario": "mini", "seed": 3, "turns": 6}).body
        gid, token = game["id"], game["owner_token"]
        # three watchers for 3 s: the game stays where it is (each used to advance it on its own)
        conns = [http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10) for _ in range(3)]
        watched: list[list] = [[] for _ in conns]
        threads = [threading.Thread(target=lambda i=i: watched[i].extend(
            read_events(conns[i], f"/api/games/{gid}/stream?interval=0", 3, timeout=3))) for i in range(3)]
        for t in threads:
            t.start()
        time.sleep(3.5)
        assert srv.api("GET", f"/api/games/{gid}").body["turn"] == 0
        for t in threads:
            t.join(timeout=10)
        assert all(w[:1] == [("mode", {"mode": "watch"})] for w in watched), watched
        # a watcher follows the owner's autoplay, which delivers every turn as it is played
        follower: list = []
        watch = threading.Thread(target=lambda: follower.extend(read_events(
            http.client.HTTPConnection("127.0.0.1", srv.port), f"/api/games/{gid}/stream", 8, timeout=60)))
        watch.start()
        time.sleep(0.5)
        conn = http.client.HTTPConnection("127.0.0.1", srv.port)
        t0 = time.monotonic()
        played = read_events(conn, f"/api/games/{gid}/stream?interval=0.3&owner_token={token}", 8, timeout=60)
        assert played[0] == ("mode", {"mode": "autoplay"})
        states = [d for e, d in played if e == "state"]
        assert [s["turn"] for s in states] == [1, 2, 3, 4, 5, 6] and played[-1][0] == "done"
        assert time.monotonic() - t0 >= 5 * 0.3                  # streamed as it went, not in one piece
        watch.join(timeout=60)
        assert follower[0] == ("mode", {"mode": "watch"}) and follower[-1][0] == "done", follower
        assert [d["turn"] for e, d in follower if e == "state"][-1] == 6
        assert "owner_token=[redacted]" in srv.log() and token not in srv.log()


def test_a_second_owner_stream_watches_while_the_first_plays(data_dir, tmp_path):
    with Server(data_dir, tmp_path, extra_args=ONE) as srv:
        game = srv.api("POST", "/api/games", {"scenario": "mini", "seed": 3, "turns": 8}).body
        url = f"/api/games/{game['id']}/stream?interval=0.4&owner_token={game['owner_token']}"
        first: list = []
        t = threading.Thread(target=lambda: first.extend(read_events(
            http.client.HTTPConnection("127.0.0.1", srv.port), url, 2, timeout=30)))
        t.start()
        time.sleep(0.3)
        second = read_events(http.client.HTTPConnection("127.0.0.1", srv.port), url, 1, timeout=30)
        t.join(timeout=30)
        assert first[0] == ("mode", {"mode": "autoplay"}) and second == [("mode", {"mode": "watch"})]


def test_half_sent_requests_hold_no_threads_and_are_closed_when_idle(data_dir, tmp_path):
    """900 half-sent requests used to hold 904 threads and 537 MB; under waitress they wait in its event loop and
    are closed after --idle-timeout, and the server answers meanwhile (with two workers the first request after 200
    half-sent ones waited 12-18 s: the workers took connections one at a time, often a second apart, Balance)."""
    with Server(data_dir, tmp_path, extra_args=("--threads", "4", "--idle-timeout", "4", "--workers", "2")) as srv:
        def status(key: str) -> int:
            total = 0
            for pid in process_tree(srv.proc.pid):
                text = Path(f"/proc/{pid}/status").read_text()
                total += int(next(line.split()[1] for line in text.splitlines() if line.startswith(key)))
            return total

        # each worker starts its futures pool (a fork server and a resource tracker) after it answers: wait until
        # the tree and its threads stay the same for a second before taking the baseline
        seen, deadline = None, time.monotonic() + 30
        while time.monotonic() < deadline:
            now = (len(process_tree(srv.proc.pid)), status("Threads:"))
            if now == seen:
                break
            seen = now
            time.sleep(1.0)
        processes = len(process_tree(srv.proc.pid))
        threads0, rss0 = status("Threads:"), status("VmRSS:")
        socks = []
        for _ in range(200):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            s.sendall(b"POST /api/games HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 100\r\n\r\n{\"scenario\"")
            socks.append(s)
        time.sleep(0.5)
        assert processes >= 2                                                # the workers are counted too
        assert status("Threads:") <= threads0 + processes
        asked = time.monotonic()
        assert srv.api("GET", "/api/scenarios").status == 200               # still answering...
        assert time.monotonic() - asked < 3.0                               # ...before the idle timeout (4 s)
        assert status("VmRSS:") - rss0 < 60_000 * processes                  # kB
        # closed after the idle timeout + a clean-up interval: wait for each close (at most the 5 s this slept
        # before + the 10 s each read allowed) instead of sleeping 5 s
        closed, deadline = 0, time.monotonic() + 15
        for s in socks:
            s.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                closed += s.recv(100) == b""
            except (ConnectionResetError, TimeoutError, OSError):
                closed += 1
            s.close()
        assert closed == len(socks)
        assert srv.api("GET", "/api/scenarios").status == 200


# ------------------------------------------------------------------------------------------ bounded growth
def test_the_games_list_is_paginated_with_bounded_fields(app, client):
    long_name = "N" * 900_000                            # 100 games with 1 MB names made a 91 MB response
    text = MINI.read_text().replace("name: Mini test scenario", f"name: {long_name}", 1)
    assert client.post("/api/scenarios", json={"id": "longname", "yaml": text}).status_code == 201
    for seed in range(3):
        assert client.post("/api/games", json={"scenario": "longname", "seed": seed}).status_code == 201
    for seed in range(57):
        new_game(client, seed=seed)
    resp = client.get("/api/games")
    page = resp.get_json()
    assert len(page) == 50 and resp.headers["X-Total-Count"] == "60"
    assert len(resp.get_data()) < 60_000
    rest = client.get("/api/games?limit=50&offset=50").get_json()
    assert len(rest) == 10 and not {g["id"] for g in rest} & {g["id"] for g in page}
    assert all(len(g["scenario_name"]) <= 120 for g in page + rest)
    assert [g for g in rest if g["scenario"] == "longname"]
    assert client.get("/api/games?limit=201").status_code == 400
    listed = {s["id"]: s for s in client.get("/api/scenarios").get_json()}
    assert len(listed["longname"]["name"]) <= 120


def test_random_ids_leave_no_lock_entries(app, client):
    manager = app.extensions["wargame.games"]
    before = len(manager._locks)
    for _ in range(2_000):
        gid = secrets.token_urlsafe(6)
        assert client.post(f"/api/games/{gid}/step", json={}).status_code == 404
    assert client.get("/api/games/nope/stream").status_code == 404
    assert len(manager._locks) == before


def test_the_scenario_summary_cache_keeps_one_entry_per_file(app, client):
    """Each edit of a file used to leave its old summary in memory (+136 MB in 21 s)."""
    from server import scenarios
    library = app.extensions["wargame.scenarios"]
    user = Path(app.config["USER_SCENARIO_DIR"])
    for n in range(300):
        (user / "edited.yaml").write_text(MINI.read_text().replace("Mini test scenario", f"edit {n}", 1))
        os.utime(user / "edited.yaml", ns=(n * 1_000_000_000, n * 1_000_000_000))
        names = {s["id"]: s["name"] for s in client.get("/api/scenarios").get_json()}
        assert names["edited"] == f"edit {n}"
    files = len(list(user.glob("*.yaml"))) + len(list((ROOT / "configs" / "scenarios").glob("*.yaml")))
    assert len(library._summaries) <= files <= scenarios.SUMMARY_CACHE


def test_user_specs_are_parsed_once_per_version(app, client, monkeypatch):
    """Five 960 KB specs were parsed again on every listing (5.3 s)."""
    client.get("/api/experiments/specs")
    spec_dir = Path(app.config["DATA_DIR"]) / "experiments" / "specs"
    for n in range(5):
        (spec_dir / f"big{n}.yaml").write_text(f"name: big {n}\n# " + "x" * 960_000 + "\n")
    parsed: list[Path] = []
    real = experiment_jobs._title
    monkeypatch.setattr(experiment_jobs, "_title", lambda p: parsed.append(p) or real(p))
    for _ in range(4):
        assert len(client.get("/api/experiments/specs").get_json()) >= 5
    assert len([p for p in parsed if p.name.startswith("big")]) == 5
    (spec_dir / "big0.yaml").write_text("name: changed\n")
    names = {s["id"]: s["name"] for s in client.get("/api/experiments/specs").get_json()}
    assert names["big0"] == "changed" and len([p for p in parsed if p.name.startswith("big")]) == 6


# ---------------------------------------------------------------------------------------------- honest import
def test_a_forged_scenario_becomes_its_own_imported_scenario(app, client):
    game = client.post("/api/games", json={"scenario": "baseline-2025", "seed": 2, "turns": 2}).get_json()
    honest = client.get(f"/api/games/{game['id']}/export").get_json()
    same = client.post("/api/games/import", json=honest).get_json()
    assert same["scenario"] == "baseline-2025" and same["replayed_identically"] is True
    forged_yaml = honest["scenario_yaml"]
    start = forged_yaml.index("  al_tanf:")
    at = forged_yaml.index("controller: USA", start)
    forged = {**honest, "scenario_yaml": forged_yaml[:at] + "controller: RUS" + forged_yaml[at + 15:], "orders": []}
    resp = client.post("/api/games/import", json=forged)
    assert resp.status_code == 201, resp.get_json()
    out = resp.get_json()
    assert out["scenario"].startswith("imported-") and out["scenario"] != "baseline-2025"
    assert out["scenario_name"].endswith("(imported)")
    state = client.get(f"/api/games/{out['id']}").get_json()
    assert state["scenario"] == out["scenario"] and state["scenario_name"] == out["scenario_name"]
    assert next(b for b in state["bases"] if b["id"] == "al_tanf")["controller"] == "RUS"
    again = client.post("/api/games/import", json=forged).get_json()          # the same content, the same id
    assert again["scenario"] == out["scenario"]


def test_imports_refuse_an_empty_id_and_orders_for_unknown_or_computer_played_actors(client):
    game = new_game(client, human=["SYR"])
    client.post(f"/api/games/{game['id']}/orders", json={"actor": "SYR", "orders": []},
                headers={"X-Seat-Token": game["tokens"]["SYR"]})
    good = client.get(f"/api/games/{game['id']}/export").get_json()
    played = good["orders"][0]["orders"]
    ai = next(a for a in played if a != "SYR")
    cases = [
        ({**good, "scenario": ""}, "scenario: expected a scenario id"),
        ({**good, "orders": [{"turn": 1, "orders": {**played, "MARS": []}}]}, "orders.0.orders.MARS: unknown actor"),
        ({**good, "orders": [{"turn": 1, "orders": {**played, ai: []}}]},
         f"orders.0.orders.{ai}: {ai} is played by the computer"),
    ]
    for body, words in cases:
        resp = client.post("/api/games/import", json=body)
        assert resp.status_code == 400 and words in resp.get_json()["error"], resp.get_json()
    assert client.post("/api/games/import", json=good).status_code == 201


# --------------------------------------------------------------------------------------------- quick creation
def test_creation_builds_from_the_cached_scenario_without_yaml_work(app, client, monkeypatch):
    """107 ms of CPU per creation went to dumping the scenario, parsing it again and loading the file; the resolved
    scenario is now cached per file and mtime, and the model built from the validated scenario."""
    import server.games as games_module
    from server import scenarios
    new_game(client)                                                   # resolves and caches mini
    work: list[str] = []
    for name in ("resolved_text", "scenario_from_resolved", "load_with_extends", "validate_scenario"):
        real = getattr(scenarios, name)
        monkeypatch.setattr(scenarios, name, lambda *a, _n=name, _r=real, **k: work.append(_n) or _r(*a, **k))
    monkeypatch.setattr(games_module, "resolved_text",
                        lambda *a, **k: work.append("resolved_text") or scenarios.resolved_text(*a, **k))
    games = [new_game(client, seed=s) for s in range(10)]
    assert work == []
    # the game plays exactly as one rebuilt from its stored text (as after a restart)
    manager = app.extensions["wargame.games"]
    gid = games[0]["id"]
    live = [client.post(f"/api/games/{gid}/step", json={}).get_json() for _ in range(3)]
    manager.evict(gid)
    again = client.post(f"/api/games/{gid}/step", json={}).get_json()
    fresh = create_app({"DATA_DIR": app.config["DATA_DIR"]}).test_client()
    assert fresh.get(f"/api/games/{gid}?turn=3").get_json()["relations"] == live[-1]["relations"]
    assert again["turn"] == 4
    library = app.extensions["wargame.scenarios"]
    cached = library.resolve("mini")
    before = cached.scenario.model_dump_json()
    client.post(f"/api/games/{gid}/run", json={})                      # a whole game leaves the shared scenario as is
    assert cached.scenario.model_dump_json() == before
    path = Path(app.config["USER_SCENARIO_DIR"]) / "mini.yaml"
    path.write_text(path.read_text().replace("Mini test scenario", "Mini, edited", 1))
    assert client.post("/api/games", json={"scenario": "mini"}).get_json()["id"]
    assert library.resolve("mini").name == "Mini, edited"               # an edit is seen at once


def test_a_baseline_game_from_the_cache_equals_one_from_its_file(client):
    from model import WargameModel, load_scenario
    gid = client.post("/api/games", json={"scenario": "baseline-2025", "seed": 7, "turns": 6}).get_json()["id"]
    served = client.post(f"/api/games/{gid}/run", json={}).get_json()
    m = WargameModel(load_scenario(BASELINE), seed=7, turns=6)
    m.run(6)
    assert served["relations"] == m.state()["relations"] and served["indicators"] == m.state()["indicators"]


def test_export_of_a_served_game_imports_over_http(data_dir, tmp_path):
    with Server(data_dir, tmp_path, extra_args=ONE) as srv:
        game = srv.api("POST", "/api/games", {"scenario": "mini", "seed": 1, "turns": 2}).body
        assert srv.api("POST", f"/api/games/{game['id']}/run", {}).status == 200
        assert call(srv.url, "POST", f"/api/games/{game['id']}/step", {}, owner=False).status == 403
        export = srv.api("GET", f"/api/games/{game['id']}/export").body
        assert srv.api("POST", "/api/games/import", export).body["scenario"] == "mini"
