"""Bad configs: every malformed scenario or experiment spec ends in one clear UserError, quickly, in bounded memory.

Hand-written cases (wrong types, unknown fields, missing references, `extends:` cycles, NaN and huge numbers, a 10 MB
file, an alias bomb, unsafe tags, non-UTF-8 bytes, ...) plus property-based fuzzing that replaces random values of the
real scenarios with junk of random types. Time is CPU time of the process concerned (time.process_time in-process,
os.wait4 for the `wargame validate` subprocess), so a loaded machine cannot fail a test; none of these inputs may run
code (a payload that would create a marker file) or print a traceback. A NaN or inf that passes validation must not
be able to poison a game: the scenario schema refuses them (allow_inf_nan=False), and any scenario that validates
plays two turns with a finite state.
"""
from __future__ import annotations

import copy
import functools
import json
import math
import os
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import WargameModel, load_scenario
from model.config.errors import UserError
from model.experiments.spec import load_experiment
from reliability_helpers import BASELINE, MINI, ROOT, run_measured, wargame_measured

CPU_LIMIT = 2.0                 # seconds of CPU per input, in-process
CHILD_EXTRA_CPU = 2.0           # seconds of CPU a bad file may add to `wargame validate` of a good one
CHILD_MAX_RSS_MB = 500
IN_PROCESS_PEAK_MB = 200        # Python allocations while refusing a hostile file
MINI_TEXT = MINI.read_text(encoding="utf-8")
TINY_SPEC = ROOT / "tests" / "data" / "experiments" / "tiny.yaml"
MARKER_NAME = "pwned-marker"


def edit(old: str, new: str, text: str = MINI_TEXT) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def refused(load: Callable[[], Any]) -> tuple[UserError, float]:
    """Run a loader that must refuse its input: the UserError and the CPU seconds it took."""
    t0 = time.process_time()
    with pytest.raises(UserError) as info:
        load()
    return info.value, time.process_time() - t0


def assert_clear(exc: UserError, *words: str) -> None:
    text = str(exc)
    assert text.strip() and "Traceback" not in text and "pydantic" not in text.lower(), text
    for w in words:
        assert w.lower() in text.lower(), f"{w!r} not in: {text}"


# ------------------------------------------------------------------------------------------ scenarios
def _bomb() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\nname: bomb\n"


UNSAFE_TAGS = {
    "python-apply": "name: x\npayload: !!python/object/apply:os.system ['touch {marker}']\n",
    "python-new": "name: x\npayload: !!python/object/new:subprocess.Popen [['touch', '{marker}']]\n",
    "python-name": "name: x\npayload: !!python/name:os.system\n",
    "python-module": "name: x\npayload: !!python/module:os\n",
    "verbatim-tag": "name: x\npayload: !<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']\n",
    "tag-directive": "%TAG !p! tag:yaml.org,2002:python/object/apply:\n---\nname: !p!os.system ['touch {marker}']\n",
    "local-tag": "name: !Foo bar\n",
    "binary": "name: !!binary aGVsbG8=\n",
    "set": "name: x\nactors: !!set {RUS, SYR}\n",
    "tagged-mapping": "name: x\nactors: !!python/object:collections.OrderedDict {}\n",
}

