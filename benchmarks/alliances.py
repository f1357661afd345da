"""Time the landscape-theory engine: all minima with basins for n = 13, 16, 20 actors, and one `settle`.

Random sizes and propensities from a fixed seed. Targets (2-core machine): n=13 < 50 ms, n=16 < 1 s,
n=20 < 30 s, peak memory under ~2 GB. Run: .venv/bin/python benchmarks/alliances.py
"""
from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from model.theory.alliances import landscape, settle  # noqa: E402

SEED = 2025
TARGETS = {13: 0.050, 16: 1.0, 20: 30.0}  # seconds
REPEATS = {13: 20, 16: 5, 20: 1}  # best of this many runs
SETTLE_ACTORS = 13
SETTLE_CALLS = 2000
MEMORY_TARGET_MB = 2048


def problem(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    sizes = rng.uniform(0.1, 1.0, n)
    p = rng.uniform(-1.0, 1.0, (n, n))
    return sizes, np.triu(p, 1) + np.triu(p, 1).T


def best_time(fn, repeats: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    rng = np.random.default_rng(SEED)
    ok = True
    print(f"landscape(): all 2^(n-1) configurations, minima and basins (best of runs, seed {SEED})")
    for n, target in TARGETS.items():
        sizes, p = problem(n, rng)
        seconds, result = best_time(lambda: landscape(sizes, p), REPEATS[n])
        passed = seconds < target
        ok &= passed
        print(f"  n={n:2d}: {seconds * 1000:9.1f} ms  (target < {target * 1000:.0f} ms) "
              f"{'ok' if passed else 'SLOW'}  {result.n_configurations} configurations, "
              f"{len(result.minima)} minima")
    sizes, p = problem(SETTLE_ACTORS, rng)
    starts = rng.integers(0, 2, size=(SETTLE_CALLS, SETTLE_ACTORS))
    start = time.perf_counter()
    moves = sum(len(settle(sizes, p, x)[1]) for x in starts)
    per_call = (time.perf_counter() - start) / SETTLE_CALLS
    print(f"settle(): n={SETTLE_ACTORS} from random starts: {per_call * 1e6:.0f} us per call "
          f"({moves / SETTLE_CALLS:.1f} switches on average)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    ok &= peak_mb < MEMORY_TARGET_MB
    print(f"peak memory: {peak_mb:.0f} MB (target < {MEMORY_TARGET_MB} MB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
