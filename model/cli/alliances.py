"""`wargame alliances FILE [--blocs K]`: the Axelrod-Bennett landscape of an alliance input file.

FILE is YAML (read with safe loading only)::

    sizes:          {RUS: 3.0, SYR: 1.0, TUR: 2.5}   # name -> size, > 0; order sets "first-listed"
    propensities:   {RUS-SYR: 1, RUS-TUR: -0.5}      # "A-B" -> propensity; pairs not given are 0

Propensities have no range limit: the theory is scale-free (multiplying every propensity, or every size, by
the same positive number leaves the minima and basins unchanged), so any finite number is accepted.

With the default two blocs and nobody outside, the output is the paper's two sides (`model.theory.alliances`),
unchanged. `--blocs K` (K != 2), `--abstain` or `--outside` use the k-bloc landscape (`model.theory.blocs`):
up to K blocs, actors who may stand outside, actors fixed outside; the table then lists blocs and outsiders.
A scenario config gives the propensities of its structural drivers at the start (model.sim.alignment), and with
K != 2 and neither option given, its own `alignment.outside` and `may_abstain`: the landscape the model starts in.
"""
from __future__ import annotations

import argparse
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from model.cli.options import add_config_dir, scenario_dirs
from model.config.errors import UserError
from model.theory.defaults import DEFAULT_SAMPLES, DEFAULT_SEED, MAX_SAMPLES

if TYPE_CHECKING:  # numpy and yaml are imported where they are used: building the parser stays cheap
    import numpy as np
    import yaml

    from model.theory.alliances import Landscape

