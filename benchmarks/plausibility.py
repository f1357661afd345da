"""Plausibility of the baseline and the seed article's three hypotheses, over many seeded replications.

Runs N replications of configs/scenarios/baseline-2025.yaml and of each variant (the same N seeds for every
scenario, from numpy.random.SeedSequence(master).spawn, so differences are paired), then prints markdown tables:

1. per scenario: P(Russia holds Tartus at the last turn) (controller RUS and status not evacuated), the same for
   Khmeimim, mean syria_alignment at the last turn, P(open SDF-Damascus fighting) (sdf_damascus_fighting is 1 in
   at least one turn), mean russia_isolation and mean kurdish_conflict (each the run's mean over turns 1..T, then
   averaged over runs), plus sanity checks: P(eviction notice on Tartus or Khmeimim), the share of relation pairs
   at |r| > 0.95 at the last turn (ISIS pairs left out: ISIS is hostile to all by design) and alliance shifts per turn;
2. per variant: whether it moved its outcome in the direction the seed article expects, with the paired
   difference to the baseline and its 95% confidence interval (normal approximation).

Run: .venv/bin/python benchmarks/plausibility.py [--replications 500] [--turns 24] [--workers 2]
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from model import WargameModel, load_scenario  # noqa: E402

SCENARIO_DIR = ROOT / "configs" / "scenarios"
BASELINE = "baseline-2025"
MASTER_SEED = 20251201
NEGLIGIBLE = 0.01  # a significant difference smaller than this (on 0-1 or -2..2 scales) is reported as negligible
# variant -> [(outcome, direction)]: +1 means the variant should raise the outcome, -1 lower it.
HYPOTHESES: dict[str, list[tuple[str, int]]] = {
    "us-engagement": [("russia_isolation", +1), ("holds_tartus", -1), ("holds_khmeimim", -1)],
    "syria-west-pivot": [("syria_alignment", +1), ("holds_tartus", -1)],
    "kurdish-conflict": [("kurdish_conflict", +1), ("sdf_fighting", +1)],
}
COLUMNS = [
    ("holds_tartus", "P(RUS holds Tartus)"),
    ("holds_khmeimim", "P(RUS holds Khmeimim)"),
    ("syria_alignment", "syria_alignment (T)"),
    ("sdf_fighting", "P(open SDF-Damascus fighting)"),
    ("russia_isolation", "russia_isolation"),
    ("kurdish_conflict", "kurdish_conflict"),
    ("eviction", "P(eviction notice)"),
    ("saturated", "relations at +-1"),
    ("shifts", "alliance shifts/turn"),
]

_cache: dict[str, object] = {}


def run_one(job: tuple[str, int, int]) -> dict[str, float]:
    """One replication: the outcomes of scenario `name` with `seed` over `turns` months."""
    name, seed, turns = job
    if name not in _cache:
        _cache[name] = load_scenario(SCENARIO_DIR / f"{name}.yaml")
    m = WargameModel(_cache[name], seed=seed, turns=turns)
    m.run()
    df = m.indicators()
    last = df.iloc[-1]
    played = df.iloc[1:]

    def holds(base: str) -> float:
        return float(last[f"base.{base}.controller"] == "RUS" and last[f"base.{base}.status"] != "evacuated")

    rel = [c for c in df.columns if c.startswith("relation.") and "ISIS" not in c]
    return {
        "holds_tartus": holds("tartus"),
        "holds_khmeimim": holds("khmeimim"),
        "syria_alignment": float(last["syria_alignment"]),
        "sdf_fighting": float(played["sdf_damascus_fighting"].max() >= 1),
        "russia_isolation": float(played["russia_isolation"].mean()),
        "kurdish_conflict": float(played["kurdish_conflict"].mean()),
        # a notice served on one of Russia's leases (per base since issue 10: model.sim.bases)
        "eviction": float(any(e["kind"] == "lease" and e["numbers"].get("outcome") == "notice"
                              and e["numbers"].get("base") in ("tartus", "khmeimim") for e in m.events())),
        "saturated": float((last[rel].abs() > 0.95).mean()),
        "shifts": float(played["alliance_shifts"].mean()),
    }


def seeds(n: int, master: int = MASTER_SEED) -> list[int]:
    """n independent integer seeds from one master seed (the same for every scenario: paired comparisons)."""
    return [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(master).spawn(n)]


def run_all(names: list[str], n: int, turns: int, workers: int, master: int) -> dict[str, dict[str, np.ndarray]]:
    jobs = [(name, s, turns) for name in names for s in seeds(n, master)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        rows = list(pool.map(run_one, jobs, chunksize=max(1, len(jobs) // (workers * 20))))
    out: dict[str, dict[str, np.ndarray]] = {}
    for i, name in enumerate(names):
        block = rows[i * n:(i + 1) * n]
        out[name] = {k: np.array([r[k] for r in block]) for k in block[0]}
    return out


def ci_diff(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Mean of the paired difference b - a and its 95% normal-approximation interval."""
    d = b - a
    mean = float(d.mean())
    half = 1.96 * float(d.std(ddof=1)) / math.sqrt(len(d)) if len(d) > 1 else float("nan")
    return mean, mean - half, mean + half


