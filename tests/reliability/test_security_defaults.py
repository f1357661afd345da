"""Security defaults: a per-install secret key kept out of the repository, seat tokens from `secrets` compared in
constant time and never logged, no CSRF through forms or other sites, a Content-Security-Policy without external
sources on every response, debug off with no traceback in any response."""
from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

import server.games as games_module
from reliability_helpers import ROOT, Server, make_data_dir, new_game
from server import create_app
from server.store import DB_NAME

ALLOWED_CSP_SOURCES = {"'self'", "'none'", "'unsafe-inline'", "data:"}


# ------------------------------------------------------------------------------------------------ secret key
def test_secret_key_is_generated_per_install_private_and_not_in_the_repository(tmp_path):
    first = create_app({"DATA_DIR": tmp_path / "one"})
    path = tmp_path / "one" / "secret_key"
    key = path.read_text().strip()
    assert first.config["SECRET_KEY"] == key and len(key) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert create_app({"DATA_DIR": tmp_path / "one"}).config["SECRET_KEY"] == key      # kept across restarts
    assert create_app({"DATA_DIR": tmp_path / "two"}).config["SECRET_KEY"] != key      # never shared
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    names = tracked.splitlines()
    assert names and not [n for n in names if Path(n).name == "secret_key" or n.endswith((".sqlite3", ".db"))]
    assert not [n for n in names if n.startswith("instance/")]
    assert "instance/" in (ROOT / ".gitignore").read_text().split()
    literal = subprocess.run(["git", "grep", "-nE", r"SECRET_KEY['\"]?\]?\s*[:=]\s*['\"][^'\"]{8,}", "--", "*.py"],
                             cwd=ROOT, capture_output=True, text=True)
    assert literal.stdout == ""                    # no hard-coded key anywhere in the code


# ----------------------------------------------------------------------------------------------- seat tokens
def test_seat_tokens_and_game_ids_come_from_secrets(client, monkeypatch):
    made: list[str] = []
    real = games_module.secrets.token_urlsafe

    def spy(n: int) -> str:
        made.append(real(n))
        return made[-1]

    monkeypatch.setattr(games_module.secrets, "token_urlsafe", spy)
    game = new_game(client, human=["SYR", "USA", "RUS"])
    assert set(game["tokens"].values()) <= set(made) and game["id"] in made
    assert all(len(t) >= 32 for t in game["tokens"].values())
    many = {t for _ in range(30) for t in new_game(client, human=["SYR", "USA"])["tokens"].values()}
    assert len(many) == 60


def test_tokens_are_compared_in_constant_time_as_hashes(client, monkeypatch):
    game = new_game(client, human=["SYR"])
    calls: list[tuple[str, str]] = []
    real = games_module.hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(games_module.hmac, "compare_digest", spy)
    url = f"/api/games/{game['id']}/orders"
    wrong = "x" * 32
    assert client.post(url, json={"actor": "SYR", "orders": []}, headers={"X-Seat-Token": wrong}).status_code == 403
    assert calls[-1][0] == hashlib.sha256(wrong.encode()).hexdigest()       # the hash of what was given ...
    assert calls[-1][1] != game["tokens"]["SYR"]                            # ... against the stored hash, never
    token = game["tokens"]["SYR"]                                           # the plain token
    assert client.post(url, json={"actor": "SYR", "orders": []}, headers={"X-Seat-Token": token}).status_code == 200
    assert calls[-1] == (hashlib.sha256(token.encode()).hexdigest(),) * 2
    assert len(calls) == 2


def test_tokens_never_reach_the_log_or_the_database(data_dir, tmp_path):
    with Server(data_dir, tmp_path) as srv:
        game = srv.api("POST", "/api/games", {"scenario": "mini", "seed": 2, "human": ["SYR", "USA"]}).body
        gid, tokens = game["id"], game["tokens"]
        t = tokens["SYR"]
        assert srv.api("GET", game["seat_urls"]["SYR"]).status == 200                # ?seat=SYR&token=...
        assert srv.api("GET", f"/game/{gid}?token={t}&seat=SYR&x=1").status == 200
        assert srv.api("GET", f"/api/games/{gid}/seats/SYR/orders?token={t}", token=t).status == 200
        assert srv.api("POST", f"/api/games/{gid}/orders", {"actor": "SYR", "orders": []}, token=t).status == 200
        assert srv.api("POST", f"/api/games/{gid}/orders", {"actor": "USA", "orders": []}, token=t).status == 403
        assert srv.api("GET", f"/api/games/{gid}/seats/USA/orders", token=t + "x").status == 403
        log = srv.log()
    assert gid in log and "[redacted]" in log
    for token in tokens.values():
        assert token not in log and urllib.parse.quote(token) not in log
    raw = b"".join(p.read_bytes() for p in data_dir.glob(f"{DB_NAME}*"))
    for token in tokens.values():
        assert token.encode() not in raw
        assert hashlib.sha256(token.encode()).hexdigest().encode() in raw       # only its hash is kept


