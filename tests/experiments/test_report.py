"""The HTML reports: hostile text anywhere in a spec or its data cannot break the page's JSON or inject markup."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from model.experiments.assets import ECHARTS_JS
from model.experiments.report import report_html
from model.experiments.runner import run_batch
from model.experiments.sensitivity import COLUMNS, chart_html
from model.experiments.spec import load_experiment

DATA = Path(__file__).parents[1] / "data"
MINI = (DATA / "scenarios" / "mini.yaml").resolve()
HOSTILE = ["<!-- opens a comment", "</script><script>window.pwned = 1</script>", "<script>window.pwned = 2</script>",
           "it's \"quoted\" & <b>bold</b>", "]]> --> <\\!-- \u2028"]


class Tags(HTMLParser):
    """Start tags and the text of <title> and <h1>, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: dict[str, str] = {}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self._in = tag if tag in ("title", "h1") else None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.text[self._in] = self.text.get(self._in, "") + data

    def handle_endtag(self, tag: str) -> None:
        self._in = None


def parse(page: str) -> Tags:
    t = Tags()
    t.feed(page)
    return t


def embedded(page: str, data_id: str) -> tuple[str, object]:
    """The raw text of the page's JSON <script> and its value (the first </script> ends it, as in a browser)."""
    raw = re.search(rf'<script type="application/json" id="{data_id}">(.*?)</script>', page, re.S)[1]
    return raw, json.loads(raw)


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory):
    """A real batch whose spec name, description, statement, outcome text and swept scenario names are hostile."""
    tmp = tmp_path_factory.mktemp("hostile")
    spec = {
        "name": HOSTILE[0] + " " + HOSTILE[1], "description": HOSTILE[2] + " " + HOSTILE[3],
        "scenario": str(MINI), "turns": 2, "replications": 2, "seed": 5,
        "arms": {"baseline": {}, "engaged": {"set": ["actors.USA.action_points=5"]}},
        "sweep": {"parameters": {"name": HOSTILE[:2], "actors.RUS.name": HOSTILE[2:4]}},
        "outcomes": {"align": {"indicator": "syria_alignment", "description": HOSTILE[4]},
                     "held": {"indicator": "base.tartus.controller", "op": "==", "value": "RUS"}},
        "hypotheses": {"h": {"statement": HOSTILE[1], "outcome": "align", "arm": "engaged", "versus": "baseline",
                             "direction": "higher"}},
    }
    path = tmp / "hostile.yaml"
    path.write_text(json.dumps(spec))              # JSON is YAML
    run_batch(load_experiment(path), tmp / "out", workers=1, progress=False)
    return tmp / "out"


def test_hostile_text_in_a_batch_report_keeps_the_data_and_injects_nothing(hostile_batch):
    page = (hostile_batch / "report.html").read_text()
    raw, data = embedded(page, "report-data")
    assert not re.search(r"[<>&]", raw)                         # escaped as \u003c, \u003e, \u0026
    assert data == json.loads((hostile_batch / "summary.json").read_text())   # every value survives exactly
    assert data["title"] == HOSTILE[0] + " " + HOSTILE[1]
    assert {p["name"] for p in data["points"]} == set(HOSTILE[:2])
    assert data["hypotheses"][0]["statement"] == HOSTILE[1]
    tags = parse(page)
    verdicts = sum(h["point"] == "all" for h in data["hypotheses"])      # the page's own <b>: one per verdict
    assert (tags.tags.count("script"), tags.tags.count("b")) == (3, verdicts)   # no tag from the text is markup
    assert tags.text["title"] == tags.text["h1"] == HOSTILE[0] + " " + HOSTILE[1]
    assert "<script>window.pwned" not in page and "&lt;script&gt;window.pwned" in page   # shown, as text
    assert ECHARTS_JS.read_text()[:200] in page                 # self-contained: ECharts inlined
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_arm_and_hypothesis_names_round_trip(hostile_batch, text):
    """Names the spec schema would refuse still cannot break the page (the renderer trusts no text)."""
    data = json.loads((hostile_batch / "summary.json").read_text())
    data["arms"] = [text, "b"]
    for h in data["hypotheses"]:
        h.update(hypothesis=text, arm=text)
    for r in data["outcomes"]:
        r["arm"] = text
    for d in data["distributions"]:
        d["arms"][0]["arm"] = text
    for t in data["trajectories"]:
        t["arms"] = {text: next(iter(t["arms"].values()))}
    page = report_html(data)
    raw, back = embedded(page, "report-data")
    assert back == data and not re.search(r"[<>&]", raw)
    tags = parse(page).tags
    assert (tags.count("script"), tags.count("b")) == (3, sum(h["point"] == "all" for h in data["hypotheses"]))


def test_hostile_names_in_the_sensitivity_page():
    df = pd.DataFrame([{"outcome": HOSTILE[0], "parameter": p, "mu_star": 1.5, "mu_star_conf": 0.25, "mu": 1.0,
                        "sigma": 0.5, "rank": i + 1} for i, p in enumerate(HOSTILE[1:])], columns=COLUMNS)
    page = chart_html(df, HOSTILE[2])
    raw, data = embedded(page, "data")
    assert not re.search(r"[<>&]", raw)
    assert data == [{"outcome": HOSTILE[0], "rows": df.to_dict("records")}]
    tags = parse(page)
    assert [t for t in tags.tags if t in ("script", "b")] == ["script"] * 3
    assert tags.text["h1"] == f"Morris screening: {HOSTILE[2]}"
    assert "<td>1.5</td>" in page and "<td>0.25</td>" in page    # the table keeps its number formats
