"""The shipped scenarios and experiment specs, installed as the data package `model.config.shipped`.

pyproject.toml maps this folder to that package, so `importlib.resources` finds the same files in a checkout (an
editable install) and in an installed wheel; `model.config.locations` is the one place that asks.
"""
