"""Issue 11 through the JSON API (Flask's test client): forks, families, branches, futures jobs, two moves compared,
after-action reviews; bad input is a 400 naming the field, unknown ids 404, missing or wrong tokens 403."""
from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from model import WargameModel
from reliability_helpers import plain_client
from server import create_app

MINI = Path(__file__).parents[1] / "data" / "scenarios" / "mini.yaml"
JSON = "application/json"
IDENTITY = ("id", "scenario", "scenario_name", "seed", "status", "human", "waiting_for", "latest_turn", "has_owner",
            "parent", "parent_turn")


def make_app(data_dir: Path, **config):
    app = create_app({"DATA_DIR": data_dir, "TESTING": True, **config})
    shutil.copy(MINI, app.config["USER_SCENARIO_DIR"] / "mini.yaml")
    return app


@pytest.fixture()
def app(tmp_path):
    return make_app(tmp_path / "data")


@pytest.fixture()
def client(app):
    return app.test_client()


def new_game(client, human=(), seed=3, turns=6):
    r = client.post("/api/games", json={"scenario": "mini", "seed": seed, "turns": turns, "human": list(human)})
    assert r.status_code == 201, r.json
    return r.json


def steps(client, gid, k):
    for _ in range(k):
        r = client.post(f"/api/games/{gid}/step", json={})
        assert r.status_code == 200, r.json


def error_of(r, status, field=None):
    assert r.status_code == status, (r.status_code, r.get_data(as_text=True))
    assert r.mimetype == JSON
    message = r.json["error"]
    assert isinstance(message, str) and message
    if field is not None:
        assert re.search(rf"(^|\W){re.escape(field)}(\W|$)", message), message
    return message


def wait_job(client, jid, timeout=240.0):
    deadline = time.monotonic() + timeout
    while True:
        r = client.get(f"/api/futures/{jid}")
        assert r.status_code == 200, r.json
        if r.json["state"] in ("done", "failed", "cancelled"):
            return r.json
        assert time.monotonic() < deadline, r.json
        time.sleep(0.05)


def without_identity(state):
    return {k: v for k, v in state.items() if k not in IDENTITY}


def seat(token):
    return {"X-Seat-Token": token}


def menu(client, gid, actor, token):
    r = client.get(f"/api/games/{gid}/seats/{actor}/orders", headers=seat(token))
    assert r.status_code == 200, r.json
    return [f["order"] for f in r.json["feasible"]]


# ------------------------------------------------------------------------------------------------- forks
def test_a_fork_replays_to_its_month_and_then_plays_its_own_stream(client):
    parent = new_game(client)
    steps(client, parent["id"], 3)
    r = client.post(f"/api/games/{parent['id']}/fork", json={"turn": 2})
    assert r.status_code == 201, r.json
    fork = r.json
    assert fork["parent"] == parent["id"] and fork["parent_turn"] == 2 and fork["stream"] == 0
    assert fork["owner_token"] and fork["owner_token"] != parent["owner_token"]
    assert fork["links"]["game"] == f"/game/{fork['id']}" and fork["links"]["parent"] == f"/game/{parent['id']}"

    state = client.get(f"/api/games/{fork['id']}").json
    assert state["turn"] == 2 and state["parent"] == parent["id"] and state["parent_turn"] == 2
    assert without_identity(state) == without_identity(client.get(f"/api/games/{parent['id']}?turn=2").json)
    rows = client.get(f"/api/games/{fork['id']}/history").json["rows"]
    assert rows == client.get(f"/api/games/{parent['id']}/history").json["rows"][:3]

    # months after the fork come from the fork's own stream: model.fork(stream=0) at month 2
    steps(client, fork["id"], 2)
    export = client.get(f"/api/games/{parent['id']}/export").json
    m = WargameModel.from_export(export, turn=2).fork(stream=0)
    m.run(2)
    got = client.get(f"/api/games/{fork['id']}/history").json["rows"]
    assert [r_["turn"] for r_ in got] == [0, 1, 2, 3, 4]
    expected = json.loads(json.dumps(m.indicators().iloc[3:5].to_dict("records"), default=str))
    assert [r_["russia_isolation"] for r_ in got[3:]] == pytest.approx([e["russia_isolation"] for e in expected])
    assert [r_["relation.RUS.SYR"] for r_ in got[3:]] == pytest.approx([e["relation.RUS.SYR"] for e in expected])


