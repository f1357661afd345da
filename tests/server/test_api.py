"""The JSON API with Flask's test client: every endpoint and error status, seat tokens, snapshots, export/import."""
from __future__ import annotations

import json
import shutil
import stat
import threading
from pathlib import Path

import pytest

from model import WargameModel, load_scenario
from reliability_helpers import plain_client
from server import create_app
from server.scenarios import resolved_text, scenario_from_resolved

MINI = Path(__file__).parents[1] / "data" / "scenarios" / "mini.yaml"
JSON = "application/json"


@pytest.fixture()
def app(tmp_path):
    app = create_app({"DATA_DIR": tmp_path / "data", "TESTING": True})
    shutil.copy(MINI, app.config["USER_SCENARIO_DIR"] / "mini.yaml")
    return app


@pytest.fixture()
def client(app):
    return app.test_client()


def new_game(client, human=(), seed=3, turns=None, scenario="mini"):
    body = {"scenario": scenario, "seed": seed, "human": list(human)}
    if turns is not None:
        body["turns"] = turns
    r = client.post("/api/games", json=body)
    assert r.status_code == 201, r.json
    return r.json


def seat(token):
    return {"X-Seat-Token": token}


def error_of(r, status):
    assert r.status_code == status, (r.status_code, r.get_data(as_text=True))
    assert r.mimetype == JSON
    assert isinstance(r.json["error"], str) and r.json["error"]
    return r.json["error"]


def first_order(client, gid, actor, token):
    menu = client.get(f"/api/games/{gid}/seats/{actor}/orders", headers=seat(token)).json
    return menu["feasible"][0]["order"]


# ------------------------------------------------------------------------------------------------ scenarios
def test_scenario_list_has_builtin_baseline_and_user_mini(client):
    r = client.get("/api/scenarios")
    assert r.status_code == 200
    by_id = {s["id"]: s for s in r.json}
    assert by_id["baseline-2025"]["builtin"] is True and by_id["baseline-2025"]["name"]
    assert by_id["mini"] == {"id": "mini", "name": "Mini test scenario",
                             "description": "Four actors, three regions, three bases, two issues.",
                             "builtin": False, "extends": None}


def test_scenario_detail_and_unknown_ids(client):
    r = client.get("/api/scenarios/mini")
    assert r.status_code == 200 and r.json["yaml"] == MINI.read_text()
    assert "unknown scenario" in error_of(client.get("/api/scenarios/nope"), 404)
    for bad in ("..%2F..%2Fpyproject", "mini.yaml", "%2Fetc%2Fpasswd", ".hidden", "a..b"):
        r = client.get(f"/api/scenarios/{bad}")
        assert r.status_code == 404 and r.mimetype == JSON, bad


def test_validate_reports_every_error_with_its_line(client):
    ok = client.post("/api/scenarios/validate", json={"yaml": MINI.read_text()})
    assert ok.status_code == 200 and (ok.json["ok"], ok.json["errors"]) == (True, [])
    assert [a["id"] for a in ok.json["actors"]] == ["RUS", "SYR", "USA", "SDF"]
    text = MINI.read_text().replace("action_points: 2\n    goals:\n      tartus",
                                    "action_points: lots\n    goals:\n      tartus")
    text = text.replace("RUS-SYR: 0.1", "RUS-SYR: 7")
    lines = text.splitlines()
    r = client.post("/api/scenarios/validate", json={"yaml": text})
    assert r.status_code == 200 and r.json["ok"] is False
    found = {e["field"]: e for e in r.json["errors"]}
    assert lines[found["actors.RUS.action_points"]["line"] - 1].strip() == "action_points: lots"
    assert lines[found["relations.RUS-SYR"]["line"] - 1].strip() == "RUS-SYR: 7"
    assert all(e["message"] for e in r.json["errors"])


def test_validate_broken_yaml_and_extends(client):
    r = client.post("/api/scenarios/validate", json={"yaml": "name: x\nactors: [\n"})
    assert r.json["ok"] is False and r.json["errors"][0]["line"] is not None
    r = client.post("/api/scenarios/validate", json={"yaml": "extends: baseline-2025.yaml\nname: Variant\n"})
    assert (r.json["ok"], r.json["errors"]) == (True, [])
    r = client.post("/api/scenarios/validate", json={"yaml": "extends: nowhere.yaml\n"})
    assert r.json["ok"] is False and r.json["errors"][0]["field"] == "extends"
    assert error_of(client.post("/api/scenarios/validate", json={"text": "x"}), 400).startswith("yaml: is required")


def test_save_user_scenario_then_list_diff_and_play(client):
    text = "extends: baseline-2025.yaml\nname: Quick exit\nparams:\n  drift: 0.2\n"
    r = client.post("/api/scenarios", json={"id": "quick-exit", "yaml": text})
    assert r.status_code == 201 and r.json == {"id": "quick-exit"}
    summary = {s["id"]: s for s in client.get("/api/scenarios").json}["quick-exit"]
    assert summary["builtin"] is False and summary["extends"] == "baseline-2025" and summary["name"] == "Quick exit"
    d = client.get("/api/scenarios/quick-exit/diff").json
    assert d["parent"] == "baseline-2025"
    assert "-  drift: 0.1" in d["diff"] and "+  drift: 0.2" in d["diff"] and "+name: Quick exit" in d["diff"]
    assert client.get("/api/scenarios/mini/diff").json == {"parent": None, "diff": ""}
    against = client.get("/api/scenarios/quick-exit/diff?against=mini").json
    assert against["parent"] == "mini" and against["diff"]
    # the same id may be overwritten by the user
    assert client.post("/api/scenarios", json={"id": "quick-exit", "yaml": text + "turns: 3\n"}).status_code == 201
    g = new_game(client, scenario="quick-exit")
    assert client.get(f"/api/games/{g['id']}").json["max_turns"] == 3


