"""`wargame` is quick to start: building the parser imports nothing heavy, and validating a scenario loads neither
numpy nor the model (the figures themselves are in benchmarks/startup.py)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "pandas", "scipy", "pyarrow", "mesa", "networkx", "SALib", "pydantic", "yaml", "flask",
         "threadpoolctl", "model.sim", "model.experiments.runner")


def loaded_after(code: str) -> list[str]:
    """The HEAVY modules a fresh interpreter has loaded after running `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.splitlines()[-1])


def test_every_commands_help_imports_nothing_heavy():
    code = ("import contextlib, io\n"
            "from model.cli.main import COMMANDS, build_parser\n"
            "for mod in COMMANDS:\n"
            "    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
            "        build_parser().parse_args([mod.NAME, '--help'])\n")
    assert loaded_after(code) == []


def test_validating_a_scenario_loads_neither_numpy_nor_the_model():
    code = ("from model.cli.main import main\n"
            "assert main(['validate', 'tests/data/scenarios/mini.yaml']) == 0\n")
    assert loaded_after(code) == ["pydantic", "yaml"]
