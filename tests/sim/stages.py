"""Small test stages: a scenario file with a change deep-merged into it, written as YAML and loaded (shared by the
mechanism, talks and alignment tests)."""
from __future__ import annotations

import copy
from pathlib import Path

import yaml

from model import load_scenario
from model.config.scenario import Scenario


def merged(base: dict, change: dict) -> dict:
    """`base` with `change` deep-merged into it (mappings merged key by key, anything else replaced)."""
    out = copy.deepcopy(base)
    for k, v in change.items():
        out[k] = merged(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else copy.deepcopy(v)
    return out


def stage_of(base: Path, tmp_path: Path, change: dict | None = None, overrides: tuple[str, ...] = ()) -> Scenario:
    """The scenario at `base` with `change` deep-merged into it, written as YAML (actor order kept) and loaded."""
    data = merged(yaml.safe_load(base.read_text()), change or {})
    path = tmp_path / "stage.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_scenario(path, overrides=list(overrides))