# ----------------------------------------------------------------------------------------------------- CSRF
def test_state_changing_requests_need_json_from_this_origin_and_the_seat_token(client, seats_game):
    gid, token = seats_game["id"], seats_game["tokens"]["SYR"]
    orders = f"/api/games/{gid}/orders"
    body = json.dumps({"actor": "SYR", "orders": []})
    for url, data in ((orders, body), ("/api/games", json.dumps({"scenario": "mini"})),
                      ("/api/scenarios", json.dumps({"id": "x", "yaml": "name: x"})), (f"/api/games/{gid}/step", "")):
        for ctype in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"):
            resp = client.post(url, data=data or "a=1", content_type=ctype, headers={"X-Seat-Token": token})
            assert resp.status_code == 415, (url, ctype, resp.status_code)
            assert "forms are not accepted" in resp.get_json()["error"]
        for origin in ("https://evil.example", "null", "http://localhost.evil.example", "http://127.0.0.1:9"):
            resp = client.post(url, data=data or "{}", content_type="application/json",
                               headers={"X-Seat-Token": token, "Origin": origin})
            assert resp.status_code == 403 and "cross-origin" in resp.get_json()["error"], (url, origin)
    resp = client.post(orders, data=body, content_type="application/json")                  # JSON, but no token
    assert resp.status_code == 403
    resp = client.post(orders, data=body, content_type="application/json",
                       headers={"X-Seat-Token": token, "Origin": "http://localhost"})         # same origin: fine
    assert resp.status_code == 200
    assert client.get(f"/api/games/{gid}").get_json()["waiting_for"] == ["USA"]              # once, not 15 times
    pre = client.options(orders, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
                                          "Access-Control-Request-Headers": "content-type,x-seat-token"})
    assert "Access-Control-Allow-Origin" not in pre.headers                                 # no CORS grant


