"""Full trajectories of the shipped scenarios, to show that a speed-up changed nothing: every indicator column of
every month, every event and every order, for a few seeds of each scenario, as one digest per run.

    .venv/bin/python benchmarks/frames.py                        # print this checkout's digests
    .venv/bin/python benchmarks/frames.py --write FILE           # store them (tests/data/sim/frames.json)
    .venv/bin/python benchmarks/frames.py --other /tmp/old       # compare with another checkout, run by run, and
                                                                 # name the first column / event that differs

The other checkout is run in a subprocess with PYTHONPATH pointing at it (make it with `git worktree add`); only
this file's code is used there, so the old tree needs nothing new. tests/sim/test_full_frames.py checks the digests
stored from main's trajectories (main at 1860359, which the speed-ups match bit for bit; stored again in session 12,
when the month's budget came to be computed before the orders rather than after them).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = (1, 7, 42)


def scenarios(root: Path = ROOT) -> list[str]:
    """The shipped scenarios by name (configs/scenarios/*.yaml)."""
    return sorted(p.stem for p in (root / "configs" / "scenarios").glob("*.yaml"))


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers (JSON), anything else by its repr."""
    return value.item() if hasattr(value, "item") else repr(value)


def trajectory(scenario: str, seed: int) -> dict[str, Any]:
    """The whole run to the scenario's end: the indicator frame (columns, dtypes, values), events and orders."""
    import model as package
    from model import WargameModel, load_scenario
    own = Path(package.__file__).resolve().parent.parent / "configs" / "scenarios" / f"{scenario}.yaml"
    model = WargameModel(load_scenario(own), seed=seed).run()      # the checkout's own file
    frame = model.indicators()
    return {"columns": list(frame.columns), "dtypes": [str(d) for d in frame.dtypes],
            "values": {c: frame[c].tolist() for c in frame.columns},
            "events": model.events(), "orders": model.orders_log}


def digest(run: dict[str, Any]) -> str:
    """sha256 of a trajectory: floats by their exact repr, so one changed bit anywhere changes it."""
    text = json.dumps(run, sort_keys=True, default=_plain, allow_nan=True)
    return hashlib.sha256(text.encode()).hexdigest()


def environment() -> str:
    """What the exact digests depend on besides the code: numpy's version and the SIMD paths it dispatches to (its
    exp, log and power round the last bit differently on AVX2 and AVX-512), and the machine's architecture."""
    import platform

    import numpy as np
    try:   # what numpy.show_runtime() prints as "found": the dispatched SIMD targets this CPU runs
        from numpy._core import _multiarray_umath as umath  # type: ignore[attr-defined]
        found = " ".join(f for f in umath.__cpu_dispatch__ if umath.__cpu_features__.get(f))
    except (ImportError, AttributeError):
        found = "unknown"
    return f"numpy {np.__version__} {platform.machine()} simd {found}"


def _floats(value: Any, out: list[float]) -> Any:
    """The value with every float replaced by None, its floats appended to `out` in order."""
    if isinstance(value, float):
        out.append(value)
        return None
    if isinstance(value, dict):
        return {k: _floats(v, out) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_floats(v, out) for v in value]
    if hasattr(value, "item"):
        return _floats(value.item(), out)
    return value


def summary(run: dict[str, Any]) -> dict[str, Any]:
    """A trajectory for another machine's numpy: everything but the floats exactly (columns, dtypes, integers,
    strings, the events' sentences and every order) as one sha256, and the floats as sums to compare within a
    relative tolerance: per column the sum and the month-weighted sum of its values, and the same two of the floats
    of the events and the orders. One changed mechanism moves the exact part or a sum by far more than 1e-9; the
    last-bit differences of another CPU's exp and power stay below it."""
    columns: dict[str, list[float]] = {}
    shape: dict[str, Any] = {"columns": run["columns"], "dtypes": run["dtypes"], "values": {}}
    for c, values in run["values"].items():
        found: list[float] = []
        shape["values"][c] = _floats(values, found)
        columns[c] = _sums(found)
    found = []
    shape["events"] = _floats(run["events"], found)
    shape["orders"] = _floats(run["orders"], found)
    columns["(events and orders)"] = _sums(found)
    text = json.dumps(shape, sort_keys=True, default=_plain, allow_nan=True)
    return {"exact": hashlib.sha256(text.encode()).hexdigest(), "sums": columns}


def _sums(values: list[float]) -> list[float]:
    finite = [v for v in values if math.isfinite(v)]
    return [math.fsum(finite), math.fsum(i * v for i, v in enumerate(finite)), float(len(values) - len(finite))]


def close(a: dict[str, Any], b: dict[str, Any], rel: float = 1e-9) -> str | None:
    """None when two summaries agree (the exact part equal, every sum within `rel`), else what differs first."""
    if a["exact"] != b["exact"]:
        return "the non-float part differs (columns, dtypes, integers, strings, events or orders)"
    for name, xs in a["sums"].items():
        ys = b["sums"].get(name)
        if ys is None or any(not math.isclose(x, y, rel_tol=rel, abs_tol=1e-12) for x, y in zip(xs, ys, strict=True)):
            return f"{name}: sums {xs} != {ys}"
    return None


def digests(root: Path = ROOT, seeds: tuple[int, ...] = SEEDS) -> dict[str, dict[str, str]]:
    """scenario -> seed -> digest of this checkout (the model imported from sys.path)."""
    return {sc: {str(s): digest(trajectory(sc, s)) for s in seeds} for sc in scenarios(root)}


def stored_text(seeds: tuple[int, ...], mine: dict[str, dict[str, str]], sums: dict[str, Any]) -> str:
    """The stored file: seeds, environment and digests one per line, then each run's summary on a line of its own."""
    head = json.dumps({"seeds": list(seeds), "environment": environment(), "digests": mine}, indent=1)
    runs = ",\n".join(f" {json.dumps(f'{sc} {seed}')}: {json.dumps(summary)}"
                       for sc, by_seed in sums.items() for seed, summary in by_seed.items())
    return head[:-2] + ',\n "summaries": {\n' + runs + "\n }\n}\n"


def _in_tree(tree: Path, code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    prog = (f"import sys, importlib.util, json, pickle; sys.path.insert(0, {str(tree)!r}); "
            f"spec = importlib.util.spec_from_file_location('frames', {__file__!r}); "
            f"frames = importlib.util.module_from_spec(spec); spec.loader.exec_module(frames); {code}")
    return subprocess.run([sys.executable, "-c", prog], cwd=tree, env=env, check=True, capture_output=True,
                          text=True).stdout


def first_difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Where two trajectories part: the first column (by month) or event or order that differs."""
    if a["columns"] != b["columns"]:
        return f"columns differ: {sorted(set(a['columns']) ^ set(b['columns']))[:5]}"
    if a["dtypes"] != b["dtypes"]:
        bad = [c for c, x, y in zip(a["columns"], a["dtypes"], b["dtypes"], strict=True) if x != y]
        return f"dtypes differ: {bad[:5]}"
    months = len(a["values"]["turn"])
    for t in range(months):
        for c in a["columns"]:
            x, y = a["values"][c][t], b["values"][c][t]
            if x != y and not (x != x and y != y):
                return f"month {t}: {c} {x!r} != {y!r}"
    for key in ("events", "orders"):
        for i, (x, y) in enumerate(zip(a[key], b[key], strict=False)):
            if json.dumps(x, sort_keys=True, default=_plain) != json.dumps(y, sort_keys=True, default=_plain):
                return f"{key}[{i}]: {x} != {y}"
        if len(a[key]) != len(b[key]):
            return f"{key}: {len(a[key])} != {len(b[key])}"
    return "types only (the same values; a number's type differs)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", type=Path, help="store this checkout's digests in this JSON file")
    ap.add_argument("--other", type=Path, help="compare every run with this other checkout")
    ap.add_argument("--seeds", type=int, nargs="*", default=list(SEEDS))
    args = ap.parse_args()
    seeds = tuple(args.seeds)
    mine = digests(ROOT, seeds)
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        sums = {sc: {str(s): summary(trajectory(sc, s)) for s in seeds} for sc in scenarios(ROOT)}
        args.write.write_text(stored_text(seeds, mine, sums))
    if args.other is None:
        print(json.dumps(mine, indent=1))
        return
    other = json.loads(_in_tree(args.other.resolve(), f"print(json.dumps(frames.digests(frames.ROOT, {seeds!r})))")
                       .strip().splitlines()[-1])
    same = 0
    for sc, runs in mine.items():
        for seed, d in runs.items():
            if other.get(sc, {}).get(seed) == d:
                same += 1
                continue
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "run.pkl"
                _in_tree(args.other.resolve(),
                         f"pickle.dump(frames.trajectory({sc!r}, {int(seed)}), open({str(out)!r}, 'wb'))")
                theirs = pickle.loads(out.read_bytes())
            print(f"DIFFERENT {sc} seed {seed}: {first_difference(trajectory(sc, int(seed)), theirs)}")
    total = sum(len(r) for r in mine.values())
    print(f"{same} of {total} runs identical to {args.other} (scenarios {', '.join(mine)}; seeds {seeds})")
    if same != total:
        sys.exit(1)


if __name__ == "__main__":
    main()
