"""Throughput of batch experiments: 1 worker against 2, new code against old, and against mesa.batch_run.

    .venv/bin/python benchmarks/batch.py                 # the shipped experiment, 200 runs, old vs new
    .venv/bin/python benchmarks/batch.py --mesa          # also the runner against mesa.batch_run (same seeds)
    .venv/bin/python benchmarks/batch.py --scale 10000   # also 10,000 runs on 2 workers: wall time, peak memory

1. The shipped experiment (configs/experiments/projected-outcomes.yaml, 4 arms; --replications 50 = 200 runs) as a
   user runs it: whole `wargame batch ... --workers 1|2` processes of the installed .venv/bin/wargame. The figure
   is the batch's run phase (metadata.json: from the first chunk to the last, worker start-up included); the whole
   process (imports, checking the spec, reports) is printed beside it. The old code (--old, a git revision) is
   checked out with `git worktree add` into a temporary folder and run by the same console script with PYTHONPATH
   pointing at it. Rounds interleave old/new and 1/2 workers; the median of --rounds counts. Each measurement
   waits for an idle machine first (--wait-quiet), and the CPU left idle during the 1-worker runs is printed: on
   2 cores it is ~50% when nothing else runs, and any less means the parallel figures were slowed by others.
2. A kept pool (new code, in this process): `LocalWorkers` started once and handed to every batch
   (`run_batch(..., pool=...)`), as the web server will keep warm workers; against 1 worker in this process.
3. With --mesa: the runner (1 and 2 workers) against mesa.batch_run on a one-arm spec, checking that every way
   gives identical final indicators for every seed.
Targets on a 2-core machine: 2 workers >= 1.8x 1 worker at 200 runs; the runner >= 2x mesa.batch_run; 10,000
runs < 5 min with peak memory < 1 GB.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, os.environ.get("BATCH_BENCH_CODE", str(ROOT)))   # --breakdown runs old code this way

from model import WargameModel, load_scenario  # noqa: E402
from model.experiments.chunks import auto_chunk_size, run_seeds  # noqa: E402
from model.experiments.executors import LocalWorkers  # noqa: E402
from model.experiments.runner import run_batch  # noqa: E402
from model.experiments.spec import load_experiment  # noqa: E402
from model.sim.model import HEADLINE  # noqa: E402

TURNS = 24
WARGAME = ROOT / ".venv" / "bin" / "wargame"
EXPERIMENT = ROOT / "configs" / "experiments" / "projected-outcomes.yaml"
OLD_DEFAULT = "e03cc99"    # the last commit before the executor work (spawned workers, imports paid per worker)
TARGET_SPEEDUP = 1.8


def cpu_jiffies() -> tuple[int, int]:
    """(idle, total) CPU time of the whole machine so far (Linux /proc/stat; zeros elsewhere)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    return fields[3] + fields[4], sum(fields[:8])


def idle_share(since: tuple[int, int]) -> float | None:
    """Share of the machine's CPU time left idle since `since`: with one worker and nothing else running it is
    about 1 - 1/cores; less means other processes were taking cores."""
    idle, total = cpu_jiffies()
    return (idle - since[0]) / (total - since[1]) if total > since[1] else None


def wait_quiet(limit: float) -> None:
    """Wait (at most `limit` seconds) until the machine has been >= 90% idle for 2 s: other processes on a shared
    machine take cores for minutes at a time, and a parallel figure measured then says nothing about the code."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        since = cpu_jiffies()
        time.sleep(2)
        share = idle_share(since)
        if share is None or share >= 0.9:
            return


# ------------------------------------------------------------------------------- 1. the shipped experiment
def cli_batch(code: Path, workers: int, replications: int, out: Path) -> tuple[float, float]:
    """(run-phase seconds, whole-process seconds) of one `wargame batch` process running the code in `code`."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    t0 = time.perf_counter()
    proc = subprocess.run([str(WARGAME), "batch", str(EXPERIMENT), "--replications", str(replications),
                           "--workers", str(workers), "--out", str(out), "--no-progress"],
                          cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"wargame batch failed ({code}, {workers} workers):\n{proc.stderr}")
    session = json.loads((out / "metadata.json").read_text())["timings"]["sessions"][-1]
    return session["seconds"], wall


