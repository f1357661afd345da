"""Where configs live: the shipped ones are package data (importlib.resources), the user's own folders come from
--config-dir and WARGAME_CONFIG_PATH, and a user file never shadows a shipped name."""
from __future__ import annotations

import importlib.resources
import os
import shutil
from pathlib import Path

import pytest

from model.config import locations
from model.config.errors import UserError
from model.config.scenario import SCENARIO_DIR, find_scenario, load_scenario
from model.experiments.spec import EXPERIMENT_DIR, find_experiment, load_experiment

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "scenarios" / "mini.yaml"
TINY = ROOT / "tests" / "data" / "experiments" / "tiny.yaml"


def config_folder(root: Path, scenario: str = "my-mini", name: str = "Mine") -> Path:
    """A user config folder laid out like configs/: one scenario and one spec that names it."""
    (root / "scenarios").mkdir(parents=True)
    (root / "experiments").mkdir()
    (root / "scenarios" / f"{scenario}.yaml").write_text(
        MINI.read_text().replace("name: Mini test scenario", f"name: {name}"))
    (root / "experiments" / "my-tiny.yaml").write_text(
        TINY.read_text().replace("../scenarios/mini.yaml", scenario))
    return root


def test_the_shipped_configs_are_package_data_from_the_top_level_folder():
    via_resources = importlib.resources.files(locations.SHIPPED_PACKAGE)
    assert Path(str(via_resources)).resolve() == (ROOT / "configs").resolve()   # one source, no copies
    assert SCENARIO_DIR == locations.shipped_dir("scenarios") and (SCENARIO_DIR / "baseline-2025.yaml").is_file()
    assert EXPERIMENT_DIR == locations.shipped_dir("experiments")
    assert (EXPERIMENT_DIR / "projected-outcomes.yaml").is_file()


def test_config_dirs_come_before_the_environment_variable(tmp_path):
    a, b = config_folder(tmp_path / "a"), config_folder(tmp_path / "b")
    env = {locations.ENV_VAR: os.pathsep.join([str(b), "", str(a)])}
    assert locations.user_roots([a], environ=env) == [a.resolve(), b.resolve()]   # a given twice counts once
    assert locations.user_roots(environ={}) == []
    assert locations.user_dirs("scenarios", [a, b]) == [a / "scenarios", b / "scenarios"]


@pytest.mark.parametrize("source", ["--config-dir", locations.ENV_VAR])
def test_a_missing_or_misshapen_config_folder_is_one_clear_error(tmp_path, source):
    def roots(folder: Path) -> list[Path]:
        if source == "--config-dir":
            return locations.user_roots([folder], environ={})
        return locations.user_roots(environ={locations.ENV_VAR: str(folder)})

    with pytest.raises(UserError) as exc:
        roots(tmp_path / "nope")
    assert exc.value.field == source and "no such folder" in str(exc.value)
    flat = tmp_path / "flat"
    flat.mkdir()
    shutil.copy(MINI, flat / "mini.yaml")                  # the scenarios folder itself, given by mistake
    with pytest.raises(UserError) as exc:
        roots(flat)
    assert "laid out like configs/" in str(exc.value) and "scenarios/" in str(exc.value)


def test_user_scenarios_and_specs_are_found_by_name(tmp_path):
    root = config_folder(tmp_path / "cfg")
    scenarios, specs = locations.user_dirs("scenarios", [root]), locations.user_dirs("experiments", [root])
    assert load_scenario("my-mini", search_dirs=scenarios).name == "Mine"
    exp = load_experiment("my-tiny", search_dirs=scenarios, spec_dirs=specs, replications=1)
    assert exp.path == str(root / "experiments" / "my-tiny.yaml") and exp.replications == 1
    assert load_experiment("projected-outcomes", replications=1).spec.name == "The article's projected outcomes"


def test_a_user_file_never_shadows_a_shipped_name(tmp_path):
    root = config_folder(tmp_path / "cfg", scenario="baseline-2025", name="Impostor")
    (root / "experiments" / "projected-outcomes.yaml").write_text("name: Impostor spec\n")
    scenarios, specs = locations.user_dirs("scenarios", [root]), locations.user_dirs("experiments", [root])
    assert find_scenario("baseline-2025", scenarios) == SCENARIO_DIR / "baseline-2025.yaml"
    assert find_experiment("projected-outcomes", specs) == EXPERIMENT_DIR / "projected-outcomes.yaml"
    assert find_scenario(root / "scenarios" / "baseline-2025.yaml", scenarios).parent == root / "scenarios"


def test_unknown_names_list_what_is_known(tmp_path):
    root = config_folder(tmp_path / "cfg")
    with pytest.raises(UserError, match=r"no scenario file or name 'nope'; known scenarios: .*baseline-2025.*my-mini"):
        find_scenario("nope", locations.user_dirs("scenarios", [root]))
    with pytest.raises(UserError, match=r"no experiment spec file or name 'nope'; known experiments: "
                                        r"input-uncertainty, mechanism-sensitivity, my-tiny, projected-outcomes$"):
        find_experiment("nope", locations.user_dirs("experiments", [root]))
    with pytest.raises(UserError, match="no such file"):
        load_experiment(tmp_path / "missing.yaml")
