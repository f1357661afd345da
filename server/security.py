"""Security defaults of the server: a per-install secret key, no CSRF through forms, strict headers, no tokens in logs.

- The secret key is generated on first start and kept in DATA_DIR/secret_key (mode 0600), never in the repository.
- State-changing requests (POST, PUT, PATCH, DELETE) must be JSON (415 otherwise; a request with no body at all may
  omit the Content-Type): an HTML form always sends a form content type, and another site cannot send
  `application/json` without a CORS preflight, which this server never grants. A request whose Origin header names
  another site is refused (403), which also covers body-less cross-site fetches.
- Every response carries a Content-Security-Policy with no external source, nosniff, no-referrer (seat links hold
  tokens) and frame-ancestors 'none'; API responses are not cached.
- Request lines are logged with `token=...` (and `owner_token=...`) query values redacted and control characters,
  quotes and backslashes as \\xNN (a path's %0A cannot write a forged line); the X-Seat-Token and X-Owner-Token
  headers are never logged.
- Trusted hosts: only requests whose Host header names this server are answered (400 otherwise), so DNS
  rebinding (a page of attacker.example whose name is made to point at 127.0.0.1) cannot reach the API even though
  its requests are "same-origin" for the browser. Trusted: 127.0.0.1, localhost, ::1, the address bound (`--host`)
  and the names in PUBLIC_HOSTS (`wargame serve --public-host NAME`, for the public name behind a proxy). When the
  server listens on every interface (0.0.0.0 or ::), any IP address is accepted too (an IP address involves no DNS,
  so it cannot be rebound).
"""
from __future__ import annotations

import ipaddress
import json
import os
import re
import secrets
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from flask import Flask, Request, Response, request
from flask.sessions import NullSession, SessionInterface
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.serving import WSGIRequestHandler

from model import UserError
from server.schemas import ApiError

SECRET_FILE = "secret_key"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
_UNPRINTABLE_RE = re.compile(r'[\x00-\x1f\x7f-\x9f"\\]')    # control characters, and what escapes or ends
_TOKEN_RE = re.compile(r"(?i)((?:^|[?&\s])(?:owner_)?token=)[^&\s\"]+")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def is_api(path: str) -> bool:
    """Whether a path is the JSON API's (/api and below), whose every answer, errors included, is JSON."""
    return path == "/api" or path.startswith("/api/")


def redact(text: str) -> str:
    """Hide the value of every `token=` query parameter in a log line."""
    return _TOKEN_RE.sub(r"\1[redacted]", text)


def printable(text: str) -> str:
    """A request's text safe for a one-line log: control characters (a path's %0A or %00, decoded), quotes and
    backslashes as \\xNN, so a request cannot write a forged line or make the log binary."""
    return _UNPRINTABLE_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def secret_key(data_dir: Path) -> str:
    """Read DATA_DIR/secret_key, creating it (0600, random) on first start."""
    path = data_dir / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) < 32:
            raise UserError("the secret key file is too short; delete it to generate a new one",
                            file=str(path)) from None
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def host_name(host: str) -> str:
    """The name in a Host header: without the port, brackets or a trailing dot, lower-cased ('' if malformed)."""
    host = host.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        if end < 0 or (host[end + 1:] and not re.fullmatch(r":\d{1,5}", host[end + 1:])):
            return ""
        return host[1:end]
    if host.count(":") == 1:
        host, port = host.split(":")
        if not port.isdigit():
            return ""
    elif ":" in host:
        return ""
    return host.rstrip(".")


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def trusted_hosts(bind: str | None, public: Iterable[str] = ()) -> tuple[set[str], bool]:
    """(names answered, whether any IP address is): the local names, the address bound and the public names."""
    names = {*LOCAL_HOSTS, *(host_name(p) or p.lower() for p in public)}
    wildcard = bind is not None and bind.strip("[]") in WILDCARD_HOSTS
    if bind and not wildcard:
        names.add(host_name(bind) or bind.strip("[]").lower())
    return names, wildcard


def _same_origin(origin: str) -> bool:
    return origin.rstrip("/") == request.host_url.rstrip("/")