def test_save_refuses_builtin_invalid_and_bad_ids(client, app):
    assert "built-in" in error_of(client.post("/api/scenarios", json={"id": "baseline-2025", "yaml": "x: 1"}), 409)
    r = client.post("/api/scenarios", json={"id": "broken", "yaml": "name: B\nactors: {}\nturns: zero\n"})
    error_of(r, 400)
    assert len(r.json["errors"]) >= 2 and all(e["line"] for e in r.json["errors"])
    assert not (app.config["USER_SCENARIO_DIR"] / "broken.yaml").exists()
    for bad in ("../evil", "a/b", "", "x" * 65, ".hidden"):
        r = client.post("/api/scenarios", json={"id": bad, "yaml": MINI.read_text()})
        assert error_of(r, 400).startswith("id:")
    assert client.post("/api/scenarios", json={"id": "loop", "yaml": MINI.read_text()}).status_code == 201
    assert "extend itself" in error_of(client.post("/api/scenarios", json={"id": "loop", "yaml": "extends: loop\n"}),
                                       400)


def test_save_refuses_an_extends_cycle_and_keeps_the_old_file(client, app):
    assert client.post("/api/scenarios", json={"id": "a1", "yaml": "extends: mini\nname: A\n"}).status_code == 201
    assert client.post("/api/scenarios", json={"id": "b1", "yaml": "extends: a1\nname: B\n"}).status_code == 201
    r = client.post("/api/scenarios", json={"id": "a1", "yaml": "extends: b1\nname: A2\n"})
    assert "cycle" in error_of(r, 400)
    assert (app.config["USER_SCENARIO_DIR"] / "a1.yaml").read_text() == "extends: mini\nname: A\n"


# ------------------------------------------------------------------------------------------------ create
@pytest.mark.parametrize("body, status, expected", [
    ({"seed": 1}, 400, "scenario: is required"),
    ({"scenario": "mini", "seed": "7"}, 400, "seed: expected an integer"),
    ({"scenario": "mini", "seed": 1.5}, 400, "seed: expected an integer"),
    ({"scenario": "mini", "seed": True}, 400, "seed: expected an integer"),
    ({"scenario": "mini", "seed": -1}, 400, "seed: expected a number >= 0"),
    ({"scenario": "mini", "turns": 0}, 400, "turns: expected a number >= 1"),
    ({"scenario": "mini", "turns": 241}, 400, "turns: expected a number <= 240"),
    ({"scenario": "mini", "human": ["XXX"]}, 400, "human.0: unknown actor 'XXX'"),
    ({"scenario": "mini", "human": ["SYR", "SYR"]}, 400, "human.1: 'SYR' is given twice"),
    ({"scenario": "mini", "human": "SYR"}, 400, "human: expected a list"),
    ({"scenario": "mini", "colour": "red"}, 400, "colour: is not a known field"),
    ({"scenario": "nope"}, 404, "unknown scenario 'nope'"),
    ({"scenario": "../../etc/passwd"}, 404, "unknown scenario"),
    ([1, 2], 400, "the request body must be a JSON object"),
])
def test_create_game_bad_input(client, body, status, expected):
    assert expected in error_of(client.post("/api/games", json=body), status)


def test_create_game_returns_links_and_tokens(client):
    g = new_game(client, human=["SYR", "USA"])
    assert set(g["tokens"]) == {"SYR", "USA"} and len(set(g["tokens"].values())) == 2
    assert g["watch_url"] == f"/game/{g['id']}"
    assert g["seat_urls"]["SYR"] == f"/game/{g['id']}?seat=SYR&token={g['tokens']['SYR']}"
    listed = {x["id"]: x for x in client.get("/api/games").json}[g["id"]]
    assert listed["status"] == "waiting" and listed["waiting_for"] == ["SYR", "USA"] and listed["turn"] == 0
    assert listed["max_turns"] == 6 and listed["seed"] == 3 and listed["scenario"] == "mini"


def test_defaults_seed_and_turns(client):
    r = client.post("/api/games", json={"scenario": "mini"})
    state = client.get(f"/api/games/{r.json['id']}").json
    assert isinstance(state["seed"], int) and state["max_turns"] == 6 and state["human"] == []


def test_tokens_are_stored_only_as_hashes(client, app):
    g = new_game(client, human=["SYR"])
    raw = (app.config["DATA_DIR"] / "games.sqlite3").read_bytes()
    wal = app.config["DATA_DIR"] / "games.sqlite3-wal"
    raw += wal.read_bytes() if wal.exists() else b""
    assert g["tokens"]["SYR"].encode() not in raw


