"""Load: 20 clients play the 20 human seats of 10 games at once against a real `wargame serve` on 127.0.0.1.

Each client is one seat: every turn it fetches its order menu, then submits orders at the same moment as the other
seat of its game (so the two race for the game's lock), then waits for the turn to resolve. 12 turns x 2 requests
+ a final state read = 25 requests per client, 500 in all. Checked afterwards from each game's export and history:
every order recorded exactly once, each turn resolved exactly once (one submission per turn reports `resolved`,
turn numbers contiguous, one snapshot per turn), no errors. Prints p50/p95/max latency.

    .venv/bin/python benchmarks/load.py [--games 10 --turns 12 --scenario mini] [--url http://127.0.0.1:5000]
                                        [--rounds 3] [--compare OLD_TREE]

Without --url it starts its own server on a temporary data dir and also prints the server's CPU per game creation
(/proc/<pid>/stat of the server and its workers around 30 creations; target <= 20 ms). Every request goes on a new
connection, so with `wargame serve --workers N` about (N-1)/N of them are forwarded between workers.
--compare OLD_TREE: a checkout of another version (e.g.
`git archive <commit> | tar -x -C /tmp/old`) served from that tree; the two are loaded in alternating order, round
after round, and the medians of the rounds printed side by side. tests/reliability/test_load.py runs the same code.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "scenarios" / "mini.yaml"
SEATS = ("SYR", "USA")
CALL_TIMEOUT = 60.0          # seconds per request: a hung server fails the run instead of hanging it
BARRIER_TIMEOUT = 120.0


@dataclass
class LoadResult:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    games: list[dict] = field(default_factory=list)                     # create responses
    accepted: dict[tuple[str, int, str], list[dict]] = field(default_factory=dict)   # (game, turn, seat) -> orders
    resolved_by: dict[tuple[str, int], list[str]] = field(default_factory=dict)      # (game, turn) -> seats

    def percentile(self, q: float) -> float:
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] if xs else float("nan")

    def figures(self) -> dict[str, Any]:
        return {"requests": self.requests, "errors": len(self.errors), "seconds": round(self.seconds, 2),
                "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else None,
                "p50_ms": round(1000 * statistics.median(self.latencies), 1) if self.latencies else None,
                "p95_ms": round(1000 * self.percentile(0.95), 1), "max_ms": round(1000 * max(self.latencies), 1)}


def call(url: str, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any, float]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("X-Seat-Token", token)
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=CALL_TIMEOUT) as resp:
            status, text = resp.status, resp.read()
    except urllib.error.HTTPError as err:
        status, text = err.code, err.read()
    return status, json.loads(text), time.perf_counter() - t0


def run_load(url: str, games: int = 10, turns: int = 12, scenario: str = "mini", seed: int = 1) -> LoadResult:
    """Play `games` games of two human seats each, one client thread per seat, all at once."""
    res = LoadResult()
    lock = threading.Lock()
    for g in range(games):
        status, body, _ = call(url, "POST", "/api/games", {"scenario": scenario, "seed": seed + g, "turns": turns,
                                                           "human": list(SEATS)})
        if status != 201:
            raise RuntimeError(f"could not create a game: {status} {body}")
        res.games.append(body)
    barriers = {g["id"]: threading.Barrier(len(SEATS), timeout=BARRIER_TIMEOUT) for g in res.games}

    def request(method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        status, data, seconds = call(url, method, path, body, token)
        with lock:
            res.requests += 1
            res.latencies.append(seconds)
            if status >= 400:
                res.errors.append(f"{method} {path} -> {status}: {data}")
        return status, data

    def client(index: int, game: dict, seat: str) -> None:
        gid, token = game["id"], game["tokens"][seat]
        rng = random.Random(f"{seed}-{index}-{seat}")
        try:
            for turn in range(turns):
                _, menu = request("GET", f"/api/games/{gid}/seats/{seat}/orders", token=token)
                affordable = [f["order"] for f in menu["feasible"] if 0 < f["cost"] <= menu["action_points"]]
                orders = rng.sample(affordable, k=min(len(affordable), rng.choice((0, 1, 1, 2))))
                points = sum(f["cost"] for f in menu["feasible"] if f["order"] in orders)
                if points > menu["action_points"]:
                    orders = orders[:1]
                barriers[gid].wait()                 # both seats submit at the same moment
                status, out = request("POST", f"/api/games/{gid}/orders",
                                      {"actor": seat, "orders": orders, "turn": turn}, token=token)
                if status == 200:
                    with lock:
                        res.accepted[(gid, turn + 1, seat)] = out["accepted"]
                        if out["resolved"]:
                            res.resolved_by.setdefault((gid, turn + 1), []).append(seat)
                barriers[gid].wait()                 # the turn has resolved before anyone reads the next menu
            request("GET", f"/api/games/{gid}")
        except Exception as exc:     # a failed client is an error to report, not a crash
            with lock:
                res.errors.append(f"client {gid}/{seat}: {type(exc).__name__}: {exc}")
            barriers[gid].abort()

    threads = [threading.Thread(target=client, args=(i, g, s), daemon=True) for i, g in enumerate(res.games)
               for s in SEATS]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=BARRIER_TIMEOUT * (turns + 1))
    res.seconds = time.perf_counter() - t0
    if any(t.is_alive() for t in threads):
        res.errors.append("some clients never finished")
    return res


def verify(url: str, res: LoadResult, turns: int) -> list[str]:
    """Everything the load promised, read back from the server: a list of problems (empty when all is well)."""
    problems = []
    for game in res.games:
        gid = game["id"]
        _, export, _ = call(url, "GET", f"/api/games/{gid}/export")
        _, history, _ = call(url, "GET", f"/api/games/{gid}/history")
        _, state, _ = call(url, "GET", f"/api/games/{gid}")
        if [e["turn"] for e in export["orders"]] != list(range(1, turns + 1)):
            problems.append(f"{gid}: turns in the orders log {[e['turn'] for e in export['orders']]}")
        if [r["turn"] for r in history["rows"]] != list(range(turns + 1)):
            problems.append(f"{gid}: snapshots {[r['turn'] for r in history['rows']]}")
        if state["turn"] != turns or not state["done"]:
            problems.append(f"{gid}: ended at turn {state['turn']} (done={state['done']})")
        for entry in export["orders"]:
            t = entry["turn"]
            for seat in SEATS:
                if (gid, t, seat) not in res.accepted:
                    problems.append(f"{gid} turn {t}: {seat}'s submission was not accepted")
                elif entry["orders"].get(seat, []) != res.accepted[(gid, t, seat)]:
                    problems.append(f"{gid} turn {t}: {seat}'s orders {res.accepted[(gid, t, seat)]} logged as "
                                    f"{entry['orders'].get(seat, [])}")
            if len(res.resolved_by.get((gid, t), [])) != 1:
                problems.append(f"{gid} turn {t}: resolved by {res.resolved_by.get((gid, t), [])}")
    return problems


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(root: Path, scenario_file: Path = MINI) -> tuple[subprocess.Popen, str, Path]:
    """`wargame serve` from the source tree `root` on a temporary data dir holding the test scenario."""
    tmp = Path(tempfile.mkdtemp(prefix="wargame-load-"))
    (tmp / "scenarios").mkdir()
    shutil.copy(scenario_file, tmp / "scenarios" / "mini.yaml")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "model.cli", "serve", "--port", str(port), "--data-dir",
                             str(tmp)], cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(url + "/api/scenarios", timeout=2).read()
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    return proc, url, tmp


def server_cpu(pid: int) -> float:
    """User + system CPU seconds of the server and every process under it (its workers with --workers N)."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:              # ended meanwhile
                continue
            parents[int(entry.name)] = int(fields[1])
            ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
    tree, todo = {pid}, [pid]
    while todo:
        parent = todo.pop()
        for child in [c for c, p in parents.items() if p == parent and c not in tree]:
            tree.add(child)
            todo.append(child)
    return sum(ticks.get(p, 0) for p in tree) / os.sysconf("SC_CLK_TCK")


