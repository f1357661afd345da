"""`wargame validate`: check config files and report every problem as file:line: field: message."""
from __future__ import annotations

import argparse
import sys

from model.cli.options import add_config_dir, config_roots, experiment_dirs, scenario_dirs

NAME = "validate"
HELP = "check scenario, experiment and question config files"
DESCRIPTION = (
    "Validate config files (scenarios, experiment specs, forecast question files, by what the file holds) or "
    "shipped and --config-dir names (a scenario name first, then a spec's, then a question file's); every problem "
    "is printed as file:line: field: message. Exit 2 if any fail.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="YAML config files")
    add_config_dir(p)


_KIND_NAMES = {"scenario": "scenario", "experiment": "experiment spec", "questions": "question file"}


def _kind(path: str) -> str:
    """What a file holds: "experiment", "questions" or "scenario" (whose loader reports an unreadable file)."""
    from model.config.loading import read_yaml

    try:
        data, _ = read_yaml(path)
    except Exception:  # the scenario loader will report the problem properly
        return "scenario"
    if not isinstance(data, dict) or "actors" in data:
        return "scenario"
    # a spec need not list arms (one baseline arm by default); `outcomes` and `replications` are its own fields
    if {"arms", "outcomes", "replications"} & set(data):
        return "experiment"
    return "questions" if "questions" in data else "scenario"


def _resolve(name: str, args: argparse.Namespace) -> tuple[str, str]:
    """(kind, file) of FILE: a file by what it holds; a name as a scenario, else a spec, else a question file."""
    from pathlib import Path

    from model.config.errors import NameNotFound, UserError
    from model.config.locations import QUESTIONS, user_dirs
    from model.config.scenario import find_scenario

    def spec() -> Path:        # (model.experiments imports numpy: only when the name is not a scenario's)
        from model.experiments.spec import find_experiment

        return find_experiment(name, experiment_dirs(args))

    def questions() -> Path:
        from model.experiments.forecast import find_questions

        return find_questions(name, user_dirs(QUESTIONS, config_roots(args)))

    if Path(name).exists():
        return _kind(name), name
    lookups = (("scenario", lambda: find_scenario(name, scenario_dirs(args))), ("experiment", spec),
               ("questions", questions))
    known = []
    for kind, find in lookups:
        try:
            found = find()
        except NameNotFound as exc:
            known.append(f"known {exc.label}: {', '.join(exc.known)}")
            continue
        if found.is_file():
            return kind, str(found)
    raise UserError(f"no file, and no scenario, experiment spec or question file named {name!r}; "
                    + "; ".join(k for k in known if k))


def _questions(path: str, args: argparse.Namespace) -> None:
    """A question file against the scenario it names (its indicators, start month and length)."""
    from model.config.errors import UserError
    from model.config.loading import read_yaml
    from model.config.scenario import load_scenario
    from model.experiments.forecast import load_questions

    data, lines = read_yaml(path)
    scenario = data.get("scenario")
    if not isinstance(scenario, str):
        file, line = lines.get(("scenario",), (path, None))
        raise UserError("a question file is checked against the scenario it names; give 'scenario: NAME'",
                        file=file, line=line, field="scenario")
    load_questions(path, load_scenario(scenario, search_dirs=scenario_dirs(args)))


def run(args: argparse.Namespace) -> int:
    from model.config.errors import UserError, UserErrors
    from model.config.scenario import load_scenario

    scenarios, experiments = scenario_dirs(args), experiment_dirs(args)
    failed = 0
    for f in args.files:
        try:
            kind, found = _resolve(f, args)
            if kind == "experiment":
                from model.experiments import spec as experiment_spec

                experiment_spec.load_experiment(found, search_dirs=scenarios, spec_dirs=experiments)
            elif kind == "questions":
                _questions(found, args)
            else:
                load_scenario(found, search_dirs=scenarios)
            print(f"{f}: ok" if found == f else f"{f}: ok ({_KIND_NAMES[kind]} {found})")
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
