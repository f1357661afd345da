"""A player judges orders: each shows its cost and chance of success, what it does on success and on failure, and
why the computer rates it so; the AI's gain hint is a switch; ending a month with nothing picked asks first; given
orders are withdrawn and changed while another seat is still to move."""
from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

from e2e_helpers import shot


def open_seat(w, server, human, seat):
    game = server.new_game(human)
    page = w.page()
    page.goto(server.url + game["seat_urls"][seat])
    page.wait_for_selector("#game[data-ready='1']")
    page.wait_for_selector("#feasible .order")
    return game, page


def test_orders_show_chance_outcomes_and_why(server, open_context):
    w = open_context()
    game, page = open_seat(w, server, [server.seat], server.seat)
    orders = page.locator("#feasible .order")
    assert orders.count() > 3
    chances = page.locator("#feasible .order .chance").all_inner_texts()
    assert len(chances) == orders.count() and all(c == "certain" or c.endswith("%") for c in chances)
    assert page.locator("#feasible .order .gain").count() == 0            # the AI hint is off by default

    # a contested order: chance of success and of failure add up to 100%, both outcomes spelled out
    contested = page.locator("#feasible .order-row:has(.chance:not(.sure))").first
    contested.locator(".order-more").click()
    detail = page.locator(".order-detail").first
    text = detail.inner_text()
    assert "If it succeeds" in text and "If it fails" in text
    ok = int(text.split("If it succeeds (")[1].split("%")[0])
    bad = int(text.split("If it fails (")[1].split("%")[0])
    assert ok + bad == 100
    detail.locator(".why-btn").click()
    assert page.locator(".order-detail .why li").count() >= 1
    assert "expected change of your utility" in page.inner_text(".order-detail .why")

    page.check("#gain-switch")                                             # the hint, on request, sorted by it
    gains = page.locator("#feasible .order-group").first.locator(".gain").all_inner_texts()
    values = [float(g.replace("−", "-").replace("±", "")) for g in gains]
    assert values and values == sorted(values, reverse=True)
    shot(page, "orders-details")
    page.reload()
    page.wait_for_selector("#feasible .order")
    assert page.is_checked("#gain-switch")                                 # kept in this browser
    page.uncheck("#gain-switch")

    # nothing picked: End turn asks first; going back changes nothing, holding plays the month
    page.click("#end-turn")
    assert page.is_visible("#confirm-hold") and page.get_attribute("#game", "data-turn") == "0"
    page.click("#confirm-hold-no")
    assert not page.is_visible("#confirm-hold") and page.get_attribute("#game", "data-turn") == "0"
    page.click("#end-turn")
    page.click("#confirm-hold-yes")
    page.wait_for_selector("#game[data-turn='1']")
    status, export = server.api("GET", f"/api/games/{game['id']}/export")
    assert export["orders"][0]["orders"].get(server.seat) is None


def test_orders_are_withdrawn_and_changed_before_the_month_resolves(server, open_context):
    w = open_context()
    other = "USA" if server.seat != "USA" else "RUS"
    game, page = open_seat(w, server, [server.seat, other], server.seat)
    first = page.locator("#feasible .order:not([disabled])").first
    label = first.locator(".label").inner_text()
    first.click()
    page.click("#end-turn")
    page.wait_for_selector("#orders-done:not([hidden])")
    assert label in page.inner_text("#orders-done") and page.is_visible("#withdraw")
    shot(page, "orders-given")

    page.click("#withdraw")
    page.wait_for_selector("#feasible .order.selected")
    assert page.locator("#feasible .order.selected .label").inner_text() == label   # picked again, to change
    page.locator("#feasible .order.selected").click()                                # unpick it, hold instead
    page.click("#end-turn")
    page.click("#confirm-hold-yes")
    page.wait_for_selector("#orders-done:not([hidden])")

    status, body = server.api("POST", f"/api/games/{game['id']}/orders", {"actor": other, "orders": []},
                              token=game["tokens"][other])
    assert status == 200 and body["resolved"]
    page.wait_for_selector("#game[data-turn='1']")
    _, export = server.api("GET", f"/api/games/{game['id']}/export")
    assert export["orders"][0]["orders"].get(server.seat) is None            # the withdrawn order was not played


def test_a_late_answer_does_not_take_the_game_back(server, open_context):
    """The page polls the game's state; an answer sent before the month resolved that arrives after it (a slow
    network, a busy server) must not show the month before and throw away the hold the seat is confirming."""
    w = open_context()
    game, page = open_seat(w, server, [server.seat], server.seat)
    state_path = f"/api/games/{game['id']}"
    held: list = []

    def hold_first_poll(route):
        if held or route.request.method != "GET":
            route.continue_()
            return
        held.append((route, route.fetch()))          # answered now (month 0), delivered later

    page.route(lambda url: urlsplit(url).path == state_path, hold_first_poll)
    deadline = time.monotonic() + 10
    while not held and time.monotonic() < deadline:            # the page polls every 1.5 s while seats play
        page.wait_for_timeout(100)
    assert held, "the page did not poll the game's state"
    page.click("#end-turn")
    page.click("#confirm-hold-yes")
    page.wait_for_selector("#game[data-turn='1']")
    page.wait_for_selector("#feasible .order")
    page.click("#end-turn")                                    # confirming the hold of month 1 …
    assert page.is_visible("#confirm-hold")
    route, stale = held[0]
    assert json.loads(stale.text())["turn"] == 0
    route.fulfill(response=stale)                              # … when the late answer of month 0 arrives
    page.wait_for_timeout(500)
    assert page.get_attribute("#game", "data-turn") == "1"
    assert page.is_visible("#confirm-hold")
    page.click("#confirm-hold-yes")
    page.wait_for_selector("#game[data-turn='2']")


def test_a_us_seat_consolidates_a_base(server, open_context):
    """The menu offers consolidations (a base's troops moved into another base); picking one and ending the month
    plays it. Its `into` field was refused by the orders API (400), so the month never resolved."""
    assert server.scenario == "baseline-2025"      # (the shipped baseline: mini has nothing to consolidate into)
    w = open_context()
    game, page = open_seat(w, server, ["USA"], "USA")
    page.locator("#feasible .order[data-kind='consolidate']").first.click()
    page.click("#end-turn")
    page.wait_for_selector("#game[data-turn='1']")
    status, exported = server.api("GET", f"/api/games/{game['id']}/export")
    assert status == 200
    given = exported["orders"][0]["orders"]["USA"]
    assert given and given[0]["kind"] == "consolidate" and given[0]["into"]
