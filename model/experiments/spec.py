"""Experiment specs: the YAML that states arms, a sweep, outcomes and hypotheses, checked before any run starts.

A spec is read with `model.config.loading` (safe YAML, line numbers, `extends:`) and validated with pydantic; then every
cross-reference is checked against the scenarios themselves, so a typo costs a second, not a night of runs:
an unknown arm, a parameter path the scenario does not have, a value the scenario refuses, an outcome on an
indicator the model does not record, a turn past the end. Every error is `file:line: field: message`.
"""
from __future__ import annotations

import difflib
import fnmatch
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from model.config import limits, locations
from model.config import loading as configio
from model.config.errors import NameNotFound, UserError, UserErrors, yaml_names
from model.config.experiment import (
    AGGREGATES,
    DEFAULT_ALPHA,
    RESERVED,
    Arm,
    ExperimentSpec,
    Hypothesis,
    Outcome,
    Range,
    Sweep,
    Uncertainty,
    grid_points,
    lhs_points,
    lhs_unit,
    sweep_points,
)
from model.config.loading import Uncertain
from model.config.scenario import (
    SCENARIO_DIR,
    Scenario,
    find_scenario,
    load_scenario,
    validate_scenario,
)

EXPERIMENT_DIR = locations.shipped_dir(locations.EXPERIMENTS)   # the shipped specs (package data)
__all__ = ["AGGREGATES", "Arm", "Cell", "DEFAULT_ALPHA", "EXPERIMENT_DIR", "Experiment", "ExperimentSpec",
           "Hypothesis", "Outcome", "RESERVED", "Range", "Sweep", "Uncertainty", "apply_overrides", "find_experiment",
           "grid_points", "indicator_columns", "lhs_points", "load_experiment", "resolve_scenario", "sweep_points"]


# ------------------------------------------------------------------------------------------------ the plan
@dataclass
class Cell:
    """One arm at one sweep point (and one input draw): `replications` runs share it."""
    index: int
    arm: str
    point: int
    params: dict[str, Any]                      # dotted path -> value set on the arm's scenario (sweep and draw)
    draw: int | None = None                     # the input draw (with `uncertainty:`)
    inputs: dict[str, Any] = field(default_factory=dict)   # every sampled input's value in this cell


@dataclass
class Experiment:
    """A validated spec with everything resolved: what the runner and the report need, and nothing else."""
    spec: ExperimentSpec
    path: str
    text: str
    turns: int
    arm_files: dict[str, str]
    arm_dumps: dict[str, dict]                  # each arm's scenario, validated, as a plain dict
    points: list[dict[str, Any]]                # sweep points (one empty point when there is no sweep)
    cells: list[Cell] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)   # indicator columns kept per turn
    lines: dict = field(default_factory=dict)
    common_seeds: bool = False                  # every cell runs the same seeds (see experiment_run.run_seeds)
    arm_ranges: dict[str, dict[str, Uncertain]] = field(default_factory=dict)   # each arm's ranged numbers
    inputs: list[str] = field(default_factory=list)    # the ranged numbers drawn (with `uncertainty:`), sorted
    draws: list[list[float]] = field(default_factory=list)   # the Latin hypercube: draws x inputs, in [0, 1)

    @property
    def replications(self) -> int:
        return self.spec.replications

    @property
    def param_names(self) -> list[str]:
        return list(self.points[0]) if self.points else []

    @property
    def n_draws(self) -> int:
        """Input draws per arm and sweep point (0: no `uncertainty:`, every run plays the scenario's values)."""
        return len(self.draws)


# ------------------------------------------------------------------------------------------- scenarios
def override_text(path: str, value: Any) -> str:
    import json
    return f"{path}={json.dumps(value)}"


def apply_overrides(dump: dict, items: Sequence[tuple[str, Any]], *, label: str = "--set",
                    ranges: dict[str, Uncertain] | None = None) -> Scenario:
    """A scenario dict with dotted values changed, through the one scenario check (the worker's path as well).

    `ranges`: the ranged numbers of the scenario the dump came from, which the overrides may fix or change."""
    return validate_scenario(dump, file=label, ranges=ranges, overrides=[
        (tuple(path.split(".")), value, f"{label} {override_text(path, value)}") for path, value in items])


