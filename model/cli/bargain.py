"""`wargame bargain FILE`: run the expected-utility bargaining model on one issue and print every round."""
from __future__ import annotations

import argparse
import csv
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from model.config.errors import UserError
from model.theory.defaults import DEFAULT_ROUNDS

if TYPE_CHECKING:  # numpy, yaml and the engine are imported where they are used: building the parser stays cheap
    import yaml

    from model.theory.bargaining import Issue, RoundResult

NAME = "bargain"
HELP = "forecast one issue with Bueno de Mesquita's expected-utility bargaining model"
DESCRIPTION = (
    "Run Bueno de Mesquita's expected-utility model (as reconstructed by Scholz, Calbert & Smith 2011) on one "
    "issue and print each round: positions, the weighted mean, the median-voter position, risk exponents and "
    "the offers made. FILE is CSV with the header actor,capability,position,salience (lines starting with # "
    "are comments) or YAML: a list of mappings with those fields, or a mapping with `actors:` and an optional "
    "`scale: [lo, hi]` (default [0, 100]). Salience is 0..1, or 0..100 when any value exceeds 1. Round 0 is "
    "the input state; the offers accepted in round k give the positions of round k + 1."
)
FIELDS = ("actor", "capability", "position", "salience")
MAX_ROUNDS = 10_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="actors as CSV or YAML (see above)")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, metavar="N",
                        help=f"rounds of bargaining after the input state (default {DEFAULT_ROUNDS})")
    parser.add_argument("--scale", type=float, nargs=2, metavar=("LO", "HI"), default=None,
                        help="the position scale, overriding the file's (default 0 100)")
    parser.add_argument("--json", action="store_true", help="print the rounds as JSON")


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.rounds <= MAX_ROUNDS:
        raise UserError(f"must be between 0 and {MAX_ROUNDS}, got {args.rounds}", field="--rounds")
    import numpy as np

    from model.cli.output import print_result

    with np.errstate(all="ignore"):      # an overflow is reported below as one error, not as numpy's warnings
        issue = load_issue(args.file, scale=tuple(args.scale) if args.scale else None)
        results = issue.simulate(args.rounds)
    print_result(to_json(issue, results), lambda: to_text(issue, results), args.json, args.file)
    return 0


