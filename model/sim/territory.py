"""Territory that follows force: local force per governorate, the `attack` contest, attrition from the month's
fighting, bounded regeneration and economic growth, ceasefires.

- Local force of actor a in governorate r: F = military_a x presence_ra, presence = control share + a garrison
  term per held base there (params.garrison_presence x garrison) + local and tribal support (`Region.support`).
- An attack of a on t in r brings `commitment` of a's national military on top of its presence:
  A = m_a (presence_ra + commitment), D = m_t presence_rt; it wins the month with the Tullock probability
  p = A^k / (A^k + (delta D)^k), k the decisiveness and delta the defender's advantage; a win takes `amount` of
  t's share there. Whatever the outcome, the attack adds fighting (and so attrition) and costs relation.
- Attrition: each actor loses attrition x (new fighting with j) x m_j summed over opponents j this month, at most
  max_loss of its military; military then regains `regeneration` of its gap to its potential.
- Economy: the economic index is 100 sqrt(GDP / gdp_at_100), so money orders (usd_bn) move it relative to the
  recipient's economy; whatever orders and events do, a month moves GDP by at most +max_growth / -max_fall.
- Ceasefires (a successful mediation between fighting parties, or the `ceasefire` effect) freeze the lines between
  two actors for some months: no attacks between them.

docs/model.md gives the equations with every parameter and what it is set from.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from model.config.scenario import Scenario
from model.sim.world import World


def init_territory(w: World, sc: Scenario) -> None:
    """The arrays of this mechanism from the scenario."""
    actors = [sc.actors[a] for a in w.actors]
    w.potential = np.array([a.potential if a.potential is not None else a.capabilities.military for a in actors],
                           dtype=float)
    w.cap_start = w.cap.copy()
    w.committed = np.zeros(w.n)
    w.fight_start = w.fighting.copy()
    w.ceasefire = np.zeros((w.n, w.n), dtype=int)
    w.support = np.zeros((len(w.regions), w.n))
    for r, rid in enumerate(w.regions):
        for a, v in sc.regions[rid].support.items():
            w.support[r, w.idx(a)] = v


def presence(w: World, garrison_presence: float) -> np.ndarray:
    """(r, n) each actor's presence per governorate: control share + garrisons of its held bases + support."""
    held = w.held()
    r, n = w.control.shape
    garrisons = np.bincount(w.base_region[held] * n + w.base_ctrl[held],
                            weights=garrison_presence * w.base_garrison[held], minlength=r * n)
    return w.control + w.support + garrisons.reshape(r, n)


