"""Carrying out orders: each resolution changes the world and returns the event that tells what happened and why.

Orders resolve in phase order (diplomacy, economy, military); within a phase in actor order, each against the
world as it stands then. Contested outcomes draw once from the model's rng against the same probability that
`actions.success_prob` gives the utility policy, and the event carries that probability and the draw.

Every sentence states what the world holds after the order: the relation change actually made (clipped at +-1;
left out when it is below story.epsilon_relation), a position's start and end (a concession names whom it goes
towards), a garrison's new strength.
"""
from __future__ import annotations

import math

import numpy as np

from model.config.scenario import ActionParams
from model.config.vocabulary import KIND_PHASE, PHASES
from model.sim import territory
from model.sim.actions import Ctx, Order, consolidated, garrison_cap, hostile_relation, success_prob
from model.sim.story import ev
from model.sim.talks import fmt_position
from model.sim.world import STATUS, clamp

CONTESTED = frozenset({"demand", "mediate", "strike", "seize", "attack"})   # kinds drawn against a probability
PAIR_VERBS = {"engage": "engaged", "recognise": "recognised", "aid": "sent aid to", "invest": "invested in",
              "sanction": "imposed sanctions on", "lift_sanctions": "lifted sanctions on",
              "support_proxy": "armed and supported", "patrol": "patrolled jointly with"}


def _paren(*parts: str) -> str:
    """' (a, b)' of the clauses that say something, '' when none does."""
    told = [q for q in parts if q]
    return f" ({', '.join(told)})" if told else ""


def _cand(ctx: Ctx, a: int, o: Order) -> dict[str, int]:
    """The order's row as the candidate tables hold it, as Python ints (success_prob takes such a row)."""
    w = ctx.w
    c = {"actor": a}
    if o.target is not None:
        c["target"] = w.idx(o.target)
    elif o.kind == "seize":
        c["target"] = -1
    else:
        c["target"] = a
    if o.other is not None:
        c["other"] = w.idx(o.other)
    if o.base is not None:
        c["base"] = w.bidx(o.base)
        if o.kind == "seize":
            holder = int(w.base_ctrl[c["base"]])
            c["target"] = holder if w.held()[c["base"]] else -1
    elif o.kind == "strike":
        c["base"] = -1
    if o.region is not None:
        c["region"] = w.ridx(o.region)
    elif o.kind == "strike" and o.base is not None:
        c["region"] = int(w.base_region[c["base"]])
    if o.issue is not None:
        c["issue"] = w.kidx(o.issue)
    if o.into is not None:
        c["into"] = w.bidx(o.into)
    return c


def _collapse(ctx: Ctx, b: int, out: list[dict], why: str = "") -> None:
    """A garrison below the collapse level leaves: the base is evacuated and passes to its host (whoever holds
    the largest share of its governorate), or to nobody when the holder was the host."""
    w = ctx.w
    if w.base_ctrl[b] >= 0 and w.base_garrison[b] < ctx.sc.params.collapse_garrison:
        old = int(w.base_ctrl[b])
        w.base_ctrl[b] = w.base_host[b] if w.base_host[b] != old else -1
        w.base_status[b] = STATUS["evacuated"]
        w.base_garrison[b] = 0.0
        w.base_notice[b] = False
        w.base_rate[b] = 0.0
        base = ctx.sc.bases[w.bases[b]].name
        new = ctx.name(int(w.base_ctrl[b])) if w.base_ctrl[b] >= 0 else "nobody"
        text = (f"{ctx.name(old)} withdrew from {base}{why}; it passes to {new}." if why else
                f"{ctx.name(old)}'s garrison at {base} collapsed; the base is evacuated and passes to {new}.")
        out.append(ev("base_change", [w.actors[old]] + ([w.actors[int(w.base_ctrl[b])]] if w.base_ctrl[b] >= 0
                                                        else []), text, base=w.bases[b]))


