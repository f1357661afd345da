"""Helpers of the reliability suite: a real `wargame serve` subprocess, JSON calls, and child processes measured.

Bounds are CPU time and peak memory of the process concerned (os.wait4 gives both for one child), never wall-clock
time, so a loaded CI machine cannot make a test fail; wall-clock limits here are only generous safety nets.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "scenarios" / "mini.yaml"
BASELINE = ROOT / "configs" / "scenarios" / "baseline-2025.yaml"
START_TIMEOUT = 60.0          # seconds; a safety net, not a measurement
CALL_TIMEOUT = 60.0


# Owner tokens of the games and experiments the tests made, by id: what the page that created them keeps. The test
# clients and Server.api send them back (X-Owner-Token) on requests about those ids unless a test gives its own
# header; tests of the owner rule itself use plain_client() or pass owner=False.
OWNERS: dict[str, str] = {}
_OWNED_PATH = re.compile(r"^/api/(?:games|experiments)/([^/?]+)")


def remember_owner(body: Any) -> None:
    if isinstance(body, dict) and isinstance(body.get("owner_token"), str) and isinstance(body.get("id"), str):
        OWNERS[body["id"]] = body["owner_token"]


def owner_of(path: str) -> str | None:
    m = _OWNED_PATH.match(path)
    return OWNERS.get(m.group(1)) if m else None


class OwnerClient(FlaskClient):
    """Flask's test client acting as the page that created each game or experiment: it keeps the owner tokens it
    is given and sends them back on requests about those ids."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        path = args[0] if args and isinstance(args[0], str) else kwargs.get("path")
        if isinstance(path, str) and kwargs.pop("owner", True):
            token = owner_of(path)
            headers = dict(kwargs.get("headers") or {})
            if token and "X-Owner-Token" not in headers:
                kwargs["headers"] = {**headers, "X-Owner-Token": token}
        resp = super().open(*args, **kwargs)
        if resp.mimetype == "application/json":
            remember_owner(resp.get_json(silent=True))
        return resp


def plain_client(app: Any) -> FlaskClient:
    """A test client that sends no owner token of its own: a watcher, or another person."""
    return FlaskClient(app, app.response_class, use_cookies=True)


def process_tree(pid: int) -> list[int]:
    """A process and everything under it (a server, its worker processes, their futures pools), from /proc."""
    kids = [int(k) for task in Path(f"/proc/{pid}/task").iterdir() for k in (task / "children").read_text().split()]
    return [pid] + [p for k in kids for p in process_tree(k)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wargame(*args: str) -> list[str]:
    return [sys.executable, "-m", "model.cli", *args]


def wargame_measured(*args: str) -> list[str]:
    """`wargame args` that reports its peak memory to run_measured."""
    return python_module_measured("model.cli", *args)


def make_data_dir(path: Path) -> Path:
    """A data dir holding the small test scenario as the user scenario `mini`."""
    (path / "scenarios").mkdir(parents=True, exist_ok=True)
    shutil.copy(MINI, path / "scenarios" / "mini.yaml")
    return path


def new_game(client: Any, **body: Any) -> dict:
    """Create a game of the mini scenario through a Flask test client; the response (id, tokens, ...)."""
    r = client.post("/api/games", json={"scenario": "mini", "seed": 5, **body})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]
    seconds: float


def call(url: str, method: str, path: str, body: Any = None, token: str | None = None,
         headers: dict[str, str] | None = None, raw: bytes | None = None, owner: bool = True) -> Reply:
    """One HTTP request; the JSON body decoded (or the text when it is not JSON). As the creating page does, it
    sends the owner token of the game or experiment in `path` it was given (owner=False: none)."""
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method=method)
    kept = owner_of(path) if owner else None
    if kept and "X-Owner-Token" not in (headers or {}):
        req.add_header("X-Owner-Token", kept)
    if data is not None and raw is None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("X-Seat-Token", token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=CALL_TIMEOUT) as resp:
            status, text, hdrs = resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as err:
        status, text, hdrs = err.code, err.read(), dict(err.headers)
    seconds = time.perf_counter() - t0
    try:
        parsed: Any = json.loads(text)
    except ValueError:
        parsed = text.decode("utf-8", "replace")
    remember_owner(parsed)
    return Reply(status, parsed, hdrs, seconds)