def test_repeated_forks_at_one_month_get_their_own_streams_and_differ(client):
    parent = new_game(client)
    steps(client, parent["id"], 1)
    forks = [client.post(f"/api/games/{parent['id']}/fork", json={"turn": 1}).json for _ in range(3)]
    assert [f["stream"] for f in forks] == [0, 1, 2]
    exports = [client.get(f"/api/games/{f['id']}/export").json for f in forks]
    assert [e["forks"] for e in exports] == [[{"turn": 1, "stream": k}] for k in range(3)]
    for f in forks:
        steps(client, f["id"], 5)
    ends = [client.get(f"/api/games/{f['id']}/history").json["rows"] for f in forks]
    assert ends[0] != ends[1] and ends[1] != ends[2]


def test_a_fork_is_rebuilt_from_the_store_after_a_restart(tmp_path):
    d = tmp_path / "data"
    first = make_app(d).test_client()
    parent = new_game(first)
    steps(first, parent["id"], 2)
    fork = first.post(f"/api/games/{parent['id']}/fork", json={"turn": 1}).json
    steps(first, fork["id"], 1)                        # the live model made by the fork
    again = make_app(d).test_client()                  # a restart: the fork replays from the store
    steps(again, fork["id"], 2)
    rows = again.get(f"/api/games/{fork['id']}/history").json["rows"]
    m = WargameModel.from_export(first.get(f"/api/games/{parent['id']}/export").json, turn=1).fork(stream=0)
    m.run(3)
    want = m.indicators()
    assert [r["relation.RUS.SYR"] for r in rows] == pytest.approx(list(want["relation.RUS.SYR"]))
    assert [r["russia_isolation"] for r in rows] == pytest.approx(list(want["russia_isolation"]))


def test_an_exported_fork_imports_with_its_fork_points_and_replays_identically(client):
    parent = new_game(client)
    steps(client, parent["id"], 2)
    fork = client.post(f"/api/games/{parent['id']}/fork", json={"turn": 2}).json
    steps(client, fork["id"], 2)
    export = client.get(f"/api/games/{fork['id']}/export").json
    assert export["forks"] == [{"turn": 2, "stream": 0}]
    r = client.post("/api/games/import", json=export)
    assert r.status_code == 201 and r.json["replayed_identically"] is True
    assert (client.get(f"/api/games/{r.json['id']}/history").json["rows"]
            == client.get(f"/api/games/{fork['id']}/history").json["rows"])
    bad = {**export, "forks": [{"turn": 9, "stream": 0}]}
    error_of(client.post("/api/games/import", json=bad), 400, "forks.0.turn")
    error_of(client.post("/api/games/import", json={**export, "forks": [{"turn": 1}]}), 400, "forks.0.stream")


def test_a_fork_of_a_game_with_seats_gives_new_seat_tokens_and_leaves_pending_orders(client):
    parent = new_game(client, human=["SYR", "USA"])
    for actor in ("SYR", "USA"):
        tok = parent["tokens"][actor]
        client.post(f"/api/games/{parent['id']}/orders", headers=seat(tok), json={"actor": actor, "orders": []})
    tok = parent["tokens"]["SYR"]
    client.post(f"/api/games/{parent['id']}/orders", headers=seat(tok), json={"actor": "SYR", "orders": []})
    assert client.get(f"/api/games/{parent['id']}").json["waiting_for"] == ["USA"]
    fork = plain_client(client.application).post(f"/api/games/{parent['id']}/fork", json={}).json   # anyone forks
    assert fork["parent_turn"] == 1 and set(fork["tokens"]) == {"SYR", "USA"}
    assert not set(fork["tokens"].values()) & set(parent["tokens"].values())
    state = client.get(f"/api/games/{fork['id']}").json
    assert state["waiting_for"] == ["SYR", "USA"]                  # the parent's pending SYR orders stayed there
    assert client.get(f"/api/games/{parent['id']}").json["waiting_for"] == ["USA"]
    error_of(client.get(f"/api/games/{fork['id']}/seats/SYR/orders", headers=seat(tok)), 403)
    assert menu(client, fork["id"], "SYR", fork["tokens"]["SYR"])


def test_fork_bad_input(client):
    g = new_game(client)
    steps(client, g["id"], 1)
    error_of(client.post(f"/api/games/{g['id']}/fork", json={"turn": 2}), 400, "turn")
    error_of(client.post(f"/api/games/{g['id']}/fork", json={"turn": -1}), 400, "turn")
    error_of(client.post(f"/api/games/{g['id']}/fork", json={"turn": "1"}), 400, "turn")
    error_of(client.post(f"/api/games/{g['id']}/fork", json={"month": 1}), 400, "month")
    error_of(client.post("/api/games/nosuchgame/fork", json={"turn": 0}), 404)


