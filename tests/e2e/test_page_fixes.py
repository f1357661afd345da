"""Fixes of the game page found by a bug hunt: a follower catches up with a game that moved or finished before it
followed; the owner of a computer-played game is named as such; a fast autoplay says it plays until the months it
received are drawn; the orders panel counts the points the given orders left; Space, Home and End scroll the page
when they have nothing to do; a missing game's page says so and offers no controls."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from e2e_helpers import shot

TURNS = 3


def owner_call(server, path: str, owner: str) -> tuple[int, object]:
    """POST to the API with a game's owner token (X-Owner-Token): step or run an AI-only game."""
    req = urllib.request.Request(server.url + path, data=b"{}", method="POST",
                                 headers={"Content-Type": "application/json", "X-Owner-Token": owner})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def owner_step(server, game: dict) -> None:
    status, body = owner_call(server, f"/api/games/{game['id']}/step", game["owner_token"])
    assert status == 200, body


def test_follow_catches_up_with_a_game_that_moved_or_finished(server, open_context):
    """The watch stream sends only the moves made after it opened (and `done` alone for a finished game): Follow
    read nothing else, so a watcher stayed on month 0 of a game the owner had played on, or to its end."""
    game = server.new_game([], turns=TURNS, seed=5)
    page = open_context().page()
    page.goto(server.url + game["watch_url"])
    page.wait_for_selector("#game[data-ready='1']")
    assert page.get_attribute("#game", "data-turn") == "0"
    assert "read-only" in page.inner_text("#you").lower()           # a watcher is named as one

    owner_step(server, game)                                         # the owner moves on while the page is open
    page.click("#btn-play")                                          # Follow ▶
    page.wait_for_selector("#game[data-turn='1']", timeout=10_000)
    assert "Stop following" in page.inner_text("#btn-play")
    page.click("#btn-play")
    page.wait_for_selector("#game[data-playing='0']")

    status, body = owner_call(server, f"/api/games/{game['id']}/run", game["owner_token"])
    assert status == 200, body                                        # … and plays the game to its end
    page.click("#btn-play")                                          # the stream sends only `done`
    page.wait_for_selector(f"#game[data-turn='{TURNS}']", timeout=10_000)
    page.wait_for_selector("#status-line:has-text('Game over')")
    page.wait_for_selector("#game[data-playing='0']")
    assert page.is_disabled("#btn-play") and "Follow" in page.inner_text("#btn-play")


def test_the_owner_of_a_computer_played_game_is_named_as_such(server, open_context):
    """The owner was labelled "Watching — read-only" while holding Step, Play and Run."""
    game = server.new_game([], turns=TURNS, seed=6)
    page = open_context().page()
    page.goto(server.url + game["watch_url"] + "?owner=" + game["owner_token"])
    page.wait_for_selector("#game[data-ready='1']")
    you = page.inner_text("#you")
    assert "owner" in you.lower() and "read-only" not in you.lower(), you
    assert not page.is_disabled("#btn-step")
    human = server.new_game([server.seat], turns=2)                  # a seat's game: its owner only watches it
    page.goto(server.url + human["watch_url"] + "?owner=" + human["owner_token"])
    page.wait_for_selector("#game[data-ready='1']")
    assert page.inner_text("#you").lower() == "watching — you own this game"


def test_a_fast_autoplay_plays_until_its_months_are_drawn(server, open_context):
    """At speed "fast" the page said it had stopped (Play ▶, data-playing 0, "Computer-played game") while the
    months the stream had already sent were still being drawn."""
    turns = 4
    game = server.new_game([], turns=turns, seed=6)
    page = open_context().page()
    page.goto(server.url + game["watch_url"] + "?owner=" + game["owner_token"])
    page.wait_for_selector("#game[data-ready='1']")

    history = f"/api/games/{game['id']}/history"

    def slow_history(route):                  # each month drawn takes a while (a slow network, a busy server)
        page.wait_for_timeout(350)
        route.continue_()

    page.route(lambda url: urlsplit(url).path == history, slow_history)
    page.select_option("#play-speed", "0.2")
    page.evaluate("""() => {
        const g = document.getElementById('game');
        new MutationObserver(() => {
            if (g.dataset.playing === '0' && !window.stoppedAt) {
                window.stoppedAt = { turn: g.dataset.turn, status: document.getElementById('status-line').textContent,
                                     play: document.getElementById('btn-play').textContent };
            }
        }).observe(g, { attributes: true, attributeFilter: ['data-playing'] });
    }""")
    page.click("#btn-play")
    page.wait_for_function("() => window.stoppedAt", timeout=30_000)
    stopped = page.evaluate("() => window.stoppedAt")
    page.unroute_all(behavior="wait")
    assert stopped["turn"] == str(turns), stopped                   # every month was drawn first
    assert "Game over" in stopped["status"], stopped
    shot(page, "fixes-owner-autoplay-done")


