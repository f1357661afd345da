"""The scenario schema: every assumption of the wargame as a validated, documented config value.

A scenario YAML file is read by `model.config.loading` (safe loading, line numbers, `extends:`, dotted overrides)
and validated here with pydantic, so a mistake is reported as `file:line: field: message`.
Cross-references (an actor named in a relation, a base's region, a goal's base) are checked after the
field-level validation, with the line of the offending key.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from model.config import limits, locations
from model.config.alignment import AlignmentConfig, check_alignment
from model.config.conditions import condition_problems, unknown_name
from model.config.errors import NameNotFound, UserError, UserErrors, yaml_names
from model.config.ground import Budget, Ground
from model.config.loading import Uncertain
from model.config.talks import StatusQuo, StoryParams, TalksParams
from model.config.victory import Victory
from model.config.vocabulary import (
    ACTION_KINDS,
    FIELDS,
    REQUIRED,
    indicator_names,
    text_indicators,
)

SCENARIO_DIR = locations.shipped_dir(locations.SCENARIOS)   # the shipped scenarios (package data)

Id = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", description="short readable id")]
Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Signed = Annotated[float, Field(ge=-1.0, le=1.0)]


def _each_unit(v: dict[str, float], what: str) -> dict[str, float]:
    """Per-actor values that must lie in [0, 1] (the error names the actor)."""
    for k, x in v.items():
        if not 0 <= x <= 1:
            raise ValueError(f"{what} {k} must be between 0 and 1, got {x}")
    return v


class Strict(BaseModel):
    # allow_inf_nan=False: nan/inf would pass unbounded fields (population, control shares) and poison a game.
    model_config = ConfigDict(extra="forbid", validate_default=True, allow_inf_nan=False)


# --------------------------------------------------------------------------------------------- actors
class Capabilities(Strict):
    military: float = Field(0.0, ge=0, le=100, description="Military power projectable in Syria, 0-100 index.")
    economic: float = Field(0.0, ge=0, le=100, description="Economic weight available for Syria, 0-100 index.")
    diplomatic: float = Field(0.0, ge=0, le=100, description="Diplomatic leverage over Syrian affairs, 0-100 index.")


class Goal(Strict):
    kind: Literal["hold_base", "deny_base", "relation", "influence", "issue", "economy", "stability"] = Field(
        description="What the actor values: holding a base, denying a base to someone, a relation at (or past) a "
                    "target, control of regions, an issue outcome near its own position, its economy, or calm "
                    "(no fighting).")
    weight: float = Field(1.0, ge=0, le=10, description="Importance of this goal in the actor's utility.")
    base: str | None = Field(None, description="Base id (hold_base, deny_base).")
    actor: str | None = Field(None, description="Other actor (relation: the partner; deny_base: who to deny).")
    target: float | None = Field(None, ge=-1, le=1, description="Relation goal: the desired relation value.")
    direction: Literal["at_least", "at_most", "near"] | None = Field(
        None, description="Relation goal: whether a relation past the target is as good as the target (at_least: "
                          "warmer is no worse; at_most: colder is no worse) or worse (near). Default: at_least for a "
                          "target >= 0, at_most below 0 (an AI that valued 'near' struck a friend warmer than its "
                          "target to cool the relation).")
    regions: list[str] | None = Field(None, description="Influence goal: region ids; empty means all regions.")
    issue: str | None = Field(None, description="Issue id (issue goal).")


class Rule(Strict):
    when: dict[str, Any] = Field(alias="if", description="Condition over named indicators (see `Condition`).")
    then: list[dict[str, Any]] = Field(description="Orders to give when the condition holds, in order.")
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Policy(Strict):
    kind: Literal["utility", "rule", "random", "scripted", "human"] = Field(
        "utility", description="How the actor chooses orders when no person plays it.")
    temperature: float = Field(0.15, gt=0, le=10,
                               description="Utility policy: softmax temperature; low = nearly always the best order.")
    rules: list[Rule] = Field(default_factory=list, description="Rule policy: if-then rules, first match first.")
    script: dict[int, list[dict[str, Any]]] = Field(
        default_factory=dict, description="Scripted policy: orders per turn number (1 = first turn).")
    fallback: Literal["hold", "utility", "random"] = Field(
        "hold", description="Rule/scripted policy: what to do with action points no rule or script uses.")


class Actor(Strict):
    name: str = Field(description="Display name.")
    color: str = Field("#888888", pattern=r"^#[0-9a-fA-F]{6}$", description="Colour on the map and network.")
    western: bool = Field(False, description="Counted in the West for `syria_alignment` and isolation measures.")
    capabilities: Capabilities = Field(default_factory=Capabilities, description="Power in the Syrian theatre.")
    action_points: int = Field(3, ge=0, le=10, description="Orders' total cost the actor can give per turn.")
    goals: dict[str, Goal] = Field(default_factory=dict, description="Named goals; utility = weighted sum.")
    policy: Policy = Field(default_factory=Policy, description="How the actor decides when played by the computer.")
    actions: list[str] | None = Field(None, description="Action kinds it may use; omitted means all.")
    budget: Budget | None = Field(None, description="Expeditionary troops it can keep at its bases (upkeep "
                                                    "above it is strain); omitted: no limit.")
    potential: float | None = Field(None, ge=0, le=100, description="Military it regenerates toward after "
                                                                    "losses; default: its starting military.")


# ------------------------------------------------------------------------------------------ geography
class Base(Strict):
    name: str = Field(description="Display name.")
    lat: float = Field(ge=32.0, le=37.5, description="Latitude (WGS84) inside Syria's bounding box.")
    lon: float = Field(ge=35.5, le=42.5, description="Longitude (WGS84) inside Syria's bounding box.")
    region: str = Field(description="Governorate id the base lies in.")
    kind: Literal["airbase", "naval", "garrison", "outpost", "airport", "oilfield"] = Field(
        "airbase", description="What sort of site it is.")
    controller: str | None = Field(description="Actor holding the base, or null for none.")
    host: str | None = Field(None, description="The host at the start (default: whoever controls the largest "
                                               "share of the base's governorate); every month the host is "
                                               "recomputed as that actor.")
    garrison: float = Field(0.5, ge=0, le=1, description="Strength of the holder's garrison, 0-1.")
    status: Literal["active", "drawdown", "evacuated", "contested", "destroyed", "reduced"] = Field(
        "active", description="Operational status.")
    value: dict[str, float] = Field(default_factory=dict, description="Value of the base to each actor, 0-1 "
                                                                      "(the host's value lowers its consent).")
    troops: float = Field(0.0, ge=0, le=1e6, description="Troops at full garrison (upkeep = troops x garrison "
                                                         "against the holder's budget); 0: no upkeep.")
    held_by_force: bool = Field(False, description="Held without the host's consent (no lease): only force "
                                                   "takes it.")
    talks: str | None = Field(None, description="Issue id of the talks on this base (its forecast enters the "
                                                "host's consent).")
    talks_favours: Literal["high", "low"] = Field("high", description="Which end of the talks' scale favours "
                                                                      "the holder.")
    lease: Lease = Field(default_factory=lambda: Lease(), description="Consent thresholds and the outcomes of "
                                                                        "the lease (when a non-host holds it).")

    @field_validator("value")
    @classmethod
    def _values_in_range(cls, v: dict[str, float]) -> dict[str, float]:
        return _each_unit(v, "value for")


class Region(Strict):
    name: str = Field(description="Display name of the governorate.")
    iso: str = Field(pattern=r"^SY-[A-Z]{2}$", description="ISO 3166-2 code, matching the GeoJSON's ISO property.")
    population: float = Field(gt=0, le=1e6,
                              description="Population weight (thousands registered, 2011 civil registry).")
    control: dict[str, float] = Field(description="Control share per actor; shares sum to 1.")
    support: dict[str, float] = Field(default_factory=dict, description="Local and tribal support per actor, "
                                                                        "0-1: presence it adds to its local force.")

    @field_validator("support")
    @classmethod
    def _support(cls, v: dict[str, float]) -> dict[str, float]:
        return _each_unit(v, "support of")

    @field_validator("control")
    @classmethod
    def _shares(cls, v: dict[str, float]) -> dict[str, float]:
        if not v:
            raise ValueError("needs at least one controlling actor")
        if any(x < 0 for x in v.values()):
            raise ValueError("control shares must not be negative")
        total = sum(v.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"control shares must sum to 1, they sum to {total:.4g}")
        return v


# --------------------------------------------------------------------------------- effects and issues
class Effect(Strict):
    """One change to the world, used by events and issue consequences. Set exactly the fields its kind reads (bold:
    required; a field the kind does not read is an error, and so is a missing amount, since `delta` defaults to 0):
    relation, fighting and payment: **actor**, **other**, **delta**; garrison: **base**, **delta**; base_status:
    **status**, **base** or **bases**, only_status, actor (only bases it holds); base_controller: **base**,
    controller (none: no holder); control: **region**, **actor**, **delta**; capability: **actor**, **field**,
    **delta** (economic: index points, within the month's GDP bound); money: **actor**, **usd_bn** (US$bn
    committed, reaching GDP over the months the bound takes); position: **issue**, **actor**, **delta**;
    goal_weight: **actor**, **goal**, **factor** or **delta**; budget: **actor**, **troops**; ceasefire:
    **actor**, **other**, **months**; driver: **driver**, **actor**, **other**, **delta**, lasting."""
    kind: Literal["relation", "garrison", "base_status", "base_controller", "control", "capability",
                  "position", "goal_weight", "fighting", "budget", "ceasefire", "payment", "driver", "money"] = Field(
        description="What the effect changes.")
    actor: str | None = Field(None, description="Actor concerned (relation: first party).")
    other: str | None = Field(None, description="Second actor (relation, fighting).")
    base: str | None = Field(None, description="Base id (garrison, base_status, base_controller).")
    bases: list[str] | None = Field(None, description="Several base ids at once (base_status).")
    region: str | None = Field(None, description="Region id (control).")
    issue: str | None = Field(None, description="Issue id (position).")
    goal: str | None = Field(None, description="Goal name (goal_weight).")
    field: Literal["military", "economic", "diplomatic"] | None = Field(None, description="Capability (capability).")
    delta: float = Field(0.0, ge=-100, le=100, description="Amount added.")
    factor: float | None = Field(None, ge=0, le=10, description="Multiplier (goal_weight).")
    status: Literal["active", "drawdown", "evacuated", "contested", "destroyed", "reduced"] | None = Field(
        None, description="New status (base_status).")
    only_status: list[str] | None = Field(None, description="base_status: only bases currently in these statuses.")
    controller: str | None = Field(None, description="New controller (base_controller).")
    troops: float | None = Field(None, ge=-1e6, le=1e6, description="Troops added to the actor's budget "
                                                                    "(budget; negative: a cut).")
    usd_bn: float | None = Field(None, ge=-30000, le=30000, description="US$bn committed to the actor's economy "
                                 "(money; negative: investment withdrawn). It reaches GDP as fast as the month's "
                                 "bound lets it (economy.max_growth, max_fall); the rest waits for later months.")
    months: int | None = Field(None, ge=0, le=120, description="Months the lines stay frozen (ceasefire).")
    driver: Literal["ties", "threat", "economic", "affinity"] | None = Field(
        None, description="Alignment driver (driver): ties and affinity for the pair, threat and economic as "
                          "actor's view of other (threat A sees in B, A's dependence on B).")
    lasting: bool = Field(False, description="driver: also move the baseline that threat and economic flows decay "
                                             "to (an agreement or a pact), not only the current level.")

    @model_validator(mode="after")
    def _needs(self) -> Effect:
        """The fields each kind acts on must be given; a missing one would only fail when the effect fires."""
        for f in EFFECT_NEEDS[self.kind]:
            if getattr(self, f) is None:
                raise ValueError(f"an effect of kind {self.kind} needs {f!r}")
        if self.kind == "base_status" and self.base is None and not self.bases:
            raise ValueError("an effect of kind base_status needs 'base' or 'bases'")
        uses = EFFECT_USES[self.kind]
        amounts = EFFECT_AMOUNT.get(self.kind, ())
        if amounts and not self.model_fields_set & set(amounts):   # delta defaults to 0: the effect would do nothing
            raise ValueError(f"an effect of kind {self.kind} needs {' or '.join(map(repr, amounts))}: "
                             "without it the effect changes nothing")
        # a field the kind never reads is a mistake that would pass silently (by value, not by fields_set: a
        # dumped and re-validated effect, as the range checks make, carries every field at its default)
        unused = [f for f, info in Effect.model_fields.items()
                  if f != "kind" and f not in uses and getattr(self, f) != info.default]
        if unused:
            raise ValueError(f"an effect of kind {self.kind} does not use {', '.join(map(repr, unused))}; "
                             f"it reads {', '.join(uses)}")
        return self


EFFECT_NEEDS = {"relation": ("actor", "other"), "fighting": ("actor", "other"), "garrison": ("base",),
                "base_status": ("status",), "base_controller": ("base",), "control": ("region", "actor"),
                "capability": ("actor", "field"), "position": ("issue", "actor"), "goal_weight": ("actor", "goal"),
                "budget": ("actor", "troops"), "ceasefire": ("actor", "other", "months"),
                "payment": ("actor", "other"), "money": ("actor", "usd_bn"),
                "driver": ("driver", "actor", "other")}
# Every field each kind reads (model/sim/effects.py, alignment.apply_driver_effect): any other field is an error.
EFFECT_USES = {"relation": ("actor", "other", "delta"), "fighting": ("actor", "other", "delta"),
               "garrison": ("base", "delta"), "base_status": ("base", "bases", "status", "only_status", "actor"),
               "base_controller": ("base", "controller"), "control": ("region", "actor", "delta"),
               "capability": ("actor", "field", "delta"), "position": ("issue", "actor", "delta"),
               "goal_weight": ("actor", "goal", "factor", "delta"), "budget": ("actor", "troops"),
               "ceasefire": ("actor", "other", "months"), "payment": ("actor", "other", "delta"),
               "money": ("actor", "usd_bn"),
               "driver": ("driver", "actor", "other", "delta", "lasting")}
# The amount a kind needs given (one of them): delta's default 0 would make the effect a no-op.
EFFECT_AMOUNT = {"relation": ("delta",), "fighting": ("delta",), "garrison": ("delta",), "control": ("delta",),
                 "capability": ("delta",), "position": ("delta",), "goal_weight": ("factor", "delta"),
                 "payment": ("delta",), "driver": ("delta",)}


class Threshold(Strict):
    name: str = Field(description="Short name of the consequence, e.g. eviction_notice.")
    when: Literal["below", "above"] = Field(description="Fires when the forecast crosses the value downward/upward.")
    value: float = Field(description="Threshold on the issue's scale.")
    effects: list[Effect] = Field(default_factory=list, description="What happens in the world.")
    sentence: str = Field(description="Readable sentence for the event log.")
    hysteresis: float | None = Field(None, ge=0, description="Once fired, the threshold fires again only after "
                                     "the forecast has gone back past the value by this many points (on the issue's "
                                     "scale). Without it or `rearm` it fires once per game.")
    rearm: dict[str, Any] | None = Field(None, description="Once fired, the threshold fires again only after this "
                                         "condition over last month's indicators has held (see `Condition`).")
    closes: bool = Field(False, description="Firing settles the issue: its talks close (no more rounds, demands "
                                            "or concessions).")


class Lease(Strict):
    """A leased base's own terms: the host's consent c (model.config.ground.Consent) against these thresholds.

    c < reduce: renegotiated (status reduced, garrison capped at `cap`); c < evict: notice served (drawdown over
    `notice_months`, then handed over to the host); during a notice c > reprieve: the notice is withdrawn (reduced);
    a reduced lease with c > renew is renewed (active). Each outcome may carry effects."""
    renew: Unit = Field(0.5, description="Consent above which a reduced lease is renewed in full.")
    reduce: Unit = Field(0.35, description="Consent below which the lease is renegotiated: status reduced.")
    evict: Unit = Field(0.2, description="Consent below which the host serves notice (drawdown).")
    reprieve: Unit = Field(0.3, description="Consent above which a notice is withdrawn (the patron's counter-offer "
                                            "worked): status reduced.")
    cap: Unit = Field(0.4, description="Garrison cap of a reduced base.")
    notice_months: int = Field(6, ge=1, le=120, description="Months from notice to hand-over (the garrison draws "
                                                            "down evenly).")
    on_reduced: list[Effect] = Field(default_factory=list, description="Effects when the lease is renegotiated.")
    on_notice: list[Effect] = Field(default_factory=list, description="Effects when notice is served.")
    on_reprieve: list[Effect] = Field(default_factory=list, description="Effects when a notice is withdrawn.")
    on_renewed: list[Effect] = Field(default_factory=list, description="Effects when a reduced lease is renewed.")
    on_handed_over: list[Effect] = Field(default_factory=list, description="Effects when the base is handed over.")

    @model_validator(mode="after")
    def _ordered(self) -> Lease:
        """evict <= reduce < renew and evict < reprieve <= renew, or outcomes would flip back and forth."""
        if not (self.evict <= self.reduce < self.renew):
            raise ValueError(f"lease thresholds need evict <= reduce < renew, got evict {self.evict}, "
                             f"reduce {self.reduce}, renew {self.renew}")
        if not (self.evict < self.reprieve <= self.renew):
            raise ValueError(f"lease thresholds need evict < reprieve <= renew, got evict {self.evict}, "
                             f"reprieve {self.reprieve}, renew {self.renew}")
        return self

    def outcome_effects(self) -> dict[str, list[Effect]]:
        return {"reduced": self.on_reduced, "notice": self.on_notice, "reprieve": self.on_reprieve,
                "renewed": self.on_renewed, "handed_over": self.on_handed_over}


Base.model_rebuild()


class Issue(Strict):
    name: str = Field(description="Display name.")
    description: str = Field("", description="What the scale means.")
    scale: tuple[float, float] = Field((0.0, 100.0), description="Range of positions [low, high].")
    positions: dict[str, float] = Field(description="Each actor's position on the scale.")
    salience: dict[str, float] = Field(description="How much each actor cares, 0-1.")
    thresholds: list[Threshold] = Field(default_factory=list, description="Forecast crossings with consequences.")
    forecast: Literal["median", "mean"] = Field(
        "median", description="The statistic of the positions (the status quo's included) the issue's forecast is, "
                              "and its thresholds fire on: the median voter (BDM's own prediction) or the "
                              "capability- and salience-weighted mean.")
    status_quo: StatusQuo | None = Field(None, description="Where the issue stands on the ground: a pseudo-actor "
                                                           "at the table, set each month from the world.")
    half_life: float | None = Field(None, ge=0, le=120, description="This issue's pace (months to make half of a "
                                    "bargaining move); null: talks.half_life.")
    closes_when: dict[str, Any] | None = Field(None, description="Condition over last month's indicators that ends "
                                               "the talks for good (checked at the start of each month).")
    closed_sentence: str | None = Field(None, description="Sentence told when `closes_when` ends the talks.")

    @field_validator("salience")
    @classmethod
    def _sal(cls, v: dict[str, float]) -> dict[str, float]:
        return _each_unit(v, "salience of")


class Event(Strict):
    name: str = Field(description="Display name.")
    probability: float = Field(ge=0, le=1, description="Chance per turn that it fires when its condition holds.")
    condition: dict[str, Any] | None = Field(None, description="Condition over indicators; null = always.")
    actors: list[str] = Field(default_factory=list, description="Actors involved (for the log's filter).")
    effects: list[Effect] = Field(default_factory=list, description="What happens.")
    sentence: str = Field(description="Readable sentence for the event log.")
    max_times: int = Field(0, ge=0, description="Fires at most this many times per game; 0 = no limit.")
    rearm: dict[str, Any] | None = Field(None, description="Once fired, the event may fire again only after this "
                                         "condition over last month's indicators has held (null: any month).")
    importance: Literal["major", "minor"] = Field("major", description="How the story ranks the event.")
    repeat: str | None = Field(None, description="Short form told when the event recurs in consecutive months, "
                                                 "e.g. 'ISIS attacks in the Badia' (', third month running' is "
                                                 "added); null: the sentence with that phrase.")


# --------------------------------------------------------------------------------- action effect sizes
class ActionParams(Strict):
    cost: int = Field(1, ge=0, le=10, description="Action points the order costs.")
    relation: float = Field(0.0, ge=-1, le=1, description="Relation change between actor and target on success.")
    amount: float = Field(0.0, ge=-1, le=1, description="Main effect size (garrison, control share, position, ...).")
    economy: float = Field(0.0, ge=-20, le=20, description="Change of the target's economic capability.")
    self_economy: float = Field(0.0, ge=-20, le=20, description="Change of the actor's own economic capability.")
    fighting: float = Field(0.0, ge=0, le=1, description="Fighting intensity the order adds between the parties.")
    refused_relation: float = Field(0.0, ge=-1, le=1, description="Demand: relation change when refused.")
    min_relation: float = Field(-1.0, ge=-1, le=1, description="Precondition: relation with the target at least.")
    max_relation: float = Field(1.0, ge=-1, le=1, description="Precondition: relation with the target at most.")
    min_military: float = Field(0.0, ge=0, le=100, description="Precondition: the actor's military at least.")
    min_economic: float = Field(0.0, ge=0, le=100, description="Precondition: the actor's economy at least.")
    difficulty: float = Field(30.0, gt=0, le=100,
                              description="Strength an unopposed contest is fought against (mediation, empty bases).")
    betrayal: float = Field(0.0, ge=0, le=2, description="Military orders: extra relation lost per unit of "
                                                         "positive relation with the target (striking a partner "
                                                         "costs more than striking an enemy).")
    usd_bn: float = Field(0.0, ge=-100, le=100, description="Money the order moves ($bn): the target's GDP rises "
                                                            "by it (falls if negative), so its effect on the economic "
                                                            "index is relative to the target's economy.")
    self_usd_bn: float = Field(0.0, ge=-100, le=100, description="Change of the actor's own GDP ($bn).")


def _default_actions() -> dict[str, ActionParams]:
    A = ActionParams
    # Money orders move dollars (usd_bn), so an order's effect on an economic index is relative to the economy it
    # lands in (facts §1 GBR row: a £94.5m package; facts §1 GULF row: DP World's $800m Tartus concession).
    # Military orders carry no relation precondition: their diplomatic cost is in their effects (relation,
    # fighting) and the AI's restraint in its utility (stability, relation goals).
    return {
        "hold": A(cost=0),
        "engage": A(cost=1, relation=0.06, min_relation=-0.7),
        "demand": A(cost=1, amount=0.08, relation=0.02, refused_relation=-0.12, min_relation=-0.9),
        "concede": A(cost=1, amount=0.10, relation=0.03),
        "mediate": A(cost=1, relation=0.03, amount=0.08, min_relation=0.1, min_economic=0, difficulty=30),
        "recognise": A(cost=1, relation=0.10, min_relation=-0.5, max_relation=0.5),
        "aid": A(cost=1, relation=0.05, usd_bn=0.12, self_usd_bn=-0.12, min_relation=-0.3, min_economic=10),
        "invest": A(cost=2, relation=0.05, usd_bn=0.8, self_usd_bn=-0.4, min_relation=0.0, min_economic=15),
        "sanction": A(cost=1, relation=-0.08, usd_bn=-0.2, self_usd_bn=-0.1, max_relation=0.0, min_economic=10),
        "lift_sanctions": A(cost=1, relation=0.08, usd_bn=0.2, self_usd_bn=0.1),
        "deploy": A(cost=1, amount=0.15, min_military=5),
        "withdraw": A(cost=1, amount=0.25, relation=0.05),
        "strike": A(cost=1, amount=0.2, relation=-0.1, fighting=0.25, betrayal=0.5, min_military=10),
        "support_proxy": A(cost=1, amount=0.1, relation=0.05, min_relation=0.2, min_military=10),
        "patrol": A(cost=1, relation=0.04, amount=0.05, min_relation=0.3, min_military=5),
        "seize": A(cost=2, amount=0.3, relation=-0.25, fighting=0.5, betrayal=0.5, min_military=10, difficulty=15),
        # attack: amount = share of the defender's ground in the governorate taken when the offensive wins
        "attack": A(cost=2, amount=0.4, relation=-0.2, fighting=0.5, betrayal=0.5, min_military=10),
        # consolidate: leave a base, its troops to another; relation = the left host's relief
        "consolidate": A(cost=1, relation=0.05),
    }


class Roles(Strict):
    """Which actor plays each part the headline indicators speak of. The kernel names no actor itself: a scenario
    with other actors maps its own ids here. A role left out falls to its default id (RUS, SYR, USA, SDF, TUR) when
    the scenario has that actor and is absent otherwise (its indicators read 0); a role given must name an actor."""
    russia: str | None = Field(None, description="The patron whose bases and isolation the headline indicators "
                                                 "follow (default RUS).")
    syria: str | None = Field(None, description="The host government: syria_alignment, us_engagement's target "
                                                "(default SYR).")
    usa: str | None = Field(None, description="The power whose engagement `us_engagement` measures (default USA).")
    kurds: str | None = Field(None, description="The Kurdish-led forces: kurdish_conflict, sdf_damascus_fighting "
                                                "(default SDF).")
    turkey: str | None = Field(None, description="Ankara, the SDF's other adversary: kurdish_conflict (default TUR).")

    def resolved(self, actors: Sequence[str]) -> dict[str, str]:
        """Role -> actor id for the roles this scenario fills."""
        out = {}
        for role, given in self.model_dump().items():
            actor = given if given is not None else ROLE_DEFAULTS[role]
            if actor in actors:
                out[role] = actor
        return out


ROLE_DEFAULTS = {"russia": "RUS", "syria": "SYR", "usa": "USA", "kurds": "SDF", "turkey": "TUR"}


class Params(Strict):
    """Model-wide mechanism constants; each one is an assumption to vary in experiments."""
    tullock_k: float = Field(1.5, gt=0, le=10, description="Decisiveness k of the contest p = a^k/(a^k+b^k).")
    drift: float = Field(0.05, ge=0, le=1, description="Share of the gap to baseline affinity closed per turn.")
    balance: float = Field(0.04, ge=0, le=1, description="Strength of structural-balance pressure per turn.")
    fighting_decay: float = Field(0.35, ge=0, le=1, description="Share of fighting intensity that fades per turn.")
    open_fighting: float = Field(0.5, ge=0, le=1, description="Fighting intensity counted as open fighting.")
    drawdown_rate: float = Field(0.2, ge=0, le=1, description="Garrison lost per turn by a base in drawdown.")
    collapse_garrison: float = Field(0.08, ge=0, le=1, description="Garrison below which a base is evacuated.")
    control_rate: float = Field(0.0, ge=0, le=1, description="Share of the gap between control and presence "
                                                            "(control + garrisons) closed each turn: the drift of "
                                                            "ground toward garrisons before issue 10; 0 = off "
                                                            "(ground changes by contests, events and deals).")
    garrison_presence: float = Field(0.15, ge=0, le=1, description="Presence a full garrison adds to its holder's "
                                                                    "local force in its region.")
    size_weights: Capabilities = Field(
        default_factory=lambda: Capabilities(military=0.5, economic=0.3, diplomatic=0.2),
        description="Weights turning capabilities into an actor's size (alliances, bargaining power).")
    bargaining_q: float = Field(1.0, gt=0, le=10, description="BDM parameter Q (probability of status quo).")
    bargaining_t: float = Field(1.0, gt=0, le=10, description="BDM parameter T (probability things worsen).")
    engagement_memory: float = Field(0.7, ge=0, le=1, description="Weight of past turns in `us_engagement`.")
    alliance_switch: bool = Field(True, description="Let actors change bloc (landscape dynamics) each turn.")
    # which candidate orders the AI lists at all (model/sim/actions.py); each is an assumption
    talks_min_salience: float = Field(0.2, ge=0, le=1, description="Demands and concessions are listed only on "
                                      "issues whose salience to the actor is at least this (assumption: an issue it "
                                      "cares less about is not worth an order).")
    talks_min_gap: float = Field(0.05, ge=0, le=1, description="Share of an issue's scale within which two stances "
                                 "count as agreed: no demand or concession between them (assumption).")
    mediation_hostility: float = Field(-0.2, ge=-1, le=1, description="Relation below which a pair is worth "
                                       "mediating between (assumption).")
    mediation_pairs: int = Field(3, ge=0, le=100, description="The most hostile pairs each actor may offer to "
                                 "mediate between in a month (assumption: a bounded menu).")
    patrol_min_share: float = Field(0.05, ge=0, le=1, description="A partner is offered a joint patrol only where "
                                    "it holds more than this share of a governorate (assumption).")
    patrol_max_share: float = Field(0.98, ge=0, le=1, description="A governorate the partner holds at least this "
                                    "share of has nothing left to patrol (assumption).")


class Scenario(Strict):
    name: str = Field(description="Display name.")
    description: str = Field("", description="What the scenario assumes.")
    start: str = Field("2025-12", pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
                       description="Month of the starting situation: month 0 (turn 0); turn t ends t months later.")
    turns: int = Field(24, ge=1, le=limits.MAX_TURNS, description="Default number of turns (months).")
    actors: dict[str, Actor] = Field(description="Actors by id.")
    relations: dict[str, Signed] = Field(default_factory=dict,
                                         description="Relation per pair 'A-B' in [-1, 1]; missing pairs are 0.")
    affinity: dict[str, Signed] = Field(default_factory=dict,
                                        description="Baseline affinity per pair that relations drift to; "
                                                    "missing pairs use the starting relation.")
    bases: dict[str, Base] = Field(default_factory=dict, description="Bases by id.")
    regions: dict[str, Region] = Field(default_factory=dict, description="Governorates by id.")
    issues: dict[str, Issue] = Field(default_factory=dict, description="Bargaining issues by id.")
    events: dict[str, Event] = Field(default_factory=dict, description="Exogenous events by id.")
    actions: dict[str, ActionParams] = Field(default_factory=_default_actions,
                                             description="Cost and effect sizes of each action kind.")
    params: Params = Field(default_factory=Params, description="Mechanism constants.")
    ground: Ground = Field(default_factory=Ground, description="Bases, budgets and territory: consent, payments, "
                                                               "contests, attrition, economy bounds, strain.")
    sanctions: list[str] = Field(default_factory=list,
                                 description="Sanctions in force at the start, as 'A-B' meaning A sanctions B.")
    initial_us_engagement: float = Field(0.3, ge=0, le=1, description="Starting value of `us_engagement`.")
    roles: Roles = Field(default_factory=Roles, description="Which actor plays each part the headline indicators "
                                                            "name (ids in the kernel come from here, not from code).")
    talks: TalksParams = Field(default_factory=TalksParams, description="Pace of the bargaining and which of its "
                                                                        "moves the story tells.")
    story: StoryParams = Field(default_factory=StoryParams, description="What the event log leaves out and how it "
                                                                        "ranks events.")
    alignment: AlignmentConfig = Field(default_factory=AlignmentConfig,
                                       description="Structural drivers of alliance choice and the k-bloc dynamics "
                                                   "(docs/model.md).")
    victory: dict[str, Victory] = Field(default_factory=dict,
                                        description="Victory conditions by id, each for one actor (docs/playing.md); "
                                                    "none: the game is scored only (no winner is named).")
    _uncertain: dict[str, Uncertain] = PrivateAttr(default_factory=dict)

    @field_validator("actors")
    @classmethod
    def _two_actors(cls, v: dict[str, Actor]) -> dict[str, Actor]:
        if len(v) < 2:
            raise ValueError("a scenario needs at least two actors")
        for k in v:
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", k):
                raise ValueError(f"actor id {k!r} must be letters, digits and _ (starting with a letter)")
        return v

    @field_validator("actions", mode="before")
    @classmethod
    def _action_defaults(cls, v: Any) -> Any:
        """A scenario lists only the action kinds and fields it changes; everything else keeps its default."""
        if not isinstance(v, dict):
            return v
        out: dict[str, Any] = {k: p.model_dump() for k, p in _default_actions().items()}
        for k, given in v.items():
            out[k] = {**out[k], **given} if k in out and isinstance(given, dict) else given
        return out

    @property
    def actor_ids(self) -> list[str]:
        return list(self.actors)

    @property
    def uncertain(self) -> dict[str, Uncertain]:
        """The numbers written as ranges `{value, low, high}`, by dotted path in the order of the (merged) data (the
        model reads only their values; experiments with `uncertainty:` draw them): see docs/model-uncertainty.md."""
        return self._uncertain


def pair_key(key: str) -> tuple[str, str] | None:
    parts = key.split("-")
    return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None


def split_pair(key: str) -> tuple[str, str]:
    """A pair key of a validated scenario ('A-B' -> ('A', 'B')); validation has reported any other form."""
    pair = pair_key(key)
    if pair is None:
        raise ValueError(f"{key!r} is not a pair of actor ids joined by '-'")
    return pair


def check_references(sc: Scenario) -> list[tuple[tuple, str]]:
    """Cross-field checks pydantic cannot do alone; returns (path, message) pairs."""
    errs: list[tuple[tuple, str]] = []
    actors, bases, regions, issues = set(sc.actors), set(sc.bases), set(sc.regions), set(sc.issues)

    def need(kind: str, value: str | None, known: set, path: tuple) -> None:
        if value is not None and value not in known:
            errs.append((path, f"unknown {kind} {value!r}; expected one of {', '.join(sorted(known)) or 'none'}"))

    for role, given in sc.roles.model_dump().items():
        need("actor", given, actors, ("roles", role))
    for table in ("relations", "affinity"):
        seen: dict[frozenset, str] = {}
        for key in getattr(sc, table):
            pair = pair_key(key)
            if pair is None:
                errs.append(((table, key), f"pair {key!r} must look like 'A-B' with two actor ids"))
                continue
            for member in pair:
                need("actor", member, actors, (table, key))
            if pair[0] == pair[1]:
                errs.append(((table, key), "a pair needs two different actors"))
            fs = frozenset(pair)
            if fs in seen and getattr(sc, table)[seen[fs]] != getattr(sc, table)[key]:
                errs.append(((table, key), f"pair given twice with different values (also as {seen[fs]!r})"))
            seen[fs] = key
    for n, key in enumerate(sc.sanctions):
        pair = pair_key(key)
        if pair is None:
            errs.append((("sanctions", n), f"sanction {key!r} must look like 'A-B' (A sanctions B)"))
        else:
            for member in pair:
                need("actor", member, actors, ("sanctions", n))
    for aid, a in sc.actors.items():
        for gname, g in a.goals.items():
            p = ("actors", aid, "goals", gname)
            need("base", g.base, bases, p + ("base",))
            need("actor", g.actor, actors, p + ("actor",))
            need("issue", g.issue, issues, p + ("issue",))
            for region in g.regions or []:
                need("region", region, regions, p + ("regions",))
            required = {"hold_base": ["base"], "deny_base": ["base", "actor"], "relation": ["actor", "target"],
                        "issue": ["issue"]}.get(g.kind, [])
            for f in required:
                if getattr(g, f) is None:
                    errs.append((p, f"a {g.kind} goal needs '{f}'"))
        for k in a.actions or []:
            if k not in ACTION_KINDS:
                errs.append((("actors", aid, "actions"), f"unknown action kind {k!r}"))
    for bid, b in sc.bases.items():
        at = ("bases", bid)
        need("region", b.region, regions, at + ("region",))
        need("actor", b.controller, actors, at + ("controller",))
        need("actor", b.host, actors, at + ("host",))
        need("issue", b.talks, issues, at + ("talks",))
        for k in b.value:
            need("actor", k, actors, at + ("value", k))
        for outcome, effects in b.lease.outcome_effects().items():
            errs += _effect_refs(effects, at + ("lease", f"on_{outcome}"), actors, bases, regions, issues, sc, None)
    for rid, r in sc.regions.items():
        for k in r.control:
            need("actor", k, actors, ("regions", rid, "control", k))
        for k in r.support:
            need("actor", k, actors, ("regions", rid, "support", k))
    for iid, i in sc.issues.items():
        lo, hi = i.scale
        if not lo < hi:
            errs.append((("issues", iid, "scale"), f"scale must be [low, high] with low < high, got {list(i.scale)}"))
        for table in ("positions", "salience"):
            for k, v in getattr(i, table).items():
                need("actor", k, actors, ("issues", iid, table, k))
                if table == "positions" and not lo <= v <= hi:
                    errs.append((("issues", iid, table, k), f"position {v} is outside the scale [{lo}, {hi}]"))
        for t, th in enumerate(i.thresholds):
            errs += _effect_refs(th.effects, ("issues", iid, "thresholds", t), actors, bases, regions, issues, sc)
        if i.status_quo is not None:
            q, sq_at = i.status_quo, ("issues", iid, "status_quo")
            need("actor", q.actor, actors, sq_at + ("actor",))
            lists: tuple[tuple[str, set[str], str], ...] = (
                ("bases", bases, "base"), ("regions", regions, "region"), ("by", actors, "actor"))
            for f, known, kind in lists:
                for v in getattr(q, f) or []:
                    need(kind, v, known, sq_at + (f,))
            if q.value is not None and not lo <= q.value <= hi:
                errs.append((sq_at + ("value",), f"status quo {q.value} is outside the scale [{lo}, {hi}]"))
    for eid, e in sc.events.items():
        for k in e.actors:
            need("actor", k, actors, ("events", eid, "actors"))
        errs += _effect_refs(e.effects, ("events", eid), actors, bases, regions, issues, sc)
    for k in sc.actions:
        if k not in ACTION_KINDS:
            errs.append((("actions", k), f"unknown action kind {k!r}; expected one of {', '.join(ACTION_KINDS)}"))
    errs += _condition_and_order_refs(sc, actors, bases, regions, issues)
    errs += check_alignment(sc)
    return errs


def _condition_and_order_refs(sc: Scenario, actors: set, bases: set, regions: set,
                              issues: set) -> list[tuple[tuple, str]]:
    """Conditions name real indicators and orders in rules and scripts name real things, before a game starts."""

    known = indicator_names(list(sc.actors), list(sc.bases), list(sc.regions), list(sc.issues))
    things = {"target": actors, "other": actors, "base": bases, "region": regions, "issue": issues, "into": bases}
    errs: list[tuple[tuple, str]] = []

    def order(d: Any, path: tuple) -> None:
        if not isinstance(d, dict) or d.get("kind") not in ACTION_KINDS:
            kind = d.get("kind") if isinstance(d, dict) else None
            errs.append((path + (("kind",) if isinstance(d, dict) and "kind" in d else ()),
                         f"unknown order kind {kind!r}; expected one of {', '.join(ACTION_KINDS)}"))
            return
        if set(d) <= {"kind", *FIELDS}:  # a misspelt field is reported as such, not as a missing one
            for f in REQUIRED[d["kind"]]:
                if d.get(f) is None:
                    errs.append((path, f"an order of kind {d['kind']} needs {f!r}"))
        for f, v in d.items():
            if f != "kind" and f not in FIELDS:
                errs.append((path + (f,), f"unknown order field {f!r}; expected one of {', '.join(FIELDS)}"))
            elif f != "kind" and v is not None and v not in things[f]:
                errs.append((path + (f,), f"unknown {f} {v!r}; expected one of {', '.join(sorted(things[f]))}"))

    text = text_indicators(list(sc.actors), list(sc.bases))

    def cond(c: Any, path: tuple) -> list[tuple[tuple, str]]:
        """Structure, indicator names, and values that can never compare (text against a number, no such actor)."""
        return [(path + sub, m) for sub, m in condition_problems(c, known, text)]

    for eid, e in sc.events.items():
        errs += cond(e.condition, ("events", eid, "condition")) + cond(e.rearm, ("events", eid, "rearm"))
    for iid, i in sc.issues.items():
        errs += cond(i.closes_when, ("issues", iid, "closes_when"))
        for t, th in enumerate(i.thresholds):
            errs += cond(th.rearm, ("issues", iid, "thresholds", t, "rearm"))
    for vid, v in sc.victory.items():
        if v.actor not in actors:
            errs.append((("victory", vid, "actor"), unknown_name("actor", v.actor, sorted(actors))))
        errs += cond(v.condition, ("victory", vid, "condition"))
    for aid, a in sc.actors.items():
        p = ("actors", aid, "policy")
        for n, rule in enumerate(a.policy.rules):
            errs += cond(rule.when, p + ("rules", n, "if"))
            for j, d in enumerate(rule.then):
                order(d, p + ("rules", n, "then", j))
        for turn, orders in a.policy.script.items():
            for j, d in enumerate(orders):
                order(d, p + ("script", str(turn), j))
    for iid, i in sc.issues.items():
        for t, th in enumerate(i.thresholds):
            if not i.scale[0] <= th.value <= i.scale[1]:
                errs.append((("issues", iid, "thresholds", t, "value"),
                             f"threshold {th.value} is outside the scale [{i.scale[0]}, {i.scale[1]}]"))
    return errs


def _effect_refs(effects: Sequence[Effect], path: tuple, actors: set, bases: set, regions: set, issues: set,
                 sc: Scenario, key: str | None = "effects") -> list[tuple[tuple, str]]:
    errs = []
    for n, ef in enumerate(effects):
        p = path + ((key, n) if key else (n,))
        for f, known, kind in (("actor", actors, "actor"), ("other", actors, "actor"), ("base", bases, "base"),
                               ("region", regions, "region"), ("issue", issues, "issue"),
                               ("controller", actors, "actor")):
            v = getattr(ef, f)
            if v is not None and v not in known:
                errs.append((p + (f,), f"unknown {kind} {v!r}"))
        for b in ef.bases or []:
            if b not in bases:
                errs.append((p + ("bases",), f"unknown base {b!r}"))
        if ef.kind == "driver" and ef.actor == ef.other:
            errs.append((p + ("other",), "a driver effect needs two different actors"))
        if ef.kind == "goal_weight" and ef.actor in sc.actors and ef.goal not in sc.actors[ef.actor].goals:
            errs.append((p + ("goal",), f"actor {ef.actor} has no goal {ef.goal!r}"))
        if ef.kind in ("ceasefire", "payment") and ef.actor is not None and ef.actor == ef.other:
            errs.append((p + ("other",), f"an effect of kind {ef.kind} needs two different actors"))
    return errs


def find_scenario(name_or_path: str | Path, search_dirs: Sequence[Path] = ()) -> Path:
    """A path as given, or a scenario name looked up in the shipped folder, then in `search_dirs` (the user's
    scenario folders): a user file never shadows a shipped name. Names never reach outside these folders."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") and p.exists():
        return p
    name = str(name_or_path)
    if re.fullmatch(r"[A-Za-z0-9_.-]+", name) and ".." not in name:
        for d in (SCENARIO_DIR, *search_dirs):
            for cand in (Path(d) / name, Path(d) / f"{name}.yaml"):
                if cand.is_file():
                    return cand
    if p.exists():
        return p
    raise NameNotFound("scenario", name, "scenarios", yaml_names((SCENARIO_DIR, *search_dirs)))


