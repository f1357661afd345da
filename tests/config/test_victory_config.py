"""A scenario's `victory:` section is checked by the one validation path: each mistake is one error naming the file,
the line and the field, with a "did you mean" where a name was mistyped; `extends:` merges conditions by id."""
from __future__ import annotations

from pathlib import Path

import pytest

from model import load_scenario
from model.config.errors import UserError, UserErrors

MINI = Path(__file__).parents[1] / "data" / "scenarios" / "mini.yaml"
GOOD = ("victory:\n"
        "  rus_tartus:\n"
        "    actor: RUS\n"
        "    text: Russia still holds Tartus\n"
        "    condition:\n"
        "      all:\n"
        "        - {indicator: base.tartus.controller, op: '==', value: RUS}\n"
        "        - {indicator: russia_bases_held, op: '>=', value: 1}\n"
        "  sdf_land:\n"
        "    actor: SDF\n"
        "    text: The SDF keeps most of Hasakah\n"
        "    when: every_month\n"
        "    condition: {indicator: region.hasakah.SDF, op: '>=', value: 0.5}\n")


def write(tmp_path: Path, section: str, name: str = "v") -> tuple[Path, str]:
    text = MINI.read_text() + section
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return path, text


def line_of(text: str, marker: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if marker in line)


def the_error(path: Path) -> UserError:
    with pytest.raises(UserError) as info:
        load_scenario(path)
    errors = info.value.errors if isinstance(info.value, UserErrors) else [info.value]
    assert len(errors) == 1, str(info.value)          # one mistake, one error
    assert "Traceback" not in str(info.value)
    return errors[0]


def test_a_good_section_loads(tmp_path):
    sc = load_scenario(write(tmp_path, GOOD)[0])
    assert list(sc.victory) == ["rus_tartus", "sdf_land"]
    assert sc.victory["rus_tartus"].when == "end" and sc.victory["sdf_land"].when == "every_month"


CASES = [
    ("unknown_actor", "    actor: SDF\n", "    actor: KURDS\n", "actor: KURDS", "victory.sdf_land.actor",
     "unknown actor 'KURDS'; expected one of RUS, SDF, SYR, USA"),
    ("actor_typo", "    actor: SDF\n", "    actor: SFD\n", "actor: SFD", "victory.sdf_land.actor",
     "unknown actor 'SFD'; did you mean 'SDF'?"),
    ("unknown_indicator", "region.hasakah.SDF", "region.hasaka.SDF", "hasaka.SDF",
     "victory.sdf_land.condition.indicator",
     "unknown indicator 'region.hasaka.SDF'; did you mean 'region.hasakah.SDF'?"),
    ("indicator_in_all", "russia_bases_held", "russia_base_held", "russia_base_held",
     "victory.rus_tartus.condition.all.1.indicator",
     "unknown indicator 'russia_base_held'; did you mean 'russia_bases_held'?"),
    ("bad_op", "op: '>=', value: 0.5", "op: '=>', value: 0.5", "'=>'", "victory.sdf_land.condition.op",
     "unknown operator '=>'; expected one of < <= > >= == != (did you mean '>='?)"),
    ("text_op", "controller, op: '=='", "controller, op: '>'", "controller, op: '>'",
     "victory.rus_tartus.condition.all.0.op", "base.tartus.controller holds text; use op == or !="),
    ("value_actor", "value: RUS}", "value: RUSSIA}", "RUSSIA", "victory.rus_tartus.condition.all.0.value",
     "unknown actor 'RUSSIA'; did you mean 'RUS'? (expected one of RUS, SYR, USA, SDF, none)"),
    ("number_value", "value: 0.5}", "value: half}", "value: half", "victory.sdf_land.condition.value",
     "region.hasakah.SDF holds a number, so value 'half' never compares with it"),
    ("when", "    when: every_month\n", "    when: always\n", "when: always", "victory.sdf_land.when",
     "expected one of 'end', 'any_month' or 'every_month', got 'always'"),
    ("missing_text", "    text: The SDF keeps most of Hasakah\n", "", "  sdf_land:", "victory.sdf_land.text",
     "missing required field 'text'"),
    ("field_typo", "    condition: {indicator: region", "    conditon: {indicator: region", "conditon",
     "victory.sdf_land.conditon", "unknown field 'conditon'; did you mean 'condition'?"),
    ("shape", "condition: {indicator: region.hasakah.SDF, op: '>=', value: 0.5}",
     "condition: {indicator: region.hasakah.SDF, op: '>='}", "op: '>='}", "victory.sdf_land.condition",
     "a condition is {indicator, op, value}"),
]


