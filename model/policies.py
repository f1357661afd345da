"""How actors choose orders: utility, rule, random, scripted and human policies.

Every policy returns a list of `Order`s whose total cost fits the actor's action points; all randomness comes
from the model's rng passed in, so a seed fixes every choice.
"""
from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from model.actions import ACTION_KINDS, FIELDS, Ctx, Order, candidates, expected, orders_from
from model.errors import UserError
from model.indicators import evaluate
from model.utility import Batch, GoalTable, utility


class Policy(Protocol):
    def choose(self, ctx: Ctx, a: int, ap: int, rng: np.random.Generator, rec: dict, goals: GoalTable,
               turn: int) -> list[Order]: ...


def all_candidates(ctx: Ctx, a: int) -> list[tuple[str, dict[str, np.ndarray]]]:
    """Every feasible order of actor a, grouped by kind (hold included)."""
    out = []
    for kind in ACTION_KINDS:
        c = candidates(ctx, a, kind)
        if len(next(iter(c.values()))):
            out.append((kind, c))
    return out


def score_candidates(ctx: Ctx, a: int, goals: GoalTable) -> tuple[list[tuple[str, dict]], np.ndarray, np.ndarray]:
    """Expected utility gain and cost of every candidate order, computed at once on a batch of expected states."""
    groups = all_candidates(ctx, a)
    sizes = [len(next(iter(c.values()))) for _, c in groups]
    total = sum(sizes)
    batch = Batch.of(ctx.w, total)
    costs = np.empty(total)
    start = 0
    for (kind, c), m in zip(groups, sizes):
        rows = np.arange(start, start + m)
        expected(ctx, a, kind, c, batch, rows)
        costs[rows] = ctx.p(kind).cost
        start += m
    u = utility(batch, a, goals, ctx.w.scale)
    hold_row = sum(sizes[: [k for k, _ in groups].index("hold")])
    return groups, u - u[hold_row], costs


def _row_order(ctx: Ctx, groups: list[tuple[str, dict]], row: int) -> Order:
    for kind, c in groups:
        m = len(next(iter(c.values())))
        if row < m:
            one = {f: arr[row:row + 1] for f, arr in c.items()}
            return orders_from(ctx, kind, one)[0]
        row -= m
    raise IndexError(row)


class UtilityPolicy:
    """Pick orders by the expected change in the actor's own utility, softmax with a temperature.

    The temperature is relative to the largest absolute gain on offer this turn, so 0.1 means "a gain 10% of
    the best one below it is e times less likely", whatever the scale of the actor's goals. Orders are drawn
    one at a time without replacement until holding is drawn or no affordable order is left.
    """

    def __init__(self, temperature: float) -> None:
        self.temperature = temperature

    def choose(self, ctx, a, ap, rng, rec, goals, turn):
        groups, gain, cost = score_candidates(ctx, a, goals)
        return pick_softmax(ctx, groups, gain, cost, ap, self.temperature, rng)


def pick_softmax(ctx: Ctx, groups, gain: np.ndarray, cost: np.ndarray, ap: int, temperature: float,
                 rng: np.random.Generator) -> list[Order]:
    open_ = cost > 0
    hold = np.nonzero(cost == 0)[0]
    open_[hold] = False
    scale = max(float(np.abs(gain).max()), 1e-9) * temperature
    chosen: list[Order] = []
    while True:
        avail = np.nonzero(open_ & (cost <= ap))[0]
        if avail.size == 0:
            break
        rows = np.concatenate([hold[:1], avail])
        z = gain[rows] / scale
        p = np.exp(z - z.max())
        p /= p.sum()
        pick = rows[int(rng.choice(len(rows), p=p))]
        if cost[pick] == 0:
            break
        chosen.append(_row_order(ctx, groups, int(pick)))
        ap -= int(cost[pick])
        open_[pick] = False
    return chosen


class RandomPolicy:
    """Uniformly random feasible orders (holding included), a null model for experiments."""

    def choose(self, ctx, a, ap, rng, rec, goals, turn):
        groups = all_candidates(ctx, a)
        cost = np.concatenate([np.full(len(next(iter(c.values()))), ctx.p(k).cost) for k, c in groups])
        return pick_softmax(ctx, groups, np.zeros(len(cost)), cost, ap, 1.0, rng)


