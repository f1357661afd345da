"""`wargame serve` as a real process: play two turns over HTTP, stop it, start it again on the same data dir, go on.

Also checks what only a real server shows: the URL line, tokens kept out of the access log, one-line start-up errors.
"""
from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

MINI = Path(__file__).parent / "data" / "scenarios" / "mini.yaml"
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wargame(*args: str) -> list[str]:
    return [sys.executable, "-m", "model.cli", *args]


class Server:
    """A `wargame serve` subprocess on 127.0.0.1 with its stdout/stderr in files."""

    def __init__(self, data_dir: Path, port: int, logs: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.out = open(logs / f"serve-{port}-{time.monotonic_ns()}.log", "w+")
        self.proc = subprocess.Popen(wargame("serve", "--port", str(port), "--data-dir", str(data_dir)),
                                     stdout=self.out, stderr=subprocess.STDOUT, cwd=Path(__file__).parent.parent)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited early:\n{self.log()}")
            try:
                urllib.request.urlopen(self.url + "/api/scenarios", timeout=2).read()
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        self.stop()
        raise AssertionError(f"server did not start:\n{self.log()}")

    def log(self) -> str:
        self.out.flush()
        self.out.seek(0)
        return self.out.read()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def call(self, method: str, path: str, body: object = None, token: str | None = None) -> tuple[int, object]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("X-Seat-Token", token)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())


@pytest.fixture()
def data_dir(tmp_path):
    d = tmp_path / "data"
    (d / "scenarios").mkdir(parents=True)
    shutil.copy(MINI, d / "scenarios" / "mini.yaml")
    return d


def test_restart_resumes_games_and_pending_orders(data_dir, tmp_path):
    port = free_port()
    server = Server(data_dir, port, tmp_path)
    try:
        assert f"Serving the Syria 2025 wargame at http://127.0.0.1:{port}/" in server.log()
        status, game = server.call("POST", "/api/games", {"scenario": "mini", "seed": 2, "human": ["SYR", "USA"]})
        assert status == 201
        gid, tokens = game["id"], game["tokens"]
        for turn in (0, 1):
            for actor in ("SYR", "USA"):
                status, menu = server.call("GET", f"/api/games/{gid}/seats/{actor}/orders", token=tokens[actor])
                assert status == 200
                order = menu["feasible"][0]["order"]
                status, out = server.call("POST", f"/api/games/{gid}/orders",
                                          {"actor": actor, "orders": [order], "turn": turn}, token=tokens[actor])
                assert status == 200, out
        assert out["resolved"] is True and out["state"]["turn"] == 2
        status, out = server.call("POST", f"/api/games/{gid}/orders", {"actor": "SYR", "orders": []},
                                  token=tokens["SYR"])
        assert status == 200 and out["waiting_for"] == ["USA"]
        _, before = server.call("GET", f"/api/games/{gid}")
        _, history_before = server.call("GET", f"/api/games/{gid}/history")
        urllib.request.urlopen(f"{server.url}/game/{gid}?seat=SYR&token={tokens['SYR']}", timeout=10).read()
    finally:
        server.stop()
    log = server.log()
    assert tokens["SYR"] not in log and tokens["USA"] not in log
    assert "token=[redacted]" in log

    server = Server(data_dir, port, tmp_path)       # same port, same data dir
    try:
        status, after = server.call("GET", f"/api/games/{gid}")
        assert status == 200 and after == before
        assert after["turn"] == 2 and after["waiting_for"] == ["USA"]
        assert server.call("GET", f"/api/games/{gid}/history")[1] == history_before
        status, out = server.call("POST", f"/api/games/{gid}/orders", {"actor": "SYR", "orders": []},
                                  token=tokens["SYR"])
        assert status == 409 and "already submitted" in out["error"]
        status, out = server.call("POST", f"/api/games/{gid}/orders", {"actor": "USA", "orders": []},
                                  token=tokens["USA"])
        assert status == 200 and out["resolved"] is True and out["state"]["turn"] == 3
        status, export = server.call("GET", f"/api/games/{gid}/export")
        assert [e["turn"] for e in export["orders"]] == [1, 2, 3]
    finally:
        server.stop()


def test_start_up_errors_are_one_line(data_dir, tmp_path):
    with socket.socket() as other:           # another program holds the port
        other.bind(("127.0.0.1", 0))
        other.listen(1)
        port = other.getsockname()[1]
        busy = subprocess.run(wargame("serve", "--port", str(port), "--data-dir", str(data_dir)),
                              capture_output=True, text=True, timeout=60, cwd=Path(__file__).parent.parent)
    assert busy.returncode == 2
    assert busy.stderr.strip().count("\n") == 0 and "already in use" in busy.stderr and "Traceback" not in busy.stderr
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    bad = subprocess.run(wargame("serve", "--port", str(free_port()), "--data-dir", str(blocker / "sub")),
                         capture_output=True, text=True, timeout=60, cwd=Path(__file__).parent.parent)
    assert bad.returncode == 2 and "data dir is not writable" in bad.stderr
    assert bad.stderr.strip().count("\n") == 0 and "Traceback" not in bad.stderr
