"""Tests for model.config.loading: every user mistake and hostile file ends in one UserError with file and line."""
from __future__ import annotations

import math
import os
import time
from pathlib import Path
from typing import Annotated, Literal

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from model.config import loading as configio
from model.config.errors import UserError, UserErrors
from model.config.loading import (
    get_dotted,
    load_model,
    load_with_extends,
    parse_override,
    read_yaml,
    read_yaml_text,
    set_dotted,
    validation_errors,
)

DATA = Path(__file__).parents[1] / "data" / "configio"


def write(tmp_path: Path, text: str | bytes, name: str = "c.yaml") -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return p


def error(fn, *args, **kwargs) -> UserError:
    with pytest.raises(UserError) as info:
        fn(*args, **kwargs)
    return info.value


# --- happy paths -------------------------------------------------------------------------------------------------

def test_lines_of_nested_keys_and_list_items():
    data, lm = read_yaml_text("a: 1\nb:\n  c:\n    - x\n    - {d: 2}\n  e: [1, 2]\n", "f.yaml")
    assert data == {"a": 1, "b": {"c": ["x", {"d": 2}], "e": [1, 2]}}
    assert lm[()] == ("f.yaml", 1)
    assert lm[("a",)] == ("f.yaml", 1)
    assert lm[("b", "c")] == ("f.yaml", 3)
    assert lm[("b", "c", 0)] == ("f.yaml", 4)
    assert lm[("b", "c", 1, "d")] == ("f.yaml", 5)
    assert lm[("b", "e", 1)] == ("f.yaml", 6)


def test_scalar_types_nan_inf_and_keys_as_written():
    data, _ = read_yaml_text("f: .nan\ng: -.inf\nh: 0.2\ni: RUS\nj: true\nk: ~\n1: x\non: y\n'q': z\n")
    assert math.isnan(data["f"]) and data["g"] == -math.inf and isinstance(data["f"], float)
    assert (data["h"], data["i"], data["j"], data["k"]) == (0.2, "RUS", True, None)
    assert data["1"] == "x" and data["on"] == "y" and data["q"] == "z"   # keys are strings, as written


def test_anchors_aliases_and_merge_keys():
    text = "d: &d {x: 1, y: 2}\ne:\n  <<: *d\n  y: 3\nl: &l [1, 2]\nm: *l\n"
    data, lm = read_yaml_text(text)
    assert data["e"] == {"x": 1, "y": 3} and data["m"] == [1, 2]
    assert lm[("e", "x")] == ("<text>", 1) and lm[("e", "y")] == ("<text>", 4) and lm[("m", 1)][1] == 5
    data["m"].append(3)
    assert data["l"] == [1, 2]   # aliases are expanded into independent copies


def test_read_yaml_file(tmp_path):
    data, lm = read_yaml(write(tmp_path, "\ufeffa:\n  b: 1\n"))
    assert data == {"a": {"b": 1}} and lm[("a", "b")] == (str(tmp_path / "c.yaml"), 2)


# PyYAML's own emitter mangles control characters and line separators (\x85, \u2028), so leave them out
chars = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="\x85")
keys = st.text(chars, min_size=1, max_size=8)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(chars, max_size=10)
trees = st.recursive(scalars, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(keys, kids, max_size=4),
                     max_leaves=20)


def paths(value, prefix=()):
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for k, v in items:
        yield prefix + (k,)
        yield from paths(v, prefix + (k,))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(keys, trees, min_size=1, max_size=5), st.booleans())
def test_round_trip_property(data, flow):
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    loaded, lm = read_yaml_text(text)
    assert loaded == data
    n_lines = text.count("\n") + 1
    for p in paths(data):
        assert 1 <= lm[p][1] <= n_lines


# --- bad and hostile files ---------------------------------------------------------------------------------------

def test_missing_file_directory_and_special_file(tmp_path):
    assert "no such file" in str(error(read_yaml, tmp_path / "nope.yaml"))
    assert "directory" in str(error(read_yaml, tmp_path))
    if os.path.exists("/dev/zero"):
        assert "not a regular file" in str(error(read_yaml, "/dev/zero"))


