"""Latency of a turn over HTTP (POST /api/games/<id>/step) against a real `wargame serve` on 127.0.0.1.

AI-only games of the baseline scenario (mini.yaml if the baseline is missing), played to the end: first one game at a
time, then 10 games at once (one thread per game). Prints p50/p95/max per case; target p95 < 150 ms alone and
<= 60 ms with 10 games at once. The server's CPU per game creation (POST /api/games, from /proc/<pid>/stat; target
<= 20 ms) and per step (one game at a time, and 10 at once), beside the model's own turn measured in this process:
CPU per step is far less sensitive than latency to what else runs on the machine. Then validating the scenario's YAML
as the editor does (target p95 < 100 ms). Also the first load of the home page and of a game page (the HTML, then
every /static file it references, then the game's state as the page fetches it), target < 1 s.

    .venv/bin/python benchmarks/server.py [--games N] [--rounds 3] [--compare OLD_TREE] [--workers N]
                                          [--connection keep-alive|close]

Each game is played by a client of its own, which keeps its HTTP/1.1 connection from creating the game to its last
step, as a browser keeps its connections (--connection close: a new connection for every request, as urllib makes).
The server's CPU is that of its whole process tree (the workers of `wargame serve --workers N`, the futures' pool).

--compare OLD_TREE: a checkout of another version (e.g. `git archive <commit> | tar -x -C /tmp/old`); its server
runs from that tree with this Python, and the two are measured in alternating order, round after round, medians of
the rounds side by side (the machine is shared and noisy).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import posixpath
import re
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
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "configs" / "scenarios" / "baseline-2025.yaml"
MINI = ROOT / "tests" / "data" / "scenarios" / "mini.yaml"
TARGET_P95_ALONE = 0.150     # seconds
TARGET_P95_TOGETHER = 0.060  # seconds, 10 games at once
TARGET_CREATE_CPU = 0.020    # seconds of server CPU per POST /api/games
CREATIONS = 30
TARGET_FIRST_LOAD = 1.0      # seconds
TARGET_VALIDATE = 0.100      # seconds, p95 of validating the baseline's YAML (the editor validates as you type)
VALIDATE_CALLS = 20
IMPORT_RE = re.compile(r"""(?:from|import)\s*\(?\s*["'](\.{1,2}/[^"']+)["']""")   # relative ES module imports
CONCURRENT_GAMES = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


OWNERS: dict[str, str] = {}     # game id -> owner token (servers from before owners return none)


KEEP_ALIVE = True               # --connection keep-alive (default): each client thread keeps one connection
_CONNECTIONS = threading.local()


def call(url: str, method: str = "GET", body: object = None) -> tuple[int, bytes]:
    """One request. With KEEP_ALIVE, on this thread's own HTTP/1.1 connection, as a browser keeps one (opened
    again when the server has closed it); else on a new connection each time (urllib)."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if method != "GET" else {}
    gid = re.search(r"/api/games/([^/?]+)", url)
    if gid and gid.group(1) in OWNERS:
        headers["X-Owner-Token"] = OWNERS[gid.group(1)]
    if KEEP_ALIVE:
        return _kept(url, method, data, headers)
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def close_connections() -> None:
    """End this thread's kept connections: the client is done (each game is played by a client of its own)."""
    for conn in _CONNECTIONS.__dict__.pop("by_host", {}).values():
        conn.close()