SCENARIO_CASES: dict[str, tuple[str | bytes, tuple[str, ...]]] = {
    # wrong types
    "turns-as-text": (edit("turns: 6", "turns: six"), ("turns", "whole number")),
    "capability-as-text": (edit("military: 40", "military: lots"), ("military",)),
    "actors-as-list": ("name: x\nactors: [RUS, SYR]\n", ("actors",)),
    "action-points-fraction": (edit("    action_points: 2\n", "    action_points: 2.5\n"), ("action_points",)),
    "relation-as-text": (edit("RUS-SYR: 0.1", "RUS-SYR: friendly"), ("RUS-SYR",)),
    "bases-as-number": (edit("bases:\n", "bases: 5\nold_bases:\n"), ("bases",)),
    "name-as-list": (edit("name: Mini test scenario", "name: [a, b]"), ("name",)),
    "bad-start-month": (edit('start: "2025-12"', 'start: "2025-13"'), ("start",)),
    "date-as-start": (edit('start: "2025-12"', "start: 2025-12-01"), ("start",)),
    # unknown fields
    "unknown-top-field": (MINI_TEXT + "colour: red\n", ("colour",)),
    "unknown-actor-field": (edit("    action_points: 2\n", "    action_points: 2\n    colour: red\n"), ("colour",)),
    "misspelt-base-field": (edit("garrison: 0.6", "garisson: 0.6"), ("garisson",)),
    # references to things that do not exist
    "relation-unknown-actor": (edit("RUS-SYR: 0.1", "RUS-XXX: 0.1"), ("XXX",)),
    "controller-unknown-actor": (edit("controller: RUS", "controller: ZZZ"), ("ZZZ",)),
    "base-unknown-region": (edit("region: tartus, kind: naval", "region: atlantis, kind: naval"), ("atlantis",)),
    "goal-unknown-base": (edit("base: tartus, weight: 2", "base: nowhere, weight: 2"), ("nowhere",)),
    "goal-unknown-issue": (edit("issue: integration, weight: 1", "issue: nosuch, weight: 1"), ("nosuch",)),
    "control-unknown-actor": (edit("control: {SYR: 1.0}", "control: {GHOST: 1.0}"), ("GHOST",)),
    "sanction-unknown-actor": (edit("sanctions: [USA-RUS]", "sanctions: [USA-MARS]"), ("MARS",)),
    "effect-unknown-base": (edit("bases: [tartus], status: drawdown", "bases: [atlantis], status: drawdown"),
                            ("atlantis",)),
    "missing-name": (edit("name: Mini test scenario\n", ""), ("name",)),
    # NaN, infinities and huge numbers
    "nan-capability": (edit("military: 40", "military: .nan"), ("military",)),
    "inf-population": (edit("population: 954", "population: .inf"), ("population",)),
    "nan-control-share": (edit("control: {SYR: 1.0}", "control: {SYR: .nan}"), ("control",)),
    "minus-inf-relation": (edit("RUS-SYR: 0.1", "RUS-SYR: -.inf"), ("RUS-SYR",)),
    "huge-garrison": (edit("garrison: 0.6", "garrison: 1e308"), ("garrison",)),
    "huge-negative-position": (edit("positions: {RUS: 100", "positions: {RUS: -1e308"), ("RUS",)),
    "huge-int-turns": (edit("turns: 6", "turns: 99999999999999999999999999999999"), ("turns",)),
    "nan-salience": (edit("salience: {RUS: 0.9", "salience: {RUS: .nan"), ("salience",)),
    # hostile files
    "10MB-file": ("name: x\n# " + "x" * 10_000_000 + "\n", ("too large",)),
    "alias-bomb": (_bomb(), ("alias",)),
    "deep-nesting": ("name: x\nactors: " + "[" * 5000 + "]" * 5000 + "\n", ("nest",)),
    "300k-values": ("name: x\nv: [" + ",".join(["1"] * 300_001) + "]\n", ("values",)),
    **{f"tag-{k}": (v, ("tag",)) for k, v in UNSAFE_TAGS.items()},
    "latin-1-bytes": (b"name: caf\xe9\nactors: {}\n", ("UTF-8",)),
    "utf-16-file": ("name: x\n".encode("utf-16"), ("UTF-8",)),
    "stray-continuation-byte": (MINI_TEXT.encode() + b"\x80\n", ("UTF-8",)),
    "nul-byte": (b"name: x\x00y\n", ("character",)),
    "empty-file": ("", ("empty",)),
    "only-comments": ("# nothing here\n\n", ("empty",)),
    "top-level-list": ("- a\n- b\n", ("mapping",)),
    "top-level-scalar": ("just text\n", ("mapping",)),
    "two-documents": ("name: a\n---\nname: b\n", ("document",)),
    "duplicate-key": (MINI_TEXT + "turns: 7\n", ("duplicate",)),
    "broken-syntax": ("name: [unclosed\n", ("YAML",)),
    "tab-indent": ("name: x\nactors:\n\tRUS: {}\n", ("YAML",)),
}


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / f"{name}.yaml"
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content.replace("{marker}", str(tmp_path / MARKER_NAME)), encoding="utf-8")
    return p


