"""Futures from here in the browser (issue 11): a person forks a game on its page and compares the two branches,
runs futures and reads the fan charts and odds, compares two moves for their seat, and opens, reads and downloads
the after-action review of a seat, which works on its own as one file."""
from __future__ import annotations

import json
import shutil
import urllib.request

from playwright.sync_api import Page

from e2e_helpers import ARTIFACTS, chart_option, shot

JOB_TIMEOUT = 180_000      # ms: futures of the baseline on a shared 2-core machine
RELOAD_MS = 1500           # the futures panel redraws this long after the game moves (futures.js)


def card_shot(page: Page, selector: str, name: str) -> None:
    """A screenshot of one card of the page (the game page's full-page shot catches its charts mid-resize)."""
    ARTIFACTS.mkdir(exist_ok=True)
    card = page.locator(selector)
    card.scroll_into_view_if_needed()
    page.wait_for_timeout(600)
    card.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def call(server, method: str, path: str, body=None, headers=None):
    """The JSON API with any headers (the owner token of a game, a seat token)."""
    req = urllib.request.Request(server.url + path, data=None if body is None else json.dumps(body).encode(),
                                 method=method, headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read() or b"null")


def step(server, game: dict, k: int) -> None:
    for _ in range(k):
        call(server, "POST", f"/api/games/{game['id']}/step", {}, {"X-Owner-Token": game["owner_token"]})


def play_seat(server, game: dict, seat: str, k: int) -> None:
    token = {"X-Seat-Token": game["tokens"][seat]}
    for t in range(k):
        menu = call(server, "GET", f"/api/games/{game['id']}/seats/{seat}/orders", headers=token)
        orders = [menu["feasible"][t % len(menu["feasible"])]["order"]]
        call(server, "POST", f"/api/games/{game['id']}/orders", {"actor": seat, "orders": orders}, token)


def test_fork_a_game_on_its_page_and_compare_the_branches(server, open_context):
    game = server.new_game([], turns=8)
    step(server, game, 3)
    w = open_context()
    page = w.page()
    page.goto(f"{server.url}/game/{game['id']}?owner={game['owner_token']}")
    page.wait_for_selector("#futures-root[data-ready='1']")
    assert "No forks yet" in page.inner_text("#family")
    page.select_option("#fork-turn", "2")
    page.click("#fork-btn")
    page.wait_for_selector("#fork-link")
    assert "Forked at month 2" in page.inner_text("#fork-done")
    fork_id = page.get_attribute("#fork-link", "href").split("/game/")[1]
    assert page.locator("#fork-list li").count() == 1 and fork_id in page.inner_text("#fork-list")
    assert page.input_value("#branch-other") == fork_id
    page.wait_for_selector("#branch-when")
    assert "No indicator differs" in page.inner_text("#branch-when")        # the fork is its parent up to month 2

    owner = page.evaluate("(id) => localStorage.getItem(`wargame.owner.game.${id}`)", fork_id)
    assert owner, "the fork's owner token is kept in this browser"
    step(server, {"id": fork_id, "owner_token": owner}, 3)
    page.reload()
    page.wait_for_selector("#futures-root[data-ready='1']")
    page.wait_for_selector("#branch-when")
    assert page.input_value("#branch-month") == "3"                        # the last month both have played
    when = page.inner_text("#branch-when")
    assert "first differ in month 3" in when, when
    assert page.locator("#branch-diffs tbody tr").count() >= 1
    lines = chart_option(page, "branch-lines")
    assert [len(s["data"]) for s in lines["series"]] == [6, 6]
    for key in ("a", "b"):
        assert chart_option(page, f"bmap-{key}")["geo"][0]["regions"]
        assert chart_option(page, f"bnet-{key}")["series"][0]["data"]
    page.select_option("#branch-month", "2")
    page.wait_for_selector("#branch-diffs-none")
    page.select_option("#branch-month", "3")
    page.wait_for_selector("#branch-diffs")
    card_shot(page, "#branches-card", "futures-branches")

    page.click("#fork-list a")
    page.wait_for_selector("#futures-root[data-ready='1']")
    assert game["id"] in page.inner_text("#family") and "forked at month 2" in page.inner_text("#family")
    assert page.input_value("#branch-other") == game["id"]


