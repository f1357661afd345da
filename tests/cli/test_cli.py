"""The `wargame` CLI: run writes its five files, validate reports file:line errors, schema docs stay current."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from model import WargameModel, load_scenario
from model.cli.main import main
from model.cli.schema import markdown

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "scenarios" / "mini.yaml"


def test_run_writes_its_five_files(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(MINI), "--turns", "4", "--seed", "7", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["events.jsonl", "export.json", "final_state.json",
                                                     "indicators.csv", "indicators.parquet"]
    df = pd.read_parquet(out / "indicators.parquet")
    assert list(df["turn"]) == [0, 1, 2, 3, 4]
    assert {"russia_bases_held", "syria_alignment", "base.tartus.controller", "relation.RUS.SYR",
            "region.hasakah.SDF", "utility.USA", "bloc.RUS", "issue.basing.forecast"} <= set(df.columns)
    csv = pd.read_csv(out / "indicators.csv")
    assert csv.shape == df.shape
    events = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]
    assert events and all({"turn", "date", "kind", "actors", "sentence", "numbers"} <= set(e) for e in events)
    state = json.loads((out / "final_state.json").read_text())
    assert state["turn"] == 4 and len(state["actors"]) == 4
    text = capsys.readouterr().out
    assert "month  4 2026-04" in text and "month  0 2025-12" in text
    assert "month 0 is 2025-12" in text and "final (" in text
    # the export replays to the same game (what `wargame futures`, `fork` and `review` and the game page read)
    export = json.loads((out / "export.json").read_text())
    assert export["scenario"] == "mini" and export["seed"] == 7 and export["turns"] == 4 and export["human"] == []
    assert len(export["orders"]) == 4
    replayed, direct = WargameModel.from_export(export), WargameModel(load_scenario(MINI), seed=7, turns=4)
    direct.run()
    assert replayed.turn == 4 and replayed.state() == direct.state() == state


def test_run_with_override_changes_the_trajectory(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    main(["run", str(MINI), "--turns", "4", "--seed", "3", "--quiet", "--out", str(a)])
    main(["run", str(MINI), "--turns", "4", "--seed", "3", "--quiet", "--out", str(b),
          "--set", "actors.USA.policy.kind=random"])
    assert not pd.read_csv(a / "indicators.csv").equals(pd.read_csv(b / "indicators.csv"))


@pytest.mark.parametrize("argv, needle", [
    (["run", "no-such-scenario"], "no scenario file or name 'no-such-scenario'"),
    (["run", str(MINI), "--turns", "0"], "--turns: must be between 1 and 240"),
    (["run", str(MINI), "--set", "params.drift"], "expected path=value"),
    (["run", str(MINI), "--set", "actors.XXX.name=a"], "'XXX' does not exist in actors"),
])
def test_run_errors_are_one_line_exit_2(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_validate_reports_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    text = MINI.read_text().replace("garrison: 0.6", "garrison: 1.7")
    bad.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "garrison: 1.7" in t)
    assert main(["validate", str(MINI), str(bad)]) == 2
    captured = capsys.readouterr()
    assert f"{MINI}: ok" in captured.out
    assert f"{bad}:{line}: bases.tartus.garrison:" in captured.err


def test_validate_checks_question_files_against_their_scenario(tmp_path, capsys):
    """A question file is checked as `forecast` reads it (not as a scenario with 'did you mean sanctions?')."""
    shipped = ROOT / "configs" / "questions" / "projected-outcomes.yaml"
    bad = tmp_path / "q.yaml"
    bad.write_text("name: q\nscenario: baseline-2025\nquestions:\n"
                   "  - {id: a, text: t, date: '2026-01', condition: {indicator: tunr, op: '>', value: 0}}\n")
    nameless = tmp_path / "nameless.yaml"
    nameless.write_text("name: q\nquestions:\n  - {id: a, text: t, date: '2026-01', "
                        "condition: {indicator: turn, op: '>', value: 0}}\n")
    assert main(["validate", str(shipped), str(bad), str(nameless)]) == 2
    out, err = capsys.readouterr()
    assert f"{shipped}: ok" in out
    assert f"{bad}:4: questions.0.condition.indicator: unknown indicator 'tunr'; did you mean 'turn'?" in err
    assert f"{nameless}: scenario: a question file is checked against the scenario it names" in err
    assert "sanctions" not in err and "2 of 3 file(s) have errors" in err


def test_validate_takes_shipped_names_of_every_kind(capsys):
    """Names resolve as the commands that use them do: a scenario first, then a spec, then a question file."""
    assert main(["validate", "baseline-2025", "mechanism-sensitivity"]) == 0
    out = capsys.readouterr().out
    assert "baseline-2025: ok (scenario " in out and "mechanism-sensitivity: ok (experiment spec " in out
    assert main(["validate", "no-such-config"]) == 2
    err = capsys.readouterr().err
    assert "no scenario, experiment spec or question file named 'no-such-config'; known scenarios: " in err
    assert "known question files: projected-outcomes" in err


def test_schema_doc_is_current():
    """docs/configs.md is generated; regenerate with `wargame schema --out docs/configs.md`."""
    assert (ROOT / "docs" / "configs.md").read_text() == markdown() + "\n"


def test_every_subcommand_has_help(capsys):
    from model.cli.main import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert {"run", "validate", "schema", "alliances", "bargain"} <= set(sub.choices)
    for name in sub.choices:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert "usage: wargame " + name in capsys.readouterr().out



def exit_code(argv: list[str]) -> int:
    """What the shell sees: main's return value, or argparse's exit."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code)


