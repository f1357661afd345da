"""Where a month of the 24-month baseline run goes: CPU per phase, and numpy calls per month by calling function.

    .venv/bin/python benchmarks/turn_profile.py [--seeds 10] [--top 25]
    .venv/bin/python benchmarks/turn_profile.py --other /tmp/old [--rounds 7] [--seeds 8]

1. CPU per phase (process time, so other load on the shared machine weighs less than on wall time): each phase
   method of WargameModel, and the scoring pass (policies.score_all) and the utility inside the orders phase, timed
   around every call over `--seeds` warm 24-month runs; printed per run and as a share of the run.
2. numpy calls per month (sys.monitoring, Python 3.12+): every call of a numpy function, ufunc or method object,
   counted by the Python function that makes it. Operators (a + b, a[i]) and array methods reached by attribute
   are not calls to a numpy object and are not counted, so this is a floor of the numpy work. It is what an
   audit of "many small numpy calls" needs: which functions make them, and how many.
The figures explain the cost of a month; they are no speed target (run_baseline.py --other measures those).
3. With `--other TREE`: section 1 for this checkout and another one side by side, interleaved round by round in
   fresh processes (as benchmarks/side_by_side.py does for the whole run), each playing its own baseline file;
   printed are the medians over rounds per phase, the ratio this/other, and the run without the orders phase.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from model import WargameModel, load_scenario
from model.sim import model as sim_model
from model.sim import policies

ROOT = Path(__file__).resolve().parent.parent

PHASES = ["phase_nature", "phase_orders", "phase_adjudication", "phase_bargaining", "phase_relations",
          "phase_alignment", "phase_control", "phase_record"]


CHILD = """
import collections, json, time
from model import WargameModel, load_scenario
PHASES = {phases!r}
table = collections.Counter()
def timed(name, f):
    def wrapper(*args, **kwargs):
        t = time.process_time_ns()
        try:
            return f(*args, **kwargs)
        finally:
            table[name] += time.process_time_ns() - t
    return wrapper
for name in PHASES:
    setattr(WargameModel, name, timed(name, getattr(WargameModel, name)))
sc = load_scenario("configs/scenarios/baseline-2025.yaml")   # this checkout's own file
WargameModel(sc, seed=0).run(24)
table.clear()
t = time.process_time()
for s in range(1, {seeds} + 1):
    WargameModel(sc, seed=s).run(24)
out = {{name: table[name] / {seeds} / 1e6 for name in PHASES}}
out["run"] = (time.process_time() - t) / {seeds} * 1000
print(json.dumps(out))
"""


def _phases_in(tree: Path, seeds: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", CHILD.format(phases=PHASES, seeds=seeds)], cwd=tree, env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def side_by_side(other: Path, rounds: int, seeds: int) -> None:
    """Section 3 of the module docstring: CPU per phase per run in this checkout and `other`, interleaved."""
    trees = {"this": ROOT, "other": other.resolve()}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for r in range(rounds):
        for name in (("this", "other") if r % 2 == 0 else ("other", "this")):
            runs[name].append(_phases_in(trees[name], seeds))
    for rs in runs.values():
        for x in rs:
            x["run without phase_orders"] = x["run"] - x["phase_orders"]
    print(f"CPU per 24-month baseline run, median of {rounds} interleaved rounds x {seeds} warm runs "
          f"(this: {trees['this']}, other: {trees['other']})")
    print(f"  {'':34s} {'this':>8s} {'other':>8s} {'ratio':>7s}")
    for key in PHASES + ["run", "run without phase_orders"]:
        mine, theirs = (statistics.median(x[key] for x in runs[name]) for name in trees)
        print(f"  {key:34s} {mine:8.2f} {theirs:8.2f} {mine / theirs:7.3f}")


def _timed(table: collections.Counter[str], name: str, f: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.process_time_ns()
        try:
            return f(*args, **kwargs)
        finally:
            table[name] += time.process_time_ns() - t
    return wrapper


def phase_times(seeds: int) -> None:
    """CPU per phase per run (section 1 of the module docstring)."""
    sc = load_scenario("baseline-2025")
    table: collections.Counter[str] = collections.Counter()
    saved = {name: getattr(WargameModel, name) for name in PHASES}
    score_all, utility = sim_model.score_all, policies.utility
    for name in PHASES:
        setattr(WargameModel, name, _timed(table, name, saved[name]))
    sim_model.score_all = _timed(table, "  scoring pass (score_all)", score_all)
    policies.utility = _timed(table, "    utility of the scored rows", utility)
    try:
        WargameModel(sc, seed=0).run(24)      # warm: imports, caches
        table.clear()
        t = time.process_time()
        for s in range(1, seeds + 1):
            WargameModel(sc, seed=s).run(24)
        total = (time.process_time() - t) / seeds * 1000
    finally:
        for name, f in saved.items():
            setattr(WargameModel, name, f)
        sim_model.score_all, policies.utility = score_all, utility
    print(f"24-month baseline run: {total:.1f} ms CPU per run (the mean of {seeds} warm runs)")
    for name in PHASES + ["  scoring pass (score_all)", "    utility of the scored rows"]:
        ms = table[name] / seeds / 1e6
        print(f"  {name:34s} {ms:6.2f} ms per run  {100 * ms / total:5.1f}%")


def numpy_calls(seeds: int, top: int) -> None:
    """numpy calls per month by calling function (section 2 of the module docstring)."""
    sc = load_scenario("baseline-2025")
    WargameModel(sc, seed=0).run(24)
    mon = sys.monitoring
    tool = mon.PROFILER_ID
    by_caller: collections.Counter[tuple[str, str]] = collections.Counter()
    by_callee: collections.Counter[str] = collections.Counter()

    def on_call(code: Any, offset: int, callee: Any, arg0: Any) -> None:
        kind = type(callee)
        module = getattr(callee, "__module__", None) or getattr(kind, "__module__", "") or ""
        if kind is np.ufunc or module.startswith("numpy"):
            by_caller[(code.co_filename.rsplit("/", 1)[-1], code.co_name)] += 1
            by_callee[getattr(callee, "__name__", kind.__name__)] += 1

    mon.use_tool_id(tool, "turn_profile")
    try:
        mon.register_callback(tool, mon.events.CALL, on_call)
        mon.set_events(tool, mon.events.CALL)
        for s in range(1, seeds + 1):
            WargameModel(sc, seed=s).run(24)
    finally:
        mon.set_events(tool, 0)
        mon.free_tool_id(tool)
    months = seeds * 24
    print(f"numpy calls per month (explicit calls; operators not counted): {sum(by_caller.values()) / months:.0f}")
    for (file, func), count in by_caller.most_common(top):
        print(f"  {file:18s} {func:28s} {count / months:7.1f}")
    print("  by numpy function: " + ", ".join(f"{name} {count / months:.0f}"
                                              for name, count in by_callee.most_common(top)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=10, help="warm 24-month runs to time (default 10)")
    ap.add_argument("--top", type=int, default=25, help="rows of the numpy call table (default 25)")
    ap.add_argument("--other", type=Path, help="another checkout: CPU per phase side by side (section 3)")
    ap.add_argument("--rounds", type=int, default=7, help="interleaved rounds with --other (default 7)")
    args = ap.parse_args()
    if args.other is not None:
        side_by_side(args.other, args.rounds, args.seeds)
        return
    phase_times(args.seeds)
    numpy_calls(min(args.seeds, 3), args.top)


if __name__ == "__main__":
    main()
