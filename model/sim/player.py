"""What a player needs to judge a seat: each order's chance and consequences, why the AI rates it so, the seat's
objectives and score. Read-only views of a WargameModel (nothing here changes the world or draws from its rng),
except `withdraw_orders`, which takes back a seat's submission before the turn resolves.

The numbers are the model's own, from the very scoring pass the AI policy chooses with (policies.score_candidates):
the chance of success is `actions.success_prob` (what adjudication draws against, and what the pass weights the
expected effects by), the gain is the policy's expected utility change, and the "why" splits that gain into one
term per goal of the same rows' expected states.
The split is exact because the utility is a weighted sum of goal terms: scoring with only one goal kept gives that
goal's term, and the terms add up to the whole (tests/sim/test_player.py checks it).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from model.config.errors import UserError
from model.config.scenario import Goal, Scenario
from model.config.vocabulary import ACTION_KINDS, COLUMNS
from model.sim.actions import Ctx
from model.sim.policies import score_candidates
from model.sim.territory import in_ceasefire
from model.sim.utility import Batch, compile_goals, relation_direction, utility
from model.sim.world import World

if TYPE_CHECKING:  # pragma: no cover - the model imports nothing from here
    from model.sim.model import WargameModel


@dataclass(frozen=True)
class ObjectiveRules:
    """When a goal counts as met, and how much of the "why" is shown (defaults documented in docs/playing.md)."""
    relation_tolerance: float = 0.15    # relation goal: met within this distance of its target relation
    issue_tolerance: float = 0.10       # issue goal: met when the forecast is within this share of the scale
    influence_share: float = 0.5        # influence goal: met at this population-weighted share of control
    stability_fighting: float = 0.2     # stability goal: met while the actor's fighting measure is at most this
    why_terms: int = 3                  # "why": the largest goal terms given per order
    certain: float = 0.999              # a chance at or above this is shown as certain (uncontested orders)


DEFAULT_RULES = ObjectiveRules()
SCORE_DOC = ("Score = 100 x (utility now - utility at the start) / the actor's total goal weight at the start: "
             "the utility gained since the start, in percent of the most a perfect world could give. Each goal "
             "term lies in about [-1, 1] times its weight, so +100 would be every goal perfectly met from nothing.")


# ------------------------------------------------------------------------------------------ helpers
class _ActorGoals:
    """An actor as compile_goals reads it, with only some of its goals."""

    def __init__(self, actor: Any, goals: dict[str, Goal]) -> None:
        self._actor, self.goals = actor, goals

    def __getattr__(self, name: str) -> Any:
        return getattr(self._actor, name)


class _OneGoal:
    """The scenario with every goal left out but one (the utility is linear in the goals)."""

    def __init__(self, sc: Scenario, actor: str, goal: str) -> None:
        self._sc = sc
        self.actors = {aid: _ActorGoals(a, {goal: a.goals[goal]} if aid == actor else {})
                       for aid, a in sc.actors.items()}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sc, name)


def fresh_ctx(m: WargameModel) -> Ctx:
    """A context with this moment's sizes (the model refreshes them only when a turn starts), so chances and
    gains are those the coming turn's orders would be judged on."""
    sc = m.scenario
    sw = sc.params.size_weights
    sizes = m.world.sizes(np.array([sw.military, sw.economic, sw.diplomatic]))
    return Ctx(m.world, sc, sizes, dict(sc.actions))


def goal_terms(m: WargameModel, actor: str, batch: Batch) -> dict[str, np.ndarray]:
    """Each of the actor's goals' term of its utility, for every row of `batch` (rows seen by `actor`)."""
    w = m.world
    a = w.idx(actor)
    rows = np.full(batch.rel.shape[0], a)
    only = {name: _OneGoal(m.scenario, actor, name) for name in m.scenario.actors[actor].goals}
    return {name: utility(batch, rows, compile_goals(sc, w), w.scale)  # type: ignore[arg-type]
            for name, sc in only.items()}


def _name(sc: Scenario, w: World, what: str, index: int) -> str:
    if index < 0:
        return "nobody"
    if what == "actor":
        return sc.actors[w.actors[index]].name
    if what == "base":
        return sc.bases[w.bases[index]].name
    if what == "region":
        return sc.regions[w.regions[index]].name
    return sc.issues[w.issues[index]].name


def outcomes(ctx: Ctx, kind: str, row: dict[str, int], certain: bool = False) -> dict[str, str | None]:
    """What an order does: `always` (whatever the draw), `success`, and `failure` (None when it cannot fail, or
    when its chance is `certain`). Sizes come from the scenario's action table, so the text says what
    adjudication will do."""
    out = _outcomes(ctx, kind, row)
    return {**out, "failure": None} if certain else out


