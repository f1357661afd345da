"""The schema of experiment specs (pydantic) and the sampling of sweep points: no file access, no scenario.

model.experiments.spec reads a spec file against this schema and checks it against the scenarios.
"""
from __future__ import annotations

import itertools
import math
import re
import typing
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from model.config.conditions import OPS
from model.config.vocabulary import MAX_SEED

Name = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
RESERVED = {"run_id", "cell", "arm", "point", "draw", "replication", "seed", "seed_entropy", "seed_spawn_key",
            "turn", "date"}
DEFAULT_ALPHA = 0.05
DEFAULT_GRID_STEPS = 3
AGGREGATES = ("final", "mean", "max", "min", "ever", "always")


class Strict(BaseModel):
    # no nan/inf anywhere, and no `true` where a whole number is expected (YAML reads `turns: yes` as a bool)
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_numbers(cls, v: Any, info: Any) -> Any:
        if isinstance(v, bool) and info.field_name in cls.model_fields:
            ann = cls.model_fields[info.field_name].annotation
            allowed = set(typing.get_args(ann)) | {ann}
            if bool not in allowed and allowed & {int, float}:
                raise ValueError(f"expected a number, got {str(v).lower()}")
        return v


class Arm(Strict):
    """A variant of the scenario: another scenario file, dotted overrides, or both (nothing = the base scenario)."""
    scenario: str | None = Field(None, description="Scenario name (configs/scenarios) or file (relative to the "
                                                   "spec); default: the spec's `scenario`.")
    overrides: list[str] = Field(default_factory=list, alias="set",
                                 description="Dotted overrides path=value applied on top, as with `--set`.")
    description: str = Field("", description="What the arm assumes.")


class Range(Strict):
    """A numeric range: `steps` evenly spaced values in a grid; uniform between low and high in lhs/Morris.

    When low and high are both whole numbers the parameter takes whole-number values."""
    low: float | int
    high: float | int
    steps: int = Field(DEFAULT_GRID_STEPS, ge=2, le=1000, description="Values in a grid design.")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise ValueError(f"low and high must be finite numbers, got low={self.low} high={self.high}")
        if not self.low < self.high:
            raise ValueError(f"low must be below high, got low={self.low} high={self.high}")
        return self

    @property
    def integer(self) -> bool:
        return isinstance(self.low, int) and isinstance(self.high, int)

    def scale(self, u: float) -> float | int:
        """Map u in [0, 1) to the range."""
        if self.integer:
            return int(min(self.low + math.floor(u * (self.high - self.low + 1)), self.high))
        return _tidy(self.low + u * (self.high - self.low))


class Sweep(Strict):
    design: Literal["grid", "lhs"] = Field("grid", description="Full grid of the values, or a Latin hypercube.")
    n: int | None = Field(None, ge=1, le=100_000, description="Points of a Latin hypercube (lhs only).")
    parameters: dict[str, Annotated[list[Any], Field(min_length=1)] | Range] = Field(
        min_length=1, description="Dotted scenario path -> list of values, or {low, high, steps}.")

    @model_validator(mode="after")
    def _n_for_lhs(self) -> Sweep:
        if self.design == "lhs" and self.n is None:
            raise ValueError("a Latin hypercube (design: lhs) needs n, the number of points")
        if self.design == "grid" and self.n is not None:
            raise ValueError("n is for design: lhs; a grid has one point per combination of values")
        return self


class Uncertainty(Strict):
    """Sample the scenario's ranged numbers (`{value, low, high}` in its YAML) so that results carry input
    uncertainty, not only seed noise. Every arm and sweep point runs `replications` runs of each draw; the arms
    share the draws (the same quantile of each range), so comparisons between arms are paired by draw."""
    sample: Literal["lhs"] = Field("lhs", description="Latin hypercube over the ranges (scipy.stats.qmc, seeded "
                                                      "from the spec's seed).")
    distribution: Literal["triangular", "uniform"] = Field(
        "triangular", description="Of each range: triangular from low to high with its mode at the value (the "
                                  "scenario's best estimate stays the likeliest), or uniform between low and high.")
    draws: int = Field(ge=2, le=100_000, description="Input draws; runs = arms x sweep points x draws x "
                                                     "replications.")
    inputs: list[str] = Field(default_factory=list,
                              description="Only the ranged numbers whose dotted path matches one of these "
                                          "(shell-style patterns: events.*.probability); default: all of them.")


