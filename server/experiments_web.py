"""The experiments page and its JSON API: pick or write a spec, launch it, watch it (SSE), read and download results.

The work itself (specs on disk, background processes, their state) is in server.experiment_jobs.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Response, current_app, render_template, send_file
from flask_openapi3 import APIBlueprint, Tag
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StrictInt,
    field_validator,
    model_validator,
)

from model import NEGLIGIBLE_EFFECT, user_dirs
from server.experiment_jobs import (
    DEFAULTS,
    FILES,
    FINAL,
    SPEC_ID_HINT,
    SPEC_ID_RE,
    Experiments,
)
from server.schemas import MAX_YAML_CHARS, ErrorItem, ErrorOut, OwnerHeader, json_response
from server.streams import KEEPALIVE, event_stream

CONFIRM_RUNS = 1_000   # the page asks before launching more runs than this (one run of the baseline ~ 50 ms a core)
TAG = Tag(name="experiments", description="Batch experiments: specs, launching, progress (SSE), results")
bp = APIBlueprint("experiments", __name__, abp_tags=[TAG], abp_responses={400: ErrorOut})
POST_ERRORS: dict[str | int, type[BaseModel]] = {413: ErrorOut, 415: ErrorOut}


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
    replications: StrictInt | None = Field(None, ge=1, le=1_000_000, description="Override the spec's replications.")
    turns: StrictInt | None = Field(None, ge=1, le=240, description="Override the spec's turns.")
    workers: StrictInt | None = Field(None, ge=1, le=256, description="Worker processes (default: the CPU cores).")

    @model_validator(mode="after")
    def _one_source(self) -> LaunchIn:
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


class LaunchedOut(JobOut):
    owner_token: str = Field(description="The experiment's owner token (send it as X-Owner-Token to cancel or "
                                         "delete it); shown once, stored only as a hash.")


class JobList(RootModel[list[JobOut]]):
    """Experiments, newest first (without their summaries)."""


# ------------------------------------------------------------------------------------------------ routes
def experiments() -> Experiments:
    app = current_app
    ext = app.extensions.get("wargame.experiments")
    if ext is None:
        cfg = {k: app.config.get(k, v) for k, v in DEFAULTS.items()}
        data = Path(app.config.get("DATA_DIR", "instance"))
        roots = [Path(d) for d in app.config.get("CONFIG_DIRS", ())]
        ext = Experiments(data, Path(app.config.get("USER_SCENARIO_DIR", data / "scenarios")),
                          library_specs=user_dirs("experiments", roots),
                          library_scenarios=user_dirs("scenarios", roots),
                          max_runs=int(cfg["EXPERIMENTS_MAX_RUNS"]), max_running=int(cfg["EXPERIMENTS_MAX_RUNNING"]),
                          nice=int(cfg["EXPERIMENTS_NICE"]), check_seconds=cfg["EXPERIMENTS_CHECK_SECONDS"],
                          checks_at_once=int(cfg["EXPERIMENTS_CHECKS_AT_ONCE"]))
        app.extensions["wargame.experiments"] = ext
    return ext


@bp.get("/experiments", doc_ui=False)
def page() -> str:
    """Pick or write a spec, launch it, watch its progress, read its verdicts and download its tables."""
    return render_template("experiments.html", active="experiments", negligible=NEGLIGIBLE_EFFECT,
                           confirm_runs=CONFIRM_RUNS)


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


@bp.post("/api/experiments", summary="Launch an experiment",
         responses={201: LaunchedOut, 409: ErrorOut, 503: ErrorOut, **POST_ERRORS})
def launch(body: LaunchIn) -> Response:
    """Check the spec, then run it in a background process; follow it with GET .../<id> or .../<id>/events. The
    answer holds the owner token, which alone cancels or deletes it."""
    return json_response(experiments().launch(spec=body.spec, yaml=body.yaml, replications=body.replications,
                                              turns=body.turns, workers=body.workers), 201)


@bp.get("/api/experiments", summary="List experiments", responses={200: JobList})
def list_jobs() -> Response:
    return json_response(experiments().list())


@bp.get("/api/experiments/<job_id>", summary="An experiment's status and results",
        responses={200: JobOut, 404: ErrorOut})
def get_job(path: JobPath) -> Response:
    """Status and progress; when done, the download links and the summary (verdicts, tables, chart data)."""
    return json_response(experiments().status(path.job_id))


@bp.post("/api/experiments/<job_id>/cancel", summary="Cancel a running experiment",
         responses={200: JobOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def cancel(path: JobPath, header: OwnerHeader) -> Response:
    """Stop it (the owner only: X-Owner-Token)."""
    return json_response(experiments().cancel(path.job_id, header.x_owner_token))


@bp.delete("/api/experiments/<job_id>", summary="Delete a finished experiment and its files",
           responses={204: {"description": "deleted"}, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def delete(path: JobPath, header: OwnerHeader) -> Response:
    """Remove it and its files (the owner only: X-Owner-Token)."""
    experiments().delete(path.job_id, header.x_owner_token)
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
                                        "`event: failed` or `event: cancelled` ({error})"}, 404: ErrorOut,
                   503: ErrorOut})
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
            if time.time() - quiet > KEEPALIVE:
                yield ": keep-alive\n\n"
                quiet = time.time()
            time.sleep(interval)

    return event_stream(stream())


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"
