"""The shipped scenarios: they load, the baseline holds what the issue asks for, and each variant changes only
what its hypothesis is about. The baseline must cite a source or mark an assumption on every numeric line.
"""
from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest
import yaml

from model import WargameModel, load_scenario
from model.config.scenario import SCENARIO_DIR

ROOT = Path(__file__).resolve().parents[2]
GEOJSON = ROOT / "server" / "static" / "geo" / "syria-governorates.geojson"
BASELINE = SCENARIO_DIR / "baseline-2025.yaml"
ACTORS = {"RUS", "SYR", "USA", "SDF", "TUR", "ISR", "IRN", "GBR", "EU", "CAN", "AUS", "GULF", "ISIS"}
WESTERN = {"USA", "GBR", "EU", "CAN", "AUS"}
REGIONS = {"damascus", "rif_dimashq", "aleppo", "idlib", "hama", "homs", "latakia", "tartus", "daraa", "suwayda",
           "quneitra", "deir_ez_zor", "raqqa", "hasakah"}
# variant -> the only paths (top level, or top level + id for actors/issues) where it may differ from the baseline
VARIANTS = {
    "us-engagement": {"name", "description", "actors.USA"},
    "syria-west-pivot": {"name", "description", "actors.SYR", "issues.russian_basing"},
    "kurdish-conflict": {"name", "description", "actors.USA", "issues.sdf_integration"},
}
# bases whose point lies outside its governorate's polygon, and why
OUTSIDE_REGION = {"mount_hermon": "SY-X01~"}  # the summit sits in the GeoJSON's UNDOF buffer-zone polygon


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(BASELINE)


@pytest.fixture(scope="module")
def geo() -> dict[str, list]:
    """ISO code -> list of outer rings (lon, lat) of the governorate polygons."""
    data = json.loads(GEOJSON.read_text())
    out: dict[str, list] = {}
    for f in data["features"]:
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        out.setdefault(f["properties"]["ISO"], []).extend(p[0] for p in polys)
    return out


def inside(lon: float, lat: float, ring: list) -> bool:
    """Ray casting: is the point inside the polygon ring?"""
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            hit = not hit
    return hit


def iso_at(geo: dict[str, list], lat: float, lon: float) -> str | None:
    return next((iso for iso, rings in geo.items() if any(inside(lon, lat, r) for r in rings)), None)


