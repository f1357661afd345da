"""Start-up time of the `wargame` command: whole processes of the installed .venv/bin/wargame, new code vs old.

    .venv/bin/python benchmarks/startup.py                 # this checkout vs the commit before the lazy imports
    .venv/bin/python benchmarks/startup.py --old main      # vs another commit (any git revision)
    .venv/bin/python benchmarks/startup.py --old none      # this checkout only

The old code is checked out with `git worktree add` into a temporary folder (removed at the end) and run by the
same interpreter and console script, with PYTHONPATH pointing at the checkout (both sides get PYTHONPATH, so the
only difference is the code). Each side runs in its own checkout, so it validates and runs the baseline of its own
version (the old code cannot read a newer baseline: uncertain numbers are ranges since 3bd264a). Rounds interleave
the commands and the two checkouts, so a burst of load from other processes on the shared machine hits both; one
warm-up round (it also writes the old checkout's .pyc files) is not counted. Prints the median of --rounds per
command with its target, old and new side by side.
Targets on a 2-core machine: --help <= 0.15 s, validate of the baseline <= 0.6 s, a one-turn run <= 1.2 s.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARGAME = ROOT / ".venv" / "bin" / "wargame"
OLD_DEFAULT = "e03cc99"   # the last commit before the quick-start work (model/__init__ lazy, CLI still eager)
COMMANDS = [              # (arguments, target in seconds)
    (["--help"], 0.15),
    (["validate", "configs/scenarios/baseline-2025.yaml"], 0.6),
    (["run", "baseline-2025", "--turns", "1", "--quiet"], 1.2),
]


def seconds(args: list[str], code: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole `wargame ARGS` process running the code in `code`. CPU time (user +
    system, from os.wait4) barely moves with the load of other processes; wall time is what a user waits."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(WARGAME), *args], cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        dt = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"wargame {' '.join(args)} failed with code {code}:\n{err.read().decode()}")
    return dt, usage.ru_utime + usage.ru_stime


def imported_from(code: Path) -> str:
    """Where `model` is imported from with this PYTHONPATH (a check that old and new really differ)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    return subprocess.run([sys.executable, "-c", "import model; print(model.__file__)"], cwd=tempfile.gettempdir(),
                          env=env, capture_output=True, text=True, check=True).stdout.strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=5, help="counted rounds (default 5); the median is printed")
    ap.add_argument("--old", default=OLD_DEFAULT,
                    help=f"git revision to compare with (default {OLD_DEFAULT}), or 'none'")
    args = ap.parse_args()
    if not WARGAME.is_file():
        raise SystemExit(f"{WARGAME} not found: run `make setup` first")
    with tempfile.TemporaryDirectory(prefix="wargame-old-") as tmp:
        sides = {"new": ROOT}
        if args.old != "none":
            old = Path(tmp) / "checkout"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(old), args.old],
                           check=True)
            sides["old"] = old
        try:
            for name, code in sides.items():
                print(f"{name}: model from {imported_from(code)}")
            times: dict[tuple[int, str], list[tuple[float, float]]] = {}
            for k in range(args.rounds + 1):              # round 0 warms up and is not counted
                for i, (cmd, _) in enumerate(COMMANDS):
                    for name, code in (sides.items() if k % 2 else reversed(sides.items())):
                        dt = seconds(cmd, code)
                        if k:
                            times.setdefault((i, name), []).append(dt)
            print(f"median of {args.rounds} interleaved rounds, whole processes of {WARGAME.relative_to(ROOT)}")
            print(f"  {'command':<56} {'target':>6}  {'new':>6}" + (f"  {'old':>6}" if "old" in sides else "")
                  + "   CPU seconds new" + (" / old" if "old" in sides else ""))
            for i, (cmd, target) in enumerate(COMMANDS):
                new, new_cpu = (statistics.median(x) for x in zip(*times[(i, "new")], strict=True))
                line = f"  wargame {' '.join(cmd):<48} {target:5.2f}s  {new:5.2f}s"
                cpu = f"   {new_cpu:.2f}"
                if "old" in sides:
                    old_s, old_cpu = (statistics.median(x) for x in zip(*times[(i, "old")], strict=True))
                    line += f"  {old_s:5.2f}s"
                    cpu += f" / {old_cpu:.2f}  ({old_s / new:.1f}x faster)"
                print(line + cpu + ("" if new <= target else "  ABOVE TARGET"))
            print(f"  load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        finally:
            if "old" in sides:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(sides["old"])],
                               check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