@pytest.mark.parametrize("argv, needle", [
    (["run", "baseline-2025", "--seed", "-1"], "error: --seed: must be between 0 and 9223372036854775807"),
    (["run", str(MINI), "--seed", str(2**63)], f"--seed: must be between 0 and {2**63 - 1} (2**63 - 1), got {2**63}"),
    (["run", str(MINI), "--seed", "abc"], "error: wargame run: argument --seed: invalid int value: 'abc'"),
    (["run"], "error: wargame run: the following arguments are required: SCENARIO"),
    (["batch", str(ROOT / "tests" / "data" / "experiments" / "tiny.yaml"), "--workers", "many"],
     "error: wargame batch: argument --workers: invalid int value: 'many'"),
    (["batch", str(ROOT / "tests" / "data" / "experiments" / "tiny.yaml"), "--resume", "--force"],
     "--force: --resume continues the batch in the folder and --force starts it afresh; give one of them"),
])
def test_bad_values_are_one_line_and_exit_2(argv, needle, capsys):
    assert exit_code(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_seeds_have_the_web_apis_range(tmp_path):
    """A run the CLI accepts can be replayed through the API and import, and one they refuse is refused here too."""
    from pydantic import ValidationError

    from model import MAX_SEED
    from server.schemas import CreateGameIn

    assert MAX_SEED == 2**63 - 1
    for seed in (0, MAX_SEED):
        assert CreateGameIn.model_validate({"scenario": "mini", "seed": seed}).seed == seed
        assert exit_code(["run", str(MINI), "--turns", "1", "--seed", str(seed), "--quiet"]) == 0
    for seed in (-1, MAX_SEED + 1):
        with pytest.raises(ValidationError):
            CreateGameIn.model_validate({"scenario": "mini", "seed": seed})
        assert exit_code(["run", str(MINI), "--turns", "1", "--seed", str(seed), "--quiet"]) == 2


def test_run_out_refuses_a_folder_with_other_files_unless_forced(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()                                                    # an empty folder is fine
    assert main(["run", str(MINI), "--turns", "1", "--quiet", "--out", str(out)]) == 0
    before = (out / "indicators.csv").read_text()
    capsys.readouterr()
    assert main(["run", str(MINI), "--turns", "2", "--quiet", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: --out: {out} is not empty (it holds events.jsonl, export.json, "
                          "final_state.json and 2 more)") and "--force" in err and len(err.splitlines()) == 1
    assert (out / "indicators.csv").read_text() == before           # nothing was written over
    assert main(["run", str(MINI), "--turns", "2", "--quiet", "--out", str(out), "--force"]) == 0
    assert len(pd.read_csv(out / "indicators.csv")) == 3
    (tmp_path / "file").write_text("x")
    assert main(["run", str(MINI), "--turns", "1", "--quiet", "--out", str(tmp_path / "file"), "--force"]) == 2
    assert "exists and is not a folder" in capsys.readouterr().err


def test_a_failed_forced_write_keeps_the_old_results_whole(tmp_path, capsys):
    """--force over a folder whose write fails (a folder where a result file goes) leaves the old set as it was,
    not this run's indicators beside the old run's state and export; nothing is left behind beside it."""
    out = tmp_path / "out"
    assert main(["run", str(MINI), "--turns", "1", "--quiet", "--out", str(out), "--seed", "1"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "events.jsonl").unlink()
    (out / "events.jsonl").mkdir()
    capsys.readouterr()
    assert main(["run", str(MINI), "--turns", "2", "--quiet", "--out", str(out), "--seed", "99", "--force"]) == 2
    assert "cannot write results" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == \
        {k: v for k, v in before.items() if k != "events.jsonl"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_run_out_under_a_file_is_refused_before_the_game_is_played(tmp_path, capsys, monkeypatch):
    (tmp_path / "afile").write_text("x")
    monkeypatch.setattr(WargameModel, "run", lambda *a, **k: pytest.fail("played before the --out check"))
    assert main(["run", str(MINI), "--quiet", "--out", str(tmp_path / "afile" / "sub")]) == 2
    assert capsys.readouterr().err == (f"error: --out: {tmp_path / 'afile'} is a file, so the folder "
                                       f"{tmp_path / 'afile' / 'sub'} cannot be made there\n")


def test_batch_out_refuses_other_results_resumes_its_own_and_force_starts_afresh(tmp_path, capsys):
    tiny = ROOT / "tests" / "data" / "experiments" / "tiny.yaml"
    base = ["batch", str(tiny), "--workers", "1", "--no-progress", "--replications", "1"]
    other = tmp_path / "other"
    assert main(["run", str(MINI), "--turns", "1", "--quiet", "--out", str(other)]) == 0
    capsys.readouterr()
    assert main([*base, "--out", str(other)]) == 2                   # a run's results: refused
    err = capsys.readouterr().err
    assert f"--out: {other} is not empty" in err and len(err.strip().splitlines()) == 1
    assert main([*base, "--out", str(other), "--resume"]) == 2       # and there is no batch in it to resume
    assert f"{other} holds no batch to resume" in capsys.readouterr().err
    assert not (other / "runs.parquet").exists()

    out = tmp_path / "batch"
    assert main([*base, "--out", str(out)]) == 0
    first = pd.read_parquet(out / "runs.parquet")
    capsys.readouterr()
    assert main([*base, "--out", str(out)]) == 2                     # its own folder, without --resume
    assert "add --resume to continue the batch in it, or add --force" in capsys.readouterr().err
    assert main([*base[:-1], "2", "--out", str(out), "--resume"]) == 0   # --resume on its own folder still works
    assert "4 runs played" in capsys.readouterr().err                # only the new replication of the 4 cells
    (out / "notes.txt").write_text("mine")
    assert main([*base, "--out", str(out), "--force"]) == 0         # afresh: the old chunks are gone
    assert "4 runs played" in capsys.readouterr().err
    pd.testing.assert_frame_equal(pd.read_parquet(out / "runs.parquet"), first)
    assert (out / "notes.txt").read_text() == "mine"                # files that are not the batch's stay


def test_run_names_the_winners_of_the_victory_conditions(tmp_path, capsys):
    path = tmp_path / "v.yaml"
    path.write_text(MINI.read_text() + "victory:\n"
                    "  early: {actor: RUS, text: month 2, when: any_month, condition: {indicator: turn, op: '>=', "
                    "value: 2}}\n"
                    "  never: {actor: SDF, text: a century, condition: {indicator: turn, op: '>', value: 100}}\n")
    main(["run", str(path), "--turns", "3", "--seed", "3"])
    assert "victory: Russia met its victory conditions" in capsys.readouterr().out
    main(["run", str(path), "--turns", "1", "--seed", "3"])
    assert "victory: no one met a victory condition" in capsys.readouterr().out
    main(["run", str(MINI), "--turns", "1", "--seed", "3"])
    assert "victory:" not in capsys.readouterr().out          # a scenario without conditions names no one


def test_ctrl_c_while_the_parser_is_built_is_an_interruption_not_a_traceback(monkeypatch, capsys):
    """A Ctrl-C in the first ~0.4 s of a command (the parser of every subcommand being built) printed a
    KeyboardInterrupt traceback; now it is the same one line and exit code 130 as a Ctrl-C later on."""
    from model.cli import main as cli_main

    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_main, "build_parser", interrupted)
    assert cli_main.main(["validate", "x.yaml"]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "interrupted" and "Traceback" not in err
