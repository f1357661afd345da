"""`wargame serve`: the web UI and JSON API on waitress, a production WSGI server (127.0.0.1 by default, debug off).

Bounded: a fixed pool of threads (--threads), idle connections closed after --idle-timeout seconds (a half-sent
request holds no thread while it waits: waitress reads requests in its event loop), at most CONNECTION_LIMIT
connections; only one server per data dir (an exclusive lock); only requests for this server's own names (see
server.security: --public-host adds the name a proxy forwards).

Several cores: --workers N (default one per core) runs N worker processes, each a whole server of its own threads
on the one listening socket, with the games sharded by id between them (server.shards); this process, the master,
holds the data dir's lock, starts them, and stops them when it stops (each worker also stops when the master has
gone). --workers 1 serves from this process alone."""
from __future__ import annotations

import argparse
import errno
import gc
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from model.cli.options import add_config_dir, config_roots
from model.config.errors import UserError

NAME = "serve"
HELP = "serve the browser game, config editor and JSON API"
DESCRIPTION = (
    "Start the web server: play games in the browser, edit scenarios, run experiments. Games and your own "
    "scenarios are kept in the data dir (SQLite database games.sqlite3 and scenarios/*.yaml), so a restart resumes "
    "every game. Binds 127.0.0.1 unless --host says otherwise; to expose it beyond this machine put a reverse proxy "
    "(with TLS) in front of it."
)
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000
DEFAULT_DATA_DIR = "instance"
DEFAULT_THREADS = 16          # requests handled at once; live streams use at most half of them (STREAMS_MAX)
DEFAULT_IDLE_TIMEOUT = 30     # seconds before an idle or half-sent connection is closed
CONNECTION_LIMIT = 256        # connections open at once (waitress stops accepting beyond it)
MAX_DEFAULT_WORKERS = 4       # --workers by default: one per core, at most this many
MAX_WORKERS = 32
WORKER_START_TIMEOUT = 120.0  # seconds for every worker to listen (each imports the model and opens the store)
PRIVATE_HOST = "127.0.0.1"    # the workers' private ports (server.shards)
WORKER_STOP_TIMEOUT = 20.0    # seconds a worker gets to finish after SIGTERM, then SIGKILL


