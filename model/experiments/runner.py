"""Batch experiments: thousands of seeded runs of the wargame over arms and sweeps, with tables and verdicts.

    from model.experiments.runner import load_experiment, run_batch
    exp = load_experiment("configs/experiments/projected-outcomes.yaml", replications=200)
    result = run_batch(exp, "out/projected", workers=2)        # engine="dask", scheduler="tcp://..." for a cluster

The spec (model.experiments.spec) is checked completely before any run; runs go out in chunks (model.experiments.chunks)
to this process, local worker processes or Dask (model.experiments.executors); the results land in DIR:

- runs.parquet: one row per run: run_id, arm, point, one column per sweep parameter (its dotted path), with
  `uncertainty:` draw and one column per drawn input (its dotted path: the value this run played), replication,
  seed (the integer given to the model), seed_entropy and seed_spawn_key (the SeedSequence that made it), cell,
  then one column per outcome (bool for binary outcomes, float otherwise).
- turns.parquet (wide): one row per run and turn (0 = the start): run_id, arm, point, replication, turn, date,
  then one column per kept indicator (the headline indicators and every indicator an outcome reads).
- metadata.json: the spec, versions, seeds, engine and timings; summary.csv / summary.md / summary.json /
  report.html (model.experiments.report); chunks/ (the finished chunks; `--resume` continues from them); plan.json.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import platform
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from model.config.errors import UserError
from model.config.files import LockHeld, hold_lock, write_atomic
from model.experiments.chunks import (
    CHUNKS,
    auto_chunk_size,
    done_runs,
    dump_hash,
    payload,
    plan_chunks,
    read_chunks,
    run_seeds,
    taper,
    write_chunk,
    write_table,
)
from model.experiments.executors import LocalWorkers, execute, start_fork_server
from model.experiments.report import write_reports
from model.experiments.spec import Experiment, load_experiment

__all__ = ["load_experiment", "run_batch", "BatchResult", "ENGINES"]
ENGINES = ("local", "dask")
MODEL_PACKAGES = ("config", "theory", "sim")   # the code that decides a run's result; experiments/ and cli/ analyse
OUTPUTS = ("runs.parquet", "turns.parquet", "metadata.json", "summary.csv", "summary.md", "summary.json",
           "report.html")


@dataclass
class BatchResult:
    out: Path
    runs: pd.DataFrame
    summary: dict
    ran: int            # runs played in this session (the rest came from chunks on disk)
    seconds: float
    processes: int = 1  # processes that ran chunks in this session


def model_fingerprint(root: Path | None = None) -> str:
    """Hash of the simulation's source (the packages in MODEL_PACKAGES of `root`, default this `model` package):
    results from different code are never mixed by --resume, while a change to the analysis (statistics,
    reports, the CLI) keeps a batch resumable."""
    root = root or Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for package in MODEL_PACKAGES:
        for p in sorted((root / package).rglob("*.py")):
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def plan_fingerprint(exp: Experiment) -> dict[str, Any]:
    """What fixes every run's result (all but the number of replications, which --resume may raise)."""
    spec = exp.spec.model_dump(mode="json", exclude={"replications"})
    fp = {"spec": hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16],
          "scenarios": {a: dump_hash(d)[:16] for a, d in exp.arm_dumps.items()}, "turns": exp.turns,
          "points": dump_hash({"points": exp.points, "cells": [(c.arm, c.point) for c in exp.cells],
                               "common_seeds": exp.common_seeds})[:16],
          "model": model_fingerprint()}
    if exp.n_draws:     # a range's bounds are not in the scenario's dump: the drawn values are
        fp["draws"] = dump_hash({"cells": [c.params for c in exp.cells]})[:16]
    return fp


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version
    out = {"python": platform.python_version()}
    for pkg in ("syria-wargame", "mesa", "numpy", "pandas", "pyarrow", "scipy", "pydantic"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    out["model_source"] = model_fingerprint()
    return out


LOCK_NAME = ".batch.lock"


@contextlib.contextmanager
def _out_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on OUT/.batch.lock while a batch writes there (the kernel drops it when the process
    ends, even when killed): a second batch on the same folder, such as a --resume while the first still runs, is
    refused with the first one's pid instead of both writing the same chunks and tables."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fh = hold_lock(out / LOCK_NAME)
    except LockHeld as held:
        raise UserError(f"another batch (pid {held.pid}) is writing to {out}; wait for it to end (then --resume "
                        "continues it) or choose another --out", field="--out") from None
    except OSError as exc:
        raise UserError(f"cannot write there ({exc.strerror or exc})", file=str(out), field="--out") from None
    try:
        yield
    finally:
        fh.close()


def _prepare_dir(out: Path, exp: Experiment, resume: bool) -> None:
    fp = plan_fingerprint(exp)
    plan = out / "plan.json"
    chunk_dir = out / CHUNKS
    has_work = chunk_dir.is_dir() and any(chunk_dir.glob("*.parquet"))   # a plan alone is not work to lose
    if has_work and not resume:
        raise UserError(f"{out} already holds a batch; add --resume to continue it, or choose another --out",
                        field="--out")
    if has_work:
        old = json.loads(plan.read_text()) if plan.is_file() else {}
        changed = [k for k in fp if old.get("fingerprint", {}).get(k) != fp[k]]
        if changed:
            what = {"spec": "the spec", "scenarios": "a scenario file", "turns": "the number of turns",
                    "points": "the sweep points", "model": "the model's code",
                    "draws": "the input draws (a range in a scenario)"}
            raise UserError(f"cannot resume: {', '.join(what[c] for c in changed)} changed since this batch started "
                            f"(results would mix); use another --out", field="--resume")
    out.mkdir(parents=True, exist_ok=True)
    (out / CHUNKS).mkdir(exist_ok=True)
    write_atomic(plan, json.dumps({"fingerprint": fp, "spec_file": exp.path}, indent=1))


class _Progress:
    """tqdm on stderr (runs done, runs/s, time left) and DIR/progress.json for other processes (the web page)."""

    def __init__(self, out: Path, total: int, initial: int, show: bool,
                 callback: Callable[[dict], None] | None) -> None:
        from tqdm import tqdm
        self.out, self.total, self.done, self.t0, self.initial = out, total, initial, time.time(), initial
        self.callback = callback
        self.bar = tqdm(total=total, initial=initial, unit="run", file=sys.stderr, disable=not show,
                        dynamic_ncols=True, smoothing=0.1, desc="runs")
        self.write("running")

    def update(self, n: int) -> None:
        self.done += n
        self.bar.update(n)
        self.write("running")

    def write(self, state: str, error: str | None = None) -> None:
        el = time.time() - self.t0
        rate = (self.done - self.initial) / el if el > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else None
        info = {"state": state, "done": self.done, "total": self.total, "elapsed": round(el, 2),
                "rate": round(rate, 3), "eta": round(eta, 1) if eta is not None else None, "error": error}
        write_atomic(self.out / "progress.json", json.dumps(info), durable=False)
        if self.callback:
            self.callback(info)

    def close(self) -> None:
        self.bar.close()


def run_batch(exp: Experiment, out: str | Path, *, engine: str = "local", workers: int = 1,
              scheduler: str | None = None, resume: bool = False, chunk_size: int | None = None,
              progress: bool = True, dask_processes: bool = True,
              on_progress: Callable[[dict], None] | None = None, reports: bool = True,
              pool: LocalWorkers | None = None) -> BatchResult:
    """Run what is missing of the experiment into `out`, then write every result file (reports=False: only the
    tables and metadata, for callers with their own analysis, such as the sensitivity screening).

    pool: warm worker processes kept by the caller (model.experiments.executors.LocalWorkers) to run the local
    engine's chunks beside this process, instead of starting workers for this batch; it stays open."""
    if engine not in ENGINES:
        raise UserError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}", field="--engine")
    if workers < 1:
        raise UserError(f"must be at least 1, got {workers}", field="--workers")
    if chunk_size is not None and chunk_size < 1:
        raise UserError(f"must be at least 1, got {chunk_size}", field="--chunk-size")
    if scheduler and engine != "dask":
        raise UserError("--scheduler is for --engine dask", field="--scheduler")
    if pool is not None:
        if engine != "local":
            raise UserError("a kept pool of worker processes is for the local engine", field="--engine")
        workers = pool.processes + 1          # its workers and this process
    out = Path(out)
    with _out_lock(out):          # one batch at a time in a folder: two would write the same files
        _prepare_dir(out, exp, resume)
        t0 = time.time()
        started = datetime.now(UTC).isoformat(timespec="seconds")
        n_cells, reps = len(exp.cells), exp.replications
        total = n_cells * reps
        seeds = run_seeds(exp.spec.seed, n_cells, reps, common=exp.common_seeds)
        done = done_runs(out)
        size = chunk_size or auto_chunk_size(total, workers)
        chunks = taper(plan_chunks(n_cells, reps, size, done), workers)
        hashes = {a: dump_hash(d) for a, d in exp.arm_dumps.items()}
        tasks = [payload(exp, c, seeds, hashes) for c in chunks]
        todo = sum(c.size for c in chunks)
        if engine == "local" and workers > 1 and pool is None and len(tasks) > 1:
            start_fork_server()                   # it imports the model while this process starts on the first chunks
        bar = _Progress(out, total, total - todo, progress, on_progress)
        compute, pids = [0.0], set()

        def finished(result: dict) -> None:
            write_chunk(out, result)
            compute[0] += result["seconds"]
            pids.add((result.get("host"), result["pid"]))
            bar.update(result["stop"] - result["start"])

        try:
            execute(tasks, exp.arm_dumps, finished, engine=engine, workers=workers, scheduler=scheduler,
                    dask_processes=dask_processes, pool=pool)
        except BaseException as exc:
            bar.write("interrupted" if isinstance(exc, KeyboardInterrupt) else "failed",
                      error=str(exc) or type(exc).__name__)
            bar.close()
            raise
        bar.close()
        run_s = time.time() - t0
        runs, turns = assemble(exp, out, seeds)
        session = {"started": started, "runs": todo, "seconds": round(run_s, 3),
                   "runs_per_second": round(todo / run_s, 3) if run_s > 0 and todo else None,
                   "compute_seconds": round(compute[0], 3), "engine": engine, "workers": workers,
                   "processes_used": len(pids),
                   "scheduler": scheduler, "chunk_size": size, "chunks": len(chunks), "argv": sys.argv}
        meta = _metadata(exp, out, session)
        summary = write_reports(exp, runs, turns, out, meta) if reports else {}
        bar.write("done")
        return BatchResult(out, runs, summary, todo, time.time() - t0, len(pids))


