"""Fixtures of the reliability suite: an in-process app on a fresh data dir, its test client, games to aim at."""
from __future__ import annotations

from pathlib import Path

import pytest

from reliability_helpers import make_data_dir, new_game
from server import create_app


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path / "data")


@pytest.fixture()
def app(data_dir: Path):
    # Experiments: one run at most, and futures jobs of a few months in their own thread, so nothing a fuzzer sends
    # can start long background work.
    return create_app({"DATA_DIR": data_dir, "EXPERIMENTS_MAX_RUNS": 1, "EXPERIMENTS_MAX_RUNNING": 1,
                       "FUTURES_MAX_TURNS": 8, "FUTURES_MAX_RUNNING": 1, "FUTURES_THREAD_TURNS": 8})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def seats_game(client) -> dict:
    """A game with two human seats (SYR and USA)."""
    return new_game(client, human=["SYR", "USA"])


@pytest.fixture()
def ai_game(client) -> dict:
    return new_game(client)
