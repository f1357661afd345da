"""`wargame run`: play a scenario headless and print the story turn by turn, or write it to files."""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from model.cli.checks import check_out_dir, check_seed
from model.cli.options import add_config_dir, scenario_dirs

if TYPE_CHECKING:  # Mesa is imported only once the arguments are checked
    from model.sim.model import WargameModel

NAME = "run"
HELP = "play a scenario headless (AI policies for every actor)"
DESCRIPTION = ("Play SCENARIO (a path, or the name of a shipped scenario or of one in a --config-dir) for N turns "
               "and print a turn-by-turn summary. With --out DIR, write indicators.csv, indicators.parquet, "
               "events.jsonl, final_state.json and export.json (the game as the web page exports it: `wargame "
               "futures`, `fork` and `review` read it, and the game page imports it).")
KEY = ["russia_bases_held", "syria_alignment", "russia_isolation", "kurdish_conflict", "us_engagement"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", metavar="SCENARIO", help="scenario file or name, e.g. baseline-2025")
    p.add_argument("--turns", type=int, default=None, help="number of turns (default: the scenario's)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                   help="override a config value, e.g. --set actors.USA.policy.temperature=0.2 (repeatable)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="write result files to DIR (a new or empty folder, unless --force)")
    p.add_argument("--force", action="store_true", help="write into --out even if it holds other files")
    p.add_argument("--quiet", action="store_true", help="print only the final line")
    add_config_dir(p)


def run(args: argparse.Namespace) -> int:
    from model.config.errors import UserError
    from model.config.limits import MAX_TURNS
    from model.config.scenario import load_scenario

    if args.turns is not None and not 1 <= args.turns <= MAX_TURNS:
        raise UserError(f"must be between 1 and {MAX_TURNS}, got {args.turns}", field="--turns")
    check_seed(args.seed)
    if args.out is not None:
        check_out_dir(args.out, force=args.force)
    sc = load_scenario(args.scenario, overrides=args.overrides, search_dirs=scenario_dirs(args))
    from model.sim.model import WargameModel  # after the checks: a mistake is reported without loading Mesa

    m = WargameModel(sc, seed=args.seed, turns=args.turns)
    if not args.quiet:
        print(f"{sc.name} — seed {args.seed}, {m.max_turns} months: month 0 is {m.date(0)} (the start), "
              f"the last {m.date(m.max_turns)}")
        print(_line(m))
    while not m.done:
        m.step()
        if not args.quiet:
            print(_turn_summary(m))
    if args.out is not None:
        _write(m, args.out, Path(args.scenario).stem if args.scenario.endswith((".yaml", ".yml")) else args.scenario)
    if not args.quiet and sc.victory:
        print(_victory_line(m))
    last = m.last_record
    print(f"final ({m.date()}): " + ", ".join(f"{k}={_fmt(last[k])}" for k in KEY)
          + (f"; files in {args.out}" if args.out else ""))
    return 0


def _victory_line(m: WargameModel) -> str:
    """Who met its victory conditions (the scenario's `victory:`), or that no one did."""
    winners = m.state()["victory"]["winners"]
    names = [m.scenario.actors[a].name for a in winners]
    return f"victory: {', '.join(names)} met {'their' if len(names) > 1 else 'its'} victory conditions" if names \
        else "victory: no one met a victory condition"


def _fmt(v: Any) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def _line(m: WargameModel) -> str:
    r = m.last_record
    return f"month {r['turn']:>2} {r['date']}  " + "  ".join(f"{k}={_fmt(r[k])}" for k in KEY)


def _turn_summary(m: WargameModel) -> str:
    lines = [_line(m)]
    evs = [e for e in m.events() if e["turn"] == m.turn]
    rank = {"base_change": 0, "alliance_shift": 1, "issue": 2, "event": 3}
    main = sorted((e for e in evs if e["kind"] in rank), key=lambda e: rank[e["kind"]])
    other = [e for e in evs if e["kind"] not in rank]
    for e in main + other[: max(0, 4 - len(main))]:
        lines.append(f"    - {e['sentence']}")
    return "\n".join(lines)


RESULT_FILES = ("indicators.csv", "indicators.parquet", "events.jsonl", "final_state.json", "export.json")


def _write(m: WargameModel, out: Path, scenario_id: str) -> None:
    import shutil
    import tempfile

    from model.config.errors import UserError
    from model.config.files import write_atomic
    from model.sim.fork import to_export

    # every file is written into a fresh folder beside `out` first, then moved in: a write that fails (a full disk,
    # a folder in the way) leaves what `out` held before as it was, never a mix of this run's files and an older one's
    staging: Path | None = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        df = m.indicators()
        df.to_csv(staging / "indicators.csv", index=False)
        df.to_parquet(staging / "indicators.parquet", index=False)
        with open(staging / "events.jsonl", "w", encoding="utf-8") as f:
            for e in m.events():
                f.write(json.dumps(e, ensure_ascii=False) + "\n")
        write_atomic(staging / "final_state.json", json.dumps(m.state(), indent=1, ensure_ascii=False))
        write_atomic(staging / "export.json", json.dumps(to_export(m, scenario_id), ensure_ascii=False))
        if not out.exists():
            staging.rename(out)
            staging = None
            return
        for name in RESULT_FILES:            # (checked: nothing in the way of a move, before the first one)
            if (out / name).is_dir():
                raise IsADirectoryError(21, "Is a directory", str(out / name))
        for name in RESULT_FILES:
            os.replace(staging / name, out / name)
    except OSError as exc:
        raise UserError(f"cannot write results: {exc.strerror or exc}", file=str(out)) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
