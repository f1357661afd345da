"""What the config editor asks of the API, with Flask's test client: validation names the seats a text would have
and says "did you mean" for mistyped goal and reference names; a game starts from the editor's text itself."""
from __future__ import annotations

import pytest

from server import create_app


@pytest.fixture()
def client(tmp_path):
    return create_app({"DATA_DIR": tmp_path / "data", "TESTING": True}).test_client()


VARIANT = "extends: baseline-2025\nname: My variant\nactors:\n  USA:\n    action_points: 4\n"


def validate(client, text):
    r = client.post("/api/scenarios/validate", json={"yaml": text})
    assert r.status_code == 200
    return r.json


def test_validation_lists_the_actors_of_a_valid_text(client):
    out = validate(client, VARIANT)
    assert out["ok"] and out["name"] == "My variant"
    assert {"id": "SYR", "name": "Syria (transitional government)"} in out["actors"]
    bad = validate(client, VARIANT.replace("4", "many"))
    assert not bad["ok"] and bad["actors"] == [] and bad["errors"][0]["line"] == 5


def test_mistyped_names_get_did_you_mean(client):
    goal = validate(client, "extends: baseline-2025\nname: x\nactors:\n  SYR:\n    goals:\n"
                            "      washingtn: {weight: 2}\n")
    e = goal["errors"][0]
    assert e["line"] == 6 and "did you mean 'washington'?" in e["message"] and "baseline-2025" in e["message"]
    new = validate(client, "extends: baseline-2025\nname: x\nactors:\n  SYR:\n    goals:\n"
                           "      brandnew: {weight: 2}\n")
    assert "a new goal needs one of hold_base" in new["errors"][0]["message"]
    field = validate(client, "extends: baseline-2025\nname: x\nactors:\n  USA:\n    action_pionts: 4\n")
    assert "did you mean 'action_points'?" in field["errors"][0]["message"]
    region = validate(client, "extends: baseline-2025\nname: x\nbases:\n  tartus:\n    region: tartuss\n")
    assert "did you mean 'tartus'?" in region["errors"][0]["message"]
    effect = validate(client, "extends: baseline-2025\nname: x\nevents:\n"
                              "  e1: {name: e, probability: 0.1, sentence: s, "
                              "effects: [{kind: goal_weight, actor: SYR, goal: washingtn, delta: 1}]}\n")
    assert "did you mean 'washington'?" in effect["errors"][0]["message"]
    far = validate(client, "extends: baseline-2025\nname: x\nbases:\n  tartus:\n    region: zzzz\n")
    assert "did you mean" not in far["errors"][0]["message"]


def test_a_game_starts_from_the_editors_text(client):
    r = client.post("/api/games/from-yaml", json={"yaml": VARIANT, "seed": 4, "turns": 3, "human": ["USA"]})
    assert r.status_code == 201, r.json
    g = r.json
    assert g["scenario"].startswith("edited-") and g["scenario_name"] == "My variant (edited)"
    assert set(g["tokens"]) == {"USA"} and g["owner_token"]
    state = client.get(f"/api/games/{g['id']}").json
    assert state["max_turns"] == 3 and state["seed"] == 4
    assert next(a for a in state["actors"] if a["id"] == "USA")["action_points"] == 4   # the edit is played
    menu = client.get(f"/api/games/{g['id']}/seats/USA/orders", headers={"X-Seat-Token": g["tokens"]["USA"]}).json
    assert menu["action_points"] == 4

    # the unchanged text of a library scenario keeps its id
    base = client.get("/api/scenarios/baseline-2025").json["yaml"]
    same = client.post("/api/games/from-yaml", json={"yaml": base, "scenario": "baseline-2025"}).json
    assert same["scenario"] == "baseline-2025"


def test_a_game_from_bad_text_is_refused_with_every_error(client):
    r = client.post("/api/games/from-yaml", json={"yaml": VARIANT.replace("4", "many")})
    assert r.status_code == 400 and r.json["error"].startswith("yaml: line 5: ") and r.json["errors"]
    r = client.post("/api/games/from-yaml", json={"yaml": VARIANT, "human": ["XX"]})
    assert r.status_code == 400 and "unknown actor 'XX'" in r.json["error"]
    r = client.post("/api/games/from-yaml", json={"yaml": "x" * 600_000})
    assert r.status_code == 400 and "yaml" in r.json["error"]
    assert client.get("/api/games").json == []            # nothing was created


