"""Hostile or careless input to the commands that read JSON exports, order lists and the theory engines' files, and
the files a command writes over: each is one line on stderr with exit code 2, never a traceback, and a user's
existing file or folder is kept unless --force says otherwise."""
from __future__ import annotations

import json

import pytest

from model.cli.main import main


def one_error(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for w in words:
        assert w in err, err
    return err


@pytest.mark.parametrize("command", [["fork", "--out", "f.json"], ["futures"], ["review", "--seat", "SYR"]])
@pytest.mark.parametrize("content, words", [
    (b"\xff\xfe{}", ("not UTF-8 text", "byte 0xff")),
    (b"[" * 100_000, ("nested too deeply",)),
    (b'{"seed": ' + b"9" * 5000 + b"}", ("more than 4,300 digits",)),
])
def test_an_export_that_json_cannot_read_is_one_error(tmp_path, capsys, monkeypatch, command, content, words):
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    assert main([command[0], str(bad), *command[1:]]) == 2
    one_error(capsys, "bad.json", *words)
    assert not (tmp_path / "f.json").exists()


@pytest.mark.parametrize("orders, words", [
    ("[" * 30_000 + "]" * 30_000, "nested too deeply"),
    ('[{"kind": "engage", "target": "USA", "x": ' + "9" * 5000 + "}]", "more than 4,300 digits"),
])
def test_inline_orders_that_json_cannot_read_name_the_option(export, capsys, orders, words):
    assert main(["futures", str(export), "--seat", "SYR", "--n", "2", "--months", "1", "--orders", orders]) == 2
    one_error(capsys, "--orders:", words, "give a JSON list of orders or a file")


@pytest.mark.parametrize("command, name, text", [
    ("bargain", "deep.yaml", "actors: " + "[" * 5000),
    ("alliances", "deep.yaml", "[" * 5000),
    ("alliances", "deep.yaml", "sizes: " + "{a: " * 3000 + "1" + "}" * 3000),
    ("alliances", "bomb.yaml", "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
     + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
               for p, c in zip("abcdefg", "bcdefgh", strict=True))),
])
def test_the_theory_commands_hold_their_yaml_to_the_configs_limits(tmp_path, capsys, command, name, text):
    path = tmp_path / name
    path.write_text(text)
    assert main([command, str(path)]) == 2
    one_error(capsys, f"{name}:")


def test_bargain_names_a_file_it_cannot_read(capsys):
    assert main(["bargain", "/proc/self/mem"]) == 2        # a regular file whose read() fails (EIO)
    one_error(capsys, "/proc/self/mem: cannot read the file")


@pytest.mark.parametrize("argv, words", [
    (["--blocs", "99", "--seed", "-1", "--samples", "10"], "--seed: must be between 0 and"),
    (["--samples", "999999999999"], "--samples: must be between 1 and 1,000,000"),
    (["--samples", "0"], "--samples: must be between 1 and"),
])
def test_alliances_checks_its_seed_and_sample_count_before_any_work(capsys, argv, words):
    from model.config.locations import shipped_dir

    assert main(["alliances", str(shipped_dir("scenarios") / "baseline-2025.yaml"), *argv]) == 2
    one_error(capsys, words)


def test_review_and_forecast_keep_an_existing_file_unless_forced(export, tmp_path, capsys):
    review = tmp_path / "review.json"
    review.write_text('{"mine": 1}')
    assert main(["review", str(export), "--seat", "SYR", "--n", "2", "--out", str(review)]) == 2
    one_error(capsys, "--out:", "exists", "--force")
    assert review.read_text() == '{"mine": 1}'
    assert main(["review", str(export), "--seat", "SYR", "--n", "2", "--out", str(review), "--force"]) == 0
    assert json.loads(review.read_text())["seat"] == "SYR"
    capsys.readouterr()
    page = tmp_path / "forecast.html"
    page.write_text("my page")
    assert main(["forecast", "projected-outcomes", "--replications", "2", "--report", str(page)]) == 2
    one_error(capsys, "--report:", "exists", "--force")
    assert page.read_text() == "my page"
    assert main(["forecast", "projected-outcomes", "--replications", "2", "--report", str(page), "--force"]) == 0
    assert page.read_text().lstrip().lower().startswith("<!doctype html")


def test_sensitivity_keeps_a_folder_that_is_not_empty_unless_forced(tmp_path, capsys):
    out = tmp_path / "sens"
    out.mkdir()
    (out / "sensitivity.csv").write_text("my notes")
    argv = ["sensitivity", "mechanism-sensitivity", "--trajectories", "2", "--replications", "1", "--turns", "2",
            "--workers", "1", "--no-progress", "--out", str(out)]
    assert main(argv) == 2
    one_error(capsys, "--out:", "is not empty", "--force")
    assert (out / "sensitivity.csv").read_text() == "my notes"
    assert main([*argv, "--force"]) == 0
    assert (out / "sensitivity.csv").read_text().startswith("outcome,parameter,mu_star")
    first = (out / "runs.parquet").read_bytes()
    assert main([*argv, "--force"]) == 0                 # a screening forced over another: the same, not mixed
    assert (out / "runs.parquet").read_bytes() == first