def default_workers() -> int:
    """One worker per core this process may use, at most MAX_DEFAULT_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(MAX_DEFAULT_WORKERS, cores))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--data-dir", default=DEFAULT_DATA_DIR, metavar="DIR",
                        help=f"folder for the games database and user scenarios (default ./{DEFAULT_DATA_DIR}); one "
                             "server per data dir")
    parser.add_argument("--public-host", action="append", default=[], metavar="NAME",
                        help="a host name the server answers for besides 127.0.0.1, localhost, ::1 and --host: the "
                             "public name a reverse proxy forwards (repeatable); requests for any other name get 400")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                        help=f"worker threads (default {DEFAULT_THREADS})")
    parser.add_argument("--idle-timeout", type=int, default=DEFAULT_IDLE_TIMEOUT, metavar="SECONDS",
                        help=f"close connections idle this long (default {DEFAULT_IDLE_TIMEOUT})")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help=f"server processes, the games shared out between them by id (default: one per core, "
                             f"at most {MAX_DEFAULT_WORKERS}; here {default_workers()}); 1 serves from one process")
    parser.add_argument("--cold-futures", action="store_true",
                        help="start the futures' worker processes with the first futures request, not at start-up "
                             "(each server process then starts ~2 s of CPU and two processes lighter, and its first "
                             "futures wait for them)")
    parser.add_argument("--worker-of", default=None, help=argparse.SUPPRESS)   # set by the master for its workers
    add_config_dir(parser)


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise UserError(f"must be between 0 and 65535, got {args.port}", field="--port")
    if not 1 <= args.threads <= 256:
        raise UserError(f"must be between 1 and 256, got {args.threads}", field="--threads")
    if not 1 <= args.idle_timeout <= 3600:
        raise UserError(f"must be between 1 and 3600 seconds, got {args.idle_timeout}", field="--idle-timeout")
    workers = default_workers() if args.workers is None else args.workers
    if not 1 <= workers <= MAX_WORKERS:
        raise UserError(f"must be between 1 and {MAX_WORKERS}, got {workers}", field="--workers")
    if args.worker_of:
        return _worker(args)
    if workers == 1:
        return _serve(args, _listen(args.host, args.port), None, [])
    return _master(args, workers)


def _app_config(args: argparse.Namespace) -> dict[str, Any]:
    return {"DATA_DIR": Path(args.data_dir), "DEBUG": bool(getattr(args, "debug", False)),
            "CONFIG_DIRS": config_roots(args), "EXCLUSIVE_DATA_DIR": True, "BIND_HOST": args.host,
            "PUBLIC_HOSTS": tuple(args.public_host), "STREAMS_MAX": max(1, args.threads // 2),
            "KEEP_DB_CONNECTIONS": True}


def _serve(args: argparse.Namespace, sock: socket.socket, shards: Any, more: list[socket.socket],
           ready: int | None = None, balance: Any = None) -> int:
    """Serve on `sock` (and `more`) until SIGTERM or Ctrl-C: the whole server, or one worker of several (shards)."""
    from waitress.server import create_server

    from model.experiments.executors import start_fork_server
    from server import create_app, stop_futures, warm_futures
    from server.security import AccessLog
    from server.shards import ShardRouter
    from server.streams import slots_of

    config = _app_config(args)
    if shards is not None:
        from server.api_futures import DEFAULTS as FUTURES

        config.update(EXCLUSIVE_DATA_DIR=False, SHARDS=shards,     # the master holds the data dir's lock
                      FUTURES_WORKERS=max(1, int(FUTURES["FUTURES_WORKERS"]) // shards.count))
    app = create_app(config)
    app.debug = config["DEBUG"]
    gc.freeze()     # what start-up made (numpy, Mesa, the app: ~150k objects) is never collected, so a full collection
                    # walks only what serving made (it took 0.1-0.3 s, one step's latency, every so often)
    signal.signal(signal.SIGTERM, _stop)   # from here a SIGTERM unwinds through the clean-up below: the futures'
    server: Any = None                     # pool, once made, is stopped (a worker killed by it as it came up left
    try:                                   # the pool's semaphores to the resource tracker's "leaked" warning)
        if not args.cold_futures:
            start_fork_server()     # from this, the main thread: so the futures' workers ignore Ctrl-C (the server
            warm_futures(app)       # stops them); they start while the server comes up
        wsgi: Any = AccessLog(app) if shards is None else ShardRouter(AccessLog(app), shards, slots_of(app))
        server = create_server(wsgi, sockets=[sock, *more], threads=args.threads, channel_timeout=args.idle_timeout,
                               connection_limit=CONNECTION_LIMIT,
                               cleanup_interval=max(1, min(30, args.idle_timeout // 2)),
                               max_request_body_size=4 * int(app.config["MAX_CONTENT_LENGTH"]),  # the app says 413
                               expose_tracebacks=False, ident="wargame", asyncore_use_poll=True,
                               channel_request_lookahead=1)   # lets a stream see its client leave (api_games.stream)
        if balance is not None:
            _balance_accepts(server, sock, balance)
        if ready is None:
            _announce(args, sock, app.config["DATA_DIR"])
        else:                       # a worker: tell the master it listens
            os.write(ready, b"r")
            os.close(ready)
        server.run()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)   # stopping now: a second Ctrl-C or SIGTERM (while the futures'
        signal.signal(signal.SIGINT, signal.SIG_IGN)    # workers end) would raise inside the clean-up
        if server is not None:
            server.close()
        stop_futures(app)
        if ready is None:
            print("stopped", file=sys.stderr)
    return 0


def _balance_accepts(server: Any, sock: socket.socket, balance: Any) -> None:
    """The public socket's waitress server takes connections only while no worker with fewer is listening (Balance);
    the event loop also wakes when another worker writes to this worker's eventfd."""
    from waitress import wasyncore

    for obj in list(server.map.values()):
        if getattr(obj, "accepting", False) and obj.socket.fileno() == sock.fileno():
            plain = obj.readable

            def readable(obj: Any = obj, plain: Any = plain) -> bool:
                return balance.may_accept(len(obj._map), bool(plain()))

            obj.readable = readable

    class Wake(wasyncore.file_dispatcher):
        """Reads (and so resets) the eventfd; being woken is all it is for."""

        def writable(self) -> bool:
            return False

        def handle_read(self) -> None:
            try:
                self.recv(8)
            except BlockingIOError:
                pass

    Wake(balance.wake_fd, server.map)


