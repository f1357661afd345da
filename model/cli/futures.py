"""`wargame futures EXPORT.json`: N futures of a game from one of its months, optionally with a seat's orders for the
coming month, or two order sets compared on paired seeds (model.experiments.futures: the API's functions)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from model.cli.checks import check_out_dir

NAME = "futures"
HELP = "fan charts, base odds and bloc changes of N futures of an exported game; two moves compared"
DESCRIPTION = (
    "Replay the game of EXPORT.json (as the web page exports it) to month --turn (default: the last played) and "
    "play N futures of M months from there, human seats played by their actor's AI policy. Prints the spread of "
    "the headline indicators at the horizon, each base's likely controller and the actors likely to change side; "
    "--out DIR writes summary.json (everything: fans, base odds, control shares, bloc changes) and fans.csv. "
    "--seat ACTOR --orders ORDERS makes the seat give those orders in the coming month; --compare A B plays two "
    "order sets for the seat on the same (paired) seeds and prints every outcome under A and B with the difference "
    "A - B and its 95% interval (--out: compare.json and outcomes.csv). ORDERS is a JSON list such as "
    "'[{\"kind\": \"engage\", \"target\": \"USA\"}]' ('[]' = hold) or a JSON/YAML file holding one (or "
    "{orders: [...]}); --list-orders prints the seat's feasible orders. The futures' seeds come from the game's seed "
    "and month, so the same command gives the same futures.")
SHOWN = ("russia_bases_held", "syria_alignment", "russia_isolation", "kurdish_conflict", "us_engagement")
ORDERS_KEYS = ("orders", "actor", "seat")     # what an orders file that is a mapping may hold


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("export", metavar="EXPORT.json", type=Path, help="a game's export (GET /api/games/<id>/export)")
    p.add_argument("--turn", type=int, default=None, help="month to start from (default: the last played)")
    p.add_argument("--n", type=int, default=None, help="number of futures (per order set with --compare; default 200)")
    p.add_argument("--months", type=int, default=None, help="months each future plays (default 12)")
    p.add_argument("--relation", dest="relations", action="append", default=None, metavar="A.B",
                   help="a relation to draw beside the headline indicators, e.g. RUS.SYR (repeatable)")
    p.add_argument("--seat", default=None, metavar="ACTOR",
                   help="the seat whose orders --orders / --compare give (default: the game's only human seat)")
    p.add_argument("--orders", default=None, metavar="ORDERS",
                   help="the seat's orders for the coming month: a JSON list or a JSON/YAML file ('[]' = hold)")
    p.add_argument("--compare", nargs=2, default=None, metavar=("A", "B"),
                   help="two order sets for the seat (each as --orders), compared on paired seeds")
    p.add_argument("--all", action="store_true",
                   help="with --compare: print every outcome, also those the same under both moves in every future")
    p.add_argument("--list-orders", action="store_true",
                   help="print the seat's feasible orders for the coming month (as JSON lines) and stop")
    p.add_argument("--workers", type=int, default=1, help="local processes, this one included (default 1)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="write the results to DIR (a new or empty folder, unless --force)")
    p.add_argument("--force", action="store_true", help="write into --out even if it holds other files")
    p.add_argument("--json", action="store_true", help="print the summary (or the comparison) as JSON")


# ---------------------------------------------------------------------------------------------- orders input
class OrdersSource:
    """Where one order set came from, to name it in errors: a file (with the line of each order) or an option."""

    def __init__(self, option: str, text: str) -> None:
        self.option, self.text = option, text
        self.file: str | None = None
        self.lines: dict[tuple, tuple[str, int]] = {}
        self.prefix: tuple = ()      # the orders' path inside the file: () for a list, ("orders",) in a mapping
        self.seat: str | None = None

    def read(self) -> list[Any]:
        """The order list (not yet checked against the game): inline JSON, or a JSON/YAML file."""
        from model.config.errors import UserError

        if self.text.lstrip().startswith(("[", "{")):
            from model.config.loading import parse_json

            data = parse_json(self.text, field=self.option, hint="; give a JSON list of orders or a file")
        else:
            from model.config.loading import read_yaml

            path = Path(self.text)
            if not path.exists():
                raise UserError(f"no such file: {self.text} (give a JSON list of orders, such as "
                                "'[{\"kind\": \"engage\", \"target\": \"USA\"}]', or a file)", field=self.option)
            self.file = str(path)
            data, self.lines = read_yaml(path, lists=True)
        if isinstance(data, dict):
            unknown = [k for k in data if k not in ORDERS_KEYS]
            if unknown or "orders" not in data:
                raise self.error(f"expected a list of orders or a mapping with `orders` (and optionally `seat`); "
                                 f"got the keys {', '.join(map(str, data))}", ())
            seat = data.get("seat", data.get("actor"))
            if seat is not None and not isinstance(seat, str):
                raise self.error(f"expected an actor id, got {seat!r}", ("seat" if "seat" in data else "actor",))
            self.seat, self.prefix, data = seat, ("orders",), data["orders"]
        if not isinstance(data, list):
            raise self.error(f"expected a list of orders, got {type(data).__name__}", ())
        return data

    def error(self, message: str, path: tuple, shown: tuple | None = None) -> Exception:
        """A UserError at `path` inside this source: FILE:LINE: field, or the option's name then the field
        (`shown`, default `path`)."""
        from model.config.errors import UserError

        dotted = ".".join(str(p) for p in (path if shown is None else shown)) or None
        if self.file is None:
            return UserError(message, file=self.option, field=dotted)
        line = None
        for k in range(len(path), -1, -1):
            if path[:k] in self.lines:
                line = self.lines[path[:k]][1]
                break
        return UserError(message, file=self.file, line=line, field=dotted)

    def bad_order(self, exc: Any, arm_field: str) -> Exception:
        """The model's error on `arm_field`.<n>... (orders, orders_a, orders_b) as an error of this source."""
        rest = (exc.field or "")[len(arm_field):].lstrip(".")
        path = tuple(int(p) if p.isdigit() else p for p in rest.split(".") if p)
        if self.file is not None:
            return self.error(exc.message, self.prefix + path, ("orders", *path))
        return self.error(exc.message, ("orders", *path))


