"""HTML pages of the wargame (home, game, config editor); the data comes from the JSON API in the browser."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, send_file

from model import ECHARTS_JS

bp = Blueprint("pages", __name__, template_folder="templates", static_folder=None)


@bp.get("/")
def home() -> str:
    """Scenarios, the new-game form, saved games."""
    return render_template("home.html")


@bp.get("/game/<game_id>")
def game(game_id: str) -> str:
    """One game: map, alliance network, charts, log, orders for a seat (the seat's token stays in the browser)."""
    return render_template("game.html", game_id=game_id)


@bp.get("/editor")
@bp.get("/editor/<scenario_id>")
def editor(scenario_id: str | None = None) -> str:
    """The YAML config editor with validation as you type."""
    return render_template("editor.html", scenario_id=scenario_id or "")


@bp.get("/static/vendor/echarts/echarts.min.js")
def echarts() -> Response:
    """ECharts for the pages: the one vendored copy, which `model` owns (its reports inline the same file)."""
    return send_file(ECHARTS_JS, mimetype="text/javascript")