# ------------------------------------------------------------------------------------------------ state
def test_state_shape_and_unknown_game(client):
    g = new_game(client)
    s = client.get(f"/api/games/{g['id']}").json
    for key in ("turn", "date", "max_turns", "done", "indicators", "actors", "relations", "bases", "regions",
                "issues", "events", "waiting_for", "id", "scenario", "seed", "status", "human", "latest_turn"):
        assert key in s
    assert s["status"] == "ready" and s["turn"] == 0 and len(s["relations"]) == 4
    assert "unknown game" in error_of(client.get("/api/games/nope"), 404)
    for path in ("/history", "/export", "/step", "/run"):
        method = client.get if path in ("/history", "/export") else client.post
        error_of(method(f"/api/games/nope{path}", json={}), 404)


def test_turn_snapshots_and_history(client):
    g = new_game(client, seed=11)
    states = [client.get(f"/api/games/{g['id']}").json]
    for _ in range(3):
        r = client.post(f"/api/games/{g['id']}/step", json={})
        assert r.status_code == 200
        states.append(r.json)
    for n, expected in enumerate(states):
        snap = client.get(f"/api/games/{g['id']}?turn={n}").json
        assert snap["turn"] == n and snap["latest_turn"] == 3
        assert {k: v for k, v in snap.items() if k not in ("latest_turn", "status", "waiting_for")} == \
            {k: v for k, v in expected.items() if k not in ("latest_turn", "status", "waiting_for")}
    assert "has not been played yet" in error_of(client.get(f"/api/games/{g['id']}?turn=4"), 404)
    assert "turn:" in error_of(client.get(f"/api/games/{g['id']}?turn=-1"), 400)
    assert "turn:" in error_of(client.get(f"/api/games/{g['id']}?turn=abc"), 400)
    assert "turn:" in error_of(client.get(f"/api/games/{g['id']}?turn={10**30}"), 400)
    rows = client.get(f"/api/games/{g['id']}/history").json["rows"]
    assert [r["turn"] for r in rows] == [0, 1, 2, 3]
    assert rows[3]["russia_bases_held"] == states[3]["indicators"]["russia_bases_held"]
    assert "relation.RUS.SYR" in rows[0] and "base.tartus.controller" in rows[0]


# ------------------------------------------------------------------------------------------------ seats
def test_orders_flow_one_human_seat_resolves_the_turn(client):
    g = new_game(client, human=["SYR"])
    gid, tok = g["id"], g["tokens"]["SYR"]
    menu = client.get(f"/api/games/{gid}/seats/SYR/orders", headers=seat(tok))
    assert menu.status_code == 200 and menu.json["actor"] == "SYR" and menu.json["submitted"] is False
    assert menu.json["action_points"] == 2
    first = menu.json["feasible"][0]
    assert {"order", "cost", "gain", "label"} <= set(first) and first["label"]
    r = client.post(f"/api/games/{gid}/orders", headers=seat(tok), json={"actor": "SYR", "orders": [first["order"]],
                                                                         "turn": 0})
    assert r.status_code == 200, r.json
    assert r.json["accepted"] == [first["order"]] and r.json["resolved"] is True
    assert r.json["state"]["turn"] == 1 and r.json["waiting_for"] == ["SYR"]
    state = client.get(f"/api/games/{gid}").json
    assert state["turn"] == 1 and state["status"] == "waiting" and state["waiting_for"] == ["SYR"]
    assert client.get(f"/api/games/{gid}/export").json["orders"][0]["orders"]["SYR"] == [first["order"]]


def test_orders_flow_on_the_baseline(client):
    g = new_game(client, human=["RUS"], scenario="baseline-2025", turns=3)
    gid, tok = g["id"], g["tokens"]["RUS"]
    menu = client.get(f"/api/games/{gid}/seats/RUS/orders", headers=seat(tok)).json
    affordable = [f for f in menu["feasible"] if f["cost"] <= menu["action_points"]]
    r = client.post(f"/api/games/{gid}/orders", headers=seat(tok), json={"actor": "RUS",
                                                                         "orders": [affordable[0]["order"]]})
    assert r.status_code == 200 and r.json["resolved"] is True and r.json["state"]["turn"] == 1
    assert len(r.json["state"]["actors"]) == 13


def test_two_seats_wait_for_each_other(client):
    g = new_game(client, human=["SYR", "USA"])
    gid, t = g["id"], g["tokens"]
    r = client.post(f"/api/games/{gid}/orders", headers=seat(t["SYR"]), json={"actor": "SYR", "orders": []})
    assert r.json == {"accepted": [], "waiting_for": ["USA"], "resolved": False}
    assert client.get(f"/api/games/{gid}").json["waiting_for"] == ["USA"]
    assert client.get(f"/api/games/{gid}/seats/SYR/orders", headers=seat(t["SYR"])).json["submitted"] is True
    assert "already submitted" in error_of(
        client.post(f"/api/games/{gid}/orders", headers=seat(t["SYR"]), json={"actor": "SYR", "orders": []}), 409)
    assert "orders pending" in error_of(client.post(f"/api/games/{gid}/step", json={}), 409)
    r = client.post(f"/api/games/{gid}/orders", headers=seat(t["USA"]), json={"actor": "USA", "orders": []})
    assert r.json["resolved"] is True and r.json["state"]["turn"] == 1
    assert r.json["waiting_for"] == ["SYR", "USA"]


