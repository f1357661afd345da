"""Comparing two months of a game, at a phone (390x844), a tablet (768x1024) and a desktop (1440x900) size: the
maps, the networks and the indicators of both months side by side (stacked on a phone), with the bases that changed
hands, the governorates whose shares moved, the actors that changed bloc and the indicators that moved most listed
exactly as the stored states and records say; the later map outlines what differs; the month lists follow the
game; no horizontal scrolling and panels of a usable size."""
from __future__ import annotations

import json
import urllib.request

import pytest

from e2e_helpers import ARTIFACTS, chart_option
from test_screen_sizes import overflow

SIZES = [(390, 844), (768, 1024), (1440, 900)]
SHARE_MOVE = 0.05          # compare.js: a governorate is listed when a share moved by at least this
PLAYED = 6


def step(server, game: dict) -> None:
    req = urllib.request.Request(server.url + f"/api/games/{game['id']}/step", method="POST",
                                 headers={"X-Owner-Token": game["owner_token"]})
    with urllib.request.urlopen(req, timeout=120) as r:
        assert r.status == 200


@pytest.fixture(scope="module")
def played(server) -> dict:
    """A computer-played game of 8 months with 6 played (seed 22: two bases and Raqqa change hands by month 6)."""
    game = server.new_game([], turns=8, seed=22)
    for _ in range(PLAYED):
        step(server, game)
    return game


def leader(control: dict) -> str:
    return max(control, key=lambda a: (control[a], a))


def expected(server, game_id: str, a: int, b: int) -> dict:
    """What differs between months a and b, from the API's stored states."""
    _, sa = server.api("GET", f"/api/games/{game_id}?turn={a}")
    _, sb = server.api("GET", f"/api/games/{game_id}?turn={b}")
    before = {x["id"]: x for x in sa["bases"]}
    bases = {x["id"] for x in sb["bases"]
             if (before[x["id"]]["controller"], before[x["id"]]["status"]) != (x["controller"], x["status"])}
    regions, handed = set(), set()
    r0 = {r["id"]: r for r in sa["regions"]}
    for r in sb["regions"]:
        c0, c1 = r0[r["id"]]["control"], r["control"]
        move = max(abs(c1.get(k, 0) - c0.get(k, 0)) for k in set(c0) | set(c1))
        if leader(c0) != leader(c1):
            handed.add(r["iso"])
        if leader(c0) != leader(c1) or move >= SHARE_MOVE:
            regions.add(r["id"])
    return {"a": sa, "b": sb, "bases": bases, "regions": regions, "handed": handed}


def listed(page, box: str, attr: str) -> set[str]:
    return set(page.eval_on_selector_all(f"#{box} li", f"els => els.map(e => e.dataset.{attr})"))


def check_month_pair(page, server, game: dict, a: int, b: int) -> None:
    page.wait_for_selector(f"#comparecard[data-ready='1'][data-a='{a}'][data-b='{b}']")
    want = expected(server, game["id"], a, b)
    assert listed(page, "cmp-bases", "base") == want["bases"]
    assert listed(page, "cmp-regions", "region") == want["regions"]
    same = (page.get_attribute("#cmp-same", "data-kinds") or "").split() if page.locator("#cmp-same").count() else []
    assert ("cmp-bases" in same) == (not want["bases"]) and ("cmp-regions" in same) == (not want["regions"])
    # blocs: this game's blocs hold still, so nobody is listed and nobody is ringed in the later network
    assert {x["id"]: x["bloc"] for x in want["a"]["actors"]} == {x["id"]: x["bloc"] for x in want["b"]["actors"]}
    assert "cmp-blocs" in same and page.locator("#cmp-blocs").count() == 0
    assert not [d for d in chart_option(page, "cmp-net-b")["series"][0]["data"] if d.get("shifted")]
    # the later map outlines the governorates that changed hands; the earlier one none
    outlined = lambda key: {r["name"] for r in chart_option(page, f"cmp-map-{key}")["geo"][0]["regions"]  # noqa: E731
                            if r.get("itemStyle", {}).get("borderWidth") == 3}
    assert outlined("b") == want["handed"] and outlined("a") == set()
    # the indicators: every headline indicator and issue forecast, both months' values from the records
    _, hist = server.api("GET", f"/api/games/{game['id']}/history")
    rows = {r["turn"]: r for r in hist["rows"]}
    table = page.eval_on_selector_all("#cmp-ind tbody tr", """els => els.map(e => [e.dataset.key,
        ...[...e.querySelectorAll('td.num')].slice(0, 2).map(td => td.textContent)])""")
    assert len(table) >= 10
    for key, va, vb in table:
        assert abs(float(va) - float(rows[a][key])) < 0.051 and abs(float(vb) - float(rows[b][key])) < 0.051, key
    changes = page.eval_on_selector_all("#cmp-ind tbody tr td:last-child", "els => els.map(e => e.textContent)")
    moved = [c for c in changes if c.strip() != "—"]
    assert moved and page.locator("#cmp-ind tr.top").count() == min(3, len(moved))
    assert page.locator("#cmp-movers li").count() == min(3, len(moved))


