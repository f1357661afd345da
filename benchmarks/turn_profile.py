"""Where a month of the 24-month baseline run goes: CPU per phase, and numpy calls per month by calling function.

    .venv/bin/python benchmarks/turn_profile.py [--seeds 10] [--top 25]

1. CPU per phase (process time, so other load on the shared machine weighs less than on wall time): each phase
   method of WargameModel, and the scoring pass (policies.score_all) and the utility inside the orders phase, timed
   around every call over `--seeds` warm 24-month runs; printed per run and as a share of the run.
2. numpy calls per month (sys.monitoring, Python 3.12+): every call of a numpy function, ufunc or method object,
   counted by the Python function that makes it. Operators (a + b, a[i]) and array methods reached by attribute
   are not calls to a numpy object and are not counted, so this is a floor of the numpy work. It is what an
   audit of "many small numpy calls" needs: which functions make them, and how many.
The figures explain the cost of a month; they are no speed target (run_baseline.py --other measures those).
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from model import WargameModel, load_scenario
from model.sim import model as sim_model
from model.sim import policies

PHASES = ["phase_nature", "phase_orders", "phase_adjudication", "phase_bargaining", "phase_relations",
          "phase_alignment", "phase_control", "phase_record"]


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
    args = ap.parse_args()
    phase_times(args.seeds)
    numpy_calls(min(args.seeds, 3), args.top)


if __name__ == "__main__":
    main()
