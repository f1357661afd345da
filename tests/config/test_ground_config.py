"""Bad bases, budgets and territory settings get one clear `file:line: field: message` error (issue 10, section B)."""
from __future__ import annotations

from pathlib import Path

import pytest

from model import load_scenario
from model.cli.main import main
from model.config.errors import UserError, UserErrors

TINY = Path(__file__).parents[1] / "data" / "scenarios" / "tiny.yaml"
TEXT = TINY.read_text()
FORT = "  fort: {name: Fort, lat: 34.0, lon: 37.0, region: north, kind: garrison, controller: BLUE,\n"
RED = "  RED:\n    name: Red\n"


def variant(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    assert TEXT.count(old) == 1, f"the test's anchor {old!r} must occur once in tiny.yaml"
    text = TEXT.replace(old, new)
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    return path, text


def first(exc: UserError) -> UserError:
    return exc.errors[0] if isinstance(exc, UserErrors) else exc


def line_of(text: str, marker: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if marker in line)


CASES = [
    ("lease_order", FORT, FORT + "         lease: {evict: 0.5, reduce: 0.3},\n", "lease:", "bases.fort.lease",
     "lease thresholds need evict <= reduce < renew, got evict 0.5, reduce 0.3, renew 0.5"),
    ("lease_cap", FORT, FORT + "         lease: {cap: 1.5},\n", "lease:", "bases.fort.lease.cap",
     "expected a number between 0.0 and 1.0, got 1.5"),
    ("notice_months", FORT, FORT + "         lease: {notice_months: 0},\n", "lease:", "bases.fort.lease.notice_months",
     "expected a number between 1 and 120, got 0"),
    ("talks", FORT, FORT + "         talks: basing,\n", "talks:", "bases.fort.talks", "unknown issue 'basing'"),
    ("troops", FORT, FORT + "         troops: -10,\n", "troops:", "bases.fort.troops",
     "expected a number between 0 and 1000000.0, got -10"),
    ("lease_effect", FORT,
     FORT + "         lease: {on_notice: [{kind: relation, actor: RED, other: PURPLE, delta: -0.1}]},\n",
     "on_notice", "bases.fort.lease.on_notice.0.other", "unknown actor 'PURPLE'"),
    ("budget", RED, RED + "    budget: {troops: 0}\n", "budget:", "actors.RED.budget.troops",
     "expected a number greater than 0 and at most 10000000.0, got 0"),
    ("drain", RED, RED + "    budget: {troops: 100, drains: [{name: war, troops: -5}]}\n", "budget:",
     "actors.RED.budget.drains.0.troops", "expected a number between 0 and 1000000.0, got -5"),
    ("drain_name", RED, RED + "    budget: {troops: 100, drains: [{troops: 5}]}\n", "budget:",
     "actors.RED.budget.drains.0.name", "missing required field 'name'"),
    ("support", "control: {GREEN: 1.0}}", "control: {GREEN: 1.0}, support: {RED: 2}}", "support:",
     "regions.south.support", "support of RED must be between 0 and 1, got 2"),
    ("support_actor", "control: {GREEN: 1.0}}", "control: {GREEN: 1.0}, support: {PURPLE: 0.2}}", "support:",
     "regions.south.support.PURPLE", "unknown actor 'PURPLE'"),
    ("ground_typo", "territory: {regeneration: 0.0}", "territory: {regeneration: 0.0, defender_advantag: 3}",
     "defender_advantag", "ground.territory.defender_advantag",
     "unknown field 'defender_advantag'; did you mean 'defender_advantage'?"),
    ("decisiveness", "territory: {regeneration: 0.0}", "territory: {regeneration: 0.0, decisiveness: 0}",
     "decisiveness", "ground.territory.decisiveness", "expected a number greater than 0 and at most 10, got 0"),
]


@pytest.mark.parametrize("case, old, new, marker, field, words", CASES, ids=[c[0] for c in CASES])
def test_a_bad_ground_setting_is_reported_with_file_line_and_field(tmp_path, case, old, new, marker, field, words):
    path, text = variant(tmp_path, old, new)
    with pytest.raises(UserError) as exc:
        load_scenario(path)
    e = first(exc.value)
    assert e.field == field, str(exc.value)
    assert words in e.message, str(exc.value)
    assert e.file == str(path) and e.line == line_of(text, marker), str(exc.value)


@pytest.mark.parametrize("effect, words", [
    ("{kind: ceasefire, actor: RED, other: GREEN}", "an effect of kind ceasefire needs 'months'"),
    ("{kind: ceasefire, actor: RED, other: RED, months: 2}", "an effect of kind ceasefire needs two different actors"),
    ("{kind: budget, actor: RED}", "an effect of kind budget needs 'troops'"),
    ("{kind: payment, actor: RED}", "an effect of kind payment needs 'other'"),
])
def test_a_bad_new_effect_is_reported(tmp_path, effect, words):
    event = (f"events:\n  e:\n    name: E\n    probability: 1\n    sentence: E.\n    effects:\n      - {effect}\n"
             "params:\n")
    path, _ = variant(tmp_path, "params:\n", event)
    with pytest.raises(UserError) as exc:
        load_scenario(path)
    assert words in str(exc.value)


def test_the_cli_reports_a_bad_lease_on_one_line(tmp_path, capsys):
    path, text = variant(tmp_path, FORT, FORT + "         lease: {reprieve: 0.1},\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()[0]
    assert err.startswith(f"{path}:{line_of(text, 'lease:')}: bases.fort.lease: lease thresholds need evict < "
                          "reprieve <= renew")


def test_orders_of_the_new_kinds_name_real_things(tmp_path):
    bad = "    policy: {kind: scripted, script: {1: [{kind: consolidate, base: fort, into: nowhere}]}}\n"
    scripted = "    action_points: 3\n    policy: {kind: scripted}\n"
    path, text = variant(tmp_path, scripted, "    action_points: 3\n" + bad)
    with pytest.raises(UserError) as exc:
        load_scenario(path)
    assert "unknown into 'nowhere'" in str(exc.value)
    attack = "    policy: {kind: scripted, script: {1: [{kind: attack, target: GREEN}]}}\n"
    path, _ = variant(tmp_path, scripted, "    action_points: 3\n" + attack)
    with pytest.raises(UserError) as exc:
        load_scenario(path)
    assert "an order of kind attack needs 'region'" in str(exc.value)
