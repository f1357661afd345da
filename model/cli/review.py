"""`wargame review EXPORT.json --seat ACTOR`: the after-action review of a human seat of an exported game
(model.experiments.aar: the same review as the web page's)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from model.cli.checks import check_out_file

NAME = "review"
HELP = "after-action review of a human seat of an exported game"
DESCRIPTION = (
    "Replay the game of EXPORT.json to month --turn (default: the last played) and review the human seat --seat: "
    "its utility month by month against N futures of its own AI policy playing it from month 0, the months where its "
    "orders changed its final utility most (each against its AI policy's choice that month, on paired seeds, with a "
    "95% interval) and every threshold crossing, base change and bloc change with its causes. --json prints it all; "
    "--out FILE.json writes it (the web page draws the same data and downloads it as one HTML file).")
SHOWN_MONTHS = 5       # pivotal months printed (all are in --json)
SHOWN_MOMENTS = 12     # turning points printed


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("export", metavar="EXPORT.json", type=Path, help="a game's export (GET /api/games/<id>/export)")
    p.add_argument("--seat", required=True, metavar="ACTOR", help="the human seat to review")
    p.add_argument("--turn", type=int, default=None, help="review up to this month (default: the last played)")
    p.add_argument("--n", type=int, default=None, help="futures per ensemble and per compared month (default 20)")
    p.add_argument("--no-pivotal", dest="pivotal", action="store_false",
                   help="skip the month-by-month comparison with the AI's orders (the costly part)")
    p.add_argument("--workers", type=int, default=1, help="local processes, this one included (default 1)")
    p.add_argument("--out", type=Path, default=None, metavar="FILE.json", help="write the review as JSON")
    p.add_argument("--force", action="store_true", help="write over --out if it exists")
    p.add_argument("--json", action="store_true", help="print the review as JSON")


def run(args: argparse.Namespace) -> int:
    from model.cli.output import print_json, write_text
    from model.config import limits
    from model.config.errors import UserError
    from model.experiments.aar import after_action_review
    from model.sim.fork import read_export
    from model.sim.model import WargameModel

    n = limits.DEFAULT_AAR_FUTURES if args.n is None else args.n
    limits.check_count("futures", n, field="--n")
    if args.workers < 1:
        raise UserError(f"must be at least 1, got {args.workers}", field="--workers")
    if args.out is not None:
        check_out_file(args.out, "--out", "review.json", force=args.force)
    data = read_export(args.export)
    options = {"turn": "--turn", "seat": "--seat", "n": "--n"}
    try:
        game = WargameModel.from_export(data, args.turn)
        review = after_action_review(game, args.seat, n=n, pivotal=args.pivotal, workers=args.workers)
    except UserError as exc:
        field = options.get(exc.field or "", exc.field)
        raise UserError(exc.message, file=None if field in options.values() else exc.file or str(args.export),
                        line=exc.line, field=field) from None
    if args.out is not None:
        write_text(args.out, json.dumps(review, indent=1, ensure_ascii=False, allow_nan=False), "review")
    if args.json:
        print_json(review)
        return 0
    seat, dates = review["seat"], review["dates"]
    fan = review["ai"]["fan"]
    print(f"after-action review of {seat}: months 1 to {review['turns']} ({dates[1]} to {dates[-1]}), {n} futures "
          "of its AI policy from month 0")
    print(f"utility in {dates[-1]}: {review['utility'][-1]:.3f} as played; its AI policy's median {fan['p50'][-1]:.3f} "
          f"[p5 {fan['p5'][-1]:.3f}, p95 {fan['p95'][-1]:.3f}]; percentile {100 * review['percentile'][-1]:.0f}")
    if review["note"]:
        print(review["note"])
    rows = review["pivotal"]
    if rows:
        print(f"months whose orders mattered most (effect on {seat}'s utility in {dates[-1]}, orders given - AI's "
              "choice, 95% interval):")
        for r in rows[:SHOWN_MONTHS]:
            orders = "; ".join(" ".join([o["kind"], *(f"{k}={v}" for k, v in o.items() if k != "kind")])
                               for o in r["orders"]) or "hold"
            print(f"  month {r['turn']} ({r['date']}): {r['effect']:+.3f} [{r['low']:+.3f}, {r['high']:+.3f}]  "
                  f"{orders}")
    moments = review["moments"]
    print(f"turning points ({len(moments)}):" if moments else "turning points: none")
    for mo in moments[:SHOWN_MOMENTS]:
        causes = len(mo.get("causes", []))
        print(f"  {mo['date']} {mo['kind']}: {mo['sentence']}" + (f" ({causes} cause{'s' if causes != 1 else ''})"
                                                                   if causes else ""))
    if len(moments) > SHOWN_MOMENTS:
        print(f"  ... {len(moments) - SHOWN_MOMENTS} more (--json lists all)")
    if args.out is not None:
        print(f"review: {args.out}")
    return 0