Override = tuple[tuple[str, ...], Any, str]    # (dotted path as parts, value, the source that set it, e.g. --set ...)


def load_scenario(path: str | Path, overrides: Sequence[str] = (), search_dirs: Sequence[Path] = (), *,
                  confine: bool = False) -> Scenario:
    """Read, merge (`extends:`), validate and cross-check a scenario; every problem as file:line: field: msg.

    confine=True: `extends:` only names scenarios inside the search folders (configio.load_with_extends)."""
    from model.config import loading as configio

    path = find_scenario(path, search_dirs)
    data, lines = configio.load_with_extends(path, search_dirs=(*search_dirs, SCENARIO_DIR), confine=confine)
    parsed = []
    for text in overrides:
        key, value = configio.parse_override(text)
        parsed.append((key, value, f"--set {text}"))
    return validate_scenario(data, file=str(path), lines=lines, overrides=parsed)


def validate_scenario(data: Any, *, file: str = "<scenario>", lines: dict | None = None,
                      overrides: Sequence[Override] = (), ranges: dict[str, Uncertain] | None = None) -> Scenario:
    """The one check of a scenario however it arrives, so the same mistake gets the same message everywhere: a file
    or the web editor's text (load_scenario), `--set` overrides, an experiment arm's `set:` or a sweep point
    (model.experiments.spec.apply_overrides), a stored or imported game (server.scenarios).

    The schema first; then `overrides` are set on the validated values (so a default can be overridden; all of
    them before checking again, so overrides that only make sense together can be given together), then the schema
    again and the cross-references. Each problem is a UserError whose field is the scenario's own path and whose
    message is the same wherever the scenario came from; it is located at the override that set that field (its
    source, e.g. "--set params.drift=5"), else at the line of `file` where the value was written (`lines`, from
    model.config.loading), else at `file`.

    A number may be written as a range `{value, low, high}` (model.config.loading.split_ranges): the scenario
    plays its value and keeps the range in `Scenario.uncertain`; `ranges` are those of data that was split
    already (a dump of a validated scenario). An override of a ranged number fixes it (the range is dropped),
    unless it gives a range itself or changes only `.low`, `.high` or `.value` (loading.override_ranges)."""
    from pydantic import ValidationError

    from model.config import loading as configio

    lines = lines or {}
    limits.check_scenario_sizes(data, file, lines)       # counts first: later checks grow faster than the file
    data, found = configio.split_ranges(data, lines, file, model_cls=Scenario)
    ranges = {**(ranges or {}), **found}
    # true/false where a number goes (pydantic would read 1 or 0): in what a user wrote, a file's text or an
    # override (a dump of a validated scenario, as sweep points are, holds none)
    bools = configio.bools_for_numbers(Scenario, data) if lines else []
    bools += [(tuple(key), value) for key, value, _ in overrides if isinstance(value, bool)
              and configio.bools_for_numbers(Scenario, value, tuple(key))]
    if bools:
        raise UserErrors([_locate(".".join(map(str, p)), f"expected a number, got {str(v).lower()}", file, lines,
                                  overrides) for p, v in bools])
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        raise _schema_errors(exc, data, file, lines, ()) from None
    if overrides:
        dump = sc.model_dump(mode="python", by_alias=True)     # a fresh copy, every default filled in
        for key, value, source in overrides:
            try:
                target, value, ranges = configio.override_ranges(tuple(key), value, source, ranges,
                                                                 model_cls=Scenario)
                if target is not None:          # None: the override changed only a bound of a range
                    configio.set_dotted(dump, target, value, source=source)
            except UserError as exc:
                raise UserError(exc.message, file=source, field=exc.field if exc.field != source else None) from None
        try:
            sc = Scenario.model_validate(dump)
        except ValidationError as exc:
            raise _schema_errors(exc, dump, file, lines, overrides) from None
    refs = check_references(sc) + limits.check_scenario_numbers(sc)
    if refs:
        raise UserErrors([_locate(".".join(map(str, p)), msg, file, lines, overrides) for p, msg in refs])
    if ranges:
        _check_range_ends(sc, ranges)
        sc._uncertain = ranges
    return sc