def contest(w: World, sc: Scenario, a: np.ndarray, t: np.ndarray, r: np.ndarray,
            pres: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(p, A, D) of attacks by a on t in r: the attacker's win probability and both forces."""
    tr = sc.ground.territory
    pres = presence(w, sc.params.garrison_presence) if pres is None else pres
    mil = w.cap[:, 0]
    att = mil[a] * (pres[r, a] + tr.commitment)
    dfd = mil[t] * pres[r, t]
    k = tr.decisiveness
    ak = np.maximum(att, 1e-9) ** k
    return ak / (ak + np.maximum(tr.defender_advantage * dfd, 1e-9) ** k), att, dfd


def gdp_index(index: np.ndarray | float, usd_bn: np.ndarray | float, gdp_at_100: float) -> np.ndarray:
    """The economic index after GDP changes by usd_bn: index = 100 sqrt(GDP / gdp_at_100), kept in 0..100."""
    gdp = (np.asarray(index, dtype=float) / 100.0) ** 2 * gdp_at_100 + usd_bn
    return np.minimum(100.0 * np.sqrt(np.maximum(gdp, 0.0) / gdp_at_100), 100.0)


def in_ceasefire(w: World, a: int, t: int) -> bool:
    return bool(w.ceasefire[a, t] > 0)


def set_ceasefire(w: World, a: int, t: int, months: int) -> None:
    """Freeze the lines between a and t for `months` months (counting this one)."""
    m = max(int(w.ceasefire[a, t]), int(months))
    w.ceasefire[a, t] = w.ceasefire[t, a] = m


def resolve_attack(ctx: Any, a: int, t: int, r: int, rng: np.random.Generator) -> dict:
    """Carry out an attack of a on t in governorate r; return the event (its sentence names the forces)."""
    w, sc, p = ctx.w, ctx.sc, ctx.p("attack")
    A, T = ctx.name(a), ctx.name(t)
    region = sc.regions[w.regions[r]].name
    who = [w.actors[a], w.actors[t]]
    if in_ceasefire(w, a, t):      # its own story: held back is not another month of the fighting told before
        return {"kind": "attack", "actors": who, "sentence": f"{A} held back from attacking {T} in {region}: "
                f"a ceasefire freezes the lines ({int(w.ceasefire[a, t])} more months).",
                "numbers": {"region": w.regions[r], "ceasefire": int(w.ceasefire[a, t])},
                "topic": f"{w.regions[r]}:ceasefire"}
    prob, att, dfd = (float(x[0]) for x in contest(w, sc, np.array([a]), np.array([t]), np.array([r])))
    draw = float(rng.random())
    w.add_relation(a, t, p.relation - p.betrayal * max(float(w.rel[a, t]), 0.0))
    w.add_fighting(a, t, p.fighting)
    numbers = {"region": w.regions[r], "p": round(prob, 4), "draw": round(draw, 4), "force": round(att, 2),
               "defence": round(dfd, 2)}
    if draw < prob:
        taken = p.amount * float(w.control[r, t])
        w.control[r, t] -= taken
        w.control[r, a] += taken
        return {"kind": "territory", "actors": who,
                "sentence": f"{A} took {taken:.2f} of {region} from {T} (force {att:.0f} vs {dfd:.0f}, p={prob:.2f}).",
                "numbers": {**numbers, "taken": round(taken, 4), "share": round(float(w.control[r, a]), 4)}}
    return {"kind": "attack", "actors": who,
            "sentence": f"{A} attacked {T} in {region} and was held (force {att:.0f} vs {dfd:.0f}, p={prob:.2f}).",
            "numbers": numbers}


def phase_territory(model: Any) -> None:
    """Attrition from the month's new fighting (bounded), regeneration toward potential, the economy's bounds,
    and the ceasefires' countdown."""
    w, sc = model.world, model.scenario
    tr, ec = sc.ground.territory, sc.ground.economy
    mil = w.cap[:, 0]
    new = np.maximum(w.fighting - w.fight_start, 0.0)
    if np.count_nonzero(new):
        loss = np.minimum(tr.attrition * (new @ mil), tr.max_loss * mil)
        for i in ((loss > 0) & (loss >= 0.02 * mil)).nonzero()[0].tolist():
            foes = (-(new[i] * mil)).argsort(kind="stable")[:2]
            names = " and ".join(model.agent(w.actors[j]).name for j in foes.tolist() if new[i, j] > 0)
            model._log({"kind": "attrition", "actors": [w.actors[i]],
                        "sentence": f"{model.agent(w.actors[i]).name} lost {loss[i]:.1f} of its military strength "
                                    f"({mil[i]:.1f} -> {mil[i] - loss[i]:.1f}) fighting {names}.",
                        "numbers": {"loss": round(float(loss[i]), 3), "military": round(float(mil[i] - loss[i]), 3)},
                        "phase": "control"})
        mil = mil - loss
    w.cap[:, 0] = np.minimum(np.maximum(mil + tr.regeneration * (w.potential - mil), 0.0), 100.0)
    e0 = w.cap_start[:, 1]         # math.sqrt and np.sqrt are both correctly rounded: the same bounds
    if np.count_nonzero(w.committed):
        absorb_committed(w, ec.gdp_at_100, ec.max_growth, ec.max_fall)
    w.cap[:, 1] = np.minimum(np.maximum(w.cap[:, 1], e0 * math.sqrt(1.0 - ec.max_fall)),
                             e0 * math.sqrt(1.0 + ec.max_growth))
    if np.count_nonzero(w.ceasefire):
        np.subtract(w.ceasefire, 1, out=w.ceasefire, where=w.ceasefire > 0)


def absorb_committed(w: World, gdp_at_100: float, max_growth: float, max_fall: float) -> None:
    """Money committed by events (a deal's billions, a snapback's lost investment) reaches GDP as fast as the
    month's bound lets it, after the month's orders; what does not fit waits for the next month. Only committed
    money waits: orders' money beyond the bound is lost, as before."""
    who = w.committed.nonzero()[0]           # (the others' index is left as it is, not recomputed from GDP)
    due = w.committed[who]
    gdp0 = (w.cap_start[who, 1] / 100.0) ** 2 * gdp_at_100
    gdp = (w.cap[who, 1] / 100.0) ** 2 * gdp_at_100
    target = gdp + due
    final = np.minimum(np.maximum(target, gdp0 * (1.0 - max_fall)), gdp0 * (1.0 + max_growth))
    left = np.minimum(np.maximum(target - final, np.minimum(due, 0.0)), np.maximum(due, 0.0))
    left[np.abs(left) < 1e-9] = 0.0        # (a rounding's crumbs of a dollar do not keep the pipeline open)
    w.cap[who, 1] = gdp_index(0.0, np.maximum(gdp + due - left, 0.0), gdp_at_100)
    w.committed[who] = left


def drift(w: World, control_rate: float, garrison_presence: float) -> None:
    """Ground drifting toward garrisons (params.control_rate; off by default since issue 10, kept for scenarios and
    saved games that set it): control closes a share of its gap to control + garrison presence, renormalised."""
    pres = w.control.copy()
    held = w.held()
    np.add.at(pres, (w.base_region[held], w.base_ctrl[held]), garrison_presence * w.base_garrison[held])
    pres /= pres.sum(axis=1, keepdims=True)
    w.control += control_rate * (pres - w.control)
    w.control /= w.control.sum(axis=1, keepdims=True)


def end_month(w: World, fighting_decay: float) -> None:
    """What next month's bounds and attrition are measured from: the capabilities now, and the fighting as the
    next month's first phase will leave it (after the fade)."""
    w.cap_start = w.cap.copy()
    w.fight_start = w.fighting * (1.0 - fighting_decay)
