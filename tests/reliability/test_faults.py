"""Faults: the server SIGKILLed in the middle of resolving a turn, a batch SIGKILLed with its workers, a full disk,
a read-only data dir, a corrupt database. Nothing submitted is lost, no game is left between two turns, and every
fault ends in one clear error.

Killing "in the middle" uses the test hook WARGAME_TEST_SLOW_RESOLVE (server/store.py): the transaction that
commits a resolved turn is held open just before COMMIT and the server says so in its log; the test kills the whole
process group at that moment, with a second turn waiting for the database lock behind it.
"""
from __future__ import annotations

import errno
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from reliability_helpers import (
    MINI,
    ROOT,
    Reply,
    Server,
    new_game,
    run_measured,
    wargame,
)
from server import create_app
from server.store import DB_NAME, Store

HOOK = "WARGAME_TEST_SLOW_RESOLVE"
ONE = ("--workers", "1")     # setting up and checking after the crash need no workers (each took ~15 s to start)


def pick_orders(menu: dict, turn: int) -> list[dict]:
    """A deterministic, affordable choice from a seat's menu (varies with the turn)."""
    options = [f for f in menu["feasible"] if f["cost"] <= menu["action_points"] and f["cost"] > 0]
    if not options:
        return []
    return [options[(turn * 7) % len(options)]["order"]]


def submit(srv: Server, gid: str, actor: str, token: str, turn: int) -> tuple[Reply, list[dict]]:
    menu = srv.api("GET", f"/api/games/{gid}/seats/{actor}/orders", token=token)
    assert menu.status == 200, menu.body
    orders = pick_orders(menu.body, turn)
    return srv.api("POST", f"/api/games/{gid}/orders", {"actor": actor, "orders": orders, "turn": turn},
                   token=token), orders


def assert_consistent(srv: Server, gid: str) -> dict:
    """A game is at one turn: its snapshots are 0..turn with no gap, the orders log has one entry per turn."""
    state = srv.api("GET", f"/api/games/{gid}").body
    turn = state["turn"]
    rows = srv.api("GET", f"/api/games/{gid}/history").body["rows"]
    assert [r["turn"] for r in rows] == list(range(turn + 1))
    export = srv.api("GET", f"/api/games/{gid}/export").body
    assert [e["turn"] for e in export["orders"]] == list(range(1, turn + 1))
    for k in range(turn + 1):
        assert srv.api("GET", f"/api/games/{gid}?turn={k}").body["turn"] == k
    assert srv.api("GET", f"/api/games/{gid}?turn={turn + 1}").status == 404
    return state


def assert_replays_identically(srv: Server, gid: str) -> None:
    """Importing the game's export replays every turn to exactly the state the server holds."""
    export = srv.api("GET", f"/api/games/{gid}/export").body
    imported = srv.api("POST", "/api/games/import", export)
    assert imported.status == 201, imported.body
    replayed = srv.api("GET", f"/api/games/{imported.body['id']}/export").body["orders"]
    assert imported.body["replayed_identically"] is True, (gid, export["orders"], replayed)
    ours = srv.api("GET", f"/api/games/{gid}").body
    theirs = srv.api("GET", f"/api/games/{imported.body['id']}").body
    for state in (ours, theirs):         # identity, and the seats' pending submissions (not in an export)
        for key in ("id", "created", "waiting_for", "status"):
            state.pop(key, None)
    assert ours == theirs


def integrity(data_dir: Path) -> str:
    with sqlite3.connect(data_dir / DB_NAME) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


# ------------------------------------------------------------------------------------------- SIGKILL mid-turn
def doomed(srv: Server, *args: object) -> None:
    """A request the server will never answer: it dies while handling it."""
    try:
        srv.api(*args)
    except (ConnectionError, OSError):
        pass


