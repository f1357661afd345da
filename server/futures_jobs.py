"""Futures, two-move comparisons, after-action reviews and forecasts of the web app, run in the background (issue 11).

A request is checked and planned on its request thread, so bad input is a 400 at once; its work then runs in a
thread of its own and the request answers 202 with the job's id. That thread hands the futures to a warm pool of
worker processes the server keeps (model.LocalWorkers: started as soon as `wargame serve` listens, server.warm_futures,
else on first use), or plays a small job itself. GET /api/futures/<job> (or its SSE stream) follows the progress
and gives the result; the job's owner token (returned once, as for games) cancels it.

Bounds (app config; docs/futures.md):

| key | default | meaning |
| --- | --- | --- |
| FUTURES_MAX_RUNNING | 2 | jobs running at once in this server, all games together (more: 409) |
| (fixed) | 1 | jobs running at once for one game, and forecasts at once (more: 409) |
| FUTURES_MAX_TURNS | 50,000 | months one job may play: n x months, both order sets of a comparison, every |
|  |  | month of a review (400, naming n) |
| FUTURES_WORKERS | 2 | worker processes of the kept pool |
| FUTURES_THREAD_TURNS | 48 | a job of at most this many months plays in its own thread, without the pool |
| FUTURES_KEEP | 32 | finished jobs kept in memory (the oldest dropped first) |

The model's own caps (model.config.limits: MAX_FUTURES, MAX_FUTURE_MONTHS, ...) apply too. Jobs live in memory: a
restart forgets them, and asking again gives the same result (the same game, month, N, M and orders give the same
futures). A request identical to a finished job that is still kept answers with that job.
"""
from __future__ import annotations

import atexit
import logging
import secrets
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from model import FuturesCancelled, LocalWorkers, UserError
from server.owners import check_owner, new_owner
from server.schemas import ApiError
from server.shards import Shards, new_id

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "FUTURES_MAX_RUNNING": 2,
    "FUTURES_MAX_TURNS": 50_000,
    "FUTURES_WORKERS": 2,
    "FUTURES_THREAD_TURNS": 48,
    "FUTURES_KEEP": 32,
}
JOB_ID_BYTES = 12            # 16 url-safe characters: a job id is as hard to guess as a game's seat link
POOL_WARM_SECONDS = 120.0    # how long a job waits for the pool's workers to start before it fails
CANCEL_WAIT = 5.0           # seconds a cancel request waits for the job to stop (it stops after its current chunk)
KINDS = ("futures", "compare", "review")
RUNNING = ("queued", "running")
FINAL = ("done", "failed", "cancelled")

# work(execution, on_progress, cancel) -> the JSON-ready result; execution: keyword arguments for model.run_plans
Work = Callable[[dict[str, Any], Callable[[dict], None], threading.Event], Any]


@dataclass
class Job:
    id: str
    kind: str
    game_id: str
    turn: int                 # the game's month the job starts from
    params: dict[str, Any]    # what was asked, shown back (never a token)
    key: str                  # the request's identity: the same key gives the same result
    cost: int                 # months the job plays
    owner_hash: str
    state: str = "queued"
    progress: dict[str, Any] = field(default_factory=dict)
    result: Any = None
    error: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    cancel: threading.Event = field(default_factory=threading.Event)

    def status(self, with_result: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id, "job": self.id, "kind": self.kind, "game": self.game_id, "turn": self.turn,
            "params": self.params, "state": self.state, "progress": self.progress, "error": self.error,
            "cost": self.cost, "created": _iso(self.created),
            "finished": _iso(self.finished) if self.finished else None,
            "links": {"self": f"/api/futures/{self.id}", "events": f"/api/futures/{self.id}/events",
                      "cancel": f"/api/futures/{self.id}/cancel", "game": f"/game/{self.game_id}"}}
        if self.kind == "forecast":          # of a scenario, not of a game
            del out["links"]["game"]
            out["links"]["page"] = "/forecast"
            if self.state == "done":
                out["links"]["html"] = f"/api/futures/{self.id}/forecast.html"
        if self.kind == "review":
            out["links"]["page"] = f"/games/{self.game_id}/review/{self.params.get('seat', '')}"
            if self.state == "done":
                out["links"]["html"] = f"/api/futures/{self.id}/review.html"
        if with_result and self.state == "done":
            out["result"] = self.result
        return out