def same_tables(outs: list[Path]) -> bool:
    """Whether every batch folder holds the same runs and turns tables as the first (the same seeds everywhere)."""
    import pandas as pd

    first = [pd.read_parquet(outs[0] / f) for f in ("runs.parquet", "turns.parquet")]
    for out in outs[1:]:
        for ref, f in zip(first, ("runs.parquet", "turns.parquet"), strict=True):
            if not ref.equals(pd.read_parquet(out / f)):
                print(f"    MISMATCH: {out.name}/{f} differs from {outs[0].name}/{f}", file=sys.stderr)
                return False
    return True


def shipped_experiment(replications: int, rounds: int, old_rev: str, tmp: Path, quiet: float) -> None:
    sides = {"new": ROOT}
    if old_rev != "none":
        old = tmp / "old-checkout"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(old), old_rev],
                       check=True)
        sides["old"] = old
    n = replications * len(load_experiment(EXPERIMENT).spec.arms)
    try:
        times: dict[tuple[str, int], list[tuple[float, float]]] = {}
        idle: list[float] = []
        for k in range(rounds):
            order = list(sides.items()) if k % 2 == 0 else list(reversed(sides.items()))
            for name, code in order:
                for workers in ((1, 2) if k % 2 == 0 else (2, 1)):
                    wait_quiet(quiet)
                    since = cpu_jiffies()
                    res = cli_batch(code, workers, replications, tmp / f"{name}-{workers}-{k}")
                    times.setdefault((name, workers), []).append(res)
                    share = idle_share(since)
                    if workers == 1 and share is not None:
                        idle.append(share)
        print(f"1. {EXPERIMENT.relative_to(ROOT)}: {n} runs of {TURNS} turns, whole `wargame batch` processes; "
              f"median of {rounds} interleaved round(s)")
        for name in sides:
            run1, run2 = ([r for r, _ in times[(name, w)]] for w in (1, 2))
            wall1, wall2 = (statistics.median(w for _, w in times[(name, n)]) for n in (1, 2))
            med = statistics.median(run1) / statistics.median(run2)
            flag = "" if med >= TARGET_SPEEDUP or name == "old" else "  BELOW TARGET"
            print(f"  {name} ({'this checkout' if name == 'new' else old_rev}): run phase 1 worker "
                  f"{statistics.median(run1):5.1f} s, 2 workers {statistics.median(run2):5.1f} s = {med:.2f}x "
                  f"(target >= {TARGET_SPEEDUP}x){flag}; fastest rounds {min(run1):.1f} / {min(run2):.1f} s = "
                  f"{min(run1) / min(run2):.2f}x; whole process {wall1:5.1f} / {wall2:5.1f} s = {wall1 / wall2:.2f}x")
        print(f"  identical runs.parquet and turns.parquet in every batch (old and new, 1 and 2 workers): "
              f"{same_tables(sorted(tmp.glob('*-[12]-*')))}")
        if idle:
            cores = os.cpu_count() or 1
            print(f"  CPU idle during the 1-worker runs: {100 * statistics.median(idle):.0f}% "
                  f"({100 * (1 - 1 / cores):.0f}% when nothing else runs on the {cores} cores)")
    finally:
        if "old" in sides:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(sides["old"])], check=False)


# --------------------------------------------------------------------------------------- 2. a kept pool
def kept_pool(replications: int, rounds: int, tmp: Path, quiet: float) -> None:
    exp = load_experiment(EXPERIMENT, replications=replications)
    n = len(exp.cells) * exp.replications
    one, two = [], []
    with LocalWorkers(1) as pool:
        t0 = time.perf_counter()
        pool.warm()
        print(f"2. a kept pool (in this process): its worker was up {time.perf_counter() - t0:.2f} s after start")
        for k in range(rounds):
            wait_quiet(quiet)
            t0 = time.perf_counter()
            run_batch(exp, tmp / f"one-{k}", workers=1, progress=False, reports=False)
            one.append(time.perf_counter() - t0)
            wait_quiet(quiet)
            t0 = time.perf_counter()
            res = run_batch(exp, tmp / f"pool-{k}", pool=pool, progress=False, reports=False)
            two.append(time.perf_counter() - t0)
            assert res.processes == 2, res.processes
    a, b = statistics.median(one), statistics.median(two)
    same = same_tables(sorted(tmp.glob("one-*")) + sorted(tmp.glob("pool-*")))
    print(f"  {n} runs: 1 worker {a:5.1f} s, this process + the kept worker {b:5.1f} s = {a / b:.2f}x "
          f"(median of {rounds}); identical tables: {same}")


