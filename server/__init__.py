"""Flask web server for the wargame (application factory)."""
