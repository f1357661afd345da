"""The experiments page and its API: pick or write a spec, launch it in the background, watch it, read the results.

An experiment runs in its own process (`run_job`, started with subprocess in a new session), niced, so the server
keeps answering while the cores work; its state lives in files under DATA_DIR/experiments/jobs/<id>/ (job.json,
spec.yaml, log.txt, error.txt, out/ with the batch's progress.json and results), so a restarted server still
lists finished experiments and follows running ones. Specs come from configs/experiments/ (built in) or
DATA_DIR/experiments/specs/ (the user's own); specs written in the browser may name scenarios (built-in or the
user's) but not file paths.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from flask import Response, current_app, render_template, send_file
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator, model_validator

from model.errors import UserError
from model.experiment_spec import EXPERIMENT_DIR
from server.scenarios import error_items
from server.schemas import MAX_YAML_CHARS, ApiError, ErrorItem, ErrorOut, json_response

TAG = Tag(name="experiments", description="Batch experiments: specs, launching, progress (SSE), results")
bp = APIBlueprint("experiments", __name__, abp_tags=[TAG], abp_responses={400: ErrorOut})
POST_ERRORS = {413: ErrorOut, 415: ErrorOut}

SPEC_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
JOB_ID_RE = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$")
SPEC_ID_HINT = "letters, digits, '-' or '_' (1-64 characters, starting with a letter or digit)"
FILES = {"runs.parquet": "application/vnd.apache.parquet", "turns.parquet": "application/vnd.apache.parquet",
         "summary.csv": "text/csv", "summary.md": "text/markdown", "report.html": "text/html",
         "metadata.json": "application/json", "summary.json": "application/json"}
DEFAULTS = {"EXPERIMENTS_MAX_RUNS": 200_000,     # runs one launch may ask for
            "EXPERIMENTS_MAX_RUNNING": 2,        # experiments running at once
            "EXPERIMENTS_NICE": 5}               # niceness of experiment processes (the server stays responsive)
FINAL = ("done", "failed", "cancelled")


# ------------------------------------------------------------------------------------------------ models
class SpecPath(BaseModel):
    spec_id: str = Field(description="Spec id: a file stem in configs/experiments/ or a user spec.")


class JobPath(BaseModel):
    job_id: str = Field(description="Experiment id, as returned when it was launched.")


class FilePath(JobPath):
    name: str = Field(description="File name: " + ", ".join(FILES))


class SpecSummary(BaseModel):
    id: str
    name: str
    description: str
    builtin: bool = Field(description="True for specs shipped in configs/experiments/ (never overwritten).")


class SpecDetail(SpecSummary):
    yaml: str = Field(description="The spec's YAML text.")


class SpecList(RootModel[list[SpecSummary]]):
    """Built-in specs first, then the user's own."""


class SpecTextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    yaml: str = Field(max_length=MAX_YAML_CHARS, description="Experiment spec YAML text.")


class SaveSpecIn(SpecTextIn):
    id: str = Field(description=f"Id of the user spec: {SPEC_ID_HINT}.")

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not SPEC_ID_RE.match(v):
            raise ValueError(f"expected {SPEC_ID_HINT}, got {v!r}")
        return v


class ValidateSpecOut(BaseModel):
    ok: bool
    errors: list[ErrorItem]
    runs: int | None = Field(None, description="Runs the spec asks for (cells x replications) when it is valid.")
    cells: int | None = Field(None, description="Arms x sweep points.")


class LaunchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    spec: str | None = Field(None, description="Id of a built-in or user spec to run.")
    yaml: str | None = Field(None, max_length=MAX_YAML_CHARS, description="Or a spec's YAML text.")
    replications: int | None = Field(None, ge=1, le=1_000_000, description="Override the spec's replications.")
    turns: int | None = Field(None, ge=1, le=240, description="Override the spec's turns.")
    workers: int | None = Field(None, ge=1, le=256, description="Worker processes (default: the CPU cores).")

    @model_validator(mode="after")
    def _one_source(self) -> "LaunchIn":
        if (self.spec is None) == (self.yaml is None):
            raise ValueError("give either spec (an id) or yaml (a spec's text)")
        return self


