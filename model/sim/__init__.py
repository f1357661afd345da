"""The Mesa model: the turn loop (`model.py`), the actors as agents, the world arrays and one module per
mechanism."""
