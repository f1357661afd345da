"""Charts that explain themselves: indices and counts on separate plots, every indicator defined (legend tooltip and
glossary), months named like "Jan 2026" with the scenario's start month as month 0, threshold lines on the issue
forecasts."""
from __future__ import annotations

from e2e_helpers import chart_option, shot

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def month_after(start: str, k: int, short: bool = True) -> str:
    y, m = map(int, start.split("-"))
    n = y * 12 + m - 1 + k
    name = MONTHS[n % 12]
    return f"{name[:3] if short else name} {n // 12}"


def test_charts_define_their_indicators_and_show_thresholds(server, open_context):
    game = server.new_game([], turns=3)
    status, guide = server.api("GET", f"/api/games/{game['id']}/guide")
    assert status == 200
    w = open_context()
    page = w.page()
    page.goto(server.url + game["watch_url"] + "?owner=" + game["owner_token"])
    page.wait_for_selector("#game[data-ready='1']")
    start = guide["start"]
    assert page.inner_text("#date") == month_after(start, 0, short=False)   # month 0 is the start month
    assert "Month 0" in page.inner_text("#turn-label")
    for turn in (1, 2, 3):
        page.click("#btn-step")
        page.wait_for_selector(f"#game[data-turn='{turn}']")
    assert page.inner_text("#date") == month_after(start, 3, short=False)

    ind, counts = chart_option(page, "chart-ind"), chart_option(page, "chart-counts")
    ind_names = {s["name"] for s in ind["series"]}
    count_names = {s["name"] for s in counts["series"]}
    assert "Russian bases held" in count_names and "Russian bases held" not in ind_names
    assert "Russia's isolation" in ind_names and not ind_names & count_names
    assert counts["yAxis"][0]["minInterval"] == 1 and ind["legend"][0]["tooltip"]["show"] is True
    labels = page.evaluate("""() => {
        const c = echarts.getInstanceByDom(document.getElementById("chart-ind"));
        const ax = c.getModel().getComponent("xAxis", 0).axis;
        return ax.getViewLabels().map((l) => l.formattedLabel);
    }""")
    assert labels[0] == month_after(start, 0) and labels[-1] == month_after(start, 3), labels

    # the glossary defines every plotted indicator with the model's own words
    page.click("#ind-glossary summary")
    glossary = page.inner_text("#glossary-list")
    for key, text in guide["indicators"].items():
        if key in ("turn", "date"):
            continue
        assert text.split(";")[0][:40] in glossary, key

    # every threshold of every issue is a line on the forecast chart, labelled with its consequence
    issues = chart_option(page, "chart-issues")
    drawn = [d for s in issues["series"] for d in s["markLine"]["data"] if isinstance(d, dict) and "yAxis" in d
             and d.get("threshold")]
    wanted = [(t["name"], t["value"]) for i in guide["issues"] for t in i["thresholds"]]
    assert sorted((d["threshold"]["name"], d["yAxis"]) for d in drawn) == sorted(wanted)
    shot(page, "charts")