class Progress(BaseModel):
    state: str
    done: int
    total: int
    elapsed: float | None = None
    rate: float | None = Field(None, description="Runs per second in this session.")
    eta: float | None = Field(None, description="Seconds left at the current rate.")
    error: str | None = None


class FileLink(BaseModel):
    name: str
    url: str
    bytes: int


class JobOut(BaseModel):
    id: str
    name: str
    spec: str | None = Field(None, description="Spec id, or null for a spec written in the browser.")
    status: str = Field(description="starting, running, done, failed or cancelled.")
    created: str
    runs: int
    workers: int
    progress: Progress | None = None
    error: str | None = None
    files: list[FileLink] = Field(default_factory=list)
    summary: dict | None = Field(None, description="summary.json when done: verdicts, outcome tables, chart data.")


class JobList(RootModel[list[JobOut]]):
    """Experiments, newest first (without their summaries)."""


# ---------------------------------------------------------------------------------------------- the jobs
class Experiments:
    """Specs and experiment jobs of one data folder."""

    def __init__(self, data_dir: Path, user_scenarios: Path, builtin_specs: Path = EXPERIMENT_DIR,
                 *, max_runs: int, max_running: int, nice: int) -> None:
        self.root = Path(data_dir) / "experiments"
        self.spec_dir, self.job_dir = self.root / "specs", self.root / "jobs"
        self.spec_dir.mkdir(parents=True, exist_ok=True)
        self.job_dir.mkdir(parents=True, exist_ok=True)
        self.builtin, self.user_scenarios = Path(builtin_specs), Path(user_scenarios)
        self.max_runs, self.max_running, self.nice = max_runs, max_running, nice
        self.procs: dict[str, subprocess.Popen] = {}
        self.lock = threading.Lock()

    # ----------------------------------------------------------------------------------------- specs
    def _spec_file(self, sid: str) -> tuple[Path, bool]:
        if not SPEC_ID_RE.match(sid):
            raise ApiError(404, f"no experiment spec {sid!r}")
        for folder, builtin in ((self.builtin, True), (self.spec_dir, False)):
            p = folder / f"{sid}.yaml"
            if p.is_file():
                return p, builtin
        raise ApiError(404, f"no experiment spec {sid!r}")

    def specs(self) -> list[dict]:
        out = []
        for folder, builtin in ((self.builtin, True), (self.spec_dir, False)):
            for p in sorted(folder.glob("*.yaml")):
                if not SPEC_ID_RE.match(p.stem) or (not builtin and (self.builtin / p.name).is_file()):
                    continue
                out.append({"id": p.stem, "builtin": builtin, **_title(p)})
        return out

    def spec(self, sid: str) -> dict:
        p, builtin = self._spec_file(sid)
        return {"id": sid, "builtin": builtin, **_title(p), "yaml": p.read_text(encoding="utf-8")}

    def check(self, text: str) -> tuple[Any, list[ErrorItem]]:
        """Validate spec text exactly as a launch will (scenario names only, user scenarios found)."""
        from model.experiment_spec import load_experiment
        with tempfile.TemporaryDirectory(dir=self.root, prefix=".check-") as d:
            p = Path(d) / "spec.yaml"
            p.write_text(text, encoding="utf-8")
            try:
                return load_experiment(p, allow_paths=False, search_dirs=[self.user_scenarios]), []
            except UserError as exc:
                return None, error_items(exc, str(p), "the spec")

    def save_spec(self, sid: str, text: str) -> None:
        if (self.builtin / f"{sid}.yaml").is_file():
            raise ApiError(409, f"id: {sid!r} is a built-in spec and is never overwritten; save it under another id")
        _, errors = self.check(text)
        if errors:
            raise ApiError(400, _invalid(errors), errors=[e.model_dump() for e in errors])
        tmp = self.spec_dir / f".{sid}.yaml.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.spec_dir / f"{sid}.yaml")

    # ------------------------------------------------------------------------------------------ jobs
    def launch(self, body: LaunchIn) -> dict:
        if body.spec is not None:
            text, sid = self._spec_file(body.spec)[0].read_text(encoding="utf-8"), body.spec
        else:
            text, sid = body.yaml or "", None
        exp, errors = self.check(text)
        if errors:
            raise ApiError(400, _invalid(errors), errors=[e.model_dump() for e in errors])
        reps = body.replications or exp.replications
        runs = len(exp.cells) * reps
        if runs > self.max_runs:
            raise ApiError(400, f"replications: {runs:,} runs asked for; the server runs at most {self.max_runs:,} "
                                "per experiment (use `wargame batch` for more)")
        workers = min(body.workers or _cores(), _cores() * 4)
        with self.lock:
            running = [j for j in self._ids() if self._live(j)]
            if len(running) >= self.max_running:
                raise ApiError(409, f"{len(running)} experiments are running (the limit is {self.max_running}); "
                                    "wait for one to finish or cancel it")
            jid = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
            d = self.job_dir / jid
            d.mkdir()
            (d / "spec.yaml").write_text(text, encoding="utf-8")
            job = {"id": jid, "name": exp.spec.name or sid or "experiment", "spec": sid,
                   "created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "runs": runs,
                   "replications": reps, "turns": body.turns, "workers": workers,
                   "user_scenarios": str(self.user_scenarios), "nice": self.nice}
            (d / "job.json").write_text(json.dumps(job, indent=1))
            with open(d / "log.txt", "wb") as log:
                proc = subprocess.Popen(
                    [sys.executable, "-c", "import sys; from server.experiments_web import run_job; "
                                           "sys.exit(run_job(sys.argv[1]))", str(d)],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                    cwd=str(Path(__file__).resolve().parent.parent))
            self.procs[jid] = proc
            job["pid"] = proc.pid
            (d / "job.json").write_text(json.dumps(job, indent=1))
        return self.status(jid)

    def _ids(self) -> list[str]:
        return sorted((p.name for p in self.job_dir.iterdir() if JOB_ID_RE.match(p.name)), reverse=True)

    def _dir(self, jid: str) -> Path:
        d = self.job_dir / jid
        if not JOB_ID_RE.match(jid) or not (d / "job.json").is_file():
            raise ApiError(404, f"no experiment {jid!r}")
        return d

    def _live(self, jid: str) -> bool:
        proc = self.procs.get(jid)
        if proc is not None:
            return proc.poll() is None
        try:   # started by an earlier server process: trust the pid only if it still runs this job
            pid = json.loads((self.job_dir / jid / "job.json").read_text()).get("pid")
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes() if pid else b""
        except (OSError, ValueError):
            return False
        return jid.encode() in cmd

    def status(self, jid: str, *, summary: bool = True) -> dict:
        d = self._dir(jid)
        job = json.loads((d / "job.json").read_text())
        out = d / "out"
        progress = _read_json(out / "progress.json")
        live = self._live(jid)
        error = (d / "error.txt").read_text(encoding="utf-8").strip() if (d / "error.txt").is_file() else None
        if (d / "cancelled").is_file():
            status = "cancelled"
        elif error:
            status = "failed"
        elif progress and progress.get("state") == "done" and (out / "summary.json").is_file():
            status = "done"
        elif live:
            status = "running" if progress else "starting"
        else:
            status = "failed"
            error = "the experiment stopped before it finished; its log: " + _tail(d / "log.txt")
        files = [{"name": n, "url": f"/api/experiments/{jid}/files/{n}", "bytes": (out / n).stat().st_size}
                 for n in FILES if status == "done" and (out / n).is_file()]
        res = {"id": jid, "name": job["name"], "spec": job.get("spec"), "status": status, "created": job["created"],
               "runs": job["runs"], "workers": job["workers"], "progress": progress, "error": error, "files": files}
        if summary and status == "done":
            res["summary"] = _read_json(out / "summary.json")
        return res

    def list(self) -> list[dict]:
        return [self.status(j, summary=False) for j in self._ids()]

    def cancel(self, jid: str) -> dict:
        d = self._dir(jid)
        if not self._live(jid):
            raise ApiError(409, f"experiment {jid} is not running")
        (d / "cancelled").write_text("cancelled from the web page\n")
        pid = json.loads((d / "job.json").read_text())["pid"]
        try:
            os.killpg(pid, signal.SIGTERM)   # its own session: the batch and its worker processes
        except ProcessLookupError:
            pass
        proc = self.procs.get(jid)
        if proc is not None:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(pid, signal.SIGKILL)
                proc.wait()
        return self.status(jid)

    def file(self, jid: str, name: str) -> Path:
        d = self._dir(jid)
        p = d / "out" / name
        if name not in FILES or not p.is_file() or self.status(jid, summary=False)["status"] != "done":
            raise ApiError(404, f"no file {name!r} for experiment {jid}; files: {', '.join(FILES)} once it is done")
        return p

    def delete(self, jid: str) -> None:
        d = self._dir(jid)
        if self._live(jid):
            raise ApiError(409, f"experiment {jid} is running; cancel it first")
        self.procs.pop(jid, None)
        shutil.rmtree(d)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _title(p: Path) -> dict:
    try:
        from model.configio import read_yaml
        data, _ = read_yaml(p)
        return {"name": str(data.get("name") or p.stem), "description": str(data.get("description") or "").strip()}
    except UserError:
        return {"name": p.stem, "description": "(this file has errors)"}