def _check_range_ends(sc: Scenario, ranges: dict[str, Uncertain]) -> None:
    """Every ranged number at its low end, then at its high end, must still make a valid scenario: a draw can
    then fail only through a combination the ends do not cover (an experiment checks every draw)."""
    from pydantic import ValidationError

    from model.config import loading as configio

    dump = sc.model_dump(mode="python", by_alias=True)
    errors: list[UserError] = []
    for end in ("low", "high"):
        data = configio.at_ends(dump, ranges, end)
        problems: list[tuple[str | None, str]]
        try:
            problems = [(".".join(map(str, p)), msg) for p, msg in check_references(Scenario.model_validate(data))]
        except ValidationError as exc:
            where: dict = {p: ("", None) for p in configio._paths(data)}     # every path, so errors name fields
            problems = [(e.field, e.message) for e in configio.validation_errors(
                exc, where, "", model_cls=Scenario).errors]
        for field, msg in problems:
            hit = [r for p, r in ranges.items() if field and (p == field or p.startswith(field + ".")
                                                               or field.startswith(p + "."))] or list(ranges.values())
            for r in hit:
                err = UserError(f"with the range at its {end} end ({getattr(r, end)}): {msg}", file=r.file,
                                line=r.line, field=r.path)
                if str(err) not in {str(x) for x in errors}:
                    errors.append(err)
    if errors:
        raise UserErrors(errors)


