"""The forecast page: /forecast (the data: POST /api/forecast, a futures job; the same forecast as one HTML file:
GET /api/futures/<job>/forecast.html, as `wargame forecast --report` writes it)."""
from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("forecast_web", __name__, template_folder="templates", static_folder=None)


@bp.get("/forecast")
def forecast() -> str:
    """Dated questions of a scenario: each one's probability over N futures, and its scores given what happened."""
    return render_template("forecast.html", active="forecast")
