"""How actors choose orders: utility, rule, random, scripted and human policies.

Every policy returns a list of `Order`s whose total cost fits the actor's action points; all randomness comes
from the model's rng passed in, so a seed fixes every choice.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, cast

import numpy as np

from model.config.conditions import evaluate
from model.config.errors import UserError
from model.config.vocabulary import ACTION_KINDS, COLUMNS, FIELDS, REQUIRED
from model.sim.actions import (
    PAIR_KINDS,
    PROB_KINDS,
    UNUSED,
    Ctx,
    Order,
    apply_pending,
    candidates,
    defer_writes,
    expected,
    expected_pairs,
    kind_rows,
    orders_from,
    pair_group,
    success_prob,
)
from model.sim.utility import Batch, Changed, GoalTable, utility

NO_GAIN = 1e-12             # |expected gain| at or below this counts as no effect at all
DEFAULT_TEMPERATURE = 0.15  # rule/scripted policies' utility fallback (the Policy schema's default)


class Policy(Protocol):
    def sampling(self) -> tuple[float, bool]:
        """(temperature, uniform) for this turn's Gumbel keys (see gumbel_keys)."""

    def choose(self, ctx: Ctx, a: int, ap: int, rng: np.random.Generator, rec: Mapping[str, Any], scored: Scored,
               turn: int) -> list[Order]: ...


@dataclass
class Scored:
    """Every candidate order of every actor with its cost and expected utility gain, rows grouped by actor."""
    kind: np.ndarray                 # (c,) index into ACTION_KINDS
    cols: dict[str, np.ndarray]      # actor, target, other, base, region, issue (-1 = unused)
    gain: np.ndarray                 # (c,) expected utility change for the row's actor vs holding
    cost: np.ndarray                 # (c,) action points
    start: np.ndarray                # (n + 1,) row offsets per actor
    batch: Batch | None = None       # (c,) each row's expected state, as the gains were scored on it (one
                                     # actor's pass, score_all(only=...); None for all actors' pass)
    chance: np.ndarray | None = None  # (c,) each row's chance of success (score_all(chances=True))
    keys: np.ndarray | None = None   # (c,) this turn's Gumbel keys for every actor (see gumbel_keys)
    _ranked: tuple[list[int], list[float], list[int]] | None = None   # reachable rows, their costs, per actor
    _table: np.ndarray | None = None  # (1 + fields, c) kind and the fields, for `order` (built on first use)
    _starts: list[int] | None = None

    def ranking(self, keys: np.ndarray) -> tuple[list[int], list[float], list[int]]:
        """The rows a draw can reach, actor by actor in drawing order (decreasing key, ties by row as a stable
        sort), with their costs and each actor's offsets into them (n + 1), in one sort made on first use.

        An actor's draw ends at its hold row (its first row: its key is finite, and ties with it sort after it),
        so the rows it can reach are those whose key beats that row's; none of them has the key -inf."""
        if self._ranked is None:
            act = self.cols["actor"]                  # rows come sorted by actor (score_all)
            reach = (keys > keys.take(self.start.take(act))).nonzero()[0]
            act_r = act.take(reach)
            order = reach.take(np.lexsort((-keys.take(reach), act_r)))
            cut = np.searchsorted(act.take(order), np.arange(len(self.start)))
            self._ranked = (order.tolist(), self.cost.take(order).tolist(), cut.tolist())
        return self._ranked

    def rows(self, a: int) -> slice:
        if self._starts is None:
            self._starts = self.start.tolist()
        return slice(self._starts[a], self._starts[a + 1])

    def order(self, ctx: Ctx, row: int) -> Order:
        """The Order of one row (as orders_from makes it: every field the row uses, by name)."""
        if self._table is None:
            self._table = np.stack([self.kind, *[self.cols[f] for f in FIELDS]])
        key = tuple(self._table[:, row].tolist())
        made = ctx.made_orders.get(key)      # an Order is immutable: one per distinct row, made once per game
        if made is None:
            kind = ACTION_KINDS[key[0]]
            names = ctx.field_names()
            kw = {f: names[f][v] for f, v in zip(FIELDS, key[1:], strict=True) if v >= 0}
            if kind in ("deploy", "withdraw"):
                kw.pop("target", None)
            made = ctx.made_orders[key] = Order(kind, **kw)
        return made

    def orders(self, ctx: Ctx, a: int) -> list[Order]:
        sl = self.rows(a)
        return [self.order(ctx, r) for r in range(sl.start, sl.stop)]


