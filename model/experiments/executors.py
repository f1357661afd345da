"""Where the chunks of a batch run: this process, worker processes on this machine, or a Dask cluster.

Both kinds of workers are a `concurrent.futures.Executor` (a `ProcessPoolExecutor`; Dask's `Client.get_executor()`),
and one loop (`run_chunks`) submits the chunks, collects the results as they end, reports them (`on_result`, which
writes the chunk files and moves the progress bar) and cancels what is left on an error or Ctrl-C.

Local workers start from a fork server that imported the model once (`set_forkserver_preload`), so a worker is up
in milliseconds instead of paying a second or two of imports; the fork server starts when first needed, or earlier
with `start_fork_server()` (the `batch` command calls it first thing, so it imports while the command reads the
spec). A `LocalWorkers` can be kept and handed to several batches (`run_batch(..., pool=...)`) or to other work, so
its workers are warm before the first request.

Small-matrix numpy work (a dozen actors) runs fastest on one BLAS thread: extra threads only add synchronisation,
and on a shared machine they compete with the other workers for the same cores. `one_blas_thread()` sets that with
threadpoolctl; every chunk calls it, wherever it runs.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, Protocol

# modules a worker needs, imported once in the fork server (or, without one, by each worker as it starts)
PRELOAD = ("model.experiments.chunks", "model.experiments.futures", "model.sim.model", "threadpoolctl")
BLAS_THREADS = 1               # see the module docstring
POOL_MIN_SECONDS = 3.0         # work left below this is done in-process: a cold fork server takes ~1-2 s to import
PARENT_WORKS = True            # the batch process runs chunks alongside its worker processes (off only in tests)
CHUNKS_PER_WORKER = 2          # chunks queued per worker: short, so results reach disk as they end
DASK_REFRESH_SECONDS = 2.0     # how often the number of Dask worker threads is asked again (clusters can grow)
STOP_SECONDS = 3.0             # LocalWorkers.stop(): how long the workers get to end after SIGTERM, then SIGKILL


def one_blas_thread() -> None:
    """Limit every BLAS library loaded in this process to one thread (cheap: well under a millisecond)."""
    import numpy  # noqa: F401  (loads numpy's BLAS, so that threadpoolctl finds it)
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=BLAS_THREADS, user_api="blas")


def work(task: dict[str, Any], arm_dump: dict) -> dict[str, Any]:
    """One chunk, wherever it runs (this process, a local worker, a Dask worker)."""
    from model.experiments.chunks import run_chunk

    one_blas_thread()
    return run_chunk(task, arm_dump)


# ------------------------------------------------------------------------------------------ local workers
def _context() -> multiprocessing.context.BaseContext:
    """The fork server where the platform has one (Linux, macOS), else spawn (a fresh interpreter per worker)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored while the fork server is started from the main thread: it and its workers then ignore it
    from their first instruction (an ignored signal stays ignored across exec, and Python installs no
    KeyboardInterrupt handler then).

    They are in the terminal's process group, so Ctrl-C reaches them too: the fork server printed a KeyboardInterrupt
    traceback when one came while it imported the model, a worker when one came before its initializer ignored it.
    The batch process (or server) stops them itself. Only the main thread may set a handler; the window is the few
    milliseconds the fork server takes to be spawned (a Ctrl-C within them is ignored)."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is None:
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def start_fork_server() -> None:
    """Start the fork server now, in the background: it imports the model while this process does other work.

    Returns at once; a no-op if it runs already (it lives as long as this process) or there is no fork server.
    Not fork: forking a process that has threads (numpy's BLAS, pyarrow, a web server) can deadlock the child."""
    ctx = _context()
    if ctx.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    ctx.set_forkserver_preload(list(PRELOAD))
    with _sigint_ignored():
        forkserver.ensure_running()


