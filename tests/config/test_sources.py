"""Every `facts §N ...` citation in the shipped configs leads to a section and a row of docs/sources.md."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "docs" / "sources.md"
CONFIGS = sorted((ROOT / "configs").rglob("*.yaml"))
CITATION = re.compile(r"facts §(\d[a-d]?)\s+([^;,()\n]*)")


def sections() -> dict[str, list[str]]:
    """Section number ('1', '5a', ...) -> the first cells of its table rows."""
    out: dict[str, list[str]] = {}
    current = None
    for line in SOURCES.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"#{2,3} (\d[a-d]?)\. ", line)
        if heading:
            current = heading.group(1)
            out.setdefault(current, [])
            if len(current) == 2:               # 5a belongs to 5 as well
                out.setdefault(current[0], [])
        elif current and line.startswith("| ") and not line.startswith("|---"):
            cell = line.split("|")[1].strip()
            out[current].append(cell)
            if len(current) == 2:
                out[current[0]].append(cell)
    return out


def citations() -> list[tuple[str, str, str]]:
    found = []
    for path in CONFIGS:
        for m in CITATION.finditer(path.read_text(encoding="utf-8")):
            found.append((path.name, m.group(1), m.group(2).strip()))
    return found


def test_the_configs_cite_the_sheet_at_all():
    assert len(citations()) > 100


@pytest.mark.parametrize("name, section, rest", citations(), ids=lambda x: str(x)[:40])
def test_citation_points_at_a_row(name, section, rest):
    table = sections()
    assert section in table, f"{name}: facts §{section} is not a section of docs/sources.md"
    rows = table[section]
    if section == "1" and rest.endswith("row"):                       # "SYR row"
        actor = rest.split()[0]
        assert any(cell == actor or cell.startswith(actor + "/") for cell in rows), f"{name}: no §1 row {actor}"
    elif section in ("2", "3") and " row" in rest:                    # "Qamishli row", "Deir ez-Zor row"
        label = rest.split(" row")[0].strip().lower()
        assert any(label.split()[0] in cell.lower() for cell in rows), f"{name}: no §{section} row {label!r}"
    elif section == "4":                                              # "2025-11-10", "2025-03-21 -> 04-03"
        date = re.match(r"\d{4}-\d{2}(-\d{2}(/\d{2})?)?", rest)
        assert date, f"{name}: facts §4 needs a date, got {rest!r}"
        assert any(cell.startswith(date.group(0)) for cell in rows), f"{name}: no §4 row dated {date.group(0)}"