def _schema_errors(exc: Any, data: Any, file: str, lines: dict, overrides: Sequence[Override]) -> UserErrors:
    """pydantic's errors in the loader's words (model.config.loading), each located like every other error."""
    from model.config import loading as configio

    known = {p: lines.get(p, (file, None)) for p in configio._paths(data)}   # every path: errors name their field
    errs = configio.validation_errors(exc, known, file, model_cls=Scenario)
    if not overrides:
        return errs
    return UserErrors([_locate(e.field, e.message, file, lines, overrides, after_overrides=True) for e in errs.errors])


def _locate(field: str | None, msg: str, file: str, lines: dict, overrides: Sequence[Override], *,
            after_overrides: bool = False) -> UserError:
    """At the override that set the field or a value in or around it (the longest such path), else at the line
    the field was written in `file`. A schema error after overrides that none of them touched (a check across
    fields) names them all."""
    parts = tuple((field or "").split(".")) if field else ()
    touching = [(key, source) for key, source in ((tuple(map(str, k)), src) for k, _, src in overrides)
                if parts and (parts[:len(key)] == key or key[:len(parts)] == parts)]
    if touching:
        return UserError(msg, file=max(touching, key=lambda t: len(t[0]))[1], field=field)
    if after_overrides:
        return UserError(msg, file=", ".join(src for _, _, src in overrides), field=field)
    for n in range(len(parts), 0, -1):
        for key in (parts[:n], tuple(_as_written(parts[:n]))):
            if key in lines:
                f, line = lines[key]
                return UserError(msg, file=f, line=line, field=field)
    return UserError(msg, file=file, field=field)


def _as_written(parts: tuple[str, ...]) -> list[str | int]:
    """A dotted path's parts as the line map keys them (list items by their index)."""
    return [int(p) if p.isdigit() else p for p in parts]
