"""The story (model.sim.story and the sentences of model.sim.adjudication): repeats merged, importance, no no-op
sentences, sentences that agree with the state they describe, one-shot consequences told once."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from model import WargameModel, load_scenario
from model.config.talks import StoryParams
from model.sim.actions import Order, candidates_all
from model.sim.adjudication import resolve
from model.sim.story import Story, ev, ordinal, running

TINY = Path(__file__).parents[1] / "data" / "scenarios" / "tiny.yaml"
NOOP = re.compile(r"(?:relation|position|garrison|control) [+-]0\.0+(?!\d)")


@pytest.fixture(scope="module")
def baseline_runs() -> list[WargameModel]:
    return [WargameModel("baseline-2025", seed=seed).run(24) for seed in (0, 6, 26)]


# ------------------------------------------------------------------------------------------- merging repeats
def tell(story: Story, turn: int, e: dict, phase: str = "nature") -> dict:
    return story.tell(turn, f"2026-{turn:02d}", e | {"phase": phase})


def test_the_same_event_in_consecutive_months_is_one_running_story():
    story = Story(StoryParams())
    sentence = "An ISIS cell attacked government forces in the Badia."
    told = [tell(story, t, ev("event", ["ISIS", "SYR"], sentence, repeat="ISIS attacks in the Badia", event="isis"))
            for t in (1, 2, 3, 4, 5, 7)]
    assert [e["streak"] for e in told] == [1, 2, 3, 4, 5, 1]
    assert [e["since"] for e in told] == [1, 1, 1, 1, 1, 7]
    assert told[0]["sentence"] == sentence
    assert told[4]["sentence"] == "ISIS attacks in the Badia, fifth month running."
    assert told[5]["sentence"] == sentence                        # a month's gap: a new story
    assert all(set(e) == {"turn", "date", "kind", "actors", "sentence", "numbers", "phase", "importance", "streak",
                          "since"} for e in told)


def test_without_a_short_form_the_phrase_goes_before_the_closing_parenthesis():
    assert running("Russia engaged Syria (relation +0.06 to +0.30).", None, 3) == \
        "Russia engaged Syria, third month running (relation +0.06 to +0.30)."
    assert running("Gulf investors signed a deal.", None, 2) == "Gulf investors signed a deal, second month running."
    assert running("x", "ISIS attacks.", 13) == "ISIS attacks, 13th month running."
    assert ordinal(12) == "twelfth"


def test_different_topics_and_actors_are_different_stories_and_twice_in_a_month_is_one_step():
    story = Story(StoryParams())
    a = tell(story, 1, ev("demand", ["SYR", "RUS"], "S demanded; R refused.", topic="basing:refused"), "diplomacy")
    b = tell(story, 2, ev("demand", ["SYR", "RUS"], "S demanded; R gave way.", topic="basing:gave"), "diplomacy")
    c = tell(story, 2, ev("demand", ["SYR", "USA"], "S demanded; U refused.", topic="basing:refused"), "diplomacy")
    d = tell(story, 2, ev("demand", ["SYR", "RUS"], "S demanded; R refused.", topic="basing:refused"), "diplomacy")
    e = tell(story, 2, ev("demand", ["SYR", "RUS"], "S demanded; R refused.", topic="basing:refused"), "diplomacy")
    assert [x["streak"] for x in (a, b, c, d, e)] == [1, 1, 1, 2, 2]


def test_importance_comes_from_the_kind_unless_the_event_says():
    story = Story(StoryParams(minor_kinds=["engage"]))
    assert tell(story, 1, ev("engage", ["A", "B"], "A engaged B."))["importance"] == "minor"
    assert tell(story, 1, ev("base_change", ["A"], "A left X.", base="x"))["importance"] == "major"
    assert tell(story, 1, ev("engage", ["A", "C"], "A engaged C.", importance="major"))["importance"] == "major"


def test_the_baseline_tells_repeats_as_running_stories(baseline_runs):
    running_ = [e for m in baseline_runs for e in m.events() if e["streak"] > 1]
    assert running_ and all(", " in e["sentence"] and "month running" in e["sentence"] for e in running_)
    isis = [e for m in baseline_runs for e in m.events() if e["numbers"].get("event") == "isis_attack"]
    assert all(e["importance"] == "minor" for e in isis)
    assert any(e["sentence"].startswith("ISIS attacks in the Badia, ") for e in isis)


# ------------------------------------------------------------------------------------------- no no-ops
def test_no_no_op_sentences_in_the_baseline(baseline_runs):
    bad = [e["sentence"] for m in baseline_runs for e in m.events() if NOOP.search(e["sentence"])]
    assert bad == []


def test_every_concession_says_towards_whom_and_moves_away_from_the_own_ideal(baseline_runs):
    conceded = [e for m in baseline_runs for e in m.events() if e["kind"] == "concede"]
    assert conceded
    for e in conceded:
        a, t = e["actors"]
        assert "softened its stance" in e["sentence"] and " towards " in e["sentence"] or "signalled" in e["sentence"]
    for m in baseline_runs:                       # the candidates: only real concessions
        w = m.world
        c = candidates_all(m.ctx, "concede")
        for a, k, t in zip(c["actor"], c["issue"], c["target"], strict=True):
            towards = w.position[k, t] - w.position[k, a]
            assert towards * (w.ideal[k, a] - w.position[k, a]) <= 0 and abs(towards) > 0


def test_thresholds_without_rearming_fire_at_most_once(baseline_runs):
    sc = baseline_runs[0].scenario
    once = {(iid, th.name) for iid, i in sc.issues.items() for th in i.thresholds
            if th.rearm is None and th.hysteresis is None}
    assert ("sdf_integration", "integration_deal") in once
    for m in baseline_runs:
        fired = [(e["numbers"]["issue"], e["numbers"]["threshold"]) for e in m.events() if e["kind"] == "issue"]
        assert all(fired.count(key) <= 1 for key in once)


# ------------------------------------------------------------------------------------------- sentences vs state
def tiny(tmp_path: Path, change: dict) -> WargameModel:
    data = yaml.safe_load(TINY.read_text())
    for k, v in change.items():
        data[k] = v if not isinstance(v, dict) else {**data.get(k, {}), **v}
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return WargameModel(load_scenario(path), seed=0)


ISSUE = {"talks": {"name": "Talks", "positions": {"RED": 0, "BLUE": 50, "GREEN": 100},
                   "salience": {"RED": 1.0, "BLUE": 0.5, "GREEN": 0.5}}}


def numbers_in(sentence: str) -> list[float]:
    return [float(x) for x in re.findall(r"[+-]?\d+(?:\.\d+)?", sentence)]


def test_an_engagement_tells_the_relation_change_actually_made(tmp_path):
    m = tiny(tmp_path, {"relations": {"RED-BLUE": 0.98}})
    w, rng = m.world, np.random.default_rng(0)
    (e,) = resolve(m.ctx, 0, Order("engage", target="BLUE"), rng)
    assert e["sentence"] == "Red engaged Blue (relation +0.02 to +1.00)." and w.rel[0, 1] == 1.0
    assert e["numbers"]["delta"] == pytest.approx(0.02)
    (e,) = resolve(m.ctx, 0, Order("engage", target="BLUE"), rng)
    assert e["sentence"] == "Red engaged Blue." and e["numbers"]["delta"] == 0.0     # nothing left to gain


def test_demand_and_concession_sentences_give_the_positions_the_world_holds(tmp_path):
    m = tiny(tmp_path, {"issues": ISSUE, "relations": {"RED-GREEN": 0.9, "BLUE-GREEN": 0.9, "RED-BLUE": 0.9}})
    w, k = m.world, 0
    rng = np.random.default_rng(1)
    for _ in range(6):
        before = w.position[k].copy()
        (e,) = resolve(m.ctx, w.idx("GREEN"), Order("demand", target="BLUE", issue="talks"), rng)
        if "gave way" in e["sentence"]:
            start, end = numbers_in(e["sentence"].split("position ")[1])[:2]
            assert (start, end) == (round(before[1]), round(w.position[k, 1]))
            assert w.position[k, 1] - before[1] == pytest.approx(e["numbers"]["move"])
        else:
            assert np.array_equal(w.position[k], before)
    before = w.position[k].copy()
    (e,) = resolve(m.ctx, w.idx("RED"), Order("concede", target="GREEN", issue="talks"), rng)
    assert e["sentence"].startswith("Red softened its stance on Talks towards Green (position ")
    start, end, green = numbers_in(e["sentence"].split("position ")[1])[:3]
    assert (start, end, green) == (round(before[0]), round(w.position[k, 0]), round(w.position[k, 2]))
    assert before[0] < w.position[k, 0] <= w.position[k, 2]          # towards Green, not past it


def test_no_orders_on_russia_s_basing_after_it_left_its_treaty_bases():
    sc = load_scenario("baseline-2025", overrides=["bases.khmeimim.controller=SYR", "bases.tartus.controller=SYR"])
    m = WargameModel(sc, seed=6).run(3)
    w = m.world
    k = w.kidx("russian_basing")
    assert w.issue_closed[k]
    closed = [e for e in m.events() if e["kind"] == "issue_closed"]
    assert [e["numbers"]["issue"] for e in closed] == ["russian_basing"] and closed[0]["turn"] == 1
    assert not [e for e in m.events() if e["kind"] in ("demand", "concede", "talks")
                and e["numbers"].get("issue") == "russian_basing"]


# ------------------------------------------------------------------------------------------- the kinds told
def test_every_kind_the_model_tells_is_a_known_story_kind(baseline_runs):
    """story.minor_kinds is checked against STORY_KINDS, so the list must hold every kind the model logs: the ones
    these runs told, and every literal kind in the mechanisms' source (rare ones: lease, alliance_shift, strike)."""
    from model.config.vocabulary import STORY_KINDS
    told = {e["kind"] for m in baseline_runs for e in m.events()}
    assert {"engage", "event", "talks", "base_change"} <= told
    sim = Path(__file__).parents[2] / "model" / "sim"
    pattern = re.compile(r"\bev\(\"([a-z_]+)\"|\"kind\": \"([a-z_]+)\"")
    literal = {x for f in sim.glob("*.py") for pair in pattern.findall(f.read_text()) for x in pair if x}
    assert {"lease", "alliance_shift", "strain", "issue_closed"} <= literal
    assert told | literal <= set(STORY_KINDS), (told | literal) - set(STORY_KINDS)


def test_a_misspelt_minor_kind_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r"unknown event kind 'enagge'; did you mean 'engage'\?"):
        StoryParams(minor_kinds=["engage", "enagge"])
    assert StoryParams(minor_kinds=["lease", "strain"]).minor_kinds == ["lease", "strain"]