def _seat(m: Any, given: str | None, sources: list[OrdersSource]) -> str:
    from model.config.errors import UserError

    actors = m.scenario.actors
    named = {s.seat for s in sources if s.seat is not None}
    if given is None and len(named) == 1:
        given = named.pop()
    if given is None:
        if len(m.human) != 1:
            raise UserError(f"name the seat whose orders these are (human seats: {', '.join(m.human) or 'none'}; "
                            f"actors: {', '.join(actors)})", field="--seat")
        given = m.human[0]
    if given not in actors:
        raise UserError(f"unknown actor {given!r}; expected one of {', '.join(actors)}", field="--seat")
    for s in sources:
        if s.seat is not None and s.seat != given:
            raise s.error(f"these are {s.seat}'s orders, but the seat is {given}",
                          ("seat",) if s.file is not None else ())
    return given


def describe(order: dict[str, Any]) -> str:
    """'engage target=USA' for an order mapping."""
    return " ".join([str(order.get("kind", "?")), *(f"{k}={v}" for k, v in order.items() if k != "kind")])


def describe_all(orders: list[dict[str, Any]] | None) -> str:
    return "; ".join(describe(o) for o in orders) if orders else "hold (no orders)"


# ------------------------------------------------------------------------------------------------- running
def run(args: argparse.Namespace) -> int:
    from model.cli.output import print_json
    from model.config import limits
    from model.config.errors import UserError

    n = limits.DEFAULT_FUTURES if args.n is None else args.n
    months = limits.DEFAULT_FUTURE_MONTHS if args.months is None else args.months
    limits.check_count("futures", n, field="--n")
    limits.check_count("future_months", months, field="--months")
    if args.workers < 1:
        raise UserError(f"must be at least 1, got {args.workers}", field="--workers")
    if args.compare is not None and args.orders is not None:
        raise UserError("give either --orders (one order set) or --compare A B (two), not both", field="--compare")
    if args.out is not None:
        check_out_dir(args.out, force=args.force)
    sources = ([OrdersSource("--compare A", args.compare[0]), OrdersSource("--compare B", args.compare[1])]
               if args.compare is not None else [OrdersSource("--orders", args.orders)] if args.orders is not None
               else [])
    given = [s.read() for s in sources]
    from model.sim.fork import read_export

    data = read_export(args.export)
    from model.sim.model import WargameModel

    m = _call(args, None, lambda: WargameModel.from_export(data, args.turn))
    if args.seat is not None and not (sources or args.list_orders):
        raise UserError("names the seat of --orders, --compare or --list-orders; give one of them", field="--seat")
    seat = _seat(m, args.seat, sources) if sources or args.list_orders else None
    if seat is not None and args.list_orders:
        return _list_orders(m, seat)
    if seat is not None and args.compare is not None:
        return _compare(args, m, seat, given, sources, n, months)
    from model.experiments.futures import run_futures

    futures = _call(args, sources[0] if sources else None, lambda: run_futures(
        m, n=n, months=months, seat=seat, orders=given[0] if given else None, relations=args.relations,
        workers=args.workers))
    summary = futures.summary()
    if args.out is not None:
        _write(summary, args.out)
    if args.json:
        print_json(summary)
        return 0
    print(f"{n} futures of {months} months from {summary['dates'][0]} (month {m.turn}) to {summary['dates'][-1]}")
    if summary["note"]:
        print(summary["note"])
    if summary["orders"] is not None:
        print(f"{summary['seat']} gives in {summary['dates'][1]}: {describe_all(summary['orders'])}")
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


