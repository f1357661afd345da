"""Documented limits on the size of scenarios and experiments, checked from counts before any costly work.

Why: several checks and mechanics grow faster than the input (the indicator names of every actor pair, the
bargaining over every triple of actors, the cross-product of a grid sweep), so one small file or request could
otherwise pin a core for minutes or exhaust memory. Each limit is far above what the shipped scenarios and specs use
(the baseline has 13 actors, 14 bases, 14 regions, 4 issues, 13 events) and is checked by counting, so a file over
a limit costs milliseconds and gets one clear error naming the field, the count and the limit.

Futures (N runs x months from a game's month, model.experiments.futures) have their defaults and caps here too;
`check_count` checks one of them. A later limit belongs here as one more constant in LIMITS.

Also here, beside the sizes: numbers that pass the schema but make the model silently wrong (an issue's span that
overflows, an actor sanctioning itself, two regions with one ISO code, a start month that gives a five-digit year).
"""
from __future__ import annotations

import math
import time
from typing import Any

from model.config.errors import UserError, UserErrors

# ------------------------------------------------------------------------------------------------ scenarios
MAX_ACTORS = 50            # a step is cubic in actors (bargaining over triples): 50 keep a turn well under 0.1 s
MAX_BASES = 200
MAX_REGIONS = 100
MAX_ISSUES = 50
MAX_EVENTS = 500
MAX_GOALS = 50             # per actor
MAX_VICTORY = 200          # victory conditions (each is evaluated once a month)
MAX_SCALE = 1e6            # an issue's scale lies within [-MAX_SCALE, MAX_SCALE]: its span and squares stay finite
MAX_TURNS = 240            # months a game may last (a scenario's `turns`, `wargame run --turns`, an export)
START_YEARS = (1900, 2200)  # first and last year a scenario may start in (a game of 240 months ends before 2221)

# ---------------------------------------------------------------------------------------------- experiments
MAX_ARMS = 50
MAX_GRID_POINTS = 10_000   # the product of a grid sweep's value counts, computed before the grid is built
MAX_LHS_POINTS = 10_000    # n of a Latin-hypercube sweep
MAX_DRAWS = 10_000         # uncertainty.draws
MAX_CELLS = 20_000         # arms x sweep points x draws: each cell is checked as a scenario before any run
MAX_RUNS = 10_000_000      # cells x replications of one experiment (`wargame batch`; the server has its own cap)

# ------------------------------------------------------------------------------------------------- futures
# Futures from a game's month (model.experiments.futures), forecast questions and after-action reviews. The
# defaults (200 futures of 12 months) take a few seconds on 2 cores; the caps keep one request within minutes.
DEFAULT_FUTURES = 200      # continuations of a futures request
DEFAULT_FUTURE_MONTHS = 12
DEFAULT_AAR_FUTURES = 20   # futures per ensemble and per compared month of an after-action review
MAX_FUTURES = 5_000        # n of one request (each compared order set counts n again)
MAX_FUTURE_MONTHS = 120    # months of one request
MAX_FUTURE_TURNS = 120_000  # n x months of one request: about a minute of one core's work per 25,000
MAX_REVIEW_TURNS = 250_000  # months played by one after-action review (ensemble + every month's two arms)
MAX_RELATIONS = 50         # relations drawn as fan charts beside the headline indicators
MAX_QUESTIONS = 500        # questions in one forecast file

LIMITS: dict[str, tuple[int | float, str]] = {
    "actors": (MAX_ACTORS, "actors in a scenario"),
    "bases": (MAX_BASES, "bases in a scenario"),
    "regions": (MAX_REGIONS, "regions in a scenario"),
    "issues": (MAX_ISSUES, "issues in a scenario"),
    "events": (MAX_EVENTS, "events in a scenario"),
    "goals": (MAX_GOALS, "goals of one actor"),
    "victory": (MAX_VICTORY, "victory conditions in a scenario"),
    "arms": (MAX_ARMS, "arms of an experiment"),
    "grid_points": (MAX_GRID_POINTS, "points of a grid sweep"),
    "lhs_points": (MAX_LHS_POINTS, "points of a Latin-hypercube sweep"),
    "draws": (MAX_DRAWS, "input draws of an experiment"),
    "cells": (MAX_CELLS, "cells (arms x sweep points x draws) of an experiment"),
    "runs": (MAX_RUNS, "runs of an experiment"),
    "futures": (MAX_FUTURES, "futures of one request"),
    "future_months": (MAX_FUTURE_MONTHS, "months of one futures request"),
    "future_turns": (MAX_FUTURE_TURNS, "futures x months of one request"),
    "relations": (MAX_RELATIONS, "relations of one futures request"),
    "review_turns": (MAX_REVIEW_TURNS, "months played by one after-action review"),
    "questions": (MAX_QUESTIONS, "questions in one forecast file"),
}
SCENARIO_TABLES = ("actors", "bases", "regions", "issues", "events", "victory")


