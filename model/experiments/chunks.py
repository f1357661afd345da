"""Running the runs of an experiment: seeds, chunks of runs, the engines that run them, and crash-safe chunk files.

A run's result depends only on its seed and its scenario (arm + sweep point): seeds come from the master seed
through `numpy.random.SeedSequence.spawn` (one child per cell, one grandchild per replication), and each chunk of
runs is a pure function of its payload. So the engine (in-process, a process pool, Dask), the number of workers,
the chunking and interruptions cannot change any result. Finished chunks go to `DIR/chunks/` under a temporary
name and are renamed, so killing a batch loses only the chunks in flight, and a resumed batch runs only the rest.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import time
from collections import OrderedDict, deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from model.experiments.spec import Experiment, Outcome, apply_overrides

CHUNKS = "chunks"
MAX_CHUNK = 50                 # runs per chunk at most: bounds the work lost when a batch is killed
TASKS_PER_WORKER = 16          # chunks per worker when the size is automatic: keeps the tail of the batch short
CACHE_SCENARIOS = 64           # scenarios (arm x sweep point) a worker process keeps validated
POOL_MIN_SECONDS = 3.0         # work left below this is done in-process: worker processes take ~1-2 s to start
PARENT_WORKS = True            # the batch process runs chunks alongside its worker processes (off only in tests)
_CHUNK_RE = re.compile(r"^c(\d+)_r(\d+)-(\d+)\.runs\.parquet$")
_scenarios: OrderedDict[str, Any] = OrderedDict()
_HOST = __import__("socket").gethostname()


# ------------------------------------------------------------------------------------------------- seeds
def run_seeds(master: int, n_cells: int, replications: int, *, common: bool = False) -> np.ndarray:
    """Seed of every run, shape (cells, replications): SeedSequence(master).spawn(cells)[c].spawn(reps)[r].

    The integer handed to the model is 53 bits of the child's state (exact in JSON and JavaScript), so any run
    can be replayed with `wargame run SCENARIO --seed S`. Adding replications or cells keeps existing seeds.
    common=True gives every cell the first cell's seeds (common random numbers, for the sensitivity screening,
    where differences between points should come from the parameters, not from the draws)."""
    out = np.empty((n_cells, replications), dtype=np.int64)
    for c, cell in enumerate(np.random.SeedSequence(master).spawn(1 if common else n_cells)):
        for r, child in enumerate(cell.spawn(replications)):
            out[c, r] = seed_int(child)
    if common:
        out[1:] = out[0]
    return out


def seed_int(ss: np.random.SeedSequence) -> int:
    hi, lo = (int(x) for x in ss.generate_state(2, dtype=np.uint32))
    return ((hi << 32) | lo) >> 11


# ------------------------------------------------------------------------------------------------ chunks
@dataclass(frozen=True)
class Chunk:
    cell: int
    start: int
    stop: int

    @property
    def stem(self) -> str:
        return f"c{self.cell:05d}_r{self.start:07d}-{self.stop:07d}"

    @property
    def size(self) -> int:
        return self.stop - self.start


def auto_chunk_size(total: int, workers: int) -> int:
    return max(1, min(MAX_CHUNK, math.ceil(total / (max(workers, 1) * TASKS_PER_WORKER))))


def done_runs(out: Path) -> dict[int, set[int]]:
    """Replications finished per cell, from the chunk files on disk (a chunk counts once both files exist)."""
    done: dict[int, set[int]] = {}
    d = out / CHUNKS
    if not d.is_dir():
        return done
    for p in d.iterdir():
        m = _CHUNK_RE.match(p.name)
        if m and (d / p.name.replace(".runs.", ".turns.")).is_file():
            done.setdefault(int(m[1]), set()).update(range(int(m[2]), int(m[3])))
    return done


def plan_chunks(n_cells: int, replications: int, chunk_size: int,
                done: dict[int, set[int]] | None = None) -> list[Chunk]:
    """Chunks covering every (cell, replication) not done yet; a chunk never spans two cells."""
    done = done or {}
    chunks = []
    for c in range(n_cells):
        have = done.get(c, set())
        r = 0
        while r < replications:
            if r in have:
                r += 1
                continue
            stop = r
            while stop < replications and stop - r < chunk_size and stop not in have:
                stop += 1
            chunks.append(Chunk(c, r, stop))
            r = stop
    return chunks


def cell_key(arm_hash: str, params: dict[str, Any]) -> str:
    return hashlib.sha256((arm_hash + json.dumps(params, sort_keys=True, default=str)).encode()).hexdigest()[:24]


def dump_hash(dump: dict) -> str:
    return hashlib.sha256(json.dumps(dump, sort_keys=True, default=str).encode()).hexdigest()


def payload(exp: Experiment, chunk: Chunk, seeds: np.ndarray, arm_hashes: dict[str, str]) -> dict[str, Any]:
    """Everything a worker needs for one chunk except the arm's scenario (sent once per worker where possible)."""
    cell = exp.cells[chunk.cell]
    return {"cell": chunk.cell, "start": chunk.start, "stop": chunk.stop, "arm": cell.arm,
            "key": cell_key(arm_hashes[cell.arm], cell.params), "params": list(cell.params.items()),
            "turns": exp.turns, "seeds": [int(s) for s in seeds[chunk.cell, chunk.start:chunk.stop]],
            "outcomes": {k: o.model_dump() for k, o in exp.spec.outcomes.items()}, "columns": exp.columns}


