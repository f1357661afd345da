"""`wargame forecast QUESTIONS`: each dated question's probability over N futures of a scenario, and its scores
against what happened (model.experiments.forecast)."""
from __future__ import annotations

import argparse
from pathlib import Path

from model.cli.checks import check_out_file, check_seed
from model.cli.options import add_config_dir, config_roots, scenario_dirs

NAME = "forecast"
HELP = "probabilities of dated forecast questions, and their Brier and log scores given resolutions"
DESCRIPTION = (
    "Judge each question of QUESTIONS (a YAML file, or a shipped name such as projected-outcomes) on the month of its "
    "date in N futures of the scenario from its start, and print its probability with a Wilson 95% interval. With "
    "--resolutions FILE (id: true/false) add the Brier score, the log score, the same scores of a persistence "
    "baseline (the start state carried forward) and a reliability table; --report writes them as a page.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("questions", metavar="QUESTIONS", help="question file or name, e.g. projected-outcomes")
    p.add_argument("--scenario", help="scenario file or name (default: the question file's `scenario`)")
    p.add_argument("--replications", type=int, default=None,
                   help="futures to judge each question on (default 200)")
    p.add_argument("--seed", type=int, default=0, help="seed of the futures (default 0)")
    p.add_argument("--workers", type=int, default=1, help="local processes, this one included (default 1)")
    p.add_argument("--json", action="store_true", help='print {"questions": [{id, date, p, low, high, n}], ...}')
    p.add_argument("--resolutions", type=Path, metavar="FILE", help="YAML or JSON mapping of question id to true/false")
    p.add_argument("--report", type=Path, metavar="OUT.html", help="write the results as a self-contained page")
    p.add_argument("--force", action="store_true", help="write over --report if it exists")
    add_config_dir(p)


def run(args: argparse.Namespace) -> int:
    from model.cli.output import print_json, write_text
    from model.config import limits
    from model.config.errors import UserError
    from model.config.locations import QUESTIONS, user_dirs
    from model.config.scenario import load_scenario
    from model.experiments.forecast import find_questions, load_questions, load_resolutions

    check_seed(args.seed)
    replications = limits.DEFAULT_FUTURES if args.replications is None else args.replications
    limits.check_count("futures", replications, field="--replications")
    if args.workers < 1:
        raise UserError(f"must be at least 1, got {args.workers}", field="--workers")
    question_dirs = user_dirs(QUESTIONS, config_roots(args))
    scenario = args.scenario
    if scenario is None:
        from model.config.loading import read_yaml

        data, _ = read_yaml(find_questions(args.questions, question_dirs))
        scenario = data.get("scenario")
        if not isinstance(scenario, str):
            raise UserError("give --scenario (the question file names none)", field="--scenario")
    sc = load_scenario(scenario, search_dirs=scenario_dirs(args))
    qs = load_questions(args.questions, sc, search_dirs=question_dirs)
    resolutions = load_resolutions(args.resolutions, qs) if args.resolutions is not None else None
    if args.report is not None:
        check_out_file(args.report, "--report", "forecast.html", force=args.force)
    from model.experiments.forecast import forecast, report_html

    result = forecast(qs, sc, replications, seed=args.seed, resolutions=resolutions, workers=args.workers)
    if args.report is not None:
        write_text(args.report, report_html(result), "report")
    if args.json:
        print_json(result)
        return 0
    print(f"{qs.name}: {sc.name}, {replications} futures from {sc.start} (seed {args.seed})")
    width = max(len(q["id"]) for q in result["questions"])
    for q in result["questions"]:
        told = f"  outcome {'yes' if q['outcome'] else 'no'}" if "outcome" in q else ""
        print(f"  {q['id']:<{width}}  {q['date']}  p={q['p']:.3f} [{q['low']:.3f}, {q['high']:.3f}]  "
              f"persistence {q['persistence']:.0f}{told}")
    scores = result.get("scores")
    if scores is not None:
        if scores["n"]:
            per = scores["persistence"]
            print(f"scores over {scores['n']} resolved questions: Brier {scores['brier']:.4f} (persistence "
                  f"{per['brier']:.4f}), log score {scores['log_score']:.4f} (persistence {per['log_score']:.4f})")
            print("reliability: " + "; ".join(f"{b['bin'][0]:.1f}-{b['bin'][1]:.1f}: {b['n']} questions, forecast "
                                             f"{b['forecast']:.2f}, observed {b['observed']:.2f}"
                                             for b in scores["reliability"]))
        else:
            print("no question has a resolution in the file")
    if args.report is not None:
        print(f"report: {args.report}")
    return 0