def _read_json(p: Path) -> Any:
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _tail(p: Path, n: int = 600) -> str:
    try:
        text = p.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return "(no log)"
    return ("..." + text[-n:]) if len(text) > n else (text or "(empty)")


def _invalid(errors: list[ErrorItem]) -> str:
    first = errors[0]
    where = (f"line {first.line}: " if first.line else "") + (f"{first.field}: " if first.field else "")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"the spec is not valid: {where}{first.message}{more}"


def run_job(job_dir: str) -> int:
    """Entry of the background process: run the job's batch into job_dir/out; a mistake goes to error.txt."""
    from model.experiment import load_experiment, run_batch

    d = Path(job_dir)
    job = json.loads((d / "job.json").read_text())
    try:
        os.nice(int(job.get("nice", 0)))
    except OSError:
        pass
    try:
        exp = load_experiment(d / "spec.yaml", replications=job["replications"], turns=job.get("turns"),
                              allow_paths=False, search_dirs=[Path(job["user_scenarios"])])
        run_batch(exp, d / "out", workers=int(job["workers"]), progress=False)
    except UserError as exc:
        (d / "error.txt").write_text(str(exc), encoding="utf-8")
        return 2
    except Exception as exc:
        import traceback
        traceback.print_exc()
        (d / "error.txt").write_text(f"internal error ({type(exc).__name__}: {exc}); see the log", encoding="utf-8")
        return 1
    return 0


