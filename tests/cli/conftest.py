"""Fixtures shared by the CLI tests."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from model import WargameModel, load_scenario, to_export


@pytest.fixture(scope="session")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An exported game with one human seat (SYR) that has held for three months: what `futures`, `review` and
    the hostile-input tests read."""
    m = WargameModel(load_scenario("baseline-2025"), seed=5, human=("SYR",))
    for _ in range(3):
        m.submit_orders("SYR", [])
        m.step()
    path = tmp_path_factory.mktemp("export") / "game.json"
    path.write_text(json.dumps(to_export(m, "baseline-2025")))
    return path