def test_token_checks(client):
    g = new_game(client, human=["SYR", "USA"])
    gid, t = g["id"], g["tokens"]
    url = f"/api/games/{gid}/orders"
    body = {"actor": "SYR", "orders": []}
    assert "X-Seat-Token" in error_of(client.post(url, json=body), 403)
    assert "not the token" in error_of(client.post(url, headers=seat("wrong"), json=body), 403)
    assert "not the token" in error_of(client.post(url, headers=seat(t["USA"]), json=body), 403)
    assert "not a human seat" in error_of(client.post(url, headers=seat(t["SYR"]),
                                                      json={"actor": "RUS", "orders": []}), 403)
    menu = f"/api/games/{gid}/seats/SYR/orders"
    error_of(client.get(menu), 403)
    error_of(client.get(menu, headers=seat(t["USA"])), 403)
    error_of(client.get(f"/api/games/{gid}/seats/SYR/orders", headers=seat("x" * 5000)), 403)
    # watch-only: anyone can read the state, the history and the export
    for path in ("", "/history", "/export"):
        assert client.get(f"/api/games/{gid}{path}").status_code == 200
    assert client.get(f"/api/games/{gid}").json["waiting_for"] == ["SYR", "USA"]   # nothing was submitted


@pytest.mark.parametrize("orders, expected", [
    ([{"kind": "fly"}], "orders.0.kind: expected one of"),
    ([{"kind": "engage", "target": "MARS"}], "orders.0"),
    ([{"kind": "engage", "target": "USA", "colour": "red"}], "orders.0.colour: is not a known field"),
    ("engage", "orders: expected a list"),
    ([{"kind": "engage", "target": "USA"}] * 2, "orders.1"),
    ([{"kind": "engage", "target": "USA"}, {"kind": "engage", "target": "RUS"},
      {"kind": "engage", "target": "SDF"}], "action points"),
])
def test_bad_orders_are_400_and_leave_the_seat_free(client, orders, expected):
    g = new_game(client, human=["SYR"])
    gid, tok = g["id"], g["tokens"]["SYR"]
    msg = error_of(client.post(f"/api/games/{gid}/orders", headers=seat(tok), json={"actor": "SYR", "orders": orders}),
                   400)
    assert expected in msg
    r = client.post(f"/api/games/{gid}/orders", headers=seat(tok), json={"actor": "SYR", "orders": []})
    assert r.status_code == 200


def test_orders_missing_fields(client):
    g = new_game(client, human=["SYR"])
    gid, tok = g["id"], g["tokens"]["SYR"]
    assert "actor: is required" in error_of(client.post(f"/api/games/{gid}/orders", headers=seat(tok),
                                                        json={"orders": []}), 400)
    assert "orders: is required" in error_of(client.post(f"/api/games/{gid}/orders", headers=seat(tok),
                                                         json={"actor": "SYR"}), 400)


def test_stale_turn_is_409(client):
    g = new_game(client, human=["SYR"])
    gid, tok = g["id"], g["tokens"]["SYR"]
    client.post(f"/api/games/{gid}/orders", headers=seat(tok), json={"actor": "SYR", "orders": [], "turn": 0})
    msg = error_of(client.post(f"/api/games/{gid}/orders", headers=seat(tok),
                               json={"actor": "SYR", "orders": [], "turn": 0}), 409)
    assert "already been resolved" in msg
    a = new_game(client)
    assert client.post(f"/api/games/{a['id']}/step", json={"turn": 0}).status_code == 200
    assert "already been resolved" in error_of(client.post(f"/api/games/{a['id']}/step", json={"turn": 0}), 409)
    assert "turn: expected an integer" in error_of(client.post(f"/api/games/{a['id']}/step", json={"turn": "1"}), 400)


def test_a_turn_ahead_of_the_game_is_not_called_resolved(client):
    """A `turn` the game has not reached was answered "has already been resolved" by step, orders and withdraw."""
    ahead = "turn: turn 5 has not been played yet; the game is at turn 0"
    a = new_game(client)
    assert error_of(client.post(f"/api/games/{a['id']}/step", json={"turn": 5}), 409) == ahead
    g = new_game(client, human=["SYR"])
    gid, tok = g["id"], g["tokens"]["SYR"]
    assert error_of(client.post(f"/api/games/{gid}/orders", headers=seat(tok),
                                json={"actor": "SYR", "orders": [], "turn": 5}), 409) == ahead
    assert error_of(client.delete(f"/api/games/{gid}/seats/SYR/orders?turn=5", headers=seat(tok)), 409) == ahead
    assert client.get(f"/api/games/{gid}").json["turn"] == 0


def test_run_checks_the_turn_as_step_does(client):
    """`POST /run {"turn": 99}` ran the game to its end: the turn was validated and dropped."""
    a = new_game(client)
    url = f"/api/games/{a['id']}/run"
    assert error_of(client.post(url, json={"turn": 99}), 409) == \
        "turn: turn 99 has not been played yet; the game is at turn 0"
    assert client.get(f"/api/games/{a['id']}").json["turn"] == 0
    r = client.post(url, json={"turn": 0})
    assert r.status_code == 200 and r.json["done"] and r.json["turn"] == 6
    assert "already been resolved" in error_of(client.post(url, json={"turn": 0}), 409)      # a double click


def test_concurrent_submissions_of_one_seat_one_wins(app):
    clients = [app.test_client() for _ in range(6)]
    g = new_game(clients[0], human=["SYR", "USA"])
    results: list[int] = []

    def submit(c):
        r = c.post(f"/api/games/{g['id']}/orders", headers=seat(g["tokens"]["SYR"]),
                   json={"actor": "SYR", "orders": []})
        results.append(r.status_code)

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200] + [409] * 5


