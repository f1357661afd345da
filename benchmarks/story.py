"""How readable is the story? Figures over many seeds of a scenario (default: 100 seeds x 24 months of the baseline).

Prints, per run (mean over runs unless said otherwise):
- events: how many entries the log has;
- distinct: the share of a run's sentences that are distinct (the issue's measure), and the same share once the
  "Nth month running" phrase of a merged repeat is taken out (what a reader sees as new);
- no-op: sentences telling a change of nothing ("position -0.0", "relation +0.00");
- one-shot repeats: threshold consequences and `max_times: 1` events told more than once in a run (total over runs,
  and the worst run);
- wrong-way concessions: "softened its stance" while the position moved towards the actor's own ideal;
- stale orders: demands or concessions on an issue whose talks were over (Russian basing after Russia had left both
  treaty bases, Khmeimim and Tartus);
- silent talks: bargaining moves of more than talks.tell_move points (10 on a 0-100 scale unless the scenario says)
  in a month that no event tells;
and a sample month's log.

Run: .venv/bin/python benchmarks/story.py [--seeds 100] [--turns 24] [--scenario baseline-2025] [--root DIR]
`--root` runs another checkout's model (e.g. a worktree of an older commit) for a before/after comparison.
"""
from __future__ import annotations

import argparse
import collections
import re
import statistics
import sys
from pathlib import Path

