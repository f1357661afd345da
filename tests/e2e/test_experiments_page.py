"""Experiments that ask first and judge sensibly: the run count follows the form, a launch above the documented
number of runs asks for confirmation (a blank Replications box means the spec's many runs), notices replace each
other, and the verdicts are explained (negligible included)."""
from __future__ import annotations

from e2e_helpers import shot


def test_the_run_count_follows_the_form_and_big_launches_ask(server, open_context):
    page = open_context().page()
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url)))
    page.goto(server.url + "/experiments")
    page.wait_for_selector("#xp-spec option[value]", state="attached")
    page.wait_for_selector("#xp-valid.ok")
    page.wait_for_function("() => document.getElementById('xp-runs').textContent.includes('runs')")
    note = page.inner_text("#xp-runs")
    cells = int(note.split(" cell")[0])
    spec_reps = int(note.split("× ")[1].split(" ")[0].replace(",", ""))
    assert f"= {cells * spec_reps:,} runs" in note and "(the spec's)" in note
    page.fill("#xp-reps", "7")
    assert page.inner_text("#xp-runs").endswith(f"= {cells * 7:,} runs")
    page.fill("#xp-reps", "")
    assert f"= {cells * spec_reps:,} runs" in page.inner_text("#xp-runs")

    limit = int(page.get_attribute("#experiments", "data-confirm-runs"))
    assert cells * spec_reps > limit
    page.click("#xp-run")                                   # blank = the spec's runs: ask first
    assert page.is_visible("#xp-confirm") and f"{cells * spec_reps:,} runs" in page.inner_text("#xp-confirm")
    page.click("#xp-confirm-no")
    assert page.is_hidden("#xp-confirm")
    assert not [u for m, u in requests if m == "POST" and u.endswith("/api/experiments")]   # nothing launched
    shot(page, "experiments-form")

    page.fill("#xp-reps", "2")                              # a small launch goes without a question
    page.click("#xp-run")
    page.wait_for_selector("#xp-job:not([hidden])")
    assert page.is_hidden("#xp-confirm")
    assert [u for m, u in requests if m == "POST" and u.endswith("/api/experiments")]
    assert page.locator("#toast .notice").count() <= 1      # a notice replaces the last one
    page.evaluate("""() => import("/static/js/common.js")
        .then((m) => { m.toast("one"); m.toast("two"); m.toast("three"); })""")
    assert page.locator("#toast .notice").count() == 1 and page.inner_text("#toast") == "three"
    if page.is_visible("#xp-cancel"):
        page.click("#xp-cancel")
    note = page.text_content("#xp-verdict-note")
    assert "negligible" in note and "min_effect" in note and "0.02" in note
