"""A person plays a seat in the browser: creates the game on the home page, gives orders by clicking, ends three
turns and sees the map, the network, the charts and the log change; a reload keeps the game and the seat; the
turn slider shows an earlier turn as it was; a second browser without the token can only watch."""
from __future__ import annotations

import json

from e2e_helpers import ARTIFACTS, chart_option, shot


def snapshot(page) -> dict:
    """What the game page shows, as data: the charts' ECharts options and the log's text."""
    m = chart_option(page, "map")
    n = chart_option(page, "network")
    return {
        "regions": sorted((r["name"], r.get("controller"), r.get("share"), r.get("itemStyle", {}).get("areaColor"))
                          for r in m["geo"][0]["regions"]),
        "bases": sorted((d["id"], tuple(d["value"]), d["itemStyle"]["color"], d["symbol"])
                        for s in m["series"] for d in s["data"]),
        "links": [(x["source"], x["target"], x["value"]) for x in n["series"][0]["links"]],
        "nodes": [(d["id"], d["category"], d["symbolSize"]) for d in n["series"][0]["data"]],
        "indicators": [s["data"] for s in chart_option(page, "chart-ind")["series"]],
        "relation": chart_option(page, "chart-rel")["series"][0]["data"],
        "issues": [s["data"] for s in chart_option(page, "chart-issues")["series"]],
        "log": page.inner_text("#log"),
        "header": page.inner_text("#date") + " | " + page.inner_text("#turn-label"),
    }


def hover_map(page, lon_lat: list[float]) -> str:
    """Move the mouse over a longitude/latitude of the map; returns the text of the tooltip shown."""
    x, y = page.evaluate("""(p) => echarts.getInstanceByDom(document.getElementById("map"))
        .convertToPixel({geoIndex: 0}, p)""", lon_lat)
    page.mouse.move(0, 0)
    page.hover("#map", position={"x": x, "y": y})
    page.wait_for_timeout(250)
    return page.inner_text("#map")


def create_game_on_home_page(page, server, seat: str) -> str:
    """Fill in the new-game form with one human seat; returns the seat link shown after creating."""
    page.goto(server.url + "/")
    page.wait_for_selector("#ng-seats input")
    page.select_option("#ng-scenario", server.scenario)
    page.wait_for_selector(f'#ng-seats input[value="{seat}"]')
    assert page.locator("#scenarios .scenario").count() >= 1
    assert page.locator('a[href="/editor"]').count() >= 1 and page.locator('a[href="/experiments"]').count() >= 1
    page.fill("#ng-seed", "5")
    page.fill("#ng-turns", "6")
    page.check(f'#ng-seats input[value="{seat}"]')
    page.click("#ng-create")
    page.wait_for_selector("#created .link-row")
    rows = page.locator("#created .link-row")
    assert rows.count() == 3                      # the seat, the owner and the watch link, each with a copy button
    assert page.locator("#created button[data-copy]").count() == 3
    seat_url = rows.nth(0).locator("input").input_value()
    assert f"seat={seat}" in seat_url and "token=" in seat_url
    assert "?owner=" in rows.nth(1).locator("input").input_value()
    game_id = seat_url.split("/game/")[1].split("?")[0]
    page.wait_for_selector(f'#games-table tr[data-game="{game_id}"]')   # listed among the saved games
    shot(page, "home")
    return seat_url


def give_orders_and_end_turn(page, turn: int) -> int:
    """Pick up to two orders by clicking (action points go down), end the turn, wait for the next one."""
    picked = 0
    for _ in range(2):
        left = int(page.inner_text("#ap-left"))
        button = page.locator("#feasible .order:not([disabled]):not(.selected)").first
        if left == 0 or button.count() == 0:
            break
        cost = int(button.locator(".cost").inner_text().split()[0])
        button.click()
        picked += 1
        assert int(page.inner_text("#ap-left")) == left - cost
        assert page.locator("#picked .chip").count() == picked
    page.click("#end-turn")
    page.wait_for_selector(f"#game[data-turn='{turn}']")
    page.wait_for_selector("#feasible .order")
    return picked