def test_the_game_page_drawn_late_leaves_the_futures_panel_alone(server, open_context):
    """The game's own panels may finish drawing after the futures panel is ready (a busy machine): their first draw
    of the same month neither resets a month picked in the fork menu nor redraws the panel over what the person
    did meanwhile; moving through the months then sets the fork menu to the month on display."""
    game = server.new_game([], turns=8)
    step(server, game, 3)
    page = open_context().page()
    held, released = [], []

    def hold(route):                      # the game page's first draw waits for its guide until the menu is used
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/guide", hold)
    page.goto(f"{server.url}/game/{game['id']}?owner={game['owner_token']}")
    page.wait_for_selector("#futures-root[data-ready='1']")
    page.select_option("#fork-turn", "2")
    page.eval_on_selector("#futures-card h2", "(e) => { e.dataset.kept = '1'; }")
    released.append(True)
    for route in held:
        route.continue_()
    page.wait_for_selector("#game[data-ready='1'][data-view-turn='3']")
    assert page.input_value("#fork-turn") == "2"
    page.wait_for_timeout(RELOAD_MS + 1500)          # the panel redraws this long after a move of the game
    assert page.locator("#futures-card h2[data-kept='1']").count() == 1, "the panel was redrawn for no move"
    assert page.input_value("#fork-turn") == "2"
    page.click("#title")                                               # (keys typed in a menu stay in the menu)
    page.keyboard.press("Home")
    page.wait_for_selector("#game[data-view-turn='0']")
    assert page.input_value("#fork-turn") == "0"


def test_futures_panel_and_two_moves_for_a_seat(server, open_context):
    game = server.new_game([server.seat], turns=8)
    play_seat(server, game, server.seat, 2)
    w = open_context()
    page = w.page()
    page.goto(server.url + game["seat_urls"][server.seat])
    page.wait_for_selector("#futures-root[data-ready='1']")
    assert "played by their actors' AI policy" in page.inner_text("#futures-ai-note")
    page.fill("#futures-n", "16")
    page.fill("#futures-months", "4")
    page.click("#futures-run")
    page.wait_for_selector("#futures-progress:not([hidden])")
    page.wait_for_selector("#futures-root[data-futures='16']", timeout=JOB_TIMEOUT)
    note = page.inner_text("#futures-note")
    assert "played by its actor's AI policy" in note and "16 futures of 4 months" in note
    fans = page.locator("#fan-grid .chart-fan")
    assert fans.count() >= 10
    opt = chart_option(page, "fan-0")
    names = [s["name"] for s in opt["series"]]
    assert names == ["p5", "90%", "p25", "50%", "median", "played"]
    median = opt["series"][4]["data"]
    assert len([v for v in median if v != "-"]) == 5                         # now and 4 months
    state = call(server, "GET", f"/api/games/{game['id']}")
    assert page.locator("#futures-bases tbody tr").count() == len(state["bases"])
    assert page.locator("#futures-blocs tbody tr").count() == len(state["actors"])
    assert page.locator("#futures-regions tbody tr").count() >= 1
    card_shot(page, "#futures-card", "futures-panel")

    assert page.locator("#moves-card").is_visible()
    page.locator("#move-a .opts input").first.check()
    page.fill("#moves-n", "12")
    page.fill("#moves-months", "3")
    page.click("#moves-run")
    page.wait_for_selector("#futures-root[data-compared='12']", timeout=JOB_TIMEOUT)
    assert "B: hold (no orders)" in page.inner_text("#moves-note")
    rows = page.locator("#moves-levels tbody tr")
    assert rows.count() >= 1
    cells = rows.first.locator("td")
    assert "[" in cells.nth(3).inner_text() and rows.first.locator(".ci-point").count() == 1
    page.check("#moves-all")
    assert page.locator("#moves-levels tbody tr").count() >= rows.count()
    card_shot(page, "#moves-card", "futures-two-moves")

    watcher = open_context().page()
    watcher.goto(f"{server.url}/game/{game['id']}?watch=1")
    watcher.wait_for_selector("#futures-root[data-ready='1']")
    assert watcher.locator("#moves-card").is_hidden()                        # only a seat's holder compares moves


def test_after_action_review_page_and_its_download(server, open_context, browser):
    game = server.new_game([server.seat], turns=8)
    play_seat(server, game, server.seat, 2)
    w = open_context()
    page = w.page()
    page.goto(f"{server.url}/game/{game['id']}?watch=1")
    page.wait_for_selector("#futures-root[data-ready='1']")
    page.click(f"#reviews-line a[href='/games/{game['id']}/review/{server.seat}']")
    page.wait_for_selector("#review[data-ready='1']", timeout=JOB_TIMEOUT)
    assert "percentile" in page.inner_text(".review-summary")
    opt = chart_option(page, "review-utility")
    played = next(s for s in opt["series"] if s["name"].endswith("as played"))
    assert len(played["data"]) == 3
    assert page.locator(".review-pivotal tbody tr").count() == 2
    shot(page, "review-page")

    with page.expect_download() as dl:
        page.click("#review-download")
    assert dl.value.suggested_filename.endswith(".html")
    ARTIFACTS.mkdir(exist_ok=True)
    kept = ARTIFACTS / "review-download.html"
    shutil.copy(dl.value.path(), kept)
    html = kept.read_text(encoding="utf-8")
    assert "<script src" not in html and "<link" not in html

    offline = browser.new_page(viewport={"width": 1200, "height": 900})     # a file on its own: no server
    errors: list[str] = []
    asked: list[str] = []
    offline.on("pageerror", lambda e: errors.append(str(e)))
    offline.on("request", lambda r: asked.append(r.url))
    offline.goto(kept.as_uri())
    offline.wait_for_selector("#review-utility canvas")
    assert offline.locator(".review-pivotal tbody tr").count() == 2
    assert errors == [] and all(u.startswith(("file:", "data:")) for u in asked), (errors, asked)
    offline.screenshot(path=str(ARTIFACTS / "review-download.png"), full_page=True)
    offline.close()


