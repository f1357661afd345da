"""Every kind of mistake a user makes in a scenario gets one clear `file:line: field: message` error.

Each case edits one line of tests/data/scenarios/mini.yaml (so the rest of the file stays valid), writes the
variant to a temporary file, and checks the exact file, line, field and the words of the message.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from model import WargameModel, load_scenario
from model.config.errors import UserError, UserErrors
from model.config.vocabulary import indicator_names

MINI = Path(__file__).parents[1] / "data" / "scenarios" / "mini.yaml"
TEXT = MINI.read_text()


def variant(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, str]:
    assert TEXT.count(old) == 1, f"the test's anchor {old!r} must occur once in mini.yaml"
    text = TEXT.replace(old, new)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return path, text


def line_of(text: str, marker: str) -> int:
    (n,) = [i for i, line in enumerate(text.splitlines(), 1) if marker in line][:1]
    return n


def first_error(exc: UserError) -> UserError:
    return exc.errors[0] if isinstance(exc, UserErrors) else exc


# (case id, text in mini.yaml, replacement, marker of the line to report, field, words of the message)
CASES = [
    ("relation_actor", "RUS-SDF: 0.0", "RUS-XXX: 0.0", "RUS-XXX", "relations.RUS-XXX",
     "unknown actor 'XXX'; expected one of RUS, SDF, SYR, USA"),
    ("base_region", "region: homs, kind: garrison", "region: atlantis, kind: garrison", "atlantis",
     "bases.al_tanf.region", "unknown region 'atlantis'; expected one of hasakah, homs, tartus"),
    ("goal_base", "base: al_tanf, weight: 1}", "base: nowhere, weight: 1}", "nowhere",
     "actors.USA.goals.tanf.base", "unknown base 'nowhere'"),
    ("field_typo", "    capabilities: {military: 60", "    capabilties: {military: 60", "capabilties",
     "actors.USA.capabilties", "unknown field 'capabilties'; did you mean 'capabilities'?"),
    ("out_of_range", "host: SDF, garrison: 0.3,", "host: SDF, garrison: 1.7,", "garrison: 1.7",
     "bases.qamishli.garrison", "expected a number between 0 and 1, got 1.7"),
    ("shares", "control: {SYR: 0.9, USA: 0.1}", "control: {SYR: 0.8, USA: 0.1}", "SYR: 0.8",
     "regions.homs.control", "control shares must sum to 1, they sum to 0.9"),
    ("position", "positions: {RUS: 100, SYR: 50", "positions: {RUS: 140, SYR: 50", "RUS: 140",
     "issues.basing.positions.RUS", "position 140.0 is outside the scale [0.0, 100.0]"),
    ("control_actor", "control: {SYR: 1.0}", "control: {SYRIA: 1.0}", "SYRIA",
     "regions.tartus.control.SYRIA", "unknown actor 'SYRIA'"),
    ("controller", "kind: naval, controller: RUS", "kind: naval, controller: RUSSIA", "RUSSIA",
     "bases.tartus.controller", "unknown actor 'RUSSIA'"),
    ("status", "host: SDF, garrison: 0.3,", "host: SDF, garrison: 0.3, status: abandoned,", "abandoned",
     "bases.qamishli.status", "expected one of 'active', 'drawdown', 'evacuated', 'contested', 'destroyed' or "
     "'reduced', got 'abandoned'"),
    ("not_a_number", "host: SDF, garrison: 0.3,", "host: SDF, garrison: lots,", "garrison: lots",
     "bases.qamishli.garrison", "expected a number, got 'lots'"),
    ("missing_name", "  SDF:\n    name: SDF\n", "  SDF:\n", "  SDF:", "actors.SDF.name",
     "missing required field 'name'"),
    ("pair", "RUS-SDF: 0.0", "RUS_SDF: 0.0", "RUS_SDF", "relations.RUS_SDF", "must look like 'A-B'"),
    ("action_kind", "    action_points: 3\n", "    action_points: 3\n    actions: [engage, bribe]\n", "bribe",
     "actors.USA.actions", "unknown action kind 'bribe'"),
    ("duplicate", "  RUS-SDF: 0.0\n", "  RUS-SDF: 0.0\n  RUS-SYR: 0.2\n", "RUS-SYR: 0.2", "relations.RUS-SYR",
     "duplicate key 'RUS-SYR' (first at line 41)"),
    ("salience", "salience: {RUS: 0.9,", "salience: {RUS: 90,", "RUS: 90", "issues.basing.salience",
     "salience of RUS must be between 0 and 1, got 90"),
    ("effect_field", "actor: SYR, field: economic", "actor: SYR, field: economy", "economy",
     "events.isis_attack.effects.0.field", "expected one of 'military', 'economic' or 'diplomatic', got 'economy'"),
    ("event_actor", "actors: [SYR]", "actors: [DAESH]", "DAESH", "events.isis_attack.actors",
     "unknown actor 'DAESH'"),
    ("threshold", "        value: 35\n", "        value: 135\n", "value: 135", "issues.basing.thresholds.0.value",
     "threshold 135.0 is outside the scale [0.0, 100.0]"),
    ("condition_indicator", "    probability: 0.3\n",
     "    probability: 0.3\n    condition: {indicator: russia_base_held, op: '>', value: 0}\n", "condition:",
     "events.isis_attack.condition.indicator", "unknown indicator 'russia_base_held'"),
    ("condition_op", "    probability: 0.3\n",
     "    probability: 0.3\n    condition: {indicator: russia_bases_held, op: '=>', value: 0}\n", "condition:",
     "events.isis_attack.condition.op", "unknown operator '=>'"),
    ("script_kind", "    action_points: 3\n",
     "    action_points: 3\n    policy:\n      kind: scripted\n      script:\n"
     "        1: [{kind: bribe, target: SYR}]\n",
     "bribe", "actors.USA.policy.script.1.0.kind", "unknown order kind 'bribe'"),
    ("script_target", "    action_points: 3\n",
     "    action_points: 3\n    policy:\n      kind: scripted\n      script:\n"
     "        2: [{kind: engage, target: SYRIA}]\n",
     "SYRIA", "actors.USA.policy.script.2.0.target", "unknown target 'SYRIA'; expected one of RUS, SDF, SYR, USA"),
    ("rule_condition", "    action_points: 3\n",
     "    action_points: 3\n    policy:\n      kind: rule\n      rules:\n"
     "        - if: {indicator: nope, op: '>', value: 0}\n          then: [{kind: engage, target: SYR}]\n",
     "nope", "actors.USA.policy.rules.0.if.indicator", "unknown indicator 'nope'"),
    ("rule_order_field", "    action_points: 3\n",
     "    action_points: 3\n    policy:\n      kind: rule\n      rules:\n"
     "        - if: {indicator: turn, op: '>', value: 0}\n          then: [{kind: engage, taget: SYR}]\n",
     "taget", "actors.USA.policy.rules.0.then.0.taget", "unknown order field 'taget'"),
    ("policy_kind", "    action_points: 3\n", "    action_points: 3\n    policy: {kind: smart}\n", "smart",
     "actors.USA.policy.kind", "expected one of 'utility', 'rule', 'random', 'scripted' or 'human', got 'smart'"),
    ("action_param_typo", "relations:\n", "actions:\n  seize: {dificulty: 1}\nrelations:\n", "dificulty",
     "actions.seize.dificulty", "unknown field 'dificulty'; did you mean 'difficulty'?"),
    ("action_table_kind", "relations:\n", "actions:\n  bribe: {cost: 1}\nrelations:\n", "bribe",
     "actions.bribe", "unknown action kind 'bribe'"),
    ("param_typo", "relations:\n", "params:\n  drawdown: 0.1\nrelations:\n", "drawdown:",
     "params.drawdown", "did you mean 'drawdown_rate'?"),
    ("iso", "iso: SY-TA", "iso: TA", "iso: TA", "regions.tartus.iso", "got 'TA'"),
    # true/false where a number goes: pydantic read them as 1 and 0 (military: true played a military of 1)
    ("bool_for_number", "    capabilities: {military: 60", "    capabilities: {military: true", "military: true",
     "actors.USA.capabilities.military", "expected a number, got true"),
    # a [low, high] list one item short: about the list, not "missing required field '1' (did you mean
    # 'salience'?)", the sibling-typo hint taking the list for a new entry
    ("short_scale", "    name: Russian basing rights\n", "    name: Russian basing rights\n    scale: [100]\n",
     "scale: [100]", "issues.basing.scale", "expected at least 2 items, got [100]"),
    # effects: the field each kind needs, no amount that defaults to a no-op, no field the kind never reads
    ("capability_field", "{kind: capability, actor: SYR, field: economic, delta: -0.5}",
     "{kind: capability, actor: SYR, delta: -0.5}", "kind: capability, actor: SYR, delta",
     "events.isis_attack.effects.0", "an effect of kind capability needs 'field'"),
    ("effect_unused", "{kind: capability, actor: SYR, field: economic, delta: -0.5}",
     "{kind: fighting, actor: SYR, other: SDF, factor: 2}", "kind: fighting",
     "events.isis_attack.effects.0", "an effect of kind fighting needs 'delta': without it the effect changes"),
    ("effect_stray_field", "{kind: capability, actor: SYR, field: economic, delta: -0.5}",
     "{kind: relation, actor: SYR, other: SDF, delta: 0.1, base: tartus}", "kind: relation, actor: SYR, other",
     "events.isis_attack.effects.0", "an effect of kind relation does not use 'base'; it reads actor, other, delta"),
    # money in US$bn: the amount is usd_bn, not delta (an index-point delta here would be silently a no-op)
    ("money_needs_usd", "{kind: capability, actor: SYR, field: economic, delta: -0.5}",
     "{kind: money, actor: SYR, delta: -0.5}", "kind: money, actor: SYR, delta",
     "events.isis_attack.effects.0", "an effect of kind money needs 'usd_bn'"),
    ("money_range", "{kind: capability, actor: SYR, field: economic, delta: -0.5}",
     "{kind: money, actor: SYR, usd_bn: 40000}", "kind: money, actor: SYR, usd_bn",
     "events.isis_attack.effects.0.usd_bn", "expected a number between -30000 and 30000, got 40000"),
]


@pytest.mark.parametrize("name, old, new, marker, field, words", CASES, ids=[c[0] for c in CASES])
def test_mistake_is_reported_with_file_line_and_field(tmp_path, name, old, new, marker, field, words):
    path, text = variant(tmp_path, name, old, new)
    with pytest.raises(UserError) as info:
        load_scenario(path)
    line = line_of(text, marker)
    assert f"{path}:{line}: {field}: " in str(info.value)
    assert words in str(info.value)
    err = first_error(info.value)
    assert (err.file, err.line, err.field) == (str(path), line, field)
    assert "Traceback" not in str(info.value)


def test_several_mistakes_are_reported_together(tmp_path):
    path, text = variant(tmp_path, "two", "RUS-SDF: 0.0", "RUS-XXX: 0.0")
    path.write_text(text.replace("region: homs, kind: garrison", "region: atlantis, kind: garrison"))
    text = path.read_text()
    with pytest.raises(UserErrors) as info:
        load_scenario(path)
    lines = str(info.value).splitlines()
    assert f"{path}:{line_of(text, 'RUS-XXX')}: relations.RUS-XXX: unknown actor 'XXX'" in lines[0]
    assert any(f"{path}:{line_of(text, 'atlantis')}: bases.al_tanf.region: unknown region" in ln for ln in lines)


def test_mini_itself_is_valid():
    sc = load_scenario(MINI)
    assert list(sc.actors) == ["RUS", "SYR", "USA", "SDF"]


def test_indicator_names_match_the_recorded_columns():
    """Conditions are checked against `indicator_names`, so it must list exactly what a turn records."""
    m = WargameModel(load_scenario(MINI), seed=0)
    w = m.world
    assert indicator_names(w.actors, w.bases, w.regions, w.issues) == set(m.last_record)
    m.step()
    assert indicator_names(w.actors, w.bases, w.regions, w.issues) == set(m.last_record)


# ------------------------------------------------------------------------------------------ extends
def test_cyclic_extends_is_reported_where_the_cycle_closes(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\nname: A\n")
    (tmp_path / "b.yaml").write_text("name: B\nextends: a.yaml\n")
    with pytest.raises(UserError) as info:
        load_scenario(tmp_path / "a.yaml")
    assert str(info.value) == f"{tmp_path / 'b.yaml'}:2: extends: extends cycle: a.yaml -> b.yaml -> a.yaml"


def test_extends_of_a_missing_file(tmp_path):
    (tmp_path / "child.yaml").write_text("# a variant\nextends: nowhere.yaml\n")
    with pytest.raises(UserError) as info:
        load_scenario(tmp_path / "child.yaml")
    assert str(info.value).startswith(f"{tmp_path / 'child.yaml'}:2: extends: cannot find 'nowhere.yaml'")


def test_errors_point_into_the_file_that_holds_the_mistake(tmp_path):
    (tmp_path / "mini.yaml").write_text(TEXT)
    child = tmp_path / "child.yaml"
    child.write_text("extends: mini.yaml\nname: Child\nbases:\n  qamishli:\n    garrison: 1.7\n")
    with pytest.raises(UserError) as info:
        load_scenario(child)
    assert str(info.value) == f"{child}:5: bases.qamishli.garrison: expected a number between 0 and 1, got 1.7"
    # a mistake in the parent is reported in the parent, even when loading the child
    (tmp_path / "mini.yaml").write_text(TEXT.replace("RUS-SDF: 0.0", "RUS-XXX: 0.0"))
    child.write_text("extends: mini.yaml\nname: Child\n")
    with pytest.raises(UserError) as info:
        load_scenario(child)
    assert str(info.value).startswith(f"{tmp_path / 'mini.yaml'}:{line_of(TEXT, 'RUS-SDF')}: relations.RUS-XXX: ")


def test_a_misspelt_id_in_a_variant_is_named_with_the_id_it_is_close_to(tmp_path):
    """A variant that overrides `USB` for `USA` makes a new, incomplete actor: its missing fields say so and name
    the id it is close to (they said only "missing required field 'name'")."""
    (tmp_path / "mini.yaml").write_text(TEXT)
    child = tmp_path / "child.yaml"
    child.write_text("extends: mini.yaml\nname: Child\nactors:\n  USB:\n    action_points: 4\n"
                     "bases:\n  qamishly:\n    garrison: 0.5\n")
    with pytest.raises(UserErrors) as info:
        load_scenario(child)
    lines = str(info.value).splitlines()
    assert f"{child}:4: actors.USB.name: missing required field 'name' ('USB' is not in the config it extends; " \
        "did you mean 'USA'?)" \
        in lines
    assert any(line.startswith(f"{child}:7: bases.qamishly.") and "did you mean 'qamishli'?" in line
               for line in lines), lines
    child.write_text("extends: mini.yaml\nname: Child\nactors:\n  ZZZ:\n    action_points: 4\n")
    with pytest.raises(UserErrors) as info:       # an id close to none: no guess
        load_scenario(child)
    assert "did you mean" not in str(info.value)
    # in one file, an entry beside a similar one is no typo of it (RUS without its name is RUS, not USA)
    path, _ = variant(tmp_path, "noname", "  RUS:\n    name: Russia\n", "  RUS:\n")
    with pytest.raises(UserError) as info:
        load_scenario(path)
    assert "actors.RUS.name: missing required field 'name'" in str(info.value)
    assert "did you mean" not in str(info.value)


def test_a_valid_variant_changes_only_what_it_says(tmp_path):
    (tmp_path / "mini.yaml").write_text(TEXT)
    child = tmp_path / "child.yaml"
    child.write_text("extends: mini.yaml\nname: Child\nbases:\n  qamishli:\n    garrison: 0.9\n")
    sc, base = load_scenario(child), load_scenario(MINI)
    assert sc.name == "Child" and sc.bases["qamishli"].garrison == 0.9
    assert sc.bases["qamishli"].controller == "SDF" and sc.actors == base.actors


# ---------------------------------------------------------------------------------------- overrides
@pytest.mark.parametrize("override, words", [
    ("actors.XXX.size=1", "'XXX' does not exist in actors (valid: RUS, SYR, USA, SDF)"),
    ("actors.USA.size=1", "'size' does not exist in actors.USA"),
    ("actors.USA.capabilites.military=1", "did you mean 'capabilities'?"),
    ("params.drift=abc", "expected a number, got 'abc'"),
    ("actors.USA.capabilities.military=lots", "expected a number, got 'lots'"),
    ("params.drift=5", "expected a number between 0 and 1, got 5"),
    ("actors.USA.policy.kind=smart", "got 'smart'"),
    ("params.drift", "expected path=value"),
])
def test_bad_override_names_the_override(override, words):
    with pytest.raises(UserError) as info:
        load_scenario(MINI, overrides=[override])
    assert str(info.value).startswith(f"--set {override}: ")
    assert words in str(info.value)


@pytest.mark.parametrize("override", ["actors.USA.capabilities.military=true", "turns=false",
                                      "issues.basing.positions.RUS=true"])
def test_a_boolean_override_of_a_number_is_refused(override):
    with pytest.raises(UserError) as info:
        load_scenario(MINI, overrides=[override])
    key, value = override.split("=")
    assert str(info.value) == f"--set {override}: {key}: expected a number, got {value}"


def test_booleans_stay_booleans_where_the_schema_wants_them():
    sc = load_scenario(MINI, overrides=["params.alliance_switch=false"])
    assert sc.params.alliance_switch is False


def test_good_overrides_change_the_values():
    sc = load_scenario(MINI, overrides=["actors.USA.policy.temperature=0.2", "params.drift=0.1",
                                        "actions.seize.difficulty=0.5", "bases.tartus.status=drawdown"])
    assert sc.actors["USA"].policy.temperature == 0.2
    assert sc.params.drift == 0.1
    assert sc.actions["seize"].difficulty == 0.5 and sc.actions["seize"].cost == 2
    assert sc.bases["tartus"].status == "drawdown"


def test_override_to_an_unknown_reference_is_caught():
    with pytest.raises(UserError) as info:
        load_scenario(MINI, overrides=["bases.tartus.controller=XXX"])
    assert "bases.tartus.controller: unknown actor 'XXX'" in str(info.value)


# ---------------------------------------------------------------------------------------------- CLI
def test_cli_validate_prints_every_error_and_exits_2(tmp_path, capsys):
    from model.cli import main as cli

    bad, _ = variant(tmp_path, "bad", "RUS-SDF: 0.0", "RUS-XXX: 0.0")
    typo, text = variant(tmp_path, "typo", "    capabilities: {military: 60", "    capabilties: {military: 60")
    assert cli.main(["validate", str(MINI), str(bad), str(typo)]) == 2
    out, err = capsys.readouterr()
    assert f"{MINI}: ok" in out
    assert f"{bad}:{line_of(TEXT, 'RUS-SDF')}: relations.RUS-XXX: unknown actor 'XXX'" in err
    assert f"{typo}:{line_of(text, 'capabilties')}: actors.USA.capabilties: unknown field 'capabilties'; " \
           "did you mean 'capabilities'?" in err
    assert "Traceback" not in err
    assert cli.main(["validate", str(MINI)]) == 0


def test_roles_name_actors_of_the_scenario(tmp_path):
    """The headline roles come from config: a role given must name an actor, a default one absent is simply absent."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {MINI}\nroles: {{russia: NOPE}}\n")
    with pytest.raises(UserError) as err:
        load_scenario(bad)
    assert "roles.russia" in str(err.value) and "unknown actor 'NOPE'" in str(err.value)
    renamed = tmp_path / "renamed.yaml"
    first = next(iter(load_scenario(MINI).actors))
    renamed.write_text(f"extends: {MINI}\nroles: {{russia: {first}}}\n")
    sc = load_scenario(renamed)
    assert sc.roles.resolved(list(sc.actors))["russia"] == first
