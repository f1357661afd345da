"""An editor for YAML: CodeMirror (vendored, offline) with highlighting, line numbers and folding; errors name the
file being edited, even an unsaved variant; goal-name typos get "did you mean"; "Play this text" starts a game of
exactly the text in the editor."""
from __future__ import annotations

from e2e_helpers import shot


def cm_eval(page, code: str):
    return page.evaluate(f"() => {{ const cm = document.querySelector('.CodeMirror').CodeMirror; {code} }}")


def test_codemirror_highlights_numbers_and_folds(server, open_context):
    page = open_context().page()
    page.goto(f"{server.url}/editor/{server.scenario}")
    page.wait_for_selector("#editor[data-ready='1']")
    page.wait_for_selector("#valid-state.ok")
    assert page.locator(".CodeMirror .CodeMirror-linenumber").count() > 10
    assert page.locator(".CodeMirror .cm-comment").count() >= 1 and page.locator(".CodeMirror .cm-atom").count() >= 1
    lines = cm_eval(page, "return cm.getValue().split('\\n');")
    actors = lines.index("actors:")
    cm_eval(page, f"cm.scrollIntoView({{line: {actors}, ch: 0}}, 100);")
    before = cm_eval(page, f"return cm.lineInfo({actors + 1}).handle.height > 0;")
    page.locator(".CodeMirror-foldgutter-open").first.wait_for()
    cm_eval(page, f"cm.foldCode({{line: {actors}, ch: 0}});")
    assert page.locator(".CodeMirror-foldmarker").count() == 1
    end = f"{{line: {actors}, ch: cm.getLine({actors}).length}}"
    assert before and cm_eval(page, f"return cm.isFolded({end}) === true;")
    assert page.input_value("#yaml") == "\n".join(lines)          # the text area behind it stays in step


def test_errors_name_the_file_being_edited_and_suggest(server, open_context):
    page = open_context().page()
    page.goto(f"{server.url}/editor/{server.scenario}")
    page.wait_for_selector("#editor[data-ready='1']")
    page.click("#ed-variant")
    page.fill("#ed-id", "my-try")
    cm_eval(page, "cm.setValue(cm.getValue() + 'actors:\\n  SYR:\\n    goals:\\n      washingtn: {weight: 2}\\n');")
    page.wait_for_selector("#errors li")
    text = page.inner_text("#errors li")
    line = cm_eval(page, "return cm.getValue().split('\\n').findIndex((l) => l.includes('washingtn')) + 1;")
    assert text.startswith(f"my-try.yaml:{line}: ") and f"{server.scenario}.yaml" not in text.split(":")[0]
    assert "did you mean 'washington'?" in text
    assert "my-try.yaml" in page.inner_text("#ed-file") and "not saved" in page.inner_text("#ed-file")
    shot(page, "editor-variant-error")
    page.click("#errors li")                                              # the error takes you to its line
    assert cm_eval(page, "return cm.getCursor('from').line;") == line - 1


def test_play_this_text_starts_a_game_of_the_edit(server, open_context):
    page = open_context().page()
    page.goto(f"{server.url}/editor/{server.scenario}")
    page.wait_for_selector("#editor[data-ready='1']")
    page.click("#ed-variant")
    cm_eval(page, "cm.setValue(cm.getValue() + 'actors:\\n  USA:\\n    action_points: 5\\n');")
    page.wait_for_selector("#valid-state.ok")
    page.wait_for_selector("#ed-seats input[value='USA']")
    assert page.is_hidden("#ed-play")                    # the home page's link would not play this unsaved text
    page.check("#ed-seats input[value='USA']")
    page.fill("#ed-turns", "3")
    page.click("#ed-start")
    page.wait_for_selector("#ed-started a[data-seat='USA']")
    page.click("#ed-started a[data-seat='USA']")
    page.wait_for_selector("#game[data-ready='1']")
    page.wait_for_selector("#feasible .order")
    assert page.inner_text("#ap-total") == "5"           # the edit is what is played
    assert "(edited)" in page.inner_text("#title") or "variant" in page.inner_text("#title")
    assert "of 3" in page.inner_text("#turn-label") or "3 months" in page.inner_text("#turn-label")