# ----------------------------------------------------------------------------------------------- reading files
def load_issue(path: str, *, scale: tuple[float, float] | None = None) -> Issue:
    """Read and validate an issue file; every mistake is a UserError naming the file, line and field."""
    from model.theory.bargaining import DEFAULT_SCALE

    p = Path(path)
    if not p.exists():
        raise UserError("no such file", file=path)
    if not p.is_file():
        raise UserError("not a regular file", file=path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UserError("not a UTF-8 text file", file=path) from None
    except OSError as exc:
        raise UserError(f"cannot read the file: {exc.strerror or exc}", file=path) from None
    if not text.strip():
        raise UserError("file is empty", file=path)
    if p.suffix.lower() in (".yaml", ".yml"):
        try:
            rows, file_scale = _read_yaml(text, path)
        except RecursionError:          # PyYAML's composer recurses: the configs' loader names the depth
            from model.config.loading import read_yaml_text

            read_yaml_text(text, path, lists=True)
            raise UserError("invalid YAML: nested too deeply", file=path) from None
    else:
        rows, file_scale = _read_csv(text, path), None
    if scale is not None:
        lo, hi = _scale(list(scale), None, path, "--scale")
    elif file_scale is not None:
        lo, hi = _scale(*file_scale, path, "scale")
    else:
        lo, hi = DEFAULT_SCALE
    return _build(rows, (lo, hi), path)


Row = tuple[int, dict[str, tuple[Any, int]]]  # (line of the actor, field -> (raw value, line))


def _read_csv(text: str, path: str) -> list[Row]:
    # Comment lines become blank lines, so csv's line numbers still match the file.
    lines = ["" if line.lstrip().startswith("#") else line for line in text.splitlines(keepends=True)]
    reader = csv.reader(io.StringIO("".join(lines)))
    header: list[str] | None = None
    header_line = 0
    rows: list[Row] = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header, header_line = [cell.strip().lower() for cell in record], line
            _check_columns(header, path, line)
            continue
        if len(record) != len(header):
            raise UserError(f"expected {len(header)} values ({','.join(header)}), got {len(record)}",
                            file=path, line=line)
        rows.append((line, {name: (cell.strip(), line) for name, cell in zip(header, record, strict=True)}))
    if header is None:
        raise UserError("file is empty", file=path)
    if not rows:
        raise UserError("no actors after the header; need at least two", file=path, line=header_line)
    return rows


def _check_columns(header: list[str], path: str, line: int) -> None:
    expected = ",".join(FIELDS)
    for name in header:
        if header.count(name) > 1:
            raise UserError(f"column appears twice (expected header {expected})", file=path, line=line, field=name)
        if name not in FIELDS:
            raise UserError(f"unknown column (expected header {expected})", file=path, line=line, field=name)
    for name in FIELDS:
        if name not in header:
            raise UserError(f"missing column (expected header {expected})", file=path, line=line, field=name)


def _read_yaml(text: str, path: str) -> tuple[list[Row], tuple[Any, int] | None]:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # safe loading only; nodes carry line numbers
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise UserError(f"invalid YAML: {getattr(exc, 'problem', None) or exc}", file=path,
                        line=mark.line + 1 if mark else None) from None
    if root is None:
        raise UserError("file is empty", file=path)
    constructor = yaml.SafeLoader("")
    scale = None
    actors = root
    if isinstance(root, yaml.MappingNode):
        listed: yaml.Node | None = None
        for key, value in root.value:
            name = str(key.value)
            if name == "actors":
                listed = value
            elif name == "scale":
                scale = (_construct(constructor, value, path, name), _line(value))
            else:
                raise UserError("unknown key (expected actors and an optional scale)", file=path,
                                line=_line(key), field=name)
        if listed is None:
            raise UserError("missing the actors list", file=path, line=_line(root), field="actors")
        actors = listed
    if not isinstance(actors, yaml.SequenceNode):
        raise UserError("expected a list of actors (or a mapping with `actors:`)", file=path, line=_line(actors),
                        field="actors")
    rows: list[Row] = []
    for item in actors.value:
        if not isinstance(item, yaml.MappingNode):
            raise UserError(f"each actor must be a mapping with {', '.join(FIELDS)}", file=path, line=_line(item))
        fields: dict[str, tuple[Any, int]] = {}
        for key, value in item.value:
            name = str(key.value).strip().lower()
            if name not in FIELDS:
                raise UserError(f"unknown field (expected {', '.join(FIELDS)})", file=path, line=_line(key),
                                field=name)
            if name in fields:
                raise UserError("field appears twice", file=path, line=_line(key), field=name)
            fields[name] = (_construct(constructor, value, path, name), _line(value))
        for name in FIELDS:
            if name not in fields:
                raise UserError("missing field", file=path, line=_line(item), field=name)
        rows.append((_line(item), fields))
    return rows, scale


def _construct(constructor: yaml.SafeLoader, node: yaml.Node, path: str, field: str) -> Any:
    import yaml

    try:
        return constructor.construct_object(node, deep=True)
    except yaml.YAMLError as exc:  # e.g. a !!python tag, which safe loading refuses
        raise UserError(f"invalid YAML value: {getattr(exc, 'problem', None) or exc}", file=path, line=_line(node),
                        field=field) from None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _number(value: Any, line: int | None, path: str, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise UserError(f"expected a number, got {value!r}", file=path, line=line, field=field)
    try:
        number = float(value)
    except ValueError:
        raise UserError(f"expected a number, got {value!r}", file=path, line=line, field=field) from None
    if not math.isfinite(number):
        raise UserError(f"expected a finite number, got {value!r}", file=path, line=line, field=field)
    return number


def _scale(value: Any, line: int | None, path: str, field: str) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise UserError(f"expected [lo, hi], got {value!r}", file=path, line=line, field=field)
    lo, hi = (_number(v, line, path, field) for v in value)
    if not lo < hi:
        raise UserError(f"lo must be below hi, got [{lo:g}, {hi:g}]", file=path, line=line, field=field)
    return lo, hi


def _build(rows: list[Row], scale: tuple[float, float], path: str) -> Issue:
    import numpy as np

    from model.theory.bargaining import Issue

    lo, hi = scale
    names: list[str] = []
    first_line: dict[str, int] = {}
    c, x, s = [], [], []
    for _line, fields in rows:
        raw, at = fields["actor"]
        if raw is None or isinstance(raw, (list, dict)) or not str(raw).strip():
            raise UserError("actor name is missing", file=path, line=at, field="actor")
        name = str(raw).strip()
        if name in first_line:
            raise UserError(f"duplicate actor {name!r} (first on line {first_line[name]})", file=path, line=at,
                            field="actor")
        first_line[name] = at
        names.append(name)
        cap = _number(*fields["capability"], path, "capability")
        if cap < 0:
            raise UserError(f"must be >= 0, got {cap:g}", file=path, line=fields["capability"][1], field="capability")
        pos = _number(*fields["position"], path, "position")
        if not lo <= pos <= hi:
            raise UserError(f"{pos:g} is outside the scale [{lo:g}, {hi:g}]", file=path,
                            line=fields["position"][1], field="position")
        sal = _number(*fields["salience"], path, "salience")
        if not 0 <= sal <= 100:
            raise UserError(f"must be in 0..1 (or 0..100), got {sal:g}", file=path, line=fields["salience"][1],
                            field="salience")
        c.append(cap)
        x.append(pos)
        s.append(sal)
    if len(names) < 2:
        raise UserError(f"need at least two actors, found {len(names)}", file=path)
    if not np.dot(c, s) > 0:
        raise UserError("every actor has zero capability or zero salience; nobody can bargain", file=path)
    return Issue(tuple(names), np.array(c), np.array(x), np.array(s), (lo, hi))


# ----------------------------------------------------------------------------------------------- output
def to_json(issue: Issue, results: list[RoundResult]) -> dict:
    """The --json document: {"rounds": [{"round", "mean", "median", "positions", "risk", "offers"}, ...]}."""
    names = issue.names
    return {"rounds": [{
        "round": k,
        "mean": r.mean,
        "median": r.median,
        "positions": {n: float(v) for n, v in zip(names, r.positions, strict=True)},
        "risk": {n: float(v) for n, v in zip(names, r.risk, strict=True)},
        "offers": [{"from": names[o.sender], "to": names[o.receiver], "kind": o.kind, "position": o.position,
                    "accepted": o.accepted} for o in r.offers],
    } for k, r in enumerate(results)]}


def to_text(issue: Issue, results: list[RoundResult]) -> str:
    """A readable table per round: each actor's position, risk exponent and the offer it accepts."""
    from model.theory.bargaining import KINDS

    names = issue.names
    width = max(5, *(len(n) for n in names))
    out: list[str] = []
    for k, r in enumerate(results):
        out.append(f"Round {k}: mean {r.mean:.3f}, median {r.median:.3f}, {len(r.offers)} offers")
        out.append(f"  {'actor':<{width}}  {'position':>9}  {'risk':>5}  accepts")
        for i, name in enumerate(names):
            j = int(r.accepted[i])
            accepts = "-" if j < 0 else (f"{KINDS[int(r.offer_kind[i, j])]} from {names[j]} -> "
                                         f"{r.offer_position[i, j]:.3f}")
            out.append(f"  {name:<{width}}  {r.positions[i]:9.3f}  {r.risk[i]:5.3f}  {accepts}")
        out.append("")
    return "\n".join(out).rstrip("\n")

