"""This month at a glance: the digest on top of the log names every base and governorate that changed hands (with
the shares), every bloc switch and every threshold crossed; the seat's own orders are marked, routine lines of others
are folded by kind, and the log filters by actor and by kind."""
from __future__ import annotations

from e2e_helpers import shot


def leader(shares: dict) -> str:
    return max(shares.items(), key=lambda kv: kv[1])[0]


def expected_facts(state: dict, prev: dict) -> dict:
    """What the digest must say about a month, computed from the API (the state and the previous month's row)."""
    ids = [a["id"] for a in state["actors"]]
    regions = [r["name"] for r in state["regions"]
               if leader(r["control"]) != leader({a: prev[f"region.{r['id']}.{a}"] for a in ids})]
    bases = [b["name"] for b in state["bases"]
             if prev[f"base.{b['id']}.controller"] != b["controller"] or prev[f"base.{b['id']}.status"] != b["status"]]
    blocs = [a["id"] for a in state["actors"] if prev[f"bloc.{a['id']}"] != a["bloc"]]
    thresholds = [e["sentence"] for e in state["events"] if e["kind"] == "issue"]
    return {"regions": regions, "bases": bases, "blocs": blocs, "thresholds": thresholds}


def test_the_digest_tells_every_change_of_each_month(server, open_context):
    game = server.new_game([], turns=8, seed=4)   # a seed whose first 8 months change bases (issue-10 model)
    page = open_context().page()
    page.goto(server.url + game["watch_url"] + "?owner=" + game["owner_token"])
    page.wait_for_selector("#game[data-ready='1']")
    assert page.is_hidden("#digest")                                          # nothing to digest at the start
    page.click("#btn-run")
    page.wait_for_selector("#game[data-turn='8']")
    _, rows = server.api("GET", f"/api/games/{game['id']}/history")
    rows = rows["rows"]
    seen = {"regions": 0, "bases": 0, "blocs": 0, "thresholds": 0}
    for turn in range(1, 9):
        page.locator("#turn-slider").fill(str(turn))
        page.wait_for_selector(f"#game[data-view-turn='{turn}']")
        _, state = server.api("GET", f"/api/games/{game['id']}?turn={turn}")
        want = expected_facts(state, rows[turn - 1])
        items = page.locator("#digest-list li")
        texts = {k: [items.nth(i).inner_text() for i in range(items.count())
                     if items.nth(i).get_attribute("data-kind") == k] for k in ("control", "base", "bloc", "threshold")}
        changed = [t for t in texts["control"] if "changed hands" in t]
        assert len(changed) == len(want["regions"]) and all(any(r in t for t in changed) for r in want["regions"])
        assert all("%" in t for t in changed)                                      # with the shares
        assert len(texts["base"]) == len(want["bases"]) and len(texts["bloc"]) == len(want["blocs"])
        assert len(texts["threshold"]) == len(want["thresholds"])
        for k in seen:
            seen[k] += len(want[k])
        # every event of the month is in the log, shown or folded into a routine group
        shown = page.locator("#log > li:not(.group):not(.empty)").count()
        folded = sum(int(s.split()[0]) for s in page.locator("#log details.routine summary").all_inner_texts())
        assert shown + folded == len(state["events"])
        if turn == 6:
            shot(page, "digest-month6")
    assert seen["regions"] + seen["bases"] + seen["thresholds"] > 0, "seed 4 should change something in 8 months"


def test_own_orders_are_marked_and_the_log_filters(server, open_context):
    seat = server.seat
    game = server.new_game([seat], turns=3)
    page = open_context().page()
    page.goto(server.url + game["seat_urls"][seat])
    page.wait_for_selector("#feasible .order")
    page.locator("#feasible .order-group[data-kind='engage'] .order").first.click()
    page.click("#end-turn")
    page.wait_for_selector("#game[data-turn='1']")
    mine = page.locator("#log li.mine")
    assert mine.count() >= 1 and "your order" in mine.first.inner_text().lower()
    assert mine.first.get_attribute("data-actors").split()[0] == seat

    page.select_option("#log-kind", "mine")
    assert page.locator("#log > li").count() == page.locator("#log > li.mine").count() >= 1
    page.select_option("#log-kind", "")
    page.select_option("#log-filter", seat)
    for actors in page.locator("#log li[data-actors]").evaluate_all("els => els.map(e => e.dataset.actors)"):
        assert seat in actors.split()
    page.select_option("#log-filter", "")
    groups = page.locator("#log details.routine")
    if groups.count():
        groups.first.locator("summary").click()
        assert groups.first.locator("li").count() >= 1