class Server:
    """`wargame serve` on 127.0.0.1 in its own process group, stdout+stderr in a log file. With `--cold-futures`
    unless `warm_futures`: none of these tests asks for futures, and each server process warming a pool (a fork
    server importing the model) cost ~2 s of CPU, ~40 servers in the suite. The warm pool has its own tests
    (tests/server/test_pool_stop.py, the e2e server, test_workers' worker-stop test)."""

    def __init__(self, data_dir: Path, log_dir: Path, env: dict[str, str] | None = None,
                 extra_args: tuple[str, ...] = (), port: int | None = None, warm_futures: bool = False) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"serve-{self.port}-{time.monotonic_ns()}.log"
        self._log = open(self.log_path, "w+b")
        self.proc = subprocess.Popen(
            wargame("serve", "--port", str(self.port), "--data-dir", str(data_dir),
                    *(() if warm_futures else ("--cold-futures",)), *extra_args),
            stdout=self._log, stderr=subprocess.STDOUT, cwd=ROOT, env={**os.environ, **(env or {})},
            start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited early:\n{self.log()}")
            try:
                urllib.request.urlopen(self.url + "/api/scenarios", timeout=5).read()
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.kill()
        raise AssertionError(f"server did not start:\n{self.log()}")

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, needle: str, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.log():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} never appeared in the server log:\n{self.log()}")
            time.sleep(0.02)

    def api(self, method: str, path: str, body: Any = None, token: str | None = None, **kw: Any) -> Reply:
        return call(self.url, method, path, body, token, **kw)

    def kill(self) -> None:
        """SIGKILL the whole process group: no clean-up code of the server runs."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self._log.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
                return
        self._log.close()


@dataclass
class ChildRun:
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float        # user + system CPU time of the child alone (os.wait4)
    max_rss_mb: float         # its peak resident memory after exec (VmHWM), or -1 when it did not say


# Runs a Python module as __main__ and, at exit, writes the peak resident memory of this very program (VmHWM of its
# own address space) to a file. ru_maxrss cannot be used: Linux carries the forking parent's peak (the whole pytest
# process) over into the child's ru_maxrss at exec.
_HWM_LAUNCHER = """
import atexit, os, runpy, sys
def _hwm():
    with open('/proc/self/status') as src:
        kb = next(line.split()[1] for line in src if line.startswith('VmHWM:'))
    with open(os.environ['RELIABILITY_HWM_FILE'], 'w') as out:
        out.write(kb)
atexit.register(_hwm)
module = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_module(module, run_name='__main__', alter_sys=True)
"""


def python_module_measured(module: str, *args: str) -> list[str]:
    """argv running `python -m module args` under the memory-reporting launcher (see run_measured)."""
    return [sys.executable, "-c", _HWM_LAUNCHER, module, *args]


def run_measured(argv: list[str], cwd: Path = ROOT, timeout: float = 120.0) -> ChildRun:
    """Run a child process and measure its own CPU time with os.wait4 (RUSAGE_CHILDREN would mix in every earlier
    child of the test process) and, for python_module_measured argv, its peak memory."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    hwm_file = Path(tempfile.gettempdir()) / f"hwm-{os.getpid()}-{time.monotonic_ns()}"
    proc = subprocess.Popen(argv, cwd=cwd, stdout=out_w, stderr=err_w, stdin=subprocess.DEVNULL,
                            start_new_session=True, env={**os.environ, "RELIABILITY_HWM_FILE": str(hwm_file)})
    os.close(out_w)
    os.close(err_w)
    chunks: dict[int, list[bytes]] = {out_r: [], err_r: []}

    def drain(fd: int) -> None:
        while data := os.read(fd, 65536):
            chunks[fd].append(data)
        os.close(fd)

    readers = [threading.Thread(target=drain, args=(fd,), daemon=True) for fd in (out_r, err_r)]
    for t in readers:
        t.start()
    timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in readers:
        t.join(timeout=10)
    try:
        max_rss_mb = int(hwm_file.read_text()) / 1024
        hwm_file.unlink()
    except (OSError, ValueError):
        max_rss_mb = -1.0
    return ChildRun(proc.returncode, b"".join(chunks[out_r]).decode("utf-8", "replace"),
                    b"".join(chunks[err_r]).decode("utf-8", "replace"), usage.ru_utime + usage.ru_stime, max_rss_mb)