def test_unreadable_file(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(configio, "open", refuse, raising=False)   # chmod 0 does not stop root
    assert "permission denied" in str(error(read_yaml, write(tmp_path, "a: 1\n")))


def test_pure_python_parser_is_as_safe(monkeypatch):
    monkeypatch.setattr(configio, "_Loader", yaml.SafeLoader)
    start = time.process_time()
    assert "alias bomb" in str(error(read_yaml, DATA / "bomb.yaml"))
    assert "levels deep" in str(error(read_yaml_text, "a: " + "[" * 200_000 + "]" * 200_000))
    assert error(read_yaml_text, "a: 1\nb: [1, 2\nc: 3\n").line == 3
    assert "unsupported YAML tag !!python/name:os.system" in str(error(read_yaml_text, "a: !!python/name:os.system x"))
    assert time.process_time() - start < 4


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_empty_file(tmp_path, text):
    e = error(read_yaml, write(tmp_path, text))
    assert "the file is empty; expected a mapping" in str(e) and e.file == str(tmp_path / "c.yaml")


@pytest.mark.parametrize("text,got", [("- a\n- b\n", "['a', 'b']"), ("42\n", "42"), ("null\n", "null")])
def test_top_level_not_a_mapping(text, got):
    e = error(read_yaml_text, text, "t.yaml")
    assert str(e) == f"t.yaml:1: expected a mapping (key: value lines) at the top level, got {got}"


def test_syntax_error_has_line_and_column():
    e = error(read_yaml_text, "a: 1\nb: [1, 2\nc: 3\n", "t.yaml")
    assert e.file == "t.yaml" and e.line == 3 and "column" in e.message and "invalid YAML" in e.message
    e = error(read_yaml_text, "a:\n  b: 1\n c: 2\n", "t.yaml")
    assert e.line == 3 and "\n" not in str(e)


def test_tab_and_control_characters():
    assert error(read_yaml_text, "a:\n\tb: 1\n").line == 2
    e = error(read_yaml_text, "a: 1\nb: x\x00y\n")
    assert e.line == 2 and "control characters" in e.message


def test_non_utf8(tmp_path):
    e = error(read_yaml, write(tmp_path, b"a: 1\nb: caf\xe9\n"))
    assert "not UTF-8" in e.message and "0xe9" in e.message and "offset 11" in e.message and e.line == 2


def test_too_large_refused_before_parsing(tmp_path):
    p = write(tmp_path, "a: [" + "1, " * 1000 + "]\n")
    assert "too large" in str(error(read_yaml, p, max_bytes=1000))
    assert "too large" in str(error(read_yaml_text, "x" * 2000, max_bytes=1000))


@pytest.mark.parametrize("text,tag", [
    ("a: !!python/object:os.system {}\n", "!!python/object:os.system"),
    ("a: !!python/name:os.system ''\n", "!!python/name:os.system"),
    ("a: !!python/object/apply:os.system [echo hi]\n", "!!python/object/apply:os.system"),
    ("a: !custom 1\n", "!custom"), ("a: !!set {x, y}\n", "!!set"), ("a: !!binary aGk=\n", "!!binary"),
])
def test_non_standard_tags_refused(text, tag):
    e = error(read_yaml_text, "ok: 1\n" + text, "t.yaml")
    assert str(e).startswith(f"t.yaml:2: unsupported YAML tag {tag} at line 2")


def test_python_object_fixture_never_executes():
    e = error(read_yaml, DATA / "python_object.yaml")
    assert e.line == 2 and "unsupported YAML tag !!python/object/apply:os.system" in e.message
    assert not os.path.exists("/tmp/configio-pwned")


def test_alias_bomb_refused_quickly():
    start = time.process_time()
    e = error(read_yaml, DATA / "bomb.yaml")
    assert time.process_time() - start < 2
    assert "alias bomb" in e.message and e.line is not None


def test_deep_nesting_refused_without_crash():
    start = time.process_time()
    assert "levels deep" in str(error(read_yaml_text, "a: " + "[" * 500 + "]" * 500))
    deep = str(error(read_yaml_text, "a: " + "[" * 200_000 + "]" * 200_000))
    assert "nesting depth" in deep or "levels deep" in deep    # libyaml's own limit (PyYAML >= 6.0.4) or ours
    text = "a: &a [1]\n" + "".join(f"a{i}: &a{i} [*{'a' if i == 0 else f'a{i - 1}'}]\n" for i in range(150))
    assert "levels deep" in str(error(read_yaml_text, text))
    assert time.process_time() - start < 2


def test_too_many_values_refused_quickly():
    start = time.process_time()
    assert "more than 100,000 values" in str(error(read_yaml_text, "a: [" + "1," * 400_000 + "]\n"))
    assert time.process_time() - start < 2


def test_undefined_and_self_alias():
    assert "refers to no anchor &x" in str(error(read_yaml_text, "a: *x\n"))
    assert "inside its own anchor" in str(error(read_yaml_text, "a: &x [1, *x]\n"))


def test_duplicate_keys():
    e = error(read_yaml_text, "a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n", "t.yaml")
    assert str(e) == "t.yaml:5: b.c: duplicate key 'c' (first at line 3)"


def test_complex_keys_refused():
    e = error(read_yaml_text, "a: 1\n? [a, b]\n: x\n", "t.yaml")
    assert e.line == 2 and "cannot be used as a key" in e.message
    assert "cannot be used as a key" in error(read_yaml_text, "{x: 1}: y\n").message


def test_multiple_documents_refused():
    assert error(read_yaml_text, "a: 1\n---\nb: 2\n").line == 2


def test_bad_explicit_scalar():
    assert "cannot read 'abc' as !!int" in str(error(read_yaml_text, "a: !!int abc\n"))


# --- extends -----------------------------------------------------------------------------------------------------

def test_extends_two_levels():
    data, lm = load_with_extends(DATA / "child.yaml")
    assert "extends" not in data and ("extends",) not in lm
    assert data == {"name": "child", "turns": 24, "bases": ["qamishli"],
                    "actors": {"USA": {"size": 0.8, "policy": {"kind": "utility", "temperature": 0.2}},
                               "RUS": {"size": 0.5}}}
    child, mid, base = (str(DATA / n) for n in ("child.yaml", "mid.yaml", "base.yaml"))
    assert lm[("name",)] == (child, 2)
    assert lm[("actors", "USA", "policy", "temperature")] == (child, 7)
    assert lm[("actors", "USA", "policy", "kind")] == (base, 8)
    assert lm[("actors", "USA", "size")] == (base, 6)
    assert lm[("actors", "RUS", "size")] == (mid, 5)
    assert lm[("turns",)] == (base, 3)
    assert lm[("bases", 0)] == (child, 9) and ("bases", 1) not in lm   # lists replace


def test_extends_search_dirs_and_bare_name(tmp_path):
    p = write(tmp_path, "extends: base\nname: x\n")
    data, lm = load_with_extends(p, search_dirs=[DATA])
    assert data["name"] == "x" and data["turns"] == 24 and lm[("turns",)] == (str(DATA / "base.yaml"), 3)


def test_extends_null_removes_a_named_entry_and_sets_any_other_value_null(tmp_path):
    p = write(tmp_path, "extends: base\nactors:\n  RUS: null\n")
    assert "RUS" not in load_with_extends(p, search_dirs=[DATA])[0]["actors"]
    p = write(tmp_path, "extends: base\nturns: null\n")
    assert load_with_extends(p, search_dirs=[DATA])[0]["turns"] is None


def test_extends_cycle():
    e = error(load_with_extends, DATA / "cycle_a.yaml")
    assert e.message == "extends cycle: cycle_a.yaml -> cycle_b.yaml -> cycle_a.yaml"
    assert e.file == str(DATA / "cycle_b.yaml") and e.line == 2
    e = error(load_with_extends, DATA / "self_extend.yaml")
    assert str(e) == f"{DATA / 'self_extend.yaml'}:2: extends: extends cycle: self_extend.yaml -> self_extend.yaml"


def test_extends_missing_parent_and_bad_value(tmp_path):
    e = error(load_with_extends, DATA / "missing_parent.yaml")
    assert e.line == 3 and "cannot find 'no-such-baseline'" in e.message
    assert "expected the name of a YAML file" in str(error(load_with_extends, write(tmp_path, "extends: [a]\n")))


# --- overrides ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("actors.USA.policy.temperature=0.2", (("actors", "USA", "policy", "temperature"), 0.2)),
    ("a=RUS", (("a",), "RUS")), ("a.b=[1, 2]", (("a", "b"), [1, 2])), ("a=true", (("a",), True)),
    ("a=x=y", (("a",), "x=y")), ("a=", (("a",), None)),
])
def test_parse_override(text, expected):
    assert parse_override(text) == expected


