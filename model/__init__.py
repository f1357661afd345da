"""The Syria 2025 wargame simulation library. Never imports `server` or flask."""