def test_sigkill_while_resolving_a_turn_loses_nothing(data_dir, tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    submitted: dict[tuple[str, int, str], list[dict]] = {}      # (game, turn, actor) -> orders the server accepted

    # Phase 1: games at different points, then a first SIGKILL with nothing in flight.
    srv = Server(data_dir, logs, extra_args=ONE)
    try:
        games = {}
        for name, human in (("A", ["SYR", "USA"]), ("B", ["SYR"]), ("C", []), ("D", ["SYR", "USA"])):
            r = srv.api("POST", "/api/games", {"scenario": "mini", "seed": 11, "turns": 6, "human": human})
            assert r.status == 201
            games[name] = r.body
        a, b, c, d = (games[k] for k in "ABCD")
        for turn in (0, 1):
            for actor in ("SYR", "USA"):
                reply, orders = submit(srv, a["id"], actor, a["tokens"][actor], turn)
                assert reply.status == 200, reply.body
                submitted[(a["id"], turn + 1, actor)] = reply.body["accepted"]
        reply, _ = submit(srv, b["id"], "SYR", b["tokens"]["SYR"], 0)
        submitted[(b["id"], 1, "SYR")] = reply.body["accepted"]
        for turn in (0, 1):
            assert srv.api("POST", f"/api/games/{c['id']}/step", {"turn": turn}).status == 200
        reply, _ = submit(srv, d["id"], "SYR", d["tokens"]["SYR"], 0)
        assert reply.status == 200 and reply.body["resolved"] is False
        submitted[(d["id"], 1, "SYR")] = reply.body["accepted"]
    finally:
        srv.kill()

    # Phase 2: with the hook, a turn of A resolves and hangs before COMMIT while C's step waits for the lock: kill.
    srv = Server(data_dir, logs, env={HOOK: "60"})
    try:
        assert srv.api("GET", f"/api/games/{d['id']}/seats/SYR/orders", token=d["tokens"]["SYR"]).body["submitted"]
        reply, _ = submit(srv, a["id"], "SYR", a["tokens"]["SYR"], 2)
        assert reply.status == 200 and reply.body["resolved"] is False
        submitted[(a["id"], 3, "SYR")] = reply.body["accepted"]
        menu = srv.api("GET", f"/api/games/{a['id']}/seats/USA/orders", token=a["tokens"]["USA"]).body
        last_orders = pick_orders(menu, 2)
        in_flight = [threading.Thread(target=doomed, args=(srv,
            "POST", f"/api/games/{a['id']}/orders", {"actor": "USA", "orders": last_orders, "turn": 2},
            a["tokens"]["USA"]), daemon=True)]
        in_flight[0].start()
        srv.wait_for_log(f"test hook: game {a['id']} turn 3 written")
        in_flight.append(threading.Thread(target=doomed, args=(srv, "POST", f"/api/games/{c['id']}/step",
                                                               {"turn": 2}), daemon=True))
        in_flight[1].start()
        time.sleep(0.5)                 # C's step resolves in memory and waits for A's transaction
        log = srv.log()
    finally:
        srv.kill()
    assert f"game {c['id']} turn 3 written" not in log          # C never got the lock

    # Phase 3: restart; every game is at its last committed turn or the new one, nothing submitted is lost.
    srv = Server(data_dir, logs, extra_args=ONE)
    try:
        sa = assert_consistent(srv, a["id"])
        assert sa["turn"] in (2, 3)
        if sa["turn"] == 2:             # not resolved: both submissions are still pending
            assert sa["waiting_for"] == []
        export = srv.api("GET", f"/api/games/{a['id']}/export").body
        logged = {(a["id"], e["turn"], actor): orders
                  for e in export["orders"] for actor, orders in e["orders"].items()}
        for (gid, turn, actor), orders in submitted.items():
            if gid == a["id"] and turn <= sa["turn"]:
                assert logged.get((gid, turn, actor), []) == orders, (turn, actor)
        if sa["turn"] == 3:
            assert logged.get((a["id"], 3, "USA"), []) == last_orders
        assert assert_consistent(srv, b["id"])["turn"] == 1
        sc = assert_consistent(srv, c["id"])
        assert sc["turn"] in (2, 3)
        sd = assert_consistent(srv, d["id"])
        assert sd["turn"] == 0 and sd["waiting_for"] == ["USA"]
        for g in (a, b, c, d):
            assert_replays_identically(srv, g["id"])
        # ... and every game goes on.
        reply, _ = submit(srv, d["id"], "USA", d["tokens"]["USA"], 0)
        assert reply.status == 200 and reply.body["resolved"] is True
        dx = srv.api("GET", f"/api/games/{d['id']}/export").body["orders"][0]["orders"]
        assert dx.get("SYR", []) == submitted[(d["id"], 1, "SYR")]
        assert srv.api("POST", f"/api/games/{c['id']}/run", {}).status == 200
        assert assert_consistent(srv, c["id"])["turn"] == 6
        assert_replays_identically(srv, c["id"])
    finally:
        srv.stop()
    assert integrity(data_dir) == "ok"


# ------------------------------------------------------------------------------------------------ batches
def _living_members(pgid: int, wait: float = 10.0) -> list[int]:
    """Processes of a process group that still run (zombies waiting for their reaper do not count)."""
    deadline = time.monotonic() + wait
    while True:
        alive = []
        for stat_file in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat_file.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":      # fields: state, ppid, pgrp, ...
                alive.append(int(stat_file.parent.name))
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def test_sigkill_of_a_batch_and_its_workers_then_resume_equals_an_uninterrupted_run(tmp_path):
    """tests/test_experiment_run.py kills a one-process batch; this kills the whole process group of a batch with
    two worker processes, then resumes with the CLI and compares with an uninterrupted run."""
    spec = tmp_path / "spec.yaml"
    spec.write_text((ROOT / "tests" / "data" / "experiments" / "tiny.yaml").read_text()
                    .replace("../scenarios/mini.yaml", str(MINI)).replace("replications: 5", "replications: 20"))
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    argv = wargame("batch", str(spec), "--out", str(killed), "--workers", "2", "--chunk-size", "2", "--no-progress")
    with open(tmp_path / "batch.log", "wb") as log:
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 180
        while len(list((killed / "chunks").glob("*.runs.parquet"))) < 4 and proc.poll() is None:
            assert time.monotonic() < deadline, "the batch made no progress"
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, (tmp_path / "batch.log").read_text()
    assert _living_members(proc.pid) == []           # no worker survived its batch
    done = len(list((killed / "chunks").glob("*.runs.parquet")))
    assert 4 <= done < 40 and not (killed / "runs.parquet").exists()
    resumed = run_measured(wargame("batch", str(spec), "--out", str(killed), "--resume", "--workers", "2",
                                   "--no-progress"))
    assert resumed.returncode == 0, resumed.stderr
    full = run_measured(wargame("batch", str(spec), "--out", str(whole), "--workers", "1", "--no-progress"))
    assert full.returncode == 0, full.stderr
    for name in ("runs.parquet", "turns.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(killed / name), pd.read_parquet(whole / name))
    assert (killed / "summary.csv").read_text() == (whole / "summary.csv").read_text()


# --------------------------------------------------------------------------------- full disk, read-only dir
def _limit_store(monkeypatch, pragma: str) -> None:
    """Every connection of the store gets `pragma` (SQLite's own full-disk / read-only behaviour)."""
    real = Store._db

    def limited(self: Store) -> sqlite3.Connection:
        db = real(self)
        db.execute(pragma)
        return db

    monkeypatch.setattr(Store, "_db", limited)


def _page_count(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / DB_NAME) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return db.execute("PRAGMA page_count").fetchone()[0]


@pytest.mark.parametrize("fault, status, words", [
    ("full", 507, "disk is full"),
    ("read-only", 503, "read-only"),
])
def test_full_disk_or_read_only_data_dir_is_a_clear_error_and_the_game_goes_on(app, client, data_dir, monkeypatch,
                                                                             fault, status, words):
    human = new_game(client, human=["SYR"])
    ai = new_game(client)
    token = human["tokens"]["SYR"]
    assert client.post(f"/api/games/{human['id']}/orders", json={"actor": "SYR", "orders": [], "turn": 0},
                       headers={"X-Seat-Token": token}).status_code == 200
    assert client.post(f"/api/games/{ai['id']}/step", json={"turn": 0}).status_code == 200
    before = {g: client.get(f"/api/games/{g}").get_json() for g in (human["id"], ai["id"])}
    pages = _page_count(data_dir)
    if fault == "full":
        _limit_store(monkeypatch, f"PRAGMA max_page_count = {pages}")
    else:
        _limit_store(monkeypatch, "PRAGMA query_only = ON")

    failures = [
        client.post(f"/api/games/{human['id']}/orders", json={"actor": "SYR", "orders": [], "turn": 1},
                    headers={"X-Seat-Token": token}),
        client.post(f"/api/games/{ai['id']}/step", json={"turn": 1}),
        client.post(f"/api/games/{ai['id']}/run"),
        client.post("/api/games", json={"scenario": "mini", "seed": 3}),
    ]
    for resp in failures:
        assert resp.status_code == status, resp.get_data(as_text=True)
        assert words in resp.get_json()["error"] and "Traceback" not in resp.get_data(as_text=True)
    for gid, state in before.items():                # reads still work, nothing moved
        now = client.get(f"/api/games/{gid}").get_json()
        assert now["turn"] == state["turn"] == 1
        assert len(client.get(f"/api/games/{gid}/history").get_json()["rows"]) == 2
    assert len(client.get("/api/games").get_json()) == 2
    assert integrity(data_dir) == "ok"

    monkeypatch.undo()                                # the fault clears: the same requests succeed
    resp = client.post(f"/api/games/{human['id']}/orders", json={"actor": "SYR", "orders": [], "turn": 1},
                       headers={"X-Seat-Token": token})
    assert resp.status_code in (200, 409), resp.get_json()       # 409: the stored submission resolved on reload
    assert client.post(f"/api/games/{ai['id']}/step", json={"turn": 1}).status_code == 200
    for gid in before:
        state = client.get(f"/api/games/{gid}").get_json()
        assert state["turn"] == 2
        export = client.get(f"/api/games/{gid}/export").get_json()
        assert [e["turn"] for e in export["orders"]] == [1, 2]      # turn 2 resolved exactly once
    assert integrity(data_dir) == "ok"


def test_disk_full_while_saving_a_user_scenario_keeps_the_old_file(client, app, monkeypatch):
    import server.scenarios as scenarios

    target = Path(app.config["USER_SCENARIO_DIR"]) / "mine.yaml"
    good = MINI.read_text()
    assert client.post("/api/scenarios", json={"id": "mine", "yaml": good}).status_code == 201

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(scenarios.os, "fsync", no_space)
    resp = client.post("/api/scenarios", json={"id": "mine", "yaml": good.replace("Mini test", "Changed")})
    assert resp.status_code == 507 and "disk is full" in resp.get_json()["error"]
    assert target.read_text() == good
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []   # no temporary file left


# ----------------------------------------------------------------------------------------- start-up faults
def test_unusable_data_dirs_stop_the_server_with_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    corrupt = tmp_path / "corrupt"
    (corrupt / "scenarios").mkdir(parents=True)
    (corrupt / DB_NAME).write_bytes(b"this is not a database" * 100)
    bad_key = tmp_path / "bad-key"
    (bad_key / "scenarios").mkdir(parents=True)
    (bad_key / "secret_key").write_text("short\n")
    for data_dir, words in ((blocker / "data", "not writable"), (corrupt, "games database"),
                            (bad_key, "secret key")):
        run = run_measured(wargame("serve", "--port", "0", "--data-dir", str(data_dir)), timeout=60)
        assert run.returncode == 2, (run.stdout, run.stderr)
        lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and words in lines[0] and "Traceback" not in run.stderr, run.stderr
    assert (corrupt / DB_NAME).read_bytes() == b"this is not a database" * 100        # left as it was


def test_the_hook_is_inert_unless_set(monkeypatch, client):
    """Without WARGAME_TEST_SLOW_RESOLVE nothing waits; with it, the commit waits (checked without sleeping)."""
    import server.store as store

    slept: list[float] = []
    monkeypatch.setattr(store.time, "sleep", slept.append)
    monkeypatch.delenv(HOOK, raising=False)
    game = new_game(client)
    assert client.post(f"/api/games/{game['id']}/step").status_code == 200 and slept == []
    monkeypatch.setenv(HOOK, "2.5")
    assert client.post(f"/api/games/{game['id']}/step").status_code == 200 and slept == [2.5]



def test_a_game_whose_replay_differs_from_its_log_is_reported(data_dir, caplog):
    """After a model upgrade a restarted server replays every game; if the AI would now play differently, the log
    says so (the stored snapshots of the turns already played are never rewritten)."""
    app = create_app({"DATA_DIR": data_dir})
    client = app.test_client()
    game = new_game(client)
    assert client.post(f"/api/games/{game['id']}/step").status_code == 200
    with sqlite3.connect(data_dir / DB_NAME) as db:
        (text,) = db.execute("SELECT entry FROM game_orders WHERE game_id = ? AND turn = 1", (game["id"],)).fetchone()
        changed = json.loads(text)
        changed["orders"] = {"RUS": [{"kind": "hold"}]}
        db.execute("UPDATE game_orders SET entry = ? WHERE game_id = ? AND turn = 1", (json.dumps(changed), game["id"]))
    before = client.get(f"/api/games/{game['id']}").get_json()
    client = create_app({"DATA_DIR": data_dir}).test_client()          # a restart
    with caplog.at_level("WARNING", logger="server.games"):
        assert client.post(f"/api/games/{game['id']}/step").status_code == 200
    assert "replaying its orders gave other AI orders" in caplog.text
    after = client.get(f"/api/games/{game['id']}?turn=1").get_json()
    assert {**after, "latest_turn": 1, "status": "ready"} == before                       # turn 1 as stored


def test_a_game_the_model_can_no_longer_replay_is_a_clear_409(data_dir):
    """A human order the current model refuses (as after an upgrade) stops the game with one sentence, not a 500;
    its stored turns stay viewable and exportable."""
    app = create_app({"DATA_DIR": data_dir})
    client = app.test_client()
    game = new_game(client, human=["USA"])
    token = game["tokens"]["USA"]
    menu = client.get(f"/api/games/{game['id']}/seats/USA/orders", headers={"X-Seat-Token": token}).get_json()
    order = menu["feasible"][0]["order"]
    r = client.post(f"/api/games/{game['id']}/orders", json={"actor": "USA", "orders": [order]},
                    headers={"X-Seat-Token": token})
    assert r.status_code == 200 and r.get_json()["resolved"]
    with sqlite3.connect(data_dir / DB_NAME) as db:
        (text,) = db.execute("SELECT entry FROM game_orders WHERE game_id = ? AND turn = 1", (game["id"],)).fetchone()
        changed = json.loads(text)
        changed["orders"]["USA"] = [{"kind": "seize", "base": "tartus"}]        # refused by the model
        db.execute("UPDATE game_orders SET entry = ? WHERE game_id = ? AND turn = 1", (json.dumps(changed), game["id"]))
    client = create_app({"DATA_DIR": data_dir}).test_client()          # a restart
    r = client.get(f"/api/games/{game['id']}/seats/USA/orders", headers={"X-Seat-Token": token})
    assert r.status_code == 409 and "earlier version of the model" in r.get_json()["error"]
    assert client.get(f"/api/games/{game['id']}?turn=1").status_code == 200
    assert client.get(f"/api/games/{game['id']}/export").status_code == 200