def _call(args: argparse.Namespace, source: OrdersSource | None, fn: Any, arms: dict[str, OrdersSource] | None = None
          ) -> Any:
    """fn() with the model's errors renamed to the command line's options (a bad order named in its source)."""
    from model.config.errors import UserError

    try:
        return fn()
    except UserError as exc:
        f = exc.field or ""
        for arm_field, src in (arms or ({"orders": source} if source is not None else {})).items():
            if f == arm_field or f.startswith(arm_field + "."):
                raise src.bad_order(exc, arm_field) from None
        field = {"turn": "--turn", "n": "--n", "months": "--months", "seat": "--seat"}.get(f, exc.field)
        if field and field.startswith("relations"):
            field = "--relation"
        raise UserError(exc.message, file=exc.file or (None if field and field.startswith("--") else
                                                       str(args.export)), line=exc.line, field=field) from None


def _list_orders(m: Any, seat: str) -> int:
    menu = m.feasible_orders(seat)
    points = m.agent(seat).action_points
    print(f"# {seat}'s feasible orders for month {m.turn + 1} ({points} action points): one JSON order a line "
          "with its cost and the AI's expected gain")
    for f in menu:
        print(json.dumps(f["order"], separators=(", ", ": ")) + f"   # cost {f['cost']}, gain {f['gain']:+.3f}")
    return 0


def _compare(args: argparse.Namespace, m: Any, seat: str, given: list[list[Any]], sources: list[OrdersSource],
             n: int, months: int) -> int:
    from model.cli.output import print_json
    from model.experiments.futures import compare_moves

    result = _call(args, None, lambda: compare_moves(m, seat, given[0], given[1], n, months,
                                                     relations=args.relations, workers=args.workers),
                   arms={"orders_a": sources[0], "orders_b": sources[1]})
    if args.out is not None:
        _write_compare(result, args.out)
    if args.json:
        print_json(result)
        return 0
    dates = result["dates"]
    print(f"two moves for {seat} in {dates[1]} (from month {m.turn}), {n} paired futures of {months} months each, "
          f"to {dates[-1]}")
    if result["note"]:
        print(result["note"])
    print(f"A: {describe_all(result['a']['orders'])}")
    print(f"B: {describe_all(result['b']['orders'])}")
    rows = result["outcomes"]
    shown = rows if args.all else [r for r in rows if not same(r)]
    width = max([len(r["name"]) for r in shown] + [7])
    print(f"{'outcome':<{width}}  {'A':>8}  {'B':>8}  {'A - B':>8}  95% interval")
    for binary in (True, False):
        for r in sorted((r for r in shown if r["binary"] == binary), key=lambda r: -abs(r["difference"])):
            mark = " *" if r["low"] > 0 or r["high"] < 0 else ""
            print(f"{r['name']:<{width}}  {r['a']:8.3f}  {r['b']:8.3f}  {r['difference']:+8.3f}  "
                  f"[{r['low']:+.3f}, {r['high']:+.3f}]{mark}")
    left = len(rows) - len(shown)
    print(f"* the interval excludes 0. {left} outcome{'s' if left != 1 else ''} the same under both moves in every "
          "future left out (--json lists all)" if left else "* the interval excludes 0")
    if args.out is not None:
        print(f"files in {args.out}")
    return 0


def same(row: dict[str, Any]) -> bool:
    """An outcome both moves give alike in every paired future (compare_moves' `same`)."""
    return bool(row["same"])


def _write(summary: dict, out: Path) -> None:
    import csv

    def write() -> None:
        (out / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False, allow_nan=False),
                                          encoding="utf-8")
        with open(out / "fans.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            stats = [f"p{p}" for p in summary["percentiles"]] + ["mean"]
            w.writerow(["indicator", "month", "date", *stats])
            for name, fan in summary["fans"].items():
                for t, date in enumerate(summary["dates"]):
                    w.writerow([name, t, date, *(fan[s][t] for s in stats)])

    _writing(out, write)


def _write_compare(result: dict, out: Path) -> None:
    import csv

    def write() -> None:
        (out / "compare.json").write_text(json.dumps(result, indent=1, ensure_ascii=False, allow_nan=False),
                                          encoding="utf-8")
        with open(out / "outcomes.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            keys = ["name", "description", "binary", "a", "b", "difference", "low", "high", "method", "n"]
            w.writerow(keys)
            for r in result["outcomes"]:
                w.writerow([r.get(k, "") for k in keys])

    _writing(out, write)


def _writing(out: Path, write: Any) -> None:
    from model.config.errors import UserError

    try:
        out.mkdir(parents=True, exist_ok=True)
        write()
    except OSError as exc:
        raise UserError(f"cannot write results: {exc.strerror or exc}", file=str(out)) from None
