"""Speed-ups keep every trajectory: the whole indicator frame (every column, every month), every event and every
order of three seeds of each shipped scenario, against what main gave (`benchmarks/frames.py --write
tests/data/sim/frames.json` stores them; `--other OLD_TREE` compares two checkouts bit for bit and names the first
difference). A change of mechanics that moves them must say so and store them again.

On the machine and numpy that stored them (the file's `environment`: numpy's version and the SIMD targets it
dispatches to) the check is exact: one changed bit anywhere fails. Elsewhere numpy's exp and power may round the
last bit differently (AVX2 against AVX-512 gave different digests for 11 of the 12 runs), so there everything but
the floats is compared exactly (integers, strings, events' sentences, orders) and the floats by per-column sums
within 1e-9 relative (the SIMD paths differ by ~2e-16)."""
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
    if frames.environment() == STORED["environment"]:
        assert frames.digest(run) == STORED["digests"][scenario][str(seed)], (scenario, seed)
    assert frames.close(STORED["summaries"][f"{scenario} {seed}"], frames.summary(run)) is None, (scenario, seed)


def test_the_summary_sees_a_small_change_and_a_changed_order():
    run = frames.trajectory("baseline-2025", 1)
    stored = frames.summary(run)
    column = "relation.RUS.SYR"
    values = run["values"][column]
    saved = values[-1]
    values[-1] = saved * (1 + 1e-7)
    assert column in frames.close(stored, frames.summary(run))
    values[-1] = math.nextafter(saved, 2.0)          # one bit: within the tolerance another CPU needs
    assert frames.close(stored, frames.summary(run)) is None
    values[-1] = saved
    turn = run["orders"][0]["orders"]
    actor = next(iter(turn))
    turn[actor] = turn[actor][1:]                     # one order fewer
    assert "non-float" in frames.close(stored, frames.summary(run))


def test_the_digest_sees_one_changed_bit():
    run = frames.trajectory("baseline-2025", 1)
    column = "relation.RUS.SYR"
    values = run["values"][column]
    before = frames.digest(run)
    values[-1] = math.nextafter(values[-1], 2.0)       # the next float up: one bit of the mantissa
    assert frames.digest(run) != before
