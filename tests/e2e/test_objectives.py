"""A seat sees its goals as objectives (met or not, how close) and its score; every page shows the standings of the
month on display; when the last month is played, the results of every seat, the human ones marked."""
from __future__ import annotations

from e2e_helpers import shot


def test_objectives_score_and_results(server, open_context):
    seat = server.seat
    game = server.new_game([seat], turns=2)
    _, objectives = server.api("GET", f"/api/games/{game['id']}/objectives?actor={seat}")
    mine = objectives["actors"][0]
    _, state = server.api("GET", f"/api/games/{game['id']}")
    w = open_context()
    page = w.page()
    page.goto(server.url + game["seat_urls"][seat])
    page.wait_for_selector("#game[data-ready='1']")
    page.wait_for_selector("#objective-list .objective")
    assert page.locator("#objective-list .objective").count() == mine["total"]
    assert page.inner_text("#my-met") == f"{mine['met']} of {mine['total']}"
    assert page.locator("#objective-list .objective[data-met='1']").count() == mine["met"]
    assert page.inner_text("#my-score") in ("±0.0", "+0.0", "−0.0")          # nothing gained at the start
    assert page.locator("#standings li").count() == len(state["actors"])
    assert page.locator(f"#standings li.me[data-actor='{seat}']").count() == 1
    assert not page.is_visible("#results")

    for turn in (1, 2):
        page.click("#end-turn")
        page.click("#confirm-hold-yes")
        page.wait_for_selector(f"#game[data-turn='{turn}']")
    page.wait_for_selector("#results:not([hidden]) tbody tr")
    rows = page.locator("#results tbody tr")
    assert rows.count() == len(state["actors"])
    me = page.locator(f"#results tr[data-actor='{seat}']")
    assert "a person" in me.inner_text() and me.get_attribute("class") == "me"
    _, final = server.api("GET", f"/api/games/{game['id']}/objectives")
    best = min(final["actors"], key=lambda a: a["rank"])
    assert best["actor"] == rows.nth(0).get_attribute("data-actor")
    assert page.locator("#results a[download]").count() == 1
    shot(page, "game-results")

    # a watcher (another person) sees the standings (no objectives of a seat) and the results
    watcher = open_context().page()
    watcher.goto(server.url + game["watch_url"])
    watcher.wait_for_selector("#game[data-ready='1']")
    assert watcher.locator("#objective-list").count() == 0
    assert watcher.locator("#standings li").count() == len(state["actors"])
    assert watcher.is_visible("#results")
