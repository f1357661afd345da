"""`wargame fork EXPORT.json --turn N --out FORK.json`: a game forked at a month it has played, as an export of its
own (model.sim.fork: the same fork as the web page's)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from model.cli.checks import check_out_file

NAME = "fork"
HELP = "fork an exported game at a month it has played, as a new export"
DESCRIPTION = (
    "Replay the game of EXPORT.json to month --turn (default: the last played) and fork it there: the new game has "
    "the same months up to there and then its own random stream (--stream K picks one of the game's fork streams, "
    "default 0, so the same command gives the same fork; another K another course). Writes the fork as an export "
    "with its fork point, which `wargame futures`, `wargame review` and the web page's import replay exactly.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("export", metavar="EXPORT.json", type=Path, help="a game's export (GET /api/games/<id>/export)")
    p.add_argument("--turn", type=int, default=None, help="month to fork at (default: the last played)")
    p.add_argument("--stream", type=int, default=0, help="which fork stream of that month (default 0)")
    p.add_argument("--out", type=Path, required=True, metavar="FORK.json", help="file to write the fork's export to")
    p.add_argument("--force", action="store_true", help="write over --out if it exists")


def run(args: argparse.Namespace) -> int:
    from model.config.errors import UserError
    from model.config.files import write_atomic
    from model.sim.fork import read_export, to_export
    from model.sim.model import WargameModel

    check_out_file(args.out, "--out", "fork.json", force=args.force)
    if args.stream < 0:
        raise UserError(f"a fork's stream is a whole number >= 0, got {args.stream}", field="--stream")
    data = read_export(args.export)
    try:
        parent = WargameModel.from_export(data, args.turn)
    except UserError as exc:
        field = "--turn" if exc.field == "turn" else exc.field
        raise UserError(exc.message, file=None if field == "--turn" else exc.file or str(args.export),
                        line=exc.line, field=field) from None
    child = parent.fork(stream=args.stream)
    exported = to_export(child, str(data.get("scenario") or ""))
    try:
        write_atomic(args.out, json.dumps(exported, ensure_ascii=False))
    except OSError as exc:
        raise UserError(f"cannot write the fork: {exc.strerror or exc}", file=str(args.out)) from None
    print(f"forked {args.export} at month {child.turn} ({child.date()}), stream {args.stream}: {args.out}")
    print(f"the fork has months 0 to {child.turn} of its parent and {child.max_turns - child.turn} to play on its "
          f"own stream (human seats: {', '.join(child.human) or 'none'})")
    return 0