def resolve_scenario(ref: str, spec_dir: Path, *, allow_paths: bool = True,
                     search_dirs: Sequence[Path] = ()) -> Path:
    """A scenario reference from a spec: a name in the scenario folders, or (if allowed) a file near the spec."""
    if allow_paths:
        p = Path(ref)
        if not p.is_absolute():
            for cand in (spec_dir / p, spec_dir / f"{ref}.yaml"):     # a file next to the spec comes first
                if cand.is_file():
                    return cand
        return find_scenario(ref, search_dirs=search_dirs)
    if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", ref) and ".." not in ref:
        for d in (SCENARIO_DIR, *search_dirs):      # built-in names first: a user file cannot shadow them
            for cand in (Path(d) / ref, Path(d) / f"{ref}.yaml"):
                if cand.is_file():
                    return cand
    known = sorted({x.stem for d in (SCENARIO_DIR, *search_dirs) for x in Path(d).glob("*.yaml")})
    raise UserError(f"no scenario named {ref!r}; known scenarios: {', '.join(known)}")


def _at(lines: dict, path: tuple, file: str) -> tuple[str, int | None]:
    for n in range(len(path), -1, -1):
        if path[:n] in lines:
            return lines[path[:n]]
    return file, None


def _err(msg: str, lines: dict, path: tuple, file: str) -> UserError:
    f, line = _at(lines, path, file)
    return UserError(msg, file=f, line=line, field=".".join(map(str, path)))


def _wrap(exc: UserError, lines: dict, path: tuple, file: str) -> list[UserError]:
    errs = exc.errors if isinstance(exc, UserErrors) else [exc]
    return [_err(str(e), lines, path, file) for e in errs]


def find_experiment(name_or_path: str | Path, spec_dirs: Sequence[Path] = ()) -> Path:
    """A spec file as given, or a spec name looked up in the shipped folder, then in `spec_dirs` (the user's
    experiment folders): a user file never shadows a shipped name. Anything else is returned as given, for the
    loader to report."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") and p.exists():
        return p
    name = str(name_or_path)
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name) or ".." in name or p.exists():
        return p
    for d in (EXPERIMENT_DIR, *spec_dirs):
        cand = Path(d) / f"{name}.yaml"
        if cand.is_file():
            return cand
    if p.suffix in (".yaml", ".yml"):
        return p                                    # a missing file: "no such file" from the loader
    raise NameNotFound("experiment spec", name, "experiments", yaml_names((EXPERIMENT_DIR, *spec_dirs)))


def _scenario_errors(exc: UserError, lines: dict, path: tuple, file: str, *, suffix: str = "") -> list[UserError]:
    """A scenario's errors (from validate_scenario) at the spec's line that caused them: the scenario field and the
    message, as every other front end shows them; the field is left out where the spec's own path ends with it."""
    spec_field = ".".join(map(str, path))
    return [_err((f"{e.field}: " if e.field and not spec_field.endswith(e.field) else "") + e.message + suffix,
                 lines, path, file) for e in (exc.errors if isinstance(exc, UserErrors) else [exc])]


