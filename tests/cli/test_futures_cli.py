"""`wargame futures` and `wargame forecast`: their output and files, reproducible runs, and bad input as one line
on stderr with exit code 2."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from model import WargameModel, load_scenario, to_export
from model.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def test_futures_prints_the_spread_and_writes_its_files(export, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["futures", str(export), "--turn", "2", "--n", "8", "--months", "3", "--relation", "RUS.SYR",
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "8 futures of 3 months" in text and "(month 2)" in text and "SYR" in text and "AI policy" in text
    assert "relation.RUS.SYR" in text
    summary = json.loads((out / "summary.json").read_text())
    assert summary["n"] == 8 and summary["from"]["turn"] == 2 and summary["ai_seats"] == ["SYR"]
    lines = (out / "fans.csv").read_text().splitlines()
    assert lines[0] == "indicator,month,date,p5,p25,p50,p75,p95,mean"
    assert len(lines) == 1 + len(summary["fans"]) * 4


def test_futures_from_the_export_of_wargame_run(tmp_path, capsys):
    """A headless game's export.json (`wargame run --out`) is a game `wargame futures` plays on from."""
    out = tmp_path / "run"
    assert main(["run", "baseline-2025", "--turns", "3", "--seed", "2", "--quiet", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["futures", str(out / "export.json"), "--n", "4", "--months", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["n"] == 4 and data["from"]["turn"] == 3 and data["ai_seats"] == []


def test_futures_gives_the_same_json_every_time(export, capsys):
    runs = []
    for workers in ("1", "2"):
        assert main(["futures", str(export), "--n", "6", "--months", "2", "--json", "--workers", workers]) == 0
        data = json.loads(capsys.readouterr().out)
        data.pop("seconds")
        runs.append(data)
    assert runs[0] == runs[1]


@pytest.mark.parametrize("argv, words", [
    (["--turn", "9"], "--turn: month 9 has not been played yet"),
    (["--n", "0"], "--n: must be at least 1"),
    (["--months", "100000"], "--months: 100,000 months of one futures request; the limit is"),
    (["--relation", "RUS"], "--relation: expected two different actor ids"),
    (["--workers", "0"], "--workers: must be at least 1"),
])
def test_futures_bad_input_is_one_line_with_exit_2(export, capsys, argv, words):
    assert main(["futures", str(export), *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err, err


def test_futures_of_an_unreadable_export(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"seed": 1}')
    assert main(["futures", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{bad}: turns: missing" in err, err


def test_forecast_prints_probabilities_and_writes_a_report(tmp_path, capsys):
    res = tmp_path / "res.json"
    res.write_text(json.dumps({"tartus_still_russian_2026_11": True, "sdf_damascus_fighting_2026_02": False}))
    page = tmp_path / "f.html"
    assert main(["forecast", "projected-outcomes", "--replications", "6", "--resolutions", str(res),
                 "--report", str(page)]) == 0
    text = capsys.readouterr().out
    assert "tartus_still_russian_2026_11" in text and "p=" in text and "scores over 2 resolved questions" in text
    assert "Reliability diagram" in page.read_text()


def test_forecast_json_has_each_questions_probability_and_interval(capsys):
    assert main(["forecast", "projected-outcomes", "--scenario", "baseline-2025", "--replications", "5",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"id", "date", "p", "low", "high", "n"} <= set(data["questions"][0])
    assert all(q["n"] == 5 for q in data["questions"])


@pytest.mark.parametrize("argv, words", [
    (["--replications", "0"], "--replications: must be at least 1"),
    (["--scenario", "no-such-scenario"], "no scenario file or name"),
    (["--seed", "-1"], "--seed"),
])
def test_forecast_bad_input_is_one_line_with_exit_2(capsys, argv, words):
    assert main(["forecast", "projected-outcomes", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err, err


def test_forecast_bad_question_file_names_its_line(tmp_path, capsys):
    q = tmp_path / "q.yaml"
    q.write_text('questions:\n  - {id: a, text: t, date: "2031-01", condition: {indicator: turn, op: ">", value: 0}}\n')
    assert main(["forecast", str(q), "--scenario", "baseline-2025", "--replications", "2"]) == 2
    err = capsys.readouterr().err
    assert f"{q}:2: questions.0.date" in err and "outside the horizon" in err


# ------------------------------------------------------------------------------------- a seat's orders, two moves
ENGAGE_USA = '[{"kind": "engage", "target": "USA"}]'
TWO_ORDERS = '[{"kind": "engage", "target": "RUS"}, {"kind": "concede", "target": "RUS", "issue": "russian_basing"}]'


def run_json(capsys, *argv: str) -> dict:
    assert main(["futures", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_orders_for_the_coming_month_enter_the_futures(export, capsys):
    plain = run_json(capsys, str(export), "--n", "6", "--months", "2")
    given = run_json(capsys, str(export), "--n", "6", "--months", "2", "--seat", "SYR", "--orders", ENGAGE_USA)
    assert given["seat"] == "SYR" and given["orders"] == [{"kind": "engage", "target": "USA"}]
    assert plain["orders"] is None and given["seeds"]["orders_key"] != 0 == plain["seeds"]["orders_key"]
    assert given["fans"]["relation.SYR.USA"] != plain["fans"]["relation.SYR.USA"]
    # the seat defaults to the game's only human seat; the same orders give the same futures
    again = run_json(capsys, str(export), "--n", "6", "--months", "2", "--orders", ENGAGE_USA)
    given.pop("seconds"), again.pop("seconds")
    assert again == given


def test_orders_from_a_yaml_file_and_the_text_output(export, tmp_path, capsys):
    orders = tmp_path / "orders.yaml"
    orders.write_text("seat: SYR\norders:\n  - {kind: engage, target: RUS}\n  - kind: concede\n    target: RUS\n"
                      "    issue: russian_basing\n")
    assert main(["futures", str(export), "--n", "4", "--months", "2", "--orders", str(orders)]) == 0
    text = capsys.readouterr().out
    assert "SYR gives in 2026-04: engage target=RUS; concede target=RUS issue=russian_basing" in text


def test_listed_orders_are_feasible_orders(export, capsys):
    assert main(["futures", str(export), "--list-orders"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("# SYR's feasible orders for month 4")
    orders = [json.loads(line.split("   #")[0]) for line in lines[1:]]
    assert {"kind": "engage", "target": "USA"} in orders and len(orders) > 20
    pick = json.dumps([orders[-1]])
    assert run_json(capsys, str(export), "--n", "2", "--months", "1", "--orders", pick)["orders"] == [orders[-1]]


@pytest.fixture(scope="module")
def two_seats(tmp_path_factory) -> Path:
    m = WargameModel(load_scenario("baseline-2025"), seed=3, human=("SYR", "USA"))
    for seat in ("SYR", "USA"):
        m.submit_orders(seat, [])
    m.step()
    path = tmp_path_factory.mktemp("export2") / "two.json"
    path.write_text(json.dumps(to_export(m, "baseline-2025")))
    return path


@pytest.mark.parametrize("argv, words", [
    (["--orders", '[{"kind": "deploy", "base": "tartus"}]'],
     "--orders: orders.0: deploy {'kind': 'deploy', 'base': 'tartus'} is not possible for SYR now"),
    (["--orders", '[{"kind": "engage", "target": "USA"}, {"kind": "engage", "target": "USA"}]'],
     "--orders: orders.1: the same order is given twice"),
    (["--orders", '[{"kind": "nope"}]'], "--orders: orders.0: unknown order kind 'nope'"),
    (["--orders", '[{"kind": "engage"]'], "--orders: not valid JSON"),
    (["--orders", '{"kind": "engage"}'], "--orders: expected a list of orders or a mapping with `orders`"),
    (["--orders", "no-such-orders.json"], "--orders: no such file: no-such-orders.json"),
    (["--seat", "XXX", "--orders", "[]"], "--seat: unknown actor 'XXX'"),
    (["--seat", "USA"], "--seat: names the seat of --orders, --compare or --list-orders"),
    (["--orders", "[]", "--compare", "[]", "[]"], "--compare: give either --orders"),
    (["--compare", "[]", '[{"kind": "strike", "target": "USA", "region": "latakia"}]'],
     "--compare B: orders.0: strike"),
    (["--compare", "[]", "[]", "--n", "5000", "--months", "24"], "--n: 240,000 futures x months of one request"),
    (["--turn", "7", "--orders", "[]"], "--turn: month 7 has not been played yet"),
])
def test_bad_orders_are_one_line_naming_the_order(export, capsys, argv, words):
    assert main(["futures", str(export), "--n", "2", "--months", "1", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err, err


def test_a_bad_order_in_a_file_names_the_file_and_line(export, tmp_path, capsys):
    b = tmp_path / "b.yaml"
    b.write_text("- {kind: engage, target: USA}\n- kind: engage\n  target: XXX\n")
    assert main(["futures", str(export), "--n", "2", "--months", "1", "--compare", "[]", str(b)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{b}:3: orders.1.target: unknown target 'XXX'" in err, err
    other = tmp_path / "usa.yaml"
    other.write_text("seat: USA\norders: []\n")
    assert main(["futures", str(export), "--seat", "SYR", "--orders", str(other)]) == 2
    assert f"{other}:1: seat: these are USA's orders, but the seat is SYR" in capsys.readouterr().err


def test_with_two_human_seats_the_seat_must_be_named(two_seats, capsys):
    assert main(["futures", str(two_seats), "--orders", "[]"]) == 2
    err = capsys.readouterr().err
    assert "--seat: name the seat whose orders these are (human seats: SYR, USA" in err, err
    data = run_json(capsys, str(two_seats), "--n", "2", "--months", "1", "--seat", "USA", "--orders", "[]")
    assert data["seat"] == "USA" and data["orders"] == []


def test_compare_two_moves_is_the_python_comparison_on_paired_seeds(export, capsys):
    from model import compare_moves

    cli = run_json(capsys, str(export), "--n", "8", "--months", "2", "--seat", "SYR", "--compare", ENGAGE_USA,
                   TWO_ORDERS, "--workers", "2")
    m = WargameModel.from_export(json.loads(export.read_text()))
    py = json.loads(json.dumps(compare_moves(m, "SYR", json.loads(ENGAGE_USA), json.loads(TWO_ORDERS), 8, 2)))
    for d in (cli, py):
        d.pop("seconds"), d["a"]["summary"].pop("seconds"), d["b"]["summary"].pop("seconds")
    assert cli == py
    rows = {r["name"]: r for r in cli["outcomes"]}
    assert {"difference", "low", "high", "a", "b", "same"} <= set(rows["syria_alignment"])
    r = rows["relation.SYR.USA"]
    assert r["low"] <= r["difference"] <= r["high"] and r["difference"] == pytest.approx(r["a"] - r["b"])
    assert cli["a"]["summary"]["seeds"]["orders_key"] == cli["b"]["summary"]["seeds"]["orders_key"] == 0


def test_compare_of_one_order_set_with_itself_differs_nowhere(export, capsys):
    data = run_json(capsys, str(export), "--n", "6", "--months", "2", "--compare", ENGAGE_USA, ENGAGE_USA)
    assert all(r["same"] and r["difference"] == 0 for r in data["outcomes"])
    assert data["a"]["summary"]["fans"] == data["b"]["summary"]["fans"]


def test_compare_prints_each_difference_with_its_interval_and_writes_files(export, tmp_path, capsys):
    out = tmp_path / "cmp"
    assert main(["futures", str(export), "--n", "10", "--months", "3", "--compare", ENGAGE_USA, TWO_ORDERS,
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "two moves for SYR in 2026-04 (from month 3), 10 paired futures of 3 months each" in text
    assert "A: engage target=USA" in text and "B: engage target=RUS; concede target=RUS" in text
    assert "A - B  95% interval" in text
    result = json.loads((out / "compare.json").read_text())
    shown = [r for r in result["outcomes"] if not r["same"]]
    for r in shown:
        assert f"{r['name']} " in text and f"{r['difference']:+8.3f}  [{r['low']:+.3f}, {r['high']:+.3f}]" in text
    assert f"{len(result['outcomes']) - len(shown)} outcomes the same under both moves" in text
    assert main(["futures", str(export), "--n", "10", "--months", "3", "--compare", ENGAGE_USA, TWO_ORDERS,
                 "--all"]) == 0
    every = capsys.readouterr().out
    assert all(f"{r['name']} " in every for r in result["outcomes"]) and "left out" not in every
    csv_lines = (out / "outcomes.csv").read_text().splitlines()
    assert csv_lines[0].startswith("name,description,binary,a,b,difference,low,high")
    assert len(csv_lines) == 1 + len(result["outcomes"])