# ---------------------------------------------------------------------------------------------- the work
def _scenario(key: str, arm_dump: dict, params: list) -> Any:
    sc = _scenarios.get(key)
    if sc is None:
        sc = apply_overrides(arm_dump, params, label="sweep")
        _scenarios[key] = sc
        while len(_scenarios) > CACHE_SCENARIOS:
            _scenarios.popitem(last=False)
    else:
        _scenarios.move_to_end(key)
    return sc


def run_chunk(task: dict[str, Any], arm_dump: dict) -> dict[str, Any]:
    """Play the chunk's runs and keep only what the results need: the outcomes and the kept indicator columns.

    Each model is dropped as soon as its columns are copied out, so a worker's memory does not grow with the
    number of runs (the full per-turn records and event logs live for one run at a time)."""
    from model.sim.model import WargameModel

    t0 = time.perf_counter()
    sc = _scenario(task["key"], arm_dump, task["params"])
    outcomes = {k: Outcome.model_validate(v) for k, v in task["outcomes"].items()}
    cols = task["columns"]
    res: dict[str, list] = {k: [] for k in outcomes}
    turns: dict[str, list] = {"replication": [], "turn": [], "date": [], **{c: [] for c in cols}}
    for rep, seed in zip(range(task["start"], task["stop"]), task["seeds"]):
        m = WargameModel(sc, seed=seed, turns=task["turns"])
        m.run()
        columns = m.datacollector.model_vars   # the model's one store: indicator name -> value per turn
        del m
        series = {c: columns[c] for c in set(cols) | {o.indicator for o in outcomes.values()}}
        for k, o in outcomes.items():
            res[k].append(o.evaluate(series[o.indicator]))
        turns["replication"] += [rep] * len(columns["turn"])
        turns["turn"] += columns["turn"]
        turns["date"] += columns["date"]
        for c in cols:
            turns[c] += series[c]
    return {"cell": task["cell"], "start": task["start"], "stop": task["stop"], "seeds": task["seeds"],
            "outcomes": res, "turns": turns, "seconds": time.perf_counter() - t0, "pid": os.getpid(),
            "host": _HOST}


# --------------------------------------------------------------------------------------------- chunk files
def _write_atomic(path: Path, table: pa.Table) -> None:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(buf.getvalue())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_chunk(out: Path, result: dict[str, Any]) -> None:
    """Turns first, then runs: a chunk is complete exactly when its runs file exists (both renamed atomically)."""
    d = out / CHUNKS
    d.mkdir(parents=True, exist_ok=True)
    stem = Chunk(result["cell"], result["start"], result["stop"]).stem
    n = result["stop"] - result["start"]
    turns = {"cell": [result["cell"]] * len(result["turns"]["turn"]), **result["turns"]}
    runs = {"cell": [result["cell"]] * n, "replication": list(range(result["start"], result["stop"])),
            "seed": result["seeds"], **result["outcomes"]}
    _write_atomic(d / f"{stem}.turns.parquet", pa.table(turns))
    _write_atomic(d / f"{stem}.runs.parquet", pa.table(runs))