def test_orders_panel_counts_the_points_the_given_orders_left(server, open_context):
    """After End turn the panel said "Action points left: 0 of 3" whatever the orders cost, and kept the hint
    about picking orders above the "Your orders … are in" box."""
    other = "USA" if server.seat != "USA" else "RUS"
    game = server.new_game([server.seat, other], turns=2)
    page = open_context().page()
    page.goto(server.url + game["seat_urls"][server.seat])
    page.wait_for_selector("#game[data-ready='1']")
    page.wait_for_selector("#feasible .order")
    total = int(page.inner_text("#ap-total"))
    costs = [int(c.split()[0]) for c in page.locator("#feasible .order:not([disabled]) .cost").all_inner_texts()]
    cheapest = min(costs)
    assert cheapest < total, (cheapest, total)
    page.locator(f"#feasible .order:not([disabled]):has(.cost:text-is('{cheapest} AP'))").first.click()
    assert page.inner_text("#orders-hint")                          # the hint while picking
    page.click("#end-turn")
    page.wait_for_selector("#orders-done:not([hidden])")
    assert page.inner_text("#ap-left") == str(total - cheapest)
    assert page.locator("#ap-pips .pip:not(.used)").count() == total - cheapest
    assert page.inner_text("#orders-hint") == ""
    page.reload()                                                    # the given orders as the server lists them
    page.wait_for_selector("#orders-done:not([hidden])")
    assert page.inner_text("#ap-left") == str(total - cheapest)
    assert page.inner_text("#orders-hint") == ""


def scroll_y(page) -> float:
    return page.evaluate("() => window.scrollY")


def test_space_home_and_end_scroll_the_page_when_they_have_nothing_to_do(server, open_context):
    """The game page's shortcuts prevented the keys' own meaning even when they did nothing: Space (play/pause of
    computer-played games) and Home/End (the start / now) no longer scrolled the page of a human game."""
    game = server.new_game([server.seat], turns=2)
    page = open_context().page()
    page.goto(server.url + game["watch_url"])
    page.wait_for_selector("#game[data-ready='1']")
    assert page.evaluate("() => document.documentElement.scrollHeight") > 1600          # room to scroll
    page.evaluate("() => document.activeElement && document.activeElement.blur()")   # keys go to the page
    page.keyboard.press("Space")
    page.wait_for_function("() => window.scrollY > 100")
    page.wait_for_timeout(400)                                       # the smooth scroll ends
    page.keyboard.press("End")
    page.wait_for_function("() => window.scrollY + innerHeight >= document.documentElement.scrollHeight - 2")
    page.wait_for_timeout(400)
    assert page.evaluate("() => document.activeElement === document.body")
    page.keyboard.press("Home")
    page.wait_for_function("() => window.scrollY === 0")

    # a key that acts is still the page's: in a computer-played game Space plays, End goes back to now
    ai = server.new_game([], turns=TURNS, seed=4)
    owner_step(server, ai)
    page.goto(server.url + ai["watch_url"])
    page.wait_for_selector("#game[data-ready='1'][data-turn='1']")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Home")                                      # month 1 -> month 0: acted, no scroll
    page.wait_for_selector("#game[data-view-turn='0']")
    page.keyboard.press("End")
    page.wait_for_selector("#game[data-view-turn='1']")
    page.wait_for_timeout(300)
    assert scroll_y(page) == 0


@pytest.mark.parametrize("path", ["/game/nosuchgame"])
def test_a_missing_games_page_says_so_and_offers_no_controls(server, open_context, path):
    """The page of a game that does not exist kept "Loading…" and "Turn —" in its header, and its month slider,
    Compare, Tour and Export JSON (which downloaded a 404 answer) stayed live."""
    page = open_context(allowed_errors=("404", "Failed to load resource")).page()
    page.goto(server.url + path)
    page.wait_for_selector("#grid .notice.error")
    assert "There is no game nosuchgame" in page.inner_text("#grid")
    head = page.inner_text(".gamehead")
    assert "Loading" not in head and "Turn —" not in head, head
    assert "No such game" in head
    assert page.is_disabled("#turn-slider") and page.is_hidden("#turn-slider")
    for sel in ("#btn-compare", "#btn-tour", "#export", "#seatbox"):
        assert page.is_hidden(sel), sel
    assert page.is_hidden(".toolbar")
    shot(page, "fixes-missing-game")
