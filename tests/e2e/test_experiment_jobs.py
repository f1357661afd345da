"""Several experiments listed clearly while one is watched, at a phone (390x844), a tablet (768x1024) and a desktop
(1440x900) size: each row names the experiment, its spec, its state, its progress and its age; the list keeps
following every job (a short one finishes, a long one advances) without a click while another is watched, and the
watched row agrees with the watched job's own progress."""
from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Iterator

import pytest

from e2e_helpers import ARTIFACTS
from test_screen_sizes import overflow

SIZES = [(390, 844), (768, 1024), (1440, 900)]


def owner_call(server, method: str, path: str, token: str) -> int:
    req = urllib.request.Request(server.url + path, method=method, headers={"X-Owner-Token": token})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def launch(server, replications: int) -> dict:
    """Launch projected-outcomes (4 arms) on one worker, waiting for a free slot (at most two run at once)."""
    deadline = time.monotonic() + 120
    while True:
        body = {"spec": "projected-outcomes", "replications": replications, "workers": 1}
        status, job = server.api("POST", "/api/experiments", body)
        if status != 409 or time.monotonic() > deadline:
            assert status == 201, job
            return job
        time.sleep(1)


@pytest.fixture(scope="module")
def jobs(server) -> Iterator[dict]:
    """A long experiment (the one watched) and a short one that ends while the long one is watched."""
    long = launch(server, 60)           # 240 runs: a minute or more on one worker
    short = launch(server, 2)           # 8 runs
    yield {"long": long, "short": short}
    # leave the server as it was: both stopped and deleted (other tests expect no experiment of ours)
    for job in (long, short):
        path = f"/api/experiments/{job['id']}"
        owner_call(server, "POST", f"{path}/cancel", job["owner_token"])
        for _ in range(30):
            if owner_call(server, "DELETE", path, job["owner_token"]) != 409:
                break
            time.sleep(0.5)


def rows(page) -> list[dict]:
    """The listed jobs as one snapshot: the list redraws every row on each progress event of the watched job, so
    its rows and their progress bars are read together, never one element per call. One script finds and reads
    them: eval_on_selector_all finds the rows in one call and reads them in another, so a redraw between the two
    gave rows already replaced (width 0, their text as if unrendered)."""
    return page.evaluate("""() => [...document.querySelectorAll("#xp-jobs li[data-id]")].map(e => ({ id: e.dataset.id,
        status: e.dataset.status, done: Number(e.dataset.done), text: e.innerText,
        picked: e.classList.contains("xp-watched"),
        width: e.getBoundingClientRect().width,
        bars: [...e.querySelectorAll(".xp-mini")].map(b => b.getBoundingClientRect().width) }))""")


def row(page, job_id: str) -> dict:
    return next(r for r in rows(page) if r["id"] == job_id)


def test_the_list_follows_every_job_while_one_is_watched(server, open_context, jobs):
    long, short = jobs["long"], jobs["short"]
    page = open_context().page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server.url + f"/experiments?id={long['id']}")
    page.wait_for_selector(f"#xp-jobs li[data-id='{long['id']}'].xp-watched")
    page.wait_for_selector(f"#xp-job-sub:has-text('id {long['id']}')")    # the panel fills once the job is read
    assert page.inner_text("#xp-job-title") == long["name"]
    first = row(page, long["id"])
    assert "watching" in first["text"].lower() and "projected-outcomes" in first["text"]
    assert "240 runs" in first["text"] and "started" in first["text"]
    # the short job ends and the list says so, with no click on Refresh
    page.wait_for_selector(f"#xp-jobs li[data-id='{short['id']}'][data-status='done']", timeout=120_000)
    done = row(page, short["id"])
    assert "8 runs done" in done["text"] and not done["picked"]
    # the watched job advances in the list, and its row agrees with the watched job's own progress
    start = row(page, long["id"])["done"]
    page.wait_for_function(f"""() => {{
        const li = document.querySelector("#xp-jobs li[data-id='{long['id']}']");
        return li && (Number(li.dataset.done) > {start} || li.dataset.status === "done");
    }}""", timeout=120_000)
    now = row(page, long["id"])
    assert now["picked"] and now["status"] in ("running", "done")
    if now["status"] == "running":
        shown = int(re.search(r"([\d,]+) of 240 runs", page.inner_text("#xp-progress-text")).group(1).replace(",", ""))
        assert abs(shown - now["done"]) <= 60                  # one chunk apart at most (stream and list read in turn)
        assert re.search(r"\d+ of 240 runs · \d+%", now["text"])
    assert page.locator("#xp-jobs li[data-id]").count() >= 2
    assert len([u for u in requests if u.endswith("/api/experiments")]) >= 3     # the list was read again by itself
    _, listed = server.api("GET", "/api/experiments")
    assert {j["id"]: j["status"] for j in listed}[short["id"]] == "done"


@pytest.mark.parametrize("width,height", SIZES)
def test_the_job_list_fits_every_screen(server, open_context, jobs, width, height):
    page = open_context(viewport={"width": width, "height": height}).page()
    page.goto(server.url + f"/experiments?id={jobs['long']['id']}")
    page.wait_for_selector(f"#xp-jobs li[data-id='{jobs['long']['id']}'].xp-watched")
    page.wait_for_timeout(400)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert overflow(page) == []
    card = page.locator("#xp-jobs").bounding_box()
    listed = rows(page)
    assert len(listed) >= 2
    for r in listed:
        assert r["width"] >= card["width"] - 2, r
        text = r["text"]
        assert r["status"] in text and "projected-outcomes" in text and "started" in text, text
        assert re.search(r"runs (done|to play)|of [\d,]+ runs|cancelled at|failed", text), text
    assert all(len(r["bars"]) == 1 and r["bars"][0] >= min(250, card["width"] - 40) for r in listed), listed
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"experiments-watching-{width}x{height}.png"), full_page=True)
    # a finished one's results fit as well (on a phone each hypothesis is a card)
    short = jobs["short"]["id"]
    page.wait_for_selector(f"#xp-jobs li[data-id='{short}'][data-status='done']", timeout=120_000)
    page.click(f"#xp-jobs li[data-id='{short}'] button")
    page.wait_for_selector(f"#xp-job-sub:has-text('id {short}')")
    page.wait_for_selector("#xp-results:not([hidden]) #xp-verdicts td")
    page.wait_for_timeout(400)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert overflow(page) == []
    assert page.locator(f"#xp-jobs li[data-id='{short}'].xp-watched").count() == 1
    page.screenshot(path=str(ARTIFACTS / f"experiments-results-{width}x{height}.png"), full_page=True)
