"""Wall time of futures from a live game: 200 futures x 12 months with 2 workers (target <= 5 s; stretch <= 2 s).

    .venv/bin/python benchmarks/futures.py                  # 5 rounds, the default sizes
    .venv/bin/python benchmarks/futures.py --n 200 --months 12 --rounds 7

The game is the baseline at month 6 (seed 7, the US a human seat), as a player would ask from the page. The server
keeps a warm pool of workers, so the pool (model.experiments.executors.LocalWorkers) is started and warmed before
the clock starts, and every round hands it the job:
- "2 workers": a pool of 2 processes doing all the work (parent_works=False: the server's process stays free);
- "1 + 1": a pool of 1 process with this process working beside it (what `wargame futures --workers 2` uses on
  larger jobs);
- "1 worker": everything in this process, for the speed-up.
Each figure is the median of --rounds, rounds interleaved; the fastest round is printed beside it. The figures
include pickling the snapshot, shipping it once per worker, the runs and the summary (fans, odds, shares).
The machine is shared and noisy: the load average when the rounds start is printed too.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import WargameModel, load_scenario, run_futures  # noqa: E402
from model.experiments.executors import LocalWorkers, one_blas_thread  # noqa: E402

TARGET, STRETCH = 5.0, 2.0


def game() -> WargameModel:
    m = WargameModel(load_scenario("baseline-2025"), seed=7, human=("USA",))
    for _ in range(6):
        m.submit_orders("USA", [{"kind": "engage", "target": "SYR"}])
        m.step()
    return m


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    one_blas_thread()
    m = game()
    two, one = LocalWorkers(2), LocalWorkers(1)
    two.warm(60)
    one.warm(60)
    run_futures(m, n=4, months=1, pool=two, parent_works=False)      # the workers import what they need once
    run_futures(m, n=4, months=1, pool=one)
    ways = {
        "2 workers": lambda: run_futures(m, n=args.n, months=args.months, pool=two, parent_works=False).summary(),
        "1 + 1": lambda: run_futures(m, n=args.n, months=args.months, pool=one, parent_works=True).summary(),
        "1 worker": lambda: run_futures(m, n=args.n, months=args.months).summary(),
    }
    print(f"{args.n} futures x {args.months} months from month {m.turn} of the baseline (seed 7, USA human); "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; {args.rounds} rounds")
    times: dict[str, list[float]] = {k: [] for k in ways}
    for _ in range(args.rounds):
        for name, fn in ways.items():
            times[name].append(timed(fn))
    two.close()
    one.close()
    base = statistics.median(times["1 worker"])
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  {name:<10} median {med:6.2f} s  fastest {min(ts):6.2f} s  speed-up {base / med:4.2f}x")
    best = statistics.median(times["2 workers"])
    verdict = "meets the stretch target" if best <= STRETCH else "meets the target" if best <= TARGET else "misses"
    print(f"2 workers: {best:.2f} s for {args.n} x {args.months} (target <= {TARGET:g} s, stretch <= {STRETCH:g} s): "
          f"{verdict}")


if __name__ == "__main__":
    main()