def _outcomes(ctx: Ctx, kind: str, row: dict[str, int]) -> dict[str, str | None]:
    w, sc, p = ctx.w, ctx.sc, ctx.p(kind)
    a, t = row["actor"], row["target"]
    T = _name(sc, w, "actor", t) if t >= 0 else None
    rel = f"relation with {T} {p.relation:+.2f}" if T else ""
    if kind == "hold":
        return {"always": "nothing happens; your action points are not used", "success": "", "failure": None}
    if kind in ("engage", "recognise"):
        extra = " and formal recognition" if kind == "recognise" else ""
        return {"always": None, "success": f"{rel}{extra}", "failure": None}
    if kind in ("aid", "invest", "sanction", "lift_sanctions"):
        return {"always": None, "success": f"{rel}; {T}'s economy {p.economy:+.1f}, yours {p.self_economy:+.1f}"
                + ("; sanctions in force" if kind == "sanction" else "; sanctions lifted" if kind == "lift_sanctions"
                   else ""), "failure": None}
    if kind == "support_proxy":
        return {"always": None, "success": f"{rel}; {T}'s military +{10 * p.amount:.1f} and its garrisons "
                f"+{p.amount / 2:.2f}", "failure": None}
    if kind == "patrol":
        region = _name(sc, w, "region", row["region"])
        return {"always": None, "success": f"{rel}; {T}'s control of {region} +{p.amount:.0%}", "failure": None}
    if kind in ("demand", "concede"):
        i = row["issue"]
        span = float(w.scale[i, 1] - w.scale[i, 0])
        issue = _name(sc, w, "issue", i)
        if kind == "concede":
            return {"always": None, "success": f"your position on {issue} moves up to {p.amount * span:.0f} points "
                    f"towards the forecast; {rel}", "failure": None}
        return {"always": None, "success": f"{T} moves its position on {issue} up to {p.amount * span:.0f} points "
                f"towards yours; {rel}", "failure": f"{T} refuses: relation {p.refused_relation:+.2f}"}
    if kind == "mediate":
        other = _name(sc, w, "actor", row["other"])
        return {"always": f"relation with {T} and with {other} {p.relation:+.2f} each",
                "success": f"{T}-{other} relation {p.amount:+.2f}", "failure": "the talks fail"}
    if kind in ("deploy", "withdraw"):
        b = row["base"]
        base = _name(sc, w, "base", b)
        g = float(w.base_garrison[b])
        if kind == "deploy":
            return {"always": None, "success": f"garrison at {base} {g:.2f} -> {min(g + p.amount, 1):.2f}",
                    "failure": None}
        host = _name(sc, w, "actor", int(w.base_host[b]))
        left = max(g - p.amount, 0.0)
        lost = left < sc.params.collapse_garrison
        return {"always": None, "success": f"garrison at {base} {g:.2f} -> {left:.2f}"
                + (f"; the garrison collapses and {base} passes to {host}" if lost else "")
                + (f"; relation with {host} {p.relation:+.2f}" if int(w.base_host[b]) != a else ""), "failure": None}
    if kind == "strike":
        b, r = row["base"], row["region"]
        always = f"relation with {T} {p.relation:+.2f}, fighting with {T} +{p.fighting:.2f}"
        if b >= 0:
            base = _name(sc, w, "base", b)
            left = max(float(w.base_garrison[b]) - p.amount, 0.0)
            success = f"{T}'s garrison at {base} -{p.amount:.2f}" + (
                "; it collapses and the base is evacuated" if left < sc.params.collapse_garrison else "")
        else:
            region = _name(sc, w, "region", r)
            success = f"{T} loses {p.amount:.0%} of its control of {region} to you"
        return {"always": always, "success": success, "failure": "little damage"}
    if kind == "seize":
        b = row["base"]
        base = _name(sc, w, "base", b)
        fought = f"relation with {T} {p.relation:+.2f}, fighting with {T} +{p.fighting:.2f}" if T else None
        return {"always": fought, "success": f"you hold {base} (garrison {p.amount:.2f}"
                + (", contested)" if T else ")"),
                "failure": f"{T}'s garrison -{p.amount / 3:.2f} and {base} contested" if T else "nothing changes"}
    if kind == "attack":
        r = row["region"]
        region = _name(sc, w, "region", r)
        if in_ceasefire(w, a, row["target"]):
            return {"always": f"nothing: a ceasefire with {T} freezes the lines", "success": "", "failure": None}
        cost = p.relation - p.betrayal * max(float(w.rel[a, row["target"]]), 0.0)
        taken = p.amount * float(w.control[r, row["target"]])
        return {"always": f"relation with {T} {cost:+.2f}, fighting with {T} +{p.fighting:.2f} (both sides lose "
                          f"strength to attrition)",
                "success": f"you take {taken:.2f} of {region} from {T}",
                "failure": f"{T} holds its ground in {region}"}
    if kind == "consolidate":
        src, into = _name(sc, w, "base", row["base"]), _name(sc, w, "base", row["into"])
        return {"always": None, "success": f"you leave {src}; its troops go to {into} (what does not fit there "
                                           f"goes home)", "failure": None}
    return {"always": None, "success": "", "failure": None}