# ------------------------------------------------------------------------------------------ validation
def load_experiment(path: str | Path, *, replications: int | None = None, turns: int | None = None,
                    allow_paths: bool = True, search_dirs: Sequence[Path] = (),
                    spec_dirs: Sequence[Path] = (), max_seconds: float | None = None) -> Experiment:
    """Read and check a spec completely, so that nothing a user wrote can fail once runs have started.

    `path` is a file or the name of a spec (shipped, or in `spec_dirs`); `search_dirs` are the user's scenario
    folders, for the scenario names the spec uses. The sizes (arms, sweep points, draws, cells, runs) are checked
    from counts first (model.config.limits); `max_seconds` bounds the rest, which validates every sweep point and
    draw as a scenario (the server's request threads pass one; None: no bound)."""
    if max_seconds is not None:   # the simulation's one-time import is not the spec's work: keep it off the budget
        import model.sim.model  # noqa: F401
    deadline = limits.Deadline(max_seconds)
    found = find_experiment(path, spec_dirs) if allow_paths else Path(path)
    file = str(path) if found == Path(path) else str(found)   # errors name the file as the user wrote it
    path = found
    data, lines = configio.load_with_extends(path, search_dirs=(Path(path).parent, EXPERIMENT_DIR, *spec_dirs),
                                             confine=not allow_paths)   # web text: `extends:` names specs only
    try:
        spec = ExperimentSpec.model_validate(data)
    except ValidationError as exc:
        raise configio.validation_errors(exc, lines, file, model_cls=ExperimentSpec) from None
    if replications is not None:
        if replications < 1:
            raise UserError(f"must be at least 1, got {replications}", field="--replications")
        spec = spec.model_copy(update={"replications": replications})
    if turns is not None:
        if not 1 <= turns <= 240:
            raise UserError(f"must be between 1 and 240, got {turns}", field="--turns")
        spec = spec.model_copy(update={"turns": turns})
    _check_sizes(spec, lines, file)
    errors: list[UserError] = []
    _check_names(spec, lines, file, errors)
    spec_dir = Path(path).parent
    arm_files, arm_dumps, arm_ranges, records = {}, {}, {}, {}
    failed: set[str] = set()    # a scenario that failed is reported once, not once per arm using it
    for name, arm in spec.arms.items():
        deadline.tick()
        where = ("arms", name, "scenario") if arm.scenario else ("scenario",)
        if (arm.scenario or spec.scenario) in failed:
            continue
        failed.add(arm.scenario or spec.scenario)
        try:
            sc_path = resolve_scenario(arm.scenario or spec.scenario, spec_dir, allow_paths=allow_paths,
                                       search_dirs=search_dirs)
            sc = load_scenario(sc_path, search_dirs=search_dirs)
        except UserErrors as exc:   # the scenario file's own errors carry its file and line
            errors += [UserError(f"{e} (scenario of arm {name!r})", file=None) for e in exc.errors]
            continue
        except UserError as exc:
            errors += _wrap(exc, lines, where, file) if exc.file is None else [exc]
            continue
        failed.discard(arm.scenario or spec.scenario)
        dump = sc.model_dump(mode="python", by_alias=True)
        try:
            for i, text in enumerate(arm.overrides):
                try:
                    p, v = configio.parse_override(text)
                    sc = apply_overrides(dump, [(".".join(p), v)], label="set", ranges=sc.uncertain)
                    dump = sc.model_dump(mode="python", by_alias=True)
                except UserError as exc:
                    errors += _scenario_errors(exc, lines, ("arms", name, "set", i), file)
                    raise
        except UserError:
            continue
        arm_files[name], arm_dumps[name], arm_ranges[name] = str(sc_path), dump, sc.uncertain
        records[name] = _start_record(sc)
    turns_n = spec.turns or (next(iter(arm_dumps.values()))["turns"] if arm_dumps else 1)
    points = sweep_points(spec)
    if spec.sweep is not None:
        errors += _check_sweep(spec.sweep, points, arm_dumps, lines, file, deadline)
    errors += _check_outcomes(spec, records, turns_n, lines, file)
    inputs: list[str] = []
    if spec.uncertainty is not None and not errors:
        inputs, errs = _select_inputs(spec, arm_ranges, lines, file)
        errors += errs
    if errors:
        raise UserErrors(errors)
    text = Path(path).read_text(encoding="utf-8-sig")
    exp = Experiment(spec=spec, path=file, text=text, turns=turns_n, arm_files=arm_files, arm_dumps=arm_dumps,
                     points=points, lines=lines, arm_ranges=arm_ranges, inputs=inputs)
    if spec.uncertainty is None:
        exp.cells = [Cell(i, arm, p, points[p]) for i, (arm, p) in
                     enumerate(itertools.product(spec.arms, range(len(points))))]
    else:
        exp.draws = lhs_unit(len(inputs), spec.uncertainty.draws, spec.seed).tolist()
        exp.cells = draw_cells(exp)
        errors = _check_draws(exp, lines, file, deadline)
        if errors:
            raise UserErrors(errors)
    exp.columns = indicator_columns(spec)
    return exp


