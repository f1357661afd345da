"""A network that reads with any number of blocs, at a phone (390x844), a tablet (768x1024) and a desktop (1440x900)
size: the default game (two blocs, one of ten members, and an outsider), a game whose alignment weights give three
blocs, and four blocs with several actors outside every bloc (as `wargame alliances --blocs 4` can give). Each bloc
is a hull of its own colour holding exactly its members, the actors outside every bloc have their own dotted hull
after the blocs, and no label drawn covers another label or another actor (measured on the labels ECharts drew)."""
from __future__ import annotations

import pytest

from e2e_helpers import ARTIFACTS, shot
from test_map_network import RELATION_COLORS, rgb

SIZES = [(390, 844), (768, 1024), (1440, 900)]
THREE_BLOCS = """extends: baseline-2025
name: Three blocs (network test)
description: The baseline with affinity weighed three times and ties a fifth, from the starting landscape.
alignment:
  initial: landscape
  weights: {affinity: 3, ties: 0.2}
"""
# four blocs and four actors outside every bloc, drawn from a real state with its blocs relabelled
FOUR_BLOCS = {"RUS": 0, "IRN": 0, "USA": 1, "SDF": 1, "GBR": 1, "EU": 1, "TUR": 2, "GULF": 2, "ISR": 3}

# what ECharts drew: every node's pixel position and size and its label's box, as rendered
MEASURE = """(id) => {
  const c = echarts.getInstanceByDom(document.getElementById(id));
  const d = c.getModel().getSeriesByIndex(0).getData();
  const opt = c.getOption().series[0];
  const nodes = [];
  for (let i = 0; i < d.count(); i++) {
    const raw = d.getRawDataItem(i), el = d.getItemGraphicEl(i), [x, y] = d.getItemLayout(i);
    const host = el && el.getSymbolPath ? el.getSymbolPath() : el;
    const t = host && host.getTextContent && host.getTextContent();
    let box = null;
    if (t && !t.ignore && !t.invisible && t.style && t.style.text) {
      const r = t.getBoundingRect().clone();
      r.applyTransform(t.getComputedTransform());
      box = { x: r.x, y: r.y, w: r.width, h: r.height };
    }
    nodes.push({ id: raw.id, hull: !!raw.bloc, anchor: !!raw.anchor, category: raw.category, x, y,
      size: d.getItemVisual(i, "symbolSize"), box, fontSize: t && t.style ? t.style.fontSize : null,
      border: raw.itemStyle ? raw.itemStyle.borderType : null });
  }
  return { width: c.getWidth(), height: c.getHeight(), nodes,
    categories: opt.categories.map((k) => ({ name: k.name, color: k.itemStyle.color })) };
}"""

# the page's own network module draws a state whose blocs are relabelled
RELABEL = """async (blocs) => {
  const net = await import("/static/js/network.js");
  const common = await import("/static/js/common.js");
  const id = document.getElementById("game").dataset.gameId;
  const st = await (await fetch("/api/games/" + id)).json();
  for (const a of st.actors) a.bloc = blocs[a.id] ?? -1;
  const names = Object.fromEntries(st.actors.map((a) => [a.id, common.shortName(a.name)]));
  const chart = echarts.getInstanceByDom(document.getElementById("network"));
  chart.setOption(net.networkOption(st, common.actorColors(st.actors), names, new Set(["TUR"]), "SYR", "strongest",
    { width: chart.getWidth(), height: chart.getHeight() }), { replaceMerge: ["series"] });
  return st.actors.map((a) => [a.id, a.bloc]);
}"""


def apart(a: dict, b: dict, margin: float = 0.5) -> bool:
    return (a["x"] + a["w"] <= b["x"] + margin or b["x"] + b["w"] <= a["x"] + margin
            or a["y"] + a["h"] <= b["y"] + margin or b["y"] + b["h"] <= a["y"] + margin)


def disc(n: dict) -> dict:
    r = n["size"] / 2
    return {"x": n["x"] - r, "y": n["y"] - r, "w": 2 * r, "h": 2 * r}


def hull_rect(n: dict) -> dict:
    w, h = n["size"]
    return {"x": n["x"] - w / 2, "y": n["y"] - h / 2, "w": w, "h": h}


