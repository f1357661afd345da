"""The plausibility report of issue 10: what the shipped scenarios do over many seeds, and what players can make of
them (prints markdown; benchmarks/results/plausibility.md is its output at the defaults).

Every scenario and strategy plays the same N seeds (numpy.random.SeedSequence(master).spawn(N)), so comparisons
between them are paired by seed. For every scenario in configs/scenarios/ (AI play, 24 months):

1. the share of runs with a bloc change (an `alliance_shift` event) and which actors changed, with the most common
   cause sentence;
2. per base: P(its controller or status changed by month 24), P(different at month 24 from the start), and the
   causes of the changes, read from the event log of the month of each change (lease outcomes, hand-overs after a
   notice, withdrawals, consolidations, strain, seizures, collapses, events that set a status, fighting that
   calmed); a change that no event of its month explains is counted as `unexplained`;
3. the headline indicators (model.config.vocabulary.INDICATORS): p5 / p50 / p95 and the mean at months 3, 12, 24.

Then the verdicts of configs/experiments/projected-outcomes.yaml: its outcomes evaluated on these runs (each arm is
the scenario of the same name) and tested by the experiment's own code (model.experiments.report.hypothesis_rows,
the tests `wargame batch` applies), with the paired difference beside them. `wargame batch` draws independent seeds
per arm, so its figures differ from these by seed noise only.

Finally the four player strategies of issue 10 point 7, scripted seats (model.sim.policies.ScriptedPolicy; orders
that are not possible in a month are skipped, spare points go to the seat's fallback), each against the AI run of
the same seed:
- Syria pivots West (engages the US, the EU and the UK every month) for 12 or 24 months on the baseline: is it on
  the Western side (syria_with_west, its alignment margin, syria_alignment) at months 12 and 24?
- Russia courts Damascus (concede on basing and engage, then aid and deploy at Tartus, alternating; nothing else),
  on the baseline and on syria-west-pivot: does it hold Tartus at least as often as the AI Russia?
- Syria attacks the SDF for three months where its force ratio is best: does it take >= 0.3 of the governorate
  within three months in most seeds?
- The US withdraws from all its bases (every month for 12 months): does each base pass to whoever holds the
  largest share of its governorate?

Run: .venv/bin/python benchmarks/plausibility.py [--seeds 400] [--workers 2] [--turns 24]
"""
from __future__ import annotations

import argparse
import collections
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from model import WargameModel, load_scenario  # noqa: E402
from model.config.scenario import Scenario  # noqa: E402
from model.config.vocabulary import INDICATORS  # noqa: E402
from model.experiments.executors import one_blas_thread  # noqa: E402
from model.experiments.report import hypothesis_rows  # noqa: E402
from model.experiments.spec import Experiment, load_experiment  # noqa: E402
from model.sim import territory  # noqa: E402

SCENARIO_DIR = ROOT / "configs" / "scenarios"
EXPERIMENT = ROOT / "configs" / "experiments" / "projected-outcomes.yaml"
BASELINE = "baseline-2025"
MASTER_SEED = 20251201
MONTHS = (3, 12, 24)
HEADLINE = [k for k in INDICATORS if k not in ("turn", "date")]
HELD = {"active", "drawdown", "contested", "reduced"}
US_BASES = ("al_tanf", "rmelan", "shaddadi")
PIVOT = [{"kind": "engage", "target": t} for t in ("USA", "EU", "GBR")]
COURT = [{"kind": "concede", "issue": "russian_basing"}, {"kind": "engage", "target": "SYR"},
         {"kind": "aid", "target": "SYR"}, {"kind": "deploy", "base": "tartus"}]
OFFENSIVE_MONTHS = 3
WITHDRAW_MONTHS = 12

_scenarios: dict[tuple, Scenario] = {}
_experiment: dict[str, Experiment] = {}


# ------------------------------------------------------------------------------------------ scenarios, seeds
def seeds(n: int, master: int = MASTER_SEED) -> list[int]:
    """n independent integer seeds from one master seed (the same for every scenario and strategy: paired)."""
    return [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(master).spawn(n)]


