"""Named outcome indicators: one flat record per turn, with the dotted column names every interface shares.

Headline indicators (each documented in INDICATORS) plus families:
`base.<id>.controller|status|garrison`, `region.<id>.<actor>`, `relation.<A>.<B>` (A before B in scenario order),
`utility.<actor>`, `bloc.<actor>`, `issue.<id>.forecast`.
"""
from __future__ import annotations

import operator
from typing import Any, Callable

import numpy as np

from model.scenario import BASE_STATUSES
from model.world import World, upper_pairs

INDICATORS = {
    "turn": "Turn number; 0 is the starting state, 1 the first month played.",
    "date": "Month of the turn (YYYY-MM).",
    "russia_bases_held": "Number of bases Russia holds (active, in drawdown or contested).",
    "syria_alignment": "Syria's mean relation with Western actors minus its relation with Russia (-2..2); "
                       "positive means Damascus leans West.",
    "russia_isolation": "How far the others stand from Russia: the size-weighted mean of (1 - relation with "
                        "Russia) / 2 over every other actor (0 = all fully friendly, 1 = all fully hostile).",
    "russia_bloc_opposition": "Share of the other actors' total size that sits in the bloc opposite Russia (0..1).",
    "kurdish_conflict": "Fighting intensity between the SDF and Damascus or Ankara, whichever is higher (0..1).",
    "sdf_damascus_fighting": "1 when fighting between the SDF and Damascus is at or above the open-fighting "
                             "threshold (params.open_fighting), else 0.",
    "us_engagement": "Smoothed share of US action points spent engaging Damascus (engage, aid, invest, lift "
                     "sanctions, recognise, patrol or mediate with Syria), 0..1.",
    "alliance_shifts": "Number of actors that switched bloc this turn (landscape dynamics).",
}
ROLE_DEFAULTS = {"russia": "RUS", "syria": "SYR", "usa": "USA", "kurds": "SDF", "turkey": "TUR"}
STATUS_NAMES = list(BASE_STATUSES)


def role(w: World, name: str) -> int:
    """Index of the actor in a headline role, -1 when the scenario has no such actor."""
    return w._aidx.get(ROLE_DEFAULTS[name], -1)


def headline(w: World, sizes: np.ndarray, open_fighting: float, shifts: int) -> dict[str, Any]:
    rus, syr, sdf, tur = role(w, "russia"), role(w, "syria"), role(w, "kurds"), role(w, "turkey")
    held = w.held()
    out: dict[str, Any] = {}
    out["russia_bases_held"] = int((held & (w.base_ctrl == rus)).sum()) if rus >= 0 else 0
    if syr >= 0:
        west = np.nonzero(w.western & (np.arange(w.n) != syr))[0]
        west_rel = float(w.rel[syr, west].mean()) if west.size else 0.0
        out["syria_alignment"] = west_rel - (float(w.rel[syr, rus]) if rus >= 0 else 0.0)
    else:
        out["syria_alignment"] = 0.0
    if rus >= 0:
        others = np.arange(w.n) != rus
        opp = others & (w.blocs != w.blocs[rus])
        out["russia_isolation"] = float((sizes[others] * (1.0 - w.rel[rus, others]) / 2.0).sum()
                                        / sizes[others].sum())
        out["russia_bloc_opposition"] = float(sizes[opp].sum() / sizes[others].sum())
    else:
        out["russia_isolation"] = out["russia_bloc_opposition"] = 0.0
    f_syr = float(w.fighting[sdf, syr]) if sdf >= 0 and syr >= 0 else 0.0
    f_tur = float(w.fighting[sdf, tur]) if sdf >= 0 and tur >= 0 else 0.0
    out["kurdish_conflict"] = max(f_syr, f_tur)
    out["sdf_damascus_fighting"] = int(f_syr >= open_fighting)
    out["us_engagement"] = float(w.us_engagement)
    out["alliance_shifts"] = int(shifts)
    return out


def record(w: World, sizes: np.ndarray, open_fighting: float, shifts: int, utilities: np.ndarray,
           date: str) -> dict[str, Any]:
    """The full flat record of one turn."""
    rec: dict[str, Any] = {"turn": w.turn, "date": date}
    rec.update(headline(w, sizes, open_fighting, shifts))
    for j, b in enumerate(w.bases):
        c = int(w.base_ctrl[j])
        rec[f"base.{b}.controller"] = w.actors[c] if c >= 0 else "none"
        rec[f"base.{b}.status"] = STATUS_NAMES[int(w.base_status[j])]
        rec[f"base.{b}.garrison"] = float(w.base_garrison[j])
    rec.update(zip(_names(w, "region"), w.control.ravel().tolist()))
    rec.update(zip(_names(w, "relation"), w.rel[upper_pairs(w.n)].tolist()))
    rec.update(zip(_names(w, "utility"), utilities.tolist()))
    rec.update(zip(_names(w, "bloc"), w.blocs.tolist()))
    rec.update(zip(_names(w, "issue"), w.forecast.tolist()))
    return rec


_NAME_CACHE: dict[tuple, list[str]] = {}



def _names(w: World, family: str) -> list[str]:
    """Column names of a family, in the order of the flattened arrays (cached per scenario shape)."""
    key = (family, tuple(w.actors), tuple(w.regions), tuple(w.issues))
    if key not in _NAME_CACHE:
        if family == "region":
            names = [f"region.{r}.{a}" for r in w.regions for a in w.actors]
        elif family == "relation":
            iu, ju = upper_pairs(w.n)
            names = [f"relation.{w.actors[i]}.{w.actors[j]}" for i, j in zip(iu, ju)]
        elif family == "issue":
            names = [f"issue.{k}.forecast" for k in w.issues]
        else:
            names = [f"{family}.{a}" for a in w.actors]
        _NAME_CACHE[key] = names
    return _NAME_CACHE[key]


def indicator_names(actors: list[str], bases: list[str], regions: list[str], issues: list[str]) -> set[str]:
    """Every column `record` writes for a scenario with these ids (what conditions may name)."""
    names = set(INDICATORS)
    names |= {f"base.{b}.{f}" for b in bases for f in ("controller", "status", "garrison")}
    names |= {f"region.{r}.{a}" for r in regions for a in actors}
    names |= {f"relation.{a}.{b}" for i, a in enumerate(actors) for b in actors[i + 1:]}
    names |= {f"{f}.{a}" for a in actors for f in ("utility", "bloc")}
    return names | {f"issue.{k}.forecast" for k in issues}


# ------------------------------------------------------------------------------------ conditions
OPS: dict[str, Callable[[Any, Any], bool]] = {
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


def evaluate(cond: Any, rec: dict[str, Any]) -> bool:
    """Evaluate a structured condition against a record (never eval)."""
    if cond is None:
        return True
    if "all" in cond:
        return all(evaluate(c, rec) for c in cond["all"])
    if "any" in cond:
        return any(evaluate(c, rec) for c in cond["any"])
    if "not" in cond:
        return not evaluate(cond["not"], rec)
    v = rec.get(cond["indicator"])
    if v is None:
        return False
    try:
        return bool(OPS[cond["op"]](v, cond["value"]))
    except TypeError:
        return False
