"""Experiment specs: every kind of mistake is caught before any run, as file:line: field: message."""
from __future__ import annotations

from pathlib import Path

import pytest

from model.config.errors import UserError
from model.experiments.spec import (
    Outcome,
    Range,
    Sweep,
    grid_points,
    lhs_points,
    load_experiment,
)

DATA = Path(__file__).parents[1] / "data"
MINI = (DATA / "scenarios" / "mini.yaml").resolve()

GOOD = f"""\
scenario: {MINI}
turns: 4
replications: 3
seed: 1
arms:
  baseline: {{}}
  engaged:
    set: [actors.USA.action_points=5]
sweep:
  parameters:
    params.drift: [0.02, 0.1]
outcomes:
  lost: {{indicator: base.tartus.controller, op: "!=", value: RUS}}
  align: {{indicator: syria_alignment, at: mean}}
hypotheses:
  h: {{outcome: lost, arm: engaged, versus: baseline, direction: higher}}
"""


def spec(tmp_path: Path, text: str, name: str = "exp.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def errors(tmp_path: Path, text: str, **kw) -> list[str]:
    with pytest.raises(UserError) as info:
        load_experiment(spec(tmp_path, text), **kw)
    return str(info.value).splitlines()


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_good_spec_loads_with_cells_for_every_arm_and_point(tmp_path):
    exp = load_experiment(spec(tmp_path, GOOD))
    assert [(c.arm, c.params) for c in exp.cells] == [
        ("baseline", {"params.drift": 0.02}), ("baseline", {"params.drift": 0.1}),
        ("engaged", {"params.drift": 0.02}), ("engaged", {"params.drift": 0.1})]
    assert exp.turns == 4 and exp.replications == 3
    assert exp.arm_dumps["engaged"]["actors"]["USA"]["action_points"] == 5
    assert exp.arm_dumps["baseline"]["actors"]["USA"]["action_points"] == 3
    assert {"base.tartus.controller", "syria_alignment", "russia_bases_held"} <= set(exp.columns)


def test_replications_and_turns_from_the_command_line_override_the_spec(tmp_path):
    exp = load_experiment(spec(tmp_path, GOOD), replications=11, turns=2)
    assert (exp.replications, exp.turns) == (11, 2)
    with pytest.raises(UserError, match="--replications: must be at least 1"):
        load_experiment(spec(tmp_path, GOOD), replications=0)


def test_zero_replications_names_file_line_and_field(tmp_path):
    text = GOOD.replace("replications: 3", "replications: 0")
    (err,) = errors(tmp_path, text)
    assert err.startswith(f"{tmp_path / 'exp.yaml'}:{line_of(text, 'replications')}: replications: ")
    assert "between 1 and" in err and "got 0" in err


def test_unknown_arm_in_a_hypothesis(tmp_path):
    text = GOOD.replace("arm: engaged,", "arm: engagd,")
    (err,) = errors(tmp_path, text)
    assert f"exp.yaml:{line_of(text, 'engagd')}: hypotheses.h.arm: unknown arm 'engagd'" in err
    assert "did you mean 'engaged'?" in err


def test_unknown_outcome_and_self_comparison(tmp_path):
    text = GOOD.replace("outcome: lost, arm: engaged, versus: baseline",
                        "outcome: los, arm: baseline, versus: baseline")
    errs = errors(tmp_path, text)
    assert any("hypotheses.h.versus: compares an arm with itself" in e for e in errs)
    assert any("hypotheses.h.outcome: unknown outcome 'los'; did you mean 'lost'?" in e for e in errs)


def test_an_arm_override_path_the_scenario_does_not_have(tmp_path):
    text = GOOD.replace("actors.USA.action_points=5", "actors.USA.action_pointz=5")
    (err,) = errors(tmp_path, text)
    assert f"exp.yaml:{line_of(text, 'action_pointz')}: arms.engaged.set.0: " in err
    assert "'action_pointz' does not exist in actors.USA; did you mean 'action_points'?" in err


def test_an_arm_override_value_the_scenario_refuses(tmp_path):
    (err,) = errors(tmp_path, GOOD.replace("action_points=5", "action_points=50"))
    assert "arms.engaged.set.0" in err and "50" in err and "10" in err


def test_a_sweep_path_the_scenario_does_not_have(tmp_path):
    text = GOOD.replace("params.drift:", "params.drfit:")
    (err,) = errors(tmp_path, text)
    assert f"exp.yaml:{line_of(text, 'drfit')}: sweep.parameters.params.drfit: " in err
    assert "did you mean 'drift'?" in err


def test_a_sweep_value_out_of_range(tmp_path):
    text = GOOD.replace("[0.02, 0.1]", "[0.02, 1.5]")
    (err,) = errors(tmp_path, text)
    assert f":{line_of(text, 'params.drift')}: sweep.parameters.params.drift" in err and "1.5" in err


def test_an_outcome_on_an_unknown_indicator(tmp_path):
    text = GOOD.replace("base.tartus.controller", "base.tartus.controler")
    (err,) = errors(tmp_path, text)
    assert f"exp.yaml:{line_of(text, 'controler')}: outcomes.lost.indicator: unknown indicator" in err
    assert "did you mean 'base.tartus.controller'?" in err


def test_a_relation_named_in_the_wrong_order_gets_the_right_name(tmp_path):
    (err,) = errors(tmp_path, GOOD.replace("syria_alignment", "relation.USA.SYR"))
    assert "did you mean 'relation.SYR.USA'?" in err


def test_outcome_shape_errors(tmp_path):
    text = GOOD.replace("align: {indicator: syria_alignment, at: mean}",
                        "align: {indicator: base.tartus.controller}\n"
                        "  late: {indicator: syria_alignment, at: turn 9}\n"
                        "  half: {indicator: syria_alignment, op: '>'}\n"
                        "  cmp: {indicator: base.tartus.controller, op: '>', value: RUS}\n"
                        "  num: {indicator: syria_alignment, op: '>', value: high}")
    errs = errors(tmp_path, text)
    joined = "\n".join(errs)
    assert f":{line_of(text, 'half')}: outcomes.half: give both op and value" in joined  # pydantic stage first
    errs = errors(tmp_path, text.replace("  half: {indicator: syria_alignment, op: '>'}\n", ""))
    joined = "\n".join(errs)
    assert "outcomes.align.indicator: base.tartus.controller holds text like 'RUS', not a number" in joined
    assert f":{line_of(text, 'late')}: outcomes.late.at: turn 9 is past the last turn (4)" in joined
    assert "outcomes.cmp.op: base.tartus.controller holds text; use op == or !=" in joined
    assert "outcomes.num.value: syria_alignment holds a number, so value 'high' never compares" in joined


def test_unknown_scenario_of_an_arm(tmp_path):
    text = GOOD.replace("    set: [actors.USA.action_points=5]", "    scenario: no-such-scenario")
    (err,) = errors(tmp_path, text)
    assert f":{line_of(text, 'no-such-scenario')}: arms.engaged.scenario: no scenario file or name" in err


def test_web_specs_may_name_scenarios_but_not_paths(tmp_path):
    (err,) = errors(tmp_path, GOOD, allow_paths=False)
    assert ": scenario: no scenario named" in err


def test_an_error_inside_the_arms_scenario_file_points_into_that_file(tmp_path):
    bad = tmp_path / "bad-scenario.yaml"
    bad.write_text(MINI.read_text().replace("action_points: 3", "action_points: many"))
    errs = errors(tmp_path, GOOD.replace("    set: [actors.USA.action_points=5]", f"    scenario: {bad.name}"))
    assert any(e.startswith(f"{bad}:") and "action_points" in e and "arm 'engaged'" in e for e in errs)


def test_unknown_fields_and_lhs_without_n(tmp_path):
    errs = errors(tmp_path, GOOD.replace("turns: 4", "turns: 4\nreplicatoins: 3").replace(
        "  parameters:", "  design: lhs\n  parameters:"))
    joined = "\n".join(errs)
    assert "unknown field 'replicatoins'; did you mean 'replications'?" in joined
    assert "needs n" in joined


def test_grid_of_lists_and_ranges():
    sw = Sweep.model_validate({"parameters": {"a": [1, 2], "b": {"low": 0.0, "high": 1.0, "steps": 3},
                                              "c": {"low": 1, "high": 3, "steps": 5}}})
    pts = grid_points(sw)
    assert len(pts) == 2 * 3 * 3   # whole-number range: 5 steps over 1..3 give 1, 2, 3
    assert pts[0] == {"a": 1, "b": 0.0, "c": 1} and pts[-1] == {"a": 2, "b": 1.0, "c": 3}
    assert {p["b"] for p in pts} == {0.0, 0.5, 1.0}


def test_latin_hypercube_is_seeded_and_stratified():
    sw = Sweep.model_validate({"design": "lhs", "n": 10, "parameters": {
        "x": {"low": 0.0, "high": 1.0}, "k": {"low": 1, "high": 5}, "c": ["a", "b"]}})
    a, b, c = lhs_points(sw, 3), lhs_points(sw, 3), lhs_points(sw, 4)
    assert a == b and a != c and len(a) == 10
    xs = sorted(p["x"] for p in a)
    assert all(i / 10 <= x < (i + 1) / 10 for i, x in enumerate(xs))   # one point per tenth
    assert {p["k"] for p in a} <= {1, 2, 3, 4, 5} and all(isinstance(p["k"], int) for p in a)
    assert {p["c"] for p in a} == {"a", "b"}


def test_range_must_be_finite_and_ordered():
    with pytest.raises(ValueError, match="low must be below high"):
        Range.model_validate({"low": 2, "high": 1})
    with pytest.raises(ValueError, match="finite"):
        Range.model_validate({"low": 0, "high": float("inf")})


@pytest.mark.parametrize("outcome, values, expected", [
    ({"indicator": "x", "op": "!=", "value": "RUS"}, ["RUS", "RUS", "SYR"], True),
    ({"indicator": "x", "op": "!=", "value": "RUS", "at": "turn 1"}, ["RUS", "RUS", "SYR"], False),
    ({"indicator": "x", "op": "==", "value": 1, "at": "ever"}, [1, 0, 0], False),       # turn 0 is not played
    ({"indicator": "x", "op": "==", "value": 1, "at": "ever"}, [0, 0, 1, 0], True),
    ({"indicator": "x", "op": ">", "value": 0, "at": "always"}, [0, 1, 2], True),
    ({"indicator": "x", "op": ">", "value": 0, "at": "max"}, [0, 0, 2], True),           # max with op = ever
    ({"indicator": "x", "op": ">", "value": 0, "at": "mean"}, [0, 1, 0, 2, 0], 0.5),   # share of turns played
    ({"indicator": "x", "at": "mean"}, [9, 1, 2, 3], 2.0),
    ({"indicator": "x", "at": "max"}, [9, 1, 2, 3], 3.0),
    ({"indicator": "x", "at": 2}, [9, 1, 2, 3], 2.0),
    ({"indicator": "x"}, [9, 1, 2, 3], 3.0),
])
def test_outcome_evaluation(outcome, values, expected):
    o = Outcome.model_validate(outcome)
    got = o.evaluate(values)
    assert got == expected and type(got) is type(expected) or (isinstance(expected, float) and got == expected)
    assert o.binary == isinstance(expected, bool)


def test_shipped_specs_validate():
    from model.experiments.spec import EXPERIMENT_DIR
    for p in sorted(EXPERIMENT_DIR.glob("*.yaml")) + sorted((DATA / "experiments").glob("*.yaml")):
        exp = load_experiment(p, replications=1)
        assert exp.cells, p


def test_a_servers_time_budget_starts_after_the_simulation_is_imported():
    """The server's check budget (max_seconds) is for the spec's work: a cold process's one-time import of the
    simulation (9 s on a loaded machine) must not be counted against it and refuse a shipped spec."""
    import subprocess
    import sys
    code = (
        "import sys\n"
        "from model.config import limits\n"
        "from model.experiments import spec\n"
        "seen = []\n"
        "real = limits.Deadline\n"
        "class Watch(real):\n"
        "    def __init__(self, *a, **k):\n"
        "        seen.append('model.sim.model' in sys.modules)\n"
        "        super().__init__(*a, **k)\n"
        "limits.Deadline = Watch\n"
        "assert 'model.sim.model' not in sys.modules\n"
        "spec.load_experiment('projected-outcomes', max_seconds=60)\n"
        "print(seen)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[True]"


def test_several_mistakes_come_in_the_order_of_their_lines(tmp_path):
    """A user fixes errors top to bottom: the list follows the file, whatever order pydantic found them in (a
    missing field, reported at its entry, came before the entry's unknown fields and bad values out of order)."""
    text = GOOD.replace("  h: {outcome: lost, arm: engaged, versus: baseline, direction: higher}",
                        "  h:\n    text: x\n    compare: [engaged, baseline]\n    outcome: lost\n    direction: less")
    lines = [int(err.split(":")[1]) for err in errors(tmp_path, text)]
    assert len(lines) == 5 and lines == sorted(lines)
    assert lines[-1] == line_of(text, "direction: less")
