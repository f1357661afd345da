"""Fuzz every endpoint of the OpenAPI document (/api/openapi.json) with schemathesis, in-process over WSGI.

For each operation: schema-valid and schema-violating requests (schemathesis' positive and negative modes), with
random ids and aimed at real ones (a game with human seats and its seat token, an AI-only game, the `mini`
scenario). Every response must be below 500; every error must be JSON {"error": "<message>"}; every success must
match its documented schema; every response carries the Content-Security-Policy.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from reliability_helpers import make_data_dir, new_game
from server import create_app

EXAMPLES_PER_OPERATION = 100
SSE_PATHS = re.compile(r"/(stream|events)$")
# A stream that stays quiet (a watcher of a game nobody moves) writes only its keep-alive comment, every
# server.streams.KEEPALIVE (15 s) seconds, and schemathesis stops reading only when a write arrives after its
# timeout (10 s): each such case took 15 s (92 s for GET /api/games/{game_id}/stream). Here the streams write their
# keep-alive every STREAM_KEEPALIVE seconds and each stream is read for STREAM_READ seconds: the same loops run,
# more often.
STREAM_KEEPALIVE = 0.05
STREAM_READ = 0.5


def _operation_labels() -> list[str]:
    """Every operation of the document, read from an app on a throw-away data dir at collection time."""
    with tempfile.TemporaryDirectory() as d:
        app = create_app({"DATA_DIR": make_data_dir(Path(d))})
        doc = app.test_client().get("/api/openapi.json").get_json()
    return [f"{m.upper()} {p}" for p, ops in doc["paths"].items() for m in ops]


OPERATIONS = _operation_labels()


def test_the_document_lists_every_api_route(app, client):
    """`Every endpoint from the OpenAPI document` must mean every endpoint of the app."""
    documented = {(lbl.split()[0], lbl.split()[1]) for lbl in OPERATIONS}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.rule != "/api/openapi.json":
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            routed |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routed == documented
    assert len(OPERATIONS) >= 16


def check(case: schemathesis.Case, resp: object) -> None:
    status = resp.status_code
    assert status < 500, f"{case.operation.label} -> {status}: {resp.text[:300]}\n{case.as_curl_command()}"
    headers = {k.lower(): v[0] if isinstance(v, list) else v for k, v in resp.headers.items()}
    assert "content-security-policy" in headers
    assert "Traceback" not in resp.text
    if status >= 400:
        body = resp.json()
        assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"].strip(), resp.text
        assert headers["content-type"].startswith("application/json")
    elif not SSE_PATHS.search(case.operation.path):
        case.validate_response(resp, checks=[response_schema_conformance, content_type_conformance])


@pytest.mark.parametrize("label", OPERATIONS)
def test_fuzz_operation(app, client, label, monkeypatch):
    for module in ("server.api_games", "server.api_futures", "server.experiments_web"):
        monkeypatch.setattr(f"{module}.KEEPALIVE", STREAM_KEEPALIVE)
    human = new_game(client, human=["SYR", "USA"])
    ai = new_game(client)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    op = schema.find_operation_by_label(label)
    assert op is not None, label
    names = {p.name for p in op.path_parameters}
    strategies = [op.as_strategy(generation_mode=mode) for mode in GenerationMode]
    for game, token in ((human, human["tokens"]["SYR"]), (ai, None)):
        fixed = {k: v for k, v in {"game_id": game["id"], "scenario_id": "mini", "actor": "SYR"}.items()
                 if k in names}
        if not fixed:
            continue
        extra = {"query": {"interval": 0}} if op.path.endswith("/stream") else {}
        headers = {"X-Seat-Token": token} if token and any(p.name == "X-Seat-Token" for p in op.headers) else {}
        strategies += [op.as_strategy(generation_mode=mode, path_parameters=fixed, headers=headers or None,
                                      **extra) for mode in GenerationMode]
    # a generated id equal to a sibling route's literal segment (job_id "specs") is that route's request, by design
    literal = {path for path in client.get("/api/openapi.json").get_json()["paths"] if "{" not in path}
    seen: list[int] = []
    read = {"timeout": STREAM_READ} if SSE_PATHS.search(op.path) else {}

    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=st.one_of(strategies))
    def fuzz(case: schemathesis.Case) -> None:
        resp = case.call(**read)
        seen.append(resp.status_code)
        if case.formatted_path in literal and case.formatted_path != case.operation.path:
            return
        check(case, resp)

    fuzz()
    assert seen
