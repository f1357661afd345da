"""The after-action review page of a human seat: /games/<id>/review/<actor> (the data: POST /api/games/<id>/review;
the same review as one HTML file: GET /api/futures/<job>/review.html)."""
from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("review_web", __name__, template_folder="templates", static_folder=None)


@bp.get("/games/<game_id>/review/<actor>")
@bp.get("/game/<game_id>/review/<actor>")
def review(game_id: str, actor: str) -> str:
    """How the seat did against its own AI policy, the months its orders mattered most, the turning points."""
    return render_template("review.html", game_id=game_id, actor=actor)