def test_codemirror_is_vendored_with_its_licence(client):
    page = client.get("/editor").get_data(as_text=True)
    scripts = ["lib/codemirror.js", "mode/yaml/yaml.js", "addon/fold/foldcode.js", "addon/fold/foldgutter.js",
               "addon/fold/indent-fold.js", "lib/codemirror.css", "addon/fold/foldgutter.css"]
    for path in scripts:
        assert f"/static/vendor/codemirror/{path}" in page
        r = client.get(f"/static/vendor/codemirror/{path}")
        assert r.status_code == 200 and len(r.data) > 300
        r.close()
    licence = client.get("/static/vendor/codemirror/LICENSE")
    assert b"MIT License" in licence.data and b"Marijn Haverbeke" in licence.data
    licence.close()
    assert "http" not in page.split("<body")[0].replace("http-equiv", "")     # nothing loaded from elsewhere


@pytest.mark.parametrize("url, text", [("/api/scenarios", VARIANT),
                                       ("/api/experiments/specs", "base: baseline-2025\nreplications: 2\n")])
@pytest.mark.parametrize("sid", ["baseline-2025\n", "mine\n", "projected-outcomes\n"])
def test_an_id_with_a_final_newline_is_refused_not_saved_beside_the_built_in(client, url, sid, text):
    """The id pattern ended in $, which also matches before a final newline: 'baseline-2025\\n' was saved as a user
    scenario listed with the built-in's id, and no endpoint could delete it."""
    before = client.get(url).get_json()
    r = client.post(url, json={"id": sid, "yaml": text})
    assert r.status_code == 400 and "id" in r.get_json()["error"], r.get_json()
    assert client.get(url).get_json() == before


PARENT = "extends: baseline-2025\nname: PB\nactors:\n  USA:\n    goals:\n      newgoal: {kind: stability, weight: 1}\n"
CHILD = "extends: {parent}\nname: {name}\nactors:\n  USA:\n    goals:\n      newgoal: {{weight: 2}}\n"


def test_a_save_that_would_break_a_scenario_extending_it_is_refused_and_the_old_file_kept(client, tmp_path):
    """Re-saving 'pb' without the goal that 'cb' (and 'gb', through 'cb') change was accepted, and 'cb' failed only
    when a game was started from it, with the server's absolute path in the error."""
    for sid, text in [("pb", PARENT), ("cb", CHILD.format(parent="pb", name="CB")),
                      ("gb", "extends: cb\nname: GB\n")]:
        assert client.post("/api/scenarios", json={"id": sid, "yaml": text}).status_code == 201
    r = client.post("/api/scenarios", json={"id": "pb", "yaml": "extends: baseline-2025\nname: PB2\n"})
    assert r.status_code == 409, r.json
    assert "cb (cb.yaml:6: actors.USA.goals.newgoal.kind: missing required field 'kind')" in r.json["error"]
    assert "gb (" in r.json["error"] and str(tmp_path) not in str(r.json)
    assert [e["message"].split(":")[0] for e in r.json["errors"]] == ["cb", "gb"]
    assert client.get("/api/scenarios/pb").json["yaml"] == PARENT                  # the old file is kept
    assert client.post("/api/games", json={"scenario": "gb", "seed": 1, "turns": 2}).status_code == 201
    # a change the dependants survive is saved, and so is one when the dependant was broken already
    assert client.post("/api/scenarios", json={"id": "pb", "yaml": PARENT.replace("PB", "PB3")}).status_code == 201
    (tmp_path / "data" / "scenarios" / "cb.yaml").write_text(CHILD.format(parent="pb", name="["))
    assert client.post("/api/scenarios", json={"id": "pb", "yaml": "extends: baseline-2025\nname: P\n"}).status_code \
        == 201


def test_errors_name_the_scenario_file_not_the_servers_path(client, tmp_path):
    folder = tmp_path / "data" / "scenarios"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "broken.yaml").write_text("name: [\n")
    (folder / "cb.yaml").write_text(CHILD.format(parent="baseline-2025", name="CB"))
    listed = {s["id"]: s for s in client.get("/api/scenarios").json}
    assert listed["broken"]["description"].startswith("(this file has errors: broken.yaml:2: invalid YAML")
    r = client.post("/api/games", json={"scenario": "cb", "seed": 1, "turns": 2})
    assert r.status_code == 400
    assert r.json["error"].startswith("scenario 'cb' is not valid: cb.yaml:6: actors.USA.goals.newgoal.kind")
    assert str(tmp_path) not in str(r.json) and str(tmp_path) not in str(listed)
