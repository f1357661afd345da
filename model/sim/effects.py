"""The effects language shared by exogenous events and issue consequences: small, declarative world changes."""
from __future__ import annotations

from model.config.scenario import Effect, Scenario
from model.sim.alignment import apply_driver_effect
from model.sim.territory import set_ceasefire
from model.sim.world import STATUS, World, clamp


def apply_effect(w: World, sc: Scenario, ef: Effect) -> str:
    """Apply one effect to the world; return a short note of what changed (for the event's numbers)."""
    k = ef.kind
    # The schema requires the fields each kind uses (model/config/scenario.py); "" only narrows the optional types.
    actor, other, base = ef.actor or "", ef.other or "", ef.base or ""
    if k == "relation":
        a, b = w.idx(actor), w.idx(other)
        w.add_relation(a, b, ef.delta)
        return f"relation {ef.actor}-{ef.other} {ef.delta:+.2f}"
    if k == "fighting":
        a, b = w.idx(actor), w.idx(other)
        w.add_fighting(a, b, ef.delta)
        return f"fighting {ef.actor}-{ef.other} {ef.delta:+.2f}"
    if k == "garrison":
        b = w.bidx(base)
        w.base_garrison[b] = min(max(float(w.base_garrison[b]) + ef.delta, 0.0), 1.0)
        return f"garrison {ef.base} {ef.delta:+.2f}"
    if k == "base_status":
        changed = []
        for bid in ([ef.base] if ef.base else []) + list(ef.bases or []):
            b = w.bidx(bid)
            current = [s for s, i in STATUS.items() if i == w.base_status[b]][0]
            if ef.only_status and current not in ef.only_status:
                continue
            if ef.actor and (w.base_ctrl[b] < 0 or w.actors[w.base_ctrl[b]] != ef.actor):
                continue
            w.base_status[b] = STATUS[ef.status or "active"]
            w.base_notice[b] = False          # a drawdown by effect runs at params.drawdown_rate, no reprieve
            w.base_rate[b] = sc.params.drawdown_rate if ef.status == "drawdown" else 0.0
            changed.append(bid)
        return f"status {ef.status}: {', '.join(changed) or 'none'}"
    if k == "base_controller":
        b = w.bidx(base)
        w.base_ctrl[b] = w.idx(ef.controller) if ef.controller else -1
        w.base_status[b] = STATUS["active"]
        w.base_notice[b], w.base_rate[b] = False, 0.0
        w.base_garrison[b] = max(w.base_garrison[b], 0.3)
        return f"{ef.base} to {ef.controller}"
    if k == "control":
        d = w.shift_control(w.ridx(ef.region or ""), w.idx(actor), ef.delta)
        return f"control {ef.region} {ef.actor} {d:+.2f}"
    if k == "capability":
        col = {"military": 0, "economic": 1, "diplomatic": 2}[ef.field or ""]
        a = w.idx(actor)
        w.cap[a, col] = min(max(float(w.cap[a, col]) + ef.delta, 0.0), 100.0)
        if ef.field == "economic":        # the month's GDP bound (model.sim.territory) applies to events too: say so
            ec = sc.ground.economy
            return (f"{ef.actor} economic {ef.delta:+.1f} (within the month's GDP bound, +{ec.max_growth:.2%} / "
                    f"-{ec.max_fall:.2%})")
        return f"{ef.actor} {ef.field} {ef.delta:+.1f}"
    if k == "money":
        usd, ec = float(ef.usd_bn or 0.0), sc.ground.economy
        w.committed[w.idx(actor)] += usd
        return (f"{ef.actor} {'-' if usd < 0 else '+'}${abs(usd):,.2f}bn committed "
                f"(reaching GDP at up to +{ec.max_growth:.2%} / -{ec.max_fall:.2%} a month)")
    if k == "position":
        i, a = w.kidx(ef.issue or ""), w.idx(actor)  # a change of what the actor wants, not just of its stance
        lo, hi = float(w.scale[i, 0]), float(w.scale[i, 1])
        w.position[i, a] = clamp(float(w.position[i, a]) + ef.delta, lo, hi)
        w.ideal[i, a] = clamp(float(w.ideal[i, a]) + ef.delta, lo, hi)
        return f"{ef.actor} position on {ef.issue} {ef.delta:+.1f}"
    if k == "goal_weight":
        weights = w.goal_weight[actor]
        goal = ef.goal or ""
        old = weights[goal]
        new = old * (ef.factor if ef.factor is not None else 1.0) + ef.delta
        weights[goal] = float(clamp(new, 0.0, 10.0))
        return f"{actor} goal {goal} weight {old:.2f}->{weights[goal]:.2f}"
    if k == "budget":
        a = w.idx(actor)
        w.budget[a] = max(float(w.budget[a]) + float(ef.troops or 0.0), 0.0)
        return f"{ef.actor} budget {ef.troops:+,.0f} troops"
    if k == "ceasefire":
        set_ceasefire(w, w.idx(actor), w.idx(other), int(ef.months or 0))
        return f"ceasefire {ef.actor}-{ef.other} {ef.months} months"
    if k == "payment":
        w.payments[w.idx(actor), w.idx(other)] += ef.delta
        return f"favours {ef.actor}->{ef.other} {ef.delta:+.2f}"
    if k == "driver":
        return apply_driver_effect(w, ef)
    raise ValueError(f"unknown effect kind {k}")