NAME = "alliances"
HELP = "find the alliance configurations of landscape theory (Axelrod & Bennett 1993)"
DESCRIPTION = (
    "Enumerate every split of the actors into two sides (or, with --blocs K, into up to K blocs), and list the "
    "local minima of the energy landscape (configurations no single actor wants to leave) with their energy and "
    "basin of attraction. FILE is YAML with 'sizes: {name: number}' and 'propensities: {\"A-B\": number}' "
    "(pairs not given are 0), or a scenario config."
)
DEFAULT_BLOCS = 2  # the paper's two sides: the output of the two-bloc engine, unchanged
NAME_SEPARATOR = ","
PAIR_SEPARATOR = "-"
SECTIONS = ("sizes", "propensities")
ENERGY_DIGITS = 12  # significant digits kept in --json output (drops float noise such as ...0000004)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="YAML file with sizes and propensities")
    parser.add_argument("--json", action="store_true", help="print the minima as JSON")
    parser.add_argument("--blocs", type=int, default=DEFAULT_BLOCS, metavar="K",
                        help=f"at most K blocs (default {DEFAULT_BLOCS}, the paper's two sides)")
    parser.add_argument("--abstain", default="", metavar="NAMES",
                        help="comma-separated actors who may stand outside every bloc (with --blocs K != 2 on a "
                             "scenario and neither option given: the scenario's alignment.may_abstain)")
    parser.add_argument("--outside", default="", metavar="NAMES",
                        help="comma-separated actors fixed outside every bloc (with --blocs K != 2 on a scenario "
                             "and neither option given: the scenario's alignment.outside)")
    parser.add_argument("--samples", type=int, default=DEFAULT_SAMPLES,
                        help="starting configurations sampled when there are too many to enumerate (two sides: "
                             f"above 20 actors; K blocs: above 2^22 configurations) (default {DEFAULT_SAMPLES})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"seed for the sampled starting configurations (default {DEFAULT_SEED})")
    add_config_dir(parser)


def run(args: argparse.Namespace) -> int:
    from model.cli.checks import check_seed
    from model.theory.alliances import landscape

    if not 1 <= args.samples <= MAX_SAMPLES:
        raise UserError(f"must be between 1 and {MAX_SAMPLES:,}, got {args.samples}", field="--samples")
    check_seed(args.seed)
    data = read_alliance_file(args.file, search_dirs=scenario_dirs(args))
    names, sizes, propensities = data.names, data.sizes, data.propensities
    abstain, outside = _actors(args.abstain, names, "--abstain"), _actors(args.outside, names, "--outside")
    if args.blocs != DEFAULT_BLOCS and not abstain and not outside:   # a scenario's own outsiders and abstainers
        abstain, outside = list(data.abstain), list(data.outside)
    import numpy as np

    from model.cli.output import print_result

    if args.blocs == DEFAULT_BLOCS and not abstain and not outside:
        with np.errstate(all="ignore"):  # an overflow is reported as one error, not as numpy's warnings
            result = landscape(sizes, propensities, names, samples=args.samples, seed=args.seed)
        print_result(as_json(result), lambda: format_table(result), args.json, args.file)
        return 0
    from model.theory.blocs import MAX_BLOCS
    from model.theory.blocs_landscape import bloc_landscape

    if not 1 <= args.blocs <= MAX_BLOCS:
        raise UserError(f"must be from 1 to {MAX_BLOCS}, got {args.blocs}", field="--blocs")
    if both := sorted(set(abstain) & set(outside), key=names.index):
        raise UserError(f"{', '.join(both)} given in both --abstain and --outside", field="--outside")
    with np.errstate(all="ignore"):
        blocs = bloc_landscape(sizes, propensities, names, blocs=args.blocs, abstain=abstain, outside=outside,
                               samples=args.samples, seed=args.seed)
    print_result(blocs_json(blocs), lambda: blocs_table(blocs), args.json, args.file)
    return 0


def _actors(text: str, names: list[str], field: str) -> list[str]:
    """Comma-separated actor names, each one known."""
    chosen = [part.strip() for part in text.split(NAME_SEPARATOR) if part.strip()]
    for name in chosen:
        if name not in names:
            raise UserError(f"unknown actor {name!r} (actors: {', '.join(names)})", field=field)
    return chosen


def as_json(result: Landscape) -> dict[str, Any]:
    """The documented --json shape, minima lowest energy first, the first-listed actor's side first."""
    return {"n_configurations": result.n_configurations,
            "minima": [{"sides": [list(m.sides[0]), list(m.sides[1])],
                        "energy": float(f"{m.energy:.{ENERGY_DIGITS}g}") + 0.0, "basin": m.basin}
                       for m in result.minima]}


def format_table(result: Landscape) -> str:
    """A readable table: rank, energy, basin %, side A, side B."""
    how = (f"all {result.n_configurations} configurations enumerated" if result.exact else
           f"{result.samples} sampled starting configurations of {result.n_configurations} (approximate)")
    rows = [("rank", "energy", "basin %", "side A", "side B")]
    rows += [(str(r), f"{m.energy:.6g}", f"{100 * m.basin:.2f}", ", ".join(m.sides[0]) or "-",
              ", ".join(m.sides[1]) or "-") for r, m in enumerate(result.minima, 1)]
    widths = [max(len(row[c]) for row in rows) for c in range(5)]
    lines = [f"{len(result.names)} actors, {how}; {len(result.minima)} local minima (lowest energy first)"]
    for row in rows:
        cells = [row[c].rjust(widths[c]) if c < 3 else row[c].ljust(widths[c]) for c in range(5)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def blocs_json(result: Any) -> dict[str, Any]:
    """--json for K blocs: minima lowest energy first, blocs in the order of their first-listed member."""
    return {"n_configurations": result.n_configurations, "blocs": result.blocs, "exact": result.exact,
            "samples": result.samples,
            "minima": [{"blocs": [list(b) for b in m.blocs], "outside": list(m.outside),
                        "energy": float(f"{m.energy:.{ENERGY_DIGITS}g}") + 0.0, "basin": m.basin}
                       for m in result.minima]}


def blocs_table(result: Any) -> str:
    """A readable table for K blocs: rank, energy, basin %, one column per bloc, the outsiders."""
    how = (f"all {result.n_configurations} configurations enumerated" if result.exact else
           f"{result.samples} sampled starting configurations of {result.n_configurations} (approximate)")
    columns = max((len(m.blocs) for m in result.minima), default=1)
    outside = any(m.outside for m in result.minima)
    header = ["rank", "energy", "basin %"] + [f"bloc {c + 1}" for c in range(columns)] + (["outside"] * outside)
    rows = [header]
    for r, m in enumerate(result.minima, 1):
        members = [", ".join(b) for b in m.blocs] + ["-"] * (columns - len(m.blocs))
        rows.append([str(r), f"{m.energy:.6g}", f"{100 * m.basin:.2f}"] + members +
                    ([", ".join(m.outside) or "-"] * outside))
    widths = [max(len(row[c]) for row in rows) for c in range(len(header))]
    blocs = f"at most {result.blocs} bloc{'s' if result.blocs != 1 else ''}"
    lines = [f"{len(result.names)} actors, {blocs}, {how}; {len(result.minima)} local minima (lowest energy first)"]
    for row in rows:
        lines.append("  ".join(cell.rjust(widths[c]) if c < 3 else cell.ljust(widths[c])
                               for c, cell in enumerate(row)).rstrip())
    return "\n".join(lines)


@dataclass(frozen=True)
class AllianceInput:
    """What FILE gives: actors, sizes, propensities, and (from a scenario) who stands outside or may abstain."""
    names: list[str]
    sizes: np.ndarray
    propensities: np.ndarray
    outside: tuple[str, ...] = ()
    abstain: tuple[str, ...] = ()


def _from_scenario(path: Path, search_dirs: Sequence[Path] = ()) -> AllianceInput:
    """A scenario config: actor sizes from capabilities (the model's size weights), propensities from the
    scenario's structural drivers at the start (`alignment:`, model.sim.alignment), as the model's first month
    sees them, and its alignment.outside and may_abstain."""
    import numpy as np

    from model.config.scenario import load_scenario
    from model.sim import bases, territory
    from model.sim.alignment import basing_ties, driver_matrices, propensities
    from model.sim.world import from_scenario

    sc = load_scenario(path, search_dirs=search_dirs)
    w = from_scenario(sc)
    territory.init_territory(w, sc)       # the hosts of the bases come from control, as in the model's start
    bases.init_bases(w, sc)
    sw = sc.params.size_weights
    base_tie = np.array([sc.alignment.basing.get(b, 0.0) for b in w.bases])
    basing = basing_ties(base_tie, w.base_ctrl, w.base_host, w.held(), w.n)
    p = propensities(sc.alignment, driver_matrices(sc, w.actors), basing, w.rel)
    return AllianceInput(list(w.actors), w.sizes(np.array([sw.military, sw.economic, sw.diplomatic])), p,
                         tuple(sc.alignment.outside), tuple(sc.alignment.may_abstain))


def load_alliance_input(path: str | os.PathLike,
                        search_dirs: Sequence[Path] = ()) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Read FILE into (names, sizes, symmetric propensity matrix), or raise UserError with file/line/field.

    A scenario config (a mapping with `actors:` or `extends:`) is read as the model reads it: actor sizes from
    capabilities, the propensities of its structural drivers at the start; its `extends:` also looks in
    `search_dirs`.
    """
    data = read_alliance_file(path, search_dirs)
    return data.names, data.sizes, data.propensities


def read_alliance_file(path: str | os.PathLike, search_dirs: Sequence[Path] = ()) -> AllianceInput:
    """load_alliance_input, with a scenario's outsiders and abstainers (none for a sizes/propensities file)."""
    import yaml

    file = str(path)
    p = Path(path)
    if not p.exists() and (p.suffix in (".yaml", ".yml") or os.sep in file or "/" in file):
        raise UserError("file not found", file=file)
    if not p.exists():                  # a scenario name, as `run` takes it (shipped, then --config-dir folders)
        from model.config.errors import NameNotFound
        from model.config.scenario import find_scenario

        try:
            p = find_scenario(file, search_dirs)
        except NameNotFound as exc:
            raise UserError(f"file not found, nor a scenario of that name (known {exc.label}: "
                            f"{', '.join(exc.known)})", file=file) from None
        file = str(p)
    if not p.is_file():
        raise UserError("not a file", file=file)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read the file: {exc}", file=file) from None
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if isinstance(root, yaml.MappingNode) and {k.value for k, _ in root.value} & {"actors", "extends"}:
            return _from_scenario(p, search_dirs)
        return AllianceInput(*_read_document(loader, root, file))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise UserError(f"invalid YAML: {exc.problem or exc.context}", file=file,
                        line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise UserError(f"invalid YAML: {exc}", file=file) from None
    except RecursionError:              # PyYAML's composer recurses: the configs' loader names the depth
        from model.config.loading import read_yaml_text

        read_yaml_text(text, file, lists=True)
        raise UserError("invalid YAML: nested too deeply", file=file) from None
    finally:
        loader.dispose()


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _read_document(loader: yaml.SafeLoader, root: yaml.Node | None,
                   file: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    import yaml

    if root is None:
        raise UserError("the file is empty; expected 'sizes' and 'propensities'", file=file)
    if not isinstance(root, yaml.MappingNode):
        raise UserError("expected a mapping with 'sizes' and 'propensities'", file=file, line=_line(root))
    sections: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in root.value:
        key = loader.construct_object(key_node, deep=True)
        if key not in SECTIONS:
            raise UserError(f"unknown key {key!r}; expected 'sizes' and 'propensities'", file=file,
                            line=_line(key_node), field=str(key))
        if key in sections:
            raise UserError("given twice", file=file, line=_line(key_node), field=key)
        sections[key] = (key_node, value_node)
    for key in SECTIONS:
        if key not in sections:
            raise UserError(f"missing '{key}'", file=file, field=key)
    names, sizes = _read_sizes(loader, *sections["sizes"], file)
    return names, sizes, _read_propensities(loader, *sections["propensities"], names, file)


def _number(loader: yaml.SafeLoader, node: yaml.Node, file: str, field: str) -> float:
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
        raise UserError(f"expected a number, got {kind}", file=file, line=_line(node), field=field)
    value = loader.construct_object(node, deep=True)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UserError(f"expected a number, got {value!r}", file=file, line=_line(node), field=field)
    if not math.isfinite(value):
        raise UserError(f"expected a finite number, got {value!r}", file=file, line=_line(node), field=field)
    return float(value)


def _mapping(node: yaml.Node, file: str, field: str, what: str) -> list[tuple[yaml.Node, yaml.Node]]:
    import yaml

    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null" and field == "propensities":
        return []  # "propensities:" left empty: every pair is 0
    if not isinstance(node, yaml.MappingNode):
        raise UserError(f"expected a mapping of {what}", file=file, line=_line(node), field=field)
    return node.value


def _read_sizes(loader: yaml.SafeLoader, key_node: yaml.Node, node: yaml.Node,
                file: str) -> tuple[list[str], np.ndarray]:
    import numpy as np

    names: list[str] = []
    sizes: list[float] = []
    for name_node, value_node in _mapping(node, file, "sizes", "actor name to size"):
        name = loader.construct_object(name_node, deep=True)
        line = _line(name_node)
        if not isinstance(name, str) or not name.strip():
            raise UserError(f"an actor name must be text (quote it), got {name!r}", file=file, line=line,
                            field="sizes")
        if PAIR_SEPARATOR in name or name != name.strip():
            raise UserError(f"actor name {name!r} must not contain '{PAIR_SEPARATOR}' or surrounding spaces "
                            f"('{PAIR_SEPARATOR}' separates the two actors of a pair)", file=file, line=line,
                            field=f"sizes.{name}")
        if name in names:
            raise UserError("actor given twice", file=file, line=line, field=f"sizes.{name}")
        size = _number(loader, value_node, file, f"sizes.{name}")
        if size <= 0:
            raise UserError(f"a size must be positive, got {size:g}", file=file, line=_line(value_node),
                            field=f"sizes.{name}")
        names.append(name)
        sizes.append(size)
    if len(names) < 2:
        raise UserError(f"need at least two actors, found {len(names)}", file=file, line=_line(key_node),
                        field="sizes")
    return names, np.array(sizes)


def _read_propensities(loader: yaml.SafeLoader, key_node: yaml.Node, node: yaml.Node, names: list[str],
                       file: str) -> np.ndarray:
    import numpy as np

    index = {name: i for i, name in enumerate(names)}
    matrix = np.zeros((len(names), len(names)))
    seen: dict[frozenset[str], tuple[str, float, int]] = {}
    for pair_node, value_node in _mapping(node, file, "propensities", "'A-B' pairs to numbers"):
        key = loader.construct_object(pair_node, deep=True)
        line = _line(pair_node)
        field = f"propensities.{key}"
        parts = [part.strip() for part in key.split(PAIR_SEPARATOR)] if isinstance(key, str) else []
        if len(parts) != 2 or not all(parts):
            raise UserError(f"malformed pair {key!r}; expected 'A{PAIR_SEPARATOR}B' with two actor names",
                            file=file, line=line, field=field)
        for part in parts:
            if part not in index:
                raise UserError(f"unknown actor {part!r} (actors: {', '.join(names)})", file=file, line=line,
                                field=field)
        if parts[0] == parts[1]:
            raise UserError("a pair needs two different actors", file=file, line=line, field=field)
        value = _number(loader, value_node, file, field)
        pair = frozenset(parts)
        if pair in seen and seen[pair][1] != value:
            first, earlier, first_line = seen[pair]
            raise UserError(f"pair given twice with different values: {first!r} = {earlier:g} (line "
                            f"{first_line}) and {key!r} = {value:g}", file=file, line=line, field=field)
        seen[pair] = (key, value, line)
        i, j = index[parts[0]], index[parts[1]]
        matrix[i, j] = matrix[j, i] = value
    return matrix