def draw_cells(exp: Experiment) -> list[Cell]:
    """Arms x sweep points x draws. Draw d sets every input the arm has a range for at the same quantile
    u[d, j] of that arm's range (its `uncertainty.distribution`), so arms share draws; an input the arm fixed (an
    override, a variant file) keeps the arm's value, recorded in `inputs` as it is."""
    cells: list[Cell] = []
    for arm, p, d in itertools.product(exp.spec.arms, range(len(exp.points)), range(exp.n_draws)):
        ranges, point = exp.arm_ranges[arm], exp.points[p]
        how = exp.spec.uncertainty.distribution if exp.spec.uncertainty else "uniform"
        drawn = {path: ranges[path].at(u, how) for path, u in zip(exp.inputs, exp.draws[d], strict=True)
                 if path in ranges}
        fixed = {path: _value_at(exp.arm_dumps[arm], path) for path in exp.inputs if path not in ranges}
        cells.append(Cell(len(cells), arm, p, {**point, **drawn}, draw=d,
                          inputs={path: drawn[path] if path in drawn else fixed[path] for path in exp.inputs}))
    return cells


def _value_at(dump: dict, path: str) -> Any:
    try:
        return configio.get_dotted(dump, path.split("."))
    except UserError:
        return None                 # an arm whose scenario lacks the input altogether


def _select_inputs(spec: ExperimentSpec, arm_ranges: dict[str, dict[str, Uncertain]], lines: dict,
                   file: str) -> tuple[list[str], list[UserError]]:
    """The ranged numbers to draw: of every arm, matching `uncertainty.inputs`, not set by the sweep; sorted by
    path so that the draws do not depend on the order of lines or arms."""
    u = spec.uncertainty
    assert u is not None
    swept = set(spec.sweep.parameters) if spec.sweep else set()
    ranged = sorted({p for r in arm_ranges.values() for p in r})
    errors = []
    for i, pattern in enumerate(u.inputs):
        if not any(fnmatch.fnmatchcase(p, pattern) for p in ranged):
            hint = ", ".join(ranged[:8]) + (", ..." if len(ranged) > 8 else "") if ranged else "none"
            errors.append(_err(f"no ranged number matches {pattern!r} (ranged: {hint})", lines,
                               ("uncertainty", "inputs", i), file))
    chosen = [p for p in ranged if p not in swept and (not u.inputs or any(fnmatch.fnmatchcase(p, x)
                                                                           for x in u.inputs))]
    if not chosen and not errors:
        why = " outside the sweep" if swept and ranged else ""
        errors.append(_err(f"the scenario has no ranged numbers{why} to draw; write uncertain numbers as "
                           "{value: 0.3, low: 0.1, high: 0.5} in the scenario (docs/model-uncertainty.md)",
                           lines, ("uncertainty",), file))
    for name in spec.outcomes:
        if name in chosen:
            errors.append(_err(f"outcome name {name!r} is taken by a drawn input's column of runs.parquet; "
                               "choose another", lines, ("outcomes", name), file))
    for hname, h in spec.hypotheses.items():
        if h.test != "auto":
            errors.append(_err(f"with uncertainty: the arms are compared draw by draw (a paired t test over the "
                               f"draws); leave test: auto, not {h.test}", lines, ("hypotheses", hname, "test"), file))
    return chosen, errors


def _check_draws(exp: Experiment, lines: dict, file: str, deadline: limits.Deadline) -> list[UserError]:
    """Every draw in every arm and at every sweep point must be a valid scenario (the workers never fail)."""
    for cell in exp.cells:
        deadline.tick()
        try:
            apply_overrides(exp.arm_dumps[cell.arm], list(cell.params.items()), label="draw")
        except UserError as exc:
            return [UserError(f"draw {cell.draw} (arm {cell.arm}, point {cell.point}): {e.message}", file=e.file,
                              line=e.line, field=e.field) for e in _scenario_errors(exc, lines, ("uncertainty",),
                                                                                    file)]
    return []


