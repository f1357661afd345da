"""The experiments page and API with the Flask test client: specs, validation, launching, progress, results."""
from __future__ import annotations

import io
import os
import re
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from model.experiments.runner import run_batch
from model.experiments.spec import load_experiment
from server import create_app

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "experiments" / "tiny.yaml"
MINI = ROOT / "tests" / "data" / "scenarios" / "mini.yaml"
SPEC = TINY.read_text().replace("../scenarios/mini.yaml", "mini-test")   # a user scenario, by name


@pytest.fixture()
def app(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "TESTING": True, "EXPERIMENTS_MAX_RUNS": 5000})
    shutil.copy(MINI, app.config["USER_SCENARIO_DIR"] / "mini-test.yaml")
    yield app
    ext = app.extensions.get("wargame.experiments")
    for proc in (ext.procs.values() if ext else ()):   # never leave an experiment running after a test
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
            proc.wait()


@pytest.fixture()
def client(app):
    return app.test_client()


def wait_for(client, jid: str, states=("done", "failed", "cancelled"), timeout: float = 120) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        st = client.get(f"/api/experiments/{jid}").get_json()
        if st["status"] in states:
            return st
        time.sleep(0.1)
    raise AssertionError(f"experiment {jid} still {st['status']} after {timeout} s")


def test_the_page_loads_its_script_and_echarts_without_inline_code(client):
    r = client.get("/experiments")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert 'src="/static/js/experiments.js"' in page and "vendor/echarts/echarts.min.js" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)          # CSP: no inline scripts
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    with client.get("/static/js/experiments.js") as js:
        assert js.status_code == 200 and b"EventSource" in js.data


def test_echarts_is_the_one_copy_model_owns_served_at_its_url(client):
    """The pages and the reports use one vendored ECharts: model's package data, which the server serves."""
    from model import ECHARTS_JS

    with client.get("/static/vendor/echarts/echarts.min.js") as r:
        assert r.status_code == 200 and r.mimetype == "text/javascript"
        assert r.data == ECHARTS_JS.read_bytes() and r.headers["ETag"]
    assert (ECHARTS_JS.parent / "LICENSE").is_file() and (ECHARTS_JS.parent / "NOTICE").is_file()
    assert not list((ROOT / "server").rglob("echarts*.js"))                 # no second copy in the server


def test_specs_are_listed_read_and_saved(client):
    specs = client.get("/api/experiments/specs").get_json()
    builtin = {s["id"] for s in specs if s["builtin"]}
    assert {p.stem for p in (ROOT / "configs" / "experiments").glob("*.yaml")} == builtin
    assert client.get("/api/experiments/specs/no-such").status_code == 404
    r = client.post("/api/experiments/specs", json={"id": "mine", "yaml": SPEC})
    assert r.status_code == 201 and r.get_json()["name"] == "Tiny experiment"
    assert client.get("/api/experiments/specs/mine").get_json()["yaml"] == SPEC
    if builtin:
        r = client.post("/api/experiments/specs", json={"id": sorted(builtin)[0], "yaml": SPEC})
        assert r.status_code == 409 and "built-in" in r.get_json()["error"]
    r = client.post("/api/experiments/specs", json={"id": "bad", "yaml": SPEC.replace("replications: 5",
                                                                                     "replications: 0")})
    assert r.status_code == 400 and r.get_json()["errors"][0]["line"] == 5
    assert client.post("/api/experiments/specs", json={"id": "../x", "yaml": SPEC}).status_code == 400


def test_validation_reports_lines_and_the_number_of_runs(client):
    ok = client.post("/api/experiments/validate", json={"yaml": SPEC}).get_json()
    assert ok == {"ok": True, "errors": [], "runs": 20, "cells": 4}
    text = SPEC.replace("arm: engaged", "arm: engagd", 1)
    err = client.post("/api/experiments/validate", json={"yaml": text}).get_json()["errors"][0]
    assert err["field"] == "hypotheses.engagement_up.arm" and "unknown arm 'engagd'" in err["message"]
    assert err["line"] == text.splitlines().index("    arm: engagd") + 1
    paths = client.post("/api/experiments/validate", json={"yaml": SPEC.replace("mini-test", "/etc/passwd")})
    assert "no scenario named '/etc/passwd'" in paths.get_json()["errors"][0]["message"]


