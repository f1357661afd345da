"""Where a step's server CPU goes, outside the model: POST /api/games/<id>/step through the whole WSGI app in this
process (Flask test client, the server's middleware and config), profiled with cProfile.

Plays `--games` AI-only games of the baseline scenario round-robin (as 10 clients at once would interleave them) to
their end, then prints the wall time per step split into the model's turn (WargameModel.step) and the rest, and the
top functions by cumulative time per step. A real server adds waitress and, with --workers N, forwarding.

    .venv/bin/python benchmarks/step_profile.py [--games 10] [--top 40] [--sort cumulative|tottime]
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def play(client: Any, games: int, scenario: str) -> tuple[list[str], dict[str, str]]:
    ids, owners = [], {}
    for g in range(games):
        r = client.post("/api/games", json={"scenario": scenario, "seed": 100 + g})
        assert r.status_code == 201, r.data[:200]
        ids.append(r.json["id"])
        owners[r.json["id"]] = r.json["owner_token"]
    return ids, owners


def step_all(client: Any, ids: list[str], owners: dict[str, str]) -> int:
    steps, live = 0, list(ids)
    while live:
        for gid in list(live):
            r = client.post(f"/api/games/{gid}/step", json={}, headers={"X-Owner-Token": owners[gid]})
            assert r.status_code == 200, r.data[:200]
            steps += 1
            if r.json["done"]:
                live.remove(gid)
    return steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=10)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    parser.add_argument("--scenario", default="baseline-2025")
    parser.add_argument("--no-profile", action="store_true", help="only the unprofiled figures")
    args = parser.parse_args()

    from model import WargameModel
    from server import create_app
    from server.security import AccessLog

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATA_DIR": Path(tmp), "KEEP_DB_CONNECTIONS": True, "EXCLUSIVE_DATA_DIR": True})
        app.wsgi_app = AccessLog(app.wsgi_app, stream=io.StringIO())      # type: ignore[method-assign]
        client = app.test_client()
        warm, owners = play(client, 2, args.scenario)            # load the scenario, run a turn of each
        step_all(client, warm, owners)
        model_time = [0.0]
        plain_step = WargameModel.step

        def timed_step(self: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return plain_step(self)
            finally:
                model_time[0] += time.perf_counter() - t0

        WargameModel.step = timed_step          # type: ignore[method-assign]
        ids, owners = play(client, args.games, args.scenario)    # Mesa wraps a model's step when it is made
        t0, c0 = time.perf_counter(), time.process_time()
        steps = step_all(client, ids, owners)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        model = model_time[0]
        if args.no_profile:
            WargameModel.step = plain_step      # type: ignore[method-assign]
            print(f"{steps} steps: {1000 * wall / steps:.2f} ms per step ({1000 * cpu / steps:.2f} ms CPU, the test "
                  f"client's included), of which the model's turn {1000 * model / steps:.2f} ms")
            return 0
        ids, owners = play(client, args.games, args.scenario)
        prof = cProfile.Profile()
        prof.enable()
        steps_p = step_all(client, ids, owners)
        prof.disable()
        WargameModel.step = plain_step          # type: ignore[method-assign]
    print(f"{steps} steps unprofiled: {1000 * wall / steps:.2f} ms per step in all ({1000 * cpu / steps:.2f} ms "
          f"CPU, the test client's included), of which the model's turn {1000 * model / steps:.2f} ms and the rest "
          f"{1000 * (wall - model) / steps:.2f} ms")
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats(args.sort).print_stats(args.top)
    print(f"profiled ({steps_p} steps; times below are totals, divide by {steps_p} for per step):")
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
