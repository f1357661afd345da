"""Security defaults of the server: a per-install secret key, no CSRF through forms, strict headers, no tokens in logs.

- The secret key is generated on first start and kept in DATA_DIR/secret_key (mode 0600), never in the repository.
- State-changing requests (POST, PUT, PATCH, DELETE) must be JSON (415 otherwise; a request with no body at all may
  omit the Content-Type): an HTML form always sends a form content type, and another site cannot send
  `application/json` without a CORS preflight, which this server never grants. A request whose Origin header names
  another site is refused (403), which also covers body-less cross-site fetches.
- Every response carries a Content-Security-Policy with no external source, nosniff, no-referrer (seat links hold
  tokens) and frame-ancestors 'none'; API responses are not cached.
- Request lines are logged with `token=...` query values redacted; the X-Seat-Token header is never logged.
"""
from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.serving import WSGIRequestHandler

from model import UserError
from server.schemas import ApiError

SECRET_FILE = "secret_key"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
_TOKEN_RE = re.compile(r"(?i)((?:^|[?&\s])token=)[^&\s\"]+")


def redact(text: str) -> str:
    """Hide the value of every `token=` query parameter in a log line."""
    return _TOKEN_RE.sub(r"\1[redacted]", text)


def secret_key(data_dir: Path) -> str:
    """Read DATA_DIR/secret_key, creating it (0600, random) on first start."""
    path = data_dir / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) < 32:
            raise UserError("the secret key file is too short; delete it to generate a new one", file=str(path))
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def _same_origin(origin: str) -> bool:
    return origin.rstrip("/") == request.host_url.rstrip("/")


def install(app: Flask) -> None:
    """Register the request guard and the response headers on the app."""

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
                request.get_json(cache=True)
            except Exception:                     # werkzeug's BadRequest for malformed JSON
                return ApiError(400, "the request body is not valid JSON").response()
        return None

    @app.after_request
    def headers(resp: Response) -> Response:
        h = resp.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "no-referrer")
        h.setdefault("X-Frame-Options", "DENY")
        if request.path.startswith("/api/"):
            h.setdefault("Cache-Control", "no-store")
        return resp


class RedactingRequestHandler(WSGIRequestHandler):
    """werkzeug's request handler with seat tokens removed from every log line."""

    def log(self, type: str, message: str, *args: object) -> None:  # noqa: A002 (werkzeug's signature)
        super().log(type, redact(message), *(redact(a) if isinstance(a, str) else a for a in args))
