"""Speed-ups keep every trajectory bit for bit: the whole indicator frame (every column, every month), every event
and every order of three seeds of each shipped scenario hash to what main gave when the turn-speed work was merged
with it (main at 1860359; `benchmarks/frames.py --other /work/main` showed all twelve runs identical). A change
of mechanics that moves them must say so and store new digests with `benchmarks/frames.py --write
tests/data/sim/frames.json` (and `--other OLD_TREE` names the first difference). The digests are exact, so they
are those of this machine's numpy (its SIMD exp and power may round the last bit differently on another CPU,
where the seed-7 pins, compared to 1e-12, still hold)."""
from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STORED = json.loads((ROOT / "tests" / "data" / "sim" / "frames.json").read_text())
_spec = importlib.util.spec_from_file_location("wargame_frames_benchmark", ROOT / "benchmarks" / "frames.py")
assert _spec is not None and _spec.loader is not None
frames = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(frames)


def test_every_shipped_scenario_has_stored_digests():
    assert sorted(STORED["digests"]) == frames.scenarios() and len(STORED["seeds"]) == 3


@pytest.mark.parametrize("scenario", sorted(STORED["digests"]))
@pytest.mark.parametrize("seed", STORED["seeds"])
def test_the_full_trajectory_is_unchanged(scenario, seed):
    run = frames.trajectory(scenario, seed)
    assert len(run["values"]["turn"]) > 1 and run["events"]
    assert frames.digest(run) == STORED["digests"][scenario][str(seed)], (scenario, seed)


def test_the_digest_sees_one_changed_bit():
    run = frames.trajectory("baseline-2025", 1)
    column = "relation.RUS.SYR"
    values = run["values"][column]
    before = frames.digest(run)
    values[-1] = math.nextafter(values[-1], 2.0)       # the next float up: one bit of the mantissa
    assert frames.digest(run) != before
