"""`wargame fork` and `wargame review`: the same fork and review as Python's and the web page's, reproducible, and
bad input as one line on stderr with exit code 2."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from model import WargameModel, after_action_review, load_scenario, to_export
from model.cli.main import main


@pytest.fixture(scope="module")
def computer_game(tmp_path_factory) -> Path:
    m = WargameModel(load_scenario("baseline-2025"), seed=9, turns=12).run(4)
    path = tmp_path_factory.mktemp("fork") / "game.json"
    path.write_text(json.dumps(to_export(m, "baseline-2025")))
    return path


@pytest.fixture(scope="module")
def seat_game(tmp_path_factory) -> Path:
    m = WargameModel(load_scenario("baseline-2025"), seed=5, human=("SYR",))
    for t in range(3):
        m.submit_orders("SYR", [{"kind": "engage", "target": "USA"}] if t == 1 else [])
        m.step()
    path = tmp_path_factory.mktemp("review") / "game.json"
    path.write_text(json.dumps(to_export(m, "baseline-2025")))
    return path


def test_a_fork_is_written_as_an_export_that_replays_as_pythons_fork(computer_game, tmp_path, capsys):
    out = tmp_path / "fork.json"
    assert main(["fork", str(computer_game), "--turn", "2", "--out", str(out)]) == 0
    assert f"at month 2 (2026-02), stream 0: {out}" in capsys.readouterr().out
    exported = json.loads(out.read_text())
    assert exported["forks"] == [{"turn": 2, "stream": 0}] and len(exported["orders"]) == 2
    assert exported["scenario"] == "baseline-2025"
    fork = WargameModel.from_export(exported)
    parent = WargameModel.from_export(json.loads(computer_game.read_text()))
    assert fork.turn == 2 and fork.indicators().equals(parent.indicators().iloc[:3])
    python = WargameModel.from_export(json.loads(computer_game.read_text()), turn=2).fork(stream=0)
    assert fork.run(3).indicators().equals(python.run(3).indicators())
    # another stream goes another way; the parent's own months after 2 are not the fork's
    other = tmp_path / "fork1.json"
    assert main(["fork", str(computer_game), "--turn", "2", "--stream", "1", "--out", str(other)]) == 0
    second = WargameModel.from_export(json.loads(other.read_text())).run(3)
    assert not second.indicators().equals(fork.indicators())
    assert not fork.indicators().iloc[3:5].equals(parent.indicators().iloc[3:5])


@pytest.mark.parametrize("argv, words", [
    (["--turn", "7"], "--turn: month 7 has not been played yet"),
    (["--stream", "-1"], "--stream: a fork's stream is a whole number >= 0"),
])
def test_fork_bad_input_is_one_line_with_exit_2(computer_game, tmp_path, capsys, argv, words):
    assert main(["fork", str(computer_game), "--out", str(tmp_path / "f.json"), *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err, err


def test_fork_does_not_write_over_a_file_unless_forced(computer_game, tmp_path, capsys):
    out = tmp_path / "f.json"
    out.write_text("keep")
    assert main(["fork", str(computer_game), "--out", str(out)]) == 2
    assert "exists; choose a new file, or add --force" in capsys.readouterr().err and out.read_text() == "keep"
    assert main(["fork", str(computer_game), "--out", str(out), "--force"]) == 0
    assert json.loads(out.read_text())["forks"] == [{"turn": 4, "stream": 0}]


def test_the_review_is_pythons_review(seat_game, tmp_path, capsys):
    out = tmp_path / "review.json"
    assert main(["review", str(seat_game), "--seat", "SYR", "--n", "3", "--json", "--out", str(out)]) == 0
    cli = json.loads(capsys.readouterr().out)
    python = after_action_review(WargameModel.from_export(json.loads(seat_game.read_text())), "SYR", n=3)
    assert cli == json.loads(json.dumps(python)) == json.loads(out.read_text())
    assert [r["turn"] for r in cli["pivotal"]] and cli["seat"] == "SYR" and len(cli["utility"]) == 4


def test_the_review_in_words(seat_game, capsys):
    assert main(["review", str(seat_game), "--seat", "SYR", "--n", "3", "--turn", "2", "--workers", "2"]) == 0
    text = capsys.readouterr().out
    assert "after-action review of SYR: months 1 to 2 (2026-01 to 2026-02), 3 futures" in text
    assert "percentile" in text and "month 2 (2026-02): " in text and "turning points" in text
    assert main(["review", str(seat_game), "--seat", "SYR", "--n", "2", "--no-pivotal"]) == 0
    assert "mattered most" not in capsys.readouterr().out


@pytest.mark.parametrize("argv, words", [
    (["--seat", "USA"], "--seat: USA is not a human seat in this game (human seats: SYR)"),
    (["--seat", "NOPE"], "--seat: unknown actor 'NOPE'"),
    (["--seat", "SYR", "--turn", "9"], "--turn: month 9 has not been played yet"),
    (["--seat", "SYR", "--turn", "0"], "--turn: the game has not played a month yet"),
    (["--seat", "SYR", "--n", "0"], "--n: must be at least 1"),
    (["--seat", "SYR", "--workers", "0"], "--workers: must be at least 1"),
])
def test_review_bad_input_is_one_line_with_exit_2(seat_game, capsys, argv, words):
    assert main(["review", str(seat_game), *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err, err
