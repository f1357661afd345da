"""`wargame futures EXPORT.json`: N futures of a game from one of its months (model.experiments.futures)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from model.cli.checks import check_out_dir

NAME = "futures"
HELP = "fan charts, base odds and bloc changes of N futures of an exported game from a month"
DESCRIPTION = (
    "Replay the game of EXPORT.json (as the web page exports it) to month --turn (default: the last played) and "
    "play N futures of M months from there, human seats played by their actor's AI policy. Prints the spread of "
    "the headline indicators at the horizon, each base's likely controller and the actors likely to change side; "
    "--out DIR writes summary.json (everything: fans, base odds, control shares, bloc changes) and fans.csv. The "
    "futures' seeds come from the game's seed and month, so the same command gives the same futures.")
SHOWN = ("russia_bases_held", "syria_alignment", "russia_isolation", "kurdish_conflict", "us_engagement")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("export", metavar="EXPORT.json", type=Path, help="a game's export (GET /api/games/<id>/export)")
    p.add_argument("--turn", type=int, default=None, help="month to start from (default: the last played)")
    p.add_argument("--n", type=int, default=None, help="number of futures (default 200)")
    p.add_argument("--months", type=int, default=None, help="months each future plays (default 12)")
    p.add_argument("--relation", dest="relations", action="append", default=None, metavar="A.B",
                   help="a relation to draw beside the headline indicators, e.g. RUS.SYR (repeatable)")
    p.add_argument("--workers", type=int, default=1, help="local processes, this one included (default 1)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="write summary.json and fans.csv to DIR (a new or empty folder, unless --force)")
    p.add_argument("--force", action="store_true", help="write into --out even if it holds other files")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")


def run(args: argparse.Namespace) -> int:
    from model.config import limits
    from model.config.errors import UserError

    n = limits.DEFAULT_FUTURES if args.n is None else args.n
    months = limits.DEFAULT_FUTURE_MONTHS if args.months is None else args.months
    limits.check_count("futures", n, field="--n")
    limits.check_count("future_months", months, field="--months")
    if args.workers < 1:
        raise UserError(f"must be at least 1, got {args.workers}", field="--workers")
    if args.out is not None:
        check_out_dir(args.out, force=args.force)
    from model.sim.fork import read_export

    data = read_export(args.export)
    from model.experiments.futures import run_futures
    from model.sim.model import WargameModel

    try:
        m = WargameModel.from_export(data, args.turn)
        futures = run_futures(m, n=n, months=months, relations=args.relations, workers=args.workers)
    except UserError as exc:
        field = {"turn": "--turn", "n": "--n", "months": "--months"}.get(exc.field or "", exc.field)
        if field and field.startswith("relations"):
            field = "--relation"
        raise UserError(exc.message, file=exc.file or (None if field and field.startswith("--") else
                                                       str(args.export)), line=exc.line, field=field) from None
    summary = futures.summary()
    if args.out is not None:
        _write(summary, args.out)
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False, allow_nan=False)
        print()
        return 0
    print(f"{n} futures of {months} months from {summary['dates'][0]} (month {m.turn}) to {summary['dates'][-1]}")
    if summary["note"]:
        print(summary["note"])
    print("at the horizon (median [p5, p95]):")
    for name in (*SHOWN, *[c for c in summary["fans"] if c.startswith("relation.")]):
        if name in summary["fans"]:
            fan = summary["fans"][name]
            print(f"  {name:<26} {fan['p50'][-1]:8.3f} [{fan['p5'][-1]:.3f}, {fan['p95'][-1]:.3f}]  "
                  f"(now {fan['p50'][0]:.3f})")
    moved = [(b, o) for b, o in summary["bases"].items() if o["p"].get(o["start"], 0.0) < 1.0]
    print("bases that may change hands: " + ("; ".join(
        f"{b} ({o['start']} now): " + ", ".join(f"{a} {p:.2f}" for a, p in o["p"].items()) for b, o in moved)
        or "none"))
    sides = [(a, v["p_change"]) for a, v in summary["blocs"].items() if v["p_change"] > 0]
    print("may change side: " + (", ".join(f"{a} {p:.2f}" for a, p in sides) or "nobody"))
    if args.out is not None:
        print(f"files in {args.out}")
    return 0


def _write(summary: dict, out: Path) -> None:
    import csv

    from model.config.errors import UserError

    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False, allow_nan=False),
                                          encoding="utf-8")
        with open(out / "fans.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            stats = [f"p{p}" for p in summary["percentiles"]] + ["mean"]
            w.writerow(["indicator", "month", "date", *stats])
            for name, fan in summary["fans"].items():
                for t, date in enumerate(summary["dates"]):
                    w.writerow([name, t, date, *(fan[s][t] for s in stats)])
    except OSError as exc:
        raise UserError(f"cannot write results: {exc.strerror or exc}", file=str(out)) from None