def test_a_seat_chooses_its_orders_and_the_relations_of_the_futures(server, open_context):
    game = server.new_game([server.seat], turns=8)
    play_seat(server, game, server.seat, 2)
    options = call(server, "GET", f"/api/games/{game['id']}/futures/options")
    defaults = options["defaults"]["relations"]
    w = open_context()
    page = w.page()
    page.goto(server.url + game["seat_urls"][server.seat])
    page.wait_for_selector("#futures-root[data-ready='1']")
    chips = page.locator("#relations-picker .relchip")
    assert [chips.nth(k).get_attribute("data-relation") for k in range(chips.count())] == defaults
    assert page.get_attribute("#futures-n", "max") == str(options["caps"]["n"])

    dropped = defaults[0]
    page.click(f"#relations-picker .relchip[data-relation='{dropped}'] button")
    page.select_option("#relation-a", "TUR")
    page.select_option("#relation-b", "RUS")
    page.click("#relation-add")
    wanted = [*defaults[1:], "relation.RUS.TUR"]
    assert [chips.nth(k).get_attribute("data-relation") for k in range(chips.count())] == wanted
    assert page.locator("#relation-reset").is_visible()

    page.wait_for_selector("#futures-orders:not([hidden])")
    assert page.locator("#move-f").is_hidden()                                 # the AI's choice by default
    page.check("#futures-orders-mine")
    first = page.locator("#move-f .opts label").first
    label = first.inner_text().rsplit("\n", 1)[0].strip()
    first.locator("input").check()
    assert "of 3 action points left" in page.inner_text("#move-f-ap")
    page.fill("#futures-n", "12")
    page.fill("#futures-months", "3")
    page.click("#futures-run")
    page.wait_for_selector("#futures-root[data-futures='12']", timeout=JOB_TIMEOUT)
    note = page.inner_text("#futures-note")
    assert "first gives the orders chosen in" in note and label.split(" AP")[0].rsplit(" ", 1)[0][:12] in note, note
    columns = page.eval_on_selector_all("#fan-grid .chart-fan", "els => els.map((e) => e.dataset.column)")
    assert [c for c in columns if c.startswith("relation.")] == wanted
    assert "Relation" in page.inner_text("#fan-grid") and len(columns) == len(wanted) + sum(
        1 for c in columns if not c.startswith("relation."))
    card_shot(page, "#futures-card", "futures-orders-relations-1440")

    # the two moves compare the chosen relations too
    page.locator("#move-a .opts input").nth(0).check()
    page.locator("#move-b .opts input").nth(1).check()
    page.fill("#moves-n", "10")
    page.fill("#moves-months", "2")
    page.click("#moves-run")
    page.wait_for_selector("#futures-root[data-compared='10']", timeout=JOB_TIMEOUT)
    page.check("#moves-all")
    assert page.locator("#moves-levels tr[data-outcome='relation.RUS.TUR']").count() == 1
    assert page.locator(f"#moves-levels tr[data-outcome='{dropped}']").count() == 0
    moves_note = page.inner_text("#moves-note")
    assert "hold" not in moves_note and "first gives" not in moves_note, moves_note
    card_shot(page, "#moves-card", "futures-two-moves-1440")

    phone = open_context(viewport={"width": 390, "height": 844}).page()
    phone.goto(server.url + game["seat_urls"][server.seat])
    phone.wait_for_selector("#futures-root[data-ready='1']")
    phone.wait_for_selector("#futures-orders:not([hidden])")
    phone.check("#futures-orders-mine")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone: {width}px"
    card_shot(phone, "#futures-card", "futures-orders-relations-390")
    card_shot(phone, "#moves-card", "futures-two-moves-390")

    # the results on a phone: every row of every table folds into a block, so no figure sits off screen (before, the
    # tables scrolled sideways in their boxes and a phone showed neither the expected shares nor the intervals)
    phone.check("#futures-orders-ai")
    phone.fill("#futures-n", "8")
    phone.fill("#futures-months", "2")
    phone.click("#futures-run")
    phone.wait_for_selector("#futures-root[data-futures='8']", timeout=JOB_TIMEOUT)
    phone.locator("#move-a .opts input").nth(0).check()
    phone.fill("#moves-n", "8")
    phone.fill("#moves-months", "2")
    phone.click("#moves-run")
    phone.wait_for_selector("#futures-root[data-compared='8']", timeout=JOB_TIMEOUT)
    tables = ["#futures-bases", "#futures-regions", "#futures-blocs", "#moves-levels"]
    beyond = phone.evaluate("""(ids) => ids.flatMap((id) => [...document.querySelectorAll(`${id} td`)]
        .filter((td) => td.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((td) => `${id}: ${td.textContent.slice(0, 30)} ends at ${td.getBoundingClientRect().right}px`))""",
                            tables)
    assert beyond == [], beyond[:5]
    labels = phone.locator("#futures-regions td[data-label]").first.get_attribute("data-label")
    assert labels == "Control now" and phone.is_hidden("#futures-regions thead")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    card_shot(phone, "#futures-card", "futures-results-390")
    card_shot(phone, "#moves-card", "futures-two-moves-results-390")