# ------------------------------------------------------------------------------------------------ steps
def test_step_run_and_the_end(client):
    g = new_game(client)
    gid = g["id"]
    r = client.post(f"/api/games/{gid}/step", data="", content_type="application/x-www-form-urlencoded")
    assert "application/json" in error_of(r, 415)                    # an (empty) form post
    error_of(client.post(f"/api/games/{gid}/step", data="turn=0", content_type="text/plain"), 415)
    r = client.post(f"/api/games/{gid}/step", json={})
    assert r.status_code == 200 and r.json["turn"] == 1 and r.json["id"] == gid
    r = client.post(f"/api/games/{gid}/step", data="", content_type=JSON)   # empty JSON body is fine
    assert r.status_code == 200 and r.json["turn"] == 2
    r = client.post(f"/api/games/{gid}/step")                       # no body and no Content-Type is fine too
    assert r.status_code == 200 and r.json["turn"] == 3
    assert "cross-origin" in error_of(client.post(f"/api/games/{gid}/step", headers={"Origin": "http://x.example"}),
                                      403)
    r = client.post(f"/api/games/{gid}/run", json={})
    assert r.status_code == 200 and r.json["turn"] == 6 and r.json["done"] is True and r.json["status"] == "finished"
    assert "has ended" in error_of(client.post(f"/api/games/{gid}/step", json={}), 409)
    assert "has ended" in error_of(client.post(f"/api/games/{gid}/run", json={}), 409)
    assert {x["id"]: x for x in client.get("/api/games").json}[gid]["status"] == "finished"


def test_run_and_orders_on_the_wrong_kind_of_game(client):
    h = new_game(client, human=["SYR"], turns=1)
    assert "human seats" in error_of(client.post(f"/api/games/{h['id']}/run", json={}), 409)
    tok = h["tokens"]["SYR"]
    client.post(f"/api/games/{h['id']}/orders", headers=seat(tok), json={"actor": "SYR", "orders": []})
    assert "has ended" in error_of(client.post(f"/api/games/{h['id']}/orders", headers=seat(tok),
                                               json={"actor": "SYR", "orders": []}), 409)
    assert client.get(f"/api/games/{h['id']}/seats/SYR/orders", headers=seat(tok)).json["feasible"] == []


# ------------------------------------------------------------------------------------------------ stream
def read_events(resp, limit=None):
    events, buf = [], ""
    for chunk in resp.response:
        buf += chunk.decode() if isinstance(chunk, bytes) else chunk
        while "\n\n" in buf:
            block, buf = buf.split("\n\n", 1)
            lines = dict(line.split(": ", 1) for line in block.splitlines())
            events.append((lines["event"], json.loads(lines["data"])))
            if limit and len(events) >= limit:
                return events
    return events


def test_stream_autoplays_to_the_end(client):
    g = new_game(client)
    r = client.get(f"/api/games/{g['id']}/stream?interval=0", buffered=False)
    assert r.status_code == 200 and r.mimetype == "text/event-stream"
    events = read_events(r)
    r.close()
    assert events[0] == ("mode", {"mode": "autoplay"})                 # the owner's stream plays the game
    assert [e for e, _ in events] == ["mode"] + ["state"] * 6 + ["done"]
    assert [d["turn"] for e, d in events if e == "state"] == [1, 2, 3, 4, 5, 6]
    assert client.get(f"/api/games/{g['id']}").json["status"] == "finished"
    again = client.get(f"/api/games/{g['id']}/stream?interval=0", buffered=False)
    assert [e for e, _ in read_events(again)] == ["mode", "done"]


def test_stream_stops_when_the_client_disconnects(client):
    g = new_game(client)
    r = client.get(f"/api/games/{g['id']}/stream?interval=0", buffered=False)
    assert [e for e, _ in read_events(r, limit=3)] == ["mode", "state", "state"]
    r.close()
    assert client.get(f"/api/games/{g['id']}").json["turn"] == 2


def test_stream_refuses_human_games_and_bad_intervals(client, app):
    h = new_game(client, human=["SYR"])
    assert "human seats" in error_of(client.get(f"/api/games/{h['id']}/stream"), 409)     # the owner's autoplay
    # a watcher (no token) follows it: it got the 409 about autoplay, which it never asked for
    r = plain_client(app).get(f"/api/games/{h['id']}/stream", buffered=False)
    assert r.status_code == 200 and read_events(r, limit=1) == [("mode", {"mode": "watch"})]
    r.close()
    a = new_game(client)
    assert "interval" in error_of(client.get(f"/api/games/{a['id']}/stream?interval=99"), 400)
    assert "interval" in error_of(client.get(f"/api/games/{a['id']}/stream?interval=soon"), 400)
    error_of(client.get("/api/games/nope/stream"), 404)


