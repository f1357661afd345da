"""Load and concurrency against a real `wargame serve`: 20 clients x 10 games x 500 requests, and two tabs of one
seat racing each other. The load driver is benchmarks/load.py (the benchmark prints the same figures)."""
from __future__ import annotations

import importlib.util
import sys
import threading

import pytest

from reliability_helpers import ROOT, Server

LOAD_TURNS = 12
LOAD_GAMES = 10


def _load_module():
    spec = importlib.util.spec_from_file_location("wargame_load_benchmark", ROOT / "benchmarks" / "load.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod            # dataclasses look their module up while it runs
    spec.loader.exec_module(mod)
    return mod


load = _load_module()


@pytest.fixture()
def server(data_dir, tmp_path):
    with Server(data_dir, tmp_path) as srv:
        yield srv


def test_20_clients_10_games_500_requests(server):
    res = load.run_load(server.url, games=LOAD_GAMES, turns=LOAD_TURNS)
    assert res.errors == []
    assert res.requests == LOAD_GAMES * len(load.SEATS) * (2 * LOAD_TURNS + 1) == 500
    assert load.verify(server.url, res, LOAD_TURNS) == []
    assert len(res.accepted) == LOAD_GAMES * LOAD_TURNS * len(load.SEATS)       # every submission accepted once
    assert sum(len(v) for v in res.resolved_by.values()) == LOAD_GAMES * LOAD_TURNS
    fig = res.figures()
    print(f"\nload: {fig}")        # the README quotes benchmarks/load.py's figures
    assert server.proc.poll() is None and "Traceback" not in server.log()


def race(n: int, fn) -> list:
    """Run fn(i) in n threads released at the same moment; the results in thread order."""
    barrier = threading.Barrier(n, timeout=60)
    out: list = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        out[i] = fn(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


def test_two_tabs_of_one_seat_submitting_at_once_one_wins_the_other_gets_409(server):
    game = server.api("POST", "/api/games", {"scenario": "mini", "seed": 4, "human": ["SYR", "USA"]}).body
    gid, token = game["id"], game["tokens"]["SYR"]
    for turn in range(4):
        menu = server.api("GET", f"/api/games/{gid}/seats/SYR/orders", token=token).body
        choices = [[], [f["order"] for f in menu["feasible"] if 0 < f["cost"] <= menu["action_points"]][:1]]
        replies = race(2, lambda i, choices=choices, turn=turn: server.api(
            "POST", f"/api/games/{gid}/orders", {"actor": "SYR", "orders": choices[i], "turn": turn}, token=token))
        assert sorted(r.status for r in replies) == [200, 409], [(r.status, r.body) for r in replies]
        winner = next(r for r in replies if r.status == 200)
        loser = next(r for r in replies if r.status == 409)
        assert "already submitted" in loser.body["error"]
        usa = server.api("POST", f"/api/games/{gid}/orders", {"actor": "USA", "orders": [], "turn": turn},
                         token=game["tokens"]["USA"])
        assert usa.status == 200 and usa.body["resolved"] is True
        logged = server.api("GET", f"/api/games/{gid}/export").body["orders"][turn]["orders"]
        assert logged.get("SYR", []) == winner.body["accepted"]              # the winner's orders, once
    assert server.api("GET", f"/api/games/{gid}").body["turn"] == 4


def test_a_double_clicked_step_resolves_once(server):
    game = server.api("POST", "/api/games", {"scenario": "mini", "seed": 4}).body
    for turn in range(3):
        replies = race(3, lambda i, turn=turn: server.api("POST", f"/api/games/{game['id']}/step", {"turn": turn}))
        assert sorted(r.status for r in replies) == [200, 409, 409]
    history = server.api("GET", f"/api/games/{game['id']}/history").body["rows"]
    assert [r["turn"] for r in history] == [0, 1, 2, 3]
