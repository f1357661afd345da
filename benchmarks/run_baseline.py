"""Speed of the model: median time of a 24-turn AI-only baseline run, and time per turn vs number of actors.

Targets (2-core machine): <= 50 ms for the 24-turn baseline, and no more CPU than the commit a change started from;
time per turn growing no faster than n^2.
Run: .venv/bin/python benchmarks/run_baseline.py [--repeats 15]

Against another checkout (issue 11: a third of the cost at 351bd22, `git worktree add /tmp/base-351 351bd22`):
    .venv/bin/python benchmarks/run_baseline.py --other /tmp/base-351 [--rounds 9] [--seeds 10]
rounds alternate which checkout goes first, each a fresh process per checkout (benchmarks/side_by_side.py: a cold
run, then the median CPU time of `--seeds` warm runs), each tree playing its own configs/scenarios/baseline-2025.yaml;
printed are the medians over rounds, the ratio of those medians and the median of the per-round ratios.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from model import WargameModel, load_scenario
from model.config.scenario import Scenario


def synthetic(n: int, seed: int = 0) -> Scenario:
    """A random scenario with n actors, n//2 bases, 14 regions and 4 issues (all numbers invented)."""
    rng = np.random.default_rng(seed)
    ids = [f"A{i:02d}" for i in range(n)]
    regions = {f"r{j}": {"name": f"R{j}", "iso": "SY-" + "ABCDEFGHIJKLMN"[j] * 2, "population": float(100 + j),
                         "control": _shares(rng, ids)} for j in range(14)}
    actors = {}
    for i, a in enumerate(ids):
        goals = {"land": {"kind": "influence", "weight": float(rng.uniform(0.5, 2))},
                 "friend": {"kind": "relation", "actor": ids[(i + 1) % n], "target": 0.5, "weight": 1.0},
                 "issue": {"kind": "issue", "issue": f"i{i % 4}", "weight": 1.0},
                 "calm": {"kind": "stability", "weight": 0.5}}
        if i < n // 2:
            goals["base"] = {"kind": "hold_base", "base": f"b{i}", "weight": 1.5}
        actors[a] = {"name": a, "capabilities": {k: float(rng.uniform(5, 80)) for k in
                                                 ("military", "economic", "diplomatic")},
                     "action_points": 3, "goals": goals}
    rel = {f"{ids[i]}-{ids[j]}": round(float(rng.uniform(-0.8, 0.8)), 3)
           for i in range(n) for j in range(i + 1, n) if rng.random() < 0.5}
    bases = {f"b{i}": {"name": f"B{i}", "lat": 34.0, "lon": 37.0, "region": f"r{i % 14}", "controller": ids[i],
                       "host": ids[(i + 1) % n], "garrison": 0.5} for i in range(n // 2)}
    issues = {f"i{k}": {"name": f"I{k}", "positions": {a: float(rng.uniform(0, 100)) for a in ids},
                        "salience": {a: float(rng.uniform(0, 1)) for a in ids}} for k in range(4)}
    return Scenario.model_validate({"name": f"synthetic-{n}", "actors": actors, "relations": rel,
                                    "bases": bases, "regions": regions, "issues": issues})


def _shares(rng, ids) -> dict[str, float]:
    pick = rng.choice(len(ids), size=3, replace=False)
    w = rng.dirichlet(np.ones(3))
    w = np.round(w, 6)
    w[-1] = 1.0 - w[:-1].sum()
    return {ids[i]: float(x) for i, x in zip(pick, w, strict=True)}


def timed(sc: Scenario, turns: int, seed: int) -> float:
    """CPU seconds of one run (process time: robust when other jobs share the machine; wall time is printed too)."""
    t0, w0 = time.process_time(), time.perf_counter()
    WargameModel(sc, seed=seed, turns=turns).run()
    WALL.append(time.perf_counter() - w0)
    return time.process_time() - t0


WALL: list[float] = []


def compare(other: Path, rounds: int, seeds: int) -> None:
    """This checkout's 24-month baseline against another's, interleaved (see the module's docstring)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from side_by_side import ROOT, measure

    trees = {"this": ROOT, "other": other.resolve()}
    results: dict[str, list[dict[str, float]]] = {k: [] for k in trees}
    for r in range(rounds):
        for name in (("this", "other") if r % 2 == 0 else ("other", "this")):
            results[name].append(measure(trees[name], seeds))
        print(f"round {r + 1}: this {results['this'][-1]['warm'] * 1000:.1f} ms, other "
              f"{results['other'][-1]['warm'] * 1000:.1f} ms (warm, CPU)", flush=True)
    med = {name: {k: statistics.median(x[k] for x in rs) * 1000 for k in ("cold", "warm")}
           for name, rs in results.items()}
    for name, tree in trees.items():
        print(f"{name:>5} ({tree}): 24-month baseline, median of {rounds} rounds x {seeds} seeds: "
              f"warm {med[name]['warm']:.1f} ms CPU, cold (first run in a process) {med[name]['cold']:.1f} ms CPU")
    ratio = med["this"]["warm"] / med["other"]["warm"]
    per_round = statistics.median(t["warm"] / o["warm"] for t, o in zip(results["this"], results["other"], strict=True))
    print(f"ratio this/other: warm x{ratio:.3f} (median of per-round ratios x{per_round:.3f}), "
          f"cold x{med['this']['cold'] / med['other']['cold']:.3f}; "
          f"no more CPU than the other tree: {'met' if ratio <= 1.0 else 'NOT met'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--other", type=Path, default=None, help="another checkout to compare the baseline run with")
    ap.add_argument("--rounds", type=int, default=9, help="with --other: interleaved rounds (default 9)")
    ap.add_argument("--seeds", type=int, default=10, help="with --other: warm runs per round (default 10)")
    args = ap.parse_args()
    if args.other is not None:
        compare(args.other, args.rounds, args.seeds)
        return
    root = Path(__file__).resolve().parent.parent
    name = "baseline-2025" if (root / "configs/scenarios/baseline-2025.yaml").exists() else \
        str(root / "tests/data/scenarios/mini.yaml")
    sc = load_scenario(name)
    timed(sc, 24, 0)  # warm-up (imports, caches)
    WALL.clear()
    runs = [timed(sc, 24, s) for s in range(args.repeats)]
    med = statistics.median(runs) * 1000
    print(f"24-turn AI-only run of {name}: median {med:.1f} ms CPU over {args.repeats} seeds "
          f"(min {min(runs) * 1000:.1f}, max {max(runs) * 1000:.1f}; wall median "
          f"{statistics.median(WALL) * 1000:.1f} ms); target <= 50 ms: {'met' if med <= 50 else 'NOT met'}")
    per_turn = {}
    for n in (13, 26, 52):
        s = synthetic(n)
        timed(s, 2, 0)
        ts = [timed(s, 12, k) / 12 for k in range(max(3, args.repeats // 3))]
        per_turn[n] = statistics.median(ts) * 1000
        print(f"synthetic n={n:>2}: {per_turn[n]:.2f} ms CPU per turn")
    for a, b in ((13, 26), (26, 52)):
        ratio = per_turn[b] / per_turn[a]
        print(f"n {a}->{b}: x{ratio:.2f} per turn (n^2 would be x4.00): "
              f"{'within' if ratio <= 4.0 else 'FASTER than'} quadratic growth")


if __name__ == "__main__":
    main()