def _why_leave(ctx: Ctx, a: int, b: int) -> str:
    """Why an actor leaves a base: its upkeep against what the base is worth to it, and the strain it is under."""
    w = ctx.w
    troops = float(w.base_troops[b] * w.base_garrison[b])
    worth = sum(w.goal_weight[w.actors[a]][name] for name, g in ctx.sc.actors[w.actors[a]].goals.items()
                if g.kind == "hold_base" and g.base == w.bases[b])
    text = f": upkeep {troops:,.0f} troops against a value of {worth:.2f}" if troops > 0 else ""
    if w.upkeep[a] > w.available[a]:      # (this month's budget: w.strain is last month's control phase's)
        drains = [w.drain_names[d] for d in range(len(w.drains)) if int(w.drains[d, 0]) == a
                  and w.turn >= w.drains[d, 2]]
        text += (f" while {' and '.join(drains)} drain{'s' if len(drains) == 1 else ''} its budget" if drains
                 else " while it is over budget") + f" ({w.upkeep[a]:,.0f} of {w.available[a]:,.0f} troops)"
    return text


def _money(ctx: Ctx, a: int, t: int, p: ActionParams) -> None:
    """A money order: dollars change the target's and the actor's GDP (so its index moves relative to each
    economy), plus any absolute index change the scenario gives."""
    w, gdp = ctx.w, ctx.sc.ground.economy.gdp_at_100
    w.cap[t, 1] = clamp(_gdp_index(float(w.cap[t, 1]), p.usd_bn, gdp) + p.economy, 0.0, 100.0)
    w.cap[a, 1] = clamp(_gdp_index(float(w.cap[a, 1]), p.self_usd_bn, gdp) + p.self_economy, 0.0, 100.0)


def _gdp_index(index: float, usd_bn: float, gdp_at_100: float) -> float:
    """territory.gdp_index on one number, in Python floats (the same operations, each correctly rounded: a square,
    sums, a quotient and a square root give the same bits as numpy's)."""
    gdp = (index / 100.0) ** 2 * gdp_at_100 + usd_bn
    return min(100.0 * math.sqrt(max(gdp, 0.0) / gdp_at_100), 100.0)