def with_script(sc: Scenario, actor: str, script: dict[int, list[dict]], fallback: str) -> Scenario:
    """The scenario with one actor on a scripted policy (its spare points on `fallback`)."""
    data = sc.model_dump(mode="python", by_alias=True)
    data["actors"][actor]["policy"] = {"kind": "scripted", "script": script, "fallback": fallback}
    return Scenario.model_validate(data)


def strategy_scenario(name: str, strategy: str | None) -> Scenario:
    """The scenario `name` with the strategy's seat scripted (None: every actor on its AI). Cached per process."""
    key = (name, strategy)
    if key in _scenarios:
        return _scenarios[key]
    sc = load_scenario(SCENARIO_DIR / f"{name}.yaml")
    if strategy is None:
        pass
    elif strategy.startswith("pivot"):
        months = int(strategy[len("pivot"):])
        sc = with_script(sc, "SYR", {t: list(PIVOT) for t in range(1, months + 1)}, "utility")
    elif strategy == "court":
        sc = with_script(sc, "RUS", {t: COURT[2 * (t % 2):] + COURT[:2 * (t % 2)] for t in range(1, 25)}, "hold")
    elif strategy.startswith("offensive:"):
        front = strategy.split(":", 1)[1]
        sc = with_script(sc, "SYR", {t: [{"kind": "attack", "target": "SDF", "region": front}]
                                     for t in range(1, OFFENSIVE_MONTHS + 1)}, "utility")
    elif strategy == "withdraw":
        sc = with_script(sc, "USA", {t: [{"kind": "withdraw", "base": b} for b in US_BASES]
                                     for t in range(1, WITHDRAW_MONTHS + 1)}, "utility")
    else:
        raise ValueError(f"unknown strategy {strategy!r}")
    _scenarios[key] = sc
    return sc


def experiment(replications: int) -> Experiment:
    if "exp" not in _experiment:
        _experiment["exp"] = load_experiment(EXPERIMENT, replications=replications)
    return _experiment["exp"]


# -------------------------------------------------------------------------------------------------- causes
def _refers(e: dict, base: str) -> bool:
    n = e["numbers"]
    return base in (n.get("base"), n.get("place")) or (isinstance(n.get("effects"), str)
                                                         and base in n["effects"])


def _label(e: dict) -> str:
    """An event's part in a base's change, in a word or two."""
    k, n, s = e["kind"], e["numbers"], e["sentence"]
    if k == "lease":
        return f"lease {n['outcome']}"
    if k == "base_change":
        if n.get("cause"):
            return {"handed_over": "handed over after notice", "strain": "left under strain",
                    "collapse": "garrison worn out"}[n["cause"]]
        if "seized" in s:
            return "seized"
        if "withdrew" in s:
            return "withdrew"
        return "garrison collapsed"
    if k == "event":
        return f"event {n.get('event')}"
    if k == "issue":
        return f"threshold {n.get('threshold')}"
    return {"consolidate": "consolidated", "deploy": "moved back in", "seize": "seize failed (contested)",
            "withdraw": "drawn down"}.get(k, k)


def base_changes(df: pd.DataFrame, events: list[dict], bases: list[str], turns: int) -> dict[str, dict]:
    """Per base: every month its (controller, status) changed, with the causes found in that month's events."""
    by_turn: dict[int, list[dict]] = collections.defaultdict(list)
    for e in events:
        by_turn[e["turn"]].append(e)
    out = {}
    for b in bases:
        ctrl, st = df[f"base.{b}.controller"].tolist(), df[f"base.{b}.status"].tolist()
        changes = []
        for t in range(1, turns + 1):
            if (ctrl[t], st[t]) == (ctrl[t - 1], st[t - 1]):
                continue
            # a strike that wears a garrison out is told as its collapse (base_change): strikes are left out
            causes = sorted({_label(e) for e in by_turn[t] if e["kind"] != "strike" and _refers(e, b)})
            if "consolidated" in causes:         # a consolidation's base is left by a withdrawal: one cause
                causes = [c for c in causes if c not in ("withdrew", "drawn down")]
            elif "withdrew" in causes:           # the withdraw order that took the garrison out
                causes = [c for c in causes if c != "drawn down"]
            if not causes and st[t - 1] == "contested" and st[t] == "active" and ctrl[t] == ctrl[t - 1]:
                causes = ["fighting calmed"]
            changes.append((t, f"{ctrl[t - 1]}/{st[t - 1]}", f"{ctrl[t]}/{st[t]}", causes or ["unexplained"]))
        out[b] = {"changes": changes, "start": f"{ctrl[0]}/{st[0]}", "end": f"{ctrl[turns]}/{st[turns]}"}
    return out


