"""`wargame validate`: check config files and report every problem as file:line: field: message."""
from __future__ import annotations

import argparse
import sys

from model.cli.options import add_config_dir, experiment_dirs, scenario_dirs

NAME = "validate"
HELP = "check scenario (or experiment) config files"
DESCRIPTION = "Validate config files; every problem is printed as file:line: field: message. Exit 2 if any fail."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="YAML config files")
    add_config_dir(p)


def _is_experiment(path: str) -> bool:
    from model.config.loading import read_yaml

    try:
        data, _ = read_yaml(path)
    except Exception:  # the scenario loader will report the problem properly
        return False
    # a spec need not list arms (one baseline arm by default); `outcomes` and `replications` are its own fields
    return isinstance(data, dict) and "actors" not in data and bool({"arms", "outcomes", "replications"} & set(data))


def run(args: argparse.Namespace) -> int:
    from model.config.errors import UserError, UserErrors
    from model.config.scenario import load_scenario

    scenarios, experiments = scenario_dirs(args), experiment_dirs(args)
    failed = 0
    for f in args.files:
        try:
            if _is_experiment(f):
                from model.experiments import spec as experiment_spec

                experiment_spec.load_experiment(f, search_dirs=scenarios, spec_dirs=experiments)
            else:
                load_scenario(f, search_dirs=scenarios)
            print(f"{f}: ok")
        except UserErrors as exc:
            failed += 1
            for e in exc.errors:
                print(str(e), file=sys.stderr)
        except UserError as exc:
            failed += 1
            print(str(exc), file=sys.stderr)
    if failed:
        print(f"{failed} of {len(args.files)} file(s) have errors", file=sys.stderr)
        return 2
    return 0
