"""Flask web server for the wargame: `create_app(config)` builds the app (application factory + blueprints).

    from server import create_app
    app = create_app({"DATA_DIR": "instance"})

What blueprints can use (page engineers): `current_app.config["DATA_DIR"]` (Path), `["USER_SCENARIO_DIR"]` (Path),
`current_app.extensions["wargame.games"]` (server.games.GameManager), `["wargame.scenarios"]`
(server.scenarios.ScenarioLibrary), `["wargame.store"]` (server.store.Store), `["wargame.futures"]`
(server.futures_jobs.FuturesJobs, made on first use: server.api_futures.jobs()). The JSON API lives under /api/ and
its OpenAPI document at /api/openapi.json is generated from the pydantic models in server/schemas.py.
"""
from __future__ import annotations

import errno
import importlib
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Response, request
from flask_openapi3 import Info, OpenAPI
from werkzeug.exceptions import HTTPException

from model import LockHeld, UserError, hold_lock, shipped_dir, user_dirs
from server import security
from server.schemas import ApiError, ErrorOut, error_text, json_response, validation_error_response

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "DATA_DIR": "instance",                 # games.sqlite3, secret_key, scenarios/ (the user's own)
    "BUILTIN_SCENARIO_DIR": None,           # None = the shipped scenarios
    "CONFIG_DIRS": (),                      # the user's config folders (`wargame serve --config-dir`): read only
    "MAX_CONTENT_LENGTH": 1_000_000,        # bytes; larger bodies get 413
    "GAME_CACHE_SIZE": 64,                  # live models kept in memory
    "JSON_SORT_KEYS": False,
    "BIND_HOST": None,                      # the address `wargame serve --host` bound: a name it answers for
    "PUBLIC_HOSTS": (),                    # more names it answers for (a public name behind a proxy)
    "EXCLUSIVE_DATA_DIR": False,            # lock the data dir (wargame serve: one server per data dir)
    "STREAMS_MAX": 8,                       # live event streams at once (each holds a server thread)
    "KEEP_DB_CONNECTIONS": False,           # keep each thread's SQLite connection between requests (a server with
                                            # a fixed pool of threads: wargame serve); else close it after each
    "SHARDS": None,                         # server.shards.Shards: this process is one of several workers
}
LOCK_NAME = "server.lock"
# Page blueprints written alongside the API; each module exposes `bp` and is skipped when not built yet.
PAGE_MODULES = ("server.pages", "server.experiments_web", "server.review_web", "server.forecast_web")
API_VERSION = "1"


def data_dir_of(value: str | os.PathLike) -> Path:
    """Create the data dir (and scenarios/) and check it is writable; a UserError names the folder otherwise."""
    path = Path(value).expanduser().resolve()
    try:
        (path / "scenarios").mkdir(parents=True, exist_ok=True)
        # a probe of its own (the workers of `wargame serve --workers N` check at the same moment: with one shared
        # name, one process's unlink made another's fail with "No such file or directory")
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-") as probe:
            probe.write(b"ok")
    except OSError as exc:
        raise UserError(f"the data dir is not writable ({exc.strerror or exc}); choose another with --data-dir",
                        file=str(path)) from None
    return path


def lock_data_dir(data_dir: Path) -> Any:
    """Hold an exclusive lock on DATA_DIR/server.lock for the life of this process (the kernel drops it when the
    process ends, even when killed): a second server on the same data dir is refused with the first one's pid,
    since two would each keep their own live games and wait on each other's seats."""
    try:
        return hold_lock(data_dir / LOCK_NAME)
    except LockHeld as held:
        raise UserError(f"another wargame server (pid {held.pid}) is using this data dir; stop it or choose "
                        "another --data-dir", file=str(data_dir)) from None


def create_app(config: Mapping[str, Any] | None = None) -> OpenAPI:
    """Build the app: config, data dir, game store, API blueprints, page blueprints, security and error handlers."""
    from threadpoolctl import threadpool_limits

    from server.games import GameManager
    from server.scenarios import ScenarioLibrary
    from server.store import Store

    # the model's matrices are actor x actor (a dozen): one BLAS thread is fastest, and leaves the other cores to
    # the other requests (numpy is loaded by now: server.games imports the model)
    threadpool_limits(limits=1, user_api="blas")
    app = OpenAPI(__name__, info=Info(title="Syria 2025 wargame API", version=API_VERSION),
                  doc_ui=False, validation_error_status=400, validation_error_model=ErrorOut,
                  validation_error_callback=validation_error_response)
    app.url_map.merge_slashes = False   # /api/games//history is a JSON 404, not werkzeug's HTML 308 to another URL
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    data_dir = data_dir_of(app.config["DATA_DIR"])
    app.config["DATA_DIR"] = data_dir
    app.config["USER_SCENARIO_DIR"] = data_dir / "scenarios"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = security.secret_key(data_dir)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    if app.config["EXCLUSIVE_DATA_DIR"]:
        app.extensions["wargame.data_dir_lock"] = lock_data_dir(data_dir)

    shards = app.config.get("SHARDS")
    store = Store(data_dir, shared=shards is not None)
    library = ScenarioLibrary(app.config["USER_SCENARIO_DIR"],
                              app.config.get("BUILTIN_SCENARIO_DIR") or shipped_dir("scenarios"),
                              library_dirs=user_dirs("scenarios", [Path(d) for d in app.config["CONFIG_DIRS"]]))
    manager = GameManager(store, library, cache_size=int(app.config["GAME_CACHE_SIZE"]), shards=shards)
    app.extensions["wargame.shards"] = shards
    app.extensions["wargame.store"] = store
    app.extensions["wargame.scenarios"] = library
    app.extensions["wargame.games"] = manager
    if app.config["KEEP_DB_CONNECTIONS"]:
        store.checkpoint_in_background()
    else:
        app.teardown_appcontext(lambda exc: store.close())   # this thread's connection; reopened on next use

    from server import api_futures, api_games, api_scenarios
    app.register_api(api_scenarios.bp)
    app.register_api(api_games.bp)
    app.register_api(api_futures.bp)
    app.add_url_rule("/api/openapi.json", "openapi_json", lambda: json_response(_openapi_doc(app)))
    _register_pages(app)
    security.install(app)
    _install_error_handlers(app)
    manager.recover()
    return app