@pytest.mark.parametrize("case", list(SCENARIO_CASES))
def test_malformed_scenario_is_one_clear_error(tmp_path, capsys, case):
    content, words = SCENARIO_CASES[case]
    path = write(tmp_path, case, content)
    exc, cpu = refused(lambda: load_scenario(path))
    assert_clear(exc, *words)
    assert str(path) in str(exc)                    # the error names the file
    assert cpu < CPU_LIMIT, f"{case}: {cpu:.2f} s of CPU"
    assert not (tmp_path / MARKER_NAME).exists()    # no payload ran
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err


def test_every_unsafe_tag_is_refused_without_running_code(tmp_path):
    """The same payloads through every entry point that reads YAML: scenario, spec, and the raw reader."""
    from model.config.loading import read_yaml_text

    for name, text in UNSAFE_TAGS.items():
        text = text.replace("{marker}", str(tmp_path / MARKER_NAME))
        with pytest.raises(UserError, match="tag"):
            read_yaml_text(text)
        spec = write(tmp_path, f"spec-{name}", text.replace("name: x\n", "name: x\nscenario: mini\n"))
        exc, _ = refused(functools.partial(load_experiment, spec))
        assert_clear(exc)
    assert not (tmp_path / MARKER_NAME).exists()


def test_hostile_files_stay_in_bounded_memory(tmp_path):
    """Peak Python allocations while refusing the largest inputs (tracemalloc, so CPU time is not measured)."""
    for case in ("10MB-file", "alias-bomb", "deep-nesting", "300k-values"):
        path = write(tmp_path, case, SCENARIO_CASES[case][0])
        tracemalloc.start()
        try:
            with pytest.raises(UserError):
                load_scenario(path)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()
        assert peak < IN_PROCESS_PEAK_MB, f"{case}: {peak:.0f} MB"


