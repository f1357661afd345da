"""`wargame batch SPEC`: run an experiment's replications and write its tables, summary and report."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from model.config.errors import UserError

NAME = "batch"
HELP = "run a batch experiment (arms x sweep x replications) and test its hypotheses"
DESCRIPTION = (
    "Run every replication of an experiment spec (configs/experiments/*.yaml) on this machine's cores or a Dask "
    "cluster, then write runs.parquet, turns.parquet, metadata.json, summary.csv, summary.md and report.html to "
    "--out. Each run's seed is spawned from the spec's master seed, so results do not depend on the engine, the "
    "number of workers or interruptions: a killed batch continues with --resume."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="experiment spec (YAML)")
    parser.add_argument("--replications", type=int, help="runs per arm and sweep point (default: the spec's)")
    parser.add_argument("--turns", type=int, help="turns per run (default: the spec's, else the scenario's)")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes (default: the number of CPU cores)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local: a process pool on this machine; dask: dask.distributed (default: local)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler to use, e.g. tcp://10.0.0.5:8786 (default: a local cluster)")
    parser.add_argument("--out", metavar="DIR", help="output folder (default: results/<spec name>)")
    parser.add_argument("--resume", action="store_true", help="continue a batch in DIR: run only what is missing")
    parser.add_argument("--chunk-size", type=int, help="runs per task (default: automatic, at most 50)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run(args: argparse.Namespace) -> int:
    from model.experiments.executors import start_fork_server

    if args.engine == "local" and (args.workers or default_workers()) > 1:
        start_fork_server()      # the workers' imports happen in the background while the spec is read and checked
    from model.experiments.runner import load_experiment, run_batch

    exp = load_experiment(args.spec, replications=args.replications, turns=args.turns)
    workers = args.workers if args.workers is not None else default_workers()
    out = Path(args.out) if args.out else Path("results") / Path(args.spec).stem
    if out.exists() and not out.is_dir():
        raise UserError(f"{out} exists and is not a folder", field="--out")
    n = len(exp.cells) * exp.replications
    print(f"{exp.spec.name or Path(args.spec).stem}: {len(exp.cells)} cell(s) x {exp.replications} replications = "
          f"{n} runs of {exp.turns} turns -> {out}", file=sys.stderr)
    try:
        result = run_batch(exp, out, engine=args.engine, workers=workers, scheduler=args.scheduler,
                           resume=args.resume, chunk_size=args.chunk_size, progress=not args.no_progress)
    except KeyboardInterrupt:
        print(f"the finished chunks are saved in {out / 'chunks'}; continue with the same command and --resume",
              file=sys.stderr)
        raise
    rate = f", {result.ran / result.seconds:.1f} runs/s" if result.ran and result.seconds else ""
    print(f"{result.ran} runs played in {result.seconds:.1f} s{rate}; files in {out}", file=sys.stderr)
    print((out / "summary.md").read_text(encoding="utf-8"))
    return 0
