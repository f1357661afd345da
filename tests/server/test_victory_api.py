"""Victory conditions through the web API (Flask's test client): the state JSON of each month carries them, the
objectives name each seat's result and, at the end, the winners; the editor reports a mistake with a "did you mean"."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from server import create_app

MINI = Path(__file__).parents[1] / "data" / "scenarios" / "mini.yaml"
# RUS wins in month 2 (and stays won), SDF's end condition can never hold, USA's holds in every month played
VICTORY = """
victory:
  rus_early: {actor: RUS, text: Russia reaches month 2, when: any_month,
              condition: {indicator: turn, op: '>=', value: 2}}
  sdf_never: {actor: SDF, text: The game lasts a century, condition: {indicator: turn, op: '>', value: 100}}
  usa_always:
    actor: USA
    text: Washington keeps al-Tanf
    when: every_month
    condition: {indicator: base.al_tanf.controller, op: '==', value: USA}
"""


@pytest.fixture()
def client(tmp_path):
    app = create_app({"DATA_DIR": tmp_path / "data", "TESTING": True})
    users = app.config["USER_SCENARIO_DIR"]
    shutil.copy(MINI, users / "mini.yaml")
    (users / "mini-victory.yaml").write_text(MINI.read_text() + VICTORY)
    return app.test_client()


def play_to_the_end(client, scenario: str, turns: int = 3) -> tuple[str, dict]:
    r = client.post("/api/games", json={"scenario": scenario, "seed": 3, "turns": turns, "human": ["SYR"]})
    assert r.status_code == 201, r.json
    game = r.json
    for _ in range(turns):
        r = client.post(f"/api/games/{game['id']}/orders", headers={"X-Seat-Token": game["tokens"]["SYR"]},
                        json={"actor": "SYR", "orders": []})
        assert r.status_code == 200, r.json
    return game["id"], game


def test_the_state_of_each_month_carries_the_victory_conditions(client):
    gid, _ = play_to_the_end(client, "mini-victory")
    final = client.get(f"/api/games/{gid}").json
    assert final["done"] and final["victory"]["final"] is True
    got = {c["id"]: c for c in final["victory"]["conditions"]}
    assert (got["rus_early"]["met"], got["rus_early"]["month"], got["rus_early"]["date"]) == (True, 2, "2026-02")
    assert got["sdf_never"]["met"] is False and got["sdf_never"]["holds"] is False
    hist = client.get(f"/api/games/{gid}/history").json["rows"]
    kept = all(r["base.al_tanf.controller"] == "USA" for r in hist[1:])
    assert got["usa_always"]["met"] is kept
    assert final["victory"]["winners"] == ["RUS"] + (["USA"] if kept else [])
    # looking back: month 1's stored state had the condition still open
    month1 = client.get(f"/api/games/{gid}?turn=1").json["victory"]
    assert {c["id"]: c["met"] for c in month1["conditions"]}["rus_early"] is None
    assert month1["final"] is False and month1["winners"] == []


def test_objectives_give_each_seat_its_result_and_the_winners(client):
    gid, _ = play_to_the_end(client, "mini-victory")
    o = client.get(f"/api/games/{gid}/objectives").json
    assert o["victory"]["final"] is True and o["victory"]["judged"] == ["RUS", "SDF", "USA"]
    by = {a["actor"]: a for a in o["actors"]}
    assert by["RUS"]["victory"]["won"] is True and by["SDF"]["victory"]["won"] is False
    assert [c["id"] for c in by["SDF"]["victory"]["conditions"]] == ["sdf_never"]
    assert by["SYR"]["victory"] is None                   # a seat with no victory condition is scored only
    assert set(o["victory"]["winners"]) == {a for a, x in by.items() if x["victory"] and x["victory"]["won"]}


def test_a_scenario_without_conditions_names_no_winner(client):
    gid, _ = play_to_the_end(client, "mini", turns=1)
    assert client.get(f"/api/games/{gid}").json["victory"] == {"final": True, "conditions": [], "actors": {},
                                                              "winners": []}
    o = client.get(f"/api/games/{gid}/objectives").json
    assert o["victory"] == {"final": True, "winners": [], "judged": []}
    assert all(a["victory"] is None for a in o["actors"])


def test_the_openapi_document_describes_the_victory_fields(client):
    schemas = client.get("/api/openapi.json").json["components"]["schemas"]
    assert {"VictoryStatus", "VictoryCondition", "SeatVictory"} <= set(schemas)
    assert "victory" in schemas["GameState"]["properties"]


def test_the_editor_reports_a_mistyped_indicator_with_its_line(client):
    text = MINI.read_text() + VICTORY.replace("base.al_tanf.controller", "base.al_tamf.controller")
    r = client.post("/api/scenarios/validate", json={"yaml": text})
    body = r.json
    assert body["ok"] is False, body
    (err,) = body["errors"]
    assert err["field"] == "victory.usa_always.condition.indicator"
    assert err["line"] == next(i for i, ln in enumerate(text.splitlines(), 1) if "al_tamf" in ln)
    assert "did you mean 'base.al_tanf.controller'?" in err["message"]