def test_play_a_seat_for_three_turns(server, open_context):
    seat = server.seat
    w = open_context()
    page = w.page()
    seat_url = create_game_on_home_page(page, server, seat)
    game_id = seat_url.split("/game/")[1].split("?")[0]

    page.goto(seat_url)
    page.wait_for_selector("#game[data-ready='1']")
    page.wait_for_selector("#feasible .order")
    ready_ms = int(page.get_attribute("#game", "data-ready-ms"))
    assert "token" not in page.url                       # the secret is taken off the address bar
    assert page.is_visible("#orderscard") and not page.is_visible("#ai-controls")
    assert seat in page.inner_text("#status-line") or page.locator(f"#status-line [data-actor='{seat}']").count()
    assert "Natural Earth" in page.inner_text("#geo-credit")
    # tooltips: a governorate lists every controller's share, a base its garrison and value
    assert "%" in hover_map(page, [39.6, 34.0])              # a point in the Homs desert, away from bases
    base = chart_option(page, "map")["series"][0]["data"][0]
    tip = hover_map(page, base["value"][:2])
    assert base["name"] in tip and "Garrison" in tip and "Value" in tip, tip

    before = snapshot(page)
    assert "no month has been played" in before["log"]
    assert len(before["indicators"][0]) == 1

    picked, after = [], {}
    for turn in (1, 2, 3):
        picked.append(give_orders_and_end_turn(page, turn))
        after[turn] = snapshot(page)
    now = after[3]
    shot(page, "game-seat-turn3")

    assert now["header"] != before["header"] and "3" in now["header"]
    assert (now["regions"], now["bases"]) != (before["regions"], before["bases"]), "the map did not change"
    assert now["links"] != before["links"], "the network did not change"
    assert all(len(d) == 4 for d in now["indicators"]) and len(now["relation"]) == 4
    assert all(len(d) == 4 for d in now["issues"])
    assert now["indicators"] != before["indicators"]
    assert now["log"] != before["log"] and after[1]["log"] != after[3]["log"]
    assert "no month has been played" not in now["log"]

    status, export = server.api("GET", f"/api/games/{game_id}/export")
    assert status == 200
    given = [len(t["orders"].get(seat, [])) for t in export["orders"]]
    assert given == picked                               # the clicked orders are the ones the model played

    # a reload finds the game where it was, with the seat kept
    page.reload()
    page.wait_for_selector("#game[data-ready='1']")
    page.wait_for_selector("#feasible .order")
    assert page.get_attribute("#game", "data-turn") == "3"
    assert page.locator(f"#you [data-actor='{seat}']").count() == 1
    assert snapshot(page)["links"] == now["links"]

    # the turn slider shows turn 1 as it was: map, network, log
    page.locator("#turn-slider").fill("1")
    page.wait_for_selector("#game[data-view-turn='1']")
    assert page.is_visible("#history-banner")
    back = snapshot(page)
    for key in ("regions", "bases", "links", "nodes", "log"):
        assert back[key] == after[1][key], key
    shot(page, "game-look-back-turn1")
    page.click("#back-live")
    page.wait_for_selector("#game[data-view-turn='3']")

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "game-first-load.json").write_text(json.dumps({"scenario": server.scenario, "ready_ms": ready_ms}))


def test_watcher_without_token_cannot_give_orders(server, open_context):
    seat = server.seat
    game = server.new_game([seat])
    # the watcher's forged requests are refused: their 403s show up in the console, as they should
    w = open_context(allowed_errors=("403",))
    page = w.page()
    page.goto(server.url + game["watch_url"])
    page.wait_for_selector("#game[data-ready='1']")
    assert not page.is_visible("#orderscard")
    assert page.locator("#feasible .order").count() == 0
    assert "watching" in page.inner_text("#you").lower()
    assert not page.is_visible("#ai-controls")              # a game with a human seat is not stepped by watchers
    assert page.locator(f"#status-line [data-actor='{seat}']").count() == 1   # who is still to move

    forged = page.evaluate("""async ([id, actor]) => {
        const post = (token) => fetch(`/api/games/${id}/orders`, {method: "POST",
            headers: Object.assign({"Content-Type": "application/json"}, token ? {"X-Seat-Token": token} : {}),
            body: JSON.stringify({actor, orders: []})}).then((r) => r.status);
        const menu = await fetch(`/api/games/${id}/seats/${actor}/orders`, {headers: {"X-Seat-Token": "forged"}});
        return [await post("forged"), await post(null), menu.status];
    }""", [game["id"], seat])
    assert forged == [403, 403, 403]

    # the seat holder moves (elsewhere): the watcher's page follows without a reload
    status, body = server.api("POST", f"/api/games/{game['id']}/orders", {"actor": seat, "orders": []},
                              token=game["tokens"][seat])
    assert status == 200 and body["resolved"], body
    page.wait_for_selector("#game[data-turn='1']")
    assert "no month has been played" not in page.inner_text("#log")
    shot(page, "game-watcher")
