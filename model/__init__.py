"""The Syria 2025 wargame simulation library. Never imports `server` or flask.

    from model import load_scenario, WargameModel
    m = WargameModel(load_scenario("baseline-2025"), seed=7)
    m.run(24)
    m.indicators()   # pandas DataFrame, one row per turn
"""
from model.config.scenario import Scenario, load_scenario
from model.sim.model import GameOver, OrdersPending, WargameModel

__all__ = ["Scenario", "load_scenario", "WargameModel", "OrdersPending", "GameOver"]
