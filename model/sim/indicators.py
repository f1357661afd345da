"""Named outcome indicators: one flat record per turn, with the dotted column names every interface shares.

Headline indicators (each documented in INDICATORS) plus families:
`base.<id>.controller|status|garrison|host|consent` (consent is 1 where the base needs none), `region.<id>.<actor>`,
`relation.<A>.<B>` (A before B in scenario order), `utility.<actor>`, `bloc.<actor>` (label, -1 outside),
`alignment.<actor>` (margin), `issue.<id>.forecast`,
`strain.<actor>` (troops over budget / budget, 0 within budget or without one), `capability.<actor>.military|economic`.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from model.config.vocabulary import BASE_STATUSES
from model.sim.world import World, upper_flat, upper_pairs

STATUS_NAMES = list(BASE_STATUSES)


def role(w: World, name: str) -> int:
    """Index of the actor in a headline role, -1 when the scenario has no such actor."""
    return w.roles.get(name, -1)


def _groups(w: World, syr: int, rus: int) -> tuple[np.ndarray, np.ndarray]:
    """The western actors other than Syria, and everyone but Russia (fixed for a game: cached in the world)."""
    cached = w.__dict__.get("_headline_groups")
    if cached is None or cached[0] != (syr, rus, w.n):
        west = (w.western & (np.arange(w.n) != syr)).nonzero()[0]
        cached = w.__dict__["_headline_groups"] = ((syr, rus, w.n), west, np.arange(w.n) != rus)
    return cached[1], cached[2]


def headline(w: World, sizes: np.ndarray, open_fighting: float, shifts: int) -> dict[str, Any]:
    rus, syr, sdf, tur = role(w, "russia"), role(w, "syria"), role(w, "kurds"), role(w, "turkey")
    held = w.held()
    out: dict[str, Any] = {}
    out["russia_bases_held"] = int(np.count_nonzero(held & (w.base_ctrl == rus))) if rus >= 0 else 0
    west, others = _groups(w, syr, rus)
    if syr >= 0:
        west_rel = float(w.rel[syr, west].mean()) if west.size else 0.0
        out["syria_alignment"] = west_rel - (float(w.rel[syr, rus]) if rus >= 0 else 0.0)
    else:
        out["syria_alignment"] = 0.0
    if rus >= 0:
        opp = (w.blocs != w.blocs[rus]) & (w.blocs >= 0)   # in a bloc, not Russia's (Russia outside: any bloc)
        others_size = sizes[others]
        total = others_size.sum()
        out["russia_isolation"] = float((others_size * (1.0 - w.rel[rus, others]) / 2.0).sum() / total)
        out["russia_bloc_opposition"] = float(sizes[opp].sum() / total)
    else:
        out["russia_isolation"] = out["russia_bloc_opposition"] = 0.0
    f_syr = float(w.fighting[sdf, syr]) if sdf >= 0 and syr >= 0 else 0.0
    f_tur = float(w.fighting[sdf, tur]) if sdf >= 0 and tur >= 0 else 0.0
    out["kurdish_conflict"] = max(f_syr, f_tur)
    out["sdf_damascus_fighting"] = int(f_syr >= open_fighting)
    out["us_engagement"] = float(w.us_engagement)
    out["alliance_shifts"] = int(shifts)
    out["blocs_in_use"] = len(set(w.blocs.tolist()) - {-1})
    usa = role(w, "usa")
    out["syria_with_west"] = int(syr >= 0 and usa >= 0 and w.blocs[syr] >= 0 and w.blocs[syr] == w.blocs[usa])
    return out


def record(w: World, sizes: np.ndarray, open_fighting: float, shifts: int, utilities: np.ndarray,
           date: str) -> dict[str, Any]:
    """The full flat record of one turn."""
    names = _names(w)
    rec: dict[str, Any] = {"turn": w.turn, "date": date}
    rec.update(headline(w, sizes, open_fighting, shifts))
    actor_or_none = w.actors + ["none"]                  # index -1 reads "none"
    values: list[Any] = []
    for c, status, garrison, host, consent in zip(w.base_ctrl.tolist(), w.base_status.tolist(),
                                                  w.base_garrison.tolist(), w.base_host.tolist(),
                                                  w.base_consent.tolist(), strict=True):
        values += (actor_or_none[c], STATUS_NAMES[status], garrison, actor_or_none[host], consent)
    rec.update(zip(names["base"], values, strict=True))
    rec.update(zip(names["region"], w.control.ravel().tolist(), strict=True))
    rec.update(zip(names["relation"], w.rel.take(upper_flat(w.n)).tolist(), strict=True))
    rec.update(zip(names["utility"], utilities.tolist(), strict=True))
    rec.update(zip(names["bloc"], w.blocs.tolist(), strict=True))
    rec.update(zip(names["alignment"], w.alignment.margin.tolist(), strict=True))
    rec.update(zip(names["issue"], w.forecast.tolist(), strict=True))
    rec.update(zip(names["strain"], w.strain.tolist(), strict=True))
    rec.update(zip(names["capability"], w.cap[:, :2].ravel().tolist(), strict=True))
    return rec


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
