"""Victory conditions (the scenario's `victory:`, model.config.victory) judged on each month's indicator record.

The book only reads the record the model has just collected: it draws nothing and changes nothing, so a game's
trajectory is the same with or without victory conditions. Each condition is judged by its `when`:

- end: met when it holds in the last month of the game (until then it is open; the page shows whether it holds now);
- any_month: won the first month played (1 on) in which it holds, and stays won;
- every_month: lost the first month played in which it does not hold; met at the end if it never failed.

An actor with victory conditions wins when every one of them is met at the end; the end of the game names every
actor that won, or nobody. Actor ids come from the scenario: the kernel names none.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from model.config.conditions import evaluate
from model.config.scenario import Scenario


@dataclass
class Standing:
    """Where one condition stands after the months seen so far."""
    holds: bool = False            # on the latest record
    decided: int | None = None     # any_month: the month it was won; every_month: the month it was lost
    now: list[Any] = field(default_factory=list)   # each leaf's indicator value on the latest record


def leaves(cond: Any, negated: bool = False) -> Iterator[tuple[dict[str, Any], bool]]:
    """Every {indicator, op, value} of a condition, with whether it sits under an odd number of `not`s."""
    if not isinstance(cond, dict):
        return
    for key in ("all", "any"):
        if key in cond:
            for c in cond[key]:
                yield from leaves(c, negated)
            return
    if "not" in cond:
        yield from leaves(cond["not"], not negated)
    elif "indicator" in cond:
        yield cond, negated


class VictoryBook:
    """Every victory condition of a scenario and where it stands; `observe` after each recorded month."""

    def __init__(self, scenario: Scenario) -> None:
        self.conditions = dict(scenario.victory)
        self.standing = {vid: Standing() for vid in self.conditions}
        self._leaves = {vid: list(leaves(v.condition)) for vid, v in self.conditions.items()}

    def observe(self, turn: int, record: Mapping[str, Any]) -> None:
        """Judge every condition on the record of month `turn` (0: the starting situation, which decides nothing)."""
        for vid, v in self.conditions.items():
            st = self.standing[vid]
            st.holds = evaluate(v.condition, record)
            st.now = [record.get(leaf["indicator"]) for leaf, _ in self._leaves[vid]]
            if turn >= 1 and st.decided is None and (
                    (v.when == "any_month" and st.holds) or (v.when == "every_month" and not st.holds)):
                st.decided = turn

    def met(self, vid: str, final: bool) -> bool | None:
        """True or False once the condition's result is settled, None while it is still open."""
        v, st = self.conditions[vid], self.standing[vid]
        if v.when == "any_month":
            return True if st.decided is not None else (False if final else None)
        if v.when == "every_month":
            return False if st.decided is not None else (True if final else None)
        return st.holds if final else None

    def status(self, final: bool, date_of: Callable[[int], str]) -> dict[str, Any]:
        """The JSON of the game state: each condition (id, actor, text, when, holds now, met: true/false/null while
        open, the month it was decided), each judged actor's result (won: true/false/null while open) and, at the
        end of the game, the winners."""
        rows: list[dict[str, Any]] = []
        for vid, v in self.conditions.items():
            st = self.standing[vid]
            parts = [{"indicator": leaf["indicator"], "op": leaf["op"], "value": leaf["value"], "negated": negated,
                      "now": _shown(now), "ok": evaluate(leaf, {leaf["indicator"]: now}) != negated}
                     for (leaf, negated), now in zip(self._leaves[vid], st.now, strict=False)]   # none before observe
            rows.append({"id": vid, "actor": v.actor, "text": v.text, "when": v.when, "holds": st.holds,
                         "met": self.met(vid, final), "month": st.decided,
                         "date": date_of(st.decided) if st.decided is not None else None, "parts": parts})
        actors: dict[str, dict[str, Any]] = {}
        for r in rows:
            a = actors.setdefault(r["actor"], {"met": 0, "total": 0, "won": True})
            a["total"] += 1
            a["met"] += r["met"] is True
            if r["met"] is False:
                a["won"] = False
            elif r["met"] is None and a["won"] is not False:
                a["won"] = None
        winners = [a for a, res in actors.items() if res["won"]] if final else []
        return {"final": final, "conditions": rows, "actors": actors, "winners": winners}

    def of_actor(self, actor: str, final: bool, date_of: Callable[[int], str]) -> dict[str, Any] | None:
        """One actor's conditions and result (the shape of `status`'s parts), or None when it has no condition."""
        full = self.status(final, date_of)
        if actor not in full["actors"]:
            return None
        return {**full["actors"][actor], "conditions": [c for c in full["conditions"] if c["actor"] == actor]}


def _shown(value: Any) -> Any:
    """An indicator value for the page: numbers rounded to 3 places (JSON-safe), text as it is."""
    if isinstance(value, float):
        return round(value, 3)
    return value.item() if hasattr(value, "item") else value