# ------------------------------------------------------------------------------------------------ export/import
def test_export_import_replays_to_the_identical_state(client):
    g = new_game(client, human=["SYR", "SDF"], seed=5)
    gid, t = g["id"], g["tokens"]
    for _ in range(3):
        for actor in ("SYR", "SDF"):
            order = first_order(client, gid, actor, t[actor])
            r = client.post(f"/api/games/{gid}/orders", headers=seat(t[actor]), json={"actor": actor,
                                                                                    "orders": [order]})
            assert r.status_code == 200, r.json
    exported = client.get(f"/api/games/{gid}/export").json
    assert exported["format"] == "syria-wargame/1" and exported["scenario"] == "mini"
    assert exported["seed"] == 5 and exported["human"] == ["SYR", "SDF"] and len(exported["orders"]) == 3
    r = client.post("/api/games/import", json=exported)
    assert r.status_code == 201 and r.json["replayed_identically"] is True
    assert set(r.json["tokens"]) == {"SYR", "SDF"} and r.json["tokens"] != t
    new = r.json["id"]

    def comparable(state):
        return {k: v for k, v in state.items() if k != "id"}
    for n in range(4):
        assert comparable(client.get(f"/api/games/{new}?turn={n}").json) == \
            comparable(client.get(f"/api/games/{gid}?turn={n}").json)
    assert client.get(f"/api/games/{new}/history").json == client.get(f"/api/games/{gid}/history").json
    # the imported game plays on with its new tokens
    r = client.post(f"/api/games/{new}/orders", headers=seat(r.json["tokens"]["SYR"]),
                    json={"actor": "SYR", "orders": []})
    assert r.status_code == 200 and r.json["waiting_for"] == ["SDF"]


def test_a_seat_consolidates_from_its_menu_and_such_games_export_and_import(client):
    """A consolidate order carries `into`, the base its troops go to. The menu offered such orders, but the orders
    API and the import refused the field (400 "orders.0.into: is not a known field"): a human US or Russian seat
    could not consolidate, and 5 of 6 exported baseline games (the AI consolidates) would not import."""
    g = new_game(client, human=["USA"], seed=0, scenario="baseline-2025")
    gid, tok = g["id"], g["tokens"]["USA"]
    menu = client.get(f"/api/games/{gid}/seats/USA/orders", headers=seat(tok)).json
    order = next(o["order"] for o in menu["feasible"] if o["order"]["kind"] == "consolidate")
    assert set(order) == {"kind", "base", "into"}
    r = client.post(f"/api/games/{gid}/orders", headers=seat(tok), json={"actor": "USA", "orders": [order]})
    assert r.status_code == 200 and r.json["accepted"] == [order], r.json
    assert client.get(f"/api/games/{gid}").json["turn"] == 1          # the only seat: the month resolved
    logged = client.get(f"/api/games/{gid}/export").json
    assert logged["orders"][0]["orders"]["USA"] == [order]
    r = client.post("/api/games/import", json=logged)
    assert r.status_code == 201 and r.json["replayed_identically"] is True, r.json
    ai = new_game(client, seed=0, scenario="baseline-2025")           # the AI's own consolidations
    for _ in range(2):
        assert client.post(f"/api/games/{ai['id']}/step", json={},
                           headers={"X-Owner-Token": ai["owner_token"]}).status_code == 200
    exported = client.get(f"/api/games/{ai['id']}/export").json
    assert any(o["kind"] == "consolidate" for month in exported["orders"] for given in month["orders"].values()
               for o in given)
    r = client.post("/api/games/import", json=exported)
    assert r.status_code == 201 and r.json["replayed_identically"] is True, r.json


def test_import_bad_exports(client):
    g = new_game(client, human=["SYR"])
    client.post(f"/api/games/{g['id']}/orders", headers=seat(g["tokens"]["SYR"]), json={"actor": "SYR", "orders": []})
    good = client.get(f"/api/games/{g['id']}/export").json
    cases = [
        ({**good, "format": "other/9"}, "format: expected one of"),
        ({**good, "seed": "5"}, "seed: expected an integer"),
        ({**good, "human": ["NOPE"]}, "human.0: unknown actor"),
        ({**good, "scenario_yaml": "name: x\n"}, "scenario_yaml:"),
        ({**good, "turns": 0}, "turns: expected a number >= 1"),
        ({**good, "orders": [{"turn": 2, "orders": {}}]}, "orders.0.turn: expected 1"),
        ({**good, "orders": [{"turn": 1, "orders": {"SYR": [{"kind": "engage", "target": "MARS"}]}}]},
         "orders.0.orders.SYR"),
        ({k: v for k, v in good.items() if k != "seed"}, "seed: is required"),
    ]
    for body, expected in cases:
        assert expected in error_of(client.post("/api/games/import", json=body), 400)
    # orders the computer did not give for an AI actor are refused, not dropped (they used to give 201 and
    # replayed_identically: false)
    tampered = {**good, "orders": [{"turn": 1, "orders": {"SYR": [], "RUS": [{"kind": "engage", "target": "USA"}]}}]}
    msg = error_of(client.post("/api/games/import", json=tampered), 400)
    assert msg.startswith("orders.0.orders.RUS: RUS is played by the computer") and "engage" in msg


