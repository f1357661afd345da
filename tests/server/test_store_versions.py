"""The games database grows by versioned steps: a database an earlier version wrote opens, upgrades and plays on;
one from a newer version is refused with one line."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from model.cli.main import main
from model.config.errors import UserError
from server import create_app, store
from server.store import DB_NAME, SCHEMA_VERSION, Store

DATA = Path(__file__).resolve().parents[1] / "data"
V1 = DATA / "store" / "games-v1.sql"          # written by the store of user_version 1; never regenerated
MINI = DATA / "scenarios" / "mini.yaml"


def v1_data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    (d / "scenarios").mkdir(parents=True)
    shutil.copy(MINI, d / "scenarios" / "mini.yaml")
    db = sqlite3.connect(d / DB_NAME)
    db.executescript(V1.read_text(encoding="utf-8"))
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    db.close()
    return d


def user_version(d: Path) -> int:
    db = sqlite3.connect(d / DB_NAME)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


def test_a_version_1_database_opens_and_its_games_play_on(tmp_path):
    d = v1_data_dir(tmp_path)
    client = create_app({"DATA_DIR": d, "TESTING": True}).test_client()
    assert user_version(d) == SCHEMA_VERSION
    listed = {g["id"]: g for g in client.get("/api/games").get_json()}
    assert {"v1ai", "v1human"} <= set(listed)

    ai = client.get("/api/games/v1ai").get_json()
    assert ai["turn"] == 1 and ai["status"] == "ready"
    stepped = client.post("/api/games/v1ai/step", json={})
    assert stepped.status_code == 200 and stepped.get_json()["turn"] == 2
    assert [r["turn"] for r in client.get("/api/games/v1ai/history").get_json()["rows"]] == [0, 1, 2]

    human = client.get("/api/games/v1human").get_json()
    assert human["turn"] == 1 and human["waiting_for"] == ["USA"]           # SYR's pending orders were kept
    token = {"X-Seat-Token": "v1-fixture-token-USA"}
    menu = client.get("/api/games/v1human/seats/USA/orders", headers=token).get_json()
    reply = client.post("/api/games/v1human/orders", headers=token,
                        json={"actor": "USA", "orders": [menu["feasible"][0]["order"]], "turn": 1})
    assert reply.status_code == 200 and reply.get_json()["resolved"] is True
    assert reply.get_json()["state"]["turn"] == 2

    created = client.post("/api/games", json={"scenario": "mini", "seed": 4, "turns": 3, "human": []})
    assert created.status_code == 201
    gid = created.get_json()["id"]
    assert client.post(f"/api/games/{gid}/step", json={}).get_json()["turn"] == 1


def test_upgrades_run_step_by_step_and_a_failed_step_keeps_the_last_whole_version(tmp_path, monkeypatch):
    d = v1_data_dir(tmp_path)
    steps = [["ALTER TABLE games ADD COLUMN note TEXT NOT NULL DEFAULT ''"],
             ["CREATE TABLE later (x INTEGER)", "INSERT INTO later VALUES (1)"]]
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, steps[0], ["CREATE TABLE half (x)", "BAD SQL"]])
    monkeypatch.setattr(store, "SCHEMA_VERSION", SCHEMA_VERSION + 2)
    with pytest.raises(UserError, match="cannot open the games database"):
        Store(d)
    db = sqlite3.connect(d / DB_NAME)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1      # the good step stayed
    assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'half'").fetchall()  # the bad one is undone
    db.close()

    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS[:-1], steps[1]])
    s = Store(d)                                    # picks up from where it stopped: only the last step runs
    assert s.version() == SCHEMA_VERSION + 2
    assert [tuple(r) for r in s._db().execute("SELECT x FROM later")] == [(1,)]   # (re-running step 1 would fail)
    assert s.game("v1ai").turn == 1
    assert s.upgrade() == 0


def test_a_new_database_goes_through_every_step(tmp_path):
    s = Store(tmp_path)
    assert s.version() == SCHEMA_VERSION
    tables = {r[0] for r in s._db().execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"games", "snapshots", "pending"} <= tables


def test_a_database_from_a_newer_version_is_refused_in_one_line(tmp_path, capsys):
    d = tmp_path / "data"
    d.mkdir()
    db = sqlite3.connect(d / DB_NAME)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(UserError) as exc:
        create_app({"DATA_DIR": d, "TESTING": True})
    text = str(exc.value)
    assert text.startswith(str(d / DB_NAME)) and "\n" not in text
    assert f"schema version {SCHEMA_VERSION + 1}, newer than this version of the wargame reads" in text
    assert main(["serve", "--data-dir", str(d), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "upgrade the wargame, or use another --data-dir" in err
    assert user_version(d) == SCHEMA_VERSION + 1                              # left as it was


V2 = DATA / "store" / "games-v2.sql"          # written by the store of user_version 2 (owners, before forks)


def test_a_version_2_database_upgrades_to_forks_and_its_games_fork(tmp_path):
    d = tmp_path / "data"
    (d / "scenarios").mkdir(parents=True)
    shutil.copy(MINI, d / "scenarios" / "mini.yaml")
    db = sqlite3.connect(d / DB_NAME)
    db.executescript(V2.read_text(encoding="utf-8"))
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    db.close()
    client = create_app({"DATA_DIR": d, "TESTING": True}).test_client()
    assert user_version(d) == SCHEMA_VERSION >= 3
    owner = {"X-Owner-Token": "v2-fixture-owner-ai"}
    ai = client.get("/api/games/v2ai").get_json()
    assert ai["turn"] == 3 and ai["parent"] is None and ai["parent_turn"] is None
    assert "forks" not in client.get("/api/games/v2ai/export").get_json()
    family = client.get("/api/games/v2ai/family").get_json()
    assert family["parent"] is None and family["forks"] == [] and family["forks_made"] == 0

    fork = client.post("/api/games/v2ai/fork", json={"turn": 2})
    assert fork.status_code == 201, fork.get_json()
    fid = fork.get_json()["id"]
    assert client.get(f"/api/games/{fid}/export").get_json()["forks"] == [{"turn": 2, "stream": 0}]
    assert client.post(f"/api/games/{fid}/step", json={}).get_json()["turn"] == 3
    assert client.post("/api/games/v2ai/step", json={}, headers=owner).get_json()["turn"] == 4
    assert [f["id"] for f in client.get("/api/games/v2ai/family").get_json()["forks"]] == [fid]

    token = {"X-Seat-Token": "v2-fixture-token-SYR"}
    human = client.post("/api/games/v2human/fork", json={}).get_json()
    assert human["parent_turn"] == 2 and set(human["tokens"]) == {"SYR"}
    reply = client.post("/api/games/v2human/orders", headers=token, json={"actor": "SYR", "orders": [], "turn": 2})
    assert reply.status_code == 200 and reply.get_json()["state"]["turn"] == 3


def data_dir_at_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: int) -> Path:
    """A data dir holding the version-2 fixture, migrated as far as the store of schema `version` took it."""
    d = tmp_path / "data"
    (d / "scenarios").mkdir(parents=True)
    shutil.copy(MINI, d / "scenarios" / "mini.yaml")
    db = sqlite3.connect(d / DB_NAME)
    db.executescript(V2.read_text(encoding="utf-8"))
    db.close()
    with monkeypatch.context() as patch:
        patch.setattr(store, "MIGRATIONS", store.MIGRATIONS[:version])
        patch.setattr(store, "SCHEMA_VERSION", version)
        Store(d).close()
    return d


def test_version_3_scenario_texts_move_out_of_the_games_rows_and_the_games_play_on(tmp_path, monkeypatch):
    """Step 3 -> 4 moves each game's resolved scenario into game_texts (a resolved turn rewrites its games row, which
    no longer holds the ~84 KB text): the texts stay whole, games replay, export and fork as before."""
    d = data_dir_at_version(tmp_path, monkeypatch, 3)
    db = sqlite3.connect(d / DB_NAME)
    texts = dict(db.execute("SELECT id, scenario_yaml FROM games").fetchall())
    db.close()
    assert user_version(d) == 3 and texts and all(len(t) > 100 for t in texts.values())

    client = create_app({"DATA_DIR": d, "TESTING": True}).test_client()
    assert user_version(d) == SCHEMA_VERSION >= 4
    db = sqlite3.connect(d / DB_NAME)
    assert {r[0] for r in db.execute("SELECT scenario_yaml FROM games")} == {""}
    assert dict(db.execute("SELECT game_id, scenario_yaml FROM game_texts").fetchall()) == texts
    db.close()
    assert client.get("/api/games/v2ai/export").get_json()["scenario_yaml"] == texts["v2ai"]
    owner = {"X-Owner-Token": "v2-fixture-owner-ai"}
    assert client.post("/api/games/v2ai/step", json={}, headers=owner).get_json()["turn"] == 4
    fork = client.post("/api/games/v2ai/fork", json={"turn": 2}).get_json()
    assert client.get(f"/api/games/{fork['id']}/export").get_json()["scenario_yaml"] == texts["v2ai"]

    created = client.post("/api/games", json={"scenario": "mini", "seed": 4, "turns": 3, "human": []}).get_json()
    assert client.post(f"/api/games/{created['id']}/step", json={}).get_json()["turn"] == 1
    assert client.delete(f"/api/games/{created['id']}",
                         headers={"X-Owner-Token": created["owner_token"]}).status_code == 204
    db = sqlite3.connect(d / DB_NAME)
    assert db.execute("SELECT length(scenario_yaml) FROM games WHERE id = ?", (fork["id"],)).fetchone() == (0,)
    assert db.execute("SELECT COUNT(*) FROM game_texts WHERE game_id = ?", (created["id"],)).fetchone() == (0,)
    db.close()


def test_version_4_orders_logs_move_out_of_the_games_rows_and_the_games_play_on(tmp_path, monkeypatch):
    """Step 4 -> 5 moves each game's orders log into game_orders, a row per month (a resolved turn adds its month
    instead of rewriting the whole log in the games row): the logs stay whole and games replay, step, export and
    fork as before; a new turn adds one row."""
    d = data_dir_at_version(tmp_path, monkeypatch, 4)
    db = sqlite3.connect(d / DB_NAME)
    logs = {gid: json.loads(text) for gid, text in db.execute("SELECT id, orders_log FROM games")}
    db.close()
    assert user_version(d) == 4 and len(logs["v2ai"]) == 3 and all(len(log) >= 1 for log in logs.values())

    client = create_app({"DATA_DIR": d, "TESTING": True}).test_client()
    assert user_version(d) == SCHEMA_VERSION >= 5
    db = sqlite3.connect(d / DB_NAME)
    assert {r[0] for r in db.execute("SELECT orders_log FROM games")} == {"[]"}
    moved: dict[str, list] = {}
    for gid, turn, entry in db.execute("SELECT game_id, turn, entry FROM game_orders ORDER BY game_id, turn"):
        moved.setdefault(gid, []).append(json.loads(entry))
        assert turn == len(moved[gid])
    db.close()
    assert moved == logs
    assert client.get("/api/games/v2ai/export").get_json()["orders"] == logs["v2ai"]

    owner = {"X-Owner-Token": "v2-fixture-owner-ai"}
    played = client.post("/api/games/v2ai/step", json={}, headers=owner).get_json()
    assert played["turn"] == 4
    log = client.get("/api/games/v2ai/export").get_json()["orders"]
    assert log[:3] == logs["v2ai"] and [e["turn"] for e in log] == [1, 2, 3, 4]
    restarted = create_app({"DATA_DIR": d, "TESTING": True}).test_client()     # a rebuild replays the moved log
    assert restarted.get("/api/games/v2ai").get_json() == client.get("/api/games/v2ai").get_json()
    fork = restarted.post("/api/games/v2ai/fork", json={"turn": 2}).get_json()
    assert restarted.get(f"/api/games/{fork['id']}/export").get_json()["orders"] == logs["v2ai"][:2]

    token = {"X-Seat-Token": "v2-fixture-token-SYR"}
    reply = restarted.post("/api/games/v2human/orders", headers=token, json={"actor": "SYR", "orders": [], "turn": 2})
    assert reply.status_code == 200 and reply.get_json()["state"]["turn"] == 3
    assert len(restarted.get("/api/games/v2human/export").get_json()["orders"]) == 3
    gone = restarted.delete(f"/api/games/{fork['id']}", headers={"X-Owner-Token": fork["owner_token"]})
    assert gone.status_code == 204
    db = sqlite3.connect(d / DB_NAME)
    assert db.execute("SELECT COUNT(*) FROM game_orders WHERE game_id = ?", (fork["id"],)).fetchone() == (0,)
    db.close()