@pytest.mark.parametrize("text,msg", [("a.b", "expected path=value"), ("=1", "empty"), ("a..b=1", "empty"),
                                      ("a=[1", "cannot read the value"), ("a=!!python/name:os.system x", "tag")])
def test_parse_override_errors(text, msg):
    e = error(parse_override, text)
    assert e.field == f"--set {text}" and msg in e.message


def test_set_and_get_dotted():
    data = {"actors": {"USA": {"policy": {"temperature": 0.5}}}, "bases": [{"id": "tartus"}]}
    set_dotted(data, ("actors", "USA", "policy", "temperature"), 0.2)
    set_dotted(data, ("bases", "0", "id"), "khmeimim")
    assert get_dotted(data, ("actors", "USA", "policy", "temperature")) == 0.2
    assert data["bases"][0]["id"] == "khmeimim"
    e = error(set_dotted, data, ("actors", "USA", "policy", "tempreture"), 1, source="--set x")
    assert e.field == "--set x" and "'tempreture' does not exist in actors.USA.policy" in e.message
    assert "did you mean 'temperature'?" in e.message and "valid: temperature" in e.message
    assert "not an index" in error(set_dotted, data, ("bases", "3", "id"), 1).message
    assert "single value" in error(set_dotted, data, ("actors", "USA", "policy", "temperature", "x"), 1).message
    assert "'RUS' does not exist in actors" in error(get_dotted, data, ("actors", "RUS")).message


