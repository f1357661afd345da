"""Files shipped with the reports: Jinja2 templates, their scripts and the vendored ECharts (package data).

They are found with importlib.resources, so they are there wherever the package is installed. ECharts has one copy
in the repository (vendor/echarts/, with its licence): the reports inline it, and the web server serves the same
file through `model.ECHARTS_JS`, so `model` never reaches into `server/`. Imports nothing heavy.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_HERE = files(__package__)
TEMPLATES = "templates"                       # the Jinja2 loader's folder inside this package
ECHARTS_JS = Path(str(_HERE / "vendor" / "echarts" / "echarts.min.js"))


def template_script(name: str) -> str:
    """The text of a report's script (templates/<name>), inlined into the page at render time."""
    return (_HERE / TEMPLATES / name).read_text(encoding="utf-8")
