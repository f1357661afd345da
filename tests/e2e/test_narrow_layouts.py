"""Layouts a page-wide overflow check cannot see, because the cards clip what leaves them: the month slider's
"Looking back" banner and "Back to now" button stay inside the toolbar and tappable on a phone and a tablet, the
after-action review's heading keeps its width below 1100 px, and the id fields' patterns compile in Chromium."""
from __future__ import annotations

import pytest

from e2e_helpers import shot

NARROW = [(390, 844), (768, 1024)]


def inside(inner: dict, outer: dict) -> bool:
    return (inner["x"] >= outer["x"] - 1 and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
            and inner["y"] >= outer["y"] - 1 and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1)


@pytest.fixture(scope="module")
def played(server):
    game = server.new_game([server.seat], turns=6)
    server.api("POST", f"/api/games/{game['id']}/orders", {"actor": server.seat, "orders": []},
               token=game["tokens"][server.seat])                 # the only seat has moved: month 1 resolves
    return game


@pytest.mark.parametrize("width,height", NARROW)
def test_back_to_now_stays_in_the_toolbar_and_takes_a_tap(server, open_context, played, width, height):
    page = open_context(viewport={"width": width, "height": height}).page()
    page.goto(server.url + played["seat_urls"][server.seat])
    page.wait_for_selector("#game[data-ready='1']")
    now = page.inner_text("#date")
    page.fill("#turn-slider", "0")
    page.wait_for_selector("#back-live:not([hidden])")
    bar = page.locator(".toolbar").first.bounding_box()
    for sel in ("#history-banner", "#back-live", "#turn-slider"):
        b = page.locator(sel).bounding_box()
        assert b is not None and inside(b, bar) and b["x"] + b["width"] <= width, (sel, b, bar)
    banner, button = page.locator("#history-banner").bounding_box(), page.locator("#back-live").bounding_box()
    assert banner["height"] <= 80, banner              # a line or two, not a column a word wide (156 px before)
    assert button["x"] >= banner["x"] + banner["width"] or button["y"] >= banner["y"] + banner["height"]
    shot(page, f"looking-back-{width}x{height}")
    page.click("#back-live")
    page.wait_for_selector("#back-live[hidden]", state="attached")
    assert page.inner_text("#date") == now


def test_the_review_heading_keeps_its_width_on_narrow_screens(server, open_context, played):
    page = open_context(viewport={"width": 390, "height": 844}).page()       # one page: one review at a time
    page.goto(f"{server.url}/games/{played['id']}/review/{server.seat}")
    page.wait_for_selector("#review-title")
    for width, height in NARROW:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(200)
        title = page.locator("#review-title").bounding_box()
        assert title["width"] >= width * 0.6, (width, title)


def test_the_id_fields_patterns_compile_in_chromium(server, open_context):
    """Chromium compiles `pattern` with the v flag, where a bare '-' in a class is an error: the check was off."""
    page = open_context(viewport={"width": 1440, "height": 900}).page()
    for url, field in (("/editor", "#ed-id"), ("/experiments", "#xp-save-id")):
        page.goto(server.url + url)
        page.wait_for_selector(field, state="attached")
        checks = page.evaluate(f"""() => {{ const e = document.querySelector("{field}");
            e.value = "bad id!"; const bad = e.validity.patternMismatch;
            e.value = "my-variant_2"; return [bad, e.validity.patternMismatch]; }}""")
        assert checks == [True, False], url          # applied: a space mismatches, letters, '-' and '_' do not
