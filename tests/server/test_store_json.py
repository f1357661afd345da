"""The store writes JSON with orjson (server.store.dumps): what it writes parses back to exactly what json.dumps wrote
before, for a played game's states, records and orders and for the odd values the old default= turned into text."""
from __future__ import annotations

import dataclasses
import datetime
import json
from pathlib import Path

import numpy as np

from model import WargameModel, load_scenario
from server.store import dumps

MINI = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "mini.yaml"


def old_dumps(value: object) -> str:
    """The store's JSON before orjson."""
    return json.dumps(value, separators=(",", ":"), default=lambda v: v.item() if hasattr(v, "item") else str(v))


def test_a_played_games_states_records_and_orders_parse_back_as_before():
    m = WargameModel(load_scenario(MINI), seed=3)
    seen = 0
    while True:
        for value in (m.state(), m.last_record, m.orders_log):
            assert json.loads(dumps(value)) == json.loads(old_dumps(value))
            seen += 1
        if m.done:
            break
        m.step()
    assert seen == 3 * (m.max_turns + 1)


@dataclasses.dataclass
class Point:
    x: int


def test_numpy_scalars_dates_dataclasses_and_non_string_keys_come_out_as_before():
    value = {"f": np.float64(0.1), "i": np.int64(7), "b": np.bool_(True), "tiny": 1.5e-05, 3: "three",
             "day": datetime.date(2025, 12, 1), "p": Point(2), "name": "Türkiye", "t": (1, 2)}
    assert json.loads(dumps(value)) == json.loads(old_dumps(value))
    assert json.loads(dumps(value))["day"] == "2025-12-01" and json.loads(dumps(value))["p"] == "Point(x=2)"