def test_forecast_questions_in_the_browser_with_scores_and_the_report(server, open_context):
    sets = call(server, "GET", "/api/forecast/questions")["sets"]
    shipped = next(s for s in sets if s["id"] == "projected-outcomes")
    w = open_context(allowed_errors=("status of 400",))          # the bad question file below is refused
    page = w.page()
    page.goto(server.url + "/experiments")
    page.click("#forecast-link")
    page.wait_for_selector("#forecast[data-ready='1']")
    assert page.locator("#forecast-table tbody tr").count() == len(shipped["questions"])
    first, second = shipped["questions"][0]["id"], shipped["questions"][1]["id"]
    page.select_option(f"#forecast-table select[data-question='{first}']", "true")
    page.select_option(f"#forecast-table select[data-question='{second}']", "false")
    page.fill("#forecast-n", "6")
    page.click("#forecast-run")
    page.wait_for_selector("#forecast[data-forecast='6']", timeout=JOB_TIMEOUT)
    rows = page.locator("#forecast-table tbody tr")
    assert rows.count() == len(shipped["questions"]) and rows.first.locator(".pbar-point").count() == 1
    assert page.input_value(f"#forecast-table select[data-question='{first}']") == "true"
    # the scores are the API's own for the same request (the finished job answers again)
    again = call(server, "POST", "/api/forecast", {"questions": "projected-outcomes", "replications": 6, "seed": 0,
                                                   "scenario": shipped["scenario"],
                                                   "resolutions": {first: True, second: False}})
    assert again["reused"] is True, again
    scores = again["result"]["scores"]
    assert scores["n"] == 2
    brier_row = page.inner_text("#forecast-score-table tr[data-score='brier']")
    assert f"{scores['brier']:.4f}" in brier_row and f"{scores['persistence']['brier']:.4f}" in brier_row
    reliability = chart_option(page, "forecast-reliability")
    assert len(reliability["series"][1]["data"]) == len(scores["reliability"])
    card_shot(page, "#forecast", "forecast-page-1440")
    with page.expect_download() as dl:
        page.click("#forecast-download")
    assert dl.value.suggested_filename.endswith(".html")
    assert "Reliability diagram" in open(dl.value.path(), encoding="utf-8").read()

    # a pasted question file with a date outside the horizon: one error naming the line and field
    page.click("#forecast-own summary")
    page.fill("#forecast-yaml", 'questions:\n  - {id: a, text: t, date: "2031-01", condition: '
                                '{indicator: turn, op: ">", value: 0}}\n')
    page.click("#forecast-run")
    page.wait_for_selector("#forecast-error:not([hidden])")
    assert "questions_yaml:2: questions.0.date: 2031-01 is outside the horizon" in page.inner_text("#forecast-error")

    phone = open_context(viewport={"width": 390, "height": 844}).page()
    phone.goto(server.url + "/forecast")
    phone.wait_for_selector("#forecast[data-ready='1']")
    phone.select_option(f"#forecast-table select[data-question='{first}']", "true")
    phone.select_option(f"#forecast-table select[data-question='{second}']", "false")
    phone.fill("#forecast-n", "6")
    phone.click("#forecast-run")                                    # the same request: the finished job answers
    phone.wait_for_selector("#forecast[data-forecast='6']", timeout=JOB_TIMEOUT)
    assert phone.locator("#forecast-score-table").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the forecast page scrolls sideways on a phone: {width}px"
    card_shot(phone, "#forecast", "forecast-page-390")
