"""Bases and territory as users will see them: many seeded 24-month runs of the baseline and its variants, and the
player strategies of issue 10 point 7 (prints markdown tables; docs/model.md quotes them).

1. Per scenario and base: P(the controller or status changed at some month) and P(different at month 24), with
   the causes (lease outcomes, hand-overs, withdrawals, consolidations, strain, seizures, collapses).
2. Russia at Qamishli: how often it leaves, when, and why; the US bases after "Washington ordered US forces down
   to a single base" (washington_swing); the AI's attacks and the ground they took; Syria's economy at month 24.
3. Strategies (scripted seats, every other actor on its AI):
   - Russia courts Damascus (concede on the basing talks, engage, aid, deploy at Tartus, two orders a month)
     against the AI Russia and a passive Russia (no orders): P(Russia holds Tartus) at months 12 and 24, baseline
     and syria-west-pivot.
   - Syria attacks the SDF every month in a governorate where the SDF holds >= 0.3, each such governorate in
     turn (best expected gain first): P(it takes >= 0.3 of a governorate within three months).
   - The US withdraws from every base every month: does each base pass to whoever holds the region?

Run: .venv/bin/python benchmarks/ground.py [--seeds 200] [--strategy-seeds 200] [--workers 2]
"""
from __future__ import annotations

import argparse
import collections
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from model import WargameModel, load_scenario  # noqa: E402
from model.config.scenario import Scenario  # noqa: E402
from model.sim import territory  # noqa: E402

SCENARIOS = ["baseline-2025", "us-engagement", "syria-west-pivot", "kurdish-conflict"]
HELD = {"active", "drawdown", "contested", "reduced"}
_cache: dict[str, Scenario] = {}


def scenario(name: str) -> Scenario:
    if name not in _cache:
        _cache[name] = load_scenario(ROOT / "configs" / "scenarios" / f"{name}.yaml")
    return _cache[name]


def with_script(sc: Scenario, actor: str, script: dict[int, list[dict]], fallback: str = "utility") -> Scenario:
    """The scenario with one actor on a scripted policy (its spare points on `fallback`)."""
    data = sc.model_dump(mode="python", by_alias=True)
    data["actors"][actor]["policy"] = {"kind": "scripted", "script": script, "fallback": fallback}
    return Scenario.model_validate(data)


# ----------------------------------------------------------------------------------------------- the runs
def run_ai(job: tuple[str, int]) -> dict:
    """One AI-only run: per-base changes and causes, Qamishli, the US after the swing, attacks, economy."""
    name, seed = job
    m = WargameModel(scenario(name), seed=seed).run(24)
    df = m.indicators()
    events = m.events()
    bases = {}
    for b in m.world.bases:
        ctrl, st = df[f"base.{b}.controller"].tolist(), df[f"base.{b}.status"].tolist()
        changed = [t for t in range(1, len(ctrl)) if (ctrl[t], st[t]) != (ctrl[t - 1], st[t - 1])]
        causes = [_cause(e) for e in events if e["numbers"].get("base") == b and _cause(e)]
        bases[b] = {"ever": bool(changed), "end": (ctrl[-1], st[-1]) != (ctrl[0], st[0]),
                    "first": changed[0] if changed else None, "causes": causes,
                    "end_state": f"{ctrl[-1]}/{st[-1]}"}
    qam = [e for e in events if e["numbers"].get("base") == "qamishli" and e["kind"] in ("base_change", "lease")]
    swing = [e["turn"] for e in events if e.get("numbers", {}).get("event") == "washington_swing"]
    us_held = [sum(df[f"base.{b}.controller"].iloc[t] == "USA" and df[f"base.{b}.status"].iloc[t] in HELD
                   for b in ("al_tanf", "rmelan", "shaddadi")) for t in range(25)]
    takes = [e for e in events if e["kind"] == "territory"]
    attacks = [e for e in events if e["kind"] in ("territory", "attack")]
    strikes = collections.Counter(tuple(e["actors"][:2]) for e in events if e["kind"] == "strike")
    return {"bases": bases, "qamishli": [(e["turn"], e["sentence"]) for e in qam], "swing": swing,
            "us_held": us_held, "takes": [(e["turn"], e["actors"][0], e["actors"][1], e["numbers"]["region"],
                                           e["numbers"]["taken"]) for e in takes],
            "attacks": len(attacks), "strikes": strikes,
            "syr_econ": float(df["capability.SYR.economic"].iloc[-1]),
            "syr_mil": float(df["capability.SYR.military"].iloc[-1]),
            "sdf_mil": float(df["capability.SDF.military"].iloc[-1]),
            "tartus": [df["base.tartus.controller"].iloc[t] == "RUS" and df["base.tartus.status"].iloc[t] in HELD
                       for t in (12, 24)]}