def test_an_export_missing_computer_played_orders_is_refused(client):
    """Orders missing for an AI actor (one deleted from a month, or every month emptied) imported with 201 and
    replayed_identically: false; they are refused as a changed AI order is, naming the actor's orders."""
    g = new_game(client, seed=11, turns=4)
    assert client.post(f"/api/games/{g['id']}/run", json={}).status_code == 200
    good = client.get(f"/api/games/{g['id']}/export").json
    month, actor = next((n, a) for n, e in enumerate(good["orders"]) for a, given in e["orders"].items() if given)
    one_gone = json.loads(json.dumps(good))
    del one_gone["orders"][month]["orders"][actor]
    msg = error_of(client.post("/api/games/import", json=one_gone), 400)
    assert msg.startswith(f"orders.{month}.orders.{actor}: {actor} is played by the computer") and \
        "where the file says no orders" in msg
    emptied = {**good, "orders": [{"turn": n + 1, "orders": {}} for n in range(len(good["orders"]))]}
    assert error_of(client.post("/api/games/import", json=emptied), 400).startswith("orders.")
    r = client.post("/api/games/import", json=good)
    assert r.status_code == 201 and r.json["replayed_identically"] is True


# ------------------------------------------------------------------------------------------------ security & errors
def test_form_posts_cross_origin_and_oversized_bodies(client):
    assert "forms are not accepted" in error_of(client.post("/api/games", data={"scenario": "mini"}), 415)
    error_of(client.post("/api/scenarios/validate", data="yaml=x", content_type="text/plain"), 415)
    r = client.post("/api/games", json={"scenario": "mini"}, headers={"Origin": "http://evil.example"})
    assert "cross-origin" in error_of(r, 403)
    assert client.post("/api/games", json={"scenario": "mini"},
                       headers={"Origin": "http://localhost"}).status_code == 201
    big = {"yaml": "# " + "x" * 1_100_000}
    assert "too large" in error_of(client.post("/api/scenarios/validate", json=big), 413)
    assert "not valid JSON" in error_of(client.post("/api/games", data="{nope", content_type=JSON), 400)


def test_json_errors_for_unknown_paths_methods_and_crashes(client, app, monkeypatch):
    assert "no such endpoint" in error_of(client.get("/api/nothing"), 404)
    # /api itself was the HTML error page, and a doubled slash werkzeug's HTML 308 to another URL
    assert error_of(client.get("/api"), 404) == "no such endpoint: GET /api"
    g = new_game(client)
    assert error_of(client.get(f"/api/games/{g['id']}//history"), 404).startswith("no such endpoint")
    assert error_of(client.get("/api/games//history"), 404).startswith("no such endpoint")
    r = client.delete("/api/games", json={})
    assert "not allowed" in error_of(r, 405) and "GET" in r.headers["Allow"]

    def boom():
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(app.extensions["wargame.games"], "list", boom)
    msg = error_of(client.get("/api/games"), 500)
    assert "disk on fire" not in msg