# ------------------------------------------------------------------------------------------- family, branches
def test_the_family_lists_parents_and_forks(client):
    root = new_game(client)
    steps(client, root["id"], 2)
    a = client.post(f"/api/games/{root['id']}/fork", json={"turn": 1}).json
    b = client.post(f"/api/games/{root['id']}/fork", json={"turn": 2}).json
    c = client.post(f"/api/games/{a['id']}/fork", json={"turn": 1}).json
    fam = client.get(f"/api/games/{root['id']}/family").json
    assert fam["parent"] is None and fam["forks_total"] == 2 and fam["forks_made"] == 2
    assert [(f["id"], f["parent_turn"]) for f in fam["forks"]] == [(a["id"], 1), (b["id"], 2)]
    fam_c = client.get(f"/api/games/{c['id']}/family").json
    assert [x["id"] for x in fam_c["ancestors"]] == [a["id"], root["id"]]
    assert fam_c["parent"]["forked_at"] == 1 and fam_c["parent"]["exists"] is True
    assert c["stream"] == 0                       # a's first fork: streams are per parent
    client.delete(f"/api/games/{a['id']}")
    orphan = client.get(f"/api/games/{c['id']}/family").json
    assert orphan["parent"] == {"id": a["id"], "exists": False, "forked_at": 1}
    error_of(client.get("/api/games/nosuchgame/family"), 404)


def test_two_branches_compared_month_by_month(client):
    parent = new_game(client)
    steps(client, parent["id"], 2)
    fork = client.post(f"/api/games/{parent['id']}/fork", json={"turn": 2}).json
    same = client.get(f"/api/games/{fork['id']}/branches/{parent['id']}").json
    assert same["turn"] == 2 and same["differences"] == [] and same["diverged"] is None and same["same_scenario"]
    steps(client, parent["id"], 4)
    steps(client, fork["id"], 4)
    r = client.get(f"/api/games/{fork['id']}/branches/{parent['id']}?turn=6")
    assert r.status_code == 200
    diff = r.json
    assert diff["turn"] == 6 and diff["total"] >= 1 and diff["diverged"] in (3, 4, 5, 6)
    fork_row = client.get(f"/api/games/{fork['id']}/history").json["rows"][6]
    parent_row = client.get(f"/api/games/{parent['id']}/history").json["rows"][6]
    for d in diff["differences"]:
        assert d["a"] == fork_row[d["column"]] and d["b"] == parent_row[d["column"]]
        if d["kind"] == "number":
            assert abs(d["difference"]) >= diff["min_difference"]
    kinds = [d["kind"] for d in diff["differences"]]
    assert kinds == sorted(kinds, key=lambda k: k == "number")          # text first
    assert client.get(f"/api/games/{fork['id']}/branches/{parent['id']}?turn=2").json["differences"] == []
    error_of(client.get(f"/api/games/{fork['id']}/branches/{parent['id']}?turn=7"), 400, "turn")
    error_of(client.get(f"/api/games/{fork['id']}/branches/nosuchgame"), 404)


# ------------------------------------------------------------------------------------------------ futures
def test_futures_run_in_the_background_and_give_fans_odds_and_shares(client):
    g = new_game(client)
    steps(client, g["id"], 2)
    r = client.post(f"/api/games/{g['id']}/futures", json={"n": 6, "months": 3})
    assert r.status_code == 202, r.json
    started = r.json
    assert started["job"] == started["id"] and started["kind"] == "futures" and started["owner_token"]
    assert started["turn"] == 2 and started["cost"] == 18 and started["reused"] is False
    job = wait_job(client, started["id"])
    assert job["state"] == "done", job
    res = job["result"]
    assert res["n"] == 6 and res["months"] == 3 and len(res["dates"]) == 4 and res["from"]["turn"] == 2
    fan = res["fans"]["russia_isolation"]
    assert len(fan["p50"]) == 4 and all(a <= b <= c for a, b, c in zip(fan["p5"], fan["p50"], fan["p95"], strict=True))
    assert "relation.RUS.SYR" in res["fans"]
    for b in res["bases"].values():
        assert sum(b["p"].values()) == pytest.approx(1.0)
    assert res["regions"] and res["blocs"] and job["progress"]["done"] == 6
    again = client.post(f"/api/games/{g['id']}/futures", json={"n": 6, "months": 3}).json
    assert again["reused"] is True and again["id"] == started["id"] and again["owner_token"] is None


