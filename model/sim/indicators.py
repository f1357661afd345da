"""Named outcome indicators: one flat record per turn, with the dotted column names every interface shares.

Headline indicators (each documented in INDICATORS) plus families:
`base.<id>.controller|status|garrison|host|consent` (consent is 1 where the base needs none), `region.<id>.<actor>`,
`relation.<A>.<B>` (A before B in scenario order), `utility.<actor>`, `bloc.<actor>` (label, -1 outside),
`alignment.<actor>` (margin), `issue.<id>.forecast`,
`strain.<actor>` (troops over budget / budget, 0 within budget or without one), `capability.<actor>.military|economic`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from model.config.vocabulary import BASE_STATUSES
from model.sim.world import IS_HELD, World, upper_flat, upper_pairs

STATUS_NAMES = list(BASE_STATUSES)


HEADLINE_KEYS = ("russia_bases_held", "syria_alignment", "russia_isolation", "russia_bloc_opposition",
                 "kurdish_conflict", "sdf_damascus_fighting", "us_engagement", "alliance_shifts", "blocs_in_use",
                 "syria_with_west")
_HELD = IS_HELD.tolist()                                 # status index -> held?


def role(w: World, name: str) -> int:
    """Index of the actor in a headline role, -1 when the scenario has no such actor."""
    return w.roles.get(name, -1)


@dataclass(frozen=True)
class _Plan:
    """What the record reads of a world that does not change during a game (cached in the world): the column names
    in record order, the headline roles and the western actors other than Syria and everyone but Russia (as
    indices, in actor order)."""
    key: tuple
    names: tuple[str, ...]
    roles: tuple[int, int, int, int, int]      # russia, syria, kurds, turkey, usa
    west: np.ndarray
    others: np.ndarray
    relation: np.ndarray                         # upper_flat(n)


def _plan(w: World) -> _Plan:
    key = (w.actors, w.bases, w.regions, w.issues, w.roles)
    plan = w.__dict__.get("_record_plan")
    if plan is not None and plan.key == key:
        return plan
    rus, syr = role(w, "russia"), role(w, "syria")
    everyone = np.arange(w.n)
    names = _names(w)
    columns = ("turn", "date") + HEADLINE_KEYS + tuple(
        name for family in ("base", "region", "relation", "utility", "bloc", "alignment", "issue", "strain",
                            "capability") for name in names[family])
    plan = _Plan((list(w.actors), list(w.bases), list(w.regions), list(w.issues), dict(w.roles)), columns,
                 (rus, syr, role(w, "kurds"), role(w, "turkey"), role(w, "usa")),
                 (w.western & (everyone != syr)).nonzero()[0], (everyone != rus).nonzero()[0], upper_flat(w.n))
    w.__dict__["_record_plan"] = plan
    return plan


def _headline(w: World, plan: _Plan, sizes: np.ndarray, open_fighting: float, shifts: int, ctrl: list[int],
              status: list[int], blocs: list[int]) -> list[Any]:
    """The headline indicators in HEADLINE_KEYS order (`ctrl`, `status`, `blocs`: the world's arrays as lists).
    Python arithmetic where it is numpy's to the bit (single operations on floats); sums over arrays stay numpy
    reductions (their order of additions is numpy's)."""
    rus, syr, sdf, tur, usa = plan.roles
    held_rus = sum(1 for c, s in zip(ctrl, status, strict=True) if c == rus and _HELD[s]) if rus >= 0 else 0
    if syr >= 0:
        west = plan.west
        west_rel = float(np.add.reduce(w.rel[syr].take(west))) / west.size if west.size else 0.0   # np.mean
        alignment = west_rel - (float(w.rel[syr, rus]) if rus >= 0 else 0.0)
    else:
        alignment = 0.0
    if rus >= 0:
        others = plan.others
        others_size = sizes.take(others)
        total = np.add.reduce(others_size)
        isolation = float(np.add.reduce(others_size * (1.0 - w.rel[rus].take(others)) / 2.0) / total)
        b = blocs[rus]                          # in a bloc, not Russia's (Russia outside: any bloc)
        opposition = float(np.add.reduce(sizes[[i for i, x in enumerate(blocs) if x != b and x >= 0]]) / total)
    else:
        isolation = opposition = 0.0
    f_syr = float(w.fighting[sdf, syr]) if sdf >= 0 and syr >= 0 else 0.0
    f_tur = float(w.fighting[sdf, tur]) if sdf >= 0 and tur >= 0 else 0.0
    with_west = int(syr >= 0 and usa >= 0 and blocs[syr] >= 0 and blocs[syr] == blocs[usa])
    return [int(held_rus), alignment, isolation, opposition, max(f_syr, f_tur), int(f_syr >= open_fighting),
            float(w.us_engagement), int(shifts), len(set(blocs) - {-1}), with_west]


def headline(w: World, sizes: np.ndarray, open_fighting: float, shifts: int) -> dict[str, Any]:
    """The headline indicators (documented in model.config.vocabulary.INDICATORS) by name."""
    return dict(zip(HEADLINE_KEYS, _headline(w, _plan(w), sizes, open_fighting, shifts, w.base_ctrl.tolist(),
                                             w.base_status.tolist(), w.blocs.tolist()), strict=True))


def record_values(w: World, sizes: np.ndarray, open_fighting: float, shifts: int, utilities: np.ndarray,
                  date: str) -> tuple[tuple[str, ...], list[Any]]:
    """The full flat record of one turn as its column names (one tuple per game) and its values, in order: what
    the DataCollector appends, without a dict in between."""
    plan = _plan(w)
    ctrl, status, blocs = w.base_ctrl.tolist(), w.base_status.tolist(), w.blocs.tolist()
    values: list[Any] = [w.turn, date]
    values += _headline(w, plan, sizes, open_fighting, shifts, ctrl, status, blocs)
    actor_or_none = w.actors + ["none"]                  # index -1 reads "none"
    for c, s, garrison, host, consent in zip(ctrl, status, w.base_garrison.tolist(), w.base_host.tolist(),
                                             w.base_consent.tolist(), strict=True):
        values += (actor_or_none[c], STATUS_NAMES[s], garrison, actor_or_none[host], consent)
    values += w.control.ravel().tolist()
    values += w.rel.take(plan.relation).tolist()
    values += utilities.tolist()
    values += blocs
    values += w.alignment.margin.tolist()
    values += w.forecast.tolist()
    values += w.strain.tolist()
    values += w.cap[:, :2].ravel().tolist()
    return plan.names, values


def record(w: World, sizes: np.ndarray, open_fighting: float, shifts: int, utilities: np.ndarray,
           date: str) -> dict[str, Any]:
    """The full flat record of one turn."""
    names, values = record_values(w, sizes, open_fighting, shifts, utilities, date)
    return dict(zip(names, values, strict=True))


_NAME_CACHE: dict[tuple, dict[str, list[str]]] = {}


def _names(w: World) -> dict[str, list[str]]:
    """Column names of each family, in the order of the flattened arrays (cached per scenario shape)."""
    mine = w.__dict__.get("_record_names")        # this world's (its id lists do not change during a game)
    if mine is not None and mine[0] == (w.actors, w.bases, w.regions, w.issues):
        return mine[1]
    key = (tuple(w.actors), tuple(w.bases), tuple(w.regions), tuple(w.issues))
    names = _NAME_CACHE.get(key)
    if names is None:
        iu, ju = upper_pairs(w.n)
        names = {"base": [f"base.{b}.{part}" for b in w.bases
                          for part in ("controller", "status", "garrison", "host", "consent")],
                 "strain": [f"strain.{a}" for a in w.actors],
                 "capability": [f"capability.{a}.{f}" for a in w.actors for f in ("military", "economic")],
                 "region": [f"region.{r}.{a}" for r in w.regions for a in w.actors],
                 "relation": [f"relation.{w.actors[i]}.{w.actors[j]}" for i, j in zip(iu, ju, strict=True)],
                 "issue": [f"issue.{k}.forecast" for k in w.issues],
                 "utility": [f"utility.{a}" for a in w.actors],
                 "bloc": [f"bloc.{a}" for a in w.actors],
                 "alignment": [f"alignment.{a}" for a in w.actors]}
        _NAME_CACHE[key] = names
    w.__dict__["_record_names"] = ((list(w.actors), list(w.bases), list(w.regions), list(w.issues)), names)
    return names
