"""Futures from here: N continuations of a game from its current month, each M months on, summarised as fan charts,
the odds of each base's controller, expected control shares and the odds of bloc changes; and the comparison of
two order sets for one seat on paired seeds (`compare_moves`).

    from model import WargameModel, run_futures
    m = WargameModel.from_export(data, turn=6)          # or any live model, human seats and all
    futures = run_futures(m, n=200, months=12, workers=2)
    futures.summary()["bases"]["tartus"]["p"]           # {"RUS": 0.61, "SYR": 0.39}

From any state. The model is copied once (`snapshot`, pickled once per job and shipped once to each worker, not
once per run) and never changed. Human seats are played by their actor's AI policy in the futures (the result's
`ai_seats` and `note` say so): a seat that has submitted orders for the coming month keeps them for that month,
and `orders` (with `seat`) makes a seat give the given orders in the coming month, checked as a submission is.
Futures may run past the game's last month: the mechanics do not depend on it.

Seeds. Future i of a model at month t plays on the stream

    numpy.random.SeedSequence(entropy, spawn_key=key + (FUTURES_TAG, t, orders_key, i))

where (entropy, key) is the model's stream identity (its seed and (), or a fork's: model.sim.fork), and orders_key
is 0 without orders, else the first 64 bits of the SHA-256 of the canonical JSON [seat, orders]. So the same game,
month, N, M and orders give the same futures, on any number of workers, locally or on Dask (each run depends on
the snapshot and its seed alone; results are put in run order). A larger N keeps the first futures; a longer M
keeps the first months. `compare_moves` plays both order sets on the seeds of orders_key 0 (paired seeds).

Limits: N and M default to model.config.limits.DEFAULT_FUTURES (200) and DEFAULT_FUTURE_MONTHS (12), capped by
MAX_FUTURES, MAX_FUTURE_MONTHS and MAX_FUTURE_TURNS (N x M); a bad value is one UserError naming the field.

Statistics: fans are the PERCENTILES (5, 25, 50, 75, 95: numpy's linear interpolation) and the mean over futures at
each month (month 0 is the state the futures start from); probabilities come with Wilson 95% intervals; compared
outcomes are per-future differences on paired seeds: binary outcomes with Newcombe's paired interval (method 10),
numbers with the paired t interval (model.experiments.stats).
"""
from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import pickle
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from model.config import limits
from model.config.errors import UserError
from model.config.vocabulary import INDICATORS
from model.sim.fork import play_by_ai, reseed, scenario_memo, scenario_parts, set_orders, stream_of

FUTURES_TAG = 0x66757475     # "futu" in ASCII: the spawn-key word of the futures' seeds (forks use another)
PERCENTILES = (5, 25, 50, 75, 95)
HEADLINE = [k for k in INDICATORS if k not in ("turn", "date")]
DEFAULT_RELATIONS = (("syria", "russia"), ("syria", "usa"), ("russia", "usa"), ("syria", "kurds"),
                     ("syria", "turkey"))   # pairs of headline roles drawn when no relations are chosen
CHUNKS_PER_WORKER = 8        # chunks per worker: short chunks keep progress smooth and cancellation quick
MAX_CHUNK = 25               # futures per chunk at most
SHARE_SHOWN = 1e-4           # control shares below this are left out of the summary
NOTE = ("In these futures the human seats ({seats}) are played by their actor's AI policy (orders submitted for "
        "the coming month stand for that month).")


class FuturesCancelled(Exception):
    """Raised by run_futures / compare_moves when `cancel` is set; the work not yet done is dropped."""


# ------------------------------------------------------------------------------------------------- the plan
# ------------------------------------------------------------------------------------------- the snapshot
# A snapshot is pickled in two parts: the scenario (thousands of small pydantic objects, most of the cost of
# unpickling a model) and the rest, which refers to the scenario's objects by their place in it (pickle's
# persistent ids). A worker unpickles the scenario once per job and the rest once per future; the futures share the
# one scenario, as forks do (the game never changes its scenario).
_SCENARIO_CACHE: dict[bytes, tuple[Any, list[Any]]] = {}
SCENARIO_CACHE_SIZE = 4     # scenarios a worker keeps unpickled (a job ships one or two)