def resolve(ctx: Ctx, a: int, o: Order, rng: np.random.Generator) -> list[dict]:
    """Carry out one order of actor a; return the events it caused."""
    w, p, k = ctx.w, ctx.p(o.kind), o.kind
    if k == "hold":
        return []
    me, A = w.actors[a], ctx.name(a)
    c = _cand(ctx, a, o)
    t = c["target"]
    T = ctx.name(t) if t >= 0 else None
    prob = float(success_prob(ctx, k, c)[0]) if k in CONTESTED else 1.0
    out: list[dict] = []
    who = [me] + ([w.actors[t]] if t >= 0 and t != a else [])
    story = ctx.sc.story

    def relate(x: int, y: int, delta: float) -> tuple[float, str]:
        """Change a relation; return the change made and its clause ('' when it is no change: at +-1 already)."""
        before = float(w.rel[x, y])
        w.add_relation(x, y, delta)
        made = float(w.rel[x, y]) - before
        level = round(float(w.rel[x, y]), 2) + 0.0          # + 0.0: no "-0.00"
        return made, (f"relation {made:+.2f} to {level:+.2f}" if abs(made) >= story.epsilon_relation else "")

    if k in ("engage", "recognise", "aid", "invest", "sanction", "lift_sanctions", "support_proxy", "patrol"):
        made, clause = relate(a, t, p.relation)
        if k in ("aid", "invest", "sanction", "lift_sanctions"):
            _money(ctx, a, t, p)
        if k in ("aid", "invest", "support_proxy"):
            w.payments[a, t] += getattr(ctx.sc.ground.payments, k)
        verb = PAIR_VERBS[k]
        extra = ""
        if k == "recognise":
            w.recognised[a, t] = True
        elif k == "sanction":
            w.sanctions[a, t] = True
        elif k == "lift_sanctions":
            w.sanctions[a, t] = False
        elif k == "support_proxy":
            w.cap[t, 0] = min(w.cap[t, 0] + 10 * p.amount, 100)
            mine = (w.base_ctrl == t) & w.held()
            w.base_garrison[mine] = np.minimum(w.base_garrison[mine] + p.amount / 2, 1)
        elif k == "patrol":
            r = c["region"]
            w.shift_control(r, t, p.amount)
            extra = f" in {ctx.sc.regions[w.regions[r]].name}"
        out.append(ev(k, who, f"{A} {verb} {T}{extra}{_paren(clause)}.", relation=float(w.rel[a, t]), delta=made))
    elif k == "demand":
        i = c["issue"]
        issue = ctx.sc.issues[w.issues[i]].name
        span = float(w.scale[i, 1] - w.scale[i, 0])
        draw = float(rng.random())
        if draw < prob:
            start = float(w.position[i, t])
            move = clamp(float(w.ideal[i, a]) - start, -p.amount * span, p.amount * span)
            w.position[i, t] += move
            w.untold[i, t] = 0.0             # a move told here: the talks count their own moves afresh
            _, clause = relate(a, t, p.relation)
            if abs(move) * 100 / span >= story.epsilon_position:
                moved = f"position {fmt_position(start, span)} to {fmt_position(start + move, span)}"
                answer = f"{T} gave way{_paren(moved, clause)}"
            else:
                answer = f"{T} already stood where {A} wanted{_paren(clause)}"
            out.append(ev(k, who, f"{A} demanded movement on {issue} from {T}; {answer}.",
                          topic=f"{w.issues[i]}:gave", p=prob, draw=draw, move=move, issue=w.issues[i]))
        else:
            made, clause = relate(a, t, p.refused_relation)
            out.append(ev(k, who, f"{A} demanded movement on {issue} from {T}; {T} refused{_paren(clause)}.",
                          topic=f"{w.issues[i]}:refused", p=prob, draw=draw, delta=made, issue=w.issues[i]))
    elif k == "concede":
        i = c["issue"]
        issue = ctx.sc.issues[w.issues[i]].name
        span = float(w.scale[i, 1] - w.scale[i, 0])
        start = float(w.position[i, a])
        move = clamp(float(w.position[i, t]) - start, -p.amount * span, p.amount * span)   # towards T's stance
        if move * (w.ideal[i, a] - start) > 0:      # T's stance moved past ours this month: no concession left
            move = 0.0
        w.position[i, a] += move
        w.untold[i, a] = 0.0
        _, clause = relate(a, t, p.relation)
        favour = ctx.sc.ground.payments.concede * w.salience[i]     # a favour to every actor that cares
        favour[a] = 0.0
        w.payments[a] += favour
        if abs(move) * 100 / span >= story.epsilon_position:
            what = (f"{A} softened its stance on {issue} towards {T} (position {fmt_position(start, span)} to "
                    f"{fmt_position(start + move, span)}; {T} at {fmt_position(float(w.position[i, t]), span)})")
        else:
            what = f"{A} signalled flexibility on {issue} to {T}"
        out.append(ev(k, who, f"{what}; {T} welcomed it{_paren(clause)}.", move=move, issue=w.issues[i]))
    elif k == "mediate":
        o2 = c["other"]
        draw = float(rng.random())
        w.add_relation(a, t, p.relation)
        w.add_relation(a, o2, p.relation)
        truce = ""
        if draw < prob:
            _, clause = relate(t, o2, p.amount)
            result = (f"talks eased tension{_paren(clause)}." if clause
                      else "the talks went well, but relations are as close as they can be.")
            tr = ctx.sc.ground.territory
            if w.fighting[t, o2] >= tr.ceasefire_fighting and tr.ceasefire_months > 0:
                territory.set_ceasefire(w, t, o2, tr.ceasefire_months)
                truce = f" A ceasefire freezes the lines for {tr.ceasefire_months} months."
        else:
            result = "the talks failed."
        out.append(ev(k, who + [w.actors[o2]], f"{A} mediated between {T} and {ctx.name(o2)}: {result}{truce}",
                      p=prob, draw=draw, relation=float(w.rel[t, o2]), ceasefire=bool(truce)))
    elif k in ("deploy", "withdraw"):
        b = c["base"]
        sign = 1 if k == "deploy" else -1
        why = _why_leave(ctx, a, b) if k == "withdraw" else ""       # before the garrison leaves
        top = float(garrison_cap(w)[b])
        w.base_garrison[b] = clamp(float(w.base_garrison[b]) + sign * p.amount, 0.0,
                                   max(top, float(w.base_garrison[b])))
        back = sign > 0 and w.base_status[b] == STATUS["evacuated"]
        if back:
            w.base_status[b] = STATUS["active"]
        base = ctx.sc.bases[w.bases[b]].name
        leaves = k == "withdraw" and w.base_garrison[b] < ctx.sc.params.collapse_garrison
        verb = "moved back into" if back else "reinforced its garrison at" if sign > 0 else "drew down its garrison at"
        out.append(ev(k, [me], f"{A} {verb} {base} (garrison {w.base_garrison[b]:.2f}){'' if leaves else why}.",
                      base=w.bases[b],
                      garrison=w.base_garrison[b]))
        if k == "withdraw":
            if w.base_host[b] != a:
                w.add_relation(a, int(w.base_host[b]), p.relation)
            _collapse(ctx, b, out, why)
    elif k == "consolidate":
        b, dst = c["base"], c["into"]
        why = _why_leave(ctx, a, b)
        g2, moved_troops = (float(x[0]) for x in consolidated(w, np.array([b]), np.array([dst])))
        w.base_garrison[dst] = g2
        if w.base_host[b] != a:
            w.add_relation(a, int(w.base_host[b]), p.relation)
        src, into = ctx.sc.bases[w.bases[b]].name, ctx.sc.bases[w.bases[dst]].name
        home = float(w.base_troops[b] * w.base_garrison[b]) - moved_troops
        out.append(ev(k, [me], f"{A} consolidated {src} into {into} (garrison there {g2:.2f}"
                      + (f"; {home:,.0f} troops went home" if home > 0.5 else "") + ").",
                      base=w.bases[b], into=w.bases[dst], garrison=g2, home=home))
        w.base_garrison[b] = 0.0
        _collapse(ctx, b, out, why)
    elif k == "attack":
        out.append(territory.resolve_attack(ctx, a, t, c["region"], rng))
    elif k == "strike":
        b, r = c["base"], c["region"]
        draw = float(rng.random())
        hit = draw < prob
        w.add_relation(a, t, float(hostile_relation(p, w.rel[a, t])))
        w.add_fighting(a, t, p.fighting)
        if b >= 0:
            place = ctx.sc.bases[w.bases[b]].name
            if hit:
                w.base_garrison[b] = max(w.base_garrison[b] - p.amount, 0.0)
                result = f"hit, garrison down to {w.base_garrison[b]:.2f}"
        else:
            place = ctx.sc.regions[w.regions[r]].name
            if hit:
                lost = -w.shift_control(r, t, -p.amount * w.control[r, t], recipient=a)
                result = f"hit, {lost:.2f} of the governorate lost" if lost >= 0.005 else "hit"
        out.append(ev(k, who, f"{A} struck {T} at {place}: " + (result if hit else "little damage")
                      + f" (p={prob:.2f}).", p=prob, draw=draw, place=w.bases[b] if b >= 0 else w.regions[r]))
        if b >= 0 and hit:
            _collapse(ctx, b, out)
    elif k == "seize":
        b = c["base"]
        base = ctx.sc.bases[w.bases[b]].name
        draw = float(rng.random())
        if t >= 0:
            w.add_relation(a, t, float(hostile_relation(p, w.rel[a, t])))
            w.add_fighting(a, t, p.fighting)
        if draw < prob:
            w.base_ctrl[b] = a
            w.base_garrison[b] = p.amount
            w.base_status[b] = STATUS["contested"] if t >= 0 else STATUS["active"]
            out.append(ev("base_change", who, f"{A} seized {base}" + (f" from {T}" if T else "")
                          + f" (p={prob:.2f}).", p=prob, draw=draw, base=w.bases[b]))
        else:
            if t >= 0:
                w.base_garrison[b] = max(w.base_garrison[b] - p.amount / 3, 0.0)
                w.base_status[b] = STATUS["contested"]
            out.append(ev(k, who, f"{A} tried to seize {base}" + (f" from {T}" if T else "")
                          + f" and failed (p={prob:.2f}).", p=prob, draw=draw, base=w.bases[b]))
            if t >= 0:
                _collapse(ctx, b, out)
    for e in out:
        e.setdefault("phase", KIND_PHASE[k])
    return out


def phase_sorted(orders: list[tuple[int, Order]]) -> list[tuple[int, Order]]:
    """Orders in resolution order: by phase, then actor index, then the order each actor gave them."""
    rank = {ph: i for i, ph in enumerate(PHASES)}
    return [x for _, x in sorted(((rank[KIND_PHASE[o.kind]], a, n), (a, o)) for n, (a, o) in enumerate(orders))]