# ------------------------------------------------------------------------------- 3. against mesa.batch_run
class BatchRunModel(WargameModel):
    """WargameModel with the (scenario_path, seed) keyword signature mesa.batch_run calls models with."""

    def __init__(self, scenario_path: str = "baseline-2025", seed: int | None = None) -> None:
        super().__init__(load_scenario(scenario_path), seed=seed, turns=TURNS)


def snapshot(name: str, tmp: Path) -> str:
    """The scenario resolved into one file, so that every way runs exactly the same one even if it is edited."""
    import yaml
    p = tmp / "scenario.yaml"
    p.write_text(yaml.safe_dump(load_scenario(name).model_dump(mode="json", by_alias=True), sort_keys=False))
    return str(p)


def spec_file(tmp: Path, scenario: str, replications: int) -> Path:
    outcomes = "\n".join(f"  {k}: {{indicator: {k}, at: final}}" for k in HEADLINE)
    p = tmp / "bench.yaml"
    p.write_text(f"name: benchmark\nscenario: {scenario}\nturns: {TURNS}\nreplications: {replications}\n"
                 f"seed: 2025\noutcomes:\n{outcomes}\n")
    return p


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system   # children count once they are reaped


def ours(spec: Path, out: Path, workers: int, replications: int | None = None) -> tuple[float, float, dict, int]:
    exp = load_experiment(spec, replications=replications)
    t0, c0 = time.perf_counter(), _cpu()
    res = run_batch(exp, out, workers=workers, progress=False, reports=False)
    dt, cpu = time.perf_counter() - t0, _cpu() - c0
    finals = {int(r.seed): tuple(getattr(r, k) for k in HEADLINE) for r in res.runs.itertuples()}
    return dt, cpu, finals, res.processes


def mesa_way(scenario: str, seeds: list[int], processes: int) -> tuple[float, float, dict, int]:
    import mesa
    t0, c0 = time.perf_counter(), _cpu()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = mesa.batch_run(BatchRunModel, parameters={"scenario_path": scenario}, rng=seeds,
                              max_steps=TURNS, number_processes=processes, data_collection_period=-1,
                              display_progress=False)
    dt, cpu = time.perf_counter() - t0, _cpu() - c0
    finals = {}
    for row, seed in zip(sorted(rows, key=lambda r: r["RunId"]), seeds, strict=True):
        finals[int(seed)] = tuple(row[k] for k in HEADLINE)
    return dt, cpu, finals, processes


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child, in MB (Linux reports KB)."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def against_mesa(scenario_name: str, n: int, repeat: int, skip_mesa_2: bool, tmp: Path) -> int:
    scenario = snapshot(scenario_name, tmp)
    spec = spec_file(tmp, scenario, n)
    seeds = [int(s) for s in run_seeds(2025, 1, n)[0]]
    print(f"3. {n} replications of {scenario_name}, {TURNS} turns, same seeds every way; best of {repeat} round(s)")
    ways = {"runner, 1 worker": lambda k: ours(spec, tmp / f"w1-{k}", 1),
            "runner, 2 workers": lambda k: ours(spec, tmp / f"w2-{k}", 2),
            "mesa.batch_run, 1 process": lambda k: mesa_way(scenario, seeds, 1)}
    if not skip_mesa_2:
        ways["mesa.batch_run, 2 processes"] = lambda k: mesa_way(scenario, seeds, 2)
    results: dict[str, tuple] = {}
    for k in range(repeat):      # rounds interleave the ways, so a burst of other load hits all of them
        for name, way in ways.items():
            res = way(k)
            if name not in results or res[0] < results[name][0]:
                results[name] = res
            if results[name][2] != res[2]:
                results[name] = (res[0], res[1], None, res[3])   # not reproducible from one round to the next
    ref = results["runner, 1 worker"][2]
    for name, (dt, cpu, finals, procs) in results.items():
        same = finals == ref
        print(f"  {name:<30} {dt:7.1f} s  {n / dt:6.2f} runs/s  {1000 * cpu / n:6.1f} CPU ms/run  "
              f"{procs} process(es)  identical outcomes: {same}")
        if not same:
            print("    MISMATCH: the ways disagree", file=sys.stderr)
            return 1
    rate = {k: n / v[0] for k, v in results.items()}
    w1, w2, m1 = rate["runner, 1 worker"], rate["runner, 2 workers"], rate["mesa.batch_run, 1 process"]
    print(f"  2 workers / 1 worker:                           {w2 / w1:.2f}x  (target >= {TARGET_SPEEDUP}x)")
    print(f"  runner 1 worker / mesa.batch_run 1 process:     {w1 / m1:.2f}x")
    print(f"  runner 2 workers / mesa.batch_run 1 process:    {w2 / m1:.2f}x  (target >= 2x)")
    if "mesa.batch_run, 2 processes" in rate:
        print(f"  runner 2 workers / mesa.batch_run 2 processes:  {w2 / rate['mesa.batch_run, 2 processes']:.2f}x")
    return 0