class _SnapshotPickler(pickle.Pickler):
    def __init__(self, file: Any, index: dict[int, int]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._index = index

    def persistent_id(self, obj: Any) -> int | None:
        return self._index.get(id(obj))


class _SnapshotUnpickler(pickle.Unpickler):
    def __init__(self, file: Any, parts: list[Any]) -> None:
        super().__init__(file)
        self._parts = parts

    def persistent_load(self, pid: Any) -> Any:
        return self._parts[pid]


def pack(snap: Any) -> tuple[bytes, bytes]:
    """(scenario, rest) of a snapshot as two pickles (see above)."""
    import io

    parts = scenario_parts(snap.scenario)
    buf = io.BytesIO()
    _SnapshotPickler(buf, {id(p): i for i, p in enumerate(parts)}).dump(snap)
    return pickle.dumps(snap.scenario, protocol=pickle.HIGHEST_PROTOCOL), buf.getvalue()


def unpack(packed: tuple[bytes, bytes]) -> Any:
    """A new model from a packed snapshot; the scenario is unpickled once per process and shared."""
    import io

    scenario_blob, rest = packed
    key = hashlib.sha256(scenario_blob).digest()
    cached = _SCENARIO_CACHE.get(key)
    if cached is None:
        sc = pickle.loads(scenario_blob)
        cached = _SCENARIO_CACHE[key] = (sc, scenario_parts(sc))
        while len(_SCENARIO_CACHE) > SCENARIO_CACHE_SIZE:
            _SCENARIO_CACHE.pop(next(iter(_SCENARIO_CACHE)))
    return _SnapshotUnpickler(io.BytesIO(rest), cached[1]).load()


@dataclass
class Plan:
    """One set of futures ready to ship: the packed snapshot and every future's seed."""
    blob: tuple[bytes, bytes]
    n: int
    months: int
    turn: int
    dates: list[str]
    seeds: list[tuple[int, tuple[int, ...]]]        # (entropy, spawn key) of every future
    columns: list[str]                              # numeric columns drawn as fans
    keep: list[str]                                 # more columns kept for every month (e.g. a question's)
    actors: list[str]
    bases: list[str]
    regions: list[str]
    start: dict[str, Any]                           # the record the futures start from (month 0)
    ai_seats: list[str]
    seat: str | None
    orders: list[dict] | None
    orders_key: int


def orders_key(seat: str | None, orders: list[dict] | None) -> int:
    """0 without orders, else the first 64 bits of SHA-256 of the canonical JSON [seat, orders]."""
    if orders is None:
        return 0
    text = json.dumps([seat, orders], sort_keys=True, separators=(",", ":"))
    return int(hashlib.sha256(text.encode()).hexdigest()[:16], 16)


def default_relations(scenario: Any) -> list[str]:
    """The relation columns drawn when none are chosen: the pairs of DEFAULT_RELATIONS' roles that the scenario
    fills, each as relation.A.B in the scenario's actor order (from the scenario alone: a page asks before any
    model is built)."""
    actors = list(scenario.actors)
    roles = {r: actors.index(a) for r, a in scenario.roles.resolved(actors).items()}
    pairs = [(roles[a], roles[b]) for a, b in DEFAULT_RELATIONS if a in roles and b in roles]
    return list(dict.fromkeys(f"relation.{actors[min(i, j)]}.{actors[max(i, j)]}" for i, j in pairs if i != j))


def relation_columns(model: Any, relations: Sequence[str] | None) -> list[str]:
    """Relation column names (scenario order) for 'A.B' or 'relation.A.B' in either order; None: the
    default_relations of the model's scenario."""
    w = model.world
    if relations is None:
        return default_relations(model.scenario)
    if not isinstance(relations, (list, tuple)):
        raise UserError("expected a list of actor pairs such as 'RUS.SYR'", field="relations")
    limits.check_count("relations", len(relations), field="relations", low=0)
    out = []
    for n, r in enumerate(relations):
        parts = r.split(".") if isinstance(r, str) else []
        if len(parts) == 3 and parts[0] == "relation":
            parts = parts[1:]
        if len(parts) != 2 or any(p not in w.actors for p in parts) or parts[0] == parts[1]:
            raise UserError(f"expected two different actor ids as 'A.B' ({', '.join(w.actors)}), got {r!r}",
                            field=f"relations.{n}")
        i, j = sorted(w.actors.index(p) for p in parts)
        name = f"relation.{w.actors[i]}.{w.actors[j]}"
        if name not in out:
            out.append(name)
    return out


def check_size(n: Any, months: Any) -> tuple[int, int]:
    """N and M within their caps (model.config.limits), else one UserError naming `n` or `months`."""
    n = limits.check_count("futures", n, field="n")
    months = limits.check_count("future_months", months, field="months")
    if n * months > limits.MAX_FUTURE_TURNS:
        raise limits.too_many(limits.LIMITS["future_turns"][1], n * months, limits.MAX_FUTURE_TURNS, field="n",
                              hint=" (use fewer futures or months)")
    return n, months


def snapshot(model: Any, months: int, seat: str | None = None, orders: Any = None, *,
             orders_field: str = "orders") -> tuple[Any, list[str], str | None, list[dict] | None]:
    """The state the futures start from: a copy of the model with the human seats handed to the AI (those with
    submitted orders after the coming month), `orders` set for `seat`, room for `months` more months, and the past
    records and events dropped (the futures need only the last record). Returns (copy, the human seats, the seat
    whose orders are set, those orders as played)."""
    snap = copy.deepcopy(model, memo=scenario_memo(model.scenario))
    snap.max_turns = max(snap.max_turns, snap.turn + months)
    ai_seats = list(snap.human)
    canonical = None
    if orders is not None:
        if seat is None:
            if len(snap.human) != 1:
                raise UserError("name the seat whose orders these are", field="seat")
            seat = snap.human[0]
        canonical = set_orders(snap, seat, orders, field=orders_field)
    play_by_ai(snap, keep_submitted=True)
    for column in snap.datacollector.model_vars.values():
        del column[:-1]
    steps = getattr(snap.datacollector, "_collection_steps", None)
    if isinstance(steps, list):
        del steps[:-1]
    story = getattr(snap, "story", None)          # the event log (model.sim.story): its past is not needed
    if story is not None and isinstance(getattr(story, "events", None), list):
        story.events = []
    snap._turn_events, snap.orders_log = [], []
    return snap, ai_seats, seat, canonical


def prepare(model: Any, n: int = limits.DEFAULT_FUTURES, months: int = limits.DEFAULT_FUTURE_MONTHS, *,
            seat: str | None = None, orders: Any = None, relations: Sequence[str] | None = None,
            keep: Sequence[str] = (), paired: bool = False, orders_field: str = "orders") -> Plan:
    """Check the request and build its Plan (the snapshot pickled once). paired=True: the seeds of orders_key 0
    whatever the orders (compare_moves)."""
    n, months = check_size(n, months)
    if seat is not None and seat not in model.scenario.actors:
        raise UserError(f"unknown actor {seat!r}; expected one of {', '.join(model.scenario.actors)}", field="seat")
    columns = HEADLINE + relation_columns(model, relations)
    snap, ai_seats, seat, canonical = snapshot(model, months, seat, orders, orders_field=orders_field)
    okey = 0 if paired else orders_key(seat, canonical)
    entropy, key = stream_of(model)
    base = (*key, FUTURES_TAG, int(model.turn), okey)
    seeds = [(entropy, (*base, i)) for i in range(n)]     # SeedSequence(entropy, spawn_key=base).spawn(n)
    w = model.world
    start = model.datacollector.latest()
    return Plan(blob=pack(snap), n=n, months=months, turn=int(model.turn),
                dates=[model.date(model.turn + t) for t in range(months + 1)], seeds=seeds, columns=columns,
                keep=[k for k in dict.fromkeys(keep) if k not in columns], actors=list(w.actors),
                bases=list(w.bases), regions=list(w.regions), start=start, ai_seats=ai_seats, seat=seat,
                orders=canonical, orders_key=okey)


plan_futures = prepare      # the public name (model.plan_futures): a request checked and planned, not yet run


# --------------------------------------------------------------------------------------------- the work
def run_chunk(task: dict[str, Any], blob: tuple[bytes, bytes]) -> dict[str, Any]:
    """Play a chunk of futures from the packed snapshot; keep the fan columns, the horizon's controllers and
    shares, the blocs of every month and the kept columns. Runs in a worker (or this process)."""
    from model.experiments.chunks import fewer_collections
    from model.experiments.executors import one_blas_thread

    one_blas_thread()
    t0 = time.perf_counter()
    months, columns, keep = task["months"], task["columns"], task["keep"]
    actors, bases, regions = task["actors"], task["bases"], task["regions"]
    index = {a: i for i, a in enumerate(actors)}
    k = len(task["seeds"])
    series = np.empty((k, months + 1, len(columns)))
    controllers = np.empty((k, len(bases)), dtype=np.int16)
    shares = np.empty((k, len(regions), len(actors)))
    blocs = np.empty((k, months + 1, len(actors)), dtype=np.int8)
    kept: dict[str, list[list[Any]]] = {c: [] for c in keep}
    base_cols = [f"base.{b}.controller" for b in bases]
    share_cols = [f"region.{r}.{a}" for r in regions for a in actors]
    bloc_cols = [f"bloc.{a}" for a in actors]
    with fewer_collections():            # as a batch's chunks are played (model.experiments.chunks)
        for r, (entropy, key) in enumerate(task["seeds"]):
            m = unpack(blob)
            reseed(m, np.random.SeedSequence(entropy, spawn_key=key))
            m.step()
            if m.human:
                play_by_ai(m)
            m.run(months - 1)
            cols = m.datacollector.model_vars
            series[r] = np.array([cols[c] for c in columns], dtype=float).T
            controllers[r] = [index.get(cols[c][-1], -1) for c in base_cols]
            shares[r] = np.array([cols[c][-1] for c in share_cols]).reshape(len(regions), len(actors))
            blocs[r] = np.array([cols[c] for c in bloc_cols]).T
            for c in keep:
                kept[c].append(list(cols[c]))
            m.release()                      # freed now by reference counting, not by the cyclic collector
    return {"arm": task["arm"], "start": task["start"], "series": series, "controllers": controllers,
            "shares": shares, "blocs": blocs, "kept": kept, "seconds": time.perf_counter() - t0, "pid": os.getpid()}


@dataclass
class Futures:
    """The futures of one Plan: per-future arrays (in run order) and their summaries."""
    plan: Plan
    series: np.ndarray          # (n, months + 1, columns)
    controllers: np.ndarray     # (n, bases): actor index at the horizon, -1 for none
    shares: np.ndarray          # (n, regions, actors) at the horizon
    blocs: np.ndarray           # (n, months + 1, actors)
    kept: dict[str, list[list[Any]]] = field(default_factory=dict)   # column -> per future, every month's value
    seconds: float = 0.0
    pids: set[int] = field(default_factory=set)     # processes that played these futures

    @property
    def n(self) -> int:
        return self.plan.n

    def column(self, name: str) -> np.ndarray:
        """(n, months + 1) values of a fan column."""
        return self.series[:, :, self.plan.columns.index(name)]

    def fan(self, name: str) -> dict[str, list[float]]:
        """p5, p25, p50, p75, p95 and the mean of a column at every month (month 0 = the start)."""
        values = self.column(name)
        qs = np.percentile(values, PERCENTILES, axis=0)
        out = {f"p{p}": q.tolist() for p, q in zip(PERCENTILES, qs, strict=True)}
        out["mean"] = values.mean(axis=0).tolist()
        return out

    def controller_is(self, base: str, actor: str) -> np.ndarray:
        """(n,) bool: `actor` ("none" for nobody) holds `base` at the horizon."""
        want = -1 if actor == "none" else self.plan.actors.index(actor)
        return self.controllers[:, self.plan.bases.index(base)] == want

    def bloc_changed(self) -> np.ndarray:
        """(n, actors) bool: the actor is on another side than at the start in some month of the future."""
        return (self.blocs != self.blocs[:, :1, :]).any(axis=1)

    def summary(self) -> dict[str, Any]:
        """Everything a page draws, JSON-ready (see docs/futures.md)."""
        from model.experiments.stats import wilson

        p, n = self.plan, self.n
        start = p.start
        bases = {}
        for j, b in enumerate(p.bases):
            counts = np.bincount(self.controllers[:, j] + 1, minlength=len(p.actors) + 1)
            odds = {}
            for i in np.argsort(-counts, kind="stable").tolist():
                if counts[i]:
                    lo, hi = wilson(int(counts[i]), n)
                    odds["none" if i == 0 else p.actors[i - 1]] = {"p": float(counts[i] / n), "low": lo, "high": hi}
            bases[b] = {"start": start[f"base.{b}.controller"],
                        "p": {a: v["p"] for a, v in odds.items()}, "intervals": odds}
        expected = self.shares.mean(axis=0)
        regions = {r: {"start": {a: start[f"region.{r}.{a}"] for a in p.actors
                                 if start[f"region.{r}.{a}"] >= SHARE_SHOWN},
                       "expected": {a: float(expected[j, i]) for i, a in enumerate(p.actors)
                                    if expected[j, i] >= SHARE_SHOWN}}
                   for j, r in enumerate(p.regions)}
        changed = self.bloc_changed()
        other = self.blocs[:, -1, :] != self.blocs[:, 0, :]
        blocs = {}
        for i, a in enumerate(p.actors):
            k = int(changed[:, i].sum())
            lo, hi = wilson(k, n)
            blocs[a] = {"start": int(self.blocs[0, 0, i]), "p_change": k / n, "low": lo, "high": hi,
                        "p_other_side_at_horizon": float(other[:, i].mean())}
        return {
            "from": {"turn": p.turn, "date": p.dates[0]}, "n": n, "months": p.months, "dates": p.dates,
            "seat": p.seat, "orders": p.orders, "ai_seats": p.ai_seats,
            "note": NOTE.format(seats=", ".join(p.ai_seats)) if p.ai_seats else "",
            "percentiles": list(PERCENTILES),
            "fans": {c: self.fan(c) for c in p.columns},
            "bases": bases, "regions": regions, "blocs": blocs,
            "seeds": {"entropy": p.seeds[0][0] if p.seeds else None,
                      "spawn_key": list(p.seeds[0][1][:-1]) if p.seeds else [],
                      "orders_key": p.orders_key,
                      "scheme": "future i: SeedSequence(entropy, spawn_key=spawn_key + (i,)); spawn_key = the "
                                "game's stream key + (FUTURES_TAG, month, orders_key)"},
            "seconds": round(self.seconds, 3),
        }

    def outcomes(self) -> dict[str, tuple[bool, np.ndarray, str]]:
        """Per-future outcomes at the horizon for comparisons: name -> (binary, values (n,), description)."""
        p = self.plan
        out: dict[str, tuple[bool, np.ndarray, str]] = {}
        for j, c in enumerate(p.columns):
            out[c] = (False, self.series[:, -1, j], f"{c} in {p.dates[-1]}")
        for b in p.bases:
            held = set(self.controllers[:, p.bases.index(b)].tolist())
            for i in sorted(held):
                a = "none" if i < 0 else p.actors[i]
                out[f"base.{b}.controller=={a}"] = (True, self.controller_is(b, a),
                                                    f"{a} holds {b} in {p.dates[-1]}")
        for j, r in enumerate(p.regions):
            for i, a in enumerate(p.actors):
                if self.shares[:, j, i].mean() >= SHARE_SHOWN:
                    out[f"region.{r}.{a}"] = (False, self.shares[:, j, i], f"{a}'s share of {r} in {p.dates[-1]}")
        changed = self.bloc_changed()
        for i, a in enumerate(p.actors):
            out[f"bloc.{a}.changed"] = (True, changed[:, i], f"{a} changes side by {p.dates[-1]}")
        return out


# ---------------------------------------------------------------------------------------------- running
def _cancelled(cancel: Any) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    if hasattr(cancel, "is_set"):
        return cancel.is_set
    return cancel


def run_plans(plans: Sequence[Plan], *, workers: int = 1, pool: Any = None, engine: str = "local",
              scheduler: str | None = None, dask_processes: bool = True, parent_works: bool | None = None,
              chunk_size: int | None = None, on_progress: Callable[[dict], None] | None = None,
              cancel: Any = None) -> list[Futures]:
    """Run every plan's futures as one job on the executor interface (model.experiments.executors): each plan's
    snapshot is shipped once per worker; results go back into run order, so any engine and any number of workers
    give the same arrays.

    workers: local processes counting this one (the batch engine's rule: in-process while that is quick enough);
    pool: a kept, warm model.experiments.executors.LocalWorkers (the server's), with parent_works saying whether
    this process runs futures too; engine="dask" (scheduler=None: a local cluster of `workers`). on_progress gets
    {state, done, total, elapsed} at the start, after each chunk and at the end; cancel (a threading.Event or a
    callable) is checked between chunks and raises FuturesCancelled."""
    from model.experiments.executors import execute

    if engine not in ("local", "dask"):
        raise UserError(f"unknown engine {engine!r}; expected local or dask", field="engine")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise UserError(f"must be at least 1, got {workers!r}", field="workers")
    stop = _cancelled(cancel)
    total = sum(p.n for p in plans)
    slots = (pool.processes + 1) if pool is not None else workers
    size = chunk_size or max(1, min(MAX_CHUNK, math.ceil(total / (slots * CHUNKS_PER_WORKER))))
    tasks = []
    for a, p in enumerate(plans):
        for s in range(0, p.n, size):
            tasks.append({"arm": str(a), "start": s, "seeds": p.seeds[s:s + size], "months": p.months,
                          "columns": p.columns, "keep": p.keep, "actors": p.actors, "bases": p.bases,
                          "regions": p.regions})
    out = [Futures(p, np.empty((p.n, p.months + 1, len(p.columns))), np.empty((p.n, len(p.bases)), dtype=np.int16),
                   np.empty((p.n, len(p.regions), len(p.actors))), np.empty((p.n, p.months + 1, len(p.actors)),
                                                                             dtype=np.int8),
                   {c: [[] for _ in range(p.n)] for c in p.keep}) for p in plans]
    t0 = time.perf_counter()
    done = [0]

    def report(state: str) -> None:
        if on_progress is not None:
            on_progress({"state": state, "done": done[0], "total": total,
                         "elapsed": round(time.perf_counter() - t0, 3)})

    def finished(result: dict) -> None:
        f = out[int(result["arm"])]
        s = result["start"]
        e = s + len(result["series"])
        f.series[s:e], f.controllers[s:e], f.shares[s:e], f.blocs[s:e] = (
            result["series"], result["controllers"], result["shares"], result["blocs"])
        for c, values in result["kept"].items():
            f.kept[c][s:e] = values
        f.seconds += result["seconds"]
        f.pids.add(result["pid"])
        done[0] += e - s
        report("running")
        if stop():
            raise FuturesCancelled("the futures were cancelled")

    if stop():
        raise FuturesCancelled("the futures were cancelled")
    report("running")
    execute(tasks, {str(a): p.blob for a, p in enumerate(plans)}, finished, engine=engine, workers=workers,
            scheduler=scheduler, dask_processes=dask_processes, pool=pool, fn=run_chunk, parent_works=parent_works)
    wall = time.perf_counter() - t0
    for f in out:
        f.seconds = wall
    report("done")
    return out


def run_futures(model: Any, n: int = limits.DEFAULT_FUTURES, months: int = limits.DEFAULT_FUTURE_MONTHS, *,
                seat: str | None = None, orders: Any = None, relations: Sequence[str] | None = None,
                keep: Sequence[str] = (), **execution: Any) -> Futures:
    """N futures of M months from the model's current month (module docstring); `execution`: see run_plans.

    seat/orders: the orders a seat gives in the coming month (a list of order mappings, checked as a submission;
    seat defaults to the only human seat); relations: 'A.B' pairs to draw as fans beside the headline indicators
    (default DEFAULT_RELATIONS); keep: more indicator columns to keep for every month of every future."""
    plan = prepare(model, n, months, seat=seat, orders=orders, relations=relations, keep=keep)
    return run_plans([plan], **execution)[0]


# --------------------------------------------------------------------------------------------- two moves
def outcome_values(futures: Futures, name: str) -> tuple[bool, np.ndarray]:
    """(binary, per-future values) of a compared outcome by name (see Futures.outcomes), in either arm."""
    p = futures.plan
    if name in p.columns:
        return False, futures.series[:, -1, p.columns.index(name)]
    parts = name.split(".")
    if name.startswith("base.") and "==" in name:
        base, actor = name[len("base."):].split(".controller==")
        return True, futures.controller_is(base, actor)
    if parts[0] == "region" and len(parts) == 3:
        return False, futures.shares[:, p.regions.index(parts[1]), p.actors.index(parts[2])]
    if parts[0] == "bloc" and parts[-1] == "changed":
        return True, futures.bloc_changed()[:, p.actors.index(parts[1])]
    raise KeyError(name)


def compare_moves(model: Any, seat: str, orders_a: Any, orders_b: Any, n: int = limits.DEFAULT_FUTURES,
                  months: int = limits.DEFAULT_FUTURE_MONTHS, *, relations: Sequence[str] | None = None,
                  **execution: Any) -> dict[str, Any]:
    """Two order sets for `seat` in the coming month, each followed by N futures of M months on the same seeds
    (future i of A and future i of B share their seed), as one job. Per outcome at the horizon: its value under A
    and under B and the paired difference A - B with a 95% interval (Newcombe's paired interval for probabilities,
    the paired t interval for numbers: model.experiments.stats.paired_difference). A bad order set is one UserError
    naming `orders_a.<n>...` or `orders_b.<n>...`; `execution`: see run_plans.

    Returns {seat, n, months, dates, note, a: {orders, summary}, b: {...}, outcomes: [{name, description, binary,
    a, b, difference, low, high, method, n, same}]} (same: every future has the same value under A and B); outcomes
    are the fan columns, every base's possible controllers, the control shares that are not negligible in either
    arm, and every actor's bloc change."""
    plans = plan_moves(model, seat, orders_a, orders_b, n, months, relations=relations)
    return moves_result(plans, run_plans(plans, **execution))


def plan_moves(model: Any, seat: str, orders_a: Any, orders_b: Any, n: int = limits.DEFAULT_FUTURES,
               months: int = limits.DEFAULT_FUTURE_MONTHS, *, relations: Sequence[str] | None = None) -> list[Plan]:
    """The checks and the two Plans of compare_moves (A, then B, on paired seeds), without running them: a server
    checks a request on its request thread and runs the plans in the background (moves_result then)."""
    if not isinstance(seat, str) or seat not in model.scenario.actors:
        raise UserError(f"unknown actor {seat!r}; expected one of {', '.join(model.scenario.actors)}", field="seat")
    n, months = check_size(n, months)
    if 2 * n * months > limits.MAX_FUTURE_TURNS:
        raise limits.too_many(limits.LIMITS["future_turns"][1], 2 * n * months, limits.MAX_FUTURE_TURNS, field="n",
                              hint=" (both order sets count)")
    return [prepare(model, n, months, seat=seat, orders=orders, relations=relations, paired=True,
                    orders_field=f"orders_{arm}") for arm, orders in (("a", orders_a), ("b", orders_b))]


def moves_result(plans: Sequence[Plan], futures: Sequence[Futures]) -> dict[str, Any]:
    """compare_moves' answer from the two Plans of plan_moves and their Futures (see compare_moves)."""
    from model.experiments.stats import paired_difference

    fa, fb = futures
    seat, n, months = plans[0].seat, plans[0].n, plans[0].months
    names = list(dict.fromkeys([*fa.outcomes(), *fb.outcomes()]))
    descriptions = {**fb.outcomes(), **fa.outcomes()}
    rows = []
    for name in names:
        binary, a = outcome_values(fa, name)
        _, b = outcome_values(fb, name)
        rows.append({"name": name, "description": descriptions[name][2], "binary": binary,
                     **paired_difference(a, b, binary=binary), "same": bool(np.array_equal(a, b))})
    sa, sb = fa.summary(), fb.summary()
    return {"seat": seat, "n": n, "months": months, "dates": sa["dates"], "note": sa["note"],
            "paired": "future i of A and of B share one seed (orders_key 0: the seeds of the plain futures)",
            "a": {"orders": plans[0].orders, "summary": sa}, "b": {"orders": plans[1].orders, "summary": sb},
            "outcomes": rows, "seconds": round(fa.seconds, 3)}
