"""Latency of a turn over HTTP (POST /api/games/<id>/step) against a real `wargame serve` on 127.0.0.1.

AI-only games of the baseline scenario (mini.yaml if the baseline is missing), played to the end: first one game at a
time, then 10 games at once (one thread per game). Prints p50/p95/max per case; target p95 < 150 ms alone.
Then validating the scenario's YAML as the editor does (target p95 < 100 ms).
Also the first load of the home page and of a game page (the HTML, then every /static file it references, then the
game's state as the page fetches it), target < 1 s. Run: .venv/bin/python benchmarks/server.py [--games N]
"""
from __future__ import annotations

import argparse
import json
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
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "configs" / "scenarios" / "baseline-2025.yaml"
MINI = ROOT / "tests" / "data" / "scenarios" / "mini.yaml"
TARGET_P95_ALONE = 0.150     # seconds
TARGET_FIRST_LOAD = 1.0      # seconds
TARGET_VALIDATE = 0.100      # seconds, p95 of validating the baseline's YAML (the editor validates as you type)
VALIDATE_CALLS = 20
IMPORT_RE = re.compile(r"""(?:from|import)\s*\(?\s*["'](\.{1,2}/[^"']+)["']""")   # relative ES module imports
CONCURRENT_GAMES = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url: str, method: str = "GET", body: object = None) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if method != "GET":
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def timed(url: str, method: str = "GET", body: object = None) -> tuple[float, int, bytes]:
    start = time.perf_counter()
    status, data = call(url, method, body)
    return time.perf_counter() - start, status, data


def start_server(data_dir: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "model.cli", "serve", "--port", str(port), "--data-dir",
                             str(data_dir)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            call(f"http://127.0.0.1:{port}/api/scenarios")
            return proc
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None:
                raise SystemExit("the server exited at start-up")
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start within 30 s")


def play(base: str, scenario: str, seed: int, out: list[float]) -> None:
    """Create an AI-only game and step it to the end, appending each step's latency to `out`."""
    status, data = call(f"{base}/api/games", "POST", {"scenario": scenario, "seed": seed})
    if status != 201:
        raise SystemExit(f"creating a game failed: {status} {data[:200]!r}")
    gid = json.loads(data)["id"]
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
    verdict = "" if target is None else ("  (target p95 < %d ms: %s)" % (target * 1000, "met" if p95 < target
                                                                         else "MISSED"))
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=4, help="games played one at a time (default 4)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="wargame-bench-"))
    scenario = "baseline-2025"
    if not BASELINE.exists():
        (tmp / "scenarios").mkdir(parents=True)
        shutil.copy(MINI, tmp / "scenarios" / "mini.yaml")
        scenario = "mini"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(tmp, port)
    try:
        print(f"scenario {scenario}; server on {base}, data dir {tmp}")
        play(base, scenario, 999, [])                    # warm-up (imports, first scenario load)
        alone: list[float] = []
        for g in range(args.games):
            play(base, scenario, g, alone)
        print(summary("POST step, 1 game at a time", alone, TARGET_P95_ALONE))
        together: list[float] = []
        threads = [threading.Thread(target=play, args=(base, scenario, 100 + g, together))
                   for g in range(CONCURRENT_GAMES)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        print(summary(f"POST step, {CONCURRENT_GAMES} games at once", together)
              + f"  ({len(together) / wall:.0f} turns/s)")
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
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
