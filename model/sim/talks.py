"""The talks: one damped round of Bueno de Mesquita's bargaining model per live issue and month, with the status quo
at the table, a documented forecast statistic, one-shot thresholds and the big moves told in the story.

Per month and live issue k (docs/model.md has the equations and where every default comes from):
1. the status quo q_k is read from the world (the share of the listed bases the holder still holds, the state's
   share of the listed governorates, the sanctions in force, or a fixed position) and sits at the table as a
   pseudo-actor with capability C = sum_i c_i and salience s_q = w/(1 - w) sum_i c_i s_ik / C, so that it casts the
   share w (status_quo.weight) of the weighted votes; it makes and receives offers like any actor but never moves
   of its own accord (its position is the facts, set again next month);
2. one round of model.theory.bargaining on the table gives each actor i the position y_i of the offer it accepts
   (from sender j, of kind confrontation / compromise / capitulation); the actor moves only the damped share
   lambda_k = 1 - 0.5^(1 / half_life_k) of the way: x_i <- x_i + lambda_k (y_i - x_i);
3. the forecast is the issue's statistic (median voter, BDM's own prediction, or the weighted mean) of the new
   positions and the status quo; a threshold fires when the forecast crosses its value while it is armed, and is
   then disarmed until its `rearm` condition holds or the forecast has gone back past the value by `hysteresis`
   (neither: it fires once per game); a threshold that `closes` settles the issue;
4. each actor's talks move, accumulated since it was last told, is told once it reaches talks.tell_move points
   (on a 0-100 rescaling of the scale), with the offer's sender and kind.
An issue whose `closes_when` condition holds at the start of a month (or whose closing threshold fired) is closed
for good: no more rounds, demands or concessions on it (model.sim.actions), and its forecast stays where it was.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from model.config.conditions import evaluate
from model.config.scenario import Scenario, Threshold
from model.sim.effects import apply_effect
from model.sim.story import ev
from model.sim.world import IS_HELD, World
from model.theory import bargaining


class WargameModel(Protocol):
    """What the talks use of model.sim.model.WargameModel (not imported here: the model imports this module)."""
    world: World
    scenario: Scenario
    talks: Tables
    ctx: Any

    def _log(self, e: dict) -> None: ...

OFFER_WORDS = {bargaining.CONFRONTATION: "giving ground to {s} rather than face a showdown it expects to lose",
               bargaining.COMPROMISE: "towards a compromise with {s}",
               bargaining.CAPITULATION: "coming round towards {s}'s position"}
STATUS_QUO_NAME = "the facts on the ground"
_HELD = IS_HELD.tolist()             # status index -> held?


@dataclass(frozen=True)
class ThresholdRule:
    """One threshold, compiled: its issue's index, its key in World.disarmed and its config."""
    issue: int
    key: str
    below: bool
    value: float
    config: Threshold


@dataclass(frozen=True)
class Tables:
    """What the talks read every month, compiled once from the scenario (arrays indexed by issue; the status quo's
    terms as flat (issue, thing) pairs, so that reading it is a few gathers and sums, whatever the kinds)."""
    damping: np.ndarray          # (k,) lambda: share of the round's move made in a month
    has_sq: np.ndarray           # (k,) bool: the issue has a status quo at the table
    sq_ratio: np.ndarray         # (k,) w / (1 - w): the status quo's votes per vote of the actors
    sq_low: np.ndarray           # (k,) position at share 0 (the scale's low end)
    sq_gain: np.ndarray          # (k,) position per unit of share (high - low; sanctions: value - low)
    sq_const: np.ndarray         # (k,) share of a fixed status quo (0 for the other kinds)
    sq_nan: np.ndarray           # (k,) 0 where there is a status quo, nan where there is none
    bases: tuple[np.ndarray, ...]       # issue, base, holder, 1 / number of bases
    regions: tuple[np.ndarray, ...]     # issue, region, actor, population weight
    sanctions: tuple[np.ndarray, ...]   # issue, sanctioning power, target
    sanction_issues: np.ndarray  # (k,) bool: the status quo is of kind sanctions
    median: np.ndarray           # (k,) bool: the forecast is the median voter (else the weighted mean)
    live: np.ndarray             # (k,) bool: someone cares (sizes are > 0 and saliences never change)
    thresholds: tuple[tuple[ThresholdRule, ...], ...]   # per issue
    closes_when: tuple[tuple[int, dict], ...]          # (issue, condition) for issues that may close
    terms: tuple[list, ...]      # bases, regions, sanctions as lists of Python rows, as status_quo reads them
    layouts: dict[bytes, Layout] = field(default_factory=dict)      # the issues of a table -> its layout (a cache)
    open_tables: dict[bytes, list[Layout]] = field(default_factory=dict)   # closed flags -> the month's tables