# --- validation --------------------------------------------------------------------------------------------------

class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["utility", "rule"] = "utility"
    temperature: float = Field(0.5, ge=0, le=1)


class Actor(BaseModel):
    model_config = ConfigDict(extra="forbid")
    size: float = Field(gt=0)
    policy: Policy = Policy()


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    turns: int = 24
    actors: dict[str, Actor]
    bases: list[str] = []


def test_validation_errors_point_at_lines():
    text = ("name: x\nturns: many\nactors:\n  USA:\n    size: 0.5\n    policy:\n      temprature: 0.2\n"
            "  RUS:\n    policy: {temperature: 1.7}\n")
    data, lm = read_yaml_text(text, "s.yaml")
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(data)
    errs = validation_errors(info.value, lm, "s.yaml", model_cls=Scenario)
    assert isinstance(errs, UserErrors)
    got = {str(e) for e in errs.errors}
    assert got == {
        "s.yaml:2: turns: expected a whole number, got 'many'",
        "s.yaml:7: actors.USA.policy.temprature: unknown field 'temprature'; did you mean 'temperature'?",
        "s.yaml:8: actors.RUS.size: missing required field 'size'",
        "s.yaml:9: actors.RUS.policy.temperature: expected a number between 0 and 1, got 1.7",
    }


def test_validation_without_model_and_top_level_missing():
    data, lm = read_yaml_text("actors: {}\nbases: 3\n", "s.yaml")
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(data)
    got = {str(e) for e in validation_errors(info.value, lm, "s.yaml").errors}
    assert got == {"s.yaml:1: name: missing required field 'name'", "s.yaml:2: bases: expected a list, got 3"}


class Utility(Policy):
    kind: Literal["utility"]


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["rule"]
    rules: list[str] = Field(min_length=1)