def score_all(ctx: Ctx, goals: GoalTable, only: int | None = None, chances: bool = False) -> Scored:
    """Expected gains of all candidate orders of all actors (or one), computed at once on one batch.

    The pair kinds (actions.PAIR_KINDS) are listed and scored as one block; every other kind is its own block.
    With `chances`, Scored.chance holds each row's chance of success: for the kinds whose expected effect is
    weighted by it, the very chance expected() used; for the others actions.success_prob of the same rows."""
    ctx.begin_scoring()
    try:
        return _score_all(ctx, goals, only, chances)
    finally:
        ctx.end_scoring()


_PAIR_INDEX = np.array([ACTION_KINDS.index(k) for k in PAIR_KINDS])
_OTHER_KINDS = [k for k in ACTION_KINDS if k not in PAIR_KINDS and k != "hold"]   # one block each, after the pairs
_OTHER_INDEX = [ACTION_KINDS.index(k) for k in _OTHER_KINDS]
_COLUMN_ROW = {f: i for i, f in enumerate(COLUMNS)}
_BLOCK_KIND = np.array([ACTION_KINDS.index("hold"), -1, *_OTHER_INDEX])     # each block's kind (pairs: their own)
# the kinds whose expected effects change the control shares, a base, the forecasts, the fighting (utility.Changed)
_CHANGING = (("patrol", "strike", "attack"), ("deploy", "withdraw", "consolidate", "strike", "seize"),
             ("demand", "concede"), ("strike", "seize", "attack"))


def _score_all(ctx: Ctx, goals: GoalTable, only: int | None, chances: bool) -> Scored:
    """The rows are listed and scored block by block (hold, the pairs, then one block per kind: "kind-major"), then
    sorted by actor (stably, so each actor's rows keep that order and its hold row comes first). Every row's
    utility is computed on its own, so scoring in kind-major order and sorting the results gives the same numbers
    as sorting first."""
    w = ctx.w
    n = w.n
    k, a, t = pair_group(ctx)
    hold = kind_rows(ctx, "hold")
    blocks: list[tuple[str, dict[str, np.ndarray], np.ndarray | None]] = [
        ("hold", hold, None), ("pairs", {"actor": a, "target": t}, k)]
    blocks += [(kind, kind_rows(ctx, kind), None) for kind in _OTHER_KINDS]
    if only is not None:
        keep = [c["actor"] == only for _, c, _ in blocks]
        blocks = [(name, {f: v[m] for f, v in c.items()}, None if kk is None else kk[m])
                  for (name, c, kk), m in zip(blocks, keep, strict=True)]
    sizes = [len(c["actor"]) for _, c, _ in blocks]
    total = sum(sizes)
    table = np.empty((len(COLUMNS), total), dtype=int)       # the rows' columns, kind-major
    unused = UNUSED if total <= UNUSED.size else np.full(total, -1)
    for i, f in enumerate(COLUMNS):
        np.concatenate([c.get(f, unused[:m]) for (_, c, _), m in zip(blocks, sizes, strict=True)], out=table[i])
    kind = _BLOCK_KIND.repeat(sizes)
    if sizes[1]:                                              # the pairs block carries its own kinds
        kind[sizes[0]:sizes[0] + sizes[1]] = _PAIR_INDEX.take(cast(np.ndarray, blocks[1][2]))
    actor = table[0]
    batch = Batch.of(w, actor, ctx.scoring["held"] if ctx.scoring is not None else None)
    batch.plain = False                   # the orders' effects are written below
    defer_writes(ctx)
    chance = None
    if chances:
        chance = np.ones(total)
        if ctx.scoring is None:
            raise RuntimeError("candidates are scored between Ctx.begin_scoring() and end_scoring()")
        ctx.scoring["chance"] = chance         # expected() writes the chances it weights its rows by
    rows = np.arange(total)
    offset = 0
    span: dict[str, slice] = {}
    for (name, c, kk), m in zip(blocks, sizes, strict=True):
        span[name] = slice(offset, offset + m)
        if m:
            end = offset + m
            cand = c if "target" in c else {**c, "target": table[1, offset:end]}   # (every kind reads a target)
            if kk is not None:               # the pairs block carries its own kinds
                expected_pairs(ctx, kk, cand, batch, rows[offset:end])
            elif name != "hold":                   # (holding has no effect; its chance is 1)
                expected(ctx, name, cand, batch, rows[offset:end], span[name])
                if chance is not None and name not in PROB_KINDS:       # contested, but not weighted (mediate)
                    chance[offset:end] = success_prob(ctx, name, cand)
            offset = end
    apply_pending(ctx, batch)
    if only is None:
        heads, head_of = rows[:n], actor
    else:
        heads, head_of = rows[:1], np.zeros(total, dtype=int)
    control, based, forecast, fought = [np.concatenate([rows[span[x]] for x in kinds]) for kinds in _CHANGING]
    changed = Changed(heads, head_of, control, based, forecast, fought,
                      cells=ctx.scoring["rel_cells"] if ctx.scoring is not None else None)
    u = utility(batch, actor, goals, w.scale, changed=changed)
    gain = u - (u[0] if only is not None else u[:n].take(actor))   # the hold rows come first, one per actor
    costs = ctx.__dict__.get("_costs")
    if costs is None:
        costs = ctx.__dict__["_costs"] = np.array([ctx.p(x).cost for x in ACTION_KINDS], dtype=float)
    if only is None:                      # sort by actor (a single actor's rows are in order already)
        perm = np.argsort(actor.astype(np.uint8) if n < 256 else actor, kind="stable")   # (a radix sort)
        table, kind, gain = table.take(perm, axis=1), kind.take(perm), gain.take(perm)
        if chance is not None:
            chance = chance.take(perm)
        scored_batch = None               # (its rows are kind-major: not kept)
        start = np.searchsorted(table[0], np.arange(n + 1))
    else:
        scored_batch = batch
        start = np.zeros(n + 1, dtype=int)
        start[only + 1:] = total
    cols = {f: table[i] for f, i in _COLUMN_ROW.items()}
    return Scored(kind, cols, gain, costs.take(kind), start, scored_batch, chance)