def test_futures_are_the_same_on_the_pool_as_in_a_thread(tmp_path, client):
    g = new_game(client)
    steps(client, g["id"], 1)
    thread = wait_job(client, client.post(f"/api/games/{g['id']}/futures", json={"n": 5, "months": 2}).json["id"])
    pooled_app = make_app(tmp_path / "data2", FUTURES_THREAD_TURNS=0, FUTURES_WORKERS=1)
    pc = pooled_app.test_client()
    export = client.get(f"/api/games/{g['id']}/export").json
    h = pc.post("/api/games/import", json=export).json
    pooled = wait_job(pc, pc.post(f"/api/games/{h['id']}/futures", json={"n": 5, "months": 2}).json["id"])
    assert pooled["state"] == "done", pooled
    assert pooled["result"]["fans"] == thread["result"]["fans"]
    assert pooled["result"]["bases"] == thread["result"]["bases"]
    pooled_app.extensions["wargame.futures"].close()


def test_futures_bad_input_names_the_field(client):
    g = new_game(client)
    gid = g["id"]
    error_of(client.post(f"/api/games/{gid}/futures", json={"n": 0, "months": 3}), 400, "n")
    error_of(client.post(f"/api/games/{gid}/futures", json={"n": 5, "months": 9999}), 400, "months")
    error_of(client.post(f"/api/games/{gid}/futures", json={"n": "many"}), 400, "n")
    error_of(client.post(f"/api/games/{gid}/futures", json={"n": 10**6, "months": 12}), 400, "n")
    error_of(client.post(f"/api/games/{gid}/futures", json={"n": 5, "relations": ["RUS.XXX"]}), 400, "relations.0")
    error_of(client.post(f"/api/games/{gid}/futures", json={"n": 5, "colour": 1}), 400, "colour")
    error_of(client.post(f"/api/games/{gid}/futures", json={"n": 5, "orders": []}), 400, "seat")   # no human seat
    error_of(client.post("/api/games/nosuchgame/futures", json={"n": 5}), 404)


def test_the_servers_own_cap_on_a_jobs_months(tmp_path):
    c = make_app(tmp_path / "data", FUTURES_MAX_TURNS=100).test_client()
    g = new_game(c)
    msg = error_of(c.post(f"/api/games/{g['id']}/futures", json={"n": 50, "months": 3}), 400, "n")
    assert "100" in msg and "FUTURES_MAX_TURNS" in msg
    assert c.post(f"/api/games/{g['id']}/futures", json={"n": 20, "months": 5}).status_code == 202


def test_only_a_seat_holder_gives_a_seats_orders_in_futures(client):
    g = new_game(client, human=["SYR"])
    gid, tok = g["id"], g["tokens"]["SYR"]
    orders = menu(client, gid, "SYR", tok)[:1]
    error_of(client.post(f"/api/games/{gid}/futures", json={"n": 3, "months": 2, "orders": orders}), 403)
    error_of(client.post(f"/api/games/{gid}/futures", headers=seat("wrong"),
                         json={"n": 3, "months": 2, "orders": orders}), 403)
    error_of(client.post(f"/api/games/{gid}/futures", headers=seat(tok),
                         json={"n": 3, "months": 2, "seat": "RUS", "orders": orders}), 403)
    bad = {"kind": "engage", "target": "NOBODY"}
    error_of(client.post(f"/api/games/{gid}/futures", headers=seat(tok),
                         json={"n": 3, "months": 2, "orders": [bad]}), 400, "orders.0.target")
    infeasible = {"kind": "withdraw", "base": "tartus"}             # Russia's base: not SYR's to withdraw from
    msg = error_of(client.post(f"/api/games/{gid}/futures", headers=seat(tok),
                               json={"n": 3, "months": 2, "orders": [*orders, infeasible]}), 400, "orders.1")
    assert "is not possible for SYR now" in msg
    r = client.post(f"/api/games/{gid}/futures", headers=seat(tok), json={"n": 3, "months": 2, "orders": orders})
    assert r.status_code == 202, r.json
    res = wait_job(client, r.json["id"])["result"]
    assert res["seat"] == "SYR" and res["orders"] == orders and res["labels"] and res["ai_seats"] == ["SYR"]
    assert "played by their actor's AI policy" in res["note"]


