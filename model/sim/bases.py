"""Bases on their own terms (control phase, 7): hosts from the ground, the host's consent to a lease, graded lease
outcomes per base, upkeep against budgets, strain.

- The host of a base is whoever controls the largest share of its governorate (ties keep the current host);
  recomputed every month, and a change is an event.
- A base held by someone other than its host, and not `held_by_force`, stands on the host's consent
  c = 1 / (1 + exp(-z)), z = bias + w_rel r(host, holder) + w_pay (1 - exp(-S)) + w_talks (2 f - 1)
  - w_value v(host) + w_bloc [same bloc]: the relation, the stock S of the holder's favours to the host (aid,
  invest, arms, concessions on what the host cares about; it decays), the linked talks' forecast f (share of the
  scale toward the holder), the host's own value of the base, and bloc membership (`world.blocs`: equal labels
  are one bloc, -1 is outside every bloc).
- Each leased base has its own thresholds (`Base.lease`): below `reduce` the lease is renegotiated (status
  `reduced`, garrison capped), below `evict` the host serves notice (drawdown over `notice_months`, then the base
  is handed over), a notice is withdrawn when consent recovers above `reprieve` (the patron's counter-offer), and
  a reduced lease is renewed above `renew`. Outcomes may carry effects.
- Upkeep: troops x garrison over an actor's held bases, against its budget net of drains (commitments elsewhere).
  Over budget is strain, (upkeep - budget) / budget: every garrison of the actor sheds a share of the excess each
  month, and the utility policy counts strain as a cost (model.sim.utility).

docs/model.md gives the equations with every parameter and what it is set from.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from model.config.scenario import Scenario
from model.sim.effects import apply_effect
from model.sim.utility import GroundView
from model.sim.world import IS_HELD, STATUS, World

LEASE_FIELDS = ("renew", "reduce", "evict", "reprieve", "cap")
RENEW, REDUCE, EVICT, REPRIEVE, CAP = range(5)
TERMS = ("relation", "payments", "talks", "value", "bloc")
NO_BUDGET = np.inf
REDUCED_STATUS, DRAWDOWN_STATUS, CONTESTED_STATUS = STATUS["reduced"], STATUS["drawdown"], STATUS["contested"]


def init_bases(w: World, sc: Scenario) -> None:
    """The arrays of this mechanism from the scenario (hosts from the starting control)."""
    ids = w.bases
    cfg = [sc.bases[b] for b in ids]
    w.base_troops = np.array([b.troops for b in cfg], dtype=float)
    w.base_by_force = np.array([b.held_by_force for b in cfg], dtype=bool)
    w.base_talks = np.array([w.kidx(b.talks) if b.talks else -1 for b in cfg], dtype=int)
    w.base_talks_k = np.maximum(w.base_talks, 0)
    w.base_talks_sign = np.array([1.0 if b.talks_favours == "high" else -1.0 for b in cfg])
    w.lease = np.array([[getattr(b.lease, f) for f in LEASE_FIELDS] for b in cfg], dtype=float).reshape(-1, 5)
    w.lease_months = np.array([b.lease.notice_months for b in cfg], dtype=int)
    w.base_rate = np.where(w.base_status == STATUS["drawdown"], sc.params.drawdown_rate, 0.0)
    w.base_notice = np.zeros(len(ids), dtype=bool)
    w.payments = np.zeros((w.n, w.n))
    w.consent_weights = consent_weights(sc)
    actors = [sc.actors[a] for a in w.actors]
    w.budget = np.array([a.budget.troops if a.budget else NO_BUDGET for a in actors], dtype=float)
    rows, names = [], []
    for i, a in enumerate(actors):
        for d in (a.budget.drains if a.budget else []):
            rows.append((i, d.troops, d.start, d.months))
            names.append(d.name)
    w.drains = np.array(rows, dtype=float).reshape(-1, 4)
    w.drain_names = names
    w.base_host = np.array([w.idx(b.host) if b.host else -1 for b in cfg], dtype=int)
    w.base_host = hosts(w, keep_given=True)
    w.base_consent, _, w.consent_start = consent(w, consent_weights(sc))
    account(w, 0)
    w.strained = np.zeros(w.n, dtype=bool)      # month 1 tells who starts over budget


def settle_consent(w: World, sc: Scenario) -> None:
    """The starting consent and its terms (what outcome events measure change from), once the blocs are known."""
    w.base_consent, _, w.consent_start = consent(w, consent_weights(sc))


def consent_weights(sc: Scenario) -> np.ndarray:
    """(bias, relation, payments, talks, value, bloc, risk) of the consent model (risk: the utility's lease risk)."""
    c = sc.ground.consent
    return np.array([c.bias, c.relation, c.payments, c.talks, c.value, c.bloc, c.risk])


def hosts(w: World, keep_given: bool = False) -> np.ndarray:
    """(b,) the host of each base: the largest control share of its region; a tie keeps the current host.
    keep_given: at the start, a host the scenario names stays until the first month recomputes it."""
    lead = w.control.argmax(axis=1).take(w.base_region)
    cur = w.base_host
    if keep_given:
        return np.where(cur >= 0, cur, lead)
    at = w.base_region * w.n          # flat offsets of the bases' regions in control (cur -1: the last column)
    return np.where(w.control.take(at + cur % w.n) >= w.control.take(at + lead) - 1e-12, cur, lead)


def leased(w: World) -> np.ndarray:
    """(b,) the base stands on its host's consent: held by someone else than its host, and not by force."""
    return w.held() & (w.base_ctrl != w.base_host) & ~w.base_by_force & (w.base_host >= 0)


def talks_share(w: World) -> np.ndarray:
    """(b,) the linked talks' forecast as a share of the issue's scale toward the holder (0.5 without talks)."""
    k = np.maximum(w.base_talks, 0)
    if not len(w.issues):
        return np.full(len(w.bases), 0.5)
    f = (w.forecast[k] - w.scale[k, 0]) / (w.scale[k, 1] - w.scale[k, 0])
    f = np.where(w.base_talks_sign > 0, f, 1.0 - f)
    return np.where(w.base_talks >= 0, f, 0.5)


def consent(w: World, weights: np.ndarray, held: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray,
                                                                                      np.ndarray]:
    """(consent (b,), leased (b,), terms (b, 5)): the host's consent per base and each term's contribution to z
    (relation, payments, talks, value, bloc). Bases that need no consent (held by their host, by force, or not
    held) have consent 1. The per-base constants come from the utility's cached view, so the two agree."""
    S, same_bloc = GroundView.static(w)
    cols = _consent_columns(w, S, weights)
    leasable, talks_weight, talks_low, talks_inv, value_term = cols
    held = w.held() if held is None else held
    host, holder = w.base_host, np.maximum(w.base_ctrl, 0)
    lease = held & (w.base_ctrl != host) & leasable
    terms = np.empty((5, len(host)))          # a row per term (contiguous); returned as its (b, 5) transpose
    w_bias, w_rel, w_pay, w_bloc = float(weights[0]), float(weights[1]), float(weights[2]), float(weights[5])
    np.multiply(w_rel, w.rel[host, holder], out=terms[0])
    np.multiply(w_pay, 1.0 - np.exp(-w.payments[holder, host]), out=terms[1])
    if len(w.issues):
        np.multiply(talks_weight, 2.0 * (w.forecast[w.base_talks_k] - talks_low) * talks_inv - 1.0, out=terms[2])
    else:
        terms[2] = 0.0
    terms[3] = value_term
    np.multiply(w_bloc, same_bloc[host, holder], out=terms[4])
    # z = bias + the sum of the terms in their order: what np.add.reduce over a row of five adds, one by one
    z = w_bias + ((((terms[0] + terms[1]) + terms[2]) + terms[3]) + terms[4])
    c = np.where(lease, 1.0 / (1.0 + np.exp(-z)), 1.0)
    return c, lease, terms.T


def _consent_columns(w: World, S: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, ...]:
    """The per-base constants of consent as contiguous arrays (whether the base can be leased, the talks' weight,
    low end and 1/span, and the value term S0 - bias), cached while the utility's per-base view `S` stands."""
    key = weights.tobytes()
    cached = w.__dict__.get("_consent_columns")
    if cached is None or cached[0] is not S or cached[1] != key:
        cols = (S[:, 7] > 0, S[:, 2].copy(), S[:, 3].copy(), S[:, 4].copy(), S[:, 0] - weights[0])
        cached = w.__dict__["_consent_columns"] = (S, key, cols)
    return cached[2]


def available(w: World, turn: int) -> np.ndarray:
    """(n,) each actor's budget net of its drains at `turn` (inf: no budget); cached until the turn or a budget
    changes."""
    key = (turn, w.budget.tobytes())
    if w.available_key == key:
        return w.available
    w.available_key = key
    if not len(w.drains):
        return np.maximum(w.budget, 1.0)
    drawn = [0.0] * w.n               # each actor's drains in order, as np.bincount adds them (a few, in floats)
    for a, troops, start, months in w.drains.tolist():
        ramp = min(max((turn - start) / max(months, 1.0), 0.0), 1.0) if months > 0 else float(turn >= start)
        drawn[int(a)] += troops * ramp
    return np.maximum(w.budget - np.array(drawn), 1.0)


def upkeep(w: World, held: np.ndarray | None = None) -> np.ndarray:
    """(n,) troops each actor keeps at the bases it holds (troops at full garrison x garrison)."""
    held = w.held() if held is None else held
    return np.bincount(w.base_ctrl[held], weights=(w.base_troops * w.base_garrison)[held], minlength=w.n).astype(float)


def account(w: World, turn: int | None, held: np.ndarray | None = None) -> None:
    """This month's upkeep, budget net of drains (turn None: as already known this month), and strain (upkeep
    over budget, as a share of the budget)."""
    w.upkeep = upkeep(w, held)
    if turn is not None:
        w.available = available(w, turn)
    w.strain = np.maximum(w.upkeep - w.available, 0.0) / w.available


def phase_bases(model: Any) -> None:
    """Hosts, consent and lease outcomes, drawdowns, upkeep and strain, collapse, calm, payments fading."""
    w, sc = model.world, model.scenario
    prm, up = sc.params, sc.ground.upkeep
    _hosts(model)
    held = w.held()                       # lease outcomes keep a base held; only a collapse below changes it
    c, lease, terms = consent(w, w.consent_weights, held)
    status = w.base_status.tolist()       # (the statuses as a list, read again after whatever changes them)
    if REDUCED_STATUS in status or np.count_nonzero(w.base_notice) or \
            np.count_nonzero(lease & ((c < w.lease[:, REDUCE]) | (c > w.lease[:, REPRIEVE]))):
        _lease_outcomes(model, c, lease, terms)
        status = w.base_status.tolist()
    # drawdowns wear garrisons down (a notice over its months, others at params.drawdown_rate)
    if DRAWDOWN_STATUS in status:
        down = w.base_status == DRAWDOWN_STATUS
        w.base_garrison[down] = np.maximum(w.base_garrison[down] - w.base_rate[down], 0.0)
    # upkeep against budgets: strained actors' garrisons shed a share of the excess
    account(w, w.turn, held)              # w.strain: this month's strain (the indicator), before garrisons thin
    need = w.upkeep
    if np.count_nonzero(w.strain):
        factor = 1.0 - up.strain_rate * np.maximum(w.upkeep - w.available, 0.0) / np.maximum(w.upkeep, 1e-9)
        mine = held & (w.base_troops > 0)
        w.base_garrison[mine] *= factor[w.base_ctrl[mine]]
        w.upkeep = w.upkeep * factor      # every counted garrison of an actor shrank by its factor
    if np.count_nonzero(w.strained) or np.count_nonzero(w.strain):
        _strain_events(model, need)
    any_reduced = REDUCED_STATUS in status
    if any_reduced:
        reduced = w.base_status == REDUCED_STATUS
        w.base_garrison[reduced] = np.minimum(w.base_garrison[reduced], w.lease[reduced, CAP])
    if np.count_nonzero(held & (w.base_garrison < prm.collapse_garrison)):
        _collapse(model)
        held = w.held()
        w.upkeep = upkeep(w, held)
        status = w.base_status.tolist()
    elif any_reduced:
        w.upkeep = upkeep(w, held)
    if CONTESTED_STATUS in status:
        contested = w.base_status == STATUS["contested"]
        contested &= w.base_ctrl >= 0
        calm = w.fighting[w.base_ctrl[contested]].max(axis=1) < prm.open_fighting
        w.base_status[contested.nonzero()[0][calm]] = STATUS["active"]
    w.payments *= 1.0 - sc.ground.payments.decay
    # the consent this month's outcomes were decided on (1 where the base needs none now)
    w.base_consent = np.where(held & (w.base_ctrl != w.base_host) & ~w.base_by_force, c, 1.0)


# ------------------------------------------------------------------------------------------------ parts
def _name(model: Any, i: int) -> str:
    return model.agent(model.world.actors[i]).name if i >= 0 else "nobody"


def _hosts(model: Any) -> None:
    """Recompute hosts; a change is an event per governorate naming the bases that now stand on a new host."""
    w = model.world
    new = hosts(w)
    moved = (new != w.base_host).nonzero()[0]
    if moved.size == 0:
        return
    by_region: dict[int, list[int]] = {}
    for b in moved.tolist():
        by_region.setdefault(int(w.base_region[b]), []).append(b)
    for r, bs in by_region.items():
        old, now = int(w.base_host[bs[0]]), int(new[bs[0]])
        region = model.scenario.regions[w.regions[r]].name
        names = ", ".join(model.scenario.bases[w.bases[b]].name for b in bs)
        share = float(w.control[r, now])
        model._log({"kind": "host_change", "actors": [w.actors[now]] + ([w.actors[old]] if old >= 0 else []),
                    "sentence": f"{_name(model, now)} now holds the largest share of {region} ({share:.2f}, "
                                f"{_name(model, old)} {float(w.control[r, old]) if old >= 0 else 0.0:.2f}): "
                                f"{names} now stand{'s' if len(bs) == 1 else ''} on its consent.",
                    "numbers": {"region": w.regions[r], "share": round(share, 4),
                                "bases": ",".join(w.bases[b] for b in bs)}, "phase": "control"})
    w.base_host = new


def _cause(terms: np.ndarray, start: np.ndarray, sign: float) -> str:
    """The consent terms that moved most since the lease's start in the outcome's direction (sign -1: consent
    fell, a renegotiation or a notice; +1: it rose, a reprieve or a renewal), as readable text. A term that moved
    the other way is no cause of the outcome, however large."""
    delta = (terms - start) * sign
    order = (-delta).argsort(kind="stable")
    parts = [f"{TERMS[i]} {sign * delta[i]:+.2f}" for i in order[:3].tolist() if delta[i] >= 0.05]
    return ", ".join(parts) if parts else f"no term {'rose' if sign > 0 else 'fell'} since the start"


def _versus(value: float, threshold: float) -> tuple[str, str]:
    """A value and the threshold it crossed, with the fewest decimals (2 to 6) that tell them apart, so the
    comparison printed reads true ("0.349 < 0.350", never "0.35 < 0.35")."""
    for digits in range(2, 7):
        a, b = f"{value:.{digits}f}", f"{threshold:.{digits}f}"
        if a != b:
            return a, b
    return a, b


def _lease_outcomes(model: Any, c: np.ndarray, lease: np.ndarray, terms: np.ndarray) -> None:
    """Graded outcomes per leased base from its own thresholds; notices lapse when the lease does (the holder
    became the host, or the base is held by force)."""
    w = model.world
    st = w.base_status
    L = w.lease
    active, reduced, down = st == STATUS["active"], st == STATUS["reduced"], st == STATUS["drawdown"]
    notice = lease & (active | reduced) & (c < L[:, EVICT])
    renegotiate = lease & active & (c < L[:, REDUCE]) & ~notice
    reprieve = lease & down & w.base_notice & (c > L[:, REPRIEVE])
    renew = lease & reduced & (c > L[:, RENEW])
    lapse = ~lease & (reduced | (down & w.base_notice))
    changed = notice | renegotiate | reprieve | renew | lapse
    if not np.count_nonzero(changed):
        return
    for b in changed.nonzero()[0].tolist():
        base = model.scenario.bases[w.bases[b]]
        holder, host = int(w.base_ctrl[b]), int(w.base_host[b])
        H, A = _name(model, host), _name(model, holder)
        fell = bool(notice[b] or renegotiate[b])
        cause = _cause(terms[b], w.consent_start[b], -1.0 if fell else 1.0)
        numbers: dict[str, Any] = {"base": w.bases[b], "consent": round(float(c[b]), 4),
                                   **{t: round(float(terms[b, i]), 4) for i, t in enumerate(TERMS)}}
        if notice[b]:
            outcome = "notice"
            months = int(w.lease_months[b])
            w.base_status[b] = STATUS["drawdown"]
            w.base_notice[b] = True
            # even steps that take the garrison below the collapse level, where it is handed over, in `months`
            w.base_rate[b] = max(float(w.base_garrison[b]) - model.scenario.params.collapse_garrison + 1e-6,
                                 0.0) / months
            told = " < ".join(_versus(c[b], L[b, EVICT]))
            text = (f"{H} served notice on {A}'s lease of {base.name} (consent {told}: "
                    f"{cause}); the garrison draws down over {months} months.")
        elif renegotiate[b]:
            outcome = "reduced"
            w.base_status[b] = STATUS["reduced"]
            w.base_garrison[b] = min(float(w.base_garrison[b]), float(L[b, CAP]))
            told = " < ".join(_versus(c[b], L[b, REDUCE]))
            text = (f"{H} renegotiated {A}'s lease of {base.name} down (consent {told}: "
                    f"{cause}); garrison capped at {L[b, CAP]:.2f}.")
        elif reprieve[b]:
            outcome = "reprieve"
            w.base_status[b] = STATUS["reduced"]
            w.base_notice[b] = False
            w.base_rate[b] = 0.0
            w.base_garrison[b] = min(float(w.base_garrison[b]), float(L[b, CAP]))
            text = (f"{H} withdrew its notice on {base.name}: {A}'s counter-offer brought consent back to "
                    f"{' > '.join(_versus(c[b], L[b, REPRIEVE]))} ({cause}); a reduced lease stands.")
        elif renew[b]:
            outcome = "renewed"
            w.base_status[b] = STATUS["active"]
            told = " > ".join(_versus(c[b], L[b, RENEW]))
            text = (f"{H} renewed {A}'s lease of {base.name} in full (consent {told}: "
                    f"{cause}).")
        else:
            outcome = "lapsed"
            w.base_status[b] = STATUS["active"]
            w.base_notice[b] = False
            w.base_rate[b] = 0.0
            text = (f"The lease of {base.name} lapsed: {A} no longer needs {H}'s consent there "
                    f"({'its host now' if holder == host else 'held by force'}).")
        effects = model.scenario.bases[w.bases[b]].lease.outcome_effects().get(outcome, [])
        notes = [apply_effect(w, model.scenario, ef) for ef in effects]
        if notes:
            numbers["effects"] = "; ".join(notes)
        # the story's topic is the base and the outcome: a renewal after a renegotiation is news, not its
        # "second month running"
        model._log({"kind": "lease", "actors": [w.actors[host], w.actors[holder]], "sentence": text,
                    "numbers": {"outcome": outcome, **numbers}, "phase": "control",
                    "topic": f"{w.bases[b]}:{outcome}"})


def _strain_events(model: Any, need: np.ndarray) -> None:
    """An actor going over (or back within) its budget is told once, with the numbers (`need`: its upkeep this
    month before its garrisons thinned)."""
    w = model.world
    was, now = w.strained, w.strain > 0
    for i in (now != was).nonzero()[0].tolist():
        name = _name(model, i)
        drains = [w.drain_names[d] for d in range(len(w.drains)) if int(w.drains[d, 0]) == i
                  and w.turn >= w.drains[d, 2]]
        why = f" while {' and '.join(drains)} draw{'s' if len(drains) == 1 else ''} on it" if drains else ""
        if now[i]:
            text = (f"{name}'s bases need {need[i]:,.0f} troops, {need[i] - w.available[i]:,.0f} over its "
                    f"budget of {w.available[i]:,.0f}{why}: its garrisons thin.")
        else:
            text = f"{name}'s bases are back within its budget ({need[i]:,.0f} of {w.available[i]:,.0f} troops)."
        model._log({"kind": "strain", "actors": [w.actors[i]], "sentence": text,
                    "numbers": {"upkeep": round(float(need[i]), 1), "budget": round(float(w.available[i]), 1),
                                "strain": round(float(w.strain[i]), 4)}, "phase": "control",
                    "topic": "over" if now[i] else "within"})     # going over and coming back are two stories
    w.strained = now


def _collapse(model: Any) -> None:
    """Garrisons below the collapse level leave: the base is evacuated and passes to its host (nobody when the
    holder was the host); a notice that ran its course is a hand-over."""
    w, sc = model.world, model.scenario
    going = ((w.base_ctrl >= 0) & IS_HELD[w.base_status]
                       & (w.base_garrison < sc.params.collapse_garrison)).nonzero()[0]
    for b in going.tolist():
        old, host = int(w.base_ctrl[b]), int(w.base_host[b])
        handed = bool(w.base_notice[b])
        strained = bool(w.strain[old] > 0)
        w.base_ctrl[b] = host if host != old else -1
        w.base_status[b] = STATUS["evacuated"]
        w.base_garrison[b] = 0.0
        w.base_notice[b] = False
        w.base_rate[b] = 0.0
        base = sc.bases[w.bases[b]]
        to = _name(model, host if host != old else -1)
        if handed:
            why = f"the notice ran its course and {base.name} was handed over to {to}"
        elif strained:
            why = f"its garrison thinned away under strain ({w.upkeep[old]:,.0f} troops against a budget of " \
                  f"{w.available[old]:,.0f}); {base.name} passes to {to}"
        else:
            why = f"its garrison was worn below {sc.params.collapse_garrison:.2f}; {base.name} passes to {to}"
        numbers: dict[str, Any] = {"base": w.bases[b], "cause": "handed_over" if handed else
                                   "strain" if strained else "collapse"}
        if handed:
            notes = [apply_effect(w, sc, ef) for ef in base.lease.on_handed_over]
            if notes:
                numbers["effects"] = "; ".join(notes)
        model._log({"kind": "base_change", "actors": [w.actors[old]] + ([w.actors[host]] if host != old else []),
                    "sentence": f"{_name(model, old)} left {base.name}: {why}.", "numbers": numbers,
                    "phase": "control"})