def test_extends_cycles_missing_parents_and_bad_values(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b\nname: a\n")
    (tmp_path / "b.yaml").write_text("extends: c\n")
    (tmp_path / "c.yaml").write_text("extends: a\n")
    (tmp_path / "self.yaml").write_text("extends: self\nname: s\n")
    (tmp_path / "lost.yaml").write_text("extends: no-such-parent\nname: l\n")
    (tmp_path / "listed.yaml").write_text("extends: [a, b]\nname: l\n")
    (tmp_path / "empty.yaml").write_text("extends: ''\nname: l\n")
    (tmp_path / "dir.yaml").write_text("extends: subdir\nname: l\n")
    (tmp_path / "subdir").mkdir()
    for name, words in {"a": ("cycle",), "self": ("cycle",), "lost": ("no-such-parent",),
                        "listed": ("extends",), "empty": ("extends",), "dir": ("subdir",)}.items():
        exc, cpu = refused(functools.partial(load_scenario, tmp_path / f"{name}.yaml"))
        assert_clear(exc, *words)
        assert cpu < CPU_LIMIT


def test_a_fifo_or_a_directory_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    exc, _ = refused(lambda: load_scenario(fifo))
    assert_clear(exc, "regular file")
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    exc, _ = refused(lambda: load_scenario(folder))
    assert_clear(exc, "directory")


# --------------------------------------------------------------------------- every numeric field, every junk
def _leaves(value: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in _leaves(v, path + (k,))]
    if isinstance(value, list):
        return [x for i, v in enumerate(value) for x in _leaves(v, path + (i,))]
    return [(path, value)]


def _set(data: Any, path: tuple, value: Any) -> None:
    for p in path[:-1]:
        data = data[p]
    data[path[-1]] = value


def _del(data: Any, path: tuple) -> None:
    for p in path[:-1]:
        data = data[p]
    del data[path[-1]]


# libyaml's emitter behind PyYAML's own safe representer: the same YAML for the same data, written ~4x faster (the
# pure-Python emitter was three quarters of the baseline fuzz test's 52 s)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def plays_cleanly(path: Path) -> None:
    """A scenario that validated: two turns play, and the state and indicators stay finite (valid JSON)."""
    sc = load_scenario(path)
    m = WargameModel(sc, seed=3, turns=min(sc.turns, 2))
    m.run(m.max_turns)
    json.dumps(m.state(), allow_nan=False)
    json.dumps(m.last_record, allow_nan=False, default=str)


def check_mutant(data: dict, tmp_path: Path, name: str = "mutant") -> str:
    """Write, load, and play a mutated scenario: 'error' or 'valid'; anything else fails the test."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.dump(data, Dumper=DUMPER, sort_keys=False, allow_unicode=True), encoding="utf-8")
    t0 = time.process_time()
    try:
        load_scenario(path)
    except UserError as exc:
        assert_clear(exc)
        assert time.process_time() - t0 < CPU_LIMIT
        return "error"
    assert time.process_time() - t0 < CPU_LIMIT
    plays_cleanly(path)
    return "valid"


JUNK_NUMBERS = (math.nan, math.inf, -math.inf, 1e308, -1e308, 10**30)


def test_nan_inf_and_huge_numbers_in_every_numeric_field_of_mini(tmp_path):
    """Each numeric value of mini.yaml replaced in turn by nan, inf, -inf, +-1e308 and 10**30 (~600 files)."""
    base = yaml.safe_load(MINI_TEXT)
    numeric = [p for p, v in _leaves(base) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    assert len(numeric) > 60
    outcomes = {"error": 0, "valid": 0}
    for path in numeric:
        for junk in JUNK_NUMBERS:
            data = copy.deepcopy(base)
            _set(data, path, junk)
            outcomes[check_mutant(data, tmp_path)] += 1
    assert outcomes["error"] > 0.9 * len(numeric) * len(JUNK_NUMBERS), outcomes
    for junk in (math.nan, math.inf):     # nan / inf cannot slip in where a field has no bounds
        for path in (("regions", "homs", "population"), ("regions", "homs", "control", "SYR"),
                     ("issues", "basing", "thresholds", 0, "value")):
            data = copy.deepcopy(base)
            _set(data, path, junk)
            assert check_mutant(data, tmp_path) == "error", (path, junk)


JUNK = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 10**30, -(10**30), 0, -1, "", "ZZZ", None]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.none(),
    st.text(max_size=12),
    st.lists(st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
    st.dictionaries(st.text(max_size=6), st.one_of(st.integers(), st.floats(), st.text(max_size=4)), max_size=3),
    st.dates(),
)


def _mutations(base: dict) -> st.SearchStrategy[list[tuple[str, tuple, Any]]]:
    leaves = [p for p, _ in _leaves(base)]
    keys = sorted({p[:i] for p in leaves for i in range(1, len(p) + 1) if not isinstance(p[i - 1], int)}, key=str)
    op = st.one_of(
        st.tuples(st.just("replace"), st.sampled_from(leaves), JUNK),
        st.tuples(st.just("replace"), st.sampled_from(keys), JUNK),          # a whole mapping or list replaced
        st.tuples(st.just("delete"), st.sampled_from(keys), st.none()),
        st.tuples(st.just("rename"), st.sampled_from(keys), st.text(min_size=1, max_size=10)),
    )
    return st.lists(op, min_size=1, max_size=4)


def _apply(base: dict, muts: list[tuple[str, tuple, Any]]) -> dict:
    data = copy.deepcopy(base)
    for kind, path, value in muts:
        try:
            if kind == "replace":
                _set(data, path, value)
            elif kind == "delete":
                _del(data, path)
            else:
                parent = data
                for p in path[:-1]:
                    parent = parent[p]
                parent[value] = parent.pop(path[-1])
        except (KeyError, IndexError, TypeError, AttributeError):   # an earlier mutation removed or replaced the parent
            continue
    return data


MINI_DATA = yaml.safe_load(MINI_TEXT)
FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FUZZ_COUNTS: dict[str, dict[str, int]] = {}


@settings(FUZZ, max_examples=300)
@given(muts=_mutations(MINI_DATA))
def test_fuzzed_mini_scenarios_fail_clearly_or_play(tmp_path, muts):
    outcome = check_mutant(_apply(MINI_DATA, muts), tmp_path)
    FUZZ_COUNTS.setdefault("mini", {"error": 0, "valid": 0})[outcome] += 1


BASELINE_DATA = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))


@settings(FUZZ, max_examples=120)
@given(muts=_mutations(BASELINE_DATA))
def test_fuzzed_baseline_scenarios_fail_clearly_or_play(tmp_path, muts):
    check_mutant(_apply(BASELINE_DATA, muts), tmp_path, "baseline-mutant")


@settings(FUZZ, max_examples=200)
@given(text=st.text(max_size=400), cut=st.integers(min_value=0, max_value=len(MINI_TEXT)))
def test_random_text_spliced_into_the_yaml_fails_clearly_or_plays(tmp_path, text, cut):
    """Arbitrary characters (quotes, colons, tabs, control characters, ...) spliced into the file's text."""
    path = tmp_path / "spliced.yaml"
    path.write_text(MINI_TEXT[:cut] + text + MINI_TEXT[cut:], encoding="utf-8", errors="surrogatepass")
    t0 = time.process_time()
    try:
        load_scenario(path)
    except UserError as exc:
        assert_clear(exc)
    else:
        plays_cleanly(path)
    assert time.process_time() - t0 < CPU_LIMIT


@settings(FUZZ, max_examples=150)
@given(data=st.binary(max_size=300))
def test_random_bytes_fail_clearly(tmp_path, data):
    path = tmp_path / "bytes.yaml"
    path.write_bytes(data)
    exc, cpu = refused(lambda: load_scenario(path))
    assert_clear(exc)
    assert cpu < CPU_LIMIT


# ------------------------------------------------------------------------------------------ experiment specs
def _spec_text() -> str:
    return TINY_SPEC.read_text(encoding="utf-8").replace("../scenarios/mini.yaml", str(MINI))


SPEC_TEXT = _spec_text()
SPEC_CASES: dict[str, tuple[str | bytes, tuple[str, ...]]] = {
    "replications-as-text": (edit("replications: 5", "replications: many", SPEC_TEXT), ("replications",)),
    "turns-nan": (edit("turns: 4", "turns: .nan", SPEC_TEXT), ("turns",)),
    "turns-huge": (edit("turns: 4", "turns: 1e308", SPEC_TEXT), ("turns",)),
    "replications-inf": (edit("replications: 5", "replications: .inf", SPEC_TEXT), ("replications",)),
    "seed-negative": (edit("seed: 7", "seed: -1", SPEC_TEXT), ("seed",)),
    "unknown-field": (SPEC_TEXT + "colour: red\n", ("colour",)),
    "unknown-arm-field": (edit("  baseline: {}", "  baseline: {sett: []}", SPEC_TEXT), ("sett",)),
    "missing-scenario-file": (edit(str(MINI), "no/such/scenario.yaml", SPEC_TEXT), ("scenario",)),
    "override-unknown-path": (edit("actors.USA.action_points=5", "actors.USA.nonsense=5", SPEC_TEXT),
                              ("nonsense",)),
    "override-unknown-actor": (edit("actors.USA.action_points=5", "actors.MARS.action_points=5", SPEC_TEXT),
                               ("MARS",)),
    "override-nan": (edit("actors.USA.action_points=5", "params.drift=.nan", SPEC_TEXT), ("set", "finite")),
    "sweep-unknown-path": (edit("params.drift: [0.02, 0.1]", "params.nodrift: [0.02, 0.1]", SPEC_TEXT),
                           ("nodrift",)),
    "sweep-nan-value": (edit("params.drift: [0.02, 0.1]", "params.drift: [.nan, 0.1]", SPEC_TEXT), ("drift",)),
    "sweep-inf-range": (edit("params.drift: [0.02, 0.1]", "params.drift: {low: 0, high: .inf}", SPEC_TEXT),
                        ("drift",)),
    "sweep-huge-value": (edit("params.drift: [0.02, 0.1]", "params.drift: [1e308]", SPEC_TEXT), ("drift",)),
    "outcome-unknown-indicator": (edit("indicator: syria_alignment", "indicator: no_such_thing", SPEC_TEXT),
                                  ("no_such_thing",)),
    "outcome-unknown-base": (edit("base.tartus.controller", "base.atlantis.controller", SPEC_TEXT),
                             ("atlantis",)),
    "hypothesis-unknown-arm": (edit("arm: engaged\n    versus: baseline\n    direction: higher",
                                    "arm: ghost\n    versus: baseline\n    direction: higher", SPEC_TEXT),
                               ("ghost",)),
    "hypothesis-unknown-outcome": (edit("outcome: engagement_mean", "outcome: nothing", SPEC_TEXT), ("nothing",)),
    "alpha-nan": (edit("direction: higher", "direction: higher\n    alpha: .nan", SPEC_TEXT), ("alpha",)),
    "extends-cycle": ("extends: extends-cycle\nname: x\n", ("cycle",)),
    "extends-missing": ("extends: nowhere-spec\nname: x\n", ("nowhere-spec",)),
    "alias-bomb": (_bomb(), ("alias",)),
    "10MB-file": ("name: x\n# " + "x" * 10_000_000 + "\n", ("too large",)),
    "python-apply": (UNSAFE_TAGS["python-apply"], ("tag",)),
    "latin-1-bytes": (b"name: caf\xe9\nscenario: mini\n", ("UTF-8",)),
}


@pytest.mark.parametrize("case", list(SPEC_CASES))
def test_malformed_experiment_spec_is_one_clear_error(tmp_path, case):
    content, words = SPEC_CASES[case]
    path = write(tmp_path, case, content)
    exc, cpu = refused(lambda: load_experiment(path))
    assert_clear(exc, *words)
    assert cpu < CPU_LIMIT, f"{case}: {cpu:.2f} s of CPU"
    assert not (tmp_path / MARKER_NAME).exists()


SPEC_DATA = yaml.safe_load(SPEC_TEXT)


@settings(FUZZ, max_examples=150)
@given(muts=_mutations(SPEC_DATA))
def test_fuzzed_experiment_specs_fail_clearly_or_load(tmp_path, muts):
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.dump(_apply(SPEC_DATA, muts), Dumper=DUMPER, sort_keys=False), encoding="utf-8")
    t0 = time.process_time()
    try:
        load_experiment(path)
    except UserError as exc:
        assert_clear(exc)
    assert time.process_time() - t0 < CPU_LIMIT


