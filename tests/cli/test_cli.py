"""The `wargame` CLI: run writes its four files, validate reports file:line errors, schema docs stay current."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from model.cli.main import main
from model.cli.schema import markdown

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "scenarios" / "mini.yaml"


def test_run_writes_the_four_files(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(MINI), "--turns", "4", "--seed", "7", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["events.jsonl", "final_state.json", "indicators.csv",
                                                     "indicators.parquet"]
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
    assert "turn  4" in text and "final (" in text


def test_run_with_override_changes_the_trajectory(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    main(["run", str(MINI), "--turns", "4", "--seed", "3", "--quiet", "--out", str(a)])
    main(["run", str(MINI), "--turns", "4", "--seed", "3", "--quiet", "--out", str(b),
          "--set", "actors.USA.policy.kind=random"])
    assert not pd.read_csv(a / "indicators.csv").equals(pd.read_csv(b / "indicators.csv"))


@pytest.mark.parametrize("argv, needle", [
    (["run", "no-such-scenario"], "no scenario file or name 'no-such-scenario'"),
    (["run", str(MINI), "--turns", "0"], "--turns must be between 1 and 240"),
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