# ----------------------------------------------------------------------------------------------- one run
def play(job: tuple[str, str | None, int, int, int]) -> dict[str, Any]:
    """One seeded run of scenario `name` under `strategy` (None: AI play) for `turns` months."""
    name, strategy, seed, turns, replications = job
    sc = strategy_scenario(name, strategy)
    m = WargameModel(sc, seed=seed, turns=turns)
    out: dict[str, Any] = {"name": name, "strategy": strategy, "seed": seed}
    if strategy == "withdraw":
        return out | {"handovers": _withdrawal(m, turns)}
    if strategy is not None and strategy.startswith("offensive:"):
        return out | _offensive(m, strategy.split(":", 1)[1])
    m.run()
    df = m.indicators()
    events = m.events()
    rows = [t for t in MONTHS if t <= turns]
    out["syria"] = {k: df[c].iloc[[12, turns]].tolist() for k, c in
                    (("with_west", "syria_with_west"), ("alignment", "syria_alignment"), ("margin", "alignment.SYR"))}
    out["tartus"] = {"held": [df["base.tartus.controller"].iloc[t] == "RUS" and df["base.tartus.status"].iloc[t]
                              in HELD for t in (12, turns)],
                     "consent": [float(df["base.tartus.consent"].iloc[t]) for t in (12, turns)],
                     "forecast": [float(df["issue.russian_basing.forecast"].iloc[t]) for t in (12, turns)],
                     "end": f"{df['base.tartus.controller'].iloc[turns]}/{df['base.tartus.status'].iloc[turns]}"}
    if strategy is not None:
        out["tartus"]["changes"] = base_changes(df, events, ["tartus"], turns)["tartus"]["changes"]
        return out
    out["shifts"] = [(e["turn"], e["actors"][0], e["sentence"]) for e in events if e["kind"] == "alliance_shift"]
    margins = df[[f"alignment.{a}" for a in m.world.actors]].to_numpy()
    out["margins"] = {"actors": list(m.world.actors), "end": margins[turns].tolist(),
                      "max": margins[1:].max(axis=0).tolist()}
    out["bases"] = base_changes(df, events, list(m.world.bases), turns)
    out["headline"] = {k: [float(df[k].iloc[t]) for t in rows] for k in HEADLINE}
    exp = experiment(replications)
    columns = m.datacollector.model_vars
    out["outcomes"] = {k: o.evaluate(columns[o.indicator]) for k, o in exp.spec.outcomes.items()}
    return out


def _offensive(m: WargameModel, front: str) -> dict[str, Any]:
    """Syria attacks the SDF in `front` for three months: the ground taken there and what stopped the rest."""
    w = m.world
    syr, sdf = w.idx("SYR"), w.idx("SDF")
    frozen = 0
    for _ in range(OFFENSIVE_MONTHS):
        frozen += bool(w.ceasefire[syr, sdf] > 0)     # lines frozen when the month's orders are given
        m.step()
    mine = [e for e in m.events() if e["kind"] in ("territory", "attack") and e["actors"][:2] == ["SYR", "SDF"]
            and e["numbers"].get("region") == front]
    df = m.indicators()
    return {"taken": sum(e["numbers"]["taken"] for e in mine if e["kind"] == "territory"),
            "wins": sum(e["kind"] == "territory" for e in mine),
            "lost": sum(e["kind"] == "attack" and "p" in e["numbers"] for e in mine),
            "held": frozen + sum(e["kind"] == "attack" and "ceasefire" in e["numbers"] for e in mine),
            "attacks": len(mine), "first_turn": min((e["turn"] for e in mine), default=None),
            "share": float(df[f"region.{front}.SDF"].iloc[OFFENSIVE_MONTHS]),
            "syr_mil": float(df["capability.SYR.military"].iloc[OFFENSIVE_MONTHS]),
            "sdf_mil": float(df["capability.SDF.military"].iloc[OFFENSIVE_MONTHS])}


