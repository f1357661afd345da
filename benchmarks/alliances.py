"""Time the landscape-theory engines: two sides (n = 13, 16, 20), k blocs (n = 13 at k = 3 and 4), `settle` and
`settle_blocs`, and the whole `wargame alliances` process on the baseline scenario with --blocs 4.

Random sizes and propensities from a fixed seed. Targets (2-core machine): two sides n=13 < 50 ms, n=16 < 1 s,
n=20 < 30 s; k blocs n=13 k=3 < 150 ms, k=4 < 600 ms; the whole --blocs 4 process < 1 s; peak memory under
~2 GB. Process times are medians of interleaved rounds (the machine is shared and noisy). `wargame` includes
the imports of every subcommand; "alone" runs the same command importing only its own module.
Run: .venv/bin/python benchmarks/alliances.py [--quick]
"""
from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from model.theory.alliances import landscape, settle  # noqa: E402
from model.theory.blocs import settle_blocs  # noqa: E402
from model.theory.blocs_landscape import bloc_landscape  # noqa: E402

SEED = 2025
TARGETS = {13: 0.050, 16: 1.0, 20: 30.0}  # seconds
REPEATS = {13: 20, 16: 5, 20: 1}  # best of this many runs
BLOC_TARGETS = {3: 0.150, 4: 0.600}  # n = 13, seconds
BLOC_REPEATS = 5
BLOC_ACTORS = 13
SETTLE_ACTORS = 13
SETTLE_CALLS = 2000
SETTLE_BLOCS = 4
PROCESS_TARGET = 1.0  # seconds, the whole `wargame alliances baseline --blocs 4`
PROCESS_ROUNDS = 7
SCENARIO = ROOT / "configs" / "scenarios" / "baseline-2025.yaml"
MEMORY_TARGET_MB = 2048
ALONE = ("import sys; from model.cli import alliances as a; p = a.argparse.ArgumentParser(); a.add_arguments(p); "
         "a.run(p.parse_args(sys.argv[1:]))")


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


def process_times(commands: dict[str, list[str]], rounds: int) -> dict[str, float]:
    """Median wall time of each command, rounds interleaved so that load spikes hit all alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    quick = "--quick" in sys.argv
    rng = np.random.default_rng(SEED)
    ok = True
    print(f"landscape(): all 2^(n-1) configurations, minima and basins (best of runs, seed {SEED})")
    for n, target in TARGETS.items():
        if quick and n > 16:
            continue
        sizes, p = problem(n, rng)
        seconds, result = best_time(lambda s=sizes, q=p: landscape(s, q), REPEATS[n])
        passed = seconds < target
        ok &= passed
        print(f"  n={n:2d}: {seconds * 1000:9.1f} ms  (target < {target * 1000:.0f} ms) "
              f"{'ok' if passed else 'SLOW'}  {result.n_configurations} configurations, "
              f"{len(result.minima)} minima")
    print(f"bloc_landscape(): every partition into at most k blocs, n={BLOC_ACTORS} (best of {BLOC_REPEATS})")
    sizes, p = problem(BLOC_ACTORS, rng)
    for k, target in BLOC_TARGETS.items():
        seconds, result = best_time(lambda b=k: bloc_landscape(sizes, p, blocs=b), BLOC_REPEATS)
        passed = seconds < target
        ok &= passed
        print(f"  k={k}: {seconds * 1000:9.1f} ms  (target < {target * 1000:.0f} ms) {'ok' if passed else 'SLOW'}  "
              f"{result.n_configurations} configurations, {len(result.minima)} minima")
    sizes, p = problem(SETTLE_ACTORS, rng)
    starts = rng.integers(0, 2, size=(SETTLE_CALLS, SETTLE_ACTORS))
    start = time.perf_counter()
    moves = sum(len(settle(sizes, p, x)[1]) for x in starts)
    per_call = (time.perf_counter() - start) / SETTLE_CALLS
    print(f"settle(): n={SETTLE_ACTORS} from random starts: {per_call * 1e6:.0f} us per call "
          f"({moves / SETTLE_CALLS:.1f} switches on average)")
    starts = rng.integers(0, SETTLE_BLOCS, size=(SETTLE_CALLS, SETTLE_ACTORS))
    start = time.perf_counter()
    moves = sum(len(settle_blocs(sizes, p, x, blocs=SETTLE_BLOCS)[1]) for x in starts)
    per_call = (time.perf_counter() - start) / SETTLE_CALLS
    print(f"settle_blocs(): n={SETTLE_ACTORS}, k={SETTLE_BLOCS} from random starts: {per_call * 1e6:.0f} us per "
          f"call ({moves / SETTLE_CALLS:.1f} moves on average)")
    wargame = str(ROOT / ".venv" / "bin" / "wargame")
    python = sys.executable
    commands = {"wargame --blocs 4": [wargame, "alliances", str(SCENARIO), "--blocs", "4"],
                "alone --blocs 4": [python, "-c", ALONE, str(SCENARIO), "--blocs", "4"],
                "alone (2 sides)": [python, "-c", ALONE, str(SCENARIO)]}
    rounds = 3 if quick else PROCESS_ROUNDS
    medians = process_times(commands, rounds)
    print(f"whole process, baseline-2025 (13 actors), median of {rounds} interleaved rounds:")
    for name, seconds in medians.items():
        print(f"  {name:18s} {seconds:6.2f} s")
    passed = medians["wargame --blocs 4"] < PROCESS_TARGET
    ok &= passed
    print(f"  target: wargame --blocs 4 < {PROCESS_TARGET:.1f} s: {'ok' if passed else 'SLOW'}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    ok &= peak_mb < MEMORY_TARGET_MB
    print(f"peak memory: {peak_mb:.0f} MB (target < {MEMORY_TARGET_MB} MB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
