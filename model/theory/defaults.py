"""The theory engines' documented defaults, kept apart from the numpy code so that `wargame --help` can show
them without importing numpy. `alliances` and `bargaining` re-export them."""
from __future__ import annotations

DEFAULT_SAMPLES = 20_000  # landscape theory: seeded starting configurations when sampling (above MAX_EXACT actors)
MAX_SAMPLES = 1_000_000  # the most --samples may ask for: samples x actors are held at once (50 actors: ~0.4 GB)
DEFAULT_SEED = 0          # landscape theory: seed of the sampled starting configurations
DEFAULT_ROUNDS = 5        # expected-utility bargaining: rounds after the input state
