"""How often each shipped victory condition is met when the computer plays every seat (prints markdown).

Why: a victory condition every AI run meets (or none does) tells a player nothing; the thresholds in the scenarios'
`victory:` sections are assumptions set so that most conditions are met in some runs but not all. Every scenario
plays the same N seeds (numpy.random.SeedSequence(master).spawn(N)), so the scenarios are compared seed by seed.

Run: .venv/bin/python benchmarks/victory.py [--seeds 200] [--workers 2] [--turns 24]
"""
from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from model import WargameModel, load_scenario  # noqa: E402
from model.experiments.executors import one_blas_thread  # noqa: E402

SCENARIO_DIR = ROOT / "configs" / "scenarios"


def play(args: tuple[str, np.random.SeedSequence, int]) -> dict[str, bool]:
    """One AI-only game: each condition's result at the end."""
    name, seed, turns = args
    m = WargameModel(load_scenario(SCENARIO_DIR / f"{name}.yaml"), rng=seed, turns=turns).run()
    return {c["id"]: bool(c["met"]) for c in m.state()["victory"]["conditions"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--turns", type=int, default=24)
    ap.add_argument("--master", type=int, default=2025)
    a = ap.parse_args()
    names = sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))
    seeds = np.random.SeedSequence(a.master).spawn(a.seeds)
    started = time.perf_counter()
    shares: dict[str, dict[str, float]] = {}
    with ProcessPoolExecutor(a.workers, initializer=one_blas_thread) as pool:
        for name in names:
            results = list(pool.map(play, [(name, s, a.turns) for s in seeds], chunksize=8))
            ids = list(results[0]) if results else []
            shares[name] = {vid: sum(r[vid] for r in results) / len(results) for vid in ids}
    ids = list(dict.fromkeys(v for s in shares.values() for v in s))
    actors = {vid: load_scenario(SCENARIO_DIR / f"{names[0]}.yaml").victory[vid].actor for vid in ids
              if vid in load_scenario(SCENARIO_DIR / f"{names[0]}.yaml").victory}
    print(f"# Victory conditions met with the computer in every seat ({a.seeds} seeds, {a.turns} months)\n")
    print("| condition | actor | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    for vid in ids:
        cells = [f"{shares[n][vid]:.0%}" if vid in shares[n] else "-" for n in names]
        print(f"| {vid} | {actors.get(vid, '?')} | " + " | ".join(cells) + " |")
    print(f"\n{a.seeds * len(names)} games in {time.perf_counter() - started:.0f} s ({a.workers} workers)")


if __name__ == "__main__":
    main()