def damping_share(half_life: float) -> float:
    """lambda = 1 - 0.5^(1 / half_life): after h months half of a standing move is made (0 months: all at once)."""
    return 1.0 if half_life <= 0 else 1.0 - 0.5 ** (1.0 / half_life)


def compile_tables(w: World, sc: Scenario) -> Tables:
    """The talks' tables of a scenario (once per game)."""
    k = len(w.issues)
    t = sc.talks
    damping, has_sq, ratio = np.ones(k), np.zeros(k, dtype=bool), np.zeros(k)
    low, gain, const = w.scale[:, 0].copy(), w.scale[:, 1] - w.scale[:, 0], np.zeros(k)
    bases: list[tuple[int, int, int, float]] = []
    regions: list[tuple[int, int, int, float]] = []
    sanctions: list[tuple[int, int, int]] = []
    sanction_issues, median = np.zeros(k, dtype=bool), np.zeros(k, dtype=bool)
    thresholds: list[tuple[ThresholdRule, ...]] = []
    closes: list[tuple[int, dict]] = []
    for j, iid in enumerate(w.issues):
        iss = sc.issues[iid]
        damping[j] = damping_share(iss.half_life if iss.half_life is not None else t.half_life)
        median[j] = iss.forecast == "median"
        q = iss.status_quo
        weight = (q.weight if q.weight is not None else t.status_quo_weight) if q is not None else 0.0
        if q is not None and weight > 0:
            has_sq[j], ratio[j] = True, weight / (1.0 - weight)
            who = w.idx(q.actor) if q.actor else 0                  # the schema requires the fields each kind uses
            if q.kind == "bases_held":
                listed = q.bases or []
                bases += [(j, w.bidx(b), who, 1.0 / len(listed)) for b in listed]
            elif q.kind == "control":
                listed = q.regions or []
                pop = sum(w.population[w.ridx(r)] for r in listed)
                regions += [(j, w.ridx(r), who, w.population[w.ridx(r)] / pop) for r in listed]
            elif q.kind == "sanctions":
                sanctions += [(j, w.idx(a), who) for a in q.by or []]
                sanction_issues[j] = True
                gain[j] = (q.value if q.value is not None else iss.scale[1]) - low[j]
            else:
                const[j] = ((q.value if q.value is not None else low[j]) - low[j]) / gain[j]
        thresholds.append(tuple(ThresholdRule(j, f"{iid}#{m}", th.when == "below", th.value, th)
                                for m, th in enumerate(iss.thresholds)))
        if iss.closes_when is not None:
            closes.append((j, iss.closes_when))

    def cols(rows: list, n: int) -> tuple[np.ndarray, ...]:
        return tuple(np.array([r[c] for r in rows], dtype=float if c == 3 else int) for c in range(n))

    return Tables(damping, has_sq, ratio, low, gain, const, np.where(has_sq, 0.0, np.nan), cols(bases, 4),
                  cols(regions, 4), cols(sanctions, 3), sanction_issues, median, w.salience.sum(axis=1) > 0,
                  tuple(thresholds), tuple(closes),
                  ([(j, b, who, float(f)) for j, b, who, f in bases], [(j, r, a, float(f)) for j, r, a, f in regions],
                   sanctions))


