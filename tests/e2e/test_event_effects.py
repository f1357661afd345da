"""An event's log line says what it did to the world (its effects note), not only its sentence: a touch screen has
no tooltip, and "Gulf investors signed a reconstruction deal" alone does not say that $4.7bn is on its way."""
from __future__ import annotations

import pytest

from e2e_helpers import shot


@pytest.mark.parametrize("width, height", [(1440, 900), (390, 844)])
def test_an_events_effects_are_written_under_its_sentence(server, open_context, width, height):
    game = server.new_game([], turns=4, seed=1)       # seed 1: the Gulf deal fires in month 3 (checked below)
    page = open_context(viewport={"width": width, "height": height}).page()
    page.goto(server.url + game["watch_url"] + "?owner=" + game["owner_token"])
    page.wait_for_selector("#game[data-ready='1']")
    page.click("#btn-run")
    page.wait_for_selector("#game[data-turn='4']")
    _, month3 = server.api("GET", f"/api/games/{game['id']}?turn=3")
    deals = [e for e in month3["events"] if e["kind"] == "event"
             and e["numbers"].get("event") == "reconstruction_deal"]
    assert deals, "seed 1 should sign a Gulf deal in month 3"
    page.locator("#turn-slider").fill("3")
    page.wait_for_selector("#game[data-view-turn='3']")
    line = page.locator("#log li.kind-event", has_text="Gulf investors signed").first
    effects = line.locator(".effects")
    assert effects.inner_text() == deals[0]["numbers"]["effects"]
    assert "SYR +$4.70bn committed (reaching GDP at up to +1.17% / -2.90% a month)" in effects.inner_text()
    box, view = effects.bounding_box(), page.viewport_size
    assert box is not None and view is not None and box["x"] >= 0 and box["x"] + box["width"] <= view["width"]
    orders = page.locator("#log li.kind-demand .effects")            # orders keep their one sentence
    assert orders.count() == 0
    shot(page, f"event-effects-{width}")