def indicator_columns(spec: ExperimentSpec) -> list[str]:
    """Per-turn columns a run keeps: the headline indicators and those the outcomes read."""
    from model.sim.model import HEADLINE
    return list(dict.fromkeys([*HEADLINE, *(o.indicator for o in spec.outcomes.values())]))


def _start_record(sc: Scenario) -> dict[str, Any]:
    from model.sim.model import WargameModel
    return dict(WargameModel(sc, seed=0, turns=1).last_record)


def _check_names(spec: ExperimentSpec, lines: dict, file: str, errors: list[UserError]) -> None:
    for name in spec.outcomes:
        if name in RESERVED or (spec.sweep and name in spec.sweep.parameters):
            errors.append(_err(f"outcome name {name!r} is taken by a column of runs.parquet; choose another",
                               lines, ("outcomes", name), file))
    for hname, h in spec.hypotheses.items():
        for key in ("arm", "versus"):
            arm = getattr(h, key)
            if arm not in spec.arms:
                hint = difflib.get_close_matches(arm, list(spec.arms), 1)
                errors.append(_err(f"unknown arm {arm!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
                                   + f" (arms: {', '.join(spec.arms)})", lines, ("hypotheses", hname, key), file))
        if h.arm == h.versus:
            errors.append(_err("compares an arm with itself; versus must name another arm", lines,
                               ("hypotheses", hname, "versus"), file))
        if h.outcome not in spec.outcomes:
            hint = difflib.get_close_matches(h.outcome, list(spec.outcomes), 1)
            errors.append(_err(f"unknown outcome {h.outcome!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
                               + f" (outcomes: {', '.join(spec.outcomes)})", lines, ("hypotheses", hname, "outcome"),
                               file))
            continue
        binary = spec.outcomes[h.outcome].binary
        if h.test in (("welch", "mannwhitney") if binary else ("z", "fisher")):
            ok = "z or fisher" if binary else "welch or mannwhitney"
            errors.append(_err(f"test {h.test} does not suit a {'binary' if binary else 'numeric'} outcome; "
                               f"use auto, {ok}", lines, ("hypotheses", hname, "test"), file))
        if binary and h.min_effect > 1:
            errors.append(_err(f"min_effect {h.min_effect} is more than a probability can change (at most 1)",
                               lines, ("hypotheses", hname, "min_effect"), file))


def _check_sizes(spec: ExperimentSpec, lines: dict, file: str) -> None:
    """Arms, sweep points, draws, cells and runs within model.config.limits, from counts alone: a grid is never
    built (nor a scenario loaded) before its size is known to be bounded."""
    L = limits
    errors: list[UserError] = []

    def over(what: str, count: int, path: tuple, hint: str = "") -> None:
        limit, label = L.LIMITS[what]
        f, line = _at(lines, path, file)
        errors.append(L.too_many(label, count, limit, file=f, line=line, field=".".join(map(str, path)), hint=hint))

    if len(spec.arms) > L.MAX_ARMS:
        over("arms", len(spec.arms), ("arms",))
    points = 1
    if spec.sweep is not None:
        if spec.sweep.design == "grid":
            points = L.grid_size(spec.sweep.parameters)
            if points > L.MAX_GRID_POINTS:
                shown = " x ".join(str(len(v) if isinstance(v, list) else L.axis_size(v))
                                   for v in spec.sweep.parameters.values())
                over("grid_points", points, ("sweep", "parameters"), f" ({shown}); use fewer steps or design: lhs")
        else:
            points = spec.sweep.n or 1
            if points > L.MAX_LHS_POINTS:
                over("lhs_points", points, ("sweep", "n"))
    draws = spec.uncertainty.draws if spec.uncertainty is not None else 1
    if spec.uncertainty is not None and draws > L.MAX_DRAWS:
        over("draws", draws, ("uncertainty", "draws"))
    if not errors:
        cells = len(spec.arms) * points * draws
        if cells > L.MAX_CELLS:
            over("cells", cells, ("sweep",) if spec.sweep is not None else ("uncertainty",),
                 f" ({len(spec.arms)} arms x {points:,} points x {draws:,} draws)")
        elif cells * spec.replications > L.MAX_RUNS:
            over("runs", cells * spec.replications, ("replications",),
                 f" ({cells:,} cells x {spec.replications:,} replications)")
    if errors:
        raise UserErrors(errors)