@pytest.mark.parametrize("name, old, new, marker, field, words", CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_one_error_at_its_file_line_and_field(tmp_path, name, old, new, marker, field, words):
    assert GOOD.count(old) == 1, f"the test's anchor {old!r} must occur once"
    path, text = write(tmp_path, GOOD.replace(old, new), name)
    err = the_error(path)
    line = line_of(text, marker)
    assert (err.file, err.line, err.field) == (str(path), line, field), str(err)
    assert words in err.message, err.message
    assert str(err).startswith(f"{path}:{line}: {field}: ")


def test_too_many_conditions_are_refused_by_count(tmp_path):
    from model.config.limits import MAX_VICTORY

    many = "victory:\n" + "".join(
        f"  v{n}: {{actor: RUS, text: t, condition: {{indicator: turn, op: '>', value: 0}}}}\n"
        for n in range(MAX_VICTORY + 1))
    err = the_error(write(tmp_path, many)[0])
    assert err.field == "victory" and f"the limit is {MAX_VICTORY}" in err.message


def test_a_variant_changes_one_condition_by_id_and_keeps_the_others(tmp_path):
    parent, _ = write(tmp_path, GOOD, "parent")
    child = tmp_path / "child.yaml"
    child.write_text("extends: parent.yaml\nname: child\nvictory:\n  sdf_land: {when: end}\n"
                     "  usa_ties:\n    actor: USA\n    text: Washington and Damascus are close\n"
                     "    condition: {indicator: relation.SYR.USA, op: '>=', value: 0.6}\n")
    sc = load_scenario(child)
    assert list(sc.victory) == ["rus_tartus", "sdf_land", "usa_ties"]
    assert sc.victory["sdf_land"].when == "end" and sc.victory["sdf_land"].actor == "SDF"



EVENT = "events:\n  isis_attack:\n    probability: 1\n    "


@pytest.mark.parametrize("section, field, words", [
    (EVENT + "condition: {indicator: us_engagement, op: '>=', value: '0'}\n",
     "events.isis_attack.condition.value", "YAML reads a quoted number"),
    (EVENT + "condition: {indicator: us_engagement, op: '>=', value: 1e-3}\n",
     "events.isis_attack.condition.value", "write 0.001 or 1.0e-3"),
    (EVENT + "condition: {indicator: base.tartus.controller, op: '==', value: US}\n",
     "events.isis_attack.condition.value", "unknown actor 'US'"),
    (EVENT + "rearm: {not: {indicator: base.tartus.status, op: '==', value: gone}}\n",
     "events.isis_attack.rearm.not.value", "unknown value 'gone'"),
])
def test_an_event_condition_that_can_never_hold_is_an_error_not_a_silent_dead_event(tmp_path, section, field, words):
    """Before, only victory conditions had their values checked: an event whose condition compared a number with
    text, or a holder with an actor that does not exist, passed validation and never fired."""
    path = tmp_path / "v.yaml"
    path.write_text(f"extends: {MINI}\nname: v\n{section}")
    with pytest.raises(UserError) as err:
        load_scenario(path)
    errors = err.value.errors if isinstance(err.value, UserErrors) else [err.value]
    hits = [e for e in errors if e.field == field]
    assert len(hits) == 1 and words in hits[0].message and hits[0].line is not None, [str(e) for e in errors]
