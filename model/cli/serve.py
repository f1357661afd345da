"""`wargame serve`: the web UI and JSON API on a threaded local server (127.0.0.1 by default, debug off)."""
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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--data-dir", default=DEFAULT_DATA_DIR, metavar="DIR",
                        help=f"folder for the games database and user scenarios (default ./{DEFAULT_DATA_DIR})")
    add_config_dir(parser)


def run(args: argparse.Namespace) -> int:
    from werkzeug.serving import make_server

    from server import create_app
    from server.security import RedactingRequestHandler

    if not 0 <= args.port <= 65535:
        raise UserError(f"must be between 0 and 65535, got {args.port}", field="--port")
    debug = bool(getattr(args, "debug", False))
    app = create_app({"DATA_DIR": Path(args.data_dir), "DEBUG": debug, "CONFIG_DIRS": config_roots(args)})
    app.debug = debug
    sock = _listen(args.host, args.port)
    try:
        server = make_server(args.host, args.port, app, threaded=True, request_handler=RedactingRequestHandler,
                             fd=sock.fileno())
    finally:
        sock.close()          # the server holds its own duplicate of the socket
    signal.signal(signal.SIGTERM, _stop)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Serving the Syria 2025 wargame at http://{host}:{server.port}/", flush=True)
    print(f"Data dir: {app.config['DATA_DIR']}  (Ctrl-C to stop)", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("warning: listening beyond this machine; put a reverse proxy with TLS in front of it", file=sys.stderr)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
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
