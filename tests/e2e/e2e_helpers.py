"""Helpers of the browser tests: screenshots as artefacts and the data of drawn charts."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.wait_for_timeout(900)          # let the charts' update animations finish
    page.screenshot(path=str(path), full_page=True)
    return path


def chart_option(page: Page, element_id: str) -> dict:
    """The ECharts option of the chart drawn in an element (what the user sees, as data)."""
    return page.evaluate("""(id) => {
        const c = echarts.getInstanceByDom(document.getElementById(id));
        const o = c.getOption();
        return JSON.parse(JSON.stringify(o, (k, v) => (typeof v === "function" ? undefined : v)));
    }""", element_id)
