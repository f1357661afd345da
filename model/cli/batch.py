"""`wargame batch SPEC`: run an experiment's replications and write its tables, summary and report."""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from model.cli.checks import check_out_dir
from model.cli.options import add_config_dir, experiment_dirs, scenario_dirs
from model.config.errors import UserError

NAME = "batch"
HELP = "run a batch experiment (arms x sweep x replications) and test its hypotheses"
DESCRIPTION = (
    "Run every replication of an experiment spec (a file, or a shipped name such as projected-outcomes) on this "
    "machine's cores or a Dask cluster, then write runs.parquet, turns.parquet, metadata.json, summary.csv, "
    "summary.md and report.html to --out. Each run's seed is spawned from the spec's master seed, so results do not "
    "depend on the engine, the number of workers or interruptions: a killed batch continues with --resume."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="experiment spec: a YAML file or the name of a shipped spec "
                                                     "(or one in a --config-dir), e.g. projected-outcomes")
    parser.add_argument("--replications", type=int, help="runs per arm and sweep point (default: the spec's)")
    parser.add_argument("--turns", type=int, help="turns per run (default: the spec's, else the scenario's)")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes (default: the number of CPU cores)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local: a process pool on this machine; dask: dask.distributed (default: local)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler to use, e.g. tcp://10.0.0.5:8786 (default: a local cluster)")
    parser.add_argument("--out", metavar="DIR",
                        help="output folder, new or empty unless --resume or --force (default: results/<spec name>)")
    parser.add_argument("--resume", action="store_true", help="continue a batch in DIR: run only what is missing")
    parser.add_argument("--force", action="store_true",
                        help="write into DIR even if it holds other files; a batch there is started afresh")
    parser.add_argument("--chunk-size", type=int, help="runs per task (default: automatic, at most 50)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    add_config_dir(parser)


PLAN = "plan.json"      # with chunks/, what the runner writes first into a batch's folder
BATCH_FILES = (PLAN, "progress.json", "sessions.json")


def remove_batch(out: Path, chunks: str, outputs: tuple[str, ...]) -> None:
    """--force: a batch already in `out` (its chunks, plan and results) goes, so the new one cannot mix with it."""
    try:
        if (out / chunks).is_dir():
            shutil.rmtree(out / chunks)
        for name in (*BATCH_FILES, *outputs):
            (out / name).unlink(missing_ok=True)
    except OSError as exc:
        raise UserError(f"cannot remove the batch in {out}: {exc.strerror or exc}", field="--force") from None


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run(args: argparse.Namespace) -> int:
    from model.experiments.executors import start_fork_server

    if args.engine == "local" and (args.workers or default_workers()) > 1:
        start_fork_server()      # the workers' imports happen in the background while the spec is read and checked
    from model.experiments.chunks import CHUNKS
    from model.experiments.runner import OUTPUTS, load_experiment, run_batch

    exp = load_experiment(args.spec, replications=args.replications, turns=args.turns,
                          search_dirs=scenario_dirs(args), spec_dirs=experiment_dirs(args))
    workers = args.workers if args.workers is not None else default_workers()
    out = Path(args.out) if args.out else Path("results") / Path(args.spec).stem
    check_out_dir(out, force=args.force, resume=args.resume, batch_markers=(PLAN, CHUNKS))
    if args.force:
        remove_batch(out, CHUNKS, OUTPUTS)
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