def _announce(args: argparse.Namespace, sock: socket.socket, data_dir: Path, workers: int = 1) -> None:
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Serving the Syria 2025 wargame at http://{host}:{sock.getsockname()[1]}/"
          f"{f'  ({workers} worker processes)' if workers > 1 else ''}", flush=True)
    print(f"Data dir: {data_dir}  (Ctrl-C to stop)", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("warning: listening beyond this machine; put a reverse proxy with TLS in front of it", file=sys.stderr)


def _master(args: argparse.Namespace, workers: int) -> int:
    """Hold the data dir, bind the socket, start `workers` workers on it and wait; stop them all on the way out."""
    from server import data_dir_of, lock_data_dir, security
    from server.shards import SECRET_ENV, Balance, make_secret
    from server.store import Store

    config_roots(args)                               # a bad --config-dir is the master's error (exit 2)
    data_dir = data_dir_of(args.data_dir)
    held = lock_data_dir(data_dir)
    security.secret_key(data_dir)                    # made once, before the workers read it
    Store(data_dir).close()                          # the schema upgraded once, before the workers open it
    sock = _listen(args.host, args.port)
    private = [_listen(PRIVATE_HOST, 0) for _ in range(workers)]      # where workers forward to each other
    ports = ",".join(str(p.getsockname()[1]) for p in private)
    lifeline_r, lifeline_w = os.pipe()               # a worker stops when this closes: the master has gone
    ready_r, ready_w = os.pipe()
    balance = Balance.create(workers)
    env = {**os.environ, SECRET_ENV: make_secret()}
    procs: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, _stop)
    code = 0
    _announce(args, sock, data_dir, workers)     # bound: connections wait in its queue until a worker takes them
    try:
        for index in range(workers):
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "model.cli", *(["--debug"] if getattr(args, "debug", False) else []),
                 "serve", *_worker_args(args, data_dir),
                 "--worker-of", f"{index}:{workers}:{sock.fileno()}:{private[index].fileno()}:{lifeline_r}:{ready_w}:"
                                f"{Balance.text(balance)}:{ports}"],
                pass_fds=(sock.fileno(), private[index].fileno(), lifeline_r, ready_w, *balance), env=env))
            private[index].close()                   # the worker's now
        os.close(ready_w)
        os.close(lifeline_r)
        code = _wait_ready(procs, ready_r)
        if code:
            return code
        while True:
            for index, proc in enumerate(procs):
                if proc.poll() is not None:
                    print(f"error: server worker {index} exited (code {proc.returncode}); stopping",
                          file=sys.stderr, flush=True)
                    return 1
            time.sleep(0.5)
    except (KeyboardInterrupt, SystemExit):
        return code
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)     # stopping now; a second SIGTERM changes nothing
        _stop_workers(procs)
        os.close(lifeline_w)
        os.close(ready_r)
        for fd in balance:
            os.close(fd)
        sock.close()
        for p in private:
            p.close()
        held.close()
        print("stopped", file=sys.stderr)


def _worker_args(args: argparse.Namespace, data_dir: Path) -> list[str]:
    out = ["--host", args.host, "--port", str(args.port), "--data-dir", str(data_dir), "--threads", str(args.threads),
           "--idle-timeout", str(args.idle_timeout)]
    if args.cold_futures:
        out.append("--cold-futures")
    for name in args.public_host:
        out += ["--public-host", name]
    for folder in getattr(args, "config_dirs", ()):
        out += ["--config-dir", str(Path(folder).resolve())]
    return out


def _wait_ready(procs: list[subprocess.Popen], ready: int) -> int:
    """0 once every worker listens; a worker's exit code if one gives up first (it has said why on stderr)."""
    count = 0
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while count < len(procs):
        if select.select([ready], [], [], 0.2)[0]:
            count += len(os.read(ready, len(procs)))
        for proc in procs:
            if proc.poll() is not None:
                return proc.returncode or 1
        if time.monotonic() > deadline:
            print("error: the server's workers did not start in time", file=sys.stderr)
            return 1
    return 0


def _stop_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + WORKER_STOP_TIMEOUT
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _worker(args: argparse.Namespace) -> int:
    """One worker of a master (`--worker-of INDEX:COUNT:SOCKET:PRIVATE:LIFELINE:READY:BALANCE,WAKE,..:PORT,PORT,..`, the
    middle ones file descriptors it was given)."""
    from server.shards import SECRET_ENV, Balance, Shards

    index, count, sock_fd, private_fd, lifeline, ready, balance_fd, ports = args.worker_of.split(":", 7)
    shards = Shards(int(index), int(count), os.environ.pop(SECRET_ENV, ""), tuple(int(p) for p in ports.split(",")))
    if not shards.secret:
        raise UserError("--worker-of is for the server's own workers", field="--worker-of")
    sock = socket.socket(fileno=int(sock_fd))
    private = socket.socket(fileno=int(private_fd))

    def lifeline_watch() -> None:
        while os.read(int(lifeline), 1):
            pass
        os.kill(os.getpid(), signal.SIGTERM)           # the master has gone: stop as if it had stopped us

    threading.Thread(target=lifeline_watch, name="lifeline", daemon=True).start()
    balance = Balance(Balance.parse(balance_fd), int(index), int(count))
    return _serve(args, sock, shards, [private], ready=int(ready), balance=balance)


def _stop(signum: int, frame: object) -> None:
    """Stop once: a second signal (the master's SIGTERM, then the lifeline's when the master has gone) arriving while
    the process shuts down would raise inside the exit hooks and print their tracebacks."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise SystemExit(0)


def _listen(host: str, port: int) -> socket.socket:
    """Bind the listening socket ourselves, so a busy port or a bad address is one clear error (exit 2)."""
    from werkzeug.serving import get_sockaddr, select_address_family

    try:
        family = select_address_family(host, port)
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", field="--host") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(get_sockaddr(host, port, family))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UserError(f"port {port} on {host} is already in use; stop the other server or choose another "
                            "port with --port", field="--port") from None
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", field="--host") from None
    return sock
