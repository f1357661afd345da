"""The runs of an experiment: seeds, chunks of runs, the work of one chunk, and crash-safe chunk files.

A run's result depends only on its seed and its scenario (arm + sweep point): seeds come from the master seed
through `numpy.random.SeedSequence.spawn` (one child per cell, one grandchild per replication), and each chunk of
runs is a pure function of its payload. So the engine (in-process, worker processes, Dask: see
model.experiments.executors), the number of workers, the chunking and interruptions cannot change any result.
Finished chunks go to `DIR/chunks/` under a temporary name and are renamed, so killing a batch loses only the
chunks in flight, and a resumed batch runs only the rest.
"""
from __future__ import annotations

import gc
import hashlib
import json
import math
import os
import re
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from model.config.files import write_atomic
from model.experiments.spec import Experiment, Outcome, apply_overrides

if TYPE_CHECKING:   # pandas and pyarrow are imported where chunk files are read and written, not to run a chunk
    import pandas as pd
    import pyarrow as pa

CHUNKS = "chunks"
MAX_CHUNK = 50                 # runs per chunk at most: bounds the work lost when a batch is killed
TASKS_PER_WORKER = 32          # chunks per worker when the size is automatic: short chunks keep the start (the first
                               # chunk measures the pace) and the tail of a batch short; each costs a few ms to write
CACHE_SCENARIOS = 64           # scenarios (arm x sweep point) a worker process keeps validated
FIRST_CHUNK = 4                # runs of the first chunk with several processes: the batch process plays it alone to
                               # measure the pace before it starts workers (executors.execute), so it stays short
TAPER = 2                      # the tail's chunks hold at most 1/(TAPER x processes) of the runs after them, so the
                               # processes end together instead of one idling while the other plays a whole chunk
GC_YOUNG = 20_000              # allocations between young collections while a chunk runs (Python's default 700): each
                               # collection traverses the live state of the model being played (~1% of a run)
_CHUNK_RE = re.compile(r"^c(\d+)_r(\d+)-(\d+)\.runs\.parquet$")
_scenarios: OrderedDict[str, Any] = OrderedDict()
_HOST = socket.gethostname()


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


def taper(chunks: list[Chunk], processes: int) -> list[Chunk]:
    """The plan for several processes: the first chunk cut to FIRST_CHUNK runs, and the last chunks shrinking to one
    run (each at most 1/(TAPER x processes) of the runs planned after it: guided self-scheduling, from the end), so
    the workers start sooner and the processes finish together. Only where chunks end changes, never a result."""
    if processes <= 1 or not chunks:
        return chunks
    out: list[Chunk] = []
    after = 0
    for c in reversed(chunks):
        stop = c.stop
        while stop > c.start:
            left = stop - c.start
            size = min(left, max(1, math.ceil(after / (TAPER * processes))))
            if size < left < 2 * size:   # no short piece in front of a longer one: the rest in two halves
                size = left // 2
            out.append(Chunk(c.cell, stop - size, stop))
            after += size
            stop -= size
    out.reverse()
    head = out[0]
    if head.size > FIRST_CHUNK:
        out[:1] = [Chunk(head.cell, head.start, head.start + FIRST_CHUNK), Chunk(head.cell, head.start + FIRST_CHUNK,
                                                                                   head.stop)]
    return out


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
_gc_lock = threading.Lock()
_gc_running = 0                                   # chunks running in this process (threads of a server)
_gc_before: tuple[int, int, int] = (700, 10, 10)   # the collector's thresholds before the first of them


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Young collections every GC_YOUNG allocations instead of Python's 700 while runs are played (the process's
    setting is put back after the last chunk running in it, whatever thread runs them). Collections do not change
    what a run computes, only when unreachable objects are freed."""
    global _gc_running, _gc_before
    with _gc_lock:
        if not _gc_running:
            _gc_before = gc.get_threshold()
            gc.set_threshold(max(_gc_before[0], GC_YOUNG), _gc_before[1], _gc_before[2])
        _gc_running += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_running -= 1
            if not _gc_running:
                gc.set_threshold(*_gc_before)


def release(model: Any) -> None:
    """Free a played model now (WargameModel.release: reference counting frees it at once, without the cyclic
    collector); what was taken out of it beforehand (its DataCollector's columns) stays."""
    model.release()


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

    Each model is freed as soon as its columns are copied out (`release`), so a worker's memory does not grow with
    the number of runs (the full per-turn records and event logs live for one run at a time)."""
    from model.sim.model import WargameModel

    t0 = time.perf_counter()
    sc = _scenario(task["key"], arm_dump, task["params"])
    outcomes = {k: Outcome.model_validate(v) for k, v in task["outcomes"].items()}
    cols = task["columns"]
    res: dict[str, list] = {k: [] for k in outcomes}
    turns: dict[str, list] = {"replication": [], "turn": [], "date": [], **{c: [] for c in cols}}
    kept = set(cols) | {o.indicator for o in outcomes.values()}
    utilities = any(c.startswith("utility.") for c in kept)    # else the record leaves them out (nan)
    with fewer_collections():
        for rep, seed in zip(range(task["start"], task["stop"]), task["seeds"], strict=True):
            m = WargameModel(sc, seed=seed, turns=task["turns"], record_utility=utilities)
            m.run()
            columns = m.datacollector.model_vars   # the model's one store: indicator name -> value per turn
            release(m)
            del m
            series = {c: columns[c] for c in kept}
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
def write_table(path: Path, table: pa.Table) -> None:
    """A Parquet file replaced whole or not at all (model.config.files.write_atomic), from a table in memory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = pa.BufferOutputStream()
    pq.write_table(table, buf)
    write_atomic(path, buf.getvalue())


def write_chunk(out: Path, result: dict[str, Any]) -> None:
    """Turns first, then runs: a chunk is complete exactly when its runs file exists (both renamed atomically)."""
    import pyarrow as pa

    d = out / CHUNKS
    d.mkdir(parents=True, exist_ok=True)
    stem = Chunk(result["cell"], result["start"], result["stop"]).stem
    n = result["stop"] - result["start"]
    turns = {"cell": [result["cell"]] * len(result["turns"]["turn"]), **result["turns"]}
    runs = {"cell": [result["cell"]] * n, "replication": list(range(result["start"], result["stop"])),
            "seed": result["seeds"], **result["outcomes"]}
    write_table(d / f"{stem}.turns.parquet", pa.table(turns))
    write_table(d / f"{stem}.runs.parquet", pa.table(runs))


def read_chunks(out: Path, kind: str, n_cells: int, replications: int) -> pd.DataFrame:
    """All finished chunks of one kind ('runs' or 'turns') within the plan, each run once, in plan order."""
    import pandas as pd
    import pyarrow.parquet as pq

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