def status_quo(w: World, t: Tables) -> np.ndarray:
    """(k,) where each issue stands on the ground now, on its own scale (nan for issues without a status quo).

    share_k = const_k + sum of its bases' weights held + sum of its regions' control x weight + the free share of
    the sanctioning powers' economy, each sum added in the order of the terms (as np.bincount adds them): a few
    terms in Python floats, which is cheaper than a dozen numpy calls and gives the same bits."""
    k = len(t.damping)
    share = t.sq_const.tolist()
    bases, regions, sanctions = t.terms
    if bases:
        ctrl, status = w.base_ctrl.tolist(), w.base_status.tolist()
        sums = [0.0] * k
        for j, b, holder, weight in bases:
            sums[j] += weight if ctrl[b] == holder and _HELD[status[b]] else 0.0
        share = [a + b for a, b in zip(share, sums, strict=True)]
    if regions:
        sums = [0.0] * k
        control = w.control
        for j, r, actor, weight in regions:
            sums[j] += float(control[r, actor]) * weight
        share = [a + b for a, b in zip(share, sums, strict=True)]
    if sanctions:
        total, free = [0.0] * k, [0.0] * k
        cap, by = w.cap, w.sanctions
        for j, power, target in sanctions:
            econ = float(cap[power, 1])
            total[j] += econ
            free[j] += econ * (0.0 if by[power, target] else 1.0)
        share = [a + ((f / n if n > 0 else 1.0) if s else 0.0)
                 for a, f, n, s in zip(share, free, total, t.sanction_issues.tolist(), strict=True)]
    return np.array([lo + a * g + nan for lo, a, g, nan in zip(t.sq_low.tolist(), share, t.sq_gain.tolist(),
                                                              t.sq_nan.tolist(), strict=True)])


@dataclass(frozen=True)
class Layout:
    """One group of issues at one table, as the round reads it (fixed while the same issues are open; the buffers
    are refilled every month)."""
    idx: np.ndarray              # (g,) the issues
    issues: list[int]            # the same, as a list
    rows: np.ndarray             # (g, 1) the same, for gathers with seats
    seats: np.ndarray            # (m,) the actors at the table: those with salience on one of the issues
    with_sq: bool                # the status quo sits at the table (the last column)
    scale: np.ndarray            # (g, 2)
    damping: np.ndarray          # (g, 1)
    sq_ratio: np.ndarray         # (g,)
    points: np.ndarray           # (g, 1) points on a 0-100 rescaling per unit of the issue's scale
    median: np.ndarray           # (g,) bool
    median_all: bool             # every issue's statistic is the median voter
    median_any: bool             # some issue's is
    salience: np.ndarray         # (g, m) the seated actors' saliences (they never change)
    bargains: np.ndarray         # (g, m [+ 1]) 1.0 where the seat bargains: salience > 0, not the status quo
    c: np.ndarray                # (m [+ 1],) buffer: capabilities
    x: np.ndarray                # (g, m [+ 1]) buffer: positions
    s: np.ndarray                # (g, m [+ 1]) buffer: saliences (the status quo's column refilled)


def _layout(w: World, t: Tables, idx: np.ndarray, with_sq: bool) -> Layout:
    """The layout of the issues idx (cached: saliences never change, so who sits where is fixed)."""
    key = idx.tobytes()
    lay = t.layouts.get(key)
    if lay is None:
        scale = w.scale[idx]
        seats = (w.salience[idx].max(axis=0) > 0).nonzero()[0]
        sal = w.salience[idx][:, seats]
        width = seats.size + (1 if with_sq else 0)
        s = np.zeros((idx.size, width))
        s[:, :seats.size] = sal
        bargains = np.zeros_like(s)
        bargains[:, :seats.size] = sal > 0
        lay = t.layouts[key] = Layout(idx, idx.tolist(), idx[:, None], seats, with_sq, scale, t.damping[idx][:, None],
                                      t.sq_ratio[idx], (100.0 / (scale[:, 1] - scale[:, 0]))[:, None],
                                      t.median[idx], bool(t.median[idx].all()), bool(t.median[idx].any()), sal,
                                      bargains, np.zeros(width), np.zeros_like(s), s)
    return lay