def test_pending_orders_never_enter_a_job_and_stay_pending(client):
    g = new_game(client, human=["SYR", "USA"])
    gid, tok = g["id"], g["tokens"]["SYR"]
    orders = menu(client, gid, "SYR", tok)[:1]
    client.post(f"/api/games/{gid}/orders", headers=seat(tok), json={"actor": "SYR", "orders": orders})
    watcher = plain_client(client.application)
    plain = wait_job(watcher, watcher.post(f"/api/games/{gid}/futures", json={"n": 3, "months": 2}).json["id"])
    assert plain["result"]["orders"] is None and sorted(plain["result"]["ai_seats"]) == ["SYR", "USA"]
    assert client.get(f"/api/games/{gid}").json["waiting_for"] == ["USA"]
    # the same futures from an identical game where nobody has submitted: identical (the submission was left out)
    other = client.post("/api/games/import", json=client.get(f"/api/games/{gid}/export").json).json
    fresh = wait_job(client, client.post(f"/api/games/{other['id']}/futures", json={"n": 3, "months": 2}).json["id"])
    assert fresh["result"]["fans"] == plain["result"]["fans"]
    reply = client.post(f"/api/games/{gid}/orders", headers=seat(g["tokens"]["USA"]),
                        json={"actor": "USA", "orders": []}).json
    assert reply["resolved"] is True and reply["state"]["turn"] == 1


def slow_app(tmp_path, **config):
    """An app whose futures run in their thread and are slow enough to be seen running."""
    return make_app(tmp_path / "data", FUTURES_THREAD_TURNS=10**6, **config)


def test_one_job_per_game_a_global_cap_and_cancel_by_the_owner(tmp_path):
    app = slow_app(tmp_path, FUTURES_MAX_RUNNING=1)
    c = app.test_client()
    g, h = new_game(c), new_game(c, seed=4)
    started = c.post(f"/api/games/{g['id']}/futures", json={"n": 400, "months": 12}).json
    jid, owner = started["id"], started["owner_token"]
    assert "one at a time" in error_of(c.post(f"/api/games/{g['id']}/futures", json={"n": 3, "months": 2}), 409)
    assert "limit is 1" in error_of(c.post(f"/api/games/{h['id']}/futures", json={"n": 3, "months": 2}), 409)
    error_of(c.post(f"/api/futures/{jid}/cancel"), 403)
    error_of(c.post(f"/api/futures/{jid}/cancel", headers={"X-Owner-Token": "not-it"}), 403)
    r = c.post(f"/api/futures/{jid}/cancel", headers={"X-Owner-Token": owner})
    assert r.status_code == 200
    job = wait_job(c, jid)
    assert job["state"] == "cancelled" and job["progress"]["done"] < 400 and "result" not in job
    error_of(c.post(f"/api/futures/{jid}/cancel", headers={"X-Owner-Token": owner}), 409)
    assert c.post(f"/api/games/{h['id']}/futures", json={"n": 3, "months": 2}).status_code == 202


def test_job_events_stream_progress_then_the_result(client):
    g = new_game(client)
    jid = client.post(f"/api/games/{g['id']}/futures", json={"n": 4, "months": 2}).json["id"]
    r = client.get(f"/api/futures/{jid}/events")
    assert r.status_code == 200 and r.mimetype == "text/event-stream"
    text = r.get_data(as_text=True)
    events = re.findall(r"^event: (\w+)$", text, flags=re.M)
    assert events[0] == "progress" and events[-1] == "done"
    done = json.loads(text.rsplit("data: ", 1)[1])
    assert done["state"] == "done" and done["result"]["n"] == 4
    error_of(client.get("/api/futures/nosuchjob/events"), 404)


def test_jobs_unknown_and_deleted(client):
    error_of(client.get("/api/futures/nosuchjob"), 404)
    error_of(client.post("/api/futures/nosuchjob/cancel"), 404)
    error_of(client.delete("/api/futures/nosuchjob"), 404)
    g = new_game(client)
    started = client.post(f"/api/games/{g['id']}/futures", json={"n": 3, "months": 2}).json
    wait_job(client, started["id"])
    error_of(client.delete(f"/api/futures/{started['id']}"), 403)
    assert client.delete(f"/api/futures/{started['id']}", headers={"X-Owner-Token": started["owner_token"]}
                         ).status_code == 204
    error_of(client.get(f"/api/futures/{started['id']}"), 404)


