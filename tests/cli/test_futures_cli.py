"""`wargame futures` and `wargame forecast`: their output and files, reproducible runs, and bad input as one line
on stderr with exit code 2."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from model import WargameModel, load_scenario, to_export
from model.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    m = WargameModel(load_scenario("baseline-2025"), seed=5, human=("SYR",))
    for _ in range(3):
        m.submit_orders("SYR", [])
        m.step()
    path = tmp_path_factory.mktemp("export") / "game.json"
    path.write_text(json.dumps(to_export(m, "baseline-2025")))
    return path


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
