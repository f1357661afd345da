"""The after-action review page of a human seat: /games/<id>/review/<actor> (the data: POST /api/games/<id>/review;
the same review as one HTML file: GET /api/futures/<job>/review.html)."""
from __future__ import annotations

from flask import Blueprint, render_template

from server.pages import game_status

bp = Blueprint("review_web", __name__, template_folder="templates", static_folder=None)


@bp.get("/games/<game_id>/review/<actor>")
@bp.get("/game/<game_id>/review/<actor>")
def review(game_id: str, actor: str) -> tuple[str, int]:
    """How the seat did against its own AI policy, the months its orders mattered most, the turning points (404 for
    an unknown game, the page rendered all the same)."""
    return render_template("review.html", game_id=game_id, actor=actor), game_status(game_id)