def warm_futures(app: OpenAPI) -> None:
    """Start the futures' worker pool now, in the background, so its workers are warm before the first futures
    request (`wargame serve` calls it once it listens; otherwise the pool starts with the first job that needs it)."""
    from server import api_futures

    with app.app_context():
        api_futures.jobs().warm_in_background()


def stop_futures(app: OpenAPI) -> None:
    """Cancel the futures jobs and stop the worker pool (`wargame serve` on its way out)."""
    jobs = app.extensions.get("wargame.futures")
    if jobs is not None:
        jobs.close()


def _openapi_doc(app: OpenAPI) -> dict[str, Any]:
    """The generated OpenAPI document, kept valid: flask-openapi3 writes `securitySchemes: null` when none is set."""
    doc = dict(app.api_doc)
    doc["components"] = {k: v for k, v in (doc.get("components") or {}).items() if v is not None}
    return doc


def _register_pages(app: OpenAPI) -> None:
    for name in PAGE_MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:      # a page module not written yet is simply absent
            if exc.name != name:
                raise
            continue
        bp = mod.bp
        if hasattr(bp, "paths"):                # an APIBlueprint: its routes join the OpenAPI document
            app.register_api(bp)
        else:
            app.register_blueprint(bp)


def storage_error(exc: BaseException) -> ApiError | None:
    """A full disk (507) or a read-only data dir (503) as one clear sentence; None for any other error.

    Every state change is one SQLite transaction, so when a write fails nothing of it was kept."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    err = exc.errno if isinstance(exc, OSError) else None
    unchanged = "so the change could not be saved and the game stays at its last saved turn"
    if name == "SQLITE_FULL" or err in (errno.ENOSPC, errno.EDQUOT):
        return ApiError(507, f"the server's disk is full, {unchanged}; free some space in the data dir and retry")
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")) or err in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ApiError(503, f"the server's data dir is read-only, {unchanged}; make it writable and retry")
    return None


PAGE_ERRORS = {
    404: ("Page not found",
          "There is no page at {path}. The games, the editor and the experiments are one click away."),
    405: ("Not allowed here", "{path} cannot be used that way ({method})."),
    413: ("Too large", "What was sent is larger than this server accepts."),
    500: ("Something went wrong", "The server could not answer {path}; the server log has the details. Your games "
                                  "are saved turn by turn, so nothing played is lost."),
}


def error_page(status: int, exc: HTTPException | None) -> Response:
    """A styled page for an error on a page (not under /api/), with the site's menu and a way back."""
    from flask import render_template

    title, text = PAGE_ERRORS.get(status, (exc.name if exc else "Error", (exc.description if exc else "") or ""))
    message = text.format(path=request.path[:200], method=request.method)
    try:
        html = render_template("error.html", status=status, title=title, message=message, active="")
    except Exception:        # the error page itself must never fail
        log.exception("the error page could not be rendered")
        return Response(f"{status} {title}: {message}", status, mimetype="text/plain")
    resp = Response(html, status, mimetype="text/html")
    if exc is not None and status == 405 and getattr(exc, "valid_methods", None):
        resp.headers["Allow"] = ", ".join(getattr(exc, "valid_methods", None) or [])
    return resp


def _install_error_handlers(app: OpenAPI) -> None:
    """Every error under /api/ is JSON {"error": ...}; pages get a styled error page (error.html)."""

    @app.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Response:
        return exc.response()

    @app.errorhandler(UserError)
    def user_error(exc: UserError) -> Response:
        return ApiError(400, error_text(exc)).response()       # files by name, never the server's path

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response | HTTPException:
        if exc.code is None:
            return exc
        if not security.is_api(request.path):
            return error_page(exc.code, exc)
        allowed = sorted(m for m in (getattr(exc, "valid_methods", None) or []) if m not in ("HEAD", "OPTIONS"))
        message = {
            404: f"no such endpoint: {request.method} {request.path}",
            405: f"method {request.method} is not allowed for {request.path}; allowed: {', '.join(allowed)}"
            if allowed else f"method {request.method} is not allowed here",
            413: f"the request body is too large (the limit is {app.config['MAX_CONTENT_LENGTH']:,} bytes)",
            415: "Content-Type must be application/json",
        }.get(exc.code, exc.description or exc.name)
        resp = ApiError(exc.code, message).response()
        if exc.code == 405 and getattr(exc, "valid_methods", None):
            resp.headers["Allow"] = ", ".join(getattr(exc, "valid_methods", None) or [])
        return resp

    @app.errorhandler(Exception)
    def internal_error(exc: Exception) -> Response | HTTPException:
        if isinstance(exc, HTTPException):
            return http_error(exc)
        app.logger.exception("error on %s %s", request.method, request.path)
        storage = storage_error(exc)
        if storage is not None:
            return storage.response() if security.is_api(request.path) else \
                Response(storage.message, storage.status, mimetype="text/plain")
        if not security.is_api(request.path):
            return error_page(500, None)
        return ApiError(500, "internal error; the server log has the details").response()
