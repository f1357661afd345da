"""The API's edges: oversized and hostile bodies, path traversal towards files outside the scenario folders, and
seats that try to move another seat's pieces."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from reliability_helpers import ROOT, new_game

LIMIT = 1_000_000            # the app's default MAX_CONTENT_LENGTH
POSTS_WITH_BODIES = ["/api/scenarios", "/api/scenarios/validate", "/api/games", "/api/games/import",
                     "/api/games/{game}/orders", "/api/games/{game}/step", "/api/games/{game}/run",
                     "/api/experiments/specs", "/api/experiments/validate", "/api/experiments"]


def secret(app) -> str:
    return (Path(app.config["DATA_DIR"]) / "secret_key").read_text().strip()


def assert_json_error(resp, status: int | tuple[int, ...]) -> str:
    statuses = (status,) if isinstance(status, int) else status
    assert resp.status_code in statuses, (resp.status_code, resp.get_data(as_text=True)[:300])
    body = resp.get_json()
    assert isinstance(body, dict) and body["error"].strip()
    return body["error"]


# ---------------------------------------------------------------------------------------------------- bodies
@pytest.mark.parametrize("path", POSTS_WITH_BODIES)
def test_oversized_bodies_are_refused_with_413(client, seats_game, path):
    url = path.format(game=seats_game["id"])
    body = json.dumps({"yaml": "x" * (LIMIT + 10)})
    resp = client.post(url, data=body, content_type="application/json",
                       headers={"X-Seat-Token": seats_game["tokens"]["SYR"]})
    assert "too large" in assert_json_error(resp, 413)


def test_hostile_yaml_just_under_the_body_limit_is_answered_quickly(client):
    """YAML inside a JSON body just under the byte limit: 300k values, an alias bomb, deep nesting -> a clear
    validation error in bounded CPU time."""
    bomb = "\n".join(["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                     + [f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]"
                        for p, c in zip("abcdefgh", "bcdefghi", strict=True)])
    for text in ("v: [" + "1," * 450_000 + "1]", bomb, "v: " + "[" * 400_000 + "]" * 400_000):
        assert len(text) < LIMIT - 100
        t0 = time.process_time()
        resp = client.post("/api/scenarios/validate", json={"yaml": text})
        assert time.process_time() - t0 < 5.0   # bounded: ~1.9 s for the 450k-value list alone, 86 s unbounded
        assert resp.status_code == 200 and resp.get_json()["ok"] is False
        assert resp.get_json()["errors"][0]["message"]


@pytest.mark.parametrize("raw", [
    "[" * 100_000 + "]" * 100_000,                          # deep JSON nesting (RecursionError in a parser)
    '{"yaml": "a", "yaml": ' + '"b"}',                       # duplicate keys
    '{"scenario": "mini", "seed": 1e999}',                  # an infinite number
    '{"scenario": "mini", "seed": NaN}',                    # not JSON at all
    '{"scenario": "mini", "seed": 123456789012345678901234567890}',
    '{"scenario": "mini", "turns": 3.0}',
    '{"scenario": "mini", "human": "SYR"}',
    '"just a string"',
    "\udcff",
    "",
])
def test_hostile_json_bodies_are_one_clear_400(client, raw):
    resp = client.post("/api/games", data=raw.encode("utf-8", "surrogateescape"), content_type="application/json")
    if raw == '{"yaml": "a", "yaml": "b"}':
        assert_json_error(resp, 400)
    else:
        assert_json_error(resp, (400, 404))


def test_non_utf8_and_control_characters_in_yaml_bodies(client):
    for text in ["name: caf\udce9", "name: \x00\x01\x02", "name: \u202e evil", "\ufeffname: bom"]:
        resp = client.post("/api/scenarios/validate",
                           data=json.dumps({"yaml": text}).encode(), content_type="application/json")
        if resp.status_code == 400:          # a lone surrogate is not text: the field is named
            assert "yaml" in assert_json_error(resp, 400)
        else:
            assert resp.status_code == 200 and resp.get_json()["ok"] is False, resp.get_data(as_text=True)


# ---------------------------------------------------------------------------------------------- traversal
TRAVERSAL_IDS = ["../secret_key", "..%2Fsecret_key", "%2e%2e%2fsecret_key", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
                 "..%252Fsecret_key", "/etc/passwd", "%2Fetc%2Fpasswd", "....//secret_key", "..\\secret_key",
                 "scenarios/../../secret_key", "secret_key", "games.sqlite3", ".check-x", "mini.yaml",
                 "mini%00", "%00", "..", ".", "~root", "baseline-2025/../../secret_key"]


@pytest.mark.parametrize("sid", TRAVERSAL_IDS)
def test_scenario_ids_cannot_reach_other_files(app, client, sid):
    key = secret(app)
    for url in (f"/api/scenarios/{sid}", f"/api/scenarios/{sid}/diff", f"/api/scenarios/mini/diff?against={sid}",
                f"/api/experiments/specs/{sid}", f"/editor/{sid}"):
        resp = client.get(url, follow_redirects=True)
        text = resp.get_data(as_text=True)
        assert key not in text and "root:x:0:0" not in text
        if url.startswith("/api/"):          # (the editor page itself only loads the scenario through the API)
            assert_json_error(resp, (400, 404))
    resp = client.post("/api/games", json={"scenario": sid, "seed": 1})
    assert_json_error(resp, (400, 404))
    resp = client.post("/api/scenarios", json={"id": sid, "yaml": "name: x\n"})
    assert_json_error(resp, (400, 409))
    data_dir = Path(app.config["DATA_DIR"])       # nothing was written outside the user scenario folder
    assert not list(data_dir.glob("*.yaml")) and not list(data_dir.parent.glob("*.yaml"))


@pytest.mark.parametrize("ref", ["../secret_key", "../../secret_key", "/etc/passwd", "/etc/hostname",
                                 "../games.sqlite3", str(ROOT / "tests" / "data" / "scenarios" / "tiny.yaml"),
                                 "../scenarios/mini", "./mini", "mini/../../secret_key", "~/x"])
def test_extends_cannot_reach_files_outside_the_scenario_folders(app, client, ref):
    key = secret(app)
    text = f"extends: {ref}\nname: sneaky\n"
    for url, body in (("/api/scenarios/validate", {"yaml": text}), ("/api/scenarios", {"id": "sneaky", "yaml": text}),
                      ("/api/experiments/validate", {"yaml": text}),
                      ("/api/games/import", {"format": "syria-wargame/1", "scenario": "x", "scenario_yaml": text,
                                             "seed": 1, "turns": 2})):
        resp = client.post(url, json=body)
        shown = resp.get_data(as_text=True)
        assert key not in shown and key[:20] not in shown and "root:x:0:0" not in shown
        assert "paths are not allowed" in shown, (url, shown[:300])
    assert not (Path(app.config["USER_SCENARIO_DIR"]) / "sneaky.yaml").exists()


def test_bare_names_still_extend_builtin_and_user_scenarios(client):
    resp = client.post("/api/scenarios/validate", json={"yaml": "extends: mini\nname: variant\n"})
    assert (resp.get_json()["ok"], resp.get_json()["errors"]) == (True, [])
    resp = client.post("/api/scenarios/validate", json={"yaml": "extends: baseline-2025.yaml\nname: variant\n"})
    assert (resp.get_json()["ok"], resp.get_json()["errors"]) == (True, [])


def test_symlinks_in_the_user_folder_lead_nowhere(app, client):
    user = Path(app.config["USER_SCENARIO_DIR"])
    key = secret(app)
    os.symlink(Path(app.config["DATA_DIR"]) / "secret_key", user / "evil.yaml")
    os.symlink(ROOT / "tests" / "data" / "scenarios" / "tiny.yaml", user / "outside.yaml")   # valid, but outside
    os.symlink("/etc", user / "etc.yaml")
    ids = [s["id"] for s in client.get("/api/scenarios").get_json()]
    assert "mini" in ids and not {"evil", "outside", "etc"} & set(ids)
    for sid in ("evil", "outside", "etc"):
        assert_json_error(client.get(f"/api/scenarios/{sid}"), 404)
        assert_json_error(client.post("/api/games", json={"scenario": sid}), 404)
        resp = client.post("/api/scenarios/validate", json={"yaml": f"extends: {sid}\nname: x\n"})
        assert key not in resp.get_data(as_text=True) and resp.get_json()["ok"] is False
        assert f"nothing named {sid!r}" in resp.get_json()["errors"][0]["message"]
    resp = client.get("/api/scenarios/mini/diff?against=outside")
    assert_json_error(resp, 404)


def test_static_files_cannot_reach_the_data_dir(app, client):
    key = secret(app)
    for url in ("/static/../secret_key", "/static/..%2f..%2fsecret_key", "/static/%2e%2e/%2e%2e/pyproject.toml",
                "/static//etc/passwd", "/static/..%5c..%5cpyproject.toml"):
        resp = client.get(url, follow_redirects=True)
        assert resp.status_code in (400, 404), (url, resp.status_code)
        assert key not in resp.get_data(as_text=True) and "[build-system]" not in resp.get_data(as_text=True)


# -------------------------------------------------------------------------------------------------- seats
def test_orders_for_another_seats_actor_are_refused(client, seats_game):
    gid, tokens = seats_game["id"], seats_game["tokens"]
    other = new_game(client, human=["SYR"])
    cases = [
        ("SYR token, USA's orders", tokens["SYR"], "USA"),
        ("SYR token, an AI actor's orders", tokens["SYR"], "RUS"),
        ("USA token, SYR's orders", tokens["USA"], "SYR"),
        ("another game's SYR token", other["tokens"]["SYR"], "SYR"),
        ("no token", None, "SYR"),
        ("empty token", "", "SYR"),
        ("token with a byte changed", tokens["SYR"][:-1] + ("A" if tokens["SYR"][-1] != "A" else "B"), "SYR"),
        ("token of both seats glued", tokens["SYR"] + tokens["USA"], "SYR"),
    ]
    for _what, token, actor in cases:
        headers = {} if token is None else {"X-Seat-Token": token}
        resp = client.post(f"/api/games/{gid}/orders", json={"actor": actor, "orders": []}, headers=headers)
        assert_json_error(resp, 403)
        resp = client.get(f"/api/games/{gid}/seats/{actor}/orders", headers=headers)
        assert_json_error(resp, 403)
    state = client.get(f"/api/games/{gid}").get_json()
    assert state["waiting_for"] == ["SYR", "USA"] and state["turn"] == 0          # nothing was recorded
    for actor in ("SYR", "USA"):                                                   # the real seats still can
        resp = client.post(f"/api/games/{gid}/orders", json={"actor": actor, "orders": []},
                           headers={"X-Seat-Token": tokens[actor]})
        assert resp.status_code == 200
    assert client.get(f"/api/games/{gid}").get_json()["turn"] == 1


def test_orders_naming_another_actor_inside_the_order_cannot_act_for_it(client, seats_game):
    """An order's fields name targets, never who acts: SYR's token can only ever give SYR's orders."""
    gid, tokens = seats_game["id"], seats_game["tokens"]
    resp = client.post(f"/api/games/{gid}/orders", headers={"X-Seat-Token": tokens["SYR"]},
                       json={"actor": "SYR", "orders": [{"kind": "hold", "actor": "USA"}]})
    assert "actor" in assert_json_error(resp, 400)
    resp = client.post(f"/api/games/{gid}/orders", headers={"X-Seat-Token": tokens["SYR"]},
                       json={"actor": "SYR", "orders": [], "as": "USA"})
    assert_json_error(resp, 400)
    assert client.get(f"/api/games/{gid}").get_json()["waiting_for"] == ["SYR", "USA"]


@pytest.mark.parametrize("scenario", [str(ROOT / "tests" / "data" / "scenarios" / "mini.yaml"), "baseline-2025"])
def test_every_order_on_a_seats_menu_is_accepted_exactly_as_shown(scenario):
    """A seat gets what it picked: each affordable menu order, submitted alone, is accepted unchanged (a strike on
    a region used to be taken as the strike on a base in that region)."""
    from model import WargameModel, load_scenario

    sc = load_scenario(scenario)
    seats = ("SYR", "USA")
    tried = 0
    for seed in (1, 2):
        m = WargameModel(sc, seed=seed, human=seats)
        for _turn in range(3):
            for actor in seats:
                ap = m.agent(actor).action_points
                for item in m.feasible_orders(actor):
                    if item["cost"] <= ap:
                        probe = WargameModel(sc, seed=seed, human=seats)
                        for entry in m.orders_log:
                            for h in seats:
                                probe.submit_orders(h, entry["orders"].get(h, []))
                            probe.step()
                        assert [o.to_dict() for o in probe.submit_orders(actor, [item["order"]])] == [item["order"]]
                        tried += 1
            for actor in seats:
                m.submit_orders(actor, [])
            m.step()
    assert tried > 50
