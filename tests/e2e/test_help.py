"""Help where it is needed: a new player gets the first-game walkthrough (once), each panel has a "?", the keyboard
steps, plays and pauses and moves through the months, Play has a speed, and unknown pages are styled."""
from __future__ import annotations

from e2e_helpers import shot


def test_a_new_player_gets_the_walkthrough_once(server, open_context):
    game = server.new_game([server.seat], turns=3)
    w = open_context(new_player=True)
    page = w.page()
    page.goto(server.url + game["seat_urls"][server.seat])
    page.wait_for_selector("#game[data-ready='1']")
    page.wait_for_selector("#tour:not([hidden])")
    steps = int(page.inner_text("#tour-step").split(" of ")[1])
    assert steps >= 6
    seen = set()
    for i in range(steps):
        focused = page.locator(".tour-focus")
        assert focused.count() == 1
        seen.add(focused.get_attribute("id") or focused.get_attribute("class"))
        if i == 3:
            shot(page, "tour-step4")
        page.click("#tour [data-next]")
    assert page.is_hidden("#tour") and page.locator(".tour-focus").count() == 0
    assert {"mapcard", "netcard", "orderscard", "objcard", "logcard"} <= seen
    page.reload()
    page.wait_for_selector("#game[data-ready='1']")
    page.wait_for_timeout(300)
    assert page.is_hidden("#tour")                                   # once per browser; Tour shows it again
    page.click("#btn-tour")
    assert page.is_visible("#tour")
    page.click("#tour [data-close]")
    assert page.is_hidden("#tour")


def test_panel_help_and_the_keyboard(server, open_context):
    game = server.new_game([], turns=24)
    page = open_context().page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server.url + game["watch_url"] + "?owner=" + game["owner_token"])
    page.wait_for_selector("#game[data-ready='1']")
    for card in ("mapcard", "netcard", "objcard", "logcard", "indcard", "issuecard"):
        assert page.locator(f"#{card} h2 .help-q").count() == 1, card
    page.click("#mapcard .help-q")
    assert page.is_visible("#help-dialog") and "governorate" in page.inner_text("#help-text")
    assert page.get_attribute("#help-more", "href") == "/help#screen"
    page.keyboard.press("Escape")
    assert page.is_hidden("#help-dialog")
    page.keyboard.press("?")
    assert page.is_visible("#help-dialog") and "Space" in page.inner_text("#help-text")
    page.keyboard.press("Escape")

    for turn in (1, 2):                                                # N steps a month (once the last step is done)
        page.wait_for_selector("#btn-step:not([disabled])")
        page.keyboard.press("n")
        page.wait_for_selector(f"#game[data-turn='{turn}']")
    page.keyboard.press("ArrowLeft")                                   # a month back, then forward
    page.wait_for_selector("#game[data-view-turn='1']")
    assert page.is_visible("#history-banner")
    page.keyboard.press("Home")
    page.wait_for_selector("#game[data-view-turn='0']")
    page.keyboard.press("End")
    page.wait_for_selector("#game[data-view-turn='2']")

    page.select_option("#play-speed", "0.2")                           # fast, then Space plays and pauses
    page.click("#title")                                               # (keys typed in a menu stay in the menu)
    page.wait_for_selector("#btn-play:not([disabled])")
    page.keyboard.press(" ")
    page.wait_for_function("() => Number(document.getElementById('game').dataset.turn) >= 4")
    page.keyboard.press(" ")
    page.wait_for_function("() => document.getElementById('btn-play').textContent.includes('Play')")
    streams = [u for u in requests if "/stream?" in u]
    assert streams and "interval=0.2" in streams[-1]
    # the page draws the months the stream sent before the pause (a busy machine draws slower than one every 0.2 s,
    # and the closed stream drops what was still in transit: the page reads the game again), then stays
    page.wait_for_selector("#game[data-playing='0']")
    turn = int(page.get_attribute("#game", "data-turn"))
    _, state = server.api("GET", f"/api/games/{game['id']}")
    assert turn <= state["turn"] <= turn + 1                           # the game's month (one may have been under way)
    page.wait_for_timeout(1200)                                          # six months' worth at this speed
    _, later = server.api("GET", f"/api/games/{game['id']}")
    assert later["turn"] <= turn + 1                                   # paused
    assert int(page.get_attribute("#game", "data-turn")) == turn and turn < 24


def test_unknown_pages_are_styled(server, open_context):
    w = open_context(allowed_errors=("404",))
    page = w.page()
    resp = page.goto(server.url + "/no/such/page")
    assert resp.status == 404
    assert page.is_visible(".topbar") and "Page not found" in page.inner_text("#error-page")
    page.click("#error-page a.primary")
    page.wait_for_url(server.url + "/")
    page.goto(server.url + "/help")
    assert page.locator("#help section.card").count() >= 6
    shot(page, "help-page")


COVERS = """() => {
  const card = document.getElementById("tour").getBoundingClientRect();
  const el = document.querySelector(".tour-focus").getBoundingClientRect();
  const top = Math.max(el.top, 0), bottom = Math.min(el.bottom, top + 80);   // the part that names the panel
  const overlap = Math.min(card.bottom, bottom) - Math.max(card.top, top);
  const across = Math.min(card.right, el.right) - Math.max(card.left, el.left);
  return { overlap: overlap > 0 && across > 0, seen: bottom > top && top < innerHeight };
}"""


def test_the_walkthrough_card_never_covers_the_panel_it_points_at(server, open_context):
    """On a phone, a tablet and a desktop, each step's panel heading is on screen and not under the card: the card
    is fixed bottom right and each step scrolls its panel to the centre, so a panel taller than the screen keeps
    its heading clear (its lower part may sit under the card until Next)."""
    game = server.new_game([server.seat], turns=3)
    for width, height in ((390, 844), (768, 1024), (1440, 900)):
        page = open_context(new_player=True, viewport={"width": width, "height": height}).page()
        page.goto(server.url + game["seat_urls"][server.seat])
        page.wait_for_selector("#tour:not([hidden])")
        steps = int(page.inner_text("#tour-step").split(" of ")[1])
        for i in range(steps):
            where = page.evaluate(COVERS)
            name = page.locator(".tour-focus").get_attribute("id")
            assert where["seen"] and not where["overlap"], (width, i, name, where)
            page.click("#tour [data-next]")
        assert page.is_hidden("#tour")