def _line(lines: dict | None, path: tuple, file: str) -> tuple[str, int | None]:
    return (lines or {}).get(path, (file, None))


def too_many(what: str, count: int, limit: int | float, *, file: str | None = None, line: int | None = None,
             field: str | None = None, hint: str = "") -> UserError:
    """One error for a count over its limit, in the same words everywhere."""
    return UserError(f"{count:,} {what}; the limit is {limit:,}{hint}", file=file, line=line, field=field)


def check_count(name: str, value: object, *, field: str, low: int = 1) -> int:
    """A whole number between `low` and its limit in LIMITS, else one UserError naming `field`."""
    limit, what = LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError(f"expected a whole number, got {value!r}", field=field)
    if value < low:
        raise UserError(f"must be at least {low}, got {value}", field=field)
    if value > limit:
        raise too_many(what, value, limit, field=field)
    return value


def check_scenario_sizes(data: Any, file: str = "<scenario>", lines: dict | None = None) -> None:
    """Refuse a scenario over a size limit, from the counts of its raw (merged) data, before the schema runs."""
    if not isinstance(data, dict):
        return
    errors = []
    for table in SCENARIO_TABLES:
        value = data.get(table)
        limit, what = LIMITS[table]
        if isinstance(value, (dict, list)) and len(value) > limit:
            f, ln = _line(lines, (table,), file)
            errors.append(too_many(what, len(value), limit, file=f, line=ln, field=table))
    actors = data.get("actors")
    if isinstance(actors, dict) and not errors:
        for aid, actor in actors.items():
            goals = actor.get("goals") if isinstance(actor, dict) else None
            if isinstance(goals, dict) and len(goals) > MAX_GOALS:
                f, ln = _line(lines, ("actors", aid, "goals"), file)
                errors.append(too_many(LIMITS["goals"][1], len(goals), MAX_GOALS, file=f, line=ln,
                                       field=f"actors.{aid}.goals"))
    if errors:
        raise UserErrors(errors)


def check_scenario_numbers(sc: Any) -> list[tuple[tuple, str]]:
    """(path, message) for numbers the schema lets through but the model would get silently wrong."""
    errs: list[tuple[tuple, str]] = []
    year = int(str(sc.start)[:4]) if str(sc.start)[:4].isdigit() else None
    if year is not None and not START_YEARS[0] <= year <= START_YEARS[1]:
        errs.append((("start",), f"the first month must lie between {START_YEARS[0]}-01 and {START_YEARS[1]}-12, "
                                 f"got {sc.start}"))
    for iid, issue in sc.issues.items():
        lo, hi = issue.scale
        if not (-MAX_SCALE <= lo <= MAX_SCALE and -MAX_SCALE <= hi <= MAX_SCALE) or not math.isfinite(hi - lo):
            errs.append((("issues", iid, "scale"), f"scale must lie within [-{MAX_SCALE:,.0f}, {MAX_SCALE:,.0f}] (a "
                                                   f"wider span overflows in bargaining), got {list(issue.scale)}"))
    for n, key in enumerate(sc.sanctions):
        parts = key.split("-")
        if len(parts) == 2 and parts[0] and parts[0] == parts[1]:
            errs.append((("sanctions", n), f"{parts[0]} cannot sanction itself ({key!r})"))
    seen: dict[str, str] = {}
    for rid, region in sc.regions.items():
        if region.iso in seen:
            errs.append((("regions", rid, "iso"), f"ISO code {region.iso} is also region {seen[region.iso]!r}'s; "
                                                  "each region needs its own (the map draws one area per code)"))
        else:
            seen[region.iso] = rid
    return errs


# --------------------------------------------------------------------------------------------- experiments
def grid_size(parameters: dict[str, Any]) -> int:
    """Points of a full grid from the value counts alone (a list's length, a range's steps), never building it."""
    size = 1
    for values in parameters.values():
        size *= len(values) if isinstance(values, list) else axis_size(values)
    return size


def axis_size(values: Any) -> int:
    """Values of one grid axis given as a range: its steps, or fewer when whole numbers repeat."""
    steps = int(getattr(values, "steps", 1))
    if getattr(values, "integer", False):
        return min(steps, int(values.high) - int(values.low) + 1)
    return steps


class Deadline:
    """A time budget for checks that can be long (every sweep point and draw validated as a scenario), so a request
    thread never runs one without bound: `tick()` raises a UserError once the budget is spent."""

    def __init__(self, seconds: float | None, what: str = "checking the experiment") -> None:
        self.seconds = seconds
        self.what = what
        self.end = None if seconds is None else time.monotonic() + seconds

    def tick(self) -> None:
        if self.end is not None and time.monotonic() > self.end:
            raise UserError(f"{self.what} takes longer than the {self.seconds:g} s this server allows for it; use "
                            "fewer sweep points, draws or arms, or check and run it with `wargame batch`")