# ------------------------------------------------------------------------------------------------ loading
@pytest.mark.parametrize("path", sorted(SCENARIO_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_scenario_file_loads(path: Path):
    sc = load_scenario(path)
    if path.stem in ("baseline-2025", *VARIANTS):
        assert sc.turns == 24 and sc.start == "2025-12"
    for rid, r in sc.regions.items():
        assert sum(r.control.values()) == pytest.approx(1.0, abs=1e-9), rid


def test_the_four_scenarios_are_shipped():
    assert {p.stem for p in SCENARIO_DIR.glob("*.yaml")} >= {"baseline-2025", *VARIANTS}


# ------------------------------------------------------------------------------------------------ baseline
def test_baseline_actors(baseline):
    assert set(baseline.actors) == ACTORS
    assert {a for a, x in baseline.actors.items() if x.western} == WESTERN
    colors = [x.color.lower() for x in baseline.actors.values()]
    assert len(set(colors)) == len(colors), "actor colours must be distinct"
    for aid, a in baseline.actors.items():
        assert a.goals, f"{aid} has no goals"
        assert a.policy.kind in ("utility", "rule"), aid
    for aid in ("EU", "CAN", "AUS"):  # they would never seize or strike
        assert not {"seize", "strike"} & set(baseline.actors[aid].actions or ["seize"]), aid


def test_baseline_regions_match_the_geojson(baseline, geo):
    assert set(baseline.regions) == REGIONS
    isos = [r.iso for r in baseline.regions.values()]
    assert len(set(isos)) == 14
    assert set(isos) <= set(geo), f"unknown ISO codes: {set(isos) - set(geo)}"
    for rid, r in baseline.regions.items():
        assert r.population > 0
        assert sum(r.control.values()) == pytest.approx(1.0, abs=1e-9), rid


def test_baseline_bases_lie_inside_syria_and_their_governorate(baseline, geo):
    assert len(baseline.bases) >= 12
    assert {"khmeimim", "tartus", "qamishli", "al_tanf"} <= set(baseline.bases)
    for bid, b in baseline.bases.items():
        iso = iso_at(geo, b.lat, b.lon)
        assert iso is not None, f"{bid} ({b.lat}, {b.lon}) lies outside Syria"
        expected = OUTSIDE_REGION.get(bid, baseline.regions[b.region].iso)
        assert iso == expected, f"{bid} lies in {iso}, but its region {b.region} is {baseline.regions[b.region].iso}"
    assert baseline.bases["tartus"].controller == "RUS" and baseline.bases["khmeimim"].controller == "RUS"


def test_baseline_issues_and_events(baseline):
    with_thresholds = [k for k, i in baseline.issues.items() if i.thresholds]
    assert len(with_thresholds) >= 3
    assert {"russian_basing", "sdf_integration", "assad_extradition", "sanctions_relief"} <= set(baseline.issues)
    # Russia's bases stand on Damascus's consent, each on its own lease, fed by the basing talks (issue 10): no
    # single forecast threshold evicts both at once any more
    assert not baseline.issues["russian_basing"].thresholds
    for b in ("khmeimim", "tartus"):
        base = baseline.bases[b]
        assert base.talks == "russian_basing" and not base.held_by_force and base.troops > 0
        assert base.lease.notice_months == 12 and base.lease.evict < base.lease.reduce < base.lease.renew
        assert any(e.kind == "relation" and e.delta < 0 for e in base.lease.on_notice)
    assert baseline.bases["mount_hermon"].held_by_force and baseline.bases["conoco"].held_by_force
    assert baseline.actors["RUS"].budget.drains and baseline.actors["USA"].budget.troops > 0
    assert len(baseline.events) >= 6
    assert {"isis_attack", "washington_swing", "israeli_strike", "coastal_unrest", "turkish_operation",
            "reconstruction_deal"} <= set(baseline.events)
    for eid, e in baseline.events.items():
        assert 0 < e.probability <= 1 and e.effects and e.sentence, eid


def test_baseline_relations_cover_the_pairs_that_matter(baseline):
    rel = {frozenset(k.split("-")): v for k, v in baseline.relations.items()}
    assert rel[frozenset({"TUR", "SDF"})] < -0.3
    assert rel[frozenset({"ISR", "SYR"})] < 0 and rel[frozenset({"IRN", "SYR"})] < 0
    assert 0 <= rel[frozenset({"RUS", "SYR"})] < 0.5 < rel[frozenset({"SYR", "TUR"})]
    assert all(v <= -0.7 for k, v in rel.items() if "ISIS" in k)
    assert "AUS-SYR" in baseline.sanctions and "USA-RUS" in baseline.sanctions


def test_baseline_runs_24_turns_without_warnings(baseline):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = WargameModel(baseline, seed=11)
        m.run()
        df = m.indicators()
    assert [str(w.message) for w in caught] == []
    assert len(df) == 25 and list(df["turn"]) == list(range(25))
    assert df["date"].iloc[0] == "2025-12" and df["date"].iloc[1] == "2026-01" and df["date"].iloc[-1] == "2027-12"


# ------------------------------------------------------------------------------------------------ variants
def differing_paths(a, b, path: tuple = ()) -> set[tuple]:
    """Leaf paths where two plain-data trees differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        return {p for k in set(a) | set(b) for p in differing_paths(a.get(k), b.get(k), path + (k,))}
    return set() if a == b else {path}


def area(path: tuple) -> str:
    """The part of the scenario a path belongs to: a top-level key, or actors.<id> / issues.<id>."""
    return ".".join(path[:2]) if path[0] in ("actors", "issues", "events", "bases", "regions") else path[0]


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_variant_extends_the_baseline_and_changes_only_its_subject(variant, baseline):
    path = SCENARIO_DIR / f"{variant}.yaml"
    raw = yaml.safe_load(path.read_text())
    assert raw["extends"] == "baseline-2025.yaml"
    assert path.read_text().count("Hypothesis") >= 1, "state the seed article's hypothesis in a comment"
    sc = load_scenario(path)
    diff = differing_paths(baseline.model_dump(), sc.model_dump())
    assert {area(p) for p in diff} == VARIANTS[variant]
    assert len(diff) <= 12, f"a variant should change a few values, not {len(diff)}"


# ------------------------------------------------------------------------------------------------ sources
TEXT_KEYS = ("name", "description", "sentence", "color", "text")   # text: a victory condition in words
NUMBER = re.compile(r"(?<![\w.#-])-?\d+(?:\.\d+)?(?![\w-])")
SOURCE = re.compile(r"#.*(facts §\d|assumption|model default)")


def unsourced_lines(text: str) -> list[str]:
    """Lines with a number in their YAML value that carry no source or assumption comment."""
    bad, block_indent = [], None
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if block_indent is not None:           # inside a folded/literal block scalar: prose
            if not stripped or indent > block_indent:
                continue
            block_indent = None
        if not stripped or stripped.startswith("#"):
            continue
        code = line.split(" #", 1)[0]
        key = re.match(r"\s*(?:- )?([\w.]+):", code)
        if key and key.group(1) in TEXT_KEYS:
            if re.search(r":\s*[>|][-+]?\s*$", code):
                block_indent = indent
            continue
        value = re.sub(r"\"[^\"]*\"|'[^']*'", "", code.split(":", 1)[1] if key else code)
        value = re.sub(r"(?:sentence|name|description):.*", "", value)
        if NUMBER.search(value) and not SOURCE.search(line):
            bad.append(f"{n}: {line.strip()}")
    return bad


def test_every_number_in_the_baseline_cites_a_source_or_an_assumption():
    bad = unsourced_lines(BASELINE.read_text())
    assert bad == [], "numbers without '# facts §N ...' or '# assumption: ...':\n" + "\n".join(bad)


def test_the_source_check_catches_a_bare_number():
    text = ("actors:\n  RUS:\n    name: Russia 2\n    color: \"#c0392b\"\n    capabilities:\n"
            "      military: 29\n      economic: 26.8   # facts §5c GDP\n    description: >-\n      1 2 3\n"
            "relations:\n  RUS-SYR: 0.1  # assumption: cool\n  RUS-USA: -0.35\n")
    assert [b.split(":")[0] for b in unsourced_lines(text)] == ["6", "12"]