def _table(w: World, lay: Layout, size: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Capabilities (m [+ 1]), positions and saliences (g, m [+ 1]) at the table of `lay`: the actors who sit there
    (an actor that cares about none of its issues is not part of these talks), then the status quo, if any, with
    capability sum(c) and the salience that gives it its share of the votes."""
    m = lay.seats.size
    c, x, s = lay.c, lay.x, lay.s
    c[:m] = size[lay.seats]
    x[:, :m] = w.position[lay.rows, lay.seats]
    if lay.with_sq:
        c[m] = total = np.add.reduce(c[:m])      # ndarray.sum's reduction, without its wrapper
        x[:, m] = w.status_quo[lay.idx]
        s[:, m] = lay.sq_ratio * (lay.salience @ c[:m]) / total
    return c, x, s


def _forecast(med: np.ndarray, c: np.ndarray, x: np.ndarray, s: np.ndarray, med_all: bool | None = None,
              med_any: bool | None = None) -> np.ndarray:
    """Each issue's statistic of the table: the median voter (where `med`) or the weighted mean (`med_all`,
    `med_any`: med.all() and med.any() when known)."""
    if med.all() if med_all is None else med_all:
        return bargaining.median_voters(c, x, s)
    wts = s * c[None, :]
    mean = np.add.reduce((wts * x), axis=1) / np.add.reduce(wts, axis=1)
    return np.where(med, bargaining.median_voters(c, x, s), mean) if (
        np.count_nonzero(med) if med_any is None else med_any) else mean


def init_talks(w: World, sc: Scenario) -> Tables:
    """The talks' arrays at the start (status quo, closed flags, untold moves, forecast by each issue's statistic)."""
    t = compile_tables(w, sc)
    k = len(w.issues)
    w.issue_closed = np.zeros(k, dtype=bool)
    w.untold = np.zeros((k, w.n))
    w.status_quo = status_quo(w, t)
    w.disarmed = set()
    sw = sc.params.size_weights
    size = w.sizes(np.array([sw.military, sw.economic, sw.diplomatic]))
    for with_sq, group in ((True, t.has_sq), (False, ~t.has_sq)):
        idx = (t.live & group).nonzero()[0]
        if idx.size:
            c, x, s = _table(w, _layout(w, t, idx, with_sq), size)
            w.forecast[idx] = _forecast(t.median[idx], c, x, s)
    return t


def close_issues(model: WargameModel, previous: Mapping[str, Any]) -> None:
    """At the start of a month: issues whose `closes_when` held on last month's record close for good."""
    w = model.world
    for k, cond in model.talks.closes_when:
        if not w.issue_closed[k] and evaluate(cond, previous):
            _close(w, k)
            iss = model.scenario.issues[w.issues[k]]
            model._log(ev("issue_closed", [], iss.closed_sentence or f"The talks on {iss.name} are over.",
                          issue=w.issues[k], forecast=float(w.forecast[k])) | {"phase": "bargaining"})


def _close(w: World, k: int) -> None:
    w.issue_closed[k] = True
    w.untold[k] = 0.0


def phase_talks(model: WargameModel, previous: Mapping[str, Any]) -> None:
    """4. One damped round per live issue, the status quo at the table; thresholds; big moves told."""
    w, sc, t = model.world, model.scenario, model.talks
    prm = sc.params
    w.status_quo = status_quo(w, t)
    for lay in _open_tables(w, t):
        c, x, s = _table(w, lay, model.ctx.size)
        new, sender, kinds = bargaining.bargain_moves(c, x, s, lay.scale, Q=prm.bargaining_q, T=prm.bargaining_t)
        # a share of the way to an accepted offer inside the scale stays inside it (no clipping needed); an actor
        # with no salience on an issue keeps its stance there (it sits at the table for the issues it cares about)
        # and the status quo (the last column) is the facts: neither bargains
        step = (new - x) * lay.damping * lay.bargains
        moved = x + step
        m = lay.seats.size
        w.position[lay.rows, lay.seats] = moved[:, :m]
        after = _forecast(lay.median, c, moved, s, lay.median_all, lay.median_any)
        _tell_moves(model, lay, moved[:, :m], step[:, :m], sender, kinds, after)
        before = w.forecast.take(lay.idx).tolist()
        w.forecast[lay.idx] = after              # (threshold effects do not read forecasts)
        disarmed = w.disarmed
        for k, old, now in zip(lay.issues, before, after.tolist(), strict=True):
            for rule in t.thresholds[k]:
                v = rule.value
                if rule.key in disarmed or ((old >= v > now) if rule.below else (old <= v < now)):
                    _threshold(model, rule, old, now, previous)