def table(results: dict[str, dict[str, np.ndarray]]) -> str:
    head = "| scenario | " + " | ".join(label for _, label in COLUMNS) + " |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 1)]
    for name, r in results.items():
        lines.append(f"| {name} | " + " | ".join(f"{r[k].mean():.3f}" for k, _ in COLUMNS) + " |")
    return "\n".join(lines)


def hypotheses(results: dict[str, dict[str, np.ndarray]]) -> str:
    lines = ["| variant | outcome | expected | baseline | variant | difference [95% CI] | moved as expected? |",
             "|---|---|---|---|---|---|---|"]
    base = results[BASELINE]
    for variant, tests in HYPOTHESES.items():
        if variant not in results:
            continue
        for outcome, sign in tests:
            a, b = base[outcome], results[variant][outcome]
            mean, lo, hi = ci_diff(a, b)
            if ((lo > 0 and sign > 0) or (hi < 0 and sign < 0)) and abs(mean) < NEGLIGIBLE:
                verdict = f"direction right but negligible (abs difference < {NEGLIGIBLE})"
            elif (lo > 0 and sign > 0) or (hi < 0 and sign < 0):
                verdict = "yes (CI excludes 0)"
            elif mean * sign > 0:
                verdict = "same direction, not significant"
            else:
                verdict = "no"
            lines.append(f"| {variant} | {outcome} | {'up' if sign > 0 else 'down'} | {a.mean():.4f} | "
                         f"{b.mean():.4f} | {mean:+.4f} [{lo:+.4f}, {hi:+.4f}] | {verdict} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=500, help="seeded runs per scenario (default 500)")
    ap.add_argument("--turns", type=int, default=24, help="months per run (default 24)")
    ap.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--seed", type=int, default=MASTER_SEED, help=f"master seed (default {MASTER_SEED})")
    ap.add_argument("--scenarios", nargs="*", default=[BASELINE, *HYPOTHESES],
                    help="scenario names in configs/scenarios/ (the baseline must come first)")
    args = ap.parse_args(argv)
    if args.replications < 2 or args.turns < 1 or args.workers < 1:
        ap.error("need --replications >= 2, --turns >= 1 and --workers >= 1")
    start = time.perf_counter()
    results = run_all(args.scenarios, args.replications, args.turns, args.workers, args.seed)
    took = time.perf_counter() - start
    print(f"## Plausibility: {args.replications} replications x {len(args.scenarios)} scenarios, "
          f"{args.turns} turns, master seed {args.seed} ({took:.0f} s, {args.workers} workers)\n")
    print(table(results))
    if BASELINE in results and len(results) > 1:
        print("\n### Hypotheses of the seed article (variant minus baseline, paired by seed)\n")
        print(hypotheses(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