def test_bloc_changes_follow_people_not_labels(server, open_context, played):
    page = open_context().page()
    page.goto(server.url + played["watch_url"])
    page.wait_for_selector("#game[data-ready='1']")
    got = page.evaluate("""async () => {
        const c = await import("/static/js/compare.js");
        const st = (blocs) => ({ actors: Object.entries(blocs).map(([id, bloc], i) => ({ id, bloc, size: 10 - i })) });
        const names = { RUS: "Russia", IRN: "Iran", USA: "United States", TUR: "Turkey", SYR: "Syria", ISIS: "ISIS" };
        const a = st({ RUS: 0, IRN: 0, USA: 1, TUR: 1, SYR: 1, ISIS: -1 });
        return {
          relabelled: c.blocChanges(a, st({ RUS: 1, IRN: 1, USA: 0, TUR: 0, SYR: 0, ISIS: -1 }), names),
          turkey: c.blocChanges(a, st({ RUS: 1, IRN: 1, USA: 0, TUR: 1, SYR: 0, ISIS: -1 }), names),
          alone: c.blocChanges(a, st({ RUS: 0, IRN: 0, USA: 1, TUR: 1, SYR: 2, ISIS: -1 }), names),
          outside: c.blocChanges(a, st({ RUS: 0, IRN: 0, USA: 1, TUR: 1, SYR: -1, ISIS: -1 }), names),
        };
    }""")
    assert got["relabelled"] == []
    assert got["turkey"] == [{"actor": "TUR", "from": "United States' bloc", "to": "Russia's bloc"}]
    assert got["alone"] == [{"actor": "SYR", "from": "United States' bloc", "to": "Syria (alone)"}]
    assert got["outside"] == [{"actor": "SYR", "from": "United States' bloc", "to": "Outside every bloc"}]


@pytest.mark.parametrize("width,height", SIZES)
def test_compare_two_months(server, open_context, played, width, height):
    page = open_context(viewport={"width": width, "height": height}).page()
    page.goto(server.url + played["watch_url"])
    page.wait_for_selector("#game[data-ready='1']")
    page.click("#btn-compare")
    # by default: the start against the month on display (here the last one played)
    check_month_pair(page, server, played, 0, PLAYED)
    assert page.locator("#cmp-a option").count() == PLAYED + 1
    page.wait_for_timeout(1800)                      # the charts' entry animations, before the screenshot
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert overflow(page) == []
    card = page.locator("#comparecard").bounding_box()
    boxes = {k: page.locator(f"#{k}").bounding_box() for k in ("cmp-map-a", "cmp-map-b", "cmp-net-a", "cmp-net-b")}
    for k, b in boxes.items():
        assert b["width"] >= min(300, card["width"] - 60) and b["height"] >= 240, (k, b)
    if width >= 700:       # side by side
        a, b = boxes["cmp-map-a"], boxes["cmp-map-b"]
        assert abs(a["y"] - b["y"]) < 2 and b["x"] > a["x"] + 200
        assert abs(boxes["cmp-net-a"]["y"] - boxes["cmp-net-b"]["y"]) < 2
    else:                  # stacked
        assert boxes["cmp-map-b"]["y"] > boxes["cmp-map-a"]["y"] + boxes["cmp-map-a"]["height"]
    geo = chart_option(page, "cmp-map-b")["geo"][0]
    assert abs(geo["width"] / geo["height"] - 1.128) < 0.02            # the maps keep Syria's shape
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#comparecard").screenshot(path=str(ARTIFACTS / f"compare-{width}x{height}.png"))

    # two other months, then swapped; the same month twice asks for two
    page.select_option("#cmp-a", "3")
    page.select_option("#cmp-b", "5")
    check_month_pair(page, server, played, 3, 5)
    page.click("#cmp-swap")
    check_month_pair(page, server, played, 5, 3)
    page.select_option("#cmp-a", "3")
    page.wait_for_selector("#cmp-body", state="hidden")
    assert "two different months" in page.inner_text("#cmp-note")
    page.click("#cmp-close")
    assert page.is_hidden("#comparecard")


def test_the_months_follow_the_game(server, open_context):
    game = server.new_game([], turns=4, seed=22)
    step(server, game)
    page = open_context().page()
    page.goto(server.url + game["watch_url"] + "?owner=" + game["owner_token"])
    page.wait_for_selector("#game[data-ready='1']")
    page.click("#btn-compare")
    page.wait_for_selector("#comparecard[data-ready='1'][data-a='0'][data-b='1']")
    page.click("#btn-step")                    # a month more: offered, and a comparison up to now follows it
    page.wait_for_selector("#comparecard[data-ready='1'][data-a='0'][data-b='2']")
    assert page.locator("#cmp-b option").count() == 3
    status, state = server.api("GET", f"/api/games/{game['id']}?turn=3")
    assert status == 404 and "has not been played" in json.dumps(state)
