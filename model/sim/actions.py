"""The action catalogue: for each kind of order its cost, preconditions, expected effect and resolution.

Every kind works on arrays for ALL actors at once: `candidates_all()` lists every feasible order of every actor
as index arrays (an `actor` column plus targets), `expected()` writes all their expected effects into a `Batch`
in one go (no rng, no copy of the world per candidate), and `adjudication.resolve()` carries out one order with
the model's rng. Per turn that is a loop over the 16 kinds, not over actors or candidates.
Effect sizes and preconditions come from the scenario's `actions:` table (`ActionParams`), never from literals.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np

from model.config.scenario import ActionParams, Scenario
from model.config.vocabulary import ACTION_KINDS, FIELDS
from model.sim import territory
from model.sim.bases import CAP
from model.sim.utility import Batch
from model.sim.world import STATUS, World, upper_pairs

KIND_INDEX = {k: i for i, k in enumerate(ACTION_KINDS)}
# Kinds whose candidates are (actor, target) pairs from a relation window and one mask, and whose expected effect
# is a relation change plus money or favours: computed for all of them at once (model.sim.policies.score_all).
PAIR_KINDS = ("engage", "recognise", "aid", "invest", "sanction", "lift_sanctions", "support_proxy")
MONEY_KINDS = ("aid", "invest", "sanction", "lift_sanctions")
FAVOUR_KINDS = ("aid", "invest", "support_proxy")
PROB_KINDS = ("demand", "strike", "seize", "attack")   # kinds whose expected effect depends on success_prob


@dataclass(frozen=True)
class Order:
    """One order as players and configs write it: {"kind": "engage", "target": "SYR"}."""
    kind: str
    target: str | None = None
    other: str | None = None
    base: str | None = None
    region: str | None = None
    issue: str | None = None
    into: str | None = None

    def to_dict(self) -> dict:
        """A new dict of the order (made once per Order: the month's orders log asks for every order)."""
        made = self.__dict__.get("_dict")
        if made is None:
            made = {"kind": self.kind, **{f: getattr(self, f) for f in FIELDS if getattr(self, f) is not None}}
            object.__setattr__(self, "_dict", made)      # (not a field: equality and hashing ignore it)
        return dict(made)


@dataclass
class Ctx:
    """What every action reads: the world, the scenario's tables, this turn's sizes."""
    w: World
    sc: Scenario
    size: np.ndarray
    params: dict[str, ActionParams] = field(default_factory=dict)
    allowed: np.ndarray | None = None   # (n, kinds) bool: the actor may use the kind at all
    opponents: tuple | None = None      # the last _issue_opponents result and the state it was computed on
    scoring: dict[str, Any] | None = None         # shared work of one scoring pass (score_all): may per kind, opponents
    pair_windows: dict = field(default_factory=dict)   # pair kinds' relation windows, by tuple of kinds
    made_orders: dict = field(default_factory=dict)    # policies.Scored.order's Orders, by row (kind and fields)

    def p(self, kind: str) -> ActionParams:
        return self.params[kind]

    def field_names(self) -> dict[str, list[str]]:
        """Order field -> the ids its indices name (the world's lists, which never change in a game)."""
        w = self.w
        cached = self.__dict__.get("_field_names")
        if cached is None or cached[0] is not w:
            cached = self.__dict__["_field_names"] = (w, {"target": w.actors, "other": w.actors, "base": w.bases,
                                                          "region": w.regions, "issue": w.issues, "into": w.bases})
        return cached[1]

    def name(self, i: int) -> str:
        return self.sc.actors[self.w.actors[i]].name

    def begin_scoring(self) -> None:
        """Share per-pass work between the kinds: `may` of every kind at once (the world does not change while
        orders are scored). end_scoring() drops it: during adjudication every check sees the world as it is."""
        allowed = self.allowed_matrix()
        w = self.w
        cap = w.cap
        limits = self.__dict__.get("_limits")
        if limits is None:        # every kind's thresholds and relation window (the scenario's, fixed for the game)
            ps = [self.p(k) for k in ACTION_KINDS]
            limits = self.__dict__["_limits"] = (
                np.array([p.min_military for p in ps]), np.array([p.min_economic for p in ps]),
                np.array([p.min_relation for p in ps])[:, None, None],
                np.array([p.max_relation for p in ps])[:, None, None])
        mil, econ, lo, hi = limits
        rel = w.rel
        self.scoring = {"may": allowed & (cap[:, 0:1] >= mil) & (cap[:, 1:2] >= econ), "held": w.held(),
                        "rel_ok": (rel >= lo) & (rel <= hi)}

    def may_matrix(self) -> np.ndarray:
        """(n, kinds) `may` of every kind, during a scoring pass."""
        assert self.scoring is not None
        return self.scoring["may"]

    def end_scoring(self) -> None:
        self.scoring = None

    def allowed_matrix(self) -> np.ndarray:
        """(n, kinds) bool: the actor's config lets it use the kind at all (fixed for the game, built once)."""
        if self.allowed is None:
            self.allowed = np.array([[k == "hold" or a.actions is None or k in a.actions for k in ACTION_KINDS]
                                     for a in self.sc.actors.values()], dtype=bool)
        return self.allowed

    def may(self, kind: str) -> np.ndarray:
        """(n,) actors allowed this kind by their config and meeting its capability thresholds."""
        if self.scoring is not None and "may" in self.scoring:
            return self.scoring["may"][:, KIND_INDEX[kind]]
        p = self.p(kind)
        cap = self.w.cap
        return self.allowed_matrix()[:, KIND_INDEX[kind]] & (cap[:, 0] >= p.min_military) & (
            cap[:, 1] >= p.min_economic)


def contest(a: float, b: float, k: float) -> float:
    """Tullock contest success function p = a^k / (a^k + b^k)."""
    a, b = max(a, 1e-9) ** k, max(b, 1e-9) ** k
    return a / (a + b)


def contest_v(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    a, b = np.maximum(a, 1e-9) ** k, np.maximum(b, 1e-9) ** k
    return a / (a + b)


# ------------------------------------------------------------------------------------- candidates
UNUSED = np.full(4096, -1)          # the "-1 = unused field" column, shared read-only (np.full per column per kind
UNUSED.flags.writeable = False      # and turn was a tenth of the turn's numpy calls)
_NO_CHANCE = np.empty(0)             # `prob` of the uncontested kinds in expected(): never read
_NO_CHANCE.flags.writeable = False


def _table(actor: Any, **cols: Any) -> dict[str, np.ndarray]:
    actor = np.asarray(actor, dtype=int)
    out = {"actor": actor}
    n = len(actor)
    unused = UNUSED[:n] if n <= UNUSED.size else np.full(n, -1)
    for f in FIELDS:
        out[f] = np.asarray(cols[f], dtype=int) if f in cols else unused
    return out


def pair_group(ctx: Ctx, kinds: tuple[str, ...] = PAIR_KINDS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(kind index into `kinds`, actor, target) of every feasible pair order of these kinds, kind-major: one mask
    of shape (kinds, n, n) instead of one pass per kind. lift_sanctions has no relation window (it needs a
    sanction in force); money flows to poorer partners, proxies are weaker than their patron."""
    w = ctx.w
    n = w.n
    windows = ctx.pair_windows.get(kinds)
    if windows is None:                   # the kinds' relation windows (the scenario's, fixed for the game)
        ps = [ctx.p(k) for k in kinds]
        lift = np.array([k == "lift_sanctions" for k in kinds])
        windows = ctx.pair_windows[kinds] = (np.where(lift, -1.0, [p.min_relation for p in ps])[:, None, None],
                                             np.where(lift, 1.0, [p.max_relation for p in ps])[:, None, None],
                                             np.array([ACTION_KINDS.index(k) for k in kinds]))
    lo, hi, idx_k = windows
    econ, mil = w.cap[:, 1], w.cap[:, 0]
    if kinds == PAIR_KINDS and ctx.scoring is not None:   # the scoring pass: its windows and one mask buffer
        buf = ctx.__dict__.get("_pair_masks")
        if buf is None or buf.shape[1] != n:
            buf = ctx.__dict__["_pair_masks"] = np.ones((len(kinds), n, n), dtype=bool)   # engage: no mask
        np.invert(w.recognised, out=buf[1])
        np.less(econ[None, :], econ[:, None], out=buf[2])       # aid and invest: poorer partners
        buf[3] = buf[2]
        np.invert(w.sanctions, out=buf[4])
        buf[5] = w.sanctions
        np.less(mil[None, :], mil[:, None], out=buf[6])         # proxies weaker than their patron
        ok = ctx.scoring["rel_ok"].take(idx_k, axis=0)
        ok[5] = (w.rel >= -1.0) & (w.rel <= 1.0)                # lift_sanctions: any relation (-1 to 1)
        m = ok & ctx.may_matrix().T.take(idx_k, axis=0)[:, :, None] & buf
    else:
        may = np.stack([ctx.may(k) for k in kinds])
        poorer = econ[None, :] < econ[:, None]
        masks = {"recognise": ~w.recognised, "aid": poorer, "invest": poorer, "sanction": ~w.sanctions,
                 "lift_sanctions": w.sanctions, "support_proxy": mil[None, :] < mil[:, None]}
        always = np.ones((n, n), dtype=bool)
        m = (w.rel >= lo) & (w.rel <= hi) & may[:, :, None] & np.stack([masks.get(k, always) for k in kinds])
    m.reshape(len(kinds), n * n)[:, ::n + 1] = False          # no orders to oneself
    return m.nonzero()


_UPPER_FLAT: dict[int, tuple[np.ndarray, ...]] = {}


def _upper(n: int) -> tuple[np.ndarray, ...]:
    """The pairs i < j (upper_pairs), their flat offsets in an (n, n) array, and a column of actor indices."""
    if n not in _UPPER_FLAT:
        iu, ju = upper_pairs(n)
        _UPPER_FLAT[n] = (iu, ju, iu * n + ju, np.arange(n)[:, None])
    return _UPPER_FLAT[n]


def zero_diagonal(m: np.ndarray) -> None:
    """np.fill_diagonal(m, 0) for a square C-contiguous array, without the wrapper's checks (a step of n + 1)."""
    if m.flags.c_contiguous:
        m.reshape(-1)[::m.shape[0] + 1] = 0
    else:
        np.fill_diagonal(m, 0)


def _rel_ok(ctx: Ctx, kind: str) -> np.ndarray:
    """(n, n) the actor/target relation lies in the kind's window (all kinds at once during a scoring pass)."""
    if ctx.scoring is not None:
        return ctx.scoring["rel_ok"][KIND_INDEX[kind]]
    p = ctx.p(kind)
    return (ctx.w.rel >= p.min_relation) & (ctx.w.rel <= p.max_relation)


_GRIDS: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}


def _grid(k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column index grids (k, 1), (1, n) for gathers like take_along_axis (cached: every turn asks)."""
    if (k, n) not in _GRIDS:
        _GRIDS[k, n] = (np.arange(k)[:, None], np.arange(n)[None, :])
    return _GRIDS[k, n]


def _issue_opponents(ctx: Ctx) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per actor and issue it cares about, the opponent whose position weighs most against its own (computed once
    for demand and concede alike while the stances, wishes, sizes and open issues stay the same)."""
    w = ctx.w
    key = (w.position.tobytes(), w.ideal.tobytes(), ctx.size.tobytes(), w.issue_closed.tobytes())
    if ctx.opponents is not None and ctx.opponents[0] == key:
        return ctx.opponents[1]
    found = _find_opponents(ctx)
    ctx.opponents = (key, found)
    return found


def _find_opponents(ctx: Ctx) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    w = ctx.w
    span = (w.scale[:, 1] - w.scale[:, 0])[:, None, None]
    gap = np.abs(w.position[:, None, :] - w.ideal[:, :, None]) / span             # (k, a, t): t's stance vs a's wish
    weight = gap * (w.salience * ctx.size[None, :])[:, None, :]
    idx = np.arange(w.n)
    weight[:, idx, idx] = -1.0
    t = weight.argmax(axis=2)                                                       # (k, a)
    prm = ctx.sc.params
    k_idx, a_idx = ((w.salience >= prm.talks_min_salience)
                    & (gap[(*_grid(*t.shape), t)] > prm.talks_min_gap)
                    & ~w.issue_closed[:, None]).nonzero()                     # closed talks take no orders
    return a_idx, k_idx, t[k_idx, a_idx]


def _concessions(ctx: Ctx, a: np.ndarray, k: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Which (actor, issue, opponent) rows are real concessions: a step towards t's stance that takes the actor
    away from its own ideal (not towards it), with more than params.talks_min_gap of the scale between the stances."""
    w = ctx.w
    span = w.scale[k, 1] - w.scale[k, 0]
    towards = w.position[k, t] - w.position[k, a]
    return (np.abs(towards) > ctx.sc.params.talks_min_gap * span) & (towards * (w.ideal[k, a] - w.position[k, a]) <= 0)


def candidates_all(ctx: Ctx, kind: str) -> dict[str, np.ndarray]:
    """Every feasible order of one kind for every actor, as equal-length index arrays (-1 = unused field)."""
    c = kind_rows(ctx, kind)
    return _table(c.pop("actor"), **c)


def _arange(n: int) -> np.ndarray:
    """np.arange(n), cached read-only (every kind of every turn asks for it)."""
    r = _ARANGE.get(n)
    if r is None:
        r = _ARANGE[n] = np.arange(n)
        r.flags.writeable = False
    return r


_ARANGE: dict[int, np.ndarray] = {}


def _held(ctx: Ctx) -> np.ndarray:
    return ctx.w.held() if ctx.scoring is None else ctx.scoring["held"]


def kind_rows(ctx: Ctx, kind: str) -> dict[str, np.ndarray]:
    """candidates_all's rows with only the fields the kind uses: `actor` and the rest by name.

    Within each actor the rows come in candidates_all's order (score_all sorts the rows by actor, stably, so that
    is the order that counts); across actors some kinds list them otherwise (strike: actor by actor)."""
    w = ctx.w
    n = w.n
    if kind == "hold":
        return {"actor": _arange(n)}
    may = ctx.may(kind)
    if kind in PAIR_KINDS:
        _, a, t = pair_group(ctx, (kind,))
        return {"actor": a, "target": t}
    if kind in ("demand", "concede"):
        if ctx.scoring is not None:
            if "opponents" not in ctx.scoring:
                ctx.scoring["opponents"] = _issue_opponents(ctx)
            a, k, t = ctx.scoring["opponents"]
        else:
            a, k, t = _issue_opponents(ctx)
        keep = may[a] & (_rel_ok(ctx, kind)[a, t] if kind == "demand" else _concessions(ctx, a, k, t))
        return {"actor": a[keep], "issue": k[keep], "target": t[keep]}
    if kind == "mediate":
        iu, ju, flat, _ = _upper(n)
        values = w.rel.take(flat)
        hostile = (values < ctx.sc.params.mediation_hostility).nonzero()[0]
        pick = hostile.take(values.take(hostile).argsort(kind="stable"))      # the most hostile pairs first
        xs, ys = iu.take(pick), ju.take(pick)
        ok = _rel_ok(ctx, kind) & may[:, None]         # (and not one of the pair itself: the diagonal is off)
        zero_diagonal(ok)
        m = ok.take(xs, axis=1) & ok.take(ys, axis=1)
        m &= np.cumsum(m, axis=1) <= ctx.sc.params.mediation_pairs
        a, q = m.nonzero()
        return {"actor": a, "target": xs.take(q), "other": ys.take(q)}
    if kind == "patrol":
        prm = ctx.sc.params
        share = np.where(w.control < prm.patrol_max_share, w.control, -1.0)       # (r, n)
        r = share.argmax(axis=0)
        m = _rel_ok(ctx, kind) & may[:, None] & (share.max(axis=0) > prm.patrol_min_share)   # (share[r, actor])
        zero_diagonal(m)
        a, t = m.nonzero()
        return {"actor": a, "target": t, "region": r.take(t)}
    held = _held(ctx)
    ctrl = w.base_ctrl
    may_ctrl = may.take(ctrl)                     # (held bases only: a base without a holder reads may[-1])
    if kind in ("deploy", "withdraw"):
        if kind == "deploy":  # reinforce a held base, or re-garrison an evacuated one that reverted to you
            ok = (held | (w.base_status == STATUS["evacuated"])) & (ctrl >= 0)
            ok &= (w.base_status != STATUS["drawdown"]) & (w.base_garrison < garrison_cap(w, ctx))
        else:
            ok = held
        b = (ok & may_ctrl).nonzero()[0]
        return {"actor": ctrl.take(b), "base": b}
    if kind == "consolidate":   # leave base A (any held), its troops to base B of the same holder with room
        room = held & (w.base_status != STATUS["drawdown"]) & (w.base_status != STATUS["contested"]) \
            & (w.base_garrison < garrison_cap(w, ctx))
        pair = (held & may_ctrl)[:, None] & room[None, :] & (ctrl[:, None] == ctrl[None, :])
        zero_diagonal(pair)
        src, dst = pair.nonzero()
        return {"actor": ctrl.take(src), "base": src, "into": dst}
    if kind == "attack":        # an offensive on another actor's ground where the attacker has a foothold
        tr = ctx.sc.ground.territory
        foot = w.control >= tr.foothold                                   # (r, n)
        foot[w.base_region[held], ctrl[held]] = True
        calm = w.ceasefire == 0                                           # (a, t), and not oneself
        zero_diagonal(calm)
        m = ((foot.T & may[:, None])[:, None, :] & (w.control.T >= tr.min_share)[None, :, :]) & calm[:, :, None]
        a, t, r = m.nonzero()                                             # (a, t, r)
        return {"actor": a, "target": t, "region": r}
    if kind == "strike":
        ok = _rel_ok(ctx, kind) & may[:, None]
        zero_diagonal(ok)
        hb = held.nonzero()[0]
        holder = ctrl.take(hb)
        # actors without bases (insurgents) are struck where they hold most ground
        r = w.control.argmax(axis=0)
        ground = w.control.max(axis=0) > 0.02                              # (the max is control[r, actor])
        a, q = np.concatenate([ok.take(holder, axis=1), ok & ground[None, :]], axis=1).nonzero()  # bases first
        return {"actor": a, "target": np.concatenate([holder, _arange(n)]).take(q),
                "base": np.concatenate([hb, UNUSED[:n] if n <= UNUSED.size else np.full(n, -1)]).take(q),
                "region": np.concatenate([w.base_region.take(hb), r]).take(q)}
    if kind == "seize":
        cand = (w.base_status != STATUS["destroyed"]).nonzero()[0]
        holder = np.where(held.take(cand), ctrl.take(cand), -1)
        ok = _rel_ok(ctx, kind)
        rel_ok = np.where(holder[None, :] >= 0, ok.take(np.maximum(holder, 0), axis=1), True)       # (n, m)
        present = w.control.take(w.base_region.take(cand), axis=0).T >= 0.05                   # (n, m)
        mine = ctrl.take(cand)[None, :] == _arange(n)[:, None]
        a, q = (rel_ok & present & ~mine & may[:, None]).nonzero()
        return {"actor": a, "base": cand.take(q), "target": holder.take(q)}
    raise KeyError(kind)


def hostile_relation(p: ActionParams, rel: np.ndarray | float) -> np.ndarray | float:
    """The relation change of a military order against a target at relation `rel`: its own, plus `betrayal` times
    the positive part of the relation (attacking a partner costs more than attacking an enemy)."""
    return p.relation - p.betrayal * np.maximum(rel, 0.0)


def garrison_cap(w: World, ctx: Ctx | None = None) -> np.ndarray:
    """(b,) the most a garrison may hold: 1, or the lease's cap for a base whose lease was renegotiated down
    (computed once per scoring pass when `ctx` is scoring)."""
    if ctx is not None and ctx.scoring is not None:
        cap = ctx.scoring.get("garrison_cap")
        if cap is None:
            cap = ctx.scoring["garrison_cap"] = np.where(w.base_status == STATUS["reduced"], w.lease[:, CAP], 1.0)
        return cap
    return np.where(w.base_status == STATUS["reduced"], w.lease[:, CAP], 1.0)


def candidates(ctx: Ctx, a: int, kind: str) -> dict[str, np.ndarray]:
    """The feasible orders of one kind for one actor (a slice of `candidates_all`)."""
    c = candidates_all(ctx, kind)
    keep = c["actor"] == a
    return {f: v[keep] for f, v in c.items()}


def orders_from(ctx: Ctx, kind: str, cand: dict[str, np.ndarray]) -> list[Order]:
    """Materialise candidate rows as Order objects (only for the few orders that are chosen or shown)."""
    w = ctx.w
    names = {"target": w.actors, "other": w.actors, "base": w.bases, "region": w.regions, "issue": w.issues,
             "into": w.bases}
    out = []
    for i in range(len(cand["actor"])):
        kw = {f: names[f][int(cand[f][i])] for f in FIELDS if cand[f][i] >= 0}
        if kind in ("deploy", "withdraw", "seize") and "target" in kw and kind != "seize":
            del kw["target"]
        out.append(Order(kind, **kw))
    return out


# --------------------------------------------------------------------------------- expected effects
def success_prob(ctx: Ctx, kind: str, cand: dict[str, np.ndarray] | dict[str, int]) -> np.ndarray:
    """Chance each candidate order succeeds (1 where nothing is contested); the same numbers resolve() uses.
    `cand` is a candidate table, or one order's row as Python ints (adjudication._cand); the result is always an
    array, with one entry per row."""
    if isinstance(cand["actor"], np.ndarray):
        cand = cast("dict[str, np.ndarray]", cand)
    else:
        cand = {f: np.array([v]) for f, v in cand.items()}
    w, k = ctx.w, ctx.sc.params.tullock_k
    a, t = cand["actor"], cand["target"]
    if kind == "demand":
        i = cand["issue"]
        lev = ctx.size[a] * w.salience[i, a] * (1.5 + w.rel[a, t])
        res = ctx.size[t] * w.salience[i, t] * 1.5
        return contest_v(lev, res, k)
    if kind == "mediate":
        return contest_v(w.cap[a, 2], np.full(len(a), ctx.p(kind).difficulty), k)
    if kind == "strike":
        b = cand["base"]
        ground = w.control[cand["region"], t]
        gar = np.where(b >= 0, w.base_garrison[np.maximum(b, 0)], ground) if w.base_garrison.size else ground
        return contest_v(w.cap[a, 0], w.cap[t, 0] * (0.5 + gar), k)
    if kind == "seize":
        b = cand["base"]
        r = w.base_region[b]
        att = w.cap[a, 0] * (0.5 + w.control[r, a])
        tt = np.maximum(t, 0)
        dfd = np.where(t >= 0, w.cap[tt, 0] * (0.5 + w.base_garrison[b]) + 20.0 * w.control[r, tt],
                       ctx.p(kind).difficulty)
        return contest_v(att, dfd, k)
    if kind == "attack":
        return territory.contest(w, ctx.sc, a, t, cand["region"])[0]
    return np.ones(len(a))


def _spans(ctx: Ctx) -> np.ndarray:
    """(k,) each issue's scale span, high - low (once per scoring pass)."""
    cached = ctx.scoring.get("spans") if ctx.scoring is not None else None
    if cached is None:
        scale = ctx.w.scale
        cached = scale[:, 1] - scale[:, 0]
        if ctx.scoring is not None:
            ctx.scoring["spans"] = cached
    return cached


def _issue_weights(ctx: Ctx) -> tuple[np.ndarray, np.ndarray]:
    """(k, n) salience x size and its sum per issue (once per scoring pass: demand and concede both read it; the
    sum of a row is the same whether the row is gathered first or not)."""
    cached = ctx.scoring.get("issue_weights") if ctx.scoring is not None else None
    if cached is None:
        wts = ctx.w.salience * ctx.size[None, :]
        cached = (wts, wts.sum(axis=1))
        if ctx.scoring is not None:
            ctx.scoring["issue_weights"] = cached
    return cached


def expected(ctx: Ctx, kind: str, cand: dict[str, np.ndarray], batch: Batch, rows: np.ndarray,
             block: slice | None = None) -> None:
    """Add the expected effect of every candidate to its row of the batch (probability-weighted).

    The batch holds each row's deciding actor's view (its relation row, its control shares, its economy, its
    favours to others, its upkeep and military), so only the effects that actor's goals can see are written.
    `block`: the rows as a slice, when they are consecutive (score_all's are), for cheaper writes."""
    w, p = ctx.w, ctx.p(kind)
    a, t = cand["actor"], cand["target"]
    contested = kind in PROB_KINDS
    prob = success_prob(ctx, kind, cand) if contested else _NO_CHANCE   # only the contested kinds read it
    scoring = ctx.scoring
    if scoring is not None:
        chance, pending = scoring.get("chance"), scoring.get("pending")
    else:
        chance = pending = None
    if chance is not None and contested:       # score_all(chances=True): the brief's chances are these
        chance[rows] = prob
    at = rows if block is None else block      # for the (c,) fields

    def rel(rws: np.ndarray, partner: np.ndarray, d: Any) -> None:
        if pending is not None:               # written for every kind at once (apply_pending)
            pending["rel"].append((rws, partner, d))
            return
        _add_rel(batch, rws, partner, d)

    def fight(rws: np.ndarray, actor: np.ndarray, partner: np.ndarray, d: Any) -> None:
        """Fighting with a partner, and the attrition it brings (model.sim.territory), as the row actor sees it."""
        if pending is not None:
            pending["fight"].append((rws, actor, partner, d))
            return
        _fight(ctx, batch, rws, actor, partner, d)

    if kind == "hold":
        return
    if kind in PAIR_KINDS:
        expected_pairs(ctx, np.zeros(len(a), dtype=int), cand, batch, rows, (kind,))
    elif kind == "patrol":
        rel(rows, t, p.relation)
        batch.control[rows, cand["region"]] /= 1.0 + p.amount
    elif kind == "demand" or kind == "concede":
        i = cand["issue"]
        lim = p.amount * _spans(ctx).take(i)   # (np.minimum/np.maximum below: np.clip without its overhead)
        wts, total = _issue_weights(ctx)
        if kind == "demand":
            move = np.minimum(np.maximum(w.ideal[i, a] - w.position[i, t], -lim), lim) * prob
            batch.forecast[rows, i] += move * wts[i, t] / total[i]
            rel(rows, t, prob * p.relation + (1 - prob) * p.refused_relation)
        else:
            move = np.minimum(np.maximum(w.position[i, t] - w.position[i, a], -lim), lim)   # towards t
            batch.forecast[rows, i] += move * wts[i, a] / total[i]
            rel(rows, t, p.relation)
            batch.pay[at] += ctx.sc.ground.payments.concede * w.salience[i]  # a favour to all who care about it
    elif kind == "mediate":
        rel(rows, t, p.relation)
        rel(rows, cand["other"], p.relation)
    elif kind == "deploy" or kind == "withdraw":
        b = cand["base"]
        g0 = w.base_garrison.take(b)
        if kind == "deploy":
            g = np.minimum(g0 + p.amount, garrison_cap(w, ctx).take(b))
        else:
            g = np.maximum(g0 - p.amount, 0.0)
        batch.base[at], batch.gar[at] = b, g
        if kind == "withdraw":  # a garrison that falls below the collapse level hands the base to its host
            lost = g < ctx.sc.params.collapse_garrison
            host = w.base_host.take(b)
            if lost.any():
                g = np.where(lost, 0.0, g)
                rl = rows[lost]
                batch.frm[rl], batch.to[rl], batch.p[rl] = a[lost], host[lost], 1.0
            rel(rows, host, np.where(host != a, p.relation, 0.0))
        batch.upkeep[at] += (g - g0) * w.base_troops.take(b)
    elif kind == "consolidate":
        b, dst = cand["base"], cand["into"]
        host = w.base_host.take(b)
        other = host != a
        batch.base[at], batch.gar[at] = b, 0.0
        batch.frm[at], batch.to[at], batch.p[at] = a, np.where(other, host, -1), 1.0
        g2, moved = consolidated(w, b, dst, garrison_cap(w, ctx))
        batch.base2[at], batch.gar2[at] = dst, g2
        batch.upkeep[at] -= w.base_garrison.take(b) * w.base_troops.take(b) - moved
        rel(rows, host, np.where(other, p.relation, 0.0))
    elif kind == "strike":
        b, r = cand["base"], cand["region"]
        hb = b >= 0
        on, off = hb.nonzero()[0], (~hb).nonzero()[0]     # the strikes on a base, and on the ground
        on_base, bases = rows.take(on), b.take(on)
        batch.base[on_base] = bases
        batch.gar[on_base] = np.maximum(w.base_garrison.take(bases) - prob.take(on) * p.amount, 0)
        on_ground, regions = rows.take(off), r.take(off)
        lost = w.control[regions, t.take(off)] * prob.take(off) * p.amount
        batch.control[on_ground, regions] /= np.maximum(1.0 - lost, 1e-9)
        rel(rows, t, hostile_relation(p, w.rel[a, t]))
        fight(rows, a, t, p.fighting)
    elif kind == "seize":
        b = cand["base"]
        held = t >= 0
        batch.base[at], batch.to[at], batch.frm[at], batch.p[at] = b, a, t, prob   # (t: -1 for an empty base)
        batch.gar[at] = prob * p.amount + (1 - prob) * w.base_garrison.take(b)
        batch.upkeep[at] += prob * p.amount * w.base_troops.take(b)
        rh, ah, th = rows[held], a[held], t[held]
        rel(rh, th, hostile_relation(p, w.rel[ah, th]))
        fight(rh, ah, th, p.fighting)
    elif kind == "attack":
        r = cand["region"]
        batch.control[rows, r] += prob * p.amount * w.control[r, t]
        rel(rows, t, hostile_relation(p, w.rel[a, t]))
        fight(rows, a, t, p.fighting)


def _fight(ctx: Ctx, batch: Batch, rws: np.ndarray, actor: np.ndarray, partner: np.ndarray, d: Any) -> None:
    mil, tr = ctx.w.cap[:, 0], ctx.sc.ground.territory
    fight = _flat(batch.fight)
    if fight is None:
        old = batch.fight[rws, partner]
    else:                                  # (a flat take and put: the same cells as [rws, partner])
        at = rws * batch.fight.shape[1] + partner
        old = fight.take(at)
    new = np.minimum(old + d, 1.0)
    step = new - old
    batch.fight_total[rws] += step
    if fight is None:
        batch.fight[rws, partner] = new
    else:
        fight[at] = new
    batch.loss[rws] += np.minimum(tr.attrition * step * mil.take(partner), tr.max_loss * mil.take(actor))


def _flat(a: np.ndarray) -> np.ndarray | None:
    """A flat view of a C-contiguous array (None if it has none)."""
    return a.reshape(-1) if a.flags.c_contiguous else None


def _add_rel(batch: Batch, rows: np.ndarray, partner: np.ndarray, d: Any) -> None:
    """batch.rel[rows, partner] += d, kept in [-1, 1] (rows, partner: no cell twice)."""
    rel = _flat(batch.rel)
    if rel is None:
        batch.rel[rows, partner] = np.minimum(np.maximum(batch.rel[rows, partner] + d, -1.0), 1.0)
        return
    at = rows * batch.rel.shape[1] + partner
    rel[at] = np.minimum(np.maximum(rel.take(at) + d, -1.0), 1.0)


def defer_writes(ctx: Ctx) -> None:
    """During a scoring pass: collect the relation and fighting changes of every kind and write them at once
    (apply_pending). Each (row, partner) cell changes once at most, a row being one order, so the values are the
    same as written kind by kind."""
    assert ctx.scoring is not None
    ctx.scoring["pending"] = {"rel": [], "fight": []}


def apply_pending(ctx: Ctx, batch: Batch) -> None:
    """Write the changes that defer_writes collected."""
    assert ctx.scoring is not None
    pending = ctx.scoring.pop("pending")
    if pending["rel"]:
        rows, partner, d = _stacked(pending["rel"])
        _add_rel(batch, rows, partner, d)
        ctx.scoring["rel_cells"] = (rows, partner)     # (utility.Changed.cells)
    else:
        ctx.scoring["rel_cells"] = (_arange(0), _arange(0))
    if pending["fight"]:
        rows, actor, partner, d = _stacked(pending["fight"])
        _fight(ctx, batch, rows, actor, partner, d)


def _stacked(parts: list[tuple]) -> list[np.ndarray]:
    """Columns of (rows, ..., delta) parts concatenated; a scalar delta is repeated for its part's rows."""
    cols = list(zip(*parts, strict=True))
    out = [np.concatenate(c) for c in cols[:-1]]
    d = np.empty(len(out[0]))
    at = 0
    for r, v in zip(cols[0], cols[-1], strict=True):
        d[at:at + len(r)] = v
        at += len(r)
    out.append(d)
    return out


def expected_pairs(ctx: Ctx, k: np.ndarray, cand: dict[str, np.ndarray], batch: Batch, rows: np.ndarray,
                   kinds: tuple[str, ...] = PAIR_KINDS) -> None:
    """The expected effects of pair orders of several kinds at once (k: index into `kinds`): the relation change,
    the actor's own money (relative to its economy) and its favours to the target."""
    w, ground = ctx.w, ctx.sc.ground
    a, t = cand["actor"], cand["target"]
    tables = ctx.__dict__.setdefault("_pair_tables", {})
    table = tables.get(kinds)
    if table is None:           # the kinds' constants as arrays (the scenario's, fixed for the game)
        ps = [ctx.p(x) for x in kinds]
        table = tables[kinds] = (
            np.array([p.relation for p in ps]), np.array([x in MONEY_KINDS for x in kinds]),
            np.array([p.self_usd_bn for p in ps]), np.array([p.self_economy for p in ps]),
            np.array([getattr(ground.payments, x) if x in FAVOUR_KINDS else 0.0 for x in kinds]))
    relation, is_money, self_usd, self_economy, favours = table
    d = relation[k]
    pending = ctx.scoring.get("pending") if ctx.scoring is not None else None
    if pending is not None:
        pending["rel"].append((rows, t, d))
    else:
        _add_rel(batch, rows, t, d)
    money = is_money[k]
    if np.count_nonzero(money):
        km, own = k[money], w.cap[a[money], 1]
        usd, absolute = self_usd[km], self_economy[km]
        batch.econ[rows[money]] += territory.gdp_index(own, usd, ground.economy.gdp_at_100) - own + absolute
    pay = _flat(batch.pay)
    if pay is None:
        batch.pay[rows, t] += favours[k]
    else:
        at = rows * batch.pay.shape[1] + t
        pay[at] = pay.take(at) + favours.take(k)


def consolidated(w: World, src: np.ndarray, dst: np.ndarray,
                 cap: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(new garrison of dst, troops that arrive there) when src's garrison moves to dst: troops beyond dst's room go
    home. Bases without a troop count move garrison share for share."""
    t_src, t_dst = w.base_troops[src], w.base_troops[dst]
    counted = (t_src > 0) & (t_dst > 0)
    room = (garrison_cap(w) if cap is None else cap)[dst] - w.base_garrison[dst]
    share = np.minimum(np.where(counted, w.base_garrison[src] * t_src / np.where(counted, t_dst, 1.0),
                                w.base_garrison[src]), np.maximum(room, 0.0))
    return w.base_garrison[dst] + share, np.where(counted, share * t_dst, 0.0)
