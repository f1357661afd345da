"""The batch and sensitivity reports in a real browser, opened from disk: every chart is drawn, nothing is fetched,
no script error, and hostile text in the spec stays text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from e2e_helpers import shot
from model.experiments.runner import run_batch
from model.experiments.sensitivity import run_sensitivity
from model.experiments.spec import load_experiment

DATA = Path(__file__).resolve().parents[1] / "data" / "experiments"
HOSTILE = "<!-- x </script><script>window.pwned = 1</script> \"q\" & 'a'"

CHARTS = """(ids) => ids.map((id) => Array.from(document.getElementById(id).children)
    .filter((d) => { const c = echarts.getInstanceByDom(d); return c && c.getOption().series.length > 0; })
    .length)"""


def open_report(browser: Browser, path: Path, name: str) -> tuple[object, list[str], list[str]]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_function("() => document.querySelectorAll('canvas').length > 0")
    shot(page, name)
    return page, requests, errors


@pytest.fixture(scope="module")
def batch_report(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    spec = tmp / "tiny.yaml"
    text = (DATA / "tiny.yaml").read_text().replace("name: Tiny experiment", f"name: {json.dumps(HOSTILE)}")
    spec.write_text(text.replace("scenario: ../scenarios/mini.yaml",
                                 f"scenario: {(DATA.parent / 'scenarios' / 'mini.yaml').resolve()}"))
    run_batch(load_experiment(spec, replications=3), tmp / "out", workers=1, progress=False)
    return tmp / "out" / "report.html"


def test_the_batch_report_draws_every_chart_offline(browser, batch_report):
    page, requests, errors = open_report(browser, batch_report, "report-batch")
    outcomes = 4                                                     # tiny.yaml's outcomes
    assert page.evaluate(CHARTS, ["dists", "trajs"]) == [outcomes, outcomes]
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("h1").inner_text() == page.title() == HOSTILE
    assert errors == [] and all(u.startswith("file:") for u in requests), (errors, requests)


def test_the_sensitivity_report_draws_its_charts_offline(browser, tmp_path):
    run_sensitivity(load_experiment(DATA / "screen.yaml"), tmp_path, trajectories=2, replications=1, workers=1,
                    progress=False)
    page, requests, errors = open_report(browser, tmp_path / "sensitivity.html", "report-sensitivity")
    drawn = page.evaluate("""() => Array.from(document.querySelectorAll('#charts .chart'))
        .filter((d) => echarts.getInstanceByDom(d)).length""")
    assert drawn == 2 * 2                                            # two outcomes, two charts each
    assert errors == [] and all(u.startswith("file:") for u in requests), (errors, requests)
