"""JSON API for scenarios: list, read, validate as you type, save user scenarios, diff against the parent."""
from __future__ import annotations

from flask import Response, current_app
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel

from server.scenarios import ScenarioLibrary
from server.schemas import (
    DiffOut,
    DiffQuery,
    ErrorOut,
    SavedOut,
    SaveScenarioIn,
    ScenarioDetail,
    ScenarioList,
    ScenarioPath,
    ValidateIn,
    ValidateOut,
    json_response,
)

TAG = Tag(name="scenarios", description="Built-in and user scenarios (YAML configs)")
bp = APIBlueprint("api_scenarios", __name__, url_prefix="/api", abp_tags=[TAG],
                  abp_responses={400: ErrorOut})
POST_ERRORS: dict[str | int, type[BaseModel]] = {413: ErrorOut, 415: ErrorOut}


def library() -> ScenarioLibrary:
    return current_app.extensions["wargame.scenarios"]


@bp.get("/scenarios", summary="List scenarios", responses={200: ScenarioList})
def list_scenarios() -> Response:
    """Built-in scenarios (configs/scenarios/) first, then the user's own (DATA_DIR/scenarios/)."""
    return json_response(library().list())


@bp.get("/scenarios/<scenario_id>", summary="Read a scenario", responses={200: ScenarioDetail, 404: ErrorOut})
def get_scenario(path: ScenarioPath) -> Response:
    """The scenario's summary and its YAML text."""
    return json_response(library().detail(path.scenario_id))


@bp.post("/scenarios/validate", summary="Validate scenario YAML", responses={200: ValidateOut, **POST_ERRORS})
def validate_scenario(body: ValidateIn) -> Response:
    """Check YAML text as a scenario (`extends:` allowed); every error with its line, for the editor."""
    sc, errors = library().check_text(body.yaml)
    out = {"ok": not errors, "errors": [e.model_dump() for e in errors], "name": None, "actors": []}
    if sc is not None:
        out.update(name=sc.name, actors=[{"id": a, "name": x.name} for a, x in sc.actors.items()])
    return json_response(out)


@bp.post("/scenarios", summary="Save a user scenario",
         responses={201: SavedOut, 409: ErrorOut, **POST_ERRORS})
def save_scenario(body: SaveScenarioIn) -> Response:
    """Validate and save as DATA_DIR/scenarios/<id>.yaml; a built-in id is refused (409); same id overwrites, unless
    a saved scenario extending this one (directly or through others) would no longer validate: then 409 names each
    with its first error, and the old file is kept."""
    library().save(body.id, body.yaml)
    return json_response({"id": body.id}, 201)


@bp.get("/scenarios/<scenario_id>/diff", summary="Diff against the parent scenario",
        responses={200: DiffOut, 404: ErrorOut})
def diff_scenario(path: ScenarioPath, query: DiffQuery) -> Response:
    """Unified diff of the resolved parent (the `extends:` target, or ?against=id) vs the resolved scenario."""
    return json_response(library().diff(path.scenario_id, query.against))

