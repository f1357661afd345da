"""A server process resolves one turn at a time, in the order the steps came (server.games.FairLock): with many
games stepped at once, no step waits behind steps that came after it (the p95 latency of benchmarks/server.py)."""
from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from server import create_app
from server.games import FairLock

MINI = Path(__file__).parents[1] / "data" / "scenarios" / "mini.yaml"


def _queued(lock: FairLock) -> int:
    return len(lock._queue)


def test_waiters_get_the_lock_in_the_order_they_came():
    lock, order = FairLock(), []
    lock.__enter__()
    threads = []
    for n in range(6):
        def take(n: int = n) -> None:
            with lock:
                order.append(n)
        t = threading.Thread(target=take)
        t.start()
        threads.append(t)
        deadline = time.monotonic() + 5
        while _queued(lock) < n + 1 and time.monotonic() < deadline:   # thread n waits before n + 1 starts
            time.sleep(0.001)
    lock.__exit__(None, None, None)
    for t in threads:
        t.join(5)
    assert order == list(range(6))
    with lock:                  # free again: taken at once
        assert not lock._queue


def test_an_error_inside_gives_the_lock_to_the_next():
    lock, got = FairLock(), threading.Event()
    try:
        with lock:
            t = threading.Thread(target=lambda: (lock.__enter__(), got.set(), lock.__exit__(None, None, None)))
            t.start()
            while not lock._queue:
                time.sleep(0.001)
            raise ValueError("a turn that failed")
    except ValueError:
        pass
    assert got.wait(5)
    t.join(5)


def test_steps_of_several_games_at_once_all_resolve(tmp_path):
    """Ten games stepped from ten threads at once: every step answers with its month, and the lock ends free."""
    app = create_app({"DATA_DIR": tmp_path / "data", "TESTING": True, "KEEP_DB_CONNECTIONS": True})
    shutil.copy(MINI, app.config["USER_SCENARIO_DIR"] / "mini.yaml")
    made = [app.test_client().post("/api/games", json={"scenario": "mini", "seed": s, "turns": 3}).get_json()
            for s in range(10)]
    errors: list[str] = []

    def play(game: dict) -> None:
        c = app.test_client()
        for turn in range(1, 4):
            r = c.post(f"/api/games/{game['id']}/step", json={"turn": turn - 1},
                       headers={"X-Owner-Token": game["owner_token"]})
            if r.status_code != 200 or r.get_json()["turn"] != turn:
                errors.append(f"{game['id']} {r.status_code} {r.data[:100]!r}")

    threads = [threading.Thread(target=play, args=(g,)) for g in made]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert not app.extensions["wargame.games"]._turns._held