def _start_worker(announce: Any) -> None:
    """Worker start-up: keep the fork server's memory shared; leave Ctrl-C to the batch process, which stops the
    workers itself (no traceback from every worker); exit when the batch process is gone (a killed batch must not
    leave workers behind); warm up; then tell the batch process this worker is ready."""
    import gc
    import importlib

    gc.freeze()    # what the fork server imported stays shared: the collector no longer writes to those pages
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        def watch() -> None:
            parent.join()      # returns when the process that started this worker ends
            os._exit(1)

        threading.Thread(target=watch, daemon=True, name="watch-parent").start()
    for name in PRELOAD:       # already imported when the fork server preloaded them
        importlib.import_module(name)
    one_blas_thread()
    announce.put(os.getpid())


def _ready() -> int:
    return os.getpid()


class LocalWorkers:
    """Worker processes on this machine as a `ProcessPoolExecutor`, started in the background at once.

    Use it as a context manager (stopped on an error, closed otherwise), or keep it for several batches and
    `close()` it at the end. `ready()` counts the workers that have started and warmed up. `stop()` may come at any
    moment, also while the workers start (a server stopped as it starts): it ends every process the pool started."""

    parent_works = True      # see run_chunks

    def __init__(self, processes: int) -> None:
        if processes < 1:
            raise ValueError(f"need at least one worker process, got {processes}")
        start_fork_server()
        ctx = _context()
        self.processes = processes
        self._announce = ctx.SimpleQueue()
        self._pids: set[int] = set()
        self._probes: list[Future] = []
        self._start_error: BaseException | None = None
        self._stopping = threading.Event()
        self._stop_lock = threading.Lock()
        self._ready_lock = threading.Lock()
        self.executor: Executor = ProcessPoolExecutor(max_workers=processes, mp_context=ctx,
                                                      initializer=_start_worker, initargs=(self._announce,))
        # Starting a process waits until the fork server has imported the model: do it off this thread, so the
        # caller can work meanwhile. Each submission starts one more process while none is idle.
        self._starter = threading.Thread(target=self._start_all, daemon=True, name="start-workers")
        self._starter.start()

    def _start_all(self) -> None:
        try:
            for _ in range(self.processes):
                if self._stopping.is_set():
                    return
                self._probes.append(self.executor.submit(_ready))
        except (RuntimeError, OSError, EOFError) as exc:
            # stopped or broken while starting (RuntimeError, BrokenProcessPool), or the fork server ended as it
            # started this worker (EOFError: a SIGTERM to the whole process group); warm() reports it
            if not self._stopping.is_set():
                self._start_error = exc

    def ready(self) -> int:
        """Workers up so far (does not block)."""
        with self._ready_lock:     # two threads draining at once: one could wait in get() on the emptied queue
            while not self._announce.empty():
                self._pids.add(self._announce.get())
            return len(self._pids)

    def pids(self) -> frozenset[int]:
        """Process ids of the workers up so far."""
        self.ready()
        return frozenset(self._pids)

    def wait_ready(self) -> None:
        """Block until at least one worker is up; raise the pool's error if workers cannot start."""
        while not self.ready():
            self._raise_if_broken()
            time.sleep(0.005)

    def _raise_if_broken(self) -> None:
        if self._start_error is not None:
            raise BrokenProcessPool(f"the worker processes could not start: {self._start_error!r}")
        for probe in list(self._probes):
            error = probe.exception() if probe.done() and not probe.cancelled() else None
            if error is not None:
                raise error

    def share(self, value: Any) -> Any:
        """What to send with each chunk for `value` (local workers: the value itself)."""
        return value

    def warm(self, timeout: float | None = None) -> bool:
        """Wait until every worker is up (for a kept pool that must answer its first request quickly)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.ready() < self.processes:
            self._raise_if_broken()
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def stop(self) -> None:
        """Cancel the queued chunks and end the workers now (the chunks they were running are lost); returns once
        every worker process has ended, also those still starting (at any moment of start-up).

        Every process the pool started is ended, not only those up: the executor, shut down, ends its workers by
        sending each a sentinel on the call queue, and a worker killed while it waited on that queue holds the
        queue's lock for good, so a worker that was still starting would wait on it for ever (and the executor's
        thread with it, which the interpreter joins at exit). And it waits for them to end: a worker still starting
        unpickles the queues' semaphores, which this process removes when it drops them (a FileNotFoundError
        traceback from the fork server's child)."""
        with self._stop_lock:
            if self._stopping.is_set():
                return
            self._stopping.set()                     # the starter thread submits no more
            self._starter.join(timeout=STOP_SECONDS)  # it may be starting one (waiting for a cold fork server)
            executor: Any = self.executor
            table: dict[int, Any] | None = getattr(executor, "_processes", None)   # live: shutdown() forgets it
            manager = getattr(executor, "_executor_manager_thread", None)
            # waits, should the starter thread still be starting a process (it holds the executor's lock), so
            # afterwards every worker there will be is in the table
            executor.shutdown(wait=False, cancel_futures=True)
            workers = [] if table is None else list(table.values())
            self.ready()
            pids = {w.pid for w in workers} | self._pids
            _signal_all(pids, signal.SIGTERM)
            if not _wait_all([w.sentinel for w in workers], STOP_SECONDS):
                _signal_all(pids, signal.SIGKILL)
                _wait_all([w.sentinel for w in workers], 1.0)
            if manager is not None and manager is not threading.current_thread():
                manager.join(timeout=STOP_SECONDS)   # it sees its workers gone and ends

    def close(self) -> None:
        """Let the workers finish what they run and end; if some never got up, end them rather than wait."""
        if self._stopping.is_set():
            return
        if self.ready() < self.processes:
            self.stop()
        else:
            self.executor.shutdown(wait=True)

    def __enter__(self) -> LocalWorkers:
        return self

    def __exit__(self, kind: type | None, *_: object) -> None:
        if kind is None:
            self.close()
        else:
            self.stop()