def test_the_access_log_escapes_control_characters_of_the_path(app):
    """A path's %0A reached the log decoded, so a request wrote a forged line ('127.0.0.1 "DELETE ..." 204'), and
    %00 made grep call the log binary."""
    import io

    from werkzeug.test import Client

    from server.security import AccessLog
    out = io.StringIO()
    forged = '/api/games/x%0A127.0.0.1%20%22DELETE%20%2Fapi%2Fgames%2FE4gR%22%20204%201ms%00'
    Client(AccessLog(app, out)).get(forged + "?token=secret", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    line = out.getvalue()
    assert line.count("\n") == 1 and "\x00" not in line and "secret" not in line
    assert line.startswith('127.0.0.1 "GET /api/games/x\\x0a127.0.0.1 \\x22DELETE /api/games/E4gR\\x22 204 1ms\\x00'
                           '?token=[redacted]" 404 '), line


def test_security_headers_and_secret_key(client, app):
    for path in ("/api/scenarios", "/api/openapi.json", "/"):
        h = client.get(path).headers
        csp = h["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "http" not in h["Content-Security-Policy"]
        assert h["X-Content-Type-Options"] == "nosniff" and h["Referrer-Policy"] == "no-referrer"
    key_file = app.config["DATA_DIR"] / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert app.config["SECRET_KEY"] == key_file.read_text().strip() and len(app.config["SECRET_KEY"]) >= 32
    again = create_app({"DATA_DIR": app.config["DATA_DIR"]})
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"] and again.debug is False


def test_openapi_document_lists_every_path(client):
    doc = client.get("/api/openapi.json").json
    assert doc["openapi"].startswith("3.")
    paths = doc["paths"]
    for p, methods in {"/api/scenarios": {"get", "post"}, "/api/scenarios/{scenario_id}": {"get"},
                       "/api/scenarios/validate": {"post"}, "/api/scenarios/{scenario_id}/diff": {"get"},
                       "/api/games": {"get", "post"}, "/api/games/{game_id}": {"get"},
                       "/api/games/{game_id}/history": {"get"}, "/api/games/{game_id}/seats/{actor}/orders": {"get"},
                       "/api/games/{game_id}/orders": {"post"}, "/api/games/{game_id}/step": {"post"},
                       "/api/games/{game_id}/run": {"post"}, "/api/games/{game_id}/stream": {"get"},
                       "/api/games/{game_id}/export": {"get"}, "/api/games/import": {"post"}}.items():
        assert methods <= set(paths[p]), p
    assert "CreateGameIn" in doc["components"]["schemas"]
    params = {q["name"] for q in paths["/api/games/{game_id}/orders"]["post"]["parameters"]}
    assert "X-Seat-Token" in params
    assert "ValidationErrorModel" not in doc["components"]["schemas"]


# ------------------------------------------------------------------------------------------------ store & restart
def test_a_new_app_on_the_same_data_dir_resumes_games_and_pending_orders(app, tmp_path):
    c = app.test_client()
    g = new_game(c, human=["SYR", "USA"])
    gid, t = g["id"], g["tokens"]
    for actor in ("SYR", "USA"):
        c.post(f"/api/games/{gid}/orders", headers=seat(t[actor]), json={"actor": actor, "orders": []})
    order = first_order(c, gid, "SYR", t["SYR"])
    c.post(f"/api/games/{gid}/orders", headers=seat(t["SYR"]), json={"actor": "SYR", "orders": [order]})
    before = c.get(f"/api/games/{gid}").json
    c2 = create_app({"DATA_DIR": app.config["DATA_DIR"]}).test_client()
    assert c2.get(f"/api/games/{gid}").json == before
    assert "already submitted" in error_of(c2.post(f"/api/games/{gid}/orders", headers=seat(t["SYR"]),
                                                   json={"actor": "SYR", "orders": []}), 409)
    r = c2.post(f"/api/games/{gid}/orders", headers=seat(t["USA"]), json={"actor": "USA", "orders": []})
    assert r.json["state"]["turn"] == 2
    assert c2.get(f"/api/games/{gid}/export").json["orders"][1]["orders"]["SYR"] == [order]


def test_interrupted_turn_is_resolved_on_restart(app):
    """All seats submitted, then the server stopped before the turn committed: the next start resolves it."""
    c = app.test_client()
    g = new_game(c, human=["SYR"])
    store = app.extensions["wargame.store"]
    store.add_pending(g["id"], 1, "SYR", [], "ready")       # what a crash between submit and resolve leaves
    c2 = create_app({"DATA_DIR": app.config["DATA_DIR"]}).test_client()
    state = c2.get(f"/api/games/{g['id']}").json
    assert state["turn"] == 1 and state["status"] == "waiting"


def test_failed_commit_leaves_the_game_at_the_old_turn(app, monkeypatch):
    c = app.test_client()
    g = new_game(c)
    c.post(f"/api/games/{g['id']}/step", json={})
    store = app.extensions["wargame.store"]

    def crash(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(store, "commit_turn", crash)
    assert c.post(f"/api/games/{g['id']}/step", json={}).status_code == 500
    monkeypatch.undo()
    assert c.get(f"/api/games/{g['id']}").json["turn"] == 1
    r = c.post(f"/api/games/{g['id']}/step", json={})
    fresh = new_game(c)
    for _ in range(2):
        expected = c.post(f"/api/games/{fresh['id']}/step", json={}).json
    assert r.json["turn"] == 2 and r.json["indicators"] == expected["indicators"]


def test_models_evicted_from_the_cache_are_rebuilt_identically(tmp_path):
    app = create_app({"DATA_DIR": tmp_path, "GAME_CACHE_SIZE": 1})
    shutil.copy(MINI, app.config["USER_SCENARIO_DIR"] / "mini.yaml")
    c = app.test_client()
    a, b = new_game(c, seed=9), new_game(c, seed=9)
    for _ in range(3):                 # alternate so each step rebuilds the other game from the store
        sa = c.post(f"/api/games/{a['id']}/step", json={}).json
        sb = c.post(f"/api/games/{b['id']}/step", json={}).json
        assert {k: v for k, v in sa.items() if k != "id"} == {k: v for k, v in sb.items() if k != "id"}


def test_resolved_scenario_text_plays_exactly_like_the_file():
    sc = load_scenario(MINI)
    again = scenario_from_resolved(resolved_text(sc))
    a, b = WargameModel(sc, seed=4).run(), WargameModel(again, seed=4).run()
    assert a.state() == b.state() and a.orders_log == b.orders_log


def test_small_wording_and_body_inconsistencies(client, tmp_path):
    """A JSON string body was 'the request body expected valid JSON' (flask-openapi3 read its text as JSON again,
    so a string holding an object's text was even accepted); 'after 1 turns'; an empty fork body was 400 where
    step and run take one; a broken question file's error showed the server's path to it."""
    for body, shown in [('"x"', '"x"'), ('"{\\"scenario\\": \\"mini\\"}"', '"{\\"scenario\\": \\"mini\\"}"'),
                        ("1", "1")]:
        r = client.post("/api/games", data=body, content_type=JSON)
        assert error_of(r, 400) == f"the request body must be a JSON object, got {shown}"
    assert client.get("/api/games").json == []
    g = new_game(client, turns=1)
    assert client.post(f"/api/games/{g['id']}/fork").status_code == 201                  # no body: the current month
    assert client.post(f"/api/games/{g['id']}/run", json={}).status_code == 200
    assert error_of(client.post(f"/api/games/{g['id']}/step", json={}), 409) == "the game has ended after 1 turn"
    assert error_of(client.post(f"/api/games/{g['id']}/fork", json=[]), 400).endswith("got []")

    cfg = tmp_path / "cfg"
    (cfg / "questions").mkdir(parents=True)
    (cfg / "questions" / "broken.yaml").write_text("name: [\n")
    app = create_app({"DATA_DIR": tmp_path / "d2", "TESTING": True, "CONFIG_DIRS": [cfg]})
    r = app.test_client().post("/api/forecast", json={"questions": "broken", "scenario": "baseline-2025"})
    assert error_of(r, 400).startswith("broken.yaml:2: invalid YAML") and str(tmp_path) not in r.json["error"]