def _open_tables(w: World, t: Tables) -> list[Layout]:
    """This month's tables: the live, open issues with a status quo, then those without (cached while the same
    issues are closed)."""
    key = w.issue_closed.tobytes()
    tables = t.open_tables.get(key)
    if tables is None:
        talking = t.live & ~w.issue_closed
        tables = t.open_tables[key] = []
        for with_sq, group in ((True, t.has_sq), (False, ~t.has_sq)):
            idx = (talking & group).nonzero()[0]
            if idx.size:
                tables.append(_layout(w, t, idx, with_sq))
    return tables


def _threshold(model: WargameModel, rule: ThresholdRule, before: float, after: float,
               previous: Mapping[str, Any]) -> None:
    """Re-arm the threshold if its condition or hysteresis says so, then fire it if it is armed and crossed."""
    w, th = model.world, rule.config
    if rule.key in w.disarmed:
        back = (th.hysteresis is not None
                and (before > rule.value + th.hysteresis if rule.below else before < rule.value - th.hysteresis))
        if back or (th.rearm is not None and evaluate(th.rearm, previous)):
            w.disarmed.discard(rule.key)
        else:
            return
    crossed = (before >= rule.value > after) if rule.below else (before <= rule.value < after)
    if not crossed:
        return
    w.disarmed.add(rule.key)
    notes = [apply_effect(w, model.scenario, ef) for ef in th.effects]
    iid = w.issues[rule.issue]
    model._log(ev("issue", [], th.sentence, importance="major", issue=iid, threshold=th.name, before=before,
                  after=after, effects="; ".join(notes), closes=th.closes) | {"phase": "bargaining"})
    if th.closes:
        _close(w, rule.issue)


def _tell_moves(model: WargameModel, lay: Layout, after: np.ndarray, step: np.ndarray, sender: np.ndarray,
                kinds: np.ndarray, forecast: np.ndarray) -> None:
    """Tell each actor's talks move once it adds up to talks.tell_move points since it was last told (after, step:
    (g, seats); sender and kinds index the table's columns, the status quo's being the last)."""
    w, sc = model.world, model.scenario
    idx, seats = lay.idx, lay.seats
    untold = w.untold[lay.rows, seats] + step
    points = np.abs(untold) * lay.points
    tell = points >= max(sc.talks.tell_move, sc.story.epsilon_position)
    if np.count_nonzero(tell):
        m = seats.size
        for g, i in zip(*tell.nonzero(), strict=True):
            j = int(sender[g, i])
            who = int(seats[j]) if 0 <= j < m else -1
            _tell_move(model, int(idx[g]), int(seats[i]), float(after[g, i] - untold[g, i]), float(after[g, i]),
                       who, int(kinds[g, i, j]) if j >= 0 else 0, float(points[g, i]), float(forecast[g]))
        untold[tell] = 0.0
    w.untold[lay.rows, seats] = untold


def _tell_move(model: WargameModel, k: int, i: int, start: float, end: float, sender: int, kind: int,
               points: float, forecast: float) -> None:
    w, sc = model.world, model.scenario
    iss = sc.issues[w.issues[k]]
    mover = model.ctx.name(i)
    if sender >= 0:
        who, sender_id, actors = model.ctx.name(sender), w.actors[sender], [w.actors[i], w.actors[sender]]
    else:
        who, sender_id, actors = STATUS_QUO_NAME, "status_quo", [w.actors[i]]
    how = OFFER_WORDS[kind].format(s=who) if kind in OFFER_WORDS else "in the talks"
    offer = bargaining.KINDS.get(kind, "none")
    span = w.scale[k, 1] - w.scale[k, 0]
    sentence = (f"{mover} moved on {iss.name} from {fmt_position(start, span)} to {fmt_position(end, span)}, "
                f"{how} ({offer}).")
    major = points >= sc.talks.major_move
    model._log(ev("talks", actors, sentence, importance="major" if major else "minor", topic=w.issues[k],
                  issue=w.issues[k], sender=sender_id, offer=offer, start=start, end=end, forecast=forecast)
               | {"phase": "bargaining"})


def fmt_position(x: float, span: float) -> str:
    """A position with as many decimals as the scale needs to show a tell-sized move (0 on a 0-100 scale)."""
    digits = 0 if span >= 20 else 1 if span >= 2 else 2
    return f"{round(x, digits) + 0.0:.{digits}f}"          # + 0.0: no "-0"
