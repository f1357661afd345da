"""A legible map and a readable network: governorate names on the map, every base labelled with no two labels on
each other, the governorates that changed hands outlined in their month, a legend without stray signs; the network
draws each actor's strongest ties by default and its blocs as groups in colours unlike the relation colours."""
from __future__ import annotations

import pytest

from e2e_helpers import chart_option, shot

RELATION_COLORS = ("#16a34a", "#dc2626")


def rgb(hex_color: str) -> tuple[int, int, int]:
    n = int(hex_color.lstrip("#"), 16)
    return (n >> 16) & 255, (n >> 8) & 255, n & 255


def label_boxes(bases: list[dict], narrow: bool) -> list[tuple[float, float, float, float]]:
    out = []
    for d in bases:
        text = d["name"] if not narrow else d["name"].split(" air")[0]
        w, s = len(text) * 6.6 + 8, d["spot"]
        x = s["x"] - 4 if s["align"] == "left" else s["x"] - w + 4 if s["align"] == "right" else s["x"] - w / 2
        out.append((x, s["y"] - 8, w, 16))
    return out


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_map_names_labels_and_outlines(server, open_context, width, height):
    game = server.new_game([], turns=6, seed=5)
    page = open_context(viewport={"width": width, "height": height}).page()
    page.goto(server.url + game["watch_url"] + "?owner=" + game["owner_token"])
    page.wait_for_selector("#game[data-ready='1']")
    m = chart_option(page, "map")
    named = [r for r in m["geo"][0]["regions"] if r.get("label", {}).get("show")]
    _, state = server.api("GET", f"/api/games/{game['id']}")
    assert len(named) >= (len(state["regions"]) if width > 500 else len(state["regions"]) // 2)
    assert {r["label"]["formatter"] for r in named} <= {r["name"] for r in state["regions"]}
    bases = [d for s in m["series"] for d in s["data"]]
    assert len(bases) == len(state["bases"]) and all(d.get("spot") for d in bases)
    if width > 500:       # full names: their boxes as placed must not overlap
        boxes = label_boxes(bases, False)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                apart = a[0] >= b[0] + b[2] or b[0] >= a[0] + a[2] or a[1] >= b[1] + b[3] or b[1] >= a[1] + a[3]
                assert apart, (a, b)
    legend = page.inner_text("#map-legend")
    assert "·" not in legend.replace("paler", "") and "changed hands" in legend

    page.click("#btn-run")
    page.wait_for_selector("#game[data-turn='6']")
    _, rows = server.api("GET", f"/api/games/{game['id']}/history")
    for turn in range(1, 7):
        page.locator("#turn-slider").fill(str(turn))
        page.wait_for_selector(f"#game[data-view-turn='{turn}']")
        _, st = server.api("GET", f"/api/games/{game['id']}?turn={turn}")
        prev = rows["rows"][turn - 1]
        ids = [a["id"] for a in st["actors"]]
        moved = {r["iso"] for r in st["regions"]
                 if max(r["control"], key=r["control"].get) != max(ids, key=lambda a: prev[f"region.{r['id']}.{a}"])}
        outlined = {r["name"] for r in chart_option(page, "map")["geo"][0]["regions"]
                    if r.get("itemStyle", {}).get("borderWidth") == 3}
        assert outlined == moved, turn
        if moved:
            assert "→" in page.inner_text("#map-note")
            shot(page, f"map-change-{width}")


def test_network_strongest_ties_and_bloc_groups(server, open_context):
    game = server.new_game([], turns=3)
    page = open_context().page()
    page.goto(server.url + game["watch_url"])
    page.wait_for_selector("#game[data-ready='1']")
    _, state = server.api("GET", f"/api/games/{game['id']}")
    n = len(state["actors"])
    opt = chart_option(page, "network")
    links = opt["series"][0]["links"]
    assert links and len(links) <= 2 * n and all(abs(x["value"]) >= 0.3 for x in links)
    every = sum(1 for i in range(n) for j in range(i + 1, n) if abs(state["relations"][i][j]) >= 0.1)
    page.select_option("#net-min", "0.1")
    assert len(chart_option(page, "network")["series"][0]["links"]) == every > len(links)
    page.select_option("#net-min", "strongest")
    areas = [d for d in opt["series"][0]["data"] if d.get("bloc")]
    assert len(areas) == len({a["bloc"] for a in state["actors"]})
    # bloc colours are far from the green and the red of relations
    for color in [c["itemStyle"]["color"] for c in opt["series"][0]["categories"]]:
        for rel in RELATION_COLORS:
            assert sum((x - y) ** 2 for x, y in zip(rgb(color), rgb(rel), strict=True)) ** 0.5 > 120, (color, rel)
    assert page.locator("#net-legend [data-bloc]").count() == len(areas)
    shot(page, "network-default")