_LIVE: weakref.WeakSet[FuturesJobs] = weakref.WeakSet()      # every manager of this process, closed at exit


def close_all() -> None:
    """Stop every manager's jobs and pool. Runs before the interpreter joins the pools' threads at exit (else a
    pool still starting its workers would hold the exit up); `wargame serve` also calls it when it stops."""
    for manager in list(_LIVE):
        manager.close()


# threading's exit hooks run before atexit's and in reverse order of registration, so this one runs before the
# hook concurrent.futures registered when it was imported (which waits for the pools' work); atexit otherwise
getattr(threading, "_register_atexit", atexit.register)(close_all)


def _iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


class FuturesJobs:
    """The jobs of one server: caps, threads, the kept pool, results in memory."""

    def __init__(self, *, max_running: int, max_turns: int, workers: int, thread_turns: int, keep: int,
                 shards: Shards | None = None) -> None:
        self.shards = shards             # with several server workers, job ids hash to this one (server.shards)
        self.max_running = max(1, max_running)
        self.max_turns = max(1, max_turns)
        self.workers = max(1, workers)
        self.thread_turns = max(0, thread_turns)
        self.keep = max(1, keep)
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self.changed = threading.Condition(self._lock)    # notified on every progress report and end of a job
        self._pool: LocalWorkers | None = None
        self._starting: LocalWorkers | None = None     # a pool whose workers are starting (close() stops it too)
        self._pool_lock = threading.Lock()
        self._closed = False
        _LIVE.add(self)

    # ------------------------------------------------------------------------------------------- pool
    def pool(self) -> LocalWorkers:
        """The kept pool, started (and warmed: every worker up) on first use."""
        with self._pool_lock:
            if self._pool is None:
                if self._closed:
                    raise RuntimeError("the server is stopping")
                pool = self._starting = LocalWorkers(self.workers)
                deadline = time.monotonic() + POOL_WARM_SECONDS
                try:
                    while not pool.warm(timeout=0.25):
                        if self._closed or time.monotonic() > deadline:
                            raise RuntimeError("the server is stopping" if self._closed else
                                               f"the futures workers did not start within {POOL_WARM_SECONDS:.0f} s")
                except BaseException:
                    pool.stop()             # every process it started ends (also when a worker could not start)
                    raise
                finally:
                    self._starting = None
                self._pool = pool
            return self._pool

    def warm_in_background(self) -> None:
        """Start the pool now, off the caller's thread (wargame serve: warm before the first request)."""
        def start() -> None:
            try:
                self.pool()
            except Exception as exc:       # the first job tries again
                if not self._closed:       # else the server stopped as it started: nothing to say
                    log.warning("the futures worker pool did not start (%s); the first job will start it", exc)

        threading.Thread(target=start, name="futures-pool", daemon=True).start()

    def _drop_pool(self) -> None:
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()

    def close(self) -> None:
        """Cancel running jobs and stop the pool, also one still starting (when the server stops): returns once its
        worker processes have ended (within a few seconds, at any moment of their start-up)."""
        self._closed = True
        with self._lock:
            for job in self._jobs.values():
                job.cancel.set()
        starting = self._starting
        if starting is not None:
            starting.stop()
        self._drop_pool()

    # ------------------------------------------------------------------------------------------- jobs
    def find(self, key: str) -> Job | None:
        """A finished job of this exact request, still kept."""
        with self._lock:
            for job in self._jobs.values():
                if job.key == key and job.state == "done":
                    return job
        return None

    def check_cost(self, cost: int, hint: str = "ask for fewer futures or months") -> None:
        """400 naming n when a job would play more months than this server allows (FUTURES_MAX_TURNS)."""
        if cost > self.max_turns:
            raise ApiError(400, f"n: this request plays {cost:,} months in all; this server plays at most "
                                f"{self.max_turns:,} per request (FUTURES_MAX_TURNS): {hint}")

    def submit(self, kind: str, game_id: str, turn: int, params: dict[str, Any], key: str, cost: int,
               work: Work) -> dict[str, Any]:
        """Start a job (or answer with the finished job of the same request); its status and owner token."""
        self.check_cost(cost)
        same = self.find(key)
        if same is not None:
            return {**same.status(), "owner_token": None, "reused": True}
        owner_token, owner_hash = new_owner()
        with self._lock:
            running = [j for j in self._jobs.values() if j.state in RUNNING]
            if any(j.game_id == game_id for j in running):
                raise ApiError(409, f"a futures job for game {game_id} is running already (one at a time per game); "
                                    "wait for it to end or cancel it")
            if len(running) >= self.max_running:
                raise ApiError(409, f"{len(running)} futures jobs are running on this server (the limit is "
                                    f"{self.max_running}); retry when one has ended")
            job_id = new_id(self.shards, lambda: secrets.token_urlsafe(JOB_ID_BYTES))    # with workers: one of ours
            job = Job(id=job_id, kind=kind, game_id=game_id, turn=turn, params=params,
                      key=key, cost=cost, owner_hash=owner_hash)
            self._jobs[job.id] = job
            self._prune()
        threading.Thread(target=self._run, args=(job, work), name=f"futures-{job.id}", daemon=True).start()
        return {**job.status(), "owner_token": owner_token, "reused": False}

    def _run(self, job: Job, work: Work) -> None:
        def progress(p: dict) -> None:
            with self.changed:
                job.progress = dict(p)
                job.state = "running"
                self.changed.notify_all()

        state, result, error = "done", None, None
        try:
            execution: dict[str, Any] = ({"workers": 1} if job.cost <= self.thread_turns else
                                         {"pool": self.pool(), "parent_works": False})
            result = work(execution, progress, job.cancel)
        except FuturesCancelled:
            state, error = "cancelled", "cancelled by its owner"
        except UserError as exc:
            state, error = "failed", str(exc)
        except BrokenProcessPool:
            self._drop_pool()
            state, error = "failed", "a worker process of the server ended unexpectedly; retry (a new pool starts)"
        except Exception:
            log.exception("futures job %s (%s of game %s) failed", job.id, job.kind, job.game_id)
            state, error = "failed", "internal error; the server log has the details"
        with self.changed:
            job.state, job.result, job.error, job.finished = state, result, error, time.time()
            if state == "cancelled" and job.progress:
                job.progress = {**job.progress, "state": "cancelled"}
            self.changed.notify_all()
            self._prune()

    def _prune(self) -> None:
        """Keep at most `keep` finished jobs (the oldest go first); running jobs always stay. Holds the lock."""
        finished = [j for j in self._jobs.values() if j.state in FINAL]
        for job in finished[:max(0, len(finished) - self.keep)]:
            del self._jobs[job.id]

    def get(self, jid: str) -> Job:
        with self._lock:
            job = self._jobs.get(jid)
        if job is None:
            raise ApiError(404, f"no futures job {jid!r} (jobs are kept in memory: {self.keep} finished ones, until "
                                "the server restarts)")
        return job

    def status(self, jid: str) -> dict[str, Any]:
        return self.get(jid).status()

    def cancel(self, jid: str, owner_token: str | None) -> dict[str, Any]:
        """Ask a running job to stop (its owner only); it stops after the chunk of futures it is playing."""
        job = self.get(jid)
        check_owner(job.owner_hash, owner_token, f"futures job {jid}", "cancel it")
        if job.state not in RUNNING:
            raise ApiError(409, f"futures job {jid} is not running (it is {job.state})")
        job.cancel.set()
        self.wait(job, lambda j: j.state in FINAL, timeout=CANCEL_WAIT)
        return job.status()

    def forget(self, jid: str, owner_token: str | None) -> None:
        """Cancel the job if it runs, and drop it (its owner only)."""
        job = self.get(jid)
        check_owner(job.owner_hash, owner_token, f"futures job {jid}", "delete it")
        job.cancel.set()
        self.wait(job, lambda j: j.state in FINAL, timeout=CANCEL_WAIT)
        with self._lock:
            self._jobs.pop(jid, None)

    def wait(self, job: Job, until: Callable[[Job], bool], timeout: float) -> bool:
        """Block until `until(job)` or `timeout` seconds; whether it holds."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not until(job):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(left)
        return True

    def running(self) -> int:
        with self._lock:
            return sum(j.state in RUNNING for j in self._jobs.values())