# ------------------------------------------------------------------------------------------------------ CSP
def _csp_sources(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def test_every_page_and_api_response_has_a_csp_without_external_sources(client, seats_game, ai_game):
    gid = seats_game["id"]
    token = seats_game["tokens"]["SYR"]
    urls = ["/", f"/game/{gid}", f"/game/{gid}?seat=SYR&token={token}", f"/game/{ai_game['id']}", "/editor",
            "/editor/mini", "/experiments", "/api/scenarios", "/api/scenarios/mini", f"/api/games/{gid}",
            f"/api/games/{gid}/history", f"/api/games/{gid}/export", "/api/openapi.json", "/api/games/nope",
            "/api/nope", "/nope", "/api/experiments"]
    html = client.get("/").get_data(as_text=True)
    urls += re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    responses = [(u, client.get(u)) for u in urls]
    responses += [("POST form", client.post("/api/games", data="a=1", content_type="text/plain")),
                  ("PUT", client.put("/api/games")),
                  ("413", client.post("/api/games", data="x" * 1_100_000, content_type="application/json"))]
    assert len([u for u in urls if u.startswith("/static/")]) >= 2
    for url, resp in responses:
        policy = resp.headers.get("Content-Security-Policy")
        assert policy, url
        directives = _csp_sources(policy)
        assert directives.get("default-src") == ["'self'"] and directives.get("object-src") == ["'none'"]
        assert directives.get("frame-ancestors") == ["'none'"]
        assert "'unsafe-inline'" not in directives.get("script-src", []) and "'unsafe-eval'" not in policy
        for name, sources in directives.items():
            assert set(sources) <= ALLOWED_CSP_SOURCES, (url, name, sources)
        assert resp.headers.get("X-Content-Type-Options") == "nosniff"
        assert resp.headers.get("Referrer-Policy") == "no-referrer"          # seat links must not leak
        if resp.mimetype == "text/html":
            page = resp.get_data(as_text=True)
            assert not re.search(r'(?:src|href)="(?:https?:)?//', page), url      # nothing loaded from elsewhere
            assert "<script>" not in page and not re.search(r"\son[a-z]+=", page), url   # no inline script


# ----------------------------------------------------------------------------------------------------- debug
def test_wargame_serve_runs_with_debug_off_even_if_flask_debug_is_set(monkeypatch, tmp_path):
    import waitress.server

    from model.cli import serve
    from model.cli.main import build_parser

    captured = {}

    class FakeServer:
        def run(self) -> None:
            captured["served"] = True

        def close(self) -> None:
            pass

    def fake_create_server(app, **kw):
        captured["app"], captured["kw"] = app, kw
        return FakeServer()

    monkeypatch.setattr(waitress.server, "create_server", fake_create_server)
    monkeypatch.setattr(serve.signal, "signal", lambda *a: None)
    # no futures pool in the test process: stopped while it was still starting, it once left a pool worker blocked
    # on the queue's lock and pytest hung in the test's teardown (333 s until the worker was killed, 28 min run)
    monkeypatch.setattr("server.warm_futures", lambda app: None)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    args = build_parser().parse_args(["serve", "--port", "0", "--data-dir", str(tmp_path / "d"), "--workers", "1"])
    assert serve.run(args) == 0 and captured["served"]      # one process: each of --workers N serves the same way
    app = captured["app"].app                     # the app inside the access-log middleware
    assert app.debug is False and app.config["DEBUG"] is False and not app.config.get("PROPAGATE_EXCEPTIONS")
    assert app.config["MAX_CONTENT_LENGTH"] == 1_000_000
    kw = captured["kw"]                           # a production server with bounded threads and idle timeouts
    assert kw["threads"] == serve.DEFAULT_THREADS and kw["channel_timeout"] == serve.DEFAULT_IDLE_TIMEOUT
    assert kw["connection_limit"] == serve.CONNECTION_LIMIT and kw["expose_tracebacks"] is False
    for sock in kw["sockets"]:
        sock.close()
    app.extensions["wargame.data_dir_lock"].close()


def test_an_internal_error_shows_no_traceback(data_dir, tmp_path):
    """A broken stored game makes the server fail inside; the answer is one sentence, the details go to the log."""
    with Server(data_dir, tmp_path) as srv:
        game = srv.api("POST", "/api/games", {"scenario": "mini", "seed": 2, "human": ["SYR"]}).body
    with sqlite3.connect(data_dir / DB_NAME) as db:
        db.execute("UPDATE games SET scenario_hash = 'tampered' WHERE id = ?", (game["id"],))
    with Server(data_dir, tmp_path, env={"FLASK_DEBUG": "1"}) as srv:
        token = game["tokens"]["SYR"]
        resp = srv.api("GET", f"/api/games/{game['id']}/seats/SYR/orders", token=token)
        assert resp.status == 500
        assert resp.body == {"error": "internal error; the server log has the details"}
        page = srv.api("GET", "/console")                           # no Werkzeug debugger either
        assert page.status == 404
        log = srv.log()
    assert "Traceback" in log and "does not match its hash" in log     # the details are in the log ...
    assert token not in log                                            # ... without the seat token


def test_raw_hostile_requests_against_the_real_server(data_dir, tmp_path):
    """What a test client normalises away: raw `..` paths, a chunked body over the limit, a lying Content-Length."""
    key = (data_dir / "secret_key")
    with Server(data_dir, tmp_path) as srv:
        secret = key.read_text().strip()
        for path in ("/static/../secret_key", "/static/../../data/secret_key", "/api/scenarios/../../secret_key",
                     "/api/scenarios/..%2f..%2fsecret_key", "/api/scenarios/%2e%2e%2fsecret_key",
                     "/static/%2e%2e/%2e%2e/pyproject.toml", "/editor/..%2F..%2Fsecret_key"):
            conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
            conn.putrequest("GET", path, skip_accept_encoding=True)
            conn.endheaders()
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
            conn.close()
            assert secret not in text and "[build-system]" not in text, path
            assert resp.status in (200, 308, 400, 404), (path, resp.status)
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
        conn.putrequest("POST", "/api/scenarios/validate")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        chunk = b'{"yaml": "' + b"x" * 2_000_000 + b'"}'
        try:
            conn.send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(chunk), chunk))
            resp = conn.getresponse()
            assert resp.status == 413, resp.status
            assert "too large" in json.loads(resp.read())["error"]
        except (BrokenPipeError, ConnectionResetError):
            pass                                 # refusing mid-upload by closing is fine too
        conn.close()
        assert srv.api("GET", "/api/scenarios").status == 200           # still serving
        assert srv.proc.poll() is None


@pytest.mark.parametrize("flag", [[], ["--debug"]])
def test_the_serve_command_never_exposes_the_debugger(flag, tmp_path):
    """`wargame serve` has no reloader or interactive debugger in any mode (the --debug flag only shows
    tracebacks of start-up errors)."""
    source = (ROOT / "model" / "cli" / "serve.py").read_text()
    assert "use_debugger" not in source and "DebuggedApplication" not in source and "use_reloader" not in source
    run = subprocess.run([sys.executable, "-m", "model.cli", "serve", *flag, "--port", "-1", "--data-dir",
                          str(make_data_dir(tmp_path / "d"))], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "FLASK_DEBUG": "1"})
    assert run.returncode == 2 and "--port" in run.stderr
