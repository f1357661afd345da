"""Config of a scenario's victory conditions (`victory:`), judged by model.sim.victory; docs/playing.md tells a
player how they are scored. The scenario schema (model.config.scenario) imports this class and checks the actor
and the condition's indicators with every other cross-reference."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# How a condition is judged (docs/playing.md): on the last month only, won the first month it holds, or kept only
# while it holds every month. The game always runs its full length: a condition won early stays won.
WHEN = ("end", "any_month", "every_month")


class _Strict(BaseModel):
    # the same settings as model.config.scenario.Strict (not imported: that module imports this one)
    model_config = ConfigDict(extra="forbid", validate_default=True, allow_inf_nan=False)


class Victory(_Strict):
    """A victory condition of one actor: a condition over the indicators (the form events use), and when it counts.

    The conditions sit in a mapping by id (`victory: {russia_keeps_bases: {...}}`), so a scenario that extends
    another adds or changes one condition without restating the rest. An actor with several conditions wins when
    every one of them is met (write alternatives as one condition with `any:`); an actor with none is not judged."""
    actor: str = Field(description="The actor (seat) this condition is a victory for.")
    text: str = Field(min_length=1, max_length=300, description="The condition as a player reads it, e.g. "
                                                                "'Russia still holds Tartus and Khmeimim'.")
    condition: dict[str, Any] = Field(description="Condition over the indicators of a month ({indicator, op, "
                                                  "value}, all/any: [...] or not: {...}), by the names listed under "
                                                  "Indicators below.")
    when: Literal["end", "any_month", "every_month"] = Field(
        "end", description="end: met when the condition holds in the last month of the game; any_month: won the "
                           "first month (1 on) it holds, and stays won; every_month: met only if it holds in "
                           "every month played (lost the first month it fails). The game runs its full length "
                           "either way.")