# ------------------------------------------------------------------------------------------------ routes
def experiments() -> Experiments:
    app = current_app
    ext = app.extensions.get("wargame.experiments")
    if ext is None:
        cfg = {k: app.config.get(k, v) for k, v in DEFAULTS.items()}
        data = Path(app.config.get("DATA_DIR", "instance"))
        ext = Experiments(data, Path(app.config.get("USER_SCENARIO_DIR", data / "scenarios")),
                          max_runs=int(cfg["EXPERIMENTS_MAX_RUNS"]), max_running=int(cfg["EXPERIMENTS_MAX_RUNNING"]),
                          nice=int(cfg["EXPERIMENTS_NICE"]))
        app.extensions["wargame.experiments"] = ext
    return ext


@bp.get("/experiments", doc_ui=False)
def page() -> str:
    """Pick or write a spec, launch it, watch its progress, read its verdicts and download its tables."""
    return render_template("experiments.html", active="experiments")


@bp.get("/api/experiments/specs", summary="List experiment specs", responses={200: SpecList})
def list_specs() -> Response:
    """Built-in specs (configs/experiments/) first, then the user's own (DATA_DIR/experiments/specs/)."""
    return json_response(experiments().specs())


@bp.get("/api/experiments/specs/<spec_id>", summary="Read an experiment spec",
        responses={200: SpecDetail, 404: ErrorOut})
def get_spec(path: SpecPath) -> Response:
    return json_response(experiments().spec(path.spec_id))


@bp.post("/api/experiments/specs", summary="Save a user experiment spec",
         responses={201: SpecSummary, 409: ErrorOut, **POST_ERRORS})