class Policies(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tagged: dict[str, Annotated[Utility | Rule, Field(discriminator="kind")]] = {}
    plain: dict[str, Utility | Rule] = {}
    number_or_text: list[int | str] = []


def test_validation_of_unions_reports_the_closest_member():
    text = ("tagged:\n  a: {kind: utility, temprature: 1}\n  b: {kind: magic}\n"
            "plain:\n  c: {kind: rule, rules: []}\n  d: {kind: utility, temperature: -1}\nnumber_or_text: [1, [2]]\n")
    data, lm = read_yaml_text(text, "p.yaml")
    with pytest.raises(ValidationError) as info:
        Policies.model_validate(data)
    assert [str(e) for e in validation_errors(info.value, lm, "p.yaml", model_cls=Policies).errors] == [
        "p.yaml:2: tagged.a.temprature: unknown field 'temprature'; did you mean 'temperature'?",
        "p.yaml:3: tagged.b: unknown 'kind' 'magic'; expected one of 'utility', 'rule'",
        "p.yaml:5: plain.c.rules: expected at least 1 item(s), got []",
        "p.yaml:6: plain.d.temperature: expected a number between 0 and 1, got -1",
        "p.yaml:7: number_or_text.1: expected a whole number or text, got [2]",
    ]


def test_load_model_and_overrides(tmp_path):
    p = write(tmp_path, "name: x\nactors:\n  USA: {size: 0.5}\n")
    s = load_model(Scenario, p, overrides=["actors.USA.policy.temperature=0.2", "turns=12"])
    assert s.actors["USA"].policy.temperature == 0.2 and s.turns == 12
    e = error(load_model, Scenario, p, overrides=["actors.USA.size=abc"])
    assert str(e) == "--set actors.USA.size=abc: expected a number, got 'abc'"
    e = error(load_model, Scenario, p, overrides=["actors.USA.policy.temperature=2"])
    assert str(e) == "--set actors.USA.policy.temperature=2: expected a number between 0 and 1, got 2"
    e = error(load_model, Scenario, p, overrides=["actors.XYZ.size=1"])
    assert str(e) == "--set actors.XYZ.size=1: 'XYZ' does not exist in actors (valid: USA)"
    e = error(load_model, Scenario, p, overrides=["turns=2", "name=[1]", "actors.USA.size=0"])
    assert [str(x) for x in e.errors] == ["--set name=[1]: expected text, got [1]",
                                          "--set actors.USA.size=0: expected a number greater than 0, got 0"]
    bad = write(tmp_path, "name: x\nactors:\n  USA: {size: -1}\n", "bad.yaml")
    e = error(load_model, Scenario, bad)
    assert str(e) == f"{bad}:3: actors.USA.size: expected a number greater than 0, got -1"


def test_load_model_with_extends(tmp_path):
    p = write(tmp_path, "extends: child\nactors:\n  RUS:\n    size: 0.4\n    polcy: {}\n")
    e = error(load_model, Scenario, p, search_dirs=[DATA])
    assert str(e) == f"{p}:5: actors.RUS.polcy: unknown field 'polcy'; did you mean 'policy'?"
    model = load_model(Scenario, DATA / "child.yaml")
    assert model.actors["USA"].policy.temperature == 0.2


def test_a_variant_writes_conditions_and_control_shares_whole(tmp_path):
    """A variant's `condition:` replaces the parent's (merged key by key it kept the parent's `any:` and was no
    condition), and its control shares replace the parent's (merged, Turkey's 0.099 stayed: "sum to 1.099");
    every other mapping still merges key by key."""
    from model.config.scenario import load_scenario

    variant = tmp_path / "v.yaml"
    variant.write_text(
        "extends: baseline-2025\nname: v\n"
        "events:\n  committee_review:\n    condition: {indicator: relation.RUS.SYR, op: '<', value: 0.5}\n"
        "regions:\n  raqqa:\n    control: {SDF: 0.606, SYR: 0.394}\n"
        "actors:\n  USA:\n    capabilities: {military: 70}\n")
    sc, base = load_scenario(variant), load_scenario("baseline-2025")
    assert sc.events["committee_review"].condition == {"indicator": "relation.RUS.SYR", "op": "<", "value": 0.5}
    assert sc.events["committee_review"].probability == base.events["committee_review"].probability
    assert sc.regions["raqqa"].control == {"SDF": 0.606, "SYR": 0.394}
    assert sc.regions["raqqa"].population == base.regions["raqqa"].population
    usa = sc.actors["USA"].capabilities
    assert usa.military == 70 and usa.economic == base.actors["USA"].capabilities.economic


def test_a_variant_removes_a_named_entry_with_null_and_what_still_names_it_is_an_error(tmp_path):
    """`events: {reconstruction_deal: null}` removes the parent's event (it was "expected a mapping, got null"); a
    null elsewhere is a value (a base's controller: null stays 'no holder'); a removed actor still named is an
    error at the line that names it."""
    from model.config.errors import UserErrors
    from model.config.scenario import load_scenario

    variant = tmp_path / "v.yaml"
    variant.write_text("extends: baseline-2025\nname: v\nevents:\n  reconstruction_deal: null\n"
                       "actors:\n  SYR:\n    goals:\n      assad: null\nrelations:\n  RUS-SYR: null\n"
                       "bases:\n  tartus:\n    controller: null\n")
    sc, base = load_scenario(variant), load_scenario("baseline-2025")
    assert "reconstruction_deal" in base.events and "reconstruction_deal" not in sc.events
    assert set(base.events) - set(sc.events) == {"reconstruction_deal"}
    assert "assad" in base.actors["SYR"].goals and "assad" not in sc.actors["SYR"].goals
    assert "RUS-SYR" in base.relations and "RUS-SYR" not in sc.relations
    assert sc.bases["tartus"].controller is None and base.bases["tartus"].controller == "RUS"
    gone = tmp_path / "w.yaml"
    gone.write_text("extends: baseline-2025\nname: w\nactors:\n  GULF: null\n")
    with pytest.raises(UserErrors) as err:
        load_scenario(gone)
    assert "relations.RUS-GULF: unknown actor 'GULF'" in str(err.value)
    assert "baseline-2025.yaml:" in str(err.value)
