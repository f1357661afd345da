"""The schema of bases, budgets and territory (issue 10, section B): the `ground:` section of a scenario and the
per-actor `budget:`. Every number is a documented default; docs/model.md says what each is set from.

Per-base lease terms (`Base.lease`) live in model.config.scenario next to `Effect`, which their outcomes carry.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Unit = Annotated[float, Field(ge=0.0, le=1.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True, allow_inf_nan=False)


# ---------------------------------------------------------------------------------------------- budgets
class Drain(_Strict):
    """Troops an actor's other commitments call away from its budget, ramping in over `months` from `start`."""
    name: str = Field(description="What draws the troops away (shown in the story), e.g. 'the war in Ukraine'.")
    troops: float = Field(ge=0, le=1e6, description="Troops the drain takes from the budget at full effect.")
    start: int = Field(0, ge=0, le=240, description="Turn at which it begins to draw (0: already at the start).")
    months: int = Field(0, ge=0, le=240, description="Months over which it ramps up to full (0: all at once).")


class Budget(_Strict):
    """Expeditionary troops an actor can keep at its bases; holding more than that is strain."""
    troops: float = Field(gt=0, le=1e7, description="Troops available for the bases in the theatre.")
    drains: list[Drain] = Field(default_factory=list, description="Commitments elsewhere that take troops away.")
    strain_weight: float | None = Field(
        None, ge=0, le=100, description="Utility lost per unit of strain (troops over budget / budget); "
                                        "default: the total weight of the actor's hold_base goals (a budget's "
                                        "worth of troops over budget costs as much as all its bases are worth).")


# ------------------------------------------------------------------------------------------- the section
class Consent(_Strict):
    """The host's consent to a base another actor holds on its ground: c = 1 / (1 + exp(-z)), z the sum below."""
    bias: float = Field(0.0, ge=-10, le=10, description="z when every term is neutral (0: even odds).")
    relation: float = Field(2.0, ge=0, le=10, description="Weight of the host-holder relation (-1..1).")
    payments: float = Field(1.0, ge=0, le=10, description="Weight of the holder's favours to the host: "
                                                          "x (1 - exp(-stock)).")
    talks: float = Field(1.5, ge=0, le=10, description="Weight of the linked talks: x (2 f - 1), f the forecast's "
                                                       "share of the issue's scale toward the holder.")
    value: float = Field(1.0, ge=0, le=10, description="Weight of the host's own value of the base (it consents "
                                                       "less to what it wants back), subtracted.")
    bloc: float = Field(0.5, ge=0, le=10, description="Added when host and holder share a bloc.")
    risk: Unit = Field(0.5, description="Utility policy: share of a leased base's worth its holder sees at stake "
                                        "in the lease (all of it at consent <= evict, none at >= renew).")


class Payments(_Strict):
    """Side payments from a base's holder to its host: a stock of favours, fed by orders, that decays."""
    decay: Unit = Field(0.15, description="Share of the stock forgotten each month.")
    aid: float = Field(1.0, ge=0, le=10, description="Favour of one aid order.")
    invest: float = Field(2.0, ge=0, le=10, description="Favour of one invest order.")
    support_proxy: float = Field(1.0, ge=0, le=10, description="Favour of one order of arms (support_proxy).")
    concede: float = Field(1.0, ge=0, le=10, description="Favour of a concession, times the salience the "
                                                         "receiving actor gives the issue.")


class Territory(_Strict):
    """Contests for ground per governorate, attrition, regeneration and ceasefires."""
    defender_advantage: float = Field(1.5, gt=0, le=10, description="delta: the defender's force counts delta "
                                                                    "times in the contest.")
    decisiveness: float = Field(2.0, gt=0, le=10, description="k of the contest p = A^k / (A^k + (delta D)^k).")
    commitment: Unit = Field(0.3, description="Share of its national military an offensive brings to the "
                                              "governorate on top of the forces already there.")
    foothold: Unit = Field(0.02, description="Control share (or a held base) an attacker needs in the governorate.")
    min_share: Unit = Field(0.02, description="Control share the target must hold there to be attacked.")
    attrition: float = Field(0.05, ge=0, le=1, description="Military lost per unit of the month's new fighting "
                                                           "per point of the opponent's military.")
    max_loss: Unit = Field(0.1, description="Bound: share of its military an actor can lose in one month.")
    regeneration: Unit = Field(0.1, description="Share of the gap to its potential an actor's military regains "
                                                "per month (and of a surplus it loses).")
    ceasefire_months: int = Field(3, ge=0, le=60, description="Months a ceasefire freezes the lines (no attacks "
                                                              "between the parties).")
    ceasefire_fighting: Unit = Field(0.1, description="Fighting at or above which a successful mediation "
                                                      "between two actors is a ceasefire.")
    attrition_weight: float = Field(1.0, ge=0, le=10, description="Utility policy: losing a share x of one's "
                                                                  "military is valued like losing x of the ground "
                                                                  "one's influence goals care about, times this.")


class Economy(_Strict):
    """Economic capability as GDP: index = 100 sqrt(GDP / gdp_at_100); growth and falls bounded per month."""
    gdp_at_100: float = Field(28780.0, gt=0, le=1e6, description="GDP ($bn) at index 100 (the US, facts §5c).")
    max_growth: float = Field(0.0117, ge=0, le=1, description="Largest GDP growth in one month (0.0117: 15% a "
                                                              "year).")
    max_fall: float = Field(0.029, ge=0, le=1, description="Largest GDP fall in one month (0.029: 30% a year).")


class Upkeep(_Strict):
    """What strain does to garrisons."""
    strain_rate: Unit = Field(0.5, description="Share of the troops over budget that an actor's garrisons shed "
                                               "each month (all its bases thinned in proportion).")


class Ground(_Strict):
    """Bases, budgets and territory: the mechanism constants (the per-base and per-actor terms are on them)."""
    consent: Consent = Field(default_factory=Consent, description="The host's consent to a leased base.")
    payments: Payments = Field(default_factory=Payments, description="Side payments from holder to host.")
    territory: Territory = Field(default_factory=Territory, description="Ground contests, attrition, ceasefires.")
    economy: Economy = Field(default_factory=Economy, description="Economic capability as GDP, bounded growth.")
    upkeep: Upkeep = Field(default_factory=Upkeep, description="Strain on garrisons over budget.")
