"""Cost of reading and checking the baseline scenario, old checkout vs this one, side by side.

Ranges on uncertain numbers ({value, low, high}) are split off by the loader and each scenario with ranges is
checked twice more (every range at its low end, then at its high end); this prints what that costs:
  - load_scenario(baseline): median milliseconds in one process (parse + schema + references [+ ranges]);
  - `wargame validate configs/scenarios/baseline-2025.yaml`: median wall and CPU seconds of the whole process.
Old and new alternate round by round (the machine is shared and noisy).
Run: .venv/bin/python benchmarks/validate.py --old /path/to/old/checkout [--rounds 7]
     (an old checkout: git worktree add /tmp/old <commit>)
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = "configs/scenarios/baseline-2025.yaml"
IN_PROCESS = """
import json, statistics, time
from model.config.scenario import load_scenario
load_scenario({path!r})
times = []
for _ in range({n}):
    t = time.perf_counter(); sc = load_scenario({path!r}); times.append(time.perf_counter() - t)
print(json.dumps({{"ms": statistics.median(times) * 1000, "ranges": len(getattr(sc, "uncertain", {{}}))}}))
"""


def in_process(tree: Path, n: int) -> dict:
    code = IN_PROCESS.format(path=str(tree / SCENARIO), n=n)
    out = subprocess.run([sys.executable, "-c", code], cwd=tree, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def whole_process(tree: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of `wargame validate` run from `tree` (its own model package comes first)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "model.cli.main", "validate", SCENARIO], cwd=tree, check=True,
                   capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", type=Path, required=True, help="a checkout of the commit to compare with")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--loads", type=int, default=30, help="load_scenario calls per round")
    args = ap.parse_args()
    trees = {"old": args.old.resolve(), "new": ROOT}
    res: dict[str, dict[str, list[float]]] = {k: {"ms": [], "wall": [], "cpu": []} for k in trees}
    ranges = {}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            r = in_process(tree, args.loads)
            ranges[name] = r["ranges"]
            wall, cpu = whole_process(tree)
            res[name]["ms"].append(r["ms"])
            res[name]["wall"].append(wall)
            res[name]["cpu"].append(cpu)
    print(f"baseline scenario, medians of {args.rounds} interleaved rounds")
    print(f"{'':6} {'ranges':>6} {'load_scenario ms':>17} {'validate wall s':>16} {'validate CPU s':>15}")
    for name in trees:
        m = {k: statistics.median(v) for k, v in res[name].items()}
        print(f"{name:6} {ranges[name]:>6} {m['ms']:>17.2f} {m['wall']:>16.3f} {m['cpu']:>15.3f}")


if __name__ == "__main__":
    main()
