"""A short game played to the end in Chromium: the seat's objectives panel shows its victory conditions (met / not
yet), and the end of the game names the winners (or no one), each seat's victory and a link to the after-action
review of the human seat; at a phone's and a desktop's size, with screenshots."""
from __future__ import annotations

import pytest

from e2e_helpers import ARTIFACTS, shot

SIZES = [(390, 844), (768, 1024), (1440, 900)]


def card(page, selector: str, name: str) -> None:
    """A screenshot of one panel (the full-page shots are too tall to read the panel in)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(selector).screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.mark.parametrize("width,height", SIZES)
def test_victory_conditions_and_the_result_of_a_short_game(server, open_context, width, height):
    seat = server.seat
    game = server.new_game([seat], turns=2)
    gid = game["id"]
    _, start = server.api("GET", f"/api/games/{gid}/objectives?actor={seat}")
    mine = start["actors"][0]["victory"]
    assert mine and mine["conditions"], "the shipped scenario gives the seat a victory condition"

    page = open_context(viewport={"width": width, "height": height}).page()
    page.goto(server.url + game["seat_urls"][seat])
    page.wait_for_selector("#game[data-ready='1']")
    page.wait_for_selector("#victory-list .victory-cond")
    items = page.locator("#victory-list .victory-cond")
    assert items.count() == len(mine["conditions"])
    for c in mine["conditions"]:
        item = page.locator(f"#victory-list .victory-cond[data-id='{c['id']}']")
        assert c["text"] in item.inner_text()
        assert item.get_attribute("data-state") == ("holds" if c["holds"] else "open")   # open at the start
    assert not page.is_visible("#results")
    page.locator("#victory").scroll_into_view_if_needed()
    shot(page, f"victory-objectives-{width}x{height}")
    card(page, "#victory", f"victory-panel-{width}x{height}")

    for turn in (1, 2):
        page.click("#end-turn")
        page.click("#confirm-hold-yes")
        page.wait_for_selector(f"#game[data-turn='{turn}']")
    page.wait_for_selector("#results:not([hidden]) tbody tr")
    page.wait_for_selector("#game[data-objectives-turn='2']")

    _, final = server.api("GET", f"/api/games/{gid}/objectives")
    _, state = server.api("GET", f"/api/games/{gid}")
    assert final["done"] and state["victory"]["final"]
    assert final["victory"]["winners"] == state["victory"]["winners"]
    winners = page.inner_text("#winners")
    if final["victory"]["winners"]:
        names = {a["id"]: a["name"] for a in state["actors"]}
        assert all(names[a] in winners for a in final["victory"]["winners"])
    else:
        assert "No one met a victory condition" in winners
    # every judged actor's row says won / not won; the others have no victory
    for a in final["actors"]:
        row = page.locator(f"#results tr[data-actor='{a['actor']}']")
        cell = row.locator("td.victory-cell")
        if a["victory"]:
            assert cell.inner_text().startswith("✓ won" if a["victory"]["won"] else "✗ not won")
        else:
            assert cell.count() == 0
    # the seat's own panel now shows settled results
    me = next(a for a in final["actors"] if a["actor"] == seat)["victory"]
    for c in me["conditions"]:
        state_now = page.locator(f"#victory-list .victory-cond[data-id='{c['id']}']").get_attribute("data-state")
        assert state_now == ("met" if c["met"] else "failed")
    assert page.inner_text("#victory-result") == ("You won." if me["won"] else "You did not win.")
    # the human seat links to its after-action review; computer seats have none
    links = page.locator("#results a.review-link")
    assert links.count() == 1
    assert links.first.get_attribute("href") == f"/games/{gid}/review/{seat}"
    assert page.locator(f"#results tr[data-actor='{seat}'] a.review-link").count() == 1
    # nothing sticks out sideways, at either size
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("#results").scroll_into_view_if_needed()
    shot(page, f"victory-results-{width}x{height}")
    card(page, "#results", f"victory-results-card-{width}x{height}")
    card(page, "#victory", f"victory-panel-final-{width}x{height}")

    if width > 1000:     # follow the link once: the review page of this seat opens
        links.first.click()
        page.wait_for_selector("#review-title")
        page.wait_for_function("document.getElementById('review-title').textContent.includes('After-action review:')")
        assert page.url.endswith(f"/games/{gid}/review/{seat}")
