"""After-action review of a human seat (the data; the server draws the page): how the seat did against its own
AI policy, the months where its orders mattered most, and the story's turning points with their causes.

    from model import WargameModel, after_action_review
    game = WargameModel.from_export(data)               # a game as played (or replayed to any month)
    review = after_action_review(game, "USA", n=40, workers=2)

1. Utility over time: the seat's utility in each month of the game, against the spread (fan) of the same seat's
   utility when its actor's AI policy plays it from the same start: an ensemble of n futures of the game's month 0
   (every human seat played by the AI, as in all futures: model.experiments.futures), with the seat's percentile
   among them month by month.
2. Pivotal months: for each month t the seat gave orders, two arms from the game's month t on paired seeds: A, the
   orders it gave; B, its AI policy's choice instead; every seat then played by the AI to the game's last month.
   The effect of that month's orders is the mean paired difference of the seat's final utility (A - B) with its
   paired t interval; months are listed by the size of the effect (model.experiments.stats.paired_difference).
   The other human seats keep their logged orders in month t in both arms.
3. Turning points: every threshold crossing (an issue's forecast passing a threshold), bloc change and change of a
   base's controller, each with its causes: the events of that month that name the same base, issue or actor.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from model.config import limits
from model.config.errors import UserError
from model.experiments.futures import PERCENTILES, check_size, prepare, run_plans
from model.sim.fork import from_export, to_export

CAUSES_SHOWN = 6          # events listed as the causes of one turning point, at most


def after_action_review(game: Any, seat: str, *, n: int = limits.DEFAULT_AAR_FUTURES, pivotal: bool = True,
                        **execution: Any) -> dict[str, Any]:
    """The review of `seat` (a human seat of `game`) over the months played so far (module docstring).

    n: futures per ensemble and per arm of each month's comparison (default DEFAULT_AAR_FUTURES; all of them run as
    one job on the executor interface: `execution`, see futures.run_plans); pivotal=False skips the comparisons
    (the costly part: 2 n (T - t) months for each month t). Returns {seat, turns, dates, utility, ai, percentile,
    pivotal, moments, note}."""
    played = check_review(game, seat, n, pivotal)
    data = to_export(game)
    start = from_export(type(game), data, 0, scenario=game.scenario)
    column = f"utility.{seat}"
    plans = [prepare(start, n, played, relations=[], keep=[column])]
    decided = []
    if pivotal:
        for t, entry in enumerate(data["orders"]):
            at = from_export(type(game), data, t, scenario=game.scenario)
            for other in at.human:
                if other != seat:
                    at.submit_orders(other, entry["orders"].get(other, []))
            given = entry["orders"].get(seat, [])
            plans.append(prepare(at, n, played - t, seat=seat, orders=given, relations=[], keep=[column],
                                 paired=True))
            plans.append(prepare(at, n, played - t, relations=[], keep=[column], paired=True))
            decided.append((t, given))
    futures = run_plans(plans, **execution)
    record = game.indicators()
    mine = [float(v) for v in record[column]]
    ensemble = np.array(futures[0].kept[column], dtype=float)          # (n, played + 1)
    qs = np.percentile(ensemble, PERCENTILES, axis=0)
    fan = {f"p{p}": q.tolist() for p, q in zip(PERCENTILES, qs, strict=True)}
    fan["mean"] = ensemble.mean(axis=0).tolist()
    rank = [float((ensemble[:, t] < mine[t]).mean() + 0.5 * (ensemble[:, t] == mine[t]).mean())
            for t in range(played + 1)]
    rows = []
    if pivotal:
        from model.experiments.stats import paired_difference

        for k, (t, given) in enumerate(decided):
            a = np.array(futures[1 + 2 * k].kept[column], dtype=float)[:, -1]
            b = np.array(futures[2 + 2 * k].kept[column], dtype=float)[:, -1]
            d = paired_difference(a, b, binary=False)
            rows.append({"turn": t + 1, "date": game.date(t + 1), "orders": given, "effect": d["difference"],
                         "low": d["low"], "high": d["high"], "with_orders": d["a"], "with_ai": d["b"], "n": n})
        rows.sort(key=lambda r: -abs(r["effect"]))
    return {"seat": seat, "name": game.scenario.actors[seat].name, "turns": played,
            "dates": [game.date(t) for t in range(played + 1)], "utility": mine,
            "ai": {"n": n, "fan": fan, "percentiles": list(PERCENTILES)}, "percentile": rank,
            "pivotal": rows, "moments": turning_points(game),
            "note": (f"The ensemble and the counterfactual months play {seat} (and every other human seat) by its "
                     "actor's AI policy; the effect of a month's orders is the mean difference of the seat's "
                     f"utility in {game.date(played)} between its orders and the AI's, on paired seeds.")}


def review_cost(played: int, n: int, pivotal: bool = True) -> int:
    """Months a review of `played` months with n futures plays: the ensemble, then 2 n (T - t) for each month t."""
    return n * played + (n * played * (played + 1) if pivotal else 0)


def check_review(game: Any, seat: Any, n: Any, pivotal: bool = True) -> int:
    """The checks of after_action_review, from counts alone (cheap: a server runs them on its request thread);
    returns the months played. One UserError naming seat, turn or n."""
    if not isinstance(seat, str) or seat not in game.scenario.actors:
        raise UserError(f"unknown actor {seat!r}; expected one of {', '.join(game.scenario.actors)}", field="seat")
    if seat not in game.human:
        raise UserError(f"{seat} is not a human seat in this game (human seats: {', '.join(game.human) or 'none'})",
                        field="seat")
    played = int(game.turn)
    if played < 1:
        raise UserError("the game has not played a month yet: there is nothing to review", field="turn")
    check_size(n, played)
    cost = review_cost(played, n, pivotal)
    if cost > limits.MAX_REVIEW_TURNS:
        raise limits.too_many(limits.LIMITS["review_turns"][1], cost, limits.MAX_REVIEW_TURNS, field="n",
                              hint=" (use fewer futures, or pivotal=False to skip the month-by-month comparison)")
    return played


def _mentions(e: dict, ids: set[str], names: tuple[str, ...] = ()) -> bool:
    """Whether an event names one of the ids (as an actor, a base or issue field, in its effects) or, in its
    sentence, one of the names."""
    numbers = e.get("numbers", {})
    text = " ".join(str(v) for v in numbers.values())
    sentence = e.get("sentence", "").lower()
    return (bool(ids & set(e.get("actors", ()))) or any(str(numbers.get(k)) in ids for k in ("base", "issue"))
            or any(i in text.split() or f"{i}-" in text or f"-{i}" in text for i in ids)
            or any(name.lower() in sentence for name in names))


def turning_points(game: Any) -> list[dict[str, Any]]:
    """Every threshold crossing, bloc change and change of a base's controller of the game so far, in order, each
    with its causes (the same month's events that name its base, issue or actors)."""
    record = game.indicators()
    events = game.events()
    by_turn: dict[int, list[dict]] = {}
    for e in events:
        by_turn.setdefault(int(e["turn"]), []).append(e)

    def causes(turn: int, ids: set[str], skip: dict | None = None, names: tuple[str, ...] = ()) -> list[dict]:
        found = [e for e in by_turn.get(turn, []) if e is not skip and _mentions(e, ids, names)]
        return [{"kind": e["kind"], "phase": e.get("phase"), "actors": e.get("actors", []),
                 "sentence": e["sentence"]} for e in found[:CAUSES_SHOWN]]

    sc = game.scenario
    out = []
    for e in events:
        if e["kind"] == "issue":
            issue = e["numbers"].get("issue")
            names = (sc.issues[issue].name,) if issue in sc.issues else ()
            out.append({"turn": e["turn"], "date": e["date"], "kind": "threshold", "issue": issue,
                        "threshold": e["numbers"].get("threshold"), "sentence": e["sentence"],
                        "before": e["numbers"].get("before"), "after": e["numbers"].get("after"),
                        "effects": e["numbers"].get("effects"), "causes": causes(e["turn"], {str(issue)}, e, names)})
    for b in sc.bases:
        held = record[f"base.{b}.controller"].tolist()
        for t in range(1, len(held)):
            if held[t] != held[t - 1]:
                out.append({"turn": t, "date": game.date(t), "kind": "base", "base": b, "from": held[t - 1],
                            "to": held[t], "sentence": f"{sc.bases[b].name} passed from {held[t - 1]} to {held[t]}.",
                            "causes": causes(t, {b})})
    for a in sc.actors:
        side = record[f"bloc.{a}"].tolist()
        for t in range(1, len(side)):
            if side[t] != side[t - 1]:
                shift = next((e for e in by_turn.get(t, []) if e["kind"] == "alliance_shift" and a in e["actors"]),
                             None)
                out.append({"turn": t, "date": game.date(t), "kind": "bloc", "actor": a, "from": int(side[t - 1]),
                            "to": int(side[t]),
                            "sentence": shift["sentence"] if shift else f"{sc.actors[a].name} changed sides.",
                            "causes": causes(t, {a}, shift)})
    order = {"threshold": 0, "base": 1, "bloc": 2}
    return sorted(out, key=lambda m: (m["turn"], order[m["kind"]]))