def _cause(e: dict) -> str | None:
    """A base event's cause, in a word."""
    k, n = e["kind"], e["numbers"]
    if k == "lease":
        return f"lease:{n['outcome']}"
    if k == "base_change":
        s = e["sentence"]
        if n.get("cause"):
            return f"left:{n['cause']}"
        if "seized" in s:
            return "seized"
        if "withdrew" in s:
            return "withdrew" + (":strain" if "budget" in s else "")
        return "collapsed"
    if k == "consolidate":
        return "consolidated"
    return None


def run_courting(job: tuple[str, int, str]) -> tuple[bool, bool]:
    """Russia courting Damascus, the AI Russia, or a passive Russia: does it hold Tartus at months 12 and 24?"""
    name, seed, mode = job
    sc = scenario(name)
    if mode == "passive":
        sc = with_script(sc, "RUS", {}, fallback="hold")
    if mode == "court":
        offers = [{"kind": "concede", "issue": "russian_basing"}, {"kind": "engage", "target": "SYR"},
                  {"kind": "aid", "target": "SYR"}, {"kind": "deploy", "base": "tartus"}]
        script = {t: offers[2 * (t % 2):] + offers[:2 * (t % 2)] for t in range(1, 25)}
        sc = with_script(sc, "RUS", script, fallback="hold")
    df = WargameModel(sc, seed=seed).run(24).indicators()
    return tuple(bool(df["base.tartus.controller"].iloc[t] == "RUS" and df["base.tartus.status"].iloc[t] in HELD)
                 for t in (12, 24))  # type: ignore[return-value]


def fronts(sc: Scenario) -> list[tuple[str, float, float]]:
    """(governorate, p of Syria's first attack on the SDF there, the SDF's share) where the SDF holds >= 0.3, best
    expected first-month gain (p x amount x share) first: where a 0.3 gain is within reach."""
    m = WargameModel(sc, seed=0)
    w = m.world
    syr, sdf = w.idx("SYR"), w.idx("SDF")
    regions = [r for r in range(len(w.regions)) if w.control[r, sdf] >= 0.3]
    p, _, _ = territory.contest(w, sc, np.full(len(regions), syr), np.full(len(regions), sdf), np.array(regions))
    rows = [(w.regions[r], float(p[i]), float(w.control[r, sdf])) for i, r in enumerate(regions)]
    return sorted(rows, key=lambda x: -x[1] * x[2])


def run_offensive(job: tuple[str, int, str]) -> dict:
    """Syria attacks the SDF in `front` every month: the ground its attacks took within three months (the most in
    any governorate), and what stopped the others (battles lost, attacks held back by a ceasefire)."""
    name, seed, front = job
    sc = with_script(scenario(name), "SYR", {t: [{"kind": "attack", "target": "SDF", "region": front}]
                                             for t in range(1, 4)})
    m = WargameModel(sc, seed=seed)
    syr, sdf = m.world.idx("SYR"), m.world.idx("SDF")
    frozen = 0                                     # months whose attack a ceasefire forbade or called off
    for _ in range(3):
        frozen += bool(m.world.ceasefire[syr, sdf] > 0)   # lines frozen when the month's orders are given
        m.step()
    df = m.indicators()
    mine = [e for e in m.events() if e["kind"] in ("territory", "attack") and e["actors"][:2] == ["SYR", "SDF"]]
    taken: dict[str, float] = collections.Counter()
    for e in mine:
        if e["kind"] == "territory":
            taken[e["numbers"]["region"]] += e["numbers"]["taken"]
    return {"gained": max(taken.values(), default=0.0), "wins": sum(e["kind"] == "territory" for e in mine),
            "held": frozen + sum(e["kind"] == "attack" and "ceasefire" in e["numbers"] for e in mine),
            "lost": sum(e["kind"] == "attack" and "p" in e["numbers"] for e in mine),
            "sdf_mil": float(df["capability.SDF.military"].iloc[3]),
            "syr_mil": float(df["capability.SYR.military"].iloc[3])}