def _withdrawal(m: WargameModel, turns: int) -> list[tuple[str, int, str, str]]:
    """The US withdraws from every base: (base, month, who got it, who held the largest share of its region)."""
    out = []
    for _ in range(min(turns, WITHDRAW_MONTHS)):
        w = m.world
        before = {b: int(w.base_ctrl[w.bidx(b)]) for b in US_BASES}
        m.step()
        for b, old in before.items():
            j = w.bidx(b)
            if old == w.idx("USA") and w.base_ctrl[j] != old:
                leader = w.actors[int(np.argmax(w.control[w.base_region[j]]))]
                got = w.actors[w.base_ctrl[j]] if w.base_ctrl[j] >= 0 else "none"
                out.append((b, m.turn, got, leader))
    return out


# --------------------------------------------------------------------------------------------- the report
def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def wilson(k: int, n: int) -> str:
    """k/n with its 95% Wilson interval, as percentages."""
    if n == 0:
        return "-"
    z, p = 1.96, k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return f"{pct(p)} [{100 * (centre - half):.1f}, {100 * (centre + half):.1f}]"


def paired(a: np.ndarray, b: np.ndarray) -> str:
    """Mean of b - a over paired seeds, with its 95% normal interval."""
    d = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    half = 1.96 * float(d.std(ddof=1)) / math.sqrt(len(d)) if len(d) > 1 else float("nan")
    return f"{d.mean():+.3f} [{d.mean() - half:+.3f}, {d.mean() + half:+.3f}]"


def report_blocs(name: str, runs: list[dict]) -> list[str]:
    n = len(runs)
    switched = [r for r in runs if r["shifts"]]
    who = collections.Counter(a for r in runs for _, a, _ in r["shifts"])
    by_runs = collections.Counter(a for r in runs for a in sorted({a for _, a, _ in r["shifts"]}))
    line = f"- **{name}**: bloc change in {wilson(len(switched), n)} of runs ({sum(who.values())} switches)"
    if who:
        line += "; actors (runs with a switch): " + ", ".join(f"{a} {by_runs[a]}" for a, _ in who.most_common())
        months = [t for r in runs for t, _, _ in r["shifts"]]
        line += f"; month of the switch: median {int(np.median(months))} (range {min(months)}-{max(months)})"
    lines = [line]
    actors = runs[0]["margins"]["actors"]
    end = np.array([r["margins"]["end"] for r in runs])
    top = np.array([r["margins"]["max"] for r in runs])
    closest = [i for i in np.argsort(-np.percentile(end, 95, axis=0), kind="stable") if end[:, i].max() > -1][:4]
    lines.append("  - closest to a switch (alignment margin at month 24, p50 / p95; the largest in any month of any "
                 "run; an actor moves above alignment.switch_cost): " + "; ".join(
                     f"{actors[i]} {np.median(end[:, i]):+.3f} / {np.percentile(end[:, i], 95):+.3f} "
                     f"(max {top[:, i].max():+.3f})" for i in closest))
    common = collections.Counter(s for r in runs for _, _, s in r["shifts"]).most_common(2)
    lines += [f"  - [{k}x] {s}" for s, k in common]
    return lines


def report_bases(name: str, runs: list[dict], turns: int) -> list[str]:
    n = len(runs)
    lines = [f"\n#### {name}\n", "| base | start | P(change by month {t}) | P(different at {t}) | first change (median "
             "month) | causes (share of runs) | end states |".replace("{t}", str(turns)),
             "|---|---|---|---|---|---|---|"]
    for b in runs[0]["bases"]:
        rs = [r["bases"][b] for r in runs]
        ever = sum(bool(r["changes"]) for r in rs)
        diff = sum(r["end"] != r["start"] for r in rs)
        firsts = [r["changes"][0][0] for r in rs if r["changes"]]
        causes = collections.Counter(c for r in rs for c in sorted({c for ch in r["changes"] for c in ch[3]}))
        ends = collections.Counter(r["end"] for r in rs).most_common(3)
        lines.append(f"| {b} | {rs[0]['start']} | {pct(ever / n)} | {pct(diff / n)} | "
                     f"{int(np.median(firsts)) if firsts else '-'} | "
                     + (", ".join(f"{c} {pct(k / n)}" for c, k in causes.most_common(6)) or "-") + " | "
                     + ", ".join(f"{s} {pct(k / n)}" for s, k in ends) + " |")
    return lines


