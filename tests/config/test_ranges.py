"""Numbers written as ranges `{value, low, high}`: read as their value, recorded with path and line, checked with
one clear `file:line: field: message`, and kept or dropped by `extends:` and overrides as documented."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from model import WargameModel, load_scenario
from model.cli.main import main
from model.config.errors import UserError, UserErrors
from model.config.loading import Uncertain, read_yaml_text, split_ranges
from model.config.scenario import Scenario, validate_scenario

DATA = Path(__file__).parents[1] / "data" / "scenarios"
MINI = DATA / "mini.yaml"
RANGED = DATA / "ranged.yaml"
TEXT = MINI.read_text()
BASELINE = Path(__file__).parents[2] / "configs" / "scenarios" / "baseline-2025.yaml"


def variant(tmp_path: Path, old: str, new: str, name: str = "v") -> tuple[Path, str]:
    assert TEXT.count(old) == 1, old
    text = TEXT.replace(old, new)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return path, text


def line_of(text: str, marker: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if marker in line)


def errors_of(exc: pytest.ExceptionInfo) -> list[UserError]:
    return exc.value.errors if isinstance(exc.value, UserErrors) else [exc.value]


def test_a_range_is_read_as_its_value_and_recorded_with_path_file_and_line():
    sc = load_scenario(RANGED)
    assert sc.params.drift == 0.05 and sc.actors["USA"].action_points == 3 and sc.relations["RUS-SYR"] == 0.1
    assert sc.issues["basing"].thresholds[0].value == 35 and sc.events["isis_attack"].probability == 0.3
    text = RANGED.read_text()
    r = sc.uncertain["issues.basing.thresholds.0.value"]
    assert (r.value, r.low, r.high, r.integer) == (35, 25, 45, False)
    assert r.file == str(RANGED) and r.line == line_of(text, "value: {value: 35")
    ap = sc.uncertain["actors.USA.action_points"]
    assert ap.integer and (ap.low, ap.high) == (1, 5)      # an int field: drawn as whole numbers
    assert {ap.at(u) for u in (0.0, 0.19, 0.2, 0.5, 0.99, 1.0)} == {1, 2, 3, 5}
    assert sc.uncertain["params.drift"].at(0.5) == pytest.approx(0.1)
    assert list(sc.uncertain) == ["actors.USA.action_points", "relations.RUS-SYR", "issues.basing.thresholds.0.value",
                                  "events.isis_attack.probability", "initial_us_engagement",
                                  "params.drift"]       # the merged scenario's order: the parent's keys first
    assert load_scenario(MINI).uncertain == {}


def test_the_model_reads_only_the_values():
    """A scenario with ranges plays exactly like the same scenario with plain numbers."""
    ranged = load_scenario(RANGED)
    plain = validate_scenario(ranged.model_dump(mode="python", by_alias=True))
    assert plain.uncertain == {} and plain.model_dump() == ranged.model_dump()
    a, b = WargameModel(ranged, seed=5).run(4), WargameModel(plain, seed=5).run(4)
    assert a.indicators().equals(b.indicators())


def test_split_ranges_leaves_its_input_alone():
    data, lines = read_yaml_text("a: {b: [1, {value: 2, low: 1, high: 3}]}\nc: {value: 0.5, low: 0, high: 1}\n",
                                "f.yaml")
    out, ranges = split_ranges(data, lines, "f.yaml")
    assert out == {"a": {"b": [1, 2]}, "c": 0.5}
    assert data["a"]["b"][1] == {"value": 2, "low": 1, "high": 3}           # the caller's data is not changed
    assert ranges["a.b.1"] == Uncertain("a.b.1", 2, 1, 3, False, "f.yaml", 1)
    assert ranges["c"].line == 2


# (case, text in mini.yaml, replacement, marker of the reported line, field, message)
BAD = [
    ("low_above_high", "probability: 0.3", "probability: {value: 0.3, low: 0.5, high: 0.2}", "probability:",
     "events.isis_attack.probability", "low must be below high, got low=0.5 high=0.2"),
    ("value_outside", "probability: 0.3", "probability: {value: 0.6, low: 0.1, high: 0.5}", "probability:",
     "events.isis_attack.probability", "expected low <= value <= high, got value=0.6 outside [0.1, 0.5]"),
    ("not_finite", "probability: 0.3", "probability: {value: 0.3, low: .nan, high: 0.5}", "probability:",
     "events.isis_attack.probability", "the range's low must be a finite number, got nan"),
    ("text_bound", "probability: 0.3", "probability: {value: 0.3, low: some, high: 0.5}", "probability:",
     "events.isis_attack.probability", "the range's low must be a number, got 'some'"),
    ("missing_high", "probability: 0.3", "probability: {value: 0.3, low: 0.1}", "probability:",
     "events.isis_attack.probability", "a range needs value, low and high (missing: high)"),
    ("unknown_key", "probability: 0.3", "probability: {value: 0.3, low: 0.1, hihg: 0.5}", "probability:",
     "events.isis_attack.probability", "unknown key 'hihg' in a range; a range is {value, low, high}"),
    ("on_text", "name: Russia\n", "name: {value: 1, low: 0, high: 2}\n", "name: {value",
     "actors.RUS.name", "a range {value, low, high} is only for numbers; this field takes text"),
    ("on_list_of_text", "sanctions: [USA-RUS]", "sanctions: [{value: 1, low: 0, high: 2}]", "sanctions:",
     "sanctions.0", "a range {value, low, high} is only for numbers; this field takes text"),
    ("on_literal", "kind: naval, controller: RUS", "kind: {value: 1, low: 0, high: 2}, controller: RUS",
     "kind: {value", "bases.tartus.kind", "this field takes one of airbase, naval"),
    ("whole_number_field", "action_points: 3", "action_points: {value: 3, low: 1, high: 4.5}", "action_points: {",
     "actors.USA.action_points", "this field takes whole numbers: give a whole-number value, low and high"),
    ("beyond_the_field", "probability: 0.3", "probability: {value: 0.3, low: 0.1, high: 1.2}", "probability:",
     "events.isis_attack.probability", "with the range at its high end (1.2): expected a number between 0 and 1"),
    ("beyond_the_scale", "        value: 35", "        value: {value: 35, low: -5, high: 45}", "value: {value",
     "issues.basing.thresholds.0.value", "with the range at its low end (-5): threshold -5.0 is outside the scale"),
    ("control_share", "control: {SYR: 0.9, USA: 0.1}", "control: {SYR: {value: 0.9, low: 0.8, high: 1}, USA: 0.1}",
     "SYR: {value", "regions.homs.control.SYR",
     "with the range at its low end (0.8): control shares must sum to 1, they sum to 0.9"),
]


@pytest.mark.parametrize("case, old, new, marker, field, message", BAD, ids=[c[0] for c in BAD])
def test_a_bad_range_is_one_clear_error(tmp_path, case, old, new, marker, field, message):
    path, text = variant(tmp_path, old, new)
    with pytest.raises(UserError) as exc:
        load_scenario(path)
    e = errors_of(exc)[0]
    assert (e.file, e.line, e.field) == (str(path), line_of(text, marker), field), str(e)
    assert message in e.message
    assert str(e).startswith(f"{path}:{e.line}: {field}: ")


def test_every_bad_range_is_reported_at_once(tmp_path):
    path, _ = variant(tmp_path, "probability: 0.3", "probability: {value: 0.3, low: 0.5, high: 0.2}")
    path.write_text(path.read_text().replace("action_points: 3", "action_points: {value: 3, low: 4, high: 5}"))
    with pytest.raises(UserErrors) as exc:
        load_scenario(path)
    assert [e.field for e in exc.value.errors] == ["actors.USA.action_points", "events.isis_attack.probability"]


def test_a_range_in_a_condition_is_a_number_the_model_compares_with(tmp_path):
    old = "    probability: 0.3\n"
    new = old + "    condition: {indicator: us_engagement, op: '>', value: {value: 0.1, low: 0.0, high: 0.5}}\n"
    path, _ = variant(tmp_path, old, new)
    sc = load_scenario(path)
    assert sc.events["isis_attack"].condition["value"] == 0.1
    assert "events.isis_attack.condition.value" in sc.uncertain


# ------------------------------------------------------------------------------------------- extends
def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_extends_a_plain_value_fixes_the_number_and_drops_its_range(tmp_path):
    child = write(tmp_path, "child.yaml", f"extends: {RANGED}\nname: c\nparams: {{drift: 0.12}}\n")
    sc = load_scenario(child)
    assert sc.params.drift == 0.12 and "params.drift" not in sc.uncertain
    assert "relations.RUS-SYR" in sc.uncertain                       # the parent's other ranges stay


def test_extends_a_range_over_a_plain_parent_value_and_a_part_of_a_range(tmp_path):
    child = write(tmp_path, "child.yaml", f"extends: {RANGED}\nname: c\n"
                                          "relations:\n  RUS-USA: {value: -0.6, low: -0.8, high: -0.4}\n"
                                          "params:\n  drift: {high: 0.3}\n")
    sc = load_scenario(child)
    assert sc.relations["RUS-USA"] == -0.6
    r = sc.uncertain["relations.RUS-USA"]
    assert (r.low, r.high, r.file, r.line) == (-0.8, -0.4, str(child), 4)
    d = sc.uncertain["params.drift"]                                  # the child changed only the high end
    assert (d.value, d.low, d.high, d.file, d.line) == (0.05, 0.0, 0.3, str(child), 6)


def test_extends_a_bad_range_in_the_parent_is_reported_in_the_parent(tmp_path):
    parent, text = variant(tmp_path, "probability: 0.3", "probability: {value: 0.3, low: 0.5, high: 0.2}", "parent")
    child = write(tmp_path, "child.yaml", "extends: parent.yaml\nname: c\n")
    with pytest.raises(UserError) as exc:
        load_scenario(child)
    e = errors_of(exc)[0]
    assert (e.file, e.line) == (str(parent), line_of(text, "probability:"))
    bad_child = write(tmp_path, "bad.yaml", f"extends: {RANGED}\nname: c\nparams:\n  drift: {{low: 0.3}}\n")
    with pytest.raises(UserError) as exc:
        load_scenario(bad_child)
    e = errors_of(exc)[0]
    assert (e.file, e.line, e.field) == (str(bad_child), 4, "params.drift")
    assert "low must be below high, got low=0.3 high=0.2" in e.message


# ----------------------------------------------------------------------------------------- overrides
def test_an_override_fixes_the_number_and_drops_its_range():
    sc = load_scenario(RANGED, ["params.drift=0.15"])
    assert sc.params.drift == 0.15 and "params.drift" not in sc.uncertain and len(sc.uncertain) == 5
    sc = load_scenario(RANGED, ["issues.basing.thresholds=[]"])      # a whole list: the ranges inside go too
    assert not any(p.startswith("issues.basing.thresholds") for p in sc.uncertain)


def test_an_override_can_give_a_range_or_change_a_part_of_one():
    sc = load_scenario(MINI, ["events.isis_attack.probability={value: 0.2, low: 0.1, high: 0.4}"])
    r = sc.uncertain["events.isis_attack.probability"]
    assert sc.events["isis_attack"].probability == 0.2 and (r.low, r.high) == (0.1, 0.4)
    assert r.file == "--set events.isis_attack.probability={value: 0.2, low: 0.1, high: 0.4}"
    sc = load_scenario(RANGED, ["params.drift.high=0.3", "params.drift.value=0.25"])
    d = sc.uncertain["params.drift"]
    assert (sc.params.drift, d.value, d.low, d.high) == (0.25, 0.25, 0.0, 0.3)


@pytest.mark.parametrize("override, message", [
    ("params.drift.low=0.3", "--set params.drift.low=0.3: params.drift: low must be below high, got low=0.3 "
                             "high=0.2"),
    ("params.drift.low=0.1", "--set params.drift.low=0.1: params.drift: expected low <= value <= high, "
                             "got value=0.05 outside [0.1, 0.2]"),
    ("params.drift={value: 0.5, low: 0, high: 0.2}",
     "--set params.drift={value: 0.5, low: 0, high: 0.2}: params.drift: expected low <= value <= high"),
    ("actors.RUS.name={value: 1, low: 0, high: 2}", "actors.RUS.name: a range {value, low, high} is only for "
                                                    "numbers; this field takes text"),
    ("events.isis_attack.probability.low=0.1", "events.isis_attack.probability is a single value (0.3), so it "
                                               "has no 'low'"),
])
def test_a_bad_override_of_a_range_names_the_override(override, message):
    scenario = MINI if override.startswith(("events", "actors")) else RANGED
    with pytest.raises(UserError) as exc:
        load_scenario(scenario, [override])
    assert message in str(exc.value)
    assert str(exc.value).startswith(f"--set {override}")


def test_the_cli_reports_a_bad_range_on_one_line_and_runs_with_a_range_override(tmp_path, capsys):
    path, text = variant(tmp_path, "probability: 0.3", "probability: {value: 0.3, low: 0.5, high: 0.2}")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"{path}:{line_of(text, 'probability:')}: events.isis_attack.probability: low must be "
                      "below high, got low=0.5 high=0.2")
    assert main(["validate", str(RANGED)]) == 0
    assert main(["run", str(MINI), "--turns", "1", "--set",
                 "events.isis_attack.probability={value: 0.2, low: 0.1, high: 0.4}"]) == 0


# ------------------------------------------------------------------------------------------ the baseline
def test_the_baseline_puts_ranges_on_its_main_assumptions_and_says_where_each_comes_from():
    sc = load_scenario(BASELINE)
    for path in ("params.drift", "issues.russian_basing.positions.SYR", "bases.tartus.lease.evict",
                 "events.washington_swing.probability", "relations.RUS-USA", "actors.RUS.capabilities.military",
                 "actors.RUS.budget.drains.0.troops"):
        assert path in sc.uncertain, path
    r = sc.uncertain["issues.russian_basing.positions.SYR"]
    assert (r.value, r.low, r.high) == (45, 35, 55)
    assert sc.bases["tartus"].lease.evict == sc.uncertain["bases.tartus.lease.evict"].value
    lines = BASELINE.read_text(encoding="utf-8").splitlines()
    for path, r in sc.uncertain.items():
        line = lines[r.line - 1] + (lines[r.line] if r.line < len(lines) else "")
        assert re.search(r"range: .*(facts §|assumption|Poisson)", line), f"{path}: the range's source is not given"
    plain = validate_scenario(sc.model_dump(mode="python", by_alias=True))
    assert plain.model_dump() == sc.model_dump()          # the seed-7 run is unchanged (pin file): values only


def test_scenario_uncertain_is_not_part_of_the_schema():
    assert "_uncertain" not in Scenario.model_json_schema()["properties"]
    assert "uncertain" not in load_scenario(RANGED).model_dump()