def run_withdrawal(job: tuple[str, int]) -> list[tuple[str, str, str]]:
    """The US withdraws from every base every month: (base, who got it, who held the largest share then)."""
    name, seed = job
    orders = [{"kind": "withdraw", "base": b} for b in ("al_tanf", "rmelan", "shaddadi")]
    sc = with_script(scenario(name), "USA", {t: list(orders) for t in range(1, 25)})
    m = WargameModel(sc, seed=seed)
    out = []
    for _ in range(24):
        before = {b: int(m.world.base_ctrl[m.world.bidx(b)]) for b in ("al_tanf", "rmelan", "shaddadi")}
        m.step()
        w = m.world
        for b, old in before.items():
            j = w.bidx(b)
            if old == w.idx("USA") and w.base_ctrl[j] != old:
                leader = w.actors[int(np.argmax(w.control[w.base_region[j]]))]
                out.append((b, w.actors[w.base_ctrl[j]] if w.base_ctrl[j] >= 0 else "none", leader))
    return out


# ---------------------------------------------------------------------------------------------- reports
def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def report_ai(name: str, runs: list[dict]) -> None:
    n = len(runs)
    print(f"\n### {name} ({n} seeds x 24 months)\n")
    print("| base | start | P(changed at some month) | P(different at month 24) | first change (median month) "
          "| causes (share of runs with it) | most common end state |")
    print("|---|---|---|---|---|---|---|")
    sc = scenario(name)
    for b in runs[0]["bases"]:
        rs = [r["bases"][b] for r in runs]
        causes = collections.Counter(c for r in rs for c in set(r["causes"]))
        firsts = [r["first"] for r in rs if r["first"] is not None]
        start = f"{sc.bases[b].controller}/{sc.bases[b].status}"
        ends = collections.Counter(r["end_state"] for r in rs).most_common(2)
        print(f"| {b} | {start} | {pct(sum(r['ever'] for r in rs) / n)} | {pct(sum(r['end'] for r in rs) / n)} | "
              f"{statistics.median(firsts) if firsts else '-'} | "
              + ", ".join(f"{c} {pct(k / n)}" for c, k in causes.most_common(5)) + " | "
              + ", ".join(f"{s} {pct(k / n)}" for s, k in ends) + " |")
    left = [r for r in runs if any("left" in s or "withdrew" in s for _, s in r["qamishli"])]
    print(f"\nRussia leaves Qamishli in {pct(len(left) / n)} of runs", end="")
    if left:
        months = [min(t for t, s in r["qamishli"] if "left" in s or "withdrew" in s) for r in left]
        why = collections.Counter("strain" if any("budget" in s for _, s in r["qamishli"]) else
                                  "notice" if any("notice" in s for _, s in r["qamishli"]) else "other"
                                  for r in left)
        print(f" (median month {statistics.median(months)}; why: "
              + ", ".join(f"{k} {pct(v / len(left))}" for k, v in why.most_common()) + ")")
        example = next(s for t, s in left[0]["qamishli"] if "withdrew" in s or "left" in s)
        print(f"  e.g. \"{example}\"")
    else:
        print()
    swung = [r for r in runs if r["swing"]]
    if swung:
        single = [r for r in swung if r["us_held"][-1] <= 1]
        lag = [next((t - r["swing"][0] for t in range(r["swing"][0], 25) if r["us_held"][t] <= 1), None)
               for r in swung]
        lag = [x for x in lag if x is not None]
        print(f"washington_swing fired in {pct(len(swung) / n)} of runs; the US held <= 1 base at month 24 in "
              f"{pct(len(single) / len(swung))} of those (median {statistics.median(lag) if lag else '-'} months "
              f"after the order); without the swing: "
          f"{pct(sum(r['us_held'][-1] <= 1 for r in runs if not r['swing']) / max(1, n - len(swung)))}")
    print("US bases held at month 24: " + ", ".join(f"{k}: {pct(v / n)}" for k, v in sorted(
        collections.Counter(r["us_held"][-1] for r in runs).items())))
    takes = collections.Counter((a, t, reg) for r in runs for _, a, t, reg, _ in r["takes"])
    print(f"AI attacks per run: {statistics.mean(r['attacks'] for r in runs):.2f}; ground taken (runs with it): "
          + ", ".join(f"{a} from {t} in {reg} "
                      f"{pct(sum(any(x[1:4] == (a, t, reg) for x in r['takes']) for r in runs) / n)}"
                      for (a, t, reg), _ in takes.most_common(5)))
    strikes = sum((r["strikes"] for r in runs), collections.Counter())
    print("AI strikes per run by pair: " + ", ".join(f"{a}->{t} {k / n:.2f}" for (a, t), k in strikes.most_common(6)))
    econ = sorted(r["syr_econ"] for r in runs)
    print(f"Syria's economic index at month 24 (start 2.6): p5 {np.percentile(econ, 5):.2f}, median "
          f"{np.median(econ):.2f}, p95 {np.percentile(econ, 95):.2f}; military SYR median "
          f"{np.median([r['syr_mil'] for r in runs]):.1f} (start 35), "
          f"SDF {np.median([r['sdf_mil'] for r in runs]):.1f} "
          f"(start 25)")
    print(f"P(Russia holds Tartus): month 12 {pct(np.mean([r['tartus'][0] for r in runs]))}, month 24 "
          f"{pct(np.mean([r['tartus'][1] for r in runs]))}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--strategy-seeds", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scenarios", nargs="*", default=SCENARIOS)
    args = ap.parse_args()
    t0 = time.time()
    with ProcessPoolExecutor(args.workers) as pool:
        for name in args.scenarios:
            report_ai(name, list(pool.map(run_ai, [(name, s) for s in range(args.seeds)], chunksize=8)))
        k = args.strategy_seeds
        print(f"\n### Strategies ({k} seeds each)\n")
        print("| scenario | Russia | P(holds Tartus, month 12) | P(month 24) |")
        print("|---|---|---|---|")
        for name in ("baseline-2025", "syria-west-pivot"):
            for mode in ("ai", "court", "passive"):
                res = list(pool.map(run_courting, [(name, s, mode) for s in range(k)], chunksize=8))
                label = {"ai": "AI", "court": "courts Damascus", "passive": "passive (holds every month)"}[mode]
                kept12, kept24 = np.mean([r[0] for r in res]), np.mean([r[1] for r in res])
                print(f"| {name} | {label} | {pct(kept12)} | {pct(kept24)} |")
        print()
        for name in ("baseline-2025", "kurdish-conflict"):
            for front, p0, share in fronts(scenario(name)):
                res = list(pool.map(run_offensive, [(name, s, front) for s in range(k)], chunksize=8))
                gained = [r["gained"] for r in res]
                short = [r for r in res if r["gained"] < 0.3]
                print(f"Syria attacks the SDF in {front} ({name}; SDF share {share:.2f}, p of the first attack "
                      f"{p0:.2f}): its attacks took >= 0.3 of the governorate within three months in "
                      f"{pct(np.mean([g >= 0.3 for g in gained]))} of runs (median {np.median(gained):.2f}; per run "
                      f"{np.mean([r['wins'] for r in res]):.2f} won, {np.mean([r['lost'] for r in res]):.2f} lost, "
                      f"{np.mean([r['held'] for r in res]):.2f} stopped by a ceasefire; the runs short of 0.3: "
                      f"{pct(np.mean([r['held'] > 0 for r in short]) if short else 0)} had a ceasefire; military "
                      f"after 3 months: SYR {np.median([r['syr_mil'] for r in res]):.1f}, SDF "
                      f"{np.median([r['sdf_mil'] for r in res]):.1f})")
        res = list(pool.map(run_withdrawal, [("baseline-2025", s) for s in range(k)], chunksize=8))
        moves = [x for r in res for x in r]
        right = sum(got == leader for _, got, leader in moves)
        print(f"\nThe US withdraws from every base: {len(moves)} hand-overs in {k} runs, "
              f"{pct(right / max(1, len(moves)))} "
              "to the actor holding the largest share of the region: "
              + ", ".join(f"{b}->{got} {v}" for (b, got, _), v in collections.Counter(moves).most_common(4)))
    print(f"\n({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
