"""Config of the talks (model.sim.talks) and the story (model.sim.story): the status quo of an issue, the pace of
bargaining and what the event log tells. Every default is documented in docs/model.md with what it is set
from; the scenario schema (model.config.scenario) imports these classes."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from model.config.conditions import unknown_name
from model.config.vocabulary import STORY_KINDS

STATUS_QUO_NEEDS = {"bases_held": ("actor", "bases"), "control": ("actor", "regions"), "sanctions": ("actor", "by"),
                    "fixed": ("value",)}
OFFER_KINDS = ("confrontation", "compromise", "capitulation")
MINOR_KINDS = ["engage", "aid", "invest", "support_proxy", "patrol", "deploy", "withdraw", "demand", "concede",
               "mediate", "order_dropped"]


class _Strict(BaseModel):
    # the same settings as model.config.scenario.Strict (not imported: that module imports this one)
    model_config = ConfigDict(extra="forbid", validate_default=True, allow_inf_nan=False)


class StatusQuo(_Strict):
    """Where an issue stands on the ground, as a share s of the way from the scale's low end to its high end
    (position = low + s (high - low)); it sits at the table as a pseudo-actor that never moves of its own accord."""
    kind: Literal["bases_held", "control", "sanctions", "fixed"] = Field(
        description="bases_held: the share of `bases` that `actor` holds; control: `actor`'s control share of "
                    "`regions` (population-weighted); sanctions: the economy-weighted share of the powers `by` "
                    "that do not sanction `actor`, times `value` (the position with no sanctions, default the "
                    "scale's high end); fixed: `value`.")
    actor: str | None = Field(None, description="The holder (bases_held), the controlling actor (control) or "
                                                "the sanctioned actor (sanctions).")
    bases: list[str] | None = Field(None, description="bases_held: the bases the issue is about.")
    regions: list[str] | None = Field(None, description="control: the governorates the issue is about.")
    by: list[str] | None = Field(None, description="sanctions: the powers whose sanctions count.")
    value: float | None = Field(None, description="fixed: the position; sanctions: the position when none of "
                                                  "`by` sanctions `actor` (default: the scale's high end).")
    weight: float | None = Field(None, ge=0, le=0.5, description="Share of the table's weighted votes (capability "
                                 "x salience) the status quo carries; null: talks.status_quo_weight.")

    @model_validator(mode="after")
    def _needs(self) -> StatusQuo:
        for f in STATUS_QUO_NEEDS[self.kind]:
            if getattr(self, f) in (None, []):
                raise ValueError(f"a status quo of kind {self.kind} needs {f!r}")
        return self


class TalksParams(_Strict):
    """How fast the bargaining moves and which of its moves the story tells (docs/model.md)."""
    half_life: float = Field(6.0, ge=0, le=120, description="Months in which an actor makes half of the move "
                             "the bargaining model finds (damping: each month it moves 1 - 0.5^(1/half_life) of the "
                             "round's move); 0 = the whole move at once. An issue may set its own.")
    status_quo_weight: float = Field(0.2, ge=0, le=0.5, description="Default share of the weighted votes the "
                                     "status quo of an issue carries (issues without `status_quo` have none).")
    tell_move: float = Field(10.0, ge=0, le=100, description="A talks move of at least this many points (on the "
                             "issue's scale rescaled to 0-100), accumulated since it was last told, is told.")
    major_move: float = Field(25.0, ge=0, le=100, description="A told talks move at least this big is a major "
                              "event (smaller ones are minor).")


class StoryParams(_Strict):
    """What the event log leaves out and how it ranks what it tells (docs/model.md)."""
    epsilon_position: float = Field(0.5, ge=0, le=100, description="A position change below this many points (on "
                                    "a 0-100 scale) is no change: it is not told as one.")
    epsilon_relation: float = Field(0.005, ge=0, le=1, description="A relation change below this is no change.")
    minor_kinds: list[str] = Field(default_factory=lambda: list(MINOR_KINDS), description="Event kinds that are "
                                   "minor (routine moves); every other kind is major unless the event says.")

    @field_validator("minor_kinds")
    @classmethod
    def _known_kinds(cls, v: list[str]) -> list[str]:
        """A misspelt kind would leave the kind it meant major, without a word."""
        for kind in v:
            if kind not in STORY_KINDS:
                raise ValueError(unknown_name("event kind", kind, STORY_KINDS))
        return v