DRAW_STREAM = 0x756E63          # "unc": the draws' stream of the spec's seed, apart from an lhs sweep's


def lhs_unit(dims: int, n: int, seed: int) -> np.ndarray:
    """An n x dims Latin hypercube in [0, 1), the same for the same seed (the draws of `uncertainty:`)."""
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence([DRAW_STREAM, seed]))
    return qmc.LatinHypercube(d=dims, rng=rng).random(n)


class Outcome(Strict):
    """A measure of one run over one indicator column.

    With `op` and `value` it is binary (a probability across runs): at `final`, `turn N`, `ever` (any turn
    played) or `always` (every turn played); at `mean` it is the share of turns played where it holds.
    Without them the indicator must be numeric: its value at `final` / `turn N`, or its `mean`, `max`, `min`
    over the turns played (turn 0, the starting state, is not a turn played)."""
    indicator: str = Field(description="Indicator column, e.g. syria_alignment or base.tartus.controller.")
    op: Literal["<", "<=", ">", ">=", "==", "!="] | None = Field(None, description="Comparison for a binary outcome.")
    value: Any = Field(None, description="Value compared with (binary outcomes).")
    # a str once validated (`_at` writes a whole number N as "turn N"); the schema still offers the number
    at: Annotated[str, WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]})] = Field(
        "final", description="final | turn N | mean | max | min | ever | always")
    description: str = Field("", description="What it measures, in words.")

    @field_validator("at", mode="before")
    @classmethod
    def _at(cls, v: Any) -> str:
        if isinstance(v, bool):
            raise ValueError("expected final, turn N, mean, max, min, ever or always")
        if isinstance(v, int):
            v = f"turn {v}"
        text = " ".join(str(v).split()).lower()
        if text not in AGGREGATES and not re.fullmatch(r"turn \d+", text):
            raise ValueError(f"expected final, turn N, mean, max, min, ever or always, got {v!r}")
        return text

    @model_validator(mode="after")
    def _shape(self) -> Outcome:
        if (self.op is None) != (self.value is None):
            raise ValueError("give both op and value (a binary outcome) or neither (a numeric one)")
        if self.op is None and self.at in ("ever", "always"):
            raise ValueError(f"at: {self.at} needs op and value (it asks whether a condition held)")
        if self.op is not None and self.at in ("max", "min"):  # the same questions, in their plain names
            self.at = "ever" if self.at == "max" else "always"
        return self

    @property
    def binary(self) -> bool:
        return self.op is not None and self.at != "mean"

    @property
    def turn(self) -> int | None:
        return int(self.at.split()[1]) if self.at.startswith("turn ") else None

    def per_turn(self, values: Sequence[Any]) -> list[Any]:
        """The condition (or the value) at each turn of a run."""
        if self.op is None:
            return list(values)
        f = OPS[self.op]
        return [_holds(f, v, self.value) for v in values]

    def evaluate(self, values: Sequence[Any]) -> float | bool:
        """The outcome of one run from its indicator column, turns 0..T."""
        if self.turn is not None:
            picked = self.per_turn([values[self.turn]])[0]
        elif self.at == "final":
            picked = self.per_turn([values[-1]])[0]
        else:
            picked = _OVER_TURNS[self.at](self.per_turn(values[1:] or values[-1:]))
        return bool(picked) if self.binary else float(picked)


# how the aggregates other than `final` and `turn N` reduce the turns played
_OVER_TURNS: dict[str, Callable[[list[Any]], Any]] = {
    "mean": lambda x: sum(x) / len(x), "max": max, "min": min, "ever": any, "always": all}


