"""What the damped talks do on a scenario: per issue, the median over seeds (and p10-p90) of the forecast and of one
actor's position at a few months, the status quo, how often each threshold fires and each issue closes.

Run: .venv/bin/python benchmarks/talks.py [--seeds 100] [--scenario baseline-2025] [--actor RUS] [--set KEY=VALUE ...]
"""
from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from model import WargameModel, load_scenario

MONTHS = (0, 1, 2, 3, 6, 12, 18, 24)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--scenario", default="baseline-2025")
    ap.add_argument("--actor", default="RUS")
    ap.add_argument("--set", action="append", default=[], help="scenario override, as for `wargame run --set`")
    args = ap.parse_args()
    sc = load_scenario(args.scenario, overrides=args.set)
    turns = max(MONTHS)
    forecast, position, status_quo = [], [], []
    fired, closed = collections.Counter(), collections.Counter()
    for seed in range(args.seeds):
        m = WargameModel(sc, seed=seed, turns=turns)
        w = m.world
        a = w.idx(args.actor)
        f, p, q = [w.forecast.copy()], [w.position[:, a].copy()], [w.status_quo.copy()]
        for _ in range(turns):
            m.step()
            f.append(w.forecast.copy())
            p.append(w.position[:, a].copy())
            q.append(w.status_quo.copy())
        forecast.append(f)
        position.append(p)
        status_quo.append(q)
        for e in m.events():
            if e["kind"] == "issue":
                fired[(e["numbers"]["issue"], e["numbers"]["threshold"])] += 1
        for k, iid in enumerate(w.issues):
            closed[iid] += bool(w.issue_closed[k])
    F, P, Q = np.array(forecast), np.array(position), np.array(status_quo)   # (seeds, months, issues)
    print(f"{args.scenario}{' ' + ' '.join(args.set) if args.set else ''}: {args.seeds} seeds; talks.half_life "
          f"{sc.talks.half_life:g}, status_quo_weight {sc.talks.status_quo_weight:g}; median (p10-p90) over seeds")
    for k, iid in enumerate(sc.issues):
        iss = sc.issues[iid]
        print(f"\n{iid} (forecast: {iss.forecast}; status quo: {iss.status_quo.kind if iss.status_quo else 'none'})")
        print("  month     " + "".join(f"{t:>15d}" for t in MONTHS))
        for name, arr in (("forecast", F), (f"{args.actor} position", P), ("status quo", Q)):
            cells = []
            for t in MONTHS:
                col = arr[:, t, k]
                if np.all(np.isnan(col)):
                    cells.append(f"{'-':>15s}")
                    continue
                lo, med, hi = np.nanpercentile(col, [10, 50, 90])
                cells.append(f"{med:6.1f} ({lo:3.0f}-{hi:3.0f})")
            print(f"  {name:<14s}" + "".join(f"{c:>15s}" for c in cells))
        for th in iss.thresholds:
            print(f"  threshold {th.name} ({th.when} {th.value:g}): fired {fired[(iid, th.name)]} times in "
                  f"{args.seeds} runs")
        print(f"  closed by month {turns}: {closed[iid]} of {args.seeds} runs")


if __name__ == "__main__":
    main()
