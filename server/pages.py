"""HTML pages of the wargame (home, game, config editor); the data comes from the JSON API in the browser."""
from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, Response, current_app, render_template, send_file

from model import ECHARTS_JS, INDICATORS, load_scenario, rules_doc

bp = Blueprint("pages", __name__, template_folder="templates", static_folder=None)


@bp.get("/")
def home() -> str:
    """Scenarios, the new-game form, saved games."""
    return render_template("home.html")


def game_status(game_id: str) -> int:
    """200 for a stored game, 404 for an unknown id: the page still renders (its script says "no such game"), but
    a link checker, a crawler or a script sees the status, not a 200 for a game that does not exist."""
    return 200 if current_app.extensions["wargame.store"].exists(game_id) else 404


@bp.get("/game/<game_id>")
def game(game_id: str) -> tuple[str, int]:
    """One game: map, alliance network, charts, log, orders for a seat (the seat's token stays in the browser)."""
    return render_template("game.html", game_id=game_id), game_status(game_id)


@bp.get("/editor")
@bp.get("/editor/<scenario_id>")
def editor(scenario_id: str | None = None) -> str:
    """The YAML config editor with validation as you type."""
    return render_template("editor.html", scenario_id=scenario_id or "")


# What each order kind does, in a player's words (the help page; sizes are the baseline's, the game page its own).
ORDER_HELP = {
    "engage": "Visits and summits: your relation with the target improves. Always succeeds.",
    "demand": "Press the target to move on an issue. Contested: on success its position moves towards yours and "
              "relations warm a little; on a refusal relations sour.",
    "concede": "Move your own position on an issue towards the forecast; the target welcomes it. Always succeeds.",
    "mediate": "Offer talks between two hostile actors. Your relation with both improves; contested: on success "
               "their relation eases.",
    "recognise": "Formal recognition or delisting of the target: a large relation gain, once.",
    "aid": "Money to a poorer partner: its economy grows, yours pays a little, relations improve.",
    "invest": "Larger, costlier money than aid, to a partner you are not hostile to.",
    "sanction": "Put sanctions on the target: its economy shrinks, yours a little too; relations sour.",
    "lift_sanctions": "Lift your sanctions on the target: its economy recovers; relations improve.",
    "deploy": "Reinforce one of your bases (or re-garrison one that reverted to you).",
    "withdraw": "Draw a garrison down; below the collapse level the base passes to its host.",
    "strike": "Attack the target's base (its garrison) or its ground. Contested; relations sour and fighting grows "
              "whatever happens.",
    "support_proxy": "Arm a weaker friend: its military and its garrisons grow.",
    "patrol": "Joint patrols with a friend where it holds ground: its control there grows.",
    "seize": "Take a base by force (or an empty one). Contested; a failure still wears the defender down.",
}


@lru_cache(maxsize=1)
def baseline_actions() -> dict:
    """The baseline scenario's action table (read once: the help page names its costs)."""
    return dict(load_scenario("baseline-2025").actions)


@bp.get("/help")
def help_page() -> str:
    """How to play: the first game step by step, objectives and score, orders, indicators, the screen, keys."""
    actions = baseline_actions()
    orders = [(k, t) for k, t in ORDER_HELP.items() if k in actions]
    return render_template("help.html", rules=rules_doc(), indicators=INDICATORS, orders=orders, actions=actions,
                           active="help")


@bp.get("/static/vendor/echarts/echarts.min.js")
def echarts() -> Response:
    """ECharts for the pages: the one vendored copy, which `model` owns (its reports inline the same file)."""
    return send_file(ECHARTS_JS, mimetype="text/javascript")