def test_launch_stream_progress_then_results_and_downloads(client, tmp_path):
    r = client.post("/api/experiments", json={"yaml": SPEC, "replications": 3, "workers": 1})
    assert r.status_code == 201
    job = r.get_json()
    assert job["status"] in ("starting", "running") and job["runs"] == 12
    events = client.get(f"/api/experiments/{job['id']}/events?interval=0.05").get_data(as_text=True)
    kinds = re.findall(r"^event: (\w+)$", events, re.M)
    assert kinds[-1] == "done" and "progress" in kinds
    st = client.get(f"/api/experiments/{job['id']}").get_json()
    assert st["status"] == "done" and st["progress"]["done"] == 12 and st["error"] is None
    assert {f["name"] for f in st["files"]} >= {"runs.parquet", "turns.parquet", "summary.csv", "report.html"}
    verdicts = {h["hypothesis"]: h["verdict"] for h in st["summary"]["hypotheses"] if h["point"] == "all"}
    assert set(verdicts) == {"engagement_up", "tartus_kept"}
    assert set(verdicts.values()) <= {"supported", "contradicted", "negligible", "inconclusive"}
    assert [d["outcome"] for d in st["summary"]["distributions"]][:2] == ["tartus_held", "alignment_final"]
    with client.get(f"/api/experiments/{job['id']}/files/runs.parquet") as r:
        assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
        web = pd.read_parquet(io.BytesIO(r.data))
    spec = tmp_path / "same.yaml"
    spec.write_text(TINY.read_text().replace("../scenarios/mini.yaml", str(MINI)))
    local = run_batch(load_experiment(spec, replications=3), tmp_path / "local", progress=False).runs
    pd.testing.assert_frame_equal(web, local)            # the web's results are the CLI's, seed for seed
    with client.get(f"/api/experiments/{job['id']}/files/summary.csv") as csv:
        assert csv.status_code == 200 and csv.data.startswith(b"table,arm,point")
    assert client.get(f"/api/experiments/{job['id']}/files/secret_key").status_code == 404
    assert client.get(f"/api/experiments/{job['id']}/files/..%2Fjob.json").status_code == 404
    assert [j["id"] for j in client.get("/api/experiments").get_json()] == [job["id"]]


def test_a_saved_spec_launches_by_id(client):
    client.post("/api/experiments/specs", json={"id": "mine", "yaml": SPEC})
    job = client.post("/api/experiments", json={"spec": "mine", "replications": 1, "workers": 1}).get_json()
    assert job["spec"] == "mine" and job["runs"] == 4
    assert wait_for(client, job["id"])["status"] == "done"


@pytest.mark.parametrize("field", ["replications", "turns", "workers"])
@pytest.mark.parametrize("value", [True, "5", 2.0])
def test_a_launch_takes_whole_numbers_only(client, field, value):
    """As the rest of the API: true or "5" is refused, not read as 1 or 5 to start a real batch."""
    r = client.post("/api/experiments", json={"yaml": SPEC, field: value})
    assert r.status_code == 400 and field in r.get_json()["error"], r.get_json()
    assert client.get("/api/experiments").get_json() == []


def test_cancel_stops_the_process_and_limits_are_enforced(app, client):
    app.config["EXPERIMENTS_MAX_RUNNING"] = 1     # read when the first request needs the experiments
    big = client.post("/api/experiments", json={"yaml": SPEC, "replications": 1000, "workers": 1}).get_json()
    r = client.post("/api/experiments", json={"yaml": SPEC, "replications": 1})
    assert r.status_code == 409 and "limit is 1" in r.get_json()["error"]
    wait_for(client, big["id"], states=("running",))
    st = client.post(f"/api/experiments/{big['id']}/cancel").get_json()
    assert st["status"] == "cancelled"
    proc = app.extensions["wargame.experiments"].procs[big["id"]]
    assert proc.poll() is not None
    assert client.post(f"/api/experiments/{big['id']}/cancel").status_code == 409
    assert client.get(f"/api/experiments/{big['id']}/files/runs.parquet").status_code == 404
    r = client.post("/api/experiments", json={"yaml": SPEC, "replications": 2000})
    assert r.status_code == 400 and "at most 5,000" in r.get_json()["error"]
    r = client.post("/api/experiments", json={"yaml": SPEC, "spec": "x"})
    assert r.status_code == 400 and "either spec" in r.get_json()["error"]
    assert client.delete(f"/api/experiments/{big['id']}").status_code == 204
    assert client.get(f"/api/experiments/{big['id']}").status_code == 404


def test_a_failing_experiment_reports_its_error(app, client):
    from server.experiment_jobs import run_job
    job = client.post("/api/experiments", json={"yaml": SPEC, "replications": 1, "workers": 1}).get_json()
    assert wait_for(client, job["id"])["status"] == "done"
    d = Path(app.config["DATA_DIR"]) / "experiments" / "jobs" / job["id"]
    shutil.rmtree(d / "out")
    (d / "spec.yaml").write_text(SPEC.replace("mini-test", "gone-scenario"))   # as if it changed under the job
    assert run_job(str(d)) == 2
    st = client.get(f"/api/experiments/{job['id']}").get_json()
    assert st["status"] == "failed" and "no scenario named 'gone-scenario'" in st["error"] and st["files"] == []


def test_the_api_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {"/api/experiments", "/api/experiments/{job_id}/events", "/api/experiments/validate"} <= set(paths)
    assert "/experiments" not in paths


def test_one_spec_saved_from_several_requests_at_once_is_saved_whole_every_time(app):
    """Two server workers (or threads) saving one id: each save answers 201 and the file is one of the texts (they
    shared a temporary name, so one renamed the other's file away and failed with a 500)."""
    import threading

    texts = [SPEC.replace("name:", f"# save {i}\nname:", 1) for i in range(6)]
    answers: list[int] = []

    def save(text: str) -> None:
        client = app.test_client()
        for _ in range(6):
            answers.append(client.post("/api/experiments/specs", json={"id": "shared", "yaml": text}).status_code)

    threads = [threading.Thread(target=save, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [201] * 36
    saved = app.test_client().get("/api/experiments/specs/shared").get_json()["yaml"]
    assert saved in texts
