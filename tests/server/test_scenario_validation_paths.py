"""One validation path for scenarios however they arrive: the same mistake gives the same field and message from a
file, `--set`, an experiment arm's `set:`, a sweep, the web editor, a game import and a stored game."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from model.cli.main import main
from model.config.errors import UserError, UserErrors
from model.config.scenario import load_scenario, validate_scenario
from model.experiments.spec import apply_overrides, load_experiment
from server import create_app
from server.scenarios import scenario_from_resolved

MINI = (Path(__file__).resolve().parents[1] / "data" / "scenarios" / "mini.yaml").resolve()
TEXT = MINI.read_text()

# (field, value as YAML, the line of mini.yaml to change, the changed line, the message)
MISTAKES = {
    "out of range": ("bases.tartus.garrison", "1.7", "controller: RUS, garrison: 0.6", "controller: RUS, garrison: 1.7",
                     "expected a number between 0 and 1, got 1.7"),
    "wrong type": ("bases.al_tanf.garrison", "abc", "garrison: 0.5, value: {USA: 0.6}",
                   "garrison: abc, value: {USA: 0.6}", "expected a number, got 'abc'"),
    "unknown reference": ("bases.tartus.controller", "XXX", "controller: RUS, garrison: 0.6",
                          "controller: XXX, garrison: 0.6", "unknown actor 'XXX'; expected one of RUS, SDF, SYR, USA"),
}


def only(exc: UserError) -> UserError:
    errors = exc.errors if isinstance(exc, UserErrors) else [exc]
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def line_of(text: str, needle: str) -> int:
    return next(i for i, t in enumerate(text.splitlines(), 1) if needle in t)


def spec(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "spec.yaml"
    p.write_text(f"scenario: {MINI}\nturns: 2\nreplications: 2\narms:\n  a: {{}}\n{body}"
                 "outcomes:\n  x: {indicator: syria_alignment}\n")
    return p


@pytest.fixture()
def client(tmp_path):
    return create_app({"DATA_DIR": tmp_path / "data", "TESTING": True}).test_client()


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_the_same_mistake_gives_the_same_field_and_message_everywhere(mistake, tmp_path, client, capsys):
    field, value, old, new, message = MISTAKES[mistake]
    bad_text = TEXT.replace(old, new, 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(bad_text)
    line = line_of(bad_text, new)

    with pytest.raises(UserError) as exc:                                      # a file
        load_scenario(bad)
    e = only(exc.value)
    assert (e.file, e.line, e.field, e.message) == (str(bad), line, field, message)

    with pytest.raises(UserError) as exc:                                      # --set
        load_scenario(MINI, overrides=[f"{field}={value}"])
    e = only(exc.value)
    assert (e.file, e.line, e.field, e.message) == (f"--set {field}={value}", None, field, message)
    assert main(["run", str(MINI), "--set", f"{field}={value}"]) == 2
    assert capsys.readouterr().err == f"error: --set {field}={value}: {field}: {message}\n"

    arm = spec(tmp_path, f"  b:\n    set: ['{field}={value}']\n")               # an experiment arm
    with pytest.raises(UserError) as exc:
        load_experiment(arm)
    assert str(only(exc.value)) == f"{arm}:7: arms.b.set.0: {field}: {message}"

    swept = spec(tmp_path, f"sweep:\n  parameters:\n    {field}: [{value}]\n")  # a sweep (the field is its key)
    with pytest.raises(UserError) as exc:
        load_experiment(swept)
    assert str(only(exc.value)) == f"{swept}:8: sweep.parameters.{field}: {message}"

    checked = client.post("/api/scenarios/validate", json={"yaml": bad_text}).get_json()   # the web editor
    assert checked["errors"] == [{"line": line, "field": field, "message": message}]

    export = {"scenario": "mini", "scenario_yaml": bad_text, "seed": 1, "turns": 2}       # a game import
    imported = client.post("/api/games/import", json=export)
    assert imported.status_code == 400
    assert imported.get_json()["errors"] == [{"line": line, "field": field, "message": message}]

    with pytest.raises(UserError) as exc:                                      # a stored game's scenario
        scenario_from_resolved(bad_text)
    e = only(exc.value)
    assert (e.line, e.field, e.message) == (line, field, message)


def test_every_front_end_calls_the_one_check(monkeypatch, tmp_path, client):
    """load_scenario, apply_overrides (arms, sweeps, workers) and the server's stored scenarios all end in
    validate_scenario; none validates a Scenario on its own."""
    import model.config.scenario as scenario_module
    import model.experiments.spec as spec_module
    import server.scenarios as server_scenarios

    calls: list[str] = []

    def counting(data, **kw):
        calls.append(kw.get("file", "?"))
        return validate_scenario(data, **kw)

    for module in (scenario_module, spec_module, server_scenarios):
        monkeypatch.setattr(module, "validate_scenario", counting)
    sc = load_scenario(MINI)
    apply_overrides(sc.model_dump(mode="python", by_alias=True), [("params.drift", 0.1)], label="sweep")
    scenario_from_resolved(json.dumps(sc.model_dump(mode="json", by_alias=True)))
    assert client.post("/api/scenarios/validate", json={"yaml": TEXT}).get_json()["ok"] is True
    assert calls[0] == str(MINI) and calls[1] == "sweep" and calls[2] == "<stored scenario>" and len(calls) == 4


def test_overrides_apply_to_defaults_and_may_be_given_together():
    sc = validate_scenario(load_scenario(MINI).model_dump(mode="python", by_alias=True), overrides=[
        (("actors", "USA", "policy", "temperature"), 0.2, "--set a"),
        (("regions", "tartus", "control"), {"SYR": 0.5, "RUS": 0.5}, "--set b")])
    assert sc.actors["USA"].policy.temperature == 0.2 and sc.regions["tartus"].control == {"SYR": 0.5, "RUS": 0.5}
    with pytest.raises(UserError) as exc:
        validate_scenario(load_scenario(MINI).model_dump(), overrides=[
            (("regions", "tartus", "control", "SYR"), 0.5, "--set regions.tartus.control.SYR=0.5")])
    e = only(exc.value)       # a check across the fields of the mapping the override changed: it names the override
    assert (e.file, e.field) == ("--set regions.tartus.control.SYR=0.5", "regions.tartus.control")
    assert e.message.startswith("control shares must sum to 1")
