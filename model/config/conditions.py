"""The condition model: structured conditions over indicator columns ({indicator, op, value}, all, any, not),
checked when a config is read and evaluated by events, rules and experiment outcomes (never eval)."""
from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

# a bool for two values, an element-wise column for a pandas Series (the experiment reports)
OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
}

OP_TYPOS = {"=>": ">=", "=<": "<=", "=": "==", "<>": "!=", "!": "!=", "eq": "==", "ne": "!=", "lt": "<", "le": "<=",
            "gt": ">", "ge": ">="}


def check_condition(cond: Any, known: set[str] | None = None) -> list[str]:
    """Problems in a condition's structure (and unknown indicator names when `known` is given)."""
    return [msg for _, msg in condition_problems(cond, known)]


def condition_problems(cond: Any, known: Collection[str] | None = None,
                       text_values: Mapping[str, Sequence[str] | None] | None = None,
                       path: tuple = ()) -> list[tuple[tuple, str]]:
    """(path inside the condition, message) for each problem, so an error can name the very key that is wrong.

    `known`: the indicator names the condition may use (an unknown one gets a "did you mean"). `text_values`: when
    given, the value of each leaf is checked against its indicator's kind: the indicators named here hold text (a
    list of the values they can take, or None for any text; == and != only), every other one holds a number."""
    if cond is None:
        return []
    if not isinstance(cond, dict):
        return [(path, f"a condition must be a mapping, got {type(cond).__name__}")]
    if set(cond) == {"all"} or set(cond) == {"any"}:
        key = next(iter(cond))
        items = cond[key]
        if not isinstance(items, list):
            return [(path + (key,), "'all'/'any' take a list of conditions")]
        return [e for n, c in enumerate(items) for e in condition_problems(c, known, text_values, path + (key, n))]
    if set(cond) == {"not"}:
        return condition_problems(cond["not"], known, text_values, path + ("not",))
    if set(cond) != {"indicator", "op", "value"}:
        return [(path, f"a condition is {{indicator, op, value}}, all/any: [...] or not: {{...}}; got keys "
                       f"{sorted(cond)}")]
    errs: list[tuple[tuple, str]] = []
    name, op, value = cond["indicator"], cond["op"], cond["value"]
    if not isinstance(op, str) or op not in OPS:
        hint = OP_TYPOS.get(op) if isinstance(op, str) else None
        errs.append((path + ("op",), f"unknown operator {op!r}; expected one of {' '.join(OPS)}"
                     + (f" (did you mean {hint!r}?)" if hint else "")))
    if not isinstance(name, str):
        errs.append((path + ("indicator",), f"an indicator is named by text, got {name!r}"))
    elif known is not None and name not in known:
        hint = indicator_hint(str(name), known)
        errs.append((path + ("indicator",), f"unknown indicator {name!r}" + (f"; did you mean {hint!r}?" if hint
                                                                             else "")))
    elif text_values is not None:
        errs += _value_problems(str(name), op, value, text_values, path)
    return errs


def indicator_hint(name: str, known: Collection[str]) -> str | None:
    """The indicator a mistyped name most likely means: a relation pair named the other way round, else the
    closest name."""
    parts = name.split(".")
    if len(parts) == 3 and parts[0] == "relation" and f"relation.{parts[2]}.{parts[1]}" in known:
        return f"relation.{parts[2]}.{parts[1]}"   # pairs are named in scenario order
    hit = difflib.get_close_matches(name, list(known), 1)
    return hit[0] if hit else None


def _value_problems(name: str, op: Any, value: Any, text_values: Mapping[str, Sequence[str] | None],
                    path: tuple) -> list[tuple[tuple, str]]:
    """A value that can never compare with its indicator (text against a number, an actor id that does not exist)."""
    at = path + ("value",)
    number = isinstance(value, (int, float))        # true/false read as 1/0, as the 0/1 indicators hold
    if name not in text_values:
        if not number:
            hint = ""
            if isinstance(value, str):
                try:
                    float(value)
                    hint = " (YAML reads a quoted number, or one like 1e-3, as text: write 0.001 or 1.0e-3)"
                except ValueError:
                    pass
            return [(at, f"{name} holds a number, so value {value!r} never compares with it; give a number{hint}")]
        if value != value:
            return [(at, f"NaN never compares with {name}; give a number")]
        return []
    allowed = text_values[name]
    if isinstance(op, str) and op in OPS and op not in ("==", "!="):
        return [(path + ("op",), f"{name} holds text; use op == or !=")]
    if not isinstance(value, str):
        return [(at, f"{name} holds text, so value {value!r} never compares with it; give one of "
                     f"{', '.join(allowed or ()) or 'its values'}")]
    if allowed is not None and value not in allowed:
        kind = "actor" if name.endswith((".controller", ".host")) else "value"
        return [(at, unknown_name(kind, value, allowed))]
    return []


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


def unknown_name(kind: str, name: str, known: Sequence[str]) -> str:
    """'unknown actor 'SYRIA'; did you mean 'SYR'? (expected one of ...)': a mistyped name with its nearest match."""
    hint = _nearest(name, known)
    listed = ", ".join(known) or "none"
    if hint:
        return f"unknown {kind} {name!r}; did you mean {hint!r}? (expected one of {listed})"
    return f"unknown {kind} {name!r}; expected one of {listed}"


def _nearest(name: str, known: Sequence[str]) -> str | None:
    """The known name a mistyped one most likely means: one it starts with or that starts with it ('RUSSIA' ->
    'RUS', whatever the case), else the closest by spelling."""
    low = name.lower()
    prefixed = [k for k in known if len(low) >= 2 and k and (low.startswith(k.lower()) or k.lower().startswith(low))]
    if prefixed:
        return max(prefixed, key=len)
    hit = difflib.get_close_matches(name, list(known), 1)
    return hit[0] if hit else None
