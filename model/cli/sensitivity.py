"""`wargame sensitivity SPEC`: Morris screening of the spec's sweep parameters (SALib)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from model.cli.batch import PLAN, default_workers, remove_batch
from model.cli.checks import check_out_dir
from model.cli.options import add_config_dir, experiment_dirs, scenario_dirs
from model.experiments.defaults import DEFAULT_LEVELS, DEFAULT_REPLICATIONS, DEFAULT_TRAJECTORIES

NAME = "sensitivity"
HELP = "rank the sweep's (or the scenario's ranged) assumptions by how much they move each outcome (Morris)"
DESCRIPTION = (
    "Run a Morris elementary-effects screening (SALib) over the sweep parameters of an experiment spec, in one arm, "
    "or with --ranges over the ranged numbers ({value, low, high}) of the arm's scenario, "
    "and report for each outcome which parameters move it most (mu_star) and which act non-linearly or interact "
    "(sigma): a table on stdout and in DIR/sensitivity.csv, a chart in DIR/sensitivity.html."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="experiment spec with a sweep (or, with --ranges, any spec): "
                                                     "a YAML file or a spec name, "
                                                     "e.g. mechanism-sensitivity")
    parser.add_argument("--trajectories", type=int, default=DEFAULT_TRAJECTORIES,
                        help=f"Morris trajectories, each (parameters + 1) points (default {DEFAULT_TRAJECTORIES})")
    parser.add_argument("--levels", type=int, default=DEFAULT_LEVELS,
                        help=f"grid levels per parameter, even (default {DEFAULT_LEVELS})")
    parser.add_argument("--replications", type=int, default=DEFAULT_REPLICATIONS,
                        help=f"runs averaged per point (default {DEFAULT_REPLICATIONS})")
    parser.add_argument("--arm", help="arm to screen (default: the spec's first arm)")
    parser.add_argument("--ranges", action="store_true",
                        help="screen every ranged number of the scenario ({value, low, high}; those the spec's "
                             "uncertainty.inputs selects) from its low to its high, instead of the sweep")
    parser.add_argument("--turns", type=int, help="turns per run (default: the spec's)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: CPU cores)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local", help="as for `wargame batch`")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --engine dask)")
    parser.add_argument("--out", metavar="DIR", help="output folder (default: results/<spec name>-sensitivity)")
    parser.add_argument("--resume", action="store_true", help="continue an interrupted screening in DIR")
    parser.add_argument("--force", action="store_true",
                        help="write into DIR even if it is not empty (a screening or batch already there is removed)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    add_config_dir(parser)


def run(args: argparse.Namespace) -> int:
    from model.experiments.executors import start_fork_server

    if args.engine == "local" and (args.workers or default_workers()) > 1:
        start_fork_server()      # the workers' imports happen in the background while the spec is read and checked
    from model.experiments.chunks import CHUNKS
    from model.experiments.runner import OUTPUTS, load_experiment
    from model.experiments.sensitivity import SCREENING_FILES, run_sensitivity, table

    exp = load_experiment(args.spec, turns=args.turns, search_dirs=scenario_dirs(args),
                          spec_dirs=experiment_dirs(args))
    out = Path(args.out) if args.out else Path("results") / f"{Path(args.spec).stem}-sensitivity"
    check_out_dir(out, force=args.force, resume=args.resume, batch_markers=(PLAN, CHUNKS))
    if args.force:
        remove_batch(out, CHUNKS, (*OUTPUTS, *SCREENING_FILES))
    df = run_sensitivity(exp, out, trajectories=args.trajectories, levels=args.levels,
                         replications=args.replications, arm=args.arm, ranges=args.ranges, engine=args.engine,
                         workers=args.workers if args.workers is not None else default_workers(),
                         scheduler=args.scheduler, resume=args.resume, progress=not args.no_progress)
    print(table(df))
    print(f"table: {out / 'sensitivity.csv'}; chart: {out / 'sensitivity.html'}", file=sys.stderr)
    return 0