# ------------------------------------------------------------------------------------------------ two moves
def test_two_moves_compared_on_paired_seeds(client):
    g = new_game(client, human=["SYR"])
    gid, tok = g["id"], g["tokens"]["SYR"]
    options = menu(client, gid, "SYR", tok)
    body = {"seat": "SYR", "orders_a": options[:1], "orders_b": [], "n": 6, "months": 3}
    error_of(client.post(f"/api/games/{gid}/compare", json=body), 403)
    error_of(client.post(f"/api/games/{gid}/compare", headers=seat("nope"), json=body), 403)
    error_of(client.post(f"/api/games/{gid}/compare", headers=seat(tok), json={**body, "seat": "USA"}), 403)
    error_of(client.post(f"/api/games/{gid}/compare", headers=seat(tok),
                         json={**body, "orders_b": [{"kind": "engage", "target": "XX"}]}), 400, "orders_b.0.target")
    error_of(client.post(f"/api/games/{gid}/compare", headers=seat(tok),
                         json={k: v for k, v in body.items() if k != "orders_a"}), 400, "orders_a")
    error_of(client.post(f"/api/games/{gid}/compare", headers=seat(tok), json={**body, "n": 0}), 400, "n")
    error_of(client.post("/api/games/nosuchgame/compare", headers=seat(tok), json=body), 404)
    r = client.post(f"/api/games/{gid}/compare", headers=seat(tok), json=body)
    assert r.status_code == 202, r.json
    assert r.json["cost"] == 36
    job = wait_job(client, r.json["id"])
    assert job["state"] == "done", job
    res = job["result"]
    assert res["seat"] == "SYR" and res["n"] == 6 and res["a"]["orders"] == options[:1] and res["b"]["orders"] == []
    assert res["a"]["labels"] and res["b"]["labels"] == []
    rows = {o["name"]: o for o in res["outcomes"]}
    iso = rows["russia_isolation"]
    assert iso["difference"] == pytest.approx(iso["a"] - iso["b"]) and iso["low"] <= iso["difference"] <= iso["high"]
    assert any(o["binary"] for o in res["outcomes"])
    # paired: B (hold) runs on the seeds of the plain futures, so its summary is the plain futures' own
    plain = wait_job(client, client.post(f"/api/games/{gid}/futures", json={"n": 6, "months": 3}).json["id"])
    assert res["b"]["summary"]["fans"]["russia_isolation"] != []
    assert res["b"]["summary"]["seeds"]["spawn_key"] == plain["result"]["seeds"]["spawn_key"]


def test_the_futures_options_give_the_defaults_and_caps_a_page_offers(tmp_path):
    from model import MAX_FUTURE_MONTHS, MAX_FUTURES, default_relations, load_scenario

    c = make_app(tmp_path / "data", FUTURES_MAX_TURNS=100).test_client()
    g = new_game(c)
    r = c.get(f"/api/games/{g['id']}/futures/options")
    assert r.status_code == 200, r.json
    assert r.json["defaults"] == {"n": 200, "months": 12, "relations": default_relations(load_scenario(MINI))}
    assert r.json["caps"] == {"n": MAX_FUTURES, "months": MAX_FUTURE_MONTHS, "turns": 100, "relations": 50}
    # the default relations are those a request without relations draws
    steps(c, g["id"], 1)
    res = wait_job(c, c.post(f"/api/games/{g['id']}/futures", json={"n": 2, "months": 2}).json["id"])["result"]
    assert [k for k in res["fans"] if k.startswith("relation.")] == r.json["defaults"]["relations"]
    error_of(c.get("/api/games/nosuchgame/futures/options"), 404)


def test_two_moves_compare_the_chosen_relations(client):
    g = new_game(client, human=["SYR"])
    gid, tok = g["id"], g["tokens"]["SYR"]
    options = menu(client, gid, "SYR", tok)
    body = {"seat": "SYR", "orders_a": options[:1], "orders_b": options[1:2], "n": 3, "months": 2,
            "relations": ["SDF.RUS"]}
    error_of(client.post(f"/api/games/{gid}/compare", headers=seat(tok), json={**body, "relations": ["SYR.XXX"]}),
             400, "relations.0")
    error_of(client.post(f"/api/games/{gid}/compare", headers=seat(tok),
                         json={**body, "orders_a": options[:1] * 2}), 400, "orders_a.1")
    res = wait_job(client, client.post(f"/api/games/{gid}/compare", headers=seat(tok), json=body).json["id"])
    names = [o["name"] for o in res["result"]["outcomes"]]
    relations = [n for n in names if n.startswith("relation.")]
    assert relations == ["relation.RUS.SDF"], relations
    assert all(isinstance(o["same"], bool) for o in res["result"]["outcomes"])