def parse_order(ctx: Ctx, d: Any, where: str = "order") -> Order:
    """Check an order given as a mapping (by a person, a rule or a script) names known things."""
    if not isinstance(d, dict) or "kind" not in d:
        raise UserError("an order is a mapping with a 'kind' and its targets, e.g. {kind: engage, target: SYR}",
                        field=where)
    if d["kind"] not in ACTION_KINDS:
        raise UserError(f"unknown order kind {d['kind']!r}; expected one of {', '.join(ACTION_KINDS)}", field=where)
    extra = set(d) - {"kind", *FIELDS}
    if extra:
        raise UserError(f"unknown order field(s) {', '.join(sorted(extra))}; expected {', '.join(FIELDS)}",
                        field=where)
    w = ctx.w
    known = {"target": w.actors, "other": w.actors, "base": w.bases, "region": w.regions, "issue": w.issues}
    for f in FIELDS:
        if d.get(f) is not None and d[f] not in known[f]:
            raise UserError(f"unknown {f} {d[f]!r}", field=f"{where}.{f}")
    return Order(**{k: v for k, v in d.items() if v is not None})


def feasible_orders(ctx: Ctx, a: int) -> list[Order]:
    return [o for kind, c in all_candidates(ctx, a) for o in orders_from(ctx, kind, c)]


def is_feasible(ctx: Ctx, a: int, order: Order) -> bool:
    c = candidates(ctx, a, order.kind)
    return order in orders_from(ctx, order.kind, c)


def _fill(ctx, a, ap, rng, goals, fallback: str, chosen: list[Order]) -> list[Order]:
    if fallback == "hold" or ap <= 0:
        return chosen
    if fallback == "random":
        more = RandomPolicy().choose(ctx, a, ap, rng, {}, goals, 0)
    else:
        more = UtilityPolicy(0.15).choose(ctx, a, ap, rng, {}, goals, 0)
    return chosen + [o for o in more if o not in chosen]


class RulePolicy:
    """Ordered if-then rules over named indicators (structured YAML, never eval); first matching rules first."""

    def __init__(self, rules: list, fallback: str) -> None:
        self.rules, self.fallback = rules, fallback

    def choose(self, ctx, a, ap, rng, rec, goals, turn):
        chosen: list[Order] = []
        for r, rule in enumerate(self.rules):
            if not evaluate(rule.when, rec):
                continue
            for d in rule.then:
                o = parse_order(ctx, d, f"rules.{r}")
                cost = ctx.p(o.kind).cost
                if cost <= ap and o not in chosen and is_feasible(ctx, a, o):
                    chosen.append(o)
                    ap -= cost
        return _fill(ctx, a, ap, rng, goals, self.fallback, chosen)


class ScriptedPolicy:
    """Orders per turn written in the config (turn 1 is the first month); unusable orders are skipped."""

    def __init__(self, script: dict[int, list], fallback: str) -> None:
        self.script, self.fallback = script, fallback

    def choose(self, ctx, a, ap, rng, rec, goals, turn):
        chosen: list[Order] = []
        for d in self.script.get(turn, []):
            o = parse_order(ctx, d, f"script.{turn}")
            cost = ctx.p(o.kind).cost
            if cost <= ap and is_feasible(ctx, a, o):
                chosen.append(o)
                ap -= cost
        return _fill(ctx, a, ap, rng, goals, self.fallback, chosen)


class HumanPolicy:
    """Orders come from outside (a person in the browser); the model waits until they are submitted."""

    def choose(self, ctx, a, ap, rng, rec, goals, turn):  # pragma: no cover - the model never asks it
        raise RuntimeError("human seats give orders through WargameModel.submit_orders")


def make_policy(spec) -> Policy:
    kind = spec.kind
    if kind == "utility":
        return UtilityPolicy(spec.temperature)
    if kind == "random":
        return RandomPolicy()
    if kind == "rule":
        return RulePolicy(spec.rules, spec.fallback)
    if kind == "scripted":
        return ScriptedPolicy(spec.script, spec.fallback)
    return HumanPolicy()
