"""--config-dir and WARGAME_CONFIG_PATH on the commands that read configs, and in the server (read-only folders)."""
from __future__ import annotations

from pathlib import Path

import pytest

from model.cli.main import main
from model.config.locations import ENV_VAR
from server import create_app

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "scenarios" / "mini.yaml"
TINY = ROOT / "tests" / "data" / "experiments" / "tiny.yaml"


@pytest.fixture()
def cfg(tmp_path, monkeypatch) -> Path:
    """A config folder like configs/: scenario my-mini, spec my-tiny (naming my-mini) and a would-be impostor."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    root = tmp_path / "cfg"
    (root / "scenarios").mkdir(parents=True)
    (root / "experiments").mkdir()
    (root / "scenarios" / "my-mini.yaml").write_text(MINI.read_text().replace("Mini test scenario", "My mini"))
    (root / "scenarios" / "baseline-2025.yaml").write_text(MINI.read_text().replace("Mini test scenario", "Impostor"))
    (root / "experiments" / "my-tiny.yaml").write_text(TINY.read_text().replace("../scenarios/mini.yaml", "my-mini"))
    return root


def test_run_finds_a_user_scenario_by_name_with_the_option_or_the_variable(cfg, monkeypatch, capsys):
    assert main(["run", "my-mini", "--turns", "1", "--config-dir", str(cfg)]) == 0
    assert capsys.readouterr().out.startswith("My mini")
    assert main(["run", "my-mini", "--turns", "1", "--quiet"]) == 2
    assert "known scenarios: baseline-2025" in capsys.readouterr().err
    monkeypatch.setenv(ENV_VAR, str(cfg))
    assert main(["run", "my-mini", "--turns", "1"]) == 0
    assert capsys.readouterr().out.startswith("My mini")
    assert main(["run", "baseline-2025", "--turns", "1"]) == 0            # the shipped one, not the impostor
    assert "Impostor" not in capsys.readouterr().out


def test_validate_and_batch_find_user_specs_and_their_scenarios(cfg, tmp_path, capsys):
    spec = cfg / "experiments" / "my-tiny.yaml"
    assert main(["validate", str(spec)]) == 2                               # my-mini is unknown without the folder
    assert "no scenario file or name 'my-mini'" in capsys.readouterr().err
    assert main(["validate", str(spec), "--config-dir", str(cfg)]) == 0
    out = tmp_path / "out"
    assert main(["batch", "my-tiny", "--config-dir", str(cfg), "--replications", "1", "--turns", "2",
                 "--workers", "1", "--no-progress", "--out", str(out)]) == 0
    assert (out / "summary.md").is_file() and (out / "runs.parquet").is_file()


@pytest.mark.parametrize("command", [["run", "baseline-2025"], ["validate", str(MINI)], ["batch", "tiny"],
                                     ["sensitivity", "tiny"], ["alliances", str(MINI)], ["serve"]])
def test_a_missing_config_dir_is_one_line_and_exit_2(command, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert main([*command, "--config-dir", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err == f"error: --config-dir: no such folder: {tmp_path / 'nope'}\n"


def test_the_server_lists_config_folders_read_only(cfg, tmp_path):
    app = create_app({"DATA_DIR": tmp_path / "data", "TESTING": True, "CONFIG_DIRS": [cfg]})
    client = app.test_client()
    by_id = {s["id"]: s for s in client.get("/api/scenarios").json}
    assert by_id["my-mini"]["builtin"] is True and by_id["my-mini"]["name"] == "My mini"
    assert by_id["baseline-2025"]["name"] != "Impostor"
    assert client.post("/api/games", json={"scenario": "my-mini", "seed": 1, "human": []}).status_code == 201
    r = client.post("/api/scenarios", json={"id": "my-mini", "yaml": MINI.read_text()})
    assert r.status_code == 409
    specs = {s["id"]: s for s in client.get("/api/experiments/specs").get_json()}
    assert specs["my-tiny"]["builtin"] is True
    r = client.post("/api/experiments/validate", json={"yaml": (cfg / "experiments" / "my-tiny.yaml").read_text()})
    assert r.status_code == 200 and r.get_json()["ok"] is True, r.get_json()