def creation_cpu_ms(url: str, pid: int, scenario: str, n: int = 30) -> float:
    """Server CPU per POST /api/games (two human seats), over n creations."""
    c0 = server_cpu(pid)
    for k in range(n):
        status, body, _ = call(url, "POST", "/api/games", {"scenario": scenario, "seed": k, "human": list(SEATS)})
        if status != 201:
            raise RuntimeError(f"could not create a game: {status} {body}")
    return 1000 * (server_cpu(pid) - c0) / n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="an already running server (default: start one on a temporary data dir)")
    ap.add_argument("--games", type=int, default=10)
    ap.add_argument("--turns", type=int, default=12)
    ap.add_argument("--scenario", default="mini", help="scenario id (mini: the small test scenario; "
                                                       "baseline-2025: the real one)")
    ap.add_argument("--rounds", type=int, default=1, help="rounds per server (default 1)")
    ap.add_argument("--compare", type=Path, metavar="OLD_TREE", help="another version's source tree")
    args = ap.parse_args()
    if args.url:
        res = run_load(args.url, games=args.games, turns=args.turns, scenario=args.scenario)
        return report(args, res, verify(args.url, res, args.turns))
    roots = {"new": ROOT} if args.compare is None else {"old": args.compare.resolve(), "new": ROOT}
    servers = {label: start_server(root) for label, root in roots.items()}
    rounds: dict[str, list[dict[str, Any]]] = {label: [] for label in servers}
    failed = 0
    try:
        for r in range(args.rounds):
            for label in (list(servers) if r % 2 == 0 else list(reversed(servers))):     # interleaved
                proc, url, _ = servers[label]
                create = creation_cpu_ms(url, proc.pid, args.scenario)
                res = run_load(url, games=args.games, turns=args.turns, scenario=args.scenario, seed=1 + 100 * r)
                problems = verify(url, res, args.turns)
                failed += report(args, res, problems, label=label)
                rounds[label].append({**res.figures(), "create_cpu_ms": create})
    finally:
        for proc, _, tmp in servers.values():
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=20)
            shutil.rmtree(tmp, ignore_errors=True)
    if len(servers) > 1 or args.rounds > 1:
        print(f"medians of {args.rounds} rounds (alternating order)")
        print(f"{'':38}" + "".join(f"{label:>10}" for label in servers))
        for key, name in (("create_cpu_ms", "server CPU per game creation [ms]"), ("p50_ms", "latency p50 [ms]"),
                          ("p95_ms", "latency p95 [ms]"), ("max_ms", "latency max [ms]"),
                          ("requests_per_second", "requests per second")):
            print(f"{name:38}" + "".join(f"{statistics.median(x[key] for x in rounds[label]):10.1f}"
                                         for label in servers))
    else:
        print(f"server CPU per game creation {rounds['new'][0]['create_cpu_ms']:.1f} ms (target <= 20 ms)")
    return 1 if failed else 0


def report(args: argparse.Namespace, res: LoadResult, problems: list[str], label: str = "") -> int:
    fig = res.figures()
    tag = f"[{label}] " if label else ""
    print(f"{tag}{args.scenario}: {args.games} games x {len(SEATS)} seats = {args.games * len(SEATS)} clients, "
          f"{args.turns} turns: "
          f"{fig['requests']} requests in {fig['seconds']} s ({fig['requests_per_second']} req/s), "
          f"{fig['errors']} errors")
    print(f"{tag}latency p50 {fig['p50_ms']} ms, p95 {fig['p95_ms']} ms, max {fig['max_ms']} ms")
    print(f"{tag}orders recorded exactly once, turns resolved exactly once: {'yes' if not problems else 'NO'}")
    for p in (res.errors + problems)[:20]:
        print("  " + p)
    return 1 if problems or res.errors else 0


if __name__ == "__main__":
    sys.exit(main())
