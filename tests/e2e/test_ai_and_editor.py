"""An AI-only game stepped, autoplayed and run to its end from the page, exported and imported on the home page;
the config editor shows a validation error at the right line and saves a copy of a built-in scenario."""
from __future__ import annotations

import json
import re

from e2e_helpers import chart_option, shot

TURNS = 5


def test_ai_only_game_step_play_run_to_end_and_import(server, open_context, tmp_path):
    game = server.new_game([], turns=TURNS, seed=9)
    # a watcher (no owner token in this browser) only watches: step and run are off, Play follows
    watcher = open_context().page()
    watcher.goto(server.url + game["watch_url"])
    watcher.wait_for_selector("#game[data-ready='1']")
    assert watcher.is_disabled("#btn-step") and watcher.is_disabled("#btn-run")
    assert "Follow" in watcher.inner_text("#btn-play")
    # the owner link (what the home page offers its creator) keeps the token and takes it off the address bar
    w = open_context()
    page = w.page()
    page.goto(server.url + game["watch_url"] + "?owner=" + game["owner_token"])
    page.wait_for_selector("#game[data-ready='1']")
    assert game["owner_token"] not in page.url
    assert page.is_visible("#ai-controls") and not page.is_visible("#orderscard")

    page.click("#btn-step")
    page.wait_for_selector("#game[data-turn='1']")
    assert len(chart_option(page, "chart-ind")["series"][0]["data"]) == 2

    page.click("#btn-play")                                   # autoplay over Server-Sent Events
    assert "Pause" in page.inner_text("#btn-play")
    page.wait_for_selector("#game[data-turn='2']")
    page.click("#btn-play")                                   # pause
    page.wait_for_selector("#btn-play:has-text('Play')")
    paused_at = int(page.get_attribute("#game", "data-turn"))
    assert 2 <= paused_at <= TURNS

    if paused_at < TURNS:
        page.click("#btn-run")
    page.wait_for_selector(f"#game[data-turn='{TURNS}']")
    page.wait_for_selector("#status-line:has-text('Game over')")
    assert page.is_disabled("#btn-step") and page.is_disabled("#btn-run")
    assert page.get_attribute("#turn-slider", "max") == str(TURNS)
    assert len(chart_option(page, "chart-ind")["series"][0]["data"]) == TURNS + 1
    shot(page, "game-ai-finished")

    # export (the page's link) and import on the home page: the replay reaches the same state
    href = page.get_attribute("#export", "href")
    export = page.request.get(server.url + href).json()
    assert export["seed"] == 9 and len(export["orders"]) == TURNS
    path = tmp_path / "game.json"
    path.write_text(json.dumps(export))
    page.goto(server.url + "/")
    page.set_input_files("#import-file", str(path))
    page.click("#import-btn")
    page.wait_for_selector("#imported .link-row")
    new_url = page.locator("#imported .link-row input").last.input_value()
    new_id = new_url.split("/game/")[1].split("?")[0]
    _, original = server.api("GET", f"/api/games/{game['id']}")
    _, replayed = server.api("GET", f"/api/games/{new_id}")
    assert replayed["turn"] == TURNS and replayed["relations"] == original["relations"]

    # the importing page owns the new game: its row has a Delete button, which removes the game
    page.click("#refresh-games")
    page.wait_for_selector(f"#games-table tr[data-game='{new_id}'] button[data-delete]")
    page.once("dialog", lambda d: d.accept())
    page.click(f"#games-table tr[data-game='{new_id}'] button[data-delete]")
    page.wait_for_selector(f"#games-table tr[data-game='{new_id}']", state="detached")
    assert server.api("GET", f"/api/games/{new_id}")[0] == 404


def retype(page, caret: int, erase: int, text: str) -> None:
    """Put the caret at a character offset of the YAML (in the CodeMirror editor), erase characters before it and
    type new ones."""
    page.evaluate("""(i) => { const cm = document.querySelector('.CodeMirror').CodeMirror;
        cm.focus(); cm.setCursor(cm.posFromIndex(i)); }""", caret)
    for _ in range(erase):
        page.keyboard.press("Backspace")
    page.keyboard.type(text)


def test_editor_shows_validation_error_at_its_line(server, open_context):
    w = open_context()
    page = w.page()
    page.goto(f"{server.url}/editor/{server.scenario}")
    page.wait_for_selector("#editor[data-ready='1']")
    page.wait_for_selector("#valid-state.ok")
    text = page.input_value("#yaml")
    lines = text.split("\n")
    line, m = next((i, m) for i, s in enumerate(lines, 1) if (m := re.match(r"turns:\s*(\d+)", s)))
    value = m.group(1)
    end = sum(len(s) + 1 for s in lines[:line - 1]) + m.end(1)
    retype(page, end, len(value), "many")                    # edit like a person: caret, backspace, type

    page.wait_for_selector("#errors li")
    marker = page.locator(f".CodeMirror .cm-error-marker[data-line='{line}']")
    assert marker.count() == 1 and page.locator(".CodeMirror .cm-error-line").count() == 1
    assert page.evaluate("""(l) => { const cm = document.querySelector('.CodeMirror').CodeMirror;
        return cm.lineInfo(l - 1).bgClass; }""", line) == "cm-error-line"
    first = page.inner_text("#errors li")
    assert f":{line}: " in first and "turns" in first, first
    assert "error" in page.inner_text("#valid-state")
    shot(page, "editor-error")

    retype(page, end - len(value) + len("many"), len("many"), value)   # fixed: the error goes away
    page.wait_for_selector("#valid-state.ok")
    assert page.locator("#errors li").count() == 0

    page.fill("#ed-id", server.scenario)                      # a built-in is never overwritten
    page.click("#ed-save")
    if page.locator("#ed-badge.builtin").count():
        page.wait_for_selector("#ed-save-msg .notice.error")
    page.fill("#ed-id", "e2e-copy")
    page.click("#ed-save")
    page.wait_for_selector("#ed-save-msg .notice.ok")
    _, scenarios = server.api("GET", "/api/scenarios")
    assert any(s["id"] == "e2e-copy" and not s["builtin"] for s in scenarios)
    page.click("#ed-diff")
    page.wait_for_selector("#diff:not([hidden])")
    assert page.get_attribute("#ed-play", "href") == "/?scenario=e2e-copy#new-game"
