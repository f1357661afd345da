"""Names every package shares: order kinds and their fields, base statuses, indicator columns.

They live here, in the leaf package, because the schema validates configs against them and the mechanics act on
them: both import this module, neither imports the other.
"""
from __future__ import annotations

MAX_SEED = 2**63 - 1   # seeds are 0..MAX_SEED everywhere (CLI, web API, import, specs): SQLite's INTEGER keeps them

# "reduced": the lease was renegotiated down; the base is still held, its garrison capped (the base's lease.cap).
BASE_STATUSES = ("active", "drawdown", "evacuated", "contested", "destroyed", "reduced")

PHASES = ("diplomacy", "economy", "military")
KIND_PHASE = {
    "hold": "diplomacy", "engage": "diplomacy", "demand": "diplomacy", "concede": "diplomacy",
    "mediate": "diplomacy", "recognise": "diplomacy",
    "aid": "economy", "invest": "economy", "sanction": "economy", "lift_sanctions": "economy",
    "deploy": "military", "withdraw": "military", "strike": "military", "support_proxy": "military",
    "patrol": "military", "seize": "military", "attack": "military", "consolidate": "military",
}
ACTION_KINDS = tuple(KIND_PHASE)
# Every kind of event the story tells (model/sim: orders by their own kind, and these); story.minor_kinds names some
STORY_KINDS = ACTION_KINDS + ("event", "issue", "talks", "issue_closed", "alliance_shift", "order_dropped",
                              "base_change", "host_change", "lease", "strain", "attrition", "territory")
FIELDS = ("target", "other", "base", "region", "issue", "into")   # into: the base a consolidation moves to
COLUMNS = ("actor",) + FIELDS
# Fields an order must name; the others are filled in from the one feasible order it designates
# (a patrol's region follows from the partner, a seize's target from the base's holder).
REQUIRED = {
    "engage": ("target",), "recognise": ("target",), "aid": ("target",), "invest": ("target",),
    "sanction": ("target",), "lift_sanctions": ("target",), "support_proxy": ("target",), "patrol": ("target",),
    "demand": ("issue",), "concede": ("issue",), "mediate": ("target", "other"),
    "deploy": ("base",), "withdraw": ("base",), "seize": ("base",), "strike": ("target",), "hold": (),
    "attack": ("target", "region"), "consolidate": ("base", "into"),
}

INDICATORS = {
    "turn": "Turn number; 0 is the starting state, 1 the first month played.",
    "date": "Month of the turn (YYYY-MM).",
    "russia_bases_held": "Number of bases Russia holds (active, in drawdown or contested).",
    "syria_alignment": "Syria's mean relation with Western actors minus its relation with Russia (-2..2); "
                       "positive means Damascus leans West.",
    "russia_isolation": "How far the others stand from Russia: the size-weighted mean of (1 - relation with "
                        "Russia) / 2 over every other actor (0 = all fully friendly, 1 = all fully hostile).",
    "russia_bloc_opposition": "Share of the other actors' total size that sits in a bloc other than Russia's "
                              "(0..1; actors outside every bloc count as neither).",
    "kurdish_conflict": "Fighting intensity between the SDF and Damascus or Ankara, whichever is higher (0..1).",
    "sdf_damascus_fighting": "1 when fighting between the SDF and Damascus is at or above the open-fighting "
                             "threshold (params.open_fighting), else 0.",
    "us_engagement": "Smoothed share of US action points spent engaging Damascus (engage, aid, invest, lift "
                     "sanctions, recognise, patrol or mediate with Syria), 0..1.",
    "alliance_shifts": "Number of actors that switched bloc this turn (landscape dynamics with a realignment "
                       "cost, model.sim.alignment).",
    "blocs_in_use": "Number of blocs with at least one member (at most alignment.blocs; outsiders form none).",
    "syria_with_west": "1 when Syria (role syria) shares a bloc with the United States (role usa), else 0: the "
                       "seed article's pivot West as a change of bloc.",
}


def indicator_names(actors: list[str], bases: list[str], regions: list[str], issues: list[str]) -> set[str]:
    """Every column `record` writes for a scenario with these ids (what conditions may name)."""
    names = set(INDICATORS)
    names |= {f"base.{b}.{f}" for b in bases for f in ("controller", "status", "garrison", "host", "consent")}
    names |= {f"region.{r}.{a}" for r in regions for a in actors}
    names |= {f"relation.{a}.{b}" for i, a in enumerate(actors) for b in actors[i + 1:]}
    names |= {f"{f}.{a}" for a in actors for f in ("utility", "bloc", "strain", "alignment")}
    names |= {f"capability.{a}.{f}" for a in actors for f in ("military", "economic")}
    return names | {f"issue.{k}.forecast" for k in issues}


def text_indicators(actors: list[str], bases: list[str]) -> dict[str, list[str] | None]:
    """The indicator columns that hold text, with the values each can take (None: any text); every other column
    holds a number. A base's holder and host read "none" when nobody holds it (model.sim.indicators)."""
    who = [*actors, "none"]
    out: dict[str, list[str] | None] = {"date": None}
    for b in bases:
        out[f"base.{b}.controller"] = who
        out[f"base.{b}.host"] = who
        out[f"base.{b}.status"] = list(BASE_STATUSES)
    return out