def _check_sweep(sweep: Sweep, points: list[dict], arm_dumps: dict[str, dict], lines: dict,
                 file: str, deadline: limits.Deadline) -> list[UserError]:
    """Every value of every parameter in every arm, then every point (cross-checks between parameters)."""
    errors: list[UserError] = []
    bad: set[str] = set()
    for path in sweep.parameters:
        values = sorted({repr(p[path]): p[path] for p in points}.values(), key=repr)
        for arm, dump in arm_dumps.items():
            for v in values:
                deadline.tick()
                try:
                    apply_overrides(dump, [(path, v)], label="sweep")
                except UserError as exc:
                    errors += _scenario_errors(exc, lines, ("sweep", "parameters", path), file,
                                               suffix=f" (arm {arm})" if len(arm_dumps) > 1 else "")
                    bad.add(path)
                    break
            if path in bad:
                break
    if errors:
        return errors
    for arm, dump in arm_dumps.items():
        for n, point in enumerate(points):
            deadline.tick()
            try:
                apply_overrides(dump, list(point.items()), label="sweep")
            except UserError as exc:
                return [UserError(f"point {n} {point} (arm {arm}): {e.message}", file=e.file, line=e.line,
                                  field=e.field) for e in _scenario_errors(exc, lines, ("sweep",), file)]
    return errors


def _check_outcomes(spec: ExperimentSpec, records: dict[str, dict], turns: int, lines: dict,
                    file: str) -> list[UserError]:
    errors: list[UserError] = []
    for name, o in spec.outcomes.items():
        where = ("outcomes", name, "indicator")
        if o.turn is not None and not 0 <= o.turn <= turns:
            errors.append(_err(f"turn {o.turn} is past the last turn ({turns})", lines, ("outcomes", name, "at"),
                               file))
        for arm, rec in records.items():
            if o.indicator not in rec:
                errors.append(_err(_unknown_indicator(o.indicator, rec) + (f" in arm {arm!r}" if len(records) > 1
                                                                           else ""), lines, where, file))
                break
            sample = rec[o.indicator]
            numeric = isinstance(sample, (int, float)) and not isinstance(sample, bool)
            if o.op is None and not numeric:
                errors.append(_err(f"{o.indicator} holds text like {sample!r}, not a number; compare it with "
                                   "op and value (e.g. op: \"!=\", value: RUS)", lines, where, file))
                break
            if o.op is not None:
                vnum = isinstance(o.value, (int, float)) and not isinstance(o.value, bool)
                if numeric != vnum:
                    kind = "a number" if numeric else f"text like {sample!r}"
                    errors.append(_err(f"{o.indicator} holds {kind}, so value {o.value!r} never compares with it",
                                       lines, ("outcomes", name, "value"), file))
                    break
                if not numeric and o.op not in ("==", "!="):
                    errors.append(_err(f"{o.indicator} holds text; use op == or !=", lines, ("outcomes", name, "op"),
                                       file))
                    break
    return errors


def _unknown_indicator(name: str, rec: dict) -> str:
    cols = [c for c in rec if c not in ("turn", "date")]
    parts = name.split(".")
    hint = None
    if len(parts) == 3 and parts[0] == "relation" and f"relation.{parts[2]}.{parts[1]}" in rec:
        hint = f"relation.{parts[2]}.{parts[1]}"   # pairs are named in scenario order
    hint = hint or next(iter(difflib.get_close_matches(name, cols, 1)), None)
    headline = [c for c in cols if "." not in c]
    return (f"unknown indicator {name!r}" + (f"; did you mean {hint!r}?" if hint else "") +
            f" (headline: {', '.join(headline)}; families: base.<id>.controller|status|garrison, "
            "region.<id>.<actor>, relation.<A>.<B>, utility.<actor>, bloc.<actor>, issue.<id>.forecast)")