def score_candidates(ctx: Ctx, a: int, goals: GoalTable, chances: bool = False) -> Scored:
    """One actor's candidates and gains (for human seats' menus, their briefs and tests): the rows, gains and
    chances of the pass the AI policy scores with (score_all)."""
    return score_all(ctx, goals, only=a, chances=chances)


class UtilityPolicy:
    """Pick orders by the expected change in the actor's own utility, softmax with a temperature.

    The temperature is relative to the largest absolute gain on offer this turn, so 0.1 means "a gain 10% of
    the best one below it is e times less likely", whatever the scale of the actor's goals. Holding has gain 0
    and also takes the softmax weight of every order with a gain <= 0, so a crowd of slightly harmful orders
    cannot outvote doing nothing. Orders are drawn one at a time without replacement until holding is drawn
    or no affordable order is left.
    """

    def __init__(self, temperature: float) -> None:
        self.temperature = temperature

    def sampling(self) -> tuple[float, bool]:
        return self.temperature, False

    def choose(self, ctx: Ctx, a: int, ap: int, rng: np.random.Generator, rec: Mapping[str, Any], scored: Scored,
               turn: int) -> list[Order]:
        return pick_softmax(ctx, scored, a, ap, self.temperature, rng)


def gumbel_keys(gain: np.ndarray, cost: np.ndarray, start: np.ndarray, temperature: np.ndarray,
                uniform: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Gumbel-perturbed softmax logits of every candidate row, blocks of rows per actor (hold first in each).

    Walking an actor's rows by decreasing key is exactly sequential softmax sampling without replacement (the
    Gumbel-top-k trick), so one rng call serves every actor of the turn. Logits are gain / (temperature x the
    actor's largest |gain|); an order worth nothing is never drawn; holding also carries the weight of every
    order that would not improve the actor's lot, so a crowd of slightly harmful orders cannot outvote it."""
    counts = start[1:] - start[:-1]
    nz = counts > 0
    every = bool(nz.all())                       # every actor has rows (its hold row): one value per actor block
    heads = start[:-1] if every else start[:-1][nz]
    act = np.arange(len(counts)).repeat(counts)

    def per_block(values: np.ndarray, reduce: np.ufunc, empty: float) -> np.ndarray:
        """The reduction over each actor block (actors without rows: `empty`), one value per actor."""
        if every:
            return reduce.reduceat(values, heads)
        full = np.full(len(counts), empty)
        if heads.size:
            full[nz] = reduce.reduceat(values, heads)
        return full

    magnitude = np.abs(gain)
    scale = (np.maximum(per_block(magnitude, np.maximum, 0.0), 1e-9) * temperature).take(act)   # per actor
    if uniform.any():
        uni = uniform[act]
        z = np.where(uni, 0.0, gain / scale)
        usable = (cost > 0) & (uni | (magnitude > NO_GAIN))
        worse = usable & ~uni & (gain <= 0)
    else:                                        # (the same values with uni all False)
        z = gain / scale
        usable = (cost > 0) & (magnitude > NO_GAIN)
        worse = usable & (gain <= 0)
    keys = np.where(usable ^ worse, z, -np.inf)             # usable and not worse (worse rows are usable ones)
    top = per_block(np.where(worse, z, -np.inf), np.maximum, -np.inf)          # for a stable log-sum-exp
    total = per_block(np.exp(np.where(worse, z - np.where(worse, top.take(act), 0.0), -np.inf)), np.add, 0.0)
    spare = top + np.log(total, out=np.full(total.shape, -np.inf), where=total > 0)   # -inf: nothing is worse
    keys[heads] = np.logaddexp(z.take(heads), spare if every else spare[nz])
    return keys + rng.gumbel(size=keys.size)


def pick_softmax(ctx: Ctx, scored: Scored, a: int, ap: int, temperature: float, rng: np.random.Generator,
                 uniform: bool = False) -> list[Order]:
    """Draw orders for actor a without replacement from the softmax until it holds or cannot afford more.

    Uses the turn's keys when the model drew them for every actor at once (`scored.keys`), else draws this
    actor's. Orders it cannot afford are passed over; reaching "hold" ends the turn's orders."""
    sl = scored.rows(a)
    chosen: list[Order] = []
    if scored.keys is not None:        # the turn's keys: walk this actor's reachable rows in the shared ranking
        ranked, all_cost, cut = scored.ranking(scored.keys)
        for i in range(cut[a], cut[a + 1]):
            if ap <= 0:
                break
            if all_cost[i] <= ap:
                chosen.append(scored.order(ctx, ranked[i]))
                ap -= int(all_cost[i])
        return chosen
    keys = gumbel_keys(scored.gain[sl], scored.cost[sl], np.array([0, sl.stop - sl.start]),
                       np.array([temperature]), np.array([uniform]), rng)
    cost = scored.cost[sl]
    for row in np.argsort(-keys, kind="stable").tolist():
        if row == 0 or ap <= 0 or keys[row] == -np.inf:
            break
        if cost[row] <= ap:
            chosen.append(scored.order(ctx, sl.start + row))
            ap -= int(cost[row])
    return chosen


class RandomPolicy:
    """Uniformly random feasible orders (holding included), a null model for experiments."""

    def sampling(self) -> tuple[float, bool]:
        return 1.0, True

    def choose(self, ctx: Ctx, a: int, ap: int, rng: np.random.Generator, rec: Mapping[str, Any], scored: Scored,
               turn: int) -> list[Order]:
        return pick_softmax(ctx, scored, a, ap, 1.0, rng, uniform=True)


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
    known = {"target": w.actors, "other": w.actors, "base": w.bases, "region": w.regions, "issue": w.issues,
             "into": w.bases}
    for f in FIELDS:
        if d.get(f) is not None and d[f] not in known[f]:
            raise UserError(f"unknown {f} {d[f]!r}", field=f"{where}.{f}")
    missing = [f for f in REQUIRED[d["kind"]] if d.get(f) is None]
    if missing:
        raise UserError(f"an order of kind {d['kind']} needs {' and '.join(missing)}",
                        field=f"{where}.{missing[0]}")
    return Order(**{k: v for k, v in d.items() if v is not None})


def match_feasible(ctx: Ctx, a: int, order: Order) -> Order | None:
    """The feasible order that `order` designates (fields it leaves out, like a patrol's region, are filled).

    An order that is feasible exactly as given is itself: a strike on a region is not the strike on a base in it."""
    given = {f: v for f, v in order.to_dict().items() if f != "kind"}
    fits = [o for o in orders_from(ctx, order.kind, candidates(ctx, a, order.kind))
            if all(getattr(o, f) == v for f, v in given.items())]
    return next((o for o in fits if o.to_dict() == order.to_dict()), fits[0] if fits else None)


def is_feasible(ctx: Ctx, a: int, order: Order) -> bool:
    return match_feasible(ctx, a, order) is not None


def _take_written(ctx: Ctx, a: int, ap: int, given: list[tuple[Any, str]]) -> tuple[list[Order], int]:
    """Orders written in the config, in order, skipping those not possible now or not affordable."""
    chosen: list[Order] = []
    for d, where in given:
        o = match_feasible(ctx, a, parse_order(ctx, d, where))
        if o is not None and ctx.p(o.kind).cost <= ap and o not in chosen:
            chosen.append(o)
            ap -= ctx.p(o.kind).cost
    return chosen, ap


def _fill(ctx: Ctx, a: int, ap: int, rng: np.random.Generator, scored: Scored, fallback: str,
          chosen: list[Order]) -> list[Order]:
    if fallback == "hold" or ap <= 0:
        return chosen
    more = pick_softmax(ctx, scored, a, ap, DEFAULT_TEMPERATURE, rng, uniform=fallback == "random")
    return chosen + [o for o in more if o not in chosen]


class RulePolicy:
    """Ordered if-then rules over named indicators (structured YAML, never eval); first matching rules first."""

    def __init__(self, rules: list, fallback: str) -> None:
        self.rules, self.fallback = rules, fallback

    def sampling(self) -> tuple[float, bool]:
        return DEFAULT_TEMPERATURE, self.fallback == "random"

    def choose(self, ctx: Ctx, a: int, ap: int, rng: np.random.Generator, rec: Mapping[str, Any], scored: Scored,
               turn: int) -> list[Order]:
        given = [(d, f"rules.{r}") for r, rule in enumerate(self.rules) if evaluate(rule.when, rec) for d in rule.then]
        chosen, ap = _take_written(ctx, a, ap, given)
        return _fill(ctx, a, ap, rng, scored, self.fallback, chosen)


class ScriptedPolicy:
    """Orders per turn written in the config (turn 1 is the first month); unusable orders are skipped."""

    def __init__(self, script: dict[int, list], fallback: str) -> None:
        self.script, self.fallback = script, fallback

    def sampling(self) -> tuple[float, bool]:
        return DEFAULT_TEMPERATURE, self.fallback == "random"

    def choose(self, ctx: Ctx, a: int, ap: int, rng: np.random.Generator, rec: Mapping[str, Any], scored: Scored,
               turn: int) -> list[Order]:
        chosen, ap = _take_written(ctx, a, ap, [(d, f"script.{turn}") for d in self.script.get(turn, [])])
        return _fill(ctx, a, ap, rng, scored, self.fallback, chosen)


class HumanPolicy:
    """Orders come from outside (a person in the browser); the model waits until they are submitted."""

    def sampling(self) -> tuple[float, bool]:
        return DEFAULT_TEMPERATURE, False

    def choose(self, ctx: Ctx, a: int, ap: int, rng: np.random.Generator, rec: Mapping[str, Any], scored: Scored,
               turn: int) -> list[Order]:  # pragma: no cover - the model never asks it
        raise RuntimeError("human seats give orders through WargameModel.submit_orders")


def make_policy(config: Any) -> Policy:
    kind = config.kind
    if kind == "utility":
        return UtilityPolicy(config.temperature)
    if kind == "random":
        return RandomPolicy()
    if kind == "rule":
        return RulePolicy(config.rules, config.fallback)
    if kind == "scripted":
        return ScriptedPolicy(config.script, config.fallback)
    return HumanPolicy()