def report_headline(name: str, runs: list[dict]) -> list[str]:
    rows = MONTHS[:len(runs[0]["headline"][HEADLINE[0]])]
    head = "| indicator | " + " | ".join(f"month {t}: p5 / p50 / p95 (mean)" for t in rows) + " |"
    lines = [f"\n#### {name}\n", head, "|---|" + "---|" * len(rows)]
    for k in HEADLINE:
        x = np.array([r["headline"][k] for r in runs])          # (runs, months)
        cells = [" / ".join(f"{v:.3g}" for v in np.percentile(x[:, i], (5, 50, 95))) + f" ({x[:, i].mean():.3g})"
                 for i in range(x.shape[1])]
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    return lines


def report_verdicts(ai: dict[str, list[dict]], replications: int) -> list[str]:
    exp = experiment(replications)
    arm_scenario = {arm: Path(f).stem for arm, f in exp.arm_files.items()}
    missing = sorted({s for s in arm_scenario.values() if s not in ai})
    if missing:
        return [f"(the experiment's arms need the scenarios {', '.join(missing)}, not run)"]
    frames = []
    for arm, scen in arm_scenario.items():
        rows = [{"arm": arm, "point": 0, "replication": i, **r["outcomes"]} for i, r in enumerate(ai[scen])]
        frames.append(pd.DataFrame(rows))
    runs = pd.concat(frames, ignore_index=True)
    lines = ["| hypothesis | outcome | arm vs versus | arm | versus | effect [95% CI] | paired difference [95% CI] "
             "| p | verdict |", "|---|---|---|---|---|---|---|---|---|"]
    for h in hypothesis_rows(exp, runs):
        a = runs.loc[runs["arm"] == h["arm"], h["outcome"]].astype(float).to_numpy()
        v = runs.loc[runs["arm"] == h["versus"], h["outcome"]].astype(float).to_numpy()
        lines.append(f"| {h['hypothesis']} | {h['outcome']} ({h['direction']}) | {h['arm']} vs {h['versus']} | "
                     f"{h['estimate_arm']:.3f} | {h['estimate_versus']:.3f} | {h['effect']:+.3f} "
                     f"[{h['effect_low']:+.3f}, {h['effect_high']:+.3f}] | {paired(v, a)} | {h['p_value']:.3g} | "
                     f"{h['verdict']} |")
    return lines


def expected(ok: bool) -> str:
    return "yes" if ok else "**no**"


def report_pivot(ai: list[dict], pivots: dict[int, list[dict]]) -> list[str]:
    lines = ["| Syria | P(with the West, month 12) | P(month 24) | syria_alignment p50 m12 / m24 | "
             "P(syria_alignment > 0) m12 / m24 | margin p50 m12 / m24 | vs AI, paired, m24: syria_alignment; "
             "margin | as expected? |", "|---|---|---|---|---|---|---|---|"]
    groups = [("AI", ai)] + [(f"pivots West {k} months", runs) for k, runs in pivots.items()]
    base_align = np.array([r["syria"]["alignment"][1] for r in ai])
    base_margin = np.array([r["syria"]["margin"][1] for r in ai])
    for label, runs in groups:
        n = len(runs)
        west = np.array([r["syria"]["with_west"] for r in runs])
        align = np.array([r["syria"]["alignment"] for r in runs])
        margin = np.array([r["syria"]["margin"] for r in runs])
        ok = "-" if label == "AI" else expected(west[:, 1].mean() > 0.5 and align[:, 1].mean() > base_align.mean())
        lines.append(f"| {label} | {wilson(int(west[:, 0].sum()), n)} | {wilson(int(west[:, 1].sum()), n)} | "
                     f"{np.median(align[:, 0]):+.3f} / {np.median(align[:, 1]):+.3f} | "
                     f"{pct((align[:, 0] > 0).mean())} / {pct((align[:, 1] > 0).mean())} | "
                     f"{np.median(margin[:, 0]):+.3f} / {np.median(margin[:, 1]):+.3f} | "
                     + ("-" if label == "AI" else f"{paired(base_align, align[:, 1])}; "
                        f"{paired(base_margin, margin[:, 1])}") + f" | {ok} |")
    return lines


