"""`wargame serve`: the web UI and JSON API on waitress, a production WSGI server (127.0.0.1 by default, debug off).

Bounded: a fixed pool of threads (--threads), idle connections closed after --idle-timeout seconds (a half-sent
request holds no thread while it waits: waitress reads requests in its event loop), at most CONNECTION_LIMIT
connections; only one server per data dir (an exclusive lock); only requests for this server's own names (see
server.security: --public-host adds the name a proxy forwards)."""
from __future__ import annotations

import argparse
import errno
import signal
import socket
import sys
from pathlib import Path

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
    add_config_dir(parser)


def run(args: argparse.Namespace) -> int:
    from waitress.server import create_server

    from server import create_app, stop_futures, warm_futures
    from server.security import AccessLog

    if not 0 <= args.port <= 65535:
        raise UserError(f"must be between 0 and 65535, got {args.port}", field="--port")
    if not 1 <= args.threads <= 256:
        raise UserError(f"must be between 1 and 256, got {args.threads}", field="--threads")
    if not 1 <= args.idle_timeout <= 3600:
        raise UserError(f"must be between 1 and 3600 seconds, got {args.idle_timeout}", field="--idle-timeout")
    debug = bool(getattr(args, "debug", False))
    app = create_app({"DATA_DIR": Path(args.data_dir), "DEBUG": debug, "CONFIG_DIRS": config_roots(args),
                      "EXCLUSIVE_DATA_DIR": True, "BIND_HOST": args.host, "PUBLIC_HOSTS": tuple(args.public_host),
                      "STREAMS_MAX": max(1, args.threads // 2), "KEEP_DB_CONNECTIONS": True})
    app.debug = debug
    sock = _listen(args.host, args.port)
    warm_futures(app)           # the futures' workers start while the server comes up
    server = create_server(AccessLog(app), sockets=[sock], threads=args.threads, channel_timeout=args.idle_timeout,
                           connection_limit=CONNECTION_LIMIT, cleanup_interval=max(1, min(30, args.idle_timeout // 2)),
                           max_request_body_size=4 * int(app.config["MAX_CONTENT_LENGTH"]),  # the app says 413 first
                           expose_tracebacks=False, ident="wargame", asyncore_use_poll=True,
                           channel_request_lookahead=1)   # lets a stream see its client leave (api_games.stream)
    signal.signal(signal.SIGTERM, _stop)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Serving the Syria 2025 wargame at http://{host}:{sock.getsockname()[1]}/", flush=True)
    print(f"Data dir: {app.config['DATA_DIR']}  (Ctrl-C to stop)", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("warning: listening beyond this machine; put a reverse proxy with TLS in front of it", file=sys.stderr)
    try:
        server.run()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.close()
        stop_futures(app)
        print("stopped", file=sys.stderr)
    return 0


def _stop(signum: int, frame: object) -> None:
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
