"""Alignment as users will see it: who changes bloc, how often and why, over many seeds and under strategies.

For each shipped scenario (AI play) and for scripted strategies on the baseline (a human seat giving the same
orders every month where they are possible): the starting blocs, the share of runs with a bloc change and who
changed, the cause sentences, each actor's alignment margin (p5/p50/p95 at months 0, 12 and 24), the month-to-month
change of the margins (the noise the realignment cost must exceed), and `syria_with_west`.
Run: .venv/bin/python benchmarks/alignment_runs.py [--seeds 200] [--strategy-seeds 100] [--workers 2]
"""
from __future__ import annotations

import argparse
import collections
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from model import WargameModel, load_scenario

SCENARIOS = ("baseline-2025", "us-engagement", "syria-west-pivot", "kurdish-conflict")
STRATEGIES = {   # seat -> orders it gives every month where possible (the first that fit its action points)
    "Syria pivots West (engage US, EU, UK)": ("SYR", [{"kind": "engage", "target": t} for t in ("USA", "EU", "GBR")]),
    "Syria pivots West and presses Russia on basing": ("SYR", [
        {"kind": "engage", "target": "USA"}, {"kind": "engage", "target": "EU"},
        {"kind": "demand", "issue": "russian_basing", "target": "RUS"}]),
    "Russia courts Damascus (invest, aid, engage)": ("RUS", [
        {"kind": "invest", "target": "SYR"}, {"kind": "aid", "target": "SYR"}, {"kind": "engage", "target": "SYR"}]),
    "Turkey attacks the SDF (strike, seize)": ("TUR", [
        {"kind": "strike", "target": "SDF"}, {"kind": "seize"}, {"kind": "support_proxy", "target": "SYR"}]),
}
MONTHS = (0, 12, 24)


def play(args: tuple) -> dict:
    """One run: AI play, or a seat following a strategy. Returns what the report needs."""
    name, seed, seat, wanted = args
    sc = load_scenario(name)
    m = WargameModel(sc, seed=seed, human=(seat,) if seat else ())
    while not m.done:
        if seat:
            feasible = m.feasible_orders(seat)
            points, chosen = m.agent(seat).action_points, []
            for want in wanted:
                for f in feasible:
                    o = f["order"]
                    if all(o.get(k) == v for k, v in want.items()) and o not in chosen and f["cost"] <= points:
                        chosen.append(o)
                        points -= f["cost"]
                        break
            m.submit_orders(seat, chosen)
        m.step()
    df = m.indicators()
    actors = list(sc.actors)
    margins = df[[f"alignment.{a}" for a in actors]].to_numpy()
    shifts = [(e["turn"], e["actors"][0], e["sentence"]) for e in m.events() if e["kind"] == "alliance_shift"]
    fixed = set(sc.alignment.outside)
    moving = [i for i, a in enumerate(actors) if a not in fixed]
    return {"actors": actors, "margins": margins[list(MONTHS)], "steps": np.abs(np.diff(margins[:, moving], axis=0)),
            "shifts": shifts, "west": df["syria_with_west"].to_numpy(), "blocs": df["blocs_in_use"].to_numpy(),
            "start": df[[f"bloc.{a}" for a in actors]].iloc[0].tolist()}


def describe(start: list[int], actors: list[str]) -> str:
    blocs: dict[int, list[str]] = {}
    for a, label in zip(actors, start, strict=True):
        blocs.setdefault(label, []).append(a)
    inside = " | ".join("{" + ", ".join(v) + "}" for k, v in sorted(blocs.items()) if k >= 0)
    return inside + (f"; outside: {', '.join(blocs[-1])}" if -1 in blocs else "")


def report(title: str, runs: list[dict]) -> None:
    actors = runs[0]["actors"]
    n = len(runs)
    switched = [r for r in runs if r["shifts"]]
    who = collections.Counter(a for r in runs for _, a, _ in r["shifts"])
    print(f"\n== {title}: {n} runs x 24 months")
    print(f"start: {describe(runs[0]['start'], actors)}")
    print(f"runs with a bloc change: {len(switched)}/{n} ({100 * len(switched) / n:.1f}%); switches: "
          f"{sum(who.values())}; by actor: {dict(who.most_common()) or '-'}")
    west = np.array([r["west"] for r in runs])
    print(f"syria_with_west: start {west[:, 0].mean():.2f}, month 12 {west[:, 12].mean():.2f}, "
          f"month 24 {west[:, -1].mean():.2f}; blocs in use at 24: "
          f"{dict(collections.Counter(int(r['blocs'][-1]) for r in runs))}")
    m = np.array([r["margins"] for r in runs])                        # (runs, months, actors)
    print("alignment margin p5/p50/p95 (negative = content; it moves above alignment.switch_cost):")
    for i, a in enumerate(actors):
        cells = ["/".join(f"{v:+.3f}" for v in np.percentile(m[:, k, i], (5, 50, 95))) for k in range(len(MONTHS))]
        print(f"  {a:>5}  " + "   ".join(f"m{mo}: {c}" for mo, c in zip(MONTHS, cells, strict=True)))
    steps = np.concatenate([r["steps"].ravel() for r in runs])
    print(f"month-to-month |change| of the margins: p50 {np.median(steps):.4f}, p95 {np.percentile(steps, 95):.4f}, "
          f"p99 {np.percentile(steps, 99):.4f}, p99.9 {np.percentile(steps, 99.9):.4f}, max {steps.max():.4f}")
    seen = collections.Counter(s for r in runs for _, _, s in r["shifts"])
    for sentence, count in seen.most_common(6):
        print(f"  [{count}x] {sentence}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--strategy-seeds", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", choices=("scenarios", "strategies"), default=None)
    args = ap.parse_args()
    with ProcessPoolExecutor(args.workers) as pool:
        if args.only != "strategies":
            for name in SCENARIOS:
                report(name, list(pool.map(play, [(name, s, None, None) for s in range(args.seeds)], chunksize=8)))
        if args.only != "scenarios":
            for title, (seat, wanted) in STRATEGIES.items():
                jobs = [("baseline-2025", s, seat, wanted) for s in range(args.strategy_seeds)]
                report(f"baseline-2025, {title} ({seat} as a human seat)", list(pool.map(play, jobs, chunksize=4)))


if __name__ == "__main__":
    main()
