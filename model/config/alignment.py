"""The scenario's `alignment:` section: the structural drivers of alliance choice and how the blocs move.

Landscape theory (Axelrod & Bennett 1993) needs a propensity p_ij for every pair. The model builds it from
documented structural drivers (docs/model.md), each an actor-by-actor table written here with its
citation, not from the relation matrix that the balance term pushes toward two camps every month:

* `ties` (symmetric, 0..1): treaties, alliances, patronage, military MoUs, partner forces;
* `threat` (directed, 0..1): "A-B" = A sees B as a threat; shared threats pull together, direct ones push apart;
* `economic` (directed, 0..1): "A-B" = A depends on B (aid, investment, trade);
* `affinity` (symmetric, -1..1): regime and ideological affinity;
* `basing` (per base, 0..1): the tie a consented base adds between its holder and its host while it is held.

Every field has a documented default, so a scenario without the section (the small test scenarios) plays with
relations as the only driver, k = 4 blocs and nobody outside.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from model.config.vocabulary import ACTION_KINDS

DRIVERS = ("ties", "threat", "economic", "affinity")   # the tables a `driver` effect or an order can move
DIRECTED = ("threat", "economic")                     # "A-B" means A's view of B; the others are symmetric
FLOWS = ("threat", "economic")                        # decay toward their baselines; ties and affinity persist
MAX_ALIGNMENT_BLOCS = 8                               # labels 0..k-1; the landscape at start-up stays cheap
Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Signed = Annotated[float, Field(ge=-1.0, le=1.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True, allow_inf_nan=False)


class DriverWeights(_Strict):
    """Weights w_d of p_ij = sum_d w_d D^d_ij. Equal unit weights follow Axelrod & Bennett (1993), whose WWII
    propensities add unweighted dimensions; relations count half (docs/model.md says why)."""
    ties: float = Field(1.0, ge=0, le=10, description="Weight of treaty, patronage and basing ties.")
    shared_threat: float = Field(1.0, ge=0, le=10, description="Weight of shared threats "
                                 "S_ij = sum_k T_ik T_jk / (n - 2) (the enemy of my enemy; Walt 1987).")
    threat: float = Field(1.0, ge=0, le=10, description="Weight of direct threat (T_ij + T_ji) / 2, which "
                          "pushes a pair apart.")
    economic: float = Field(1.0, ge=0, le=10, description="Weight of economic dependence (E_ij + E_ji) / 2.")
    affinity: float = Field(1.0, ge=0, le=10, description="Weight of regime and ideological affinity.")
    relations: float = Field(0.5, ge=0, le=10, description="Weight of the current relations (diplomacy counts, "
                             "but they partly restate the drivers and the balance term moves them monthly).")


class DriverDecay(_Strict):
    """Monthly share of the gap to its baseline that a flow driver closes (ties and affinity do not decay)."""
    threat: float = Field(0.109, ge=0, le=1, description="Threat perceptions raised by strikes and seizures fade "
                          "toward the baseline: 0.109 = a half-life of six months (assumption).")
    economic: float = Field(0.056, ge=0, le=1, description="Dependence built by aid and investment fades toward "
                            "the baseline: 0.056 = a half-life of twelve months (assumption).")


class OrderDrivers(_Strict):
    """What one carried-out order of a kind does to the drivers between the actor and its target.

    Each delta changes the target's view of the actor: threat[target, actor] (the struck fears the striker),
    economic[target, actor] (the aided depends on the donor); ties change for the pair (symmetric)."""
    ties: float = Field(0.0, ge=-1, le=1, description="Added to the pair's tie.")
    threat: float = Field(0.0, ge=-1, le=1, description="Added to the threat the target sees in the actor.")
    economic: float = Field(0.0, ge=-1, le=1, description="Added to the target's dependence on the actor.")


# Defaults, per order kind (docs/model.md gives the reasoning of each). Military kinds added later (an
# `attack`) pick their row up from here when they exist in the vocabulary, and any scenario may add or change rows.
_ORDER_DRIVERS: dict[str, dict[str, float]] = {
    "aid": {"economic": 0.03},
    "invest": {"economic": 0.05},
    "lift_sanctions": {"economic": 0.03},
    "sanction": {"economic": -0.05, "threat": 0.02},
    "recognise": {"ties": 0.05},
    "support_proxy": {"ties": 0.02},
    "patrol": {"ties": 0.01},
    "strike": {"threat": 0.1},
    "seize": {"threat": 0.15},
    "attack": {"threat": 0.15},
}


def default_order_drivers() -> dict[str, OrderDrivers]:
    """The default driver effect of every order kind the vocabulary has (kinds without one move no driver)."""
    return {k: OrderDrivers(**v) for k, v in _ORDER_DRIVERS.items() if k in ACTION_KINDS}


class AlignmentConfig(_Strict):
    """Structural drivers of alliance choice and the k-bloc dynamics (docs/model.md)."""
    blocs: int = Field(4, ge=1, le=MAX_ALIGNMENT_BLOCS, description="At most this many blocs (k).")
    outside: list[str] = Field(default_factory=list, description="Actors fixed outside every bloc (they take no "
                               "part in coalitions but still count in everyone's frustration).")
    may_abstain: list[str] = Field(default_factory=list, description="Actors who may stand aside (outside) "
                                   "as well as join a bloc.")
    switch_cost: float = Field(0.05, ge=0, le=1, description="Realignment cost: an actor moves only if its "
                               "frustration falls by more than this share of its total pull sum_j |s_j p_ij|.")
    rule: Literal["energy", "frustration"] = Field("energy", description="Who moves first: the largest energy "
                                                   "drop (steepest descent) or the largest frustration drop.")
    initial: Literal["landscape"] | list[list[str]] = Field(
        "landscape", description="Starting blocs: `landscape` = the local minimum of the starting landscape with "
        "the largest basin (ties: lower energy); or a list of blocs (lists of actor ids; every actor not fixed "
        "outside is listed, except those who may abstain, who start outside if not listed), settled by the "
        "dynamics without cost.")
    weights: DriverWeights = Field(default_factory=DriverWeights, description="Weights of the drivers.")
    decay: DriverDecay = Field(default_factory=DriverDecay, description="Decay of flows toward baselines.")
    ties: dict[str, Unit] = Field(default_factory=dict, description="Tie per pair 'A-B' in [0, 1] (symmetric).")
    threat: dict[str, Unit] = Field(default_factory=dict,
                                     description="Threat 'A-B' in [0, 1]: how much A sees B as a threat.")
    economic: dict[str, Unit] = Field(default_factory=dict,
                                       description="Dependence 'A-B' in [0, 1]: how much A depends on B.")
    affinity: dict[str, Signed] = Field(default_factory=dict,
                                       description="Regime/ideological affinity per pair 'A-B' in [-1, 1].")
    basing: dict[str, Unit] = Field(default_factory=dict, description="Per base id: the tie in [0, 1] its holder "
                                     "has with its host while it holds the base by consent (a lease).")
    orders: dict[str, OrderDrivers] = Field(default_factory=default_order_drivers,
                                            description="Driver effect of one carried-out order, per kind.")
    memory: int = Field(6, ge=1, le=60, description="Months back that a switch's cause looks for recent changes "
                        "(besides the change since the start).")
    cause_terms: int = Field(2, ge=1, le=5, description="How many pull terms a switch's sentence names.")

    @field_validator("orders", mode="before")
    @classmethod
    def _order_defaults(cls, v: Any) -> Any:
        """A scenario lists only the kinds and drivers it changes; the other rows keep their defaults."""
        if not isinstance(v, dict):
            return v
        out: dict[str, Any] = {k: d.model_dump() for k, d in default_order_drivers().items()}
        for k, given in v.items():
            out[k] = {**out[k], **given} if k in out and isinstance(given, dict) else given
        return out


def pair_key(key: str) -> tuple[str, str] | None:
    """'A-B' -> ('A', 'B'), or None when the key is not two ids joined by '-' (as model.config.scenario reads
    relation keys; scenario.py imports this module, so the rule is repeated here, not imported)."""
    parts = key.split("-")
    return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None


def check_alignment(sc: Any) -> list[tuple[tuple, str]]:
    """Cross-references of the section (actors, bases, order kinds, pairs): (path, message) pairs."""
    al: AlignmentConfig = sc.alignment
    actors, bases = set(sc.actors), set(sc.bases)
    errs: list[tuple[tuple, str]] = []
    known = ", ".join(sorted(actors))
    for field in ("outside", "may_abstain"):
        for n, a in enumerate(getattr(al, field)):
            if a not in actors:
                errs.append((("alignment", field, n), f"unknown actor {a!r}; expected one of {known}"))
    for a in sorted(set(al.outside) & set(al.may_abstain)):
        errs.append((("alignment", "may_abstain"), f"{a} is fixed outside and cannot also be in may_abstain"))
    for table in DRIVERS:
        seen: dict[frozenset, str] = {}
        values = getattr(al, table)
        for key in values:
            pair = pair_key(key)
            where = ("alignment", table, key)
            if pair is None:
                errs.append((where, f"pair {key!r} must look like 'A-B' with two actor ids"))
                continue
            bad = [a for a in pair if a not in actors]
            for a in bad:
                errs.append((where, f"unknown actor {a!r}; expected one of {known}"))
            if pair[0] == pair[1]:
                errs.append((where, "a pair needs two different actors"))
            ident = frozenset(pair) if table not in DIRECTED else frozenset([pair])
            if ident in seen and values[seen[ident]] != values[key]:
                errs.append((where, f"pair given twice with different values (also as {seen[ident]!r})"))
            seen[ident] = key
    for b in al.basing:
        if b not in bases:
            errs.append((("alignment", "basing", b),
                         f"unknown base {b!r}; expected one of {', '.join(sorted(bases)) or 'none'}"))
    for k in al.orders:
        if k not in ACTION_KINDS:
            errs.append((("alignment", "orders", k),
                         f"unknown order kind {k!r}; expected one of {', '.join(ACTION_KINDS)}"))
    if isinstance(al.initial, list):
        placed: set[str] = set()
        for n, bloc in enumerate(al.initial):
            for a in bloc:
                where = ("alignment", "initial", n)
                if a not in actors:
                    errs.append((where, f"unknown actor {a!r}; expected one of {known}"))
                elif a in placed:
                    errs.append((where, f"{a} is in two starting blocs"))
                elif a in al.outside:
                    errs.append((where, f"{a} is fixed outside and cannot start in a bloc"))
                placed.add(a)
        for a in sc.actors:
            if a not in placed and a not in al.outside and a not in al.may_abstain:
                errs.append((("alignment", "initial"), f"{a} is in no starting bloc (list it, or put it in "
                                                      "outside or may_abstain)"))
        if len([b for b in al.initial if b]) > al.blocs:
            errs.append((("alignment", "initial"), f"{len(al.initial)} starting blocs but at most "
                                                  f"alignment.blocs = {al.blocs}"))
    return errs