def scale(n: int, tmp: Path, shipped: bool = False) -> None:
    """n runs on 2 workers: of baseline-2025 alone (no reports), or with `shipped` of the shipped experiment
    (n / arms replications of each arm) with its reports, as `wargame batch` runs it."""
    if shipped:
        arms = len(load_experiment(EXPERIMENT).spec.arms)
        exp = load_experiment(EXPERIMENT, replications=max(1, n // arms))
        n = exp.replications * arms
        before = peak_mb()
        t0, c0 = time.perf_counter(), _cpu()
        run_batch(exp, tmp / "scale", workers=2, progress=False)
        dt, cpu = time.perf_counter() - t0, _cpu() - c0
        what = f"{EXPERIMENT.relative_to(ROOT)} ({exp.replications} replications x {arms} arms, with reports)"
    else:
        spec = spec_file(tmp, snapshot("baseline-2025", tmp), n)
        before = peak_mb()
        dt, cpu, _, _ = ours(spec, tmp / "scale", 2, replications=n)
        what = "baseline-2025 (no reports)"
    parent, child = peak_mb()
    run_s = json.loads((tmp / "scale" / "metadata.json").read_text())["timings"]["sessions"][-1]["seconds"]
    print(f"scale: {n} runs of {what} on 2 workers in {dt:.0f} s ({n / dt:.1f} runs/s; target < 300 s): run phase "
          f"{run_s:.1f} s, before and after it {dt - run_s:.1f} s; {2000 * dt / n:.1f} core-ms/run (2 x wall / runs); "
          f"{1000 * cpu / n:.1f} CPU ms/run of this process (the workers are the fork server's children)")
    print(f"  peak memory: parent {parent:.0f} MB (before {before[0]:.0f}), largest worker {child:.0f} MB; "
          f"parent + 1 worker process = {parent + child:.0f} MB (target < 1024 MB)")


# ------------------------------------------------------------------------------- 4. where a run's CPU goes
PHASES = ("spec", "scenario", "construct", "months", "free model", "gc", "extract", "ipc", "write chunks",
          "assemble", "metadata", "reports", "rest", "pool start")


def _breakdown_child(replications: int, chunk_size: int) -> dict[str, float]:
    """CPU seconds of each phase of one whole batch of the shipped experiment, all in this process (1 worker), for
    the `model` package on sys.path (this checkout, or --old's through PYTHONPATH=...: see breakdown()). The
    functions of each phase are wrapped where the runner looks them up; what a worker process would add, pickling
    each chunk's task and scenario there and its result back, is done here once per chunk and counted as ipc."""
    import gc
    import pickle

    import model.experiments.chunks as chunks
    import model.experiments.runner as runner
    import model.sim.model as sim
    from model.experiments.executors import one_blas_thread

    one_blas_thread()
    acc = dict.fromkeys(PHASES, 0.0)
    gc_start: list[float] = []

    def on_gc(phase: str, _info: dict) -> None:
        if phase == "start":
            gc_start.append(time.process_time())
        elif gc_start:
            acc["gc"] += time.process_time() - gc_start.pop()

    def cpu() -> float:
        """CPU time so far less the collector's, so that each phase counts its collections under gc only."""
        return time.process_time() - acc["gc"]

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*a: Any, **k: Any) -> Any:
            t = cpu()
            try:
                return fn(*a, **k)
            finally:
                acc[name] += cpu() - t
        return wrapper

    class Timed(sim.WargameModel):
        def __init__(self, *a: Any, **k: Any) -> None:
            t = cpu()
            super().__init__(*a, **k)
            acc["construct"] += cpu() - t

        def run(self, *a: Any, **k: Any) -> Any:
            t = cpu()
            try:
                return super().run(*a, **k)
            finally:
                acc["months"] += cpu() - t

    inner = chunks.run_chunk

    def run_chunk(task: dict, arm_dump: dict) -> dict:
        t = cpu()
        task, arm_dump = pickle.loads(pickle.dumps((task, arm_dump), protocol=pickle.HIGHEST_PROTOCOL))
        acc["ipc"] += cpu() - t
        t0 = cpu()
        before = acc["scenario"] + acc["construct"] + acc["months"] + acc["free model"]
        result = inner(task, arm_dump)
        acc["extract"] += cpu() - t0 - (acc["scenario"] + acc["construct"] + acc["months"] + acc["free model"]
                                         - before)
        t = cpu()
        result = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        acc["ipc"] += cpu() - t
        return result

    sim.WargameModel = Timed                          # run_chunk imports it from model.sim.model when it runs
    chunks.run_chunk = run_chunk                      # executors.work imports it from model.experiments.chunks
    for mod, fn, name in ((chunks, "apply_overrides", "scenario"), (chunks, "release", "free model"),
                          (runner, "write_chunk", "write chunks"),
                          (runner, "assemble", "assemble"), (runner, "_metadata", "metadata"),
                          (runner, "write_reports", "reports")):
        if hasattr(mod, fn):
            setattr(mod, fn, timed(name, getattr(mod, fn)))
    gc.callbacks.append(on_gc)
    t = cpu()
    exp = runner.load_experiment(EXPERIMENT, replications=replications)
    acc["spec"] = cpu() - t
    acc["gc"] = 0.0
    with tempfile.TemporaryDirectory() as d:
        t = time.process_time()
        runner.run_batch(exp, Path(d) / "out", workers=1, progress=False, chunk_size=chunk_size)
        total = time.process_time() - t
    gc.callbacks.remove(on_gc)
    acc["rest"] = total - sum(acc[k] for k in PHASES if k not in ("spec", "rest", "pool start"))
    acc["runs"] = replications * len(exp.cells)
    return acc


def _pool_start_cpu(code: Path) -> float:
    """CPU seconds a local worker pool costs to start: the fork server imports the model once (forked workers
    inherit it), measured as a fresh interpreter importing executors.PRELOAD."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    script = ("import resource, sys; t=resource.getrusage(resource.RUSAGE_SELF); "
              "from model.experiments.executors import PRELOAD; import importlib; "
              "[importlib.import_module(m) for m in PRELOAD]; "
              "u=resource.getrusage(resource.RUSAGE_SELF); print(u.ru_utime+u.ru_stime)")
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=code, check=True, capture_output=True,
                         text=True)
    return float(out.stdout)


def breakdown(replications: int, rounds: int, old_rev: str, tmp: Path, at_runs: int) -> None:
    """Print the CPU ms per run of each phase of the shipped experiment, new code against --old, interleaved."""
    sides = {"new": ROOT}
    if old_rev != "none":
        old = tmp / "old-breakdown"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(old), old_rev],
                       check=True)
        sides["old"] = old
    figures: dict[str, list[dict[str, float]]] = {k: [] for k in sides}
    chunk_size = auto_chunk_size(at_runs, 2)    # the chunks of a batch of at_runs runs on 2 workers
    try:
        for k in range(rounds):
            for name, code in (list(sides.items()) if k % 2 == 0 else list(reversed(sides.items()))):
                env = {**os.environ, "PYTHONPATH": str(code), "BATCH_BENCH_CODE": str(code)}
                proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--breakdown-child",
                                       str(replications), str(chunk_size)], env=env, cwd=code, capture_output=True,
                                      text=True)
                if proc.returncode != 0:
                    raise SystemExit(f"breakdown of {name} failed:\n{proc.stderr}")
                acc = json.loads(proc.stdout.strip().splitlines()[-1])
                acc["pool start"] = _pool_start_cpu(code)
                figures[name].append(acc)
    finally:
        if "old" in sides:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(sides["old"])], check=False)
    runs = int(figures["new"][0]["runs"])
    print(f"4. where a run's CPU goes: {EXPERIMENT.relative_to(ROOT)}, {runs} runs in one process; CPU ms per run, "
          f"median of {rounds} interleaved round(s); chunks of {chunk_size} runs; once-per-batch costs (spec, "
          f"metadata, pool start) spread over {at_runs} runs; gc = the cyclic collector, wherever it ran (not "
          "counted in the other phases)")
    names = list(sides)
    print(f"  {'phase':<14}" + "".join(f"{n + (' (' + old_rev + ')' if n == 'old' else ''):>16}" for n in names))
    totals = dict.fromkeys(names, 0.0)
    for phase in PHASES:
        row = []
        for n in names:
            secs = statistics.median(f[phase] for f in figures[n])
            per_batch = phase in ("spec", "metadata", "pool start")
            ms = 1000 * secs / (at_runs if per_batch else runs)
            totals[n] += ms
            row.append(f"{ms:16.2f}")
        print(f"  {phase:<14}" + "".join(row))
    print(f"  {'total':<14}" + "".join(f"{totals[n]:16.2f}" for n in names))
    for n in names:
        outside = totals[n] - 1000 * statistics.median(f["months"] for f in figures[n]) / runs
        print(f"  {n}: outside the months {outside:.2f} ms/run; {at_runs} runs on 2 cores at this CPU: "
              f"{at_runs * totals[n] / 2000:.0f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--replications", type=int, default=50,
                    help="replications per arm of the shipped experiment (default 50: 200 runs)")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds; the median counts (default 5)")
    ap.add_argument("--old", default=OLD_DEFAULT, help=f"git revision to compare with (default {OLD_DEFAULT}), "
                                                       "or 'none'")
    ap.add_argument("--wait-quiet", type=float, default=120, metavar="SECONDS",
                    help="before each measurement wait up to this long for an idle machine (default 120; 0: never)")
    ap.add_argument("--mesa", action="store_true", help="also compare with mesa.batch_run")
    ap.add_argument("--mesa-replications", type=int, default=300, help="runs of that comparison (default 300)")
    ap.add_argument("--skip-mesa-2", action="store_true", help="skip mesa.batch_run with 2 processes")
    ap.add_argument("--scale", type=int, default=0, help="also run this many replications on 2 workers")
    ap.add_argument("--scale-shipped", action="store_true",
                    help="--scale runs the shipped experiment (RUNS / arms replications per arm, with its reports) "
                         "instead of baseline-2025 alone")
    ap.add_argument("--only-scale", action="store_true", help="skip sections 1 and 2 (with --scale)")
    ap.add_argument("--breakdown", type=int, default=0, metavar="REPLICATIONS",
                    help="only the CPU per run of each phase (this many replications per arm), new against --old")
    ap.add_argument("--breakdown-at", type=int, default=10000, metavar="RUNS",
                    help="spread the once-per-batch costs of --breakdown over this many runs (default 10000)")
    ap.add_argument("--breakdown-child", type=int, nargs=2, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.breakdown_child:
        print(json.dumps(_breakdown_child(*args.breakdown_child)))
        return 0
    if args.breakdown:
        with tempfile.TemporaryDirectory() as d:
            breakdown(args.breakdown, args.rounds, args.old, Path(d), args.breakdown_at)
            print(f"  load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return 0
    if not WARGAME.is_file():
        raise SystemExit(f"{WARGAME} not found: run `make setup` first")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if not args.only_scale:
            shipped_experiment(args.replications, args.rounds, args.old, tmp, args.wait_quiet)
            kept_pool(args.replications, args.rounds, tmp, args.wait_quiet)
        if args.mesa and against_mesa("baseline-2025", args.mesa_replications, args.rounds, args.skip_mesa_2,
                                      tmp):
            return 1
        if args.scale:
            scale(args.scale, tmp, args.scale_shipped)
        print(f"  load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
              f"(other processes on the {os.cpu_count()} cores slow the parallel figures)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