def goal_label(sc: Scenario, name: str, g: Goal) -> str:
    """A goal as a player reads it: 'Hold Tartus naval facility', 'Relation with United States near +0.70'."""
    if g.kind == "hold_base":
        return f"Hold {sc.bases[str(g.base)].name}"
    if g.kind == "deny_base":
        return f"Keep {sc.bases[str(g.base)].name} from {sc.actors[str(g.actor)].name}"
    if g.kind == "relation":
        side = {"at_least": "at least", "at_most": "at most", "near": "near"}[relation_direction(g)]
        return f"Relation with {sc.actors[str(g.actor)].name} {side} {g.target or 0:+.2f}"
    if g.kind == "issue":
        return f"{sc.issues[str(g.issue)].name}: an outcome near your position"
    if g.kind == "influence":
        where = ", ".join(sc.regions[r].name for r in g.regions) if g.regions else "the whole country"
        return f"Control of {where}"
    if g.kind == "economy":
        return "A stronger economy"
    return "Calm: no fighting involving you"


# ------------------------------------------------------------------------------------------ orders
def order_briefs(m: WargameModel, actor: str, rules: ObjectiveRules = DEFAULT_RULES) -> list[dict[str, Any]]:
    """The actor's feasible orders as a player judges them: order, cost, gain (expected utility change, as the AI
    rates it), p (chance of success now, from the adjudication's contest), what it does always / on success / on
    failure, and `why`: the goals whose terms change most, with their share of the gain."""
    ctx = fresh_ctx(m)
    a = m.world.idx(actor)
    # the pass the AI policy scores with: the same rows, gains, expected states (for the goal terms) and chances
    scored = score_candidates(ctx, a, m.goals(), chances=True)
    assert scored.batch is not None and scored.chance is not None
    sl = scored.rows(a)
    terms = goal_terms(m, actor, scored.batch)
    labels = {n: goal_label(m.scenario, n, g) for n, g in m.scenario.actors[actor].goals.items()}
    hold = sl.start                             # hold is each actor's first row: gains are relative to it
    kinds, cost, gain, chance = scored.kind.tolist(), scored.cost.tolist(), scored.gain.tolist(), scored.chance.tolist()
    cols = {f: scored.cols[f].tolist() for f in COLUMNS}
    out: list[dict[str, Any]] = []
    for r in range(sl.start, sl.stop):
        if cost[r] <= 0:
            continue
        deltas = sorted(((n, float(v[r] - v[hold])) for n, v in terms.items()), key=lambda x: -abs(x[1]))
        why = [{"goal": n, "label": labels[n], "delta": round(d, 4)}
               for n, d in deltas[:rules.why_terms] if abs(d) > 1e-9]
        p = chance[r]
        row = {f: v[r] for f, v in cols.items()}
        out.append({"order": scored.order(ctx, r).to_dict(), "cost": int(cost[r]), "gain": round(gain[r], 4),
                    "p": round(p, 3), "certain": p >= rules.certain,
                    **outcomes(ctx, ACTION_KINDS[kinds[r]], row, certain=p >= rules.certain),
                    "why": why})
    return out


def withdraw_orders(m: WargameModel, actor: str) -> None:
    """Take back a human seat's orders for the coming turn (until the turn resolves), so it can give others."""
    if actor not in m.human:
        raise UserError(f"{actor} is not a human seat in this game")
    if actor not in m.submitted:
        raise UserError(f"{actor} has no orders to withdraw for turn {m.turn + 1}")
    del m.submitted[actor]