def report_court(runs: dict[tuple[str, str], list[dict]], names: list[str]) -> list[str]:
    lines = ["| scenario | Russia | P(holds Tartus, month 12) | P(month 24) | Tartus consent p50, m12 / m24 | "
             "consent vs AI, paired, m12; m24 | basing forecast p50, m12 / m24 | end states of Tartus | "
             "causes of its changes (share of runs) | as expected? |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name in names:
        ai = runs[(name, "ai")]
        for mode in ("ai", "court"):
            rs = runs[(name, mode)]
            n = len(rs)
            held = np.array([r["tartus"]["held"] for r in rs])
            ends = collections.Counter(r["tartus"]["end"] for r in rs).most_common(3)
            causes = collections.Counter(c for r in rs for c in sorted({c for ch in r["tartus"].get("changes", [])
                                                                         for c in ch[3]}))
            ok = "-"
            if mode == "court":
                ai_held = np.array([r["tartus"]["held"] for r in ai])
                ok = expected(held[:, 0].mean() >= ai_held[:, 0].mean() and held[:, 1].mean() >= ai_held[:, 1].mean())
            consent = np.array([r["tartus"]["consent"] for r in rs])
            ai_consent = np.array([r["tartus"]["consent"] for r in ai])
            forecast = np.array([r["tartus"]["forecast"] for r in rs])
            lines.append(f"| {name} | {'AI' if mode == 'ai' else 'courts Damascus'} | "
                         f"{wilson(int(held[:, 0].sum()), n)} | {wilson(int(held[:, 1].sum()), n)} | "
                         f"{np.median(consent[:, 0]):.3f} / {np.median(consent[:, 1]):.3f} | "
                         + ("-" if mode == "ai" else f"{paired(ai_consent[:, 0], consent[:, 0])}; "
                            f"{paired(ai_consent[:, 1], consent[:, 1])}")
                         + f" | {np.median(forecast[:, 0]):.1f} / {np.median(forecast[:, 1]):.1f} | "
                         + ", ".join(f"{s} {pct(k / n)}" for s, k in ends) + " | "
                         + (", ".join(f"{c} {pct(k / n)}" for c, k in causes.most_common(5)) if mode == "court"
                            else "(see the base table)") + f" | {ok} |")
    return lines


def fronts(sc: Scenario) -> list[tuple[str, float, float, float]]:
    """(governorate, force ratio, p of the first attack, SDF share) of Syria against the SDF wherever the SDF holds
    >= 0.3 at the start, best force ratio first."""
    w = WargameModel(sc, seed=0).world
    syr, sdf = w.idx("SYR"), w.idx("SDF")
    regions = [r for r in range(len(w.regions)) if w.control[r, sdf] >= 0.3]
    p, att, dfd = territory.contest(w, sc, np.full(len(regions), syr), np.full(len(regions), sdf), np.array(regions))
    rows = [(w.regions[r], float(att[i] / dfd[i]), float(p[i]), float(w.control[r, sdf]))
            for i, r in enumerate(regions)]
    return sorted(rows, key=lambda x: -x[1])


def report_offensive(front: tuple[str, float, float, float], rs: list[dict]) -> list[str]:
    region, ratio, p0, share = front
    n = len(rs)
    taken = np.array([r["taken"] for r in rs])
    got = int((taken >= 0.3 - 1e-9).sum())
    short = [r for r in rs if r["taken"] < 0.3 - 1e-9]
    lines = [f"- **{region}** (force ratio {ratio:.2f}:1, p of the first attack {p0:.2f}): Syria took >= 0.3 of "
             f"{region} within {OFFENSIVE_MONTHS} months in {wilson(got, n)} of runs "
             f"(as expected, most seeds: {expected(got > n / 2)}); ground taken p5 / p50 / p95 "
             + " / ".join(f"{v:.2f}" for v in np.percentile(taken, (5, 50, 95)))
             + f" (the SDF started with {share:.2f}); per run {np.mean([r['wins'] for r in rs]):.2f} battles won, "
             f"{np.mean([r['lost'] for r in rs]):.2f} lost, {np.mean([r['held'] for r in rs]):.2f} attacks "
             f"stopped by a ceasefire; SDF share of {region} at month {OFFENSIVE_MONTHS}: p50 "
             f"{np.median([r['share'] for r in rs]):.2f}; military at month {OFFENSIVE_MONTHS}: Syria "
             f"{np.median([r['syr_mil'] for r in rs]):.1f}, SDF {np.median([r['sdf_mil'] for r in rs]):.1f} (p50)."]
    if short:
        wins = collections.Counter(r["wins"] for r in short)
        lines.append(f"  - the {len(short)} runs short of 0.3 won " + ", ".join(
            f"{k} battle{'' if k == 1 else 's'} in {v}" for k, v in sorted(wins.items()))
            + f"; {sum(r['held'] > 0 for r in short)} had an attack stopped by a ceasefire. A win takes "
            "`actions.attack.amount` of the SDF's share there, so >= 0.3 needs "
            f"{_wins_needed(share)} wins in {OFFENSIVE_MONTHS} months here.")
    return lines


def _wins_needed(share: float, amount: float | None = None) -> str:
    """How many won months take >= 0.3 of a governorate where the defender holds `share`."""
    if amount is None:
        amount = strategy_scenario(BASELINE, None).actions["attack"].amount
    left, taken = share, 0.0
    for k in range(1, 13):
        taken += amount * left
        left -= amount * left
        if taken >= 0.3 - 1e-9:
            return str(k)
    return "more than 12"


def report_withdrawal(rs: list[dict]) -> list[str]:
    n = len(rs)
    moves = [x for r in rs for x in r["handovers"]]
    right = sum(got == leader for _, _, got, leader in moves)
    per_base = collections.Counter((b, got) for b, _, got, _ in moves)
    months = collections.Counter(t for _, t, _, _ in moves)
    left_all = sum(len({b for b, *_ in r["handovers"]}) == len(US_BASES) for r in rs)
    return [f"- The US left all three bases in {wilson(left_all, n)} of runs; {len(moves)} hand-overs, "
            f"{wilson(right, len(moves))} to the actor holding the largest share of the base's governorate "
            f"(as expected: {expected(right == len(moves) and left_all == n)}); month of the hand-over: "
            + ", ".join(f"{t}: {k}" for t, k in sorted(months.items())) + "; who got each base: "
            + ", ".join(f"{b} -> {got} {k}" for (b, got), k in sorted(per_base.items()))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=400, help="seeded runs per scenario and strategy (default 400)")
    ap.add_argument("--turns", type=int, default=24, help="months per run (default 24; at least 12)")
    ap.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--seed", type=int, default=MASTER_SEED, help=f"master seed (default {MASTER_SEED})")
    ap.add_argument("--scenarios", nargs="*", default=None,
                    help="scenario names in configs/scenarios/ (default: all of them)")
    args = ap.parse_args(argv)
    if args.seeds < 2 or args.turns < 12 or args.workers < 1:
        ap.error("need --seeds >= 2, --turns >= 12 and --workers >= 1")
    names = args.scenarios or sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))
    if BASELINE in names:
        names = [BASELINE] + [x for x in names if x != BASELINE]
    court_names = [x for x in (BASELINE, "syria-west-pivot") if x in names]
    start = time.perf_counter()
    ss = seeds(args.seeds, args.seed)
    base_sc = strategy_scenario(BASELINE, None)
    all_fronts = fronts(base_sc)
    better = [f for f in all_fronts if f[1] > 1.0] or all_fronts[:1]     # where Syria has the better ratio
    plan: list[tuple[str, str | None]] = [(x, None) for x in names]
    plan += [(BASELINE, "pivot12"), (BASELINE, "pivot24")] if BASELINE in names else []
    plan += [(x, "court") for x in court_names]
    plan += [(BASELINE, f"offensive:{f[0]}") for f in better] + [(BASELINE, "withdraw")] if BASELINE in names else []
    jobs = [(x, strat, s, args.turns, args.seeds) for x, strat in plan for s in ss]
    with ProcessPoolExecutor(max_workers=args.workers, initializer=one_blas_thread) as pool:
        rows = list(pool.map(play, jobs, chunksize=max(1, len(jobs) // (args.workers * 40))))
    took = time.perf_counter() - start
    res: dict[tuple[str, str | None], list[dict]] = collections.defaultdict(list)
    for r in rows:
        res[(r["name"], r["strategy"])].append(r)
    ai = {x: res[(x, None)] for x in names}

    out = [f"## Plausibility report: {args.seeds} seeds x {args.turns} months, master seed {args.seed}",
           "",
           f"`.venv/bin/python benchmarks/plausibility.py --seeds {args.seeds} --workers {args.workers}` "
           f"({len(jobs)} runs, {took:.0f} s on {args.workers} workers). Every scenario and strategy plays the "
           "same seeds; percentages of runs carry a 95% Wilson interval; differences are paired by seed.",
           "", "### 1. Bloc changes (AI play)", ""]
    for x in names:
        out += report_blocs(x, ai[x])
    out += ["", f"### 2. Bases: P(change of controller or status) by month {args.turns}, and its causes",
            "", "A base's change is any month its `controller/status` differs from the month before; causes are "
            "the events of that month that name the base (a run counts once per cause)."]
    for x in names:
        out += report_bases(x, ai[x], args.turns)
    out += ["", "### 3. Headline indicators: p5 / p50 / p95 (mean) at months " + ", ".join(map(str, MONTHS))]
    for x in names:
        out += report_headline(x, ai[x])
    out += ["", "### 4. The experiment's verdicts (configs/experiments/projected-outcomes.yaml)", ""]
    out += report_verdicts(ai, args.seeds)
    if BASELINE in names:
        out += ["", "### 5. Player strategies (issue 10 point 7), each against the AI on the same seeds", "",
                "**Syria pivots West on the baseline** (engages the US, the EU and the UK every month it can, for 12 "
                "or 24 months; then its AI). Expected: on the Western side in most seeds, and further West than "
                "the AI Syria. Margin: Syria's alignment margin (negative = content in its bloc).", ""]
        out += report_pivot(ai[BASELINE], {12: res[(BASELINE, "pivot12")], 24: res[(BASELINE, "pivot24")]})
        out += ["", "**Russia courts Damascus** (concede on basing + engage Syria, then aid Syria + deploy at "
                "Tartus, alternating months; nothing else; a concession steps towards the stance of the actor "
                "whose stance weighs most against Russia's, on basing the United States'). Expected: holds Tartus "
                "at least as often as the AI Russia. Consent: Damascus's consent to the Tartus lease (renegotiated "
                "below 0.35, notice below 0.2).", ""]
        out += report_court({(x, mode): res[(x, None if mode == "ai" else "court")] for x in court_names
                             for mode in ("ai", "court")}, court_names)
        out += ["", f"**Syria attacks the SDF where its force ratio is best** (one attack a month for "
                f"{OFFENSIVE_MONTHS} months, spare points on its AI). Expected: takes >= 0.3 of the governorate "
                f"within {OFFENSIVE_MONTHS} months in most seeds. Fronts where the SDF holds >= 0.3 at the start "
                "(Syria's force ratio A/D of the attack, p of a first attack): "
                + ", ".join(f"{r} {x:.2f}:1 (p={p:.2f})" for r, x, p, _ in all_fronts)
                + "; each front with a ratio above 1 is played.", ""]
        for f in better:
            out += report_offensive(f, res[(BASELINE, f"offensive:{f[0]}")])
        out += ["", f"**The US withdraws** (withdraw from al-Tanf, Rmelan and al-Shaddadi every month it can, "
                f"{WITHDRAW_MONTHS} months). Expected: each base passes to whoever holds the largest share of its "
                "governorate.", ""]
        out += report_withdrawal(res[(BASELINE, "withdraw")])
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