def _holds(f: Any, v: Any, value: Any) -> bool:
    try:
        return bool(f(v, value))
    except TypeError:
        return False


# The smallest effect that matters when a hypothesis sets no min_effect: 2 probability points, or 0.02 of a numeric
# outcome's units; a significant effect below it counts neither way (verdict "negligible" or "inconclusive").
NEGLIGIBLE_EFFECT = 0.02


class Hypothesis(Strict):
    """'`outcome` is `direction` in `arm` than in `versus`', tested on the runs of the two arms."""
    statement: str = Field("", description="The hypothesis in words, for the report.")
    outcome: str = Field(description="Outcome name.")
    arm: str = Field(description="Arm expected to differ.")
    versus: str = Field(description="Arm it is compared with, usually the baseline.")
    direction: Literal["higher", "lower", "different"] = Field(description="Expected sign of arm - versus.")
    alpha: float = Field(DEFAULT_ALPHA, gt=0, lt=1, description="Significance level of the two-sided test.")
    min_effect: float = Field(0.0, ge=0, description="Smallest difference that matters (probability points or the "
                                                      "outcome's units): a significant difference below it is "
                                                      f"'negligible'; 0 = the default, {NEGLIGIBLE_EFFECT}.")
    test: Literal["auto", "z", "fisher", "welch", "mannwhitney"] = Field(
        "auto", description="auto: Fisher exact or two-proportion z (binary), Welch t (numeric).")


class ExperimentSpec(Strict):
    name: str = Field("", description="Display name.")
    description: str = Field("", description="What the experiment asks.")
    scenario: str = Field(description="Base scenario name or file; arms vary it.")
    turns: int | None = Field(None, ge=1, le=240, description="Turns per run; default: the scenario's.")
    replications: int = Field(ge=1, le=10_000_000, description="Runs per arm and sweep point.")
    seed: int = Field(0, ge=0, le=MAX_SEED,
                      description="Master seed; run seeds are spawned from it (numpy SeedSequence).")
    arms: dict[Name, Arm] = Field(default_factory=lambda: {"baseline": Arm()}, min_length=1,
                                  description="Named variants; the baseline is an arm too.")
    sweep: Sweep | None = Field(None, description="Parameters varied within every arm.")
    uncertainty: Uncertainty | None = Field(None, description="Draw the scenario's ranged numbers (Latin "
                                                              "hypercube); none: every run plays the values.")
    outcomes: dict[Name, Outcome] = Field(min_length=1, description="Named measures of each run.")
    hypotheses: dict[Name, Hypothesis] = Field(default_factory=dict, description="Statements comparing arms.")


def _tidy(x: float) -> float:
    return float(f"{x:.12g}")


def grid_points(sweep: Sweep) -> list[dict[str, Any]]:
    axes = []
    for path, values in sweep.parameters.items():
        if isinstance(values, Range):
            vals = np.linspace(values.low, values.high, values.steps)
            values = sorted({int(round(v)) for v in vals}) if values.integer else [_tidy(v) for v in vals]
        axes.append([(path, v) for v in values])
    return [dict(combo) for combo in itertools.product(*axes)]


def lhs_points(sweep: Sweep, seed: int) -> list[dict[str, Any]]:
    """n points of a Latin hypercube over the parameters, the same for the same seed."""
    from scipy.stats import qmc

    names = list(sweep.parameters)
    u = qmc.LatinHypercube(d=len(names), rng=np.random.default_rng(seed)).random(sweep.n)
    out = []
    for row in u:
        point = {}
        for path, x in zip(names, row, strict=True):
            values = sweep.parameters[path]
            point[path] = values.scale(x) if isinstance(values, Range) else values[min(int(x * len(values)),
                                                                                      len(values) - 1)]
        out.append(point)
    return out


def sweep_points(spec: ExperimentSpec) -> list[dict[str, Any]]:
    if spec.sweep is None:
        return [{}]
    return grid_points(spec.sweep) if spec.sweep.design == "grid" else lhs_points(spec.sweep, spec.seed)
