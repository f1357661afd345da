"""The condition model: structured conditions over indicator columns ({indicator, op, value}, all, any, not),
checked when a config is read and evaluated by events, rules and experiment outcomes (never eval)."""
from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

# a bool for two values, an element-wise column for a pandas Series (the experiment reports)
OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
}


def check_condition(cond: Any, known: set[str] | None = None) -> list[str]:
    """Problems in a condition's structure (and unknown indicator names when `known` is given)."""
    if cond is None:
        return []
    if not isinstance(cond, dict):
        return [f"a condition must be a mapping, got {type(cond).__name__}"]
    if set(cond) == {"all"} or set(cond) == {"any"}:
        items = next(iter(cond.values()))
        if not isinstance(items, list):
            return ["'all'/'any' take a list of conditions"]
        return [e for c in items for e in check_condition(c, known)]
    if set(cond) == {"not"}:
        return check_condition(cond["not"], known)
    if set(cond) != {"indicator", "op", "value"}:
        return [f"a condition is {{indicator, op, value}}, all/any: [...] or not: {{...}}; got keys {sorted(cond)}"]
    errs = []
    if cond["op"] not in OPS:
        errs.append(f"unknown operator {cond['op']!r}; expected one of {' '.join(OPS)}")
    if known is not None and cond["indicator"] not in known:
        errs.append(f"unknown indicator {cond['indicator']!r}")
    return errs


def evaluate(cond: Any, rec: Mapping[str, Any]) -> bool:
    """Evaluate a structured condition against a record (never eval)."""
    if cond is None:
        return True
    if "all" in cond:                   # (loops, not all()/any() over generators: the model asks every month)
        for c in cond["all"]:
            if not evaluate(c, rec):
                return False
        return True
    if "any" in cond:
        for c in cond["any"]:
            if evaluate(c, rec):
                return True
        return False
    if "not" in cond:
        return not evaluate(cond["not"], rec)
    v = rec.get(cond["indicator"])
    if v is None:
        return False
    try:
        return bool(OPS[cond["op"]](v, cond["value"]))
    except TypeError:
        return False