def read_chunks(out: Path, kind: str, n_cells: int, replications: int) -> pd.DataFrame:
    """All finished chunks of one kind ('runs' or 'turns') within the plan, each run once, in plan order."""
    d = out / CHUNKS
    frames = []
    for p in sorted(d.glob(f"c*_r*.{kind}.parquet")):
        m = _CHUNK_RE.match(p.name.replace(f".{kind}.", ".runs."))
        if m and int(m[1]) < n_cells and int(m[2]) < replications and (
                d / p.name.replace(f".{kind}.", ".runs.")).is_file():
            frames.append(pq.read_table(p).to_pandas())
    if not frames:
        return pd.DataFrame()
    df = pd.concat(frames, ignore_index=True)
    df = df[df["replication"] < replications]
    keys = ["cell", "replication"] + (["turn"] if kind == "turns" else [])
    return df.drop_duplicates(keys).sort_values(keys, kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------------------------------------ engines
def execute(tasks: Sequence[dict], arm_dumps: dict[str, dict], on_result: Callable[[dict], None], *,
            engine: str = "local", workers: int = 1, scheduler: str | None = None,
            dask_processes: bool = True) -> None:
    """Run every task on the chosen engine, handing each result to on_result (in the calling process) as it ends."""
    if engine == "dask":
        _execute_dask(tasks, arm_dumps, on_result, workers, scheduler, dask_processes)
        return
    queue = list(tasks)
    t0, done = time.perf_counter(), 0
    while queue and (workers <= 1 or not done or _left(queue, done, time.perf_counter() - t0) < POOL_MIN_SECONDS):
        t = queue.pop(0)    # in this process: all of it with one worker; with more, until the rest is worth a pool
        on_result(run_chunk(t, arm_dumps[t["arm"]]))
        done += len(t["seeds"])
    if queue:
        _execute_pool(queue, arm_dumps, on_result, workers)


def _left(queue: Sequence[dict], done: int, seconds: float) -> float:
    """Seconds the queued chunks would take here at the rate so far."""
    return seconds / done * sum(len(t["seeds"]) for t in queue)


def _execute_pool(tasks: Sequence[dict], arm_dumps: dict[str, dict], on_result: Callable[[dict], None],
                  workers: int) -> None:
    """workers - 1 worker processes plus this process, which runs chunks too (from the end of the queue).

    A fresh interpreter needs a second or more to import numpy, pandas and mesa; chunks go to the pool only once
    a worker has answered, so no chunk waits behind a worker that is still starting, and a small batch may
    finish here before any worker is up (which is then stopped, not waited for)."""
    import multiprocessing

    # spawn: a fresh interpreter per worker (fork after threads exist is unsafe); each loads its scenarios once
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers - 1, mp_context=ctx, initializer=_watch_parent,
                               initargs=(os.getpid(),))
    queue = deque(tasks)
    pending: set = set()
    starting = {pool.submit(os.getpid) for _ in range(workers - 1)}
    up = 0

    def top_up() -> None:
        while queue and len(pending) < 2 * up:   # a short queue per worker: results reach disk as they end
            t = queue.popleft()
            pending.add(pool.submit(run_chunk, t, arm_dumps[t["arm"]]))

    def collect(block: bool) -> None:
        nonlocal pending
        if pending:
            finished, pending = wait(pending, timeout=None if block else 0, return_when=FIRST_COMPLETED)
            for f in finished:
                on_result(f.result())

    try:
        while queue or pending:
            for f in [f for f in starting if f.done()]:
                starting.discard(f)
                up += 1
            collect(block=False)
            top_up()
            if queue and PARENT_WORKS:
                t = queue.pop()
                on_result(run_chunk(t, arm_dumps[t["arm"]]))
            elif pending:
                collect(block=True)
            else:
                wait(starting, return_when=FIRST_COMPLETED)
    except BaseException:
        _stop(pool)
        raise
    if starting:       # finished before every worker was up: do not wait for them to start only to stop
        _stop(pool)
    else:
        pool.shutdown(wait=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    pool.shutdown(wait=False, cancel_futures=True)
    procs = getattr(pool, "_processes", None) or {}
    for p in list(procs.values()):
        p.terminate()


def _watch_parent(parent: int) -> None:
    """Worker start-up: exit when the batch process is gone (a killed batch must not leave workers behind), and
    leave Ctrl-C to the batch process, which stops the workers itself (no traceback from every worker)."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


def _execute_dask(tasks: Sequence[dict], arm_dumps: dict[str, dict], on_result: Callable[[dict], None],
                  workers: int, scheduler: str | None, processes: bool) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        from model.config.errors import UserError
        raise UserError("the Dask engine needs dask.distributed: pip install '.[dask]'", field="--engine") from None
    import logging

    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            from model.config.errors import UserError
            raise UserError(f"cannot reach the Dask scheduler at {scheduler}: {exc}", field="--scheduler") from None
    else:
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=processes,
                               dashboard_address=None, host="127.0.0.1" if processes else None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        used = {t["arm"] for t in tasks}
        # a list of one: scatter() would split a dict into one future per key
        scattered = {a: client.scatter([arm_dumps[a]], broadcast=True, hash=False)[0] for a in used}
        futures = [client.submit(run_chunk, t, scattered[t["arm"]], pure=False) for t in tasks]
        for fut in as_completed(futures):
            on_result(fut.result())
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