# ------------------------------------------------------------------------------------------------ forecasts
MINI_QUESTIONS = """\
name: mini questions
scenario: mini
questions:
  - {id: syr_russia_warm, text: Warm?, date: "2026-02", condition: {indicator: relation.RUS.SYR, op: ">", value: 0}}
  - {id: tartus, text: Tartus?, date: "2026-03", condition: {indicator: base.tartus.controller, op: "==", value: RUS}}
"""


def test_a_forecast_job_gives_the_pythons_forecast_and_its_report(client):
    from model import forecast, load_scenario, questions_from_text

    body = {"questions_yaml": MINI_QUESTIONS, "replications": 5, "seed": 3, "resolutions": {"tartus": True}}
    r = client.post("/api/forecast", json=body)
    assert r.status_code == 202, r.json
    assert r.json["kind"] == "forecast" and r.json["cost"] == 5 * 3 and "game" not in r.json["links"]
    job = wait_job(client, r.json["id"])
    assert job["state"] == "done", job
    sc = load_scenario(MINI)
    python = forecast(questions_from_text(MINI_QUESTIONS, sc, file="questions_yaml"), sc, 5, seed=3,
                      resolutions={"tartus": True})
    assert job["result"]["questions"] == json.loads(json.dumps(python["questions"]))
    assert job["result"]["scores"] == json.loads(json.dumps(python["scores"]))
    assert job["links"]["html"] == f"/api/futures/{job['id']}/forecast.html"
    page = client.get(job["links"]["html"])
    assert page.status_code == 200 and page.mimetype == "text/html" and b"Reliability diagram" in page.data
    assert "attachment" in page.headers["Content-Disposition"]
    again = client.post("/api/forecast", json=body).json
    assert again["reused"] is True and again["id"] == job["id"]
    error_of(client.get(f"/api/futures/{job['id']}/review.html"), 404)


def test_the_shipped_question_files_are_listed_and_forecast_by_name(tmp_path):
    c = slow_app(tmp_path).test_client()
    sets = c.get("/api/forecast/questions").json["sets"]
    shipped = next(s for s in sets if s["id"] == "projected-outcomes")
    assert shipped["scenario"] == "baseline-2025" and len(shipped["questions"]) >= 9
    assert {"id", "text", "date"} == set(shipped["questions"][0])
    job = wait_job(c, c.post("/api/forecast", json={"questions": "projected-outcomes", "replications": 2}).json["id"])
    assert job["state"] == "done", job
    assert [q["id"] for q in job["result"]["questions"]] == [q["id"] for q in shipped["questions"]]
    assert job["result"]["scenario_id"] == "baseline-2025" and "scores" not in job["result"]


@pytest.mark.parametrize("body, field", [
    ({"questions": "nope"}, "questions"),
    ({}, "questions"),
    ({"questions": "projected-outcomes", "questions_yaml": MINI_QUESTIONS}, "questions"),
    ({"questions_yaml": MINI_QUESTIONS.replace("2026-03", "2031-01")}, "questions.1.date"),
    ({"questions_yaml": MINI_QUESTIONS.replace("{indicator: relation.RUS.SYR, op: \">\", value: 0}", "{all: []}")},
     "questions.0.condition"),
    ({"questions_yaml": MINI_QUESTIONS.replace("base.tartus", "base.nowhere")}, "questions.1.condition"),
    ({"questions_yaml": "questions: []\n", "scenario": "mini"}, "questions"),
    ({"questions_yaml": "questions: []\n"}, "scenario"),
    ({"questions_yaml": MINI_QUESTIONS, "replications": 0}, "replications"),
    ({"questions_yaml": MINI_QUESTIONS, "replications": 10**6}, "replications"),
    ({"questions_yaml": MINI_QUESTIONS, "seed": -1}, "seed"),
    ({"questions_yaml": MINI_QUESTIONS, "resolutions": {"nosuch": True}}, "resolutions.nosuch"),
    ({"questions_yaml": MINI_QUESTIONS, "resolutions": {"tartus": "yes"}}, "resolutions.tartus"),
])
def test_forecast_bad_input_names_the_field(client, body, field):
    error_of(client.post("/api/forecast", json=body), 400, field)


def test_the_forecast_page(client):
    r = client.get("/forecast")
    assert r.status_code == 200 and b'id="forecast"' in r.data and b"js/forecasts.js" in r.data


# ------------------------------------------------------------------------------------------------ reviews
def played_seat_game(client, months=2):
    g = new_game(client, human=["SYR"])
    gid, tok = g["id"], g["tokens"]["SYR"]
    for _ in range(months):
        orders = menu(client, gid, "SYR", tok)[:1]
        r = client.post(f"/api/games/{gid}/orders", headers=seat(tok), json={"actor": "SYR", "orders": orders})
        assert r.status_code == 200 and r.json["resolved"], r.json
    return g


