"""The action catalogue: for each kind of order its cost, preconditions, expected effect and resolution.

Every kind works on arrays: `candidates()` lists all feasible orders of one actor as index arrays, `expected()`
writes all their expected effects into a `Batch` at once (no rng, no copy of the world per candidate), and
`resolve()` carries out one order against the world with the model's rng and returns the event it caused.
Effect sizes and preconditions come from the scenario's `actions:` table (`ActionParams`), never from literals.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.scenario import ActionParams, Scenario
from model.utility import Batch
from model.world import STATUS, World

PHASES = ("diplomacy", "economy", "military")
KIND_PHASE = {
    "hold": "diplomacy", "engage": "diplomacy", "demand": "diplomacy", "concede": "diplomacy",
    "mediate": "diplomacy", "recognise": "diplomacy",
    "aid": "economy", "invest": "economy", "sanction": "economy", "lift_sanctions": "economy",
    "deploy": "military", "withdraw": "military", "strike": "military", "support_proxy": "military",
    "patrol": "military", "seize": "military",
}
ACTION_KINDS = tuple(KIND_PHASE)
FIELDS = ("target", "other", "base", "region", "issue")


@dataclass(frozen=True)
class Order:
    """One order as players and configs write it: {"kind": "engage", "target": "SYR"}."""
    kind: str
    target: str | None = None
    other: str | None = None
    base: str | None = None
    region: str | None = None
    issue: str | None = None

    def to_dict(self) -> dict:
        return {"kind": self.kind, **{f: getattr(self, f) for f in FIELDS if getattr(self, f) is not None}}


@dataclass
class Ctx:
    """What every action reads: the world, the scenario's tables, this turn's sizes."""
    w: World
    sc: Scenario
    size: np.ndarray
    params: dict[str, ActionParams] = field(default_factory=dict)

    def p(self, kind: str) -> ActionParams:
        return self.params[kind]

    def name(self, i: int) -> str:
        return self.sc.actors[self.w.actors[i]].name


def contest(a: float, b: float, k: float) -> float:
    """Tullock contest success function p = a^k / (a^k + b^k)."""
    a, b = max(a, 1e-9) ** k, max(b, 1e-9) ** k
    return a / (a + b)


def contest_v(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    a, b = np.maximum(a, 1e-9) ** k, np.maximum(b, 1e-9) ** k
    return a / (a + b)


# ------------------------------------------------------------------------------------- candidates
def _others(w: World, a: int) -> np.ndarray:
    return np.array([j for j in range(w.n) if j != a], dtype=int)


def _rel_ok(ctx: Ctx, kind: str, a: int, t: np.ndarray) -> np.ndarray:
    p = ctx.p(kind)
    r = ctx.w.rel[a, t]
    return (r >= p.min_relation) & (r <= p.max_relation)


def _cap_ok(ctx: Ctx, kind: str, a: int) -> bool:
    p = ctx.p(kind)
    return ctx.w.cap[a, 0] >= p.min_military and ctx.w.cap[a, 1] >= p.min_economic


def _demand_targets(ctx: Ctx, a: int) -> tuple[np.ndarray, np.ndarray]:
    """Per issue the actor cares about, the opponent whose position weighs most against its own."""
    w = ctx.w
    span = w.scale[:, 1] - w.scale[:, 0]
    gap = np.abs(w.position - w.position[:, [a]]) / span[:, None]          # (k, n)
    weight = gap * w.salience * ctx.size[None, :]
    weight[:, a] = -1
    t = weight.argmax(axis=1)
    ks = np.nonzero((w.salience[:, a] >= 0.2) & (gap[np.arange(len(t)), t] > 0.05))[0]
    return ks, t[ks]


def candidates(ctx: Ctx, a: int, kind: str) -> dict[str, np.ndarray]:
    """All feasible orders of one kind for actor a, as equal-length index arrays (may be empty)."""
    w, empty = ctx.w, {"target": np.zeros(0, dtype=int)}
    allowed = ctx.sc.actors[w.actors[a]].actions
    if allowed is not None and kind not in allowed and kind != "hold":
        return empty
    if kind == "hold":
        return {"target": np.array([-1])}
    if not _cap_ok(ctx, kind, a):
        return empty
    others = _others(w, a)
    if kind == "engage":
        return {"target": others[_rel_ok(ctx, kind, a, others)]}
    if kind in ("aid", "invest"):  # money flows to poorer partners
        return {"target": others[_rel_ok(ctx, kind, a, others) & (w.cap[others, 1] < w.cap[a, 1])]}
    if kind == "recognise":
        done = np.array([w.counters.get(f"recognised.{a}.{t}", 0) == 0 for t in others], dtype=bool)
        return {"target": others[_rel_ok(ctx, kind, a, others) & done]}
    if kind == "sanction":
        return {"target": others[_rel_ok(ctx, kind, a, others) & ~w.sanctions[a, others]]}
    if kind == "lift_sanctions":
        return {"target": others[w.sanctions[a, others]]}
    if kind in ("demand", "concede"):
        ks, ts = _demand_targets(ctx, a)
        if kind == "demand":
            ok = _rel_ok(ctx, kind, a, ts)
            return {"issue": ks[ok], "target": ts[ok]}
        return {"issue": ks, "target": ts}
    if kind == "mediate":
        ok = others[_rel_ok(ctx, kind, a, others)]
        xs, ys = np.meshgrid(ok, ok, indexing="ij")
        m = (xs < ys) & (w.rel[xs, ys] < -0.2)
        xs, ys = xs[m], ys[m]
        order = np.argsort(w.rel[xs, ys], kind="stable")[:3]
        return {"target": xs[order], "other": ys[order]}
    if kind == "support_proxy":
        ok = others[_rel_ok(ctx, kind, a, others)]
        return {"target": ok[w.cap[ok, 0] < w.cap[a, 0]]}
    if kind == "patrol":
        ok = others[_rel_ok(ctx, kind, a, others)]
        share = np.where(w.control[:, ok] < 0.98, w.control[:, ok], -1.0)   # (r, m)
        r = share.argmax(axis=0)
        keep = share[r, np.arange(len(ok))] > 0.05
        return {"target": ok[keep], "region": r[keep]}
    held = w.held()
    own = np.nonzero(held & (w.base_ctrl == a))[0]
    if kind == "deploy":
        b = own[(w.base_status[own] != STATUS["drawdown"]) & (w.base_garrison[own] < 1.0)]
        return {"base": b, "target": np.full(len(b), a)}
    if kind == "withdraw":
        return {"base": own, "target": np.full(len(own), a)}
    if kind == "strike":
        enemy = np.nonzero(held & (w.base_ctrl >= 0) & (w.base_ctrl != a))[0]
        enemy = enemy[_rel_ok(ctx, kind, a, w.base_ctrl[enemy])]
        # actors without bases (insurgents) are struck where they hold ground
        foes = others[_rel_ok(ctx, kind, a, others)]
        r = w.control[:, foes].argmax(axis=0)
        ground = w.control[r, foes] > 0.02
        return {"base": np.concatenate([enemy, np.full(ground.sum(), -1)]),
                "target": np.concatenate([w.base_ctrl[enemy], foes[ground]]),
                "region": np.concatenate([w.base_region[enemy], r[ground]])}
    if kind == "seize":
        cand = np.nonzero((w.base_ctrl != a) & (w.base_status != STATUS["destroyed"]))[0]
        holder = w.base_ctrl[cand]
        unheld = ~held[cand] | (holder < 0)
        rel_ok = np.where(holder >= 0, _rel_ok(ctx, kind, a, np.maximum(holder, 0)), True)
        present = w.control[w.base_region[cand], a] >= 0.05
        keep = (unheld | rel_ok) & present
        return {"base": cand[keep], "target": np.where(unheld[keep], -1, holder[keep])}
    raise KeyError(kind)


def orders_from(ctx: Ctx, kind: str, cand: dict[str, np.ndarray]) -> list[Order]:
    """Materialise candidate rows as Order objects (only for the few orders that are chosen or shown)."""
    w = ctx.w
    names = {"target": w.actors, "other": w.actors, "base": w.bases, "region": w.regions, "issue": w.issues}
    m = len(next(iter(cand.values()))) if cand else 0
    out = []
    for i in range(m):
        kw = {}
        for f, arr in cand.items():
            v = int(arr[i])
            if v >= 0 and not (f == "target" and kind in ("deploy", "withdraw")):
                kw[f] = names[f][v]
        out.append(Order(kind, **kw))
    return out


# --------------------------------------------------------------------------------- expected effects
def success_prob(ctx: Ctx, a: int, kind: str, cand: dict[str, np.ndarray]) -> np.ndarray:
    """Chance each candidate order succeeds (1 where nothing is contested); the same numbers resolve() uses."""
    w, k = ctx.w, ctx.sc.params.tullock_k
    t = cand.get("target", np.zeros(0, dtype=int))
    if kind == "demand":
        i = cand["issue"]
        lev = ctx.size[a] * w.salience[i, a] * (1.5 + w.rel[a, t])
        res = ctx.size[t] * w.salience[i, t] * 1.5
        return contest_v(lev, res, k)
    if kind == "mediate":
        return contest_v(np.full(len(t), w.cap[a, 2]), np.full(len(t), ctx.p(kind).difficulty), k)
    if kind == "strike":
        b = cand["base"]
        gar = np.where(b >= 0, w.base_garrison[np.maximum(b, 0)], w.control[cand["region"], t])
        return contest_v(np.full(len(t), w.cap[a, 0]), w.cap[t, 0] * (0.5 + gar), k)
    if kind == "seize":
        b = cand["base"]
        r = w.base_region[b]
        att = w.cap[a, 0] * (0.5 + w.control[r, a])
        held = t >= 0
        tt = np.maximum(t, 0)
        dfd = np.where(held, w.cap[tt, 0] * (0.5 + w.base_garrison[b]) + 100 * w.control[r, tt] * 0.2,
                       ctx.p(kind).difficulty)
        return contest_v(att, dfd, k)
    return np.ones(len(t))


def expected(ctx: Ctx, a: int, kind: str, cand: dict[str, np.ndarray], batch: Batch, rows: np.ndarray) -> None:
    """Add the expected effect of every candidate to its row of the batch (probability-weighted)."""
    w, p = ctx.w, ctx.p(kind)
    t = cand.get("target")
    prob = success_prob(ctx, a, kind, cand)

    def rel(rws, x, y, d):
        batch.rel[rws, x, y] = np.clip(batch.rel[rws, x, y] + d, -1, 1)
        batch.rel[rws, y, x] = batch.rel[rws, x, y]

    if kind in ("engage", "recognise", "lift_sanctions", "aid", "invest", "sanction", "support_proxy", "patrol"):
        rel(rows, a, t, p.relation)
        if kind in ("aid", "invest", "sanction", "lift_sanctions"):
            batch.econ[rows, t] += p.economy
            batch.econ[rows, a] += p.self_economy
        if kind == "patrol":
            r = cand["region"]
            batch.control[rows, r, t] += p.amount
            batch.control[rows, r] /= batch.control[rows, r].sum(axis=1, keepdims=True)
    elif kind == "demand":
        i = cand["issue"]
        span = w.scale[i, 1] - w.scale[i, 0]
        move = np.clip(w.position[i, a] - w.position[i, t], -p.amount * span, p.amount * span) * prob
        wts = w.salience[i] * ctx.size[None, :]
        batch.forecast[rows, i] += move * wts[np.arange(len(i)), t] / wts.sum(axis=1)
        rel(rows, a, t, prob * p.relation + (1 - prob) * p.refused_relation)
    elif kind == "concede":
        i = cand["issue"]
        span = w.scale[i, 1] - w.scale[i, 0]
        move = np.clip(w.forecast[i] - w.position[i, a], -p.amount * span, p.amount * span)
        wts = w.salience[i] * ctx.size[None, :]
        batch.forecast[rows, i] += move * wts[:, a] / wts.sum(axis=1)
        rel(rows, a, t, p.relation)
    elif kind == "mediate":
        o = cand["other"]
        rel(rows, t, o, prob * p.amount)
        rel(rows, a, t, p.relation)
        rel(rows, a, o, p.relation)
    elif kind in ("deploy", "withdraw"):
        b = cand["base"]
        sign = 1 if kind == "deploy" else -1
        g = np.clip(batch.garrison[rows, b] + sign * p.amount, 0, 1)
        batch.garrison[rows, b] = g
        if kind == "withdraw":
            lost = g < ctx.sc.params.collapse_garrison
            batch.own[rows[lost], b[lost], a] = 0.0
            rel(rows, a, w.base_host[b], p.relation)
    elif kind == "strike":
        b, r = cand["base"], cand["region"]
        hb = b >= 0
        batch.garrison[rows[hb], b[hb]] = np.maximum(batch.garrison[rows[hb], b[hb]] - prob[hb] * p.amount, 0)
        nb = ~hb
        batch.control[rows[nb], r[nb], t[nb]] *= 1 - prob[nb] * p.amount
        batch.control[rows[nb], r[nb]] /= batch.control[rows[nb], r[nb]].sum(axis=1, keepdims=True)
        rel(rows, a, t, p.relation)
        batch.fight[rows, a, t] = batch.fight[rows, t, a] = np.minimum(batch.fight[rows, a, t] + p.fighting, 1)
    elif kind == "seize":
        b = cand["base"]
        batch.own[rows, b, a] += prob
        held = t >= 0
        batch.own[rows[held], b[held], t[held]] -= prob[held]
        batch.garrison[rows, b] = prob * p.amount + (1 - prob) * batch.garrison[rows, b]
        tt = np.where(held, t, a)
        rel(rows[held], a, tt[held], p.relation)
        batch.fight[rows[held], a, t[held]] = np.minimum(batch.fight[rows[held], a, t[held]] + p.fighting, 1)
        batch.fight[rows[held], t[held], a] = batch.fight[rows[held], a, t[held]]
