"""Defaults of the experiment commands, in a module without numpy, pandas or scipy, so that building the
`wargame` argument parser stays cheap. `model.experiments.sensitivity` re-exports them."""
from __future__ import annotations

DEFAULT_TRAJECTORIES = 10   # Morris trajectories, each (parameters + 1) points
DEFAULT_LEVELS = 4          # Morris grid levels per parameter (even)
DEFAULT_REPLICATIONS = 10   # runs averaged per Morris point