def test_after_action_review_job_and_its_html_file(client):
    g = played_seat_game(client)
    gid = g["id"]
    error_of(client.post(f"/api/games/{gid}/review", json={"seat": "RUS", "n": 3}), 400, "seat")
    error_of(client.post(f"/api/games/{gid}/review", json={"seat": "XX", "n": 3}), 400, "seat")
    error_of(client.post(f"/api/games/{gid}/review", json={"seat": "SYR", "n": 0}), 400, "n")
    error_of(client.post(f"/api/games/{gid}/review", json={"seat": "SYR", "turn": 5}), 400, "turn")
    error_of(client.post(f"/api/games/{gid}/review", json={"seat": "SYR", "pivotal": "yes"}), 400, "pivotal")
    error_of(client.post(f"/api/games/{gid}/review", json={"n": 3}), 400, "seat")
    error_of(client.post("/api/games/nosuchgame/review", json={"seat": "SYR"}), 404)
    fresh = new_game(client, human=["SYR"])
    error_of(client.post(f"/api/games/{fresh['id']}/review", json={"seat": "SYR", "n": 3}), 400, "turn")

    r = plain_client(client.application).post(f"/api/games/{gid}/review", json={"seat": "SYR", "n": 3})
    assert r.status_code == 202, r.json
    assert r.json["cost"] == 3 * 2 + 3 * 2 * 3 and r.json["links"]["page"] == f"/games/{gid}/review/SYR"
    job = wait_job(client, r.json["id"])
    assert job["state"] == "done", job
    res = job["result"]
    assert res["seat"] == "SYR" and res["turns"] == 2 and len(res["utility"]) == 3
    assert len(res["ai"]["fan"]["p50"]) == 3 and len(res["pivotal"]) == 2
    assert all("labels" in p and p["low"] <= p["effect"] <= p["high"] for p in res["pivotal"])
    assert job["links"]["html"] == f"/api/futures/{job['id']}/review.html"

    page = client.get(job["links"]["html"])
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "attachment" in page.headers["Content-Disposition"]
    html = page.get_data(as_text=True)
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html)        # everything inline: one file
    assert "echarts" in html and "ReviewDraw" in html and '"seat":"SYR"' in html
    assert "</script" not in html.split('id="review-data"', 1)[1].split("</script>", 1)[0]

    futures_job = client.post(f"/api/games/{gid}/futures", json={"n": 2, "months": 1}).json
    wait_job(client, futures_job["id"])
    error_of(client.get(f"/api/futures/{futures_job['id']}/review.html"), 404)
    error_of(client.get("/api/futures/nosuchjob/review.html"), 404)


def test_a_review_up_to_an_earlier_month(client):
    g = played_seat_game(client, months=2)
    r = client.post(f"/api/games/{g['id']}/review", json={"seat": "SYR", "n": 2, "pivotal": False, "turn": 1})
    assert r.status_code == 202 and r.json["cost"] == 2
    res = wait_job(client, r.json["id"])["result"]
    assert res["turns"] == 1 and len(res["utility"]) == 2 and res["pivotal"] == []


def test_the_review_page_and_the_game_page_hooks(client):
    g = played_seat_game(client, months=1)
    page = client.get(f"/games/{g['id']}/review/SYR")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "js/review.js" in html and "js/review-draw.js" in html and 'data-actor="SYR"' in html
    assert client.get(f"/game/{g['id']}/review/SYR").status_code == 200
    game = client.get(f"/game/{g['id']}").get_data(as_text=True)
    assert 'id="futures-root"' in game and "js/futures.js" in game and "css/futures.css" in game
    for asset in ("js/futures.js", "js/review.js", "js/review-draw.js", "css/futures.css"):
        assert client.get(f"/static/{asset}").status_code == 200, asset


def test_the_pages_of_an_unknown_game_answer_404_with_their_page(client):
    """/game/<unknown> and its review page answered 200; the page still renders (its script says no such game)."""
    for url in ("/game/nope", "/games/nope/review/SYR", "/game/nope/review/SYR"):
        r = client.get(url)
        assert (r.status_code, r.mimetype) == (404, "text/html"), url
        assert 'data-game-id="nope"' in r.get_data(as_text=True), url          # the page, not the error page
    g = new_game(client)
    assert client.get(f"/game/{g['id']}").status_code == 200

