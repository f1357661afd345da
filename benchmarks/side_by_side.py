"""CPU time of the 24-month AI-only baseline run in this checkout against another one (e.g. the commit a change
started from), interleaved round by round in fresh processes, so that the shared, noisy machine weighs on both alike.

Each round runs, in one process per checkout: one cold run (the first in the process: imports are done, but caches
such as the starting landscape are empty), then `--seeds` warm runs; a round reports the cold run and the median of
the warm ones. Printed: the median over rounds for each checkout and the ratio this/other.
Make the other checkout with `git worktree add /tmp/old <commit>`.
Run: .venv/bin/python benchmarks/side_by_side.py --other /tmp/old [--rounds 9] [--seeds 10]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import json, statistics, time
from model import WargameModel, load_scenario
sc = load_scenario("configs/scenarios/baseline-2025.yaml")   # this checkout's own file
t = time.process_time(); WargameModel(sc, seed=0, turns=24).run(); cold = time.process_time() - t
warm = []
for s in range(1, {seeds} + 1):
    t = time.process_time(); WargameModel(sc, seed=s, turns=24).run(); warm.append(time.process_time() - t)
print(json.dumps({{"cold": cold, "warm": statistics.median(warm)}}))
"""


def measure(tree: Path, seeds: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", CHILD.format(seeds=seeds)], cwd=tree, env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--other", type=Path, required=True, help="the other checkout (e.g. the starting commit)")
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--seeds", type=int, default=10)
    args = ap.parse_args()
    trees = {"this": ROOT, "other": args.other.resolve()}
    results: dict[str, list[dict[str, float]]] = {k: [] for k in trees}
    for r in range(args.rounds):
        for name in (("this", "other") if r % 2 == 0 else ("other", "this")):
            results[name].append(measure(trees[name], args.seeds))
    med = {name: {k: statistics.median(x[k] for x in rs) * 1000 for k in ("cold", "warm")}
           for name, rs in results.items()}
    for name in trees:
        print(f"{name:>5} ({trees[name]}): 24-month baseline run, median of {args.rounds} rounds: "
              f"warm {med[name]['warm']:.1f} ms CPU, cold (first run in a process) {med[name]['cold']:.1f} ms CPU")
    print(f"ratio this/other: warm x{med['this']['warm'] / med['other']['warm']:.3f}, "
          f"cold x{med['this']['cold'] / med['other']['cold']:.3f}")


if __name__ == "__main__":
    main()