def install(app: Flask) -> None:
    """Register the request guard and the response headers on the app (and no cookie sessions)."""
    app.session_interface = NoSessions()

    names, any_ip = trusted_hosts(app.config.get("BIND_HOST"), app.config.get("PUBLIC_HOSTS") or ())

    @app.before_request
    def trusted_host() -> Response | None:
        name = host_name(request.headers.get("Host", ""))
        if name in names or (any_ip and _is_ip(name)):
            return None
        shown = request.headers.get("Host", "")[:100] or "(none)"
        message = (f"this server does not answer for the host {shown}; it answers for {', '.join(sorted(names))}"
                   f"{' and any IP address' if any_ip else ''} (a public name behind a proxy needs "
                   "`wargame serve --public-host NAME`)")
        if is_api(request.path):
            return ApiError(400, message).response()
        return Response(message, 400, mimetype="text/plain")

    @app.before_request
    def guard() -> Response | None:
        if request.method not in UNSAFE_METHODS:
            return None
        origin = request.headers.get("Origin")
        if origin is not None and not _same_origin(origin):
            return ApiError(403, f"cross-origin request from {origin[:100]} refused").response()
        has_body = bool(request.content_length) or "Transfer-Encoding" in request.headers
        if request.mimetype != "application/json" and (request.mimetype or has_body):
            shown = request.mimetype or "none"
            return ApiError(415, f"Content-Type must be application/json (got {shown}); forms are not "
                                 "accepted").response()
        data = request.get_data(cache=True)       # raises 413 beyond MAX_CONTENT_LENGTH, before parsing ...
        limit = request.max_content_length
        if limit is not None and request.content_length is None and len(data) >= limit:
            raise RequestEntityTooLarge()         # ... except a chunked body, which werkzeug cuts at the limit
        if data:
            try:
                body = request.get_json(cache=True)
            except Exception:                     # werkzeug's BadRequest for malformed JSON
                return ApiError(400, "the request body is not valid JSON").response()
            if isinstance(body, str):             # flask-openapi3 would read a JSON string's text as JSON again
                shown = json.dumps(body)
                shown = shown if len(shown) <= 40 else shown[:37] + "..."
                return ApiError(400, f"the request body must be a JSON object, got {shown}").response()
        return None

    @app.after_request
    def headers(resp: Response) -> Response:
        h = resp.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "no-referrer")
        h.setdefault("X-Frame-Options", "DENY")
        if is_api(request.path):
            h.setdefault("Cache-Control", "no-store")
        return resp


class NoSessions(SessionInterface):
    """No cookie sessions: seat and owner tokens travel in headers, so no request parses, verifies or signs a session
    cookie (Flask's default built a signing serializer for every request, a step's included). Writing to
    flask.session raises, as with no secret key."""

    def open_session(self, app: Flask, request: Request) -> NullSession:
        return self.make_null_session(app)

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        return None


class RedactingRequestHandler(WSGIRequestHandler):
    """werkzeug's request handler with seat tokens removed from every log line."""

    def log(self, type: str, message: str, *args: object) -> None:
        super().log(type, redact(message), *(redact(a) if isinstance(a, str) else a for a in args))


class AccessLog:
    """WSGI middleware: one line per request on stderr (method, path with tokens redacted, status, milliseconds),
    for servers without an access log of their own (waitress)."""

    def __init__(self, app: Callable[..., Any], stream: Any = None) -> None:
        self.app = app
        self.stream = stream

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Any:
        t0 = time.perf_counter()
        seen: dict[str, str] = {}

        def recording_start(status: str, headers: list, exc_info: Any = None) -> Any:
            seen["status"] = status.split(" ", 1)[0]
            return start_response(status, headers, exc_info)

        result = self.app(environ, recording_start)
        query = environ.get("QUERY_STRING", "")
        target = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
        out = self.stream or sys.stderr
        print(f'{environ.get("REMOTE_ADDR", "-")} "{environ.get("REQUEST_METHOD", "")} {printable(redact(target))}" '
              f'{seen.get("status", "-")} {1000 * (time.perf_counter() - t0):.0f}ms', file=out, flush=True)
        return result