def assemble(exp: Experiment, out: Path, seeds: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """runs.parquet and turns.parquet from the chunks, in plan order, whatever order they finished in."""
    n_cells, reps = len(exp.cells), exp.replications
    runs = read_chunks(out, "runs", n_cells, reps)
    turns = read_chunks(out, "turns", n_cells, reps)
    if len(runs) != n_cells * reps:
        raise RuntimeError(f"{len(runs)} runs on disk, {n_cells * reps} expected")
    runs["run_id"] = range(len(runs))
    cells = exp.cells
    runs["arm"] = [cells[c].arm for c in runs["cell"]]
    runs["point"] = [cells[c].point for c in runs["cell"]]
    for p in exp.param_names:
        runs[p] = [cells[c].params[p] for c in runs["cell"]]
    drawn = ["draw", *exp.inputs] if exp.n_draws else []
    if drawn:
        runs["draw"] = [cells[c].draw for c in runs["cell"]]
        for p in exp.inputs:
            runs[p] = [cells[c].inputs[p] for c in runs["cell"]]
    runs["seed_entropy"] = exp.spec.seed
    runs["seed_spawn_key"] = [f"{0 if exp.common_seeds else c},{r}"
                              for c, r in zip(runs["cell"], runs["replication"], strict=True)]
    runs = runs[["run_id", "arm", "point", *exp.param_names, *drawn, "replication", "seed", "seed_entropy",
                 "seed_spawn_key", "cell", *exp.spec.outcomes]]
    ids = runs.set_index(["cell", "replication"])["run_id"]
    key = pd.MultiIndex.from_arrays([turns["cell"], turns["replication"]])
    turns.insert(0, "run_id", ids.reindex(key).to_numpy())
    turns.insert(1, "arm", np.array([c.arm for c in cells], dtype=object)[turns["cell"].to_numpy()])
    turns.insert(2, "point", np.array([c.point for c in cells])[turns["cell"].to_numpy()])
    turns = turns.drop(columns="cell")
    write_table(out / "runs.parquet", pa.Table.from_pandas(runs, preserve_index=False))
    write_table(out / "turns.parquet", pa.Table.from_pandas(turns, preserve_index=False))
    return runs, turns


def _uncertainty_meta(exp: Experiment) -> dict | None:
    if not exp.n_draws:
        return None
    assert exp.spec.uncertainty is not None
    return {"draws": exp.n_draws, "inputs": exp.inputs, "distribution": exp.spec.uncertainty.distribution,
            "ranges": {a: {p: {"value": r.value, "low": r.low, "high": r.high} for p, r in rs.items()
                           if p in exp.inputs} for a, rs in exp.arm_ranges.items()},
            "scheme": "a Latin hypercube (scipy.stats.qmc.LatinHypercube, seeded by SeedSequence([0x756E63, master]))"
                      " of draws x inputs in [0, 1); draw d sets each input an arm has a range for to the u[d, j] "
                      f"quantile of that arm's range ({exp.spec.uncertainty.distribution}: "
                      "model.config.loading.Uncertain.at); every arm and sweep point runs `replications` runs of "
                      "every draw",
            "unit_draws": exp.draws}


def _metadata(exp: Experiment, out: Path, session: dict) -> dict:
    sessions_file = out / "sessions.json"
    sessions = json.loads(sessions_file.read_text()) if sessions_file.is_file() else []
    sessions.append(session)
    write_atomic(sessions_file, json.dumps(sessions, indent=1))
    meta = {"spec_file": exp.path, "spec": exp.spec.model_dump(mode="json", by_alias=True), "spec_text": exp.text,
            "scenario_files": exp.arm_files, "turns": exp.turns, "replications": exp.replications,
            "cells": [{"cell": c.index, "arm": c.arm, "point": c.point, "params": c.params} for c in exp.cells],
            "seeds": {"master": exp.spec.seed,
                      "scheme": "cell c, replication r: SeedSequence(master).spawn(cells)[c].spawn(replications)[r]; "
                                "the model's seed is the top 53 bits of its generate_state(2, uint32)"
                                + ("; common random numbers: every cell uses cell 0's seeds" if exp.common_seeds
                                   else ""),
                      "per_run": "runs.parquet columns seed, seed_entropy, seed_spawn_key"},
            "uncertainty": _uncertainty_meta(exp),
            "versions": _versions(), "engine": session["engine"], "workers": session["workers"],
            "timings": {"sessions": sessions, "wall_seconds": round(sum(s["seconds"] for s in sessions), 3),
                        "compute_seconds": round(sum(s["compute_seconds"] for s in sessions), 3)},
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "outputs": {"runs.parquet": "one row per run", "turns.parquet": "wide: one row per run and turn"}}
    write_atomic(out / "metadata.json", json.dumps(meta, indent=1, default=str))
    return meta