# ------------------------------------------------------------------------------------------ objectives
def _met(m: WargameModel, actor: str, g: Goal, rules: ObjectiveRules) -> tuple[bool, str, float]:
    """Whether a goal is met now, a short reading of where it stands, and its progress in [0, 1]."""
    w, sc = m.world, m.scenario
    a = w.idx(actor)
    if g.kind in ("hold_base", "deny_base"):
        b = w.bidx(str(g.base))
        holder = int(w.base_ctrl[b]) if w.held()[b] else -1
        who = _name(sc, w, "actor", holder)
        if g.kind == "hold_base":
            ok = holder == a
            return ok, (f"held by you, garrison {w.base_garrison[b]:.2f}" if ok else f"held by {who}"), float(ok)
        ok = holder != w.idx(str(g.actor))
        return ok, f"held by {who}", float(ok)
    if g.kind == "relation":
        now = float(w.rel[a, w.idx(str(g.actor))])
        short = (g.target or 0.0) - now                     # as the utility reads it (Goal.direction)
        side = relation_direction(g)
        gap = abs(short) if side == "near" else max(short if side == "at_least" else -short, 0.0)
        return gap <= rules.relation_tolerance, f"now {now:+.2f}", max(0.0, 1.0 - gap / 2)
    if g.kind == "issue":
        k = w.kidx(str(g.issue))
        span = float(w.scale[k, 1] - w.scale[k, 0])
        gap = abs(float(w.forecast[k]) - float(w.ideal[k, a])) / span
        return (gap <= rules.issue_tolerance,
                f"forecast {w.forecast[k]:.0f}, your position {w.ideal[k, a]:.0f}", max(0.0, 1.0 - gap))
    if g.kind == "influence":
        ids = [w.ridx(r) for r in g.regions] if g.regions else list(range(len(w.regions)))
        pop = w.population[ids]
        share = float((w.control[ids, a] * pop).sum() / max(pop.sum(), 1e-9))
        return share >= rules.influence_share, f"{share:.0%} of the population-weighted control", share
    if g.kind == "economy":
        start = sc.actors[actor].capabilities.economic
        now = float(w.cap[a, 1])
        return now >= start, f"economic capability {now:.1f} (start {start:.1f})", min(1.0, now / max(start, 1e-9))
    own = float(w.fighting[a].sum())
    measure = min(own + 0.5 * (float(w.fighting.sum()) / 2 - own), 1.0)
    return measure <= rules.stability_fighting, f"fighting measure {measure:.2f}", 1.0 - measure


def objectives(m: WargameModel, actor: str, start_utility: float | None = None,
               rules: ObjectiveRules = DEFAULT_RULES) -> dict[str, Any]:
    """The actor's goals as objectives (label, weight, met, a reading, progress 0-1, utility term now), how many
    are met, its utility now and, given its utility at the start, its score (SCORE_DOC)."""
    w, sc = m.world, m.scenario
    terms = goal_terms(m, actor, Batch.of(w, w.idx(actor)))
    goals = []
    for name, g in sc.actors[actor].goals.items():
        met, reading, progress = _met(m, actor, g, rules)
        goals.append({"name": name, "kind": g.kind, "label": goal_label(sc, name, g),
                      "weight": round(float(w.goal_weight[actor][name]), 4), "met": bool(met), "reading": reading,
                      "progress": round(min(max(progress, 0.0), 1.0), 3), "term": round(float(terms[name][0]), 4)})
    now = float(sum(t[0] for t in terms.values()))
    out: dict[str, Any] = {"actor": actor, "name": sc.actors[actor].name, "utility": round(now, 4),
                           "met": sum(g["met"] for g in goals), "total": len(goals), "goals": goals}
    if start_utility is not None:
        out["score"] = score(now, start_utility, total_weight(sc, actor))
    out["victory"] = victory_brief(m, actor)
    return out


def victory_brief(m: WargameModel, actor: str) -> dict[str, Any] | None:
    """The actor's victory conditions and where each stands (model.sim.victory): met, total, won (true/false, null
    while open) and the conditions; None when the scenario gives the actor none."""
    return m.victory.of_actor(actor, m.done, m.date)


def total_weight(sc: Scenario, actor: str) -> float:
    """The actor's goal weights at the start, summed (the score's unit)."""
    return float(sum(g.weight for g in sc.actors[actor].goals.values()))


def score(now: float, start: float, weight: float) -> float:
    """SCORE_DOC: utility gained since the start, in percent of the total goal weight."""
    return round(100.0 * (now - start) / max(weight, 1e-9), 1)


def rules_doc(rules: ObjectiveRules = DEFAULT_RULES) -> dict[str, Any]:
    """The rules and the score's definition, for a page's help."""
    return {**asdict(rules), "score": SCORE_DOC}