def save_spec(body: SaveSpecIn) -> Response:
    """Validate and save as DATA_DIR/experiments/specs/<id>.yaml; built-in ids are refused (409)."""
    experiments().save_spec(body.id, body.yaml)
    return json_response(next(s for s in experiments().specs() if s["id"] == body.id and not s["builtin"]), 201)


@bp.post("/api/experiments/validate", summary="Validate an experiment spec",
         responses={200: ValidateSpecOut, **POST_ERRORS})
def validate_spec(body: SpecTextIn) -> Response:
    """Every error of the spec with its line, as a launch would find them, and the number of runs it asks for."""
    exp, errors = experiments().check(body.yaml)
    if errors:
        return json_response({"ok": False, "errors": [e.model_dump() for e in errors], "runs": None, "cells": None})
    return json_response({"ok": True, "errors": [], "runs": len(exp.cells) * exp.replications,
                          "cells": len(exp.cells)})


@bp.post("/api/experiments", summary="Launch an experiment", responses={201: JobOut, 409: ErrorOut, **POST_ERRORS})
def launch(body: LaunchIn) -> Response:
    """Check the spec, then run it in a background process; follow it with GET .../<id> or .../<id>/events."""
    return json_response(experiments().launch(body), 201)


@bp.get("/api/experiments", summary="List experiments", responses={200: JobList})
def list_jobs() -> Response:
    return json_response(experiments().list())


@bp.get("/api/experiments/<job_id>", summary="An experiment's status and results",
        responses={200: JobOut, 404: ErrorOut})
def get_job(path: JobPath) -> Response:
    """Status and progress; when done, the download links and the summary (verdicts, tables, chart data)."""
    return json_response(experiments().status(path.job_id))


@bp.post("/api/experiments/<job_id>/cancel", summary="Cancel a running experiment",
         responses={200: JobOut, 404: ErrorOut, 409: ErrorOut})
def cancel(path: JobPath) -> Response:
    return json_response(experiments().cancel(path.job_id))


@bp.delete("/api/experiments/<job_id>", summary="Delete a finished experiment and its files",
           responses={204: {"description": "deleted"}, 404: ErrorOut, 409: ErrorOut})
def delete(path: JobPath) -> Response:
    experiments().delete(path.job_id)
    return Response(status=204)


@bp.get("/api/experiments/<job_id>/files/<name>", summary="Download a result file",
        responses={200: {"description": "the file"}, 404: ErrorOut})
def download(path: FilePath) -> Response:
    """runs.parquet, turns.parquet, summary.csv, summary.md, summary.json, metadata.json or report.html."""
    p = experiments().file(path.job_id, path.name)
    return send_file(p, mimetype=FILES[path.name], as_attachment=True,
                     download_name=f"experiment-{path.job_id}-{path.name}")


class EventsQuery(BaseModel):
    interval: float = Field(0.5, ge=0.05, le=10, description="Seconds between progress checks.")


@bp.get("/api/experiments/<job_id>/events", summary="Progress (Server-Sent Events)",
        responses={200: {"description": "text/event-stream: `event: progress` ({state, done, total, rate, eta}) "
                                        "when it changes, then `event: done` (the status with the summary), "
                                        "`event: failed` or `event: cancelled` ({error})"}, 404: ErrorOut})
def events(path: JobPath, query: EventsQuery) -> Response:
    ext, jid, interval = experiments(), path.job_id, query.interval
    ext.status(jid, summary=False)      # 404 before the stream starts

    def stream() -> Iterator[str]:
        last, quiet = None, time.time()
        while True:
            st = ext.status(jid, summary=False)
            if st["progress"] != last and st["progress"] is not None:
                last = st["progress"]
                yield _sse("progress", last)
                quiet = time.time()
            if st["status"] in FINAL:
                yield _sse(st["status"], ext.status(jid) if st["status"] == "done" else {"error": st["error"]})
                return
            if time.time() - quiet > 15:
                yield ": keep-alive\n\n"
                quiet = time.time()
            time.sleep(interval)

    return Response(stream(), mimetype="text/event-stream", headers={"Cache-Control": "no-store",
                                                                      "X-Accel-Buffering": "no"})


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"