def _kept(url: str, method: str, data: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    for attempt in (1, 2):
        conns = _CONNECTIONS.__dict__.setdefault("by_host", {})
        conn = conns.get(parts.netloc)
        if conn is None:
            conn = conns[parts.netloc] = http.client.HTTPConnection(parts.netloc, timeout=60)
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            out = resp.status, resp.read()
            if resp.will_close:
                conn.close()
                del conns[parts.netloc]
            return out
        except (ConnectionError, http.client.HTTPException):   # the server closed a kept connection: once more
            conn.close()
            del conns[parts.netloc]
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def timed(url: str, method: str = "GET", body: object = None) -> tuple[float, int, bytes]:
    start = time.perf_counter()
    status, data = call(url, method, body)
    return time.perf_counter() - start, status, data


def start_server(data_dir: Path, port: int, root: Path = ROOT, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "model.cli", "serve", "--port", str(port), "--data-dir",
                             str(data_dir), *extra], cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            call(f"http://127.0.0.1:{port}/api/scenarios")
            return proc
        except (urllib.error.URLError, ConnectionError) as exc:
            if proc.poll() is not None:
                raise SystemExit("the server exited at start-up") from exc
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start within 30 s")


def play(base: str, scenario: str, seed: int, out: list[float]) -> None:
    """A client (its own connection) creates an AI-only game and steps it to the end, appending each step's
    latency to `out`."""
    try:
        _play(base, scenario, seed, out)
    finally:
        close_connections()


def warm_up(base: str, scenario: str, games: int = 4) -> None:
    """A few games at once, so every worker process of the server has loaded the scenario and run a turn."""
    threads = [threading.Thread(target=play, args=(base, scenario, 990 + g, [])) for g in range(games)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _play(base: str, scenario: str, seed: int, out: list[float]) -> None:
    status, data = call(f"{base}/api/games", "POST", {"scenario": scenario, "seed": seed})
    if status != 201:
        raise SystemExit(f"creating a game failed: {status} {data[:200]!r}")
    made = json.loads(data)
    gid = made["id"]
    if made.get("owner_token"):
        OWNERS[gid] = made["owner_token"]
    while True:
        elapsed, status, data = timed(f"{base}/api/games/{gid}/step", "POST", {})
        if status == 409:
            return
        if status != 200:
            raise SystemExit(f"step failed: {status} {data[:200]!r}")
        out.append(elapsed)
        if json.loads(data)["done"]:
            return


def summary(name: str, samples: list[float], target: float | None = None) -> str:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    p50, p95 = statistics.median(samples), q[94]
    met = "met" if target is not None and p95 < target else "MISSED"
    verdict = "" if target is None else f"  (target p95 < {target * 1000:.0f} ms: {met})"
    return (f"{name:<28} n={len(samples):4d}  p50 {p50 * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  "
            f"max {max(samples) * 1000:6.1f} ms{verdict}")


def first_load(base: str, path: str, state_path: str | None) -> str | None:
    """Time a page as a browser's first visit would fetch it, one request after another (a browser overlaps them):
    the HTML, its static files and the modules they import, then the state it asks for."""
    elapsed, status, html = timed(base + path)
    if status != 200:
        return None
    total, assets = elapsed, 0
    todo = sorted(set(re.findall(r'(?:src|href)="(/static/[^"?#]+)', html.decode("utf-8", "replace"))))
    seen = set(todo)
    while todo:                       # the files, and the ES modules they import
        ref = todo.pop(0)
        t, _, body = timed(base + ref)
        total += t
        assets += 1
        if ref.endswith(".js"):
            folder = ref.rsplit("/", 1)[0]
            for rel in IMPORT_RE.findall(body.decode("utf-8", "replace")):
                target = posixpath.normpath(f"{folder}/{rel}")
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
    if state_path:
        t, _, _ = timed(base + state_path)
        total += t
    verdict = "met" if total < TARGET_FIRST_LOAD else "MISSED"
    return (f"first load {path:<22} HTML {elapsed * 1000:6.1f} ms, with {assets} static files"
            f"{' and the state' if state_path else ''} {total * 1000:6.1f} ms  (target < 1 s: {verdict})")


def server_cpu(proc: subprocess.Popen) -> float:
    """User + system CPU seconds so far of the server and every process under it (its workers with --workers,
    the futures' pool)."""
    return tree_cpu(proc.pid)


def tree_cpu(root: int) -> float:
    """User + system CPU seconds of process `root` and its living descendants (from /proc)."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:                  # ended meanwhile
            continue
        parents[int(entry.name)] = int(fields[1])
        ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
    tree, todo = {root}, [root]
    while todo:
        pid = todo.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                todo.append(child)
    return sum(ticks.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def measure(base: str, proc: subprocess.Popen, scenario: str, games: int, rnd: int) -> dict[str, float]:
    """One round against one server: creation CPU, steps alone, steps of 10 games at once (latency, server CPU)."""
    cpu0 = server_cpu(proc)
    for k in range(CREATIONS):
        status, data = call(f"{base}/api/games", "POST", {"scenario": scenario, "seed": 1000 * rnd + k})
        if status != 201:
            raise SystemExit(f"creating a game failed: {status} {data[:200]!r}")
    create_cpu = (server_cpu(proc) - cpu0) / CREATIONS
    close_connections()
    alone: list[float] = []
    cpu0 = server_cpu(proc)
    for g in range(games):
        play(base, scenario, 10_000 * rnd + g, alone)
    alone_cpu = (server_cpu(proc) - cpu0) / len(alone)        # includes the games' creations, a small share
    together: list[float] = []
    threads = [threading.Thread(target=play, args=(base, scenario, 20_000 * rnd + 100 + g, together))
               for g in range(CONCURRENT_GAMES)]
    cpu0 = server_cpu(proc)
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    step_cpu = (server_cpu(proc) - cpu0) / len(together)     # includes the 10 creations, a small share
    return {"create_cpu_ms": 1000 * create_cpu, "alone_p50_ms": 1000 * statistics.median(alone),
            "alone_p95_ms": 1000 * p95(alone), "together_p50_ms": 1000 * statistics.median(together),
            "together_p95_ms": 1000 * p95(together), "turns_per_s": len(together) / wall,
            "step_cpu_ms": 1000 * step_cpu, "alone_step_cpu_ms": 1000 * alone_cpu}


def model_turn_ms(scenario_path: Path, turns: int = 24, seeds: int = 3) -> float:
    """The model's own turn (WargameModel.step) in this process: the part of a step no server change can remove."""
    sys.path.insert(0, str(ROOT))
    from model import WargameModel, load_scenario

    sc = load_scenario(scenario_path)
    samples = []
    for seed in range(seeds):
        m = WargameModel(sc, seed=seed, turns=turns)
        for _ in range(turns):
            t0 = time.process_time()
            m.step()
            samples.append(time.process_time() - t0)
    return 1000 * statistics.median(samples)


FIGURES = [("create_cpu_ms", "server CPU per game creation", "ms", TARGET_CREATE_CPU * 1000),
           ("alone_p50_ms", "step p50, 1 game at a time", "ms", None),
           ("alone_p95_ms", "step p95, 1 game at a time", "ms", TARGET_P95_ALONE * 1000),
           ("together_p50_ms", f"step p50, {CONCURRENT_GAMES} games at once", "ms", None),
           ("together_p95_ms", f"step p95, {CONCURRENT_GAMES} games at once", "ms", TARGET_P95_TOGETHER * 1000),
           ("alone_step_cpu_ms", "server CPU per step (1 at a time)", "ms", None),
           ("step_cpu_ms", f"server CPU per step ({CONCURRENT_GAMES} at once)", "ms", None),
           ("turns_per_s", f"turns per second ({CONCURRENT_GAMES} at once)", "/s", None)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=4, help="games played one at a time per round (default 4)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per server (default 3)")
    parser.add_argument("--compare", type=Path, metavar="OLD_TREE", help="another version's source tree")
    parser.add_argument("--connection", choices=("keep-alive", "close"), default="keep-alive",
                        help="keep-alive (default): each client keeps its connection, as a browser does; close: a new "
                             "connection per request")
    parser.add_argument("--workers", type=int, help="wargame serve --workers for the new tree's server (default: "
                                                    "its own default, one per core)")
    args = parser.parse_args()
    global KEEP_ALIVE
    KEEP_ALIVE = args.connection == "keep-alive"
    tmp = Path(tempfile.mkdtemp(prefix="wargame-bench-"))
    scenario = "baseline-2025"
    roots = {"new": ROOT} if args.compare is None else {"old": args.compare.resolve(), "new": ROOT}
    dirs = {label: tmp / label for label in roots}
    for d in dirs.values():
        d.mkdir()
    if not BASELINE.exists():
        for d in dirs.values():
            (d / "scenarios").mkdir(parents=True)
            shutil.copy(MINI, d / "scenarios" / "mini.yaml")
        scenario = "mini"
    servers = {}
    try:
        for label, root in roots.items():
            port = free_port()
            extra = ("--workers", str(args.workers)) if args.workers and label == "new" else ()
            servers[label] = (f"http://127.0.0.1:{port}", start_server(dirs[label], port, root, extra))
            warm_up(servers[label][0], scenario)                         # imports, first scenario load
        print(f"scenario {scenario}; connections: {args.connection}; "
              + ", ".join(f"{k}: {v[0]} from {roots[k]}" for k, v in servers.items()))
        rounds: dict[str, list[dict[str, float]]] = {label: [] for label in servers}
        for r in range(args.rounds):
            order = list(servers) if r % 2 == 0 else list(reversed(servers))     # interleaved
            for label in order:
                base, proc = servers[label]
                rounds[label].append(measure(base, proc, scenario, args.games, r))
        turn = model_turn_ms(BASELINE if scenario == "baseline-2025" else MINI)
        print(f"medians of {args.rounds} rounds (alternating order); target in brackets")
        print(f"{'':44}" + "".join(f"{label:>10}" for label in servers))
        for key, name, unit, target in FIGURES:
            cells = "".join(f"{statistics.median(x[key] for x in rounds[label]):10.1f}" for label in servers)
            goal = f"  (<= {target:.0f} {unit})" if target else ""
            print(f"{name + ' [' + unit + ']':44}{cells}{goal}")
        new = {key: statistics.median(x[key] for x in rounds["new"]) for key, *_ in FIGURES}
        print(f"the model's own turn (WargameModel.step, in this process): median {turn:.1f} ms = "
              f"{100 * turn / new['step_cpu_ms']:.0f}% of the server's CPU per step, "
              f"{100 * turn / new['alone_p50_ms']:.0f}% of a lone step's p50")
        base, proc = servers["new"]
        text = (BASELINE if scenario == "baseline-2025" else MINI).read_text(encoding="utf-8")
        checks = []
        for _ in range(VALIDATE_CALLS):
            elapsed, status, data = timed(f"{base}/api/scenarios/validate", "POST", {"yaml": text})
            if status != 200 or not json.loads(data)["ok"]:
                raise SystemExit(f"validating {scenario} failed: {status} {data[:200]!r}")
            checks.append(elapsed)
        print(summary(f"POST validate ({scenario})", checks, TARGET_VALIDATE))
        status, data = call(f"{base}/api/games", "POST", {"scenario": scenario, "seed": 1, "human": []})
        gid = json.loads(data)["id"]
        for line in (first_load(base, "/", "/api/scenarios"), first_load(base, f"/game/{gid}", f"/api/games/{gid}")):
            print(line or "first load: page not built yet (404)")
    finally:
        for _, proc in servers.values():
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