# ------------------------------------------------------------------------------- `wargame validate` processes
@pytest.fixture(scope="module")
def good_run():
    """`wargame validate` of a good file: the start-up cost every bad file is compared with."""
    run = run_measured(wargame_measured("validate", str(MINI)))
    assert run.returncode == 0, run.stderr
    return run


@pytest.fixture(scope="module")
def good_spec_run(tmp_path_factory):
    """`wargame validate` of a good experiment spec: it builds a model to learn the indicators (importing mesa and
    pandas, ~2 s more than a scenario), so a bad spec is compared with it, not with a scenario."""
    path = write(tmp_path_factory.mktemp("good-spec"), "good-spec", SPEC_TEXT)
    run = run_measured(wargame_measured("validate", str(path)))
    assert run.returncode == 0, run.stderr
    return run


CLI_SAMPLE = ["10MB-file", "alias-bomb", "tag-python-apply", "latin-1-bytes"]      # one process each
CLI_MORE = ["nan-control-share", "relation-unknown-actor", "deep-nesting", "300k-values", "tag-tag-directive"]


def test_wargame_validate_subprocess_sample(tmp_path, good_run, good_spec_run):
    """A sample through the real command: exit 2, one line per error naming the file, no traceback, the child's CPU
    time bounded against a good file of the same kind and its peak memory bounded (os.wait4), the payload never ran."""
    files = [write(tmp_path, case, SCENARIO_CASES[case][0]) for case in CLI_SAMPLE]
    spec = write(tmp_path, "bad-spec", SPEC_CASES["override-unknown-actor"][0])
    for path, good in [*((f, good_run) for f in files), (spec, good_spec_run)]:
        run = run_measured(wargame_measured("validate", str(path)))
        assert run.returncode == 2, (path.name, run.stdout, run.stderr)
        assert "Traceback" not in run.stderr + run.stdout
        assert str(path) in run.stderr and "have errors" in run.stderr
        assert run.cpu_seconds < good.cpu_seconds + CHILD_EXTRA_CPU, (path.name, run.cpu_seconds)
        assert 0 < run.max_rss_mb < CHILD_MAX_RSS_MB, (path.name, run.max_rss_mb)
    assert not (tmp_path / MARKER_NAME).exists()


def test_wargame_validate_many_bad_files_at_once_reports_each(tmp_path):
    files = [write(tmp_path, case, SCENARIO_CASES[case][0]) for case in CLI_SAMPLE + CLI_MORE]
    run = run_measured(wargame_measured("validate", *map(str, files), str(MINI)))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"{len(files)} of {len(files) + 1} file(s) have errors" in run.stderr
    for path in files:
        assert str(path) in run.stderr
    assert f"{MINI}: ok" in run.stdout
    assert 0 < run.max_rss_mb < CHILD_MAX_RSS_MB
    assert not (tmp_path / MARKER_NAME).exists()