NOOP = re.compile(r"(?:relation|position|garrison|control) [+-]0\.0+(?!\d)")   # "position -0.0": a change of nothing
EFFECT = re.compile(r"(\w+) position on (\w+)")
RUNNING = re.compile(r",? (?:for )?(?:the )?\w+ months? running")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--turns", type=int, default=24)
    ap.add_argument("--scenario", default="baseline-2025")
    ap.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    ap.add_argument("--sample-seed", type=int, default=26)
    ap.add_argument("--sample-turn", type=int, default=6)
    args = ap.parse_args()
    sys.path.insert(0, args.root)
    import model.sim.model as simmodel
    from model import WargameModel, load_scenario

    sc = load_scenario(args.scenario)
    one_shot_events = {eid for eid, e in sc.events.items() if e.max_times == 1}
    rus = sc.roles.resolved(list(sc.actors)).get("russia")
    basing = "russian_basing" if "russian_basing" in sc.issues else None
    tell = sc.talks.tell_move if hasattr(sc, "talks") else 10.0

    concede_log: list[tuple[int, int, float, float]] = []      # (issue, actor, position before, ideal)
    original = simmodel.resolve

    def watched(ctx, a, o, rng):
        if o.kind == "concede":
            i = ctx.w.kidx(o.issue)
            concede_log.append((i, a, float(ctx.w.position[i, a]), float(ctx.w.ideal[i, a])))
            out = original(ctx, a, o, rng)
            i, a, before, ideal = concede_log[-1]
            after = float(ctx.w.position[i, a])
            if abs(after - ideal) < abs(before - ideal) - 1e-9:
                for e in out:
                    if e["kind"] == "concede" and "softened" in e["sentence"]:
                        e.setdefault("numbers", {})["_wrong_way"] = True
            return out
        return original(ctx, a, o, rng)

    simmodel.resolve = watched
    figures = collections.defaultdict(list)
    one_shot_total, worst = 0, (0, None)
    sample: list[dict] = []
    for seed in range(args.seeds):
        m = WargameModel(sc, seed=seed, turns=args.turns)
        silent = 0
        treaty = [b for b in ("khmeimim", "tartus") if b in sc.bases]
        held_before: dict[int, int] = {0: sum(m.last_record[f"base.{b}.controller"] == rus for b in treaty)}
        for _ in range(args.turns):
            before = m.world.position.copy()
            m.step()
            held_before[m.steps] = sum(m.last_record[f"base.{b}.controller"] == rus for b in treaty)
            after = m.world.position
            span = (m.world.scale[:, 1] - m.world.scale[:, 0])[:, None]
            now = [e for e in m.events() if e["turn"] == m.steps]
            told = {(e["numbers"].get("issue"), e["actors"][0]) for e in now
                    if e["actors"] and "issue" in e.get("numbers", {})}
            told |= {(issue, actor) for e in now for actor, issue in       # events' and thresholds' position effects
                     EFFECT.findall(str(e.get("numbers", {}).get("effects", "")))}
            order_moved = {(o.get("issue"), actor) for actor, orders in
                           (m.orders_log[-1]["orders"] if m.orders_log else {}).items()
                           for o in orders if o["kind"] in ("demand", "concede")}
            order_moved |= {(o.get("issue"), o.get("target")) for orders in
                            (m.orders_log[-1]["orders"] if m.orders_log else {}).values()
                            for o in orders if o["kind"] == "demand"}
            big = abs(after - before) * 100 / span > tell
            for k, a in zip(*big.nonzero(), strict=True):
                key = (m.world.issues[k], m.world.actors[a])
                if key not in told and key not in order_moved:
                    silent += 1
        events = m.events()
        sentences = [e["sentence"] for e in events]
        figures["events"].append(len(events))
        figures["distinct"].append(len(set(sentences)) / max(len(sentences), 1))
        figures["distinct_unmerged"].append(len({RUNNING.sub("", s) for s in sentences}) / max(len(sentences), 1))
        figures["noop"].append(sum(bool(NOOP.search(s)) for s in sentences))
        figures["wrong_way"].append(sum(bool(e.get("numbers", {}).pop("_wrong_way", False)) for e in events))
        stale = 0
        if basing and rus:
            stale = sum(1 for e in events if e["kind"] in ("demand", "concede") and held_before[e["turn"] - 1] == 0
                        and "Russian basing" in e["sentence"])
        figures["stale"].append(stale)
        figures["silent"].append(silent)
        fired = collections.Counter()
        for e in events:
            n = e.get("numbers", {})
            if e["kind"] == "issue" and "threshold" in n:
                fired[(n.get("issue"), n["threshold"])] += 1
            elif e["kind"] == "event" and n.get("event") in one_shot_events:
                fired[("event", n["event"])] += 1
        repeats = sum(c - 1 for c in fired.values() if c > 1)
        one_shot_total += repeats
        if repeats > worst[0]:
            worst = (repeats, seed, fired.most_common(1)[0])
        if seed == args.sample_seed:
            sample = [e for e in events if e["turn"] == args.sample_turn]
    simmodel.resolve = original

    def mean(name: str) -> float:
        return statistics.fmean(figures[name])

    print(f"{args.scenario}: {args.seeds} seeds x {args.turns} months (model from {args.root})")
    print(f"  events per run:                {mean('events'):.1f}")
    print(f"  distinct sentences per run:    {100 * mean('distinct'):.1f}%  (without the 'month running' phrase: "
          f"{100 * mean('distinct_unmerged'):.1f}%)")
    print(f"  no-op sentences per run:       {mean('noop'):.2f}  (runs with any: "
          f"{sum(1 for x in figures['noop'] if x)})")
    print(f"  one-shot repeats:              {one_shot_total} in all runs; worst run: "
          + (f"seed {worst[1]}, {worst[2][0]} told {worst[2][1]} times" if worst[1] is not None else "none"))
    print(f"  wrong-way 'softened' per run:  {mean('wrong_way'):.2f}")
    print(f"  stale basing orders per run:   {mean('stale'):.2f}  (demand/concede on basing, Russia out of "
          "Khmeimim and Tartus)")
    print(f"  silent talks moves per run:    {mean('silent'):.2f}  (> {tell:g} points in a month, told by no event)")
    print(f"  sample: seed {args.sample_seed}, month {args.sample_turn} ({len(sample)} events)")
    for e in sample:
        tag = e.get("importance", "")
        print(f"    [{e.get('phase', '')}{'/' + tag if tag else ''}] {e['sentence']}")


if __name__ == "__main__":
    main()