def check_readable(m: dict, blocs: dict[str, int]) -> None:
    """The drawn network `m` holds every bloc of `blocs` (actor -> label) in its own hull and reads."""
    actors = [n for n in m["nodes"] if not n["hull"] and not n["anchor"]]
    hulls = [n for n in m["nodes"] if n["hull"]]
    assert {n["id"] for n in actors} == set(blocs)
    labels = sorted(set(blocs.values()))
    assert sorted(int(h["id"].split(":")[1]) for h in hulls) == labels
    # one hull per group, each holding exactly its members; the outsiders' hull dotted and last
    for h in hulls:
        label = int(h["id"].split(":")[1])
        box = hull_rect(h)
        for n in actors:
            inside = (box["x"] <= n["x"] - n["size"] / 2 and n["x"] + n["size"] / 2 <= box["x"] + box["w"]
                      and box["y"] <= n["y"] - n["size"] / 2 and n["y"] + n["size"] / 2 <= box["y"] + box["h"])
            assert inside == (blocs[n["id"]] == label), (n["id"], h["id"])
            if blocs[n["id"]] == label:
                assert apart(n["box"], h["box"]), (n["id"], "covers the name of", h["id"])
                assert box["x"] <= n["box"]["x"] and n["box"]["x"] + n["box"]["w"] <= box["x"] + box["w"] + 1, n["id"]
    if -1 in labels:
        assert hulls[-1]["id"] == "bloc:-1" and isinstance(hulls[-1]["border"], list)      # dotted
        assert all(isinstance(h["border"], str) for h in hulls[:-1])
    for i, a in enumerate(hulls):
        for b in hulls[i + 1:]:
            assert apart(hull_rect(a), hull_rect(b), margin=1), (a["id"], b["id"])
    # bloc colours: one each, none close to the green and the red of relations
    colors = [c["color"] for c in m["categories"]]
    assert len(set(colors)) == len(colors) == len(hulls)
    for color in colors:
        for rel in RELATION_COLORS:
            assert sum((x - y) ** 2 for x, y in zip(rgb(color), rgb(rel), strict=True)) ** 0.5 > 120, (color, rel)
    # labels: inside the chart, none on another label or on another actor; nodes apart; a readable size
    for n in actors:
        b = n["box"]
        assert b and b["x"] >= -1 and b["y"] >= -1 and b["x"] + b["w"] <= m["width"] + 1 \
            and b["y"] + b["h"] <= m["height"] + 1, (n["id"], b)
        assert n["size"] >= 14 and n["fontSize"] >= 11, n
    for i, a in enumerate(actors):
        for j, b in enumerate(actors):
            if i == j:
                continue
            assert apart(a["box"], disc(b)), (a["id"], "label on", b["id"])
            if j > i:
                assert apart(a["box"], b["box"]), (a["id"], b["id"])
                assert ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5 >= (a["size"] + b["size"]) / 2, \
                    (a["id"], b["id"])


def open_game(open_context, server, game: dict, width: int, height: int):
    page = open_context(viewport={"width": width, "height": height}).page()
    page.goto(server.url + game["watch_url"])
    page.wait_for_selector("#game[data-ready='1']")
    page.wait_for_timeout(1300)           # the graph's entry animation
    return page


@pytest.fixture(scope="module")
def three_bloc_game(server) -> dict:
    status, body = server.api("POST", "/api/scenarios", {"id": "three-blocs-test", "yaml": THREE_BLOCS})
    assert status in (201, 409), body
    body = {"scenario": "three-blocs-test", "seed": 3, "turns": 3, "human": []}
    status, game = server.api("POST", "/api/games", body)
    assert status == 201, game
    return game


@pytest.mark.parametrize("width,height", SIZES)
def test_default_network_reads(server, open_context, width, height):
    assert server.scenario == "baseline-2025"
    game = server.new_game([], turns=3)
    page = open_game(open_context, server, game, width, height)
    _, state = server.api("GET", f"/api/games/{game['id']}")
    blocs = {a["id"]: a["bloc"] for a in state["actors"]}
    assert -1 in blocs.values() and max(list(blocs.values()).count(b) for b in set(blocs.values())) >= 10
    m = page.evaluate(MEASURE, "network")
    check_readable(m, blocs)
    # at every size full names fit (the layout falls back to ids only when they cannot)
    assert {n["box"]["w"] > 30 for n in m["nodes"] if n["id"] == "ISIS"} == {True}
    assert page.locator("#net-legend .outside").count() == 1
    shot(page, f"network-default-{width}x{height}")


@pytest.mark.parametrize("width,height", SIZES)
def test_three_bloc_network_reads(server, open_context, three_bloc_game, width, height):
    page = open_game(open_context, server, three_bloc_game, width, height)
    _, state = server.api("GET", f"/api/games/{three_bloc_game['id']}")
    blocs = {a["id"]: a["bloc"] for a in state["actors"]}
    assert len({b for b in blocs.values() if b >= 0}) == 3 and -1 in blocs.values()
    check_readable(page.evaluate(MEASURE, "network"), blocs)
    assert page.locator("#net-legend [data-bloc]").count() == 4
    shot(page, f"network-three-blocs-{width}x{height}")


@pytest.mark.parametrize("width,height", SIZES)
def test_four_blocs_and_outsiders_read(server, open_context, width, height):
    game = server.new_game([], turns=3)
    page = open_game(open_context, server, game, width, height)
    blocs = dict(page.evaluate(RELABEL, FOUR_BLOCS))
    assert sorted(set(blocs.values())) == [-1, 0, 1, 2, 3] and list(blocs.values()).count(-1) == 4
    page.wait_for_timeout(900)
    check_readable(page.evaluate(MEASURE, "network"), blocs)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#netcard").screenshot(path=str(ARTIFACTS / f"network-four-blocs-{width}x{height}.png"))


def test_a_network_drawn_while_hidden_draws_no_error(server, open_context):
    """A chart of no size (a hidden panel, as the futures panel's branch networks can be) still gets a network:
    the graph's view is the layout's own size, so ECharts never builds an empty, singular view."""
    game = server.new_game([], turns=3)
    page = open_game(open_context, server, game, 1440, 900)
    got = page.evaluate("""async () => {
        const net = await import("/static/js/network.js");
        const common = await import("/static/js/common.js");
        const st = await (await fetch("/api/games/" + document.getElementById("game").dataset.gameId)).json();
        const box = document.createElement("div");
        box.style.display = "none";
        document.body.append(box);
        const chart = echarts.init(box);
        const names = Object.fromEntries(st.actors.map((a) => [a.id, a.name]));
        const opt = net.networkOption(st, common.actorColors(st.actors), names, new Set(), null, 0.3,
          { width: chart.getWidth(), height: chart.getHeight() });
        chart.setOption(opt);
        box.style.display = "block"; box.style.width = "500px"; box.style.height = "400px";
        chart.resize();
        return { nodes: opt.series[0].data.filter((d) => d.actor).length, shown: chart.getWidth() };
    }""")
    assert got == {"nodes": 13, "shown": 500}