def _signal_all(pids: set[int], signum: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass


def _wait_all(sentinels: list[Any], timeout: float) -> bool:
    """Wait until every worker has ended (its sentinel is ready: the fork server reported its exit, or has gone)."""
    deadline = time.monotonic() + timeout
    left = list(sentinels)
    while left:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        done = multiprocessing.connection.wait(left, timeout=remaining)
        left = [s for s in left if s not in done]
    return True


# ------------------------------------------------------------------------------------------------- Dask
class DaskWorkers:
    """A Dask cluster (the given scheduler, or a local cluster of `workers` processes) as an Executor."""

    parent_works = False

    def __init__(self, workers: int, scheduler: str | None = None, *, processes: bool = True) -> None:
        from model.config.errors import UserError

        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UserError("the Dask engine needs dask.distributed: pip install '.[dask]'",
                            field="--engine") from None
        import logging

        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise UserError(f"cannot reach the Dask scheduler at {scheduler}: {exc}",
                                field="--scheduler") from None
        else:
            self.cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=processes,
                                        dashboard_address=None, host="127.0.0.1" if processes else None,
                                        silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        self.executor: Executor = self.client.get_executor(pure=False)
        self._threads, self._asked = 0, -DASK_REFRESH_SECONDS

    def ready(self) -> int:
        """Worker threads in the cluster (asked again every few seconds)."""
        if time.monotonic() - self._asked >= DASK_REFRESH_SECONDS:
            self._threads, self._asked = sum(self.client.nthreads().values()), time.monotonic()
        return self._threads

    def wait_ready(self) -> None:
        self.client.wait_for_workers(1)
        self._asked = -DASK_REFRESH_SECONDS

    def share(self, value: Any) -> Any:
        """Send `value` to every worker once; chunks then carry a reference to it."""
        return self.client.scatter([value], broadcast=True, hash=False)[0]   # a list: a dict would be split

    def stop(self) -> None:
        self.executor.shutdown(wait=False)     # cancels what has not finished
        self._close_client()

    def close(self) -> None:
        self.executor.shutdown(wait=True)
        self._close_client()

    def _close_client(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskWorkers:
        return self

    def __exit__(self, kind: type | None, *_: object) -> None:
        if kind is None:
            self.close()
        else:
            self.stop()


class Workers(Protocol):
    """What run_chunks needs of a set of workers (LocalWorkers, DaskWorkers)."""
    executor: Executor
    parent_works: bool

    def ready(self) -> int: ...
    def wait_ready(self) -> None: ...
    def share(self, value: Any) -> Any: ...


# ---------------------------------------------------------------------------------------------- the loop
def run_chunks(tasks: Sequence[dict], arm_dumps: dict[str, Any], on_result: Callable[[dict], None],
               workers: Workers, *, parent_works: bool | None = None, fn: Callable[[dict, Any], dict] = work) -> None:
    """Run every task on `workers`, handing each result to on_result (in this process) as it ends.

    Chunks are submitted only to workers that are up, a few per worker, so none waits behind a worker that is still
    starting and results reach disk as they end. With parent_works (the default for local workers) this process
    runs chunks too, the next in the queue like the workers (so a plan's short last chunks are played last, see
    chunks.taper), so with N workers asked for, N - 1 processes are started. On any
    error or Ctrl-C the chunks not yet finished are cancelled and the exception goes on to the caller (so an
    on_result that raises cancels the rest). `fn(task, shared value)`: the work of one chunk, a module-level function
    (a batch's chunk by default; model.experiments.futures has its own); `task["arm"]` names its shared value."""
    here = workers.parent_works if parent_works is None else parent_works
    queue = deque(tasks)
    pending: set[Future] = set()
    shared: dict[str, Any] = {}

    def submit() -> None:
        while queue and len(pending) < CHUNKS_PER_WORKER * workers.ready():
            task = queue.popleft()
            arm = task["arm"]
            if arm not in shared:
                shared[arm] = workers.share(arm_dumps[arm])
            pending.add(workers.executor.submit(fn, task, shared[arm]))

    def collect(block: bool) -> None:
        nonlocal pending
        if pending:
            finished, pending = wait(pending, timeout=None if block else 0, return_when=FIRST_COMPLETED)
            for future in finished:
                on_result(future.result())

    try:
        while queue or pending:
            collect(block=False)
            submit()
            if queue and here:
                task = queue.popleft()
                on_result(fn(task, arm_dumps[task["arm"]]))
            elif pending:
                collect(block=True)
            else:
                workers.wait_ready()
    except BaseException:
        for future in pending:
            future.cancel()
        raise


def execute(tasks: Sequence[dict], arm_dumps: dict[str, Any], on_result: Callable[[dict], None], *,
            engine: str = "local", workers: int = 1, scheduler: str | None = None, dask_processes: bool = True,
            pool: LocalWorkers | None = None, fn: Callable[[dict, Any], dict] = work,
            parent_works: bool | None = None) -> None:
    """Run every task on the chosen engine, handing each result to on_result (in the calling process) as it ends.

    Local, without a kept `pool`: in this process while that is enough (one worker, or little work: the first
    chunk measures the pace), else with workers - 1 worker processes beside this one. `fn`: see run_chunks (each
    result must carry "seconds", and each task "seeds", one per run); `parent_works` (a kept pool only): whether
    this process runs chunks beside the pool's workers (default PARENT_WORKS)."""
    if engine == "dask":
        with DaskWorkers(workers, scheduler, processes=dask_processes) as cluster:
            run_chunks(tasks, arm_dumps, on_result, cluster, fn=fn)
        return
    queue = list(tasks)
    if pool is not None:
        run_chunks(queue, arm_dumps, on_result, pool, fn=fn,
                   parent_works=PARENT_WORKS if parent_works is None else parent_works)
        return
    done, seconds = 0, 0.0
    while queue and (workers <= 1 or not done or _left(queue, done, seconds) < POOL_MIN_SECONDS):
        task = queue.pop(0)
        result = fn(task, arm_dumps[task["arm"]])
        done, seconds = done + len(task["seeds"]), seconds + result["seconds"]   # the runs alone, not the writing
        on_result(result)
    if queue:
        with LocalWorkers(workers - 1) as local:
            run_chunks(queue, arm_dumps, on_result, local, parent_works=PARENT_WORKS, fn=fn)


def _left(queue: Sequence[dict], done: int, seconds: float) -> float:
    """Seconds the queued chunks would take here at the pace so far."""
    return seconds / done * sum(len(t["seeds"]) for t in queue)
