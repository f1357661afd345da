"""`wargame serve` as a real process: play two turns over HTTP, stop it, start it again on the same data dir, go on.

Also checks what only a real server shows: the URL line, tokens kept out of the access log, one-line start-up errors.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import urllib.request

import pytest

from reliability_helpers import MINI, ROOT, Server, free_port, wargame


def call(server: Server, method: str, path: str, body: object = None, token: str | None = None) -> tuple[int, object]:
    reply = server.api(method, path, body, token)
    return reply.status, reply.body


@pytest.fixture()
def data_dir(tmp_path):
    d = tmp_path / "data"
    (d / "scenarios").mkdir(parents=True)
    shutil.copy(MINI, d / "scenarios" / "mini.yaml")
    return d


def test_restart_resumes_games_and_pending_orders(data_dir, tmp_path):
    port = free_port()
    server = Server(data_dir, tmp_path, port=port)
    try:
        assert f"Serving the Syria 2025 wargame at http://127.0.0.1:{port}/" in server.log()
        status, game = call(server, "POST", "/api/games", {"scenario": "mini", "seed": 2, "human": ["SYR", "USA"]})
        assert status == 201
        gid, tokens = game["id"], game["tokens"]
        for turn in (0, 1):
            for actor in ("SYR", "USA"):
                status, menu = call(server, "GET", f"/api/games/{gid}/seats/{actor}/orders", token=tokens[actor])
                assert status == 200
                order = menu["feasible"][0]["order"]
                status, out = call(server, "POST", f"/api/games/{gid}/orders",
                                          {"actor": actor, "orders": [order], "turn": turn}, token=tokens[actor])
                assert status == 200, out
        assert out["resolved"] is True and out["state"]["turn"] == 2
        status, out = call(server, "POST", f"/api/games/{gid}/orders", {"actor": "SYR", "orders": []},
                                  token=tokens["SYR"])
        assert status == 200 and out["waiting_for"] == ["USA"]
        _, before = call(server, "GET", f"/api/games/{gid}")
        _, history_before = call(server, "GET", f"/api/games/{gid}/history")
        urllib.request.urlopen(f"{server.url}/game/{gid}?seat=SYR&token={tokens['SYR']}", timeout=10).read()
    finally:
        server.stop()
    log = server.log()
    assert tokens["SYR"] not in log and tokens["USA"] not in log
    assert "token=[redacted]" in log

    # same port, same data dir; one process (the first server had the default workers, one per core)
    server = Server(data_dir, tmp_path, port=port, extra_args=("--workers", "1"))
    try:
        status, after = call(server, "GET", f"/api/games/{gid}")
        assert status == 200 and after == before
        assert after["turn"] == 2 and after["waiting_for"] == ["USA"]
        assert call(server, "GET", f"/api/games/{gid}/history")[1] == history_before
        status, out = call(server, "POST", f"/api/games/{gid}/orders", {"actor": "SYR", "orders": []},
                                  token=tokens["SYR"])
        assert status == 409 and "already submitted" in out["error"]
        status, out = call(server, "POST", f"/api/games/{gid}/orders", {"actor": "USA", "orders": []},
                                  token=tokens["USA"])
        assert status == 200 and out["resolved"] is True and out["state"]["turn"] == 3
        status, export = call(server, "GET", f"/api/games/{gid}/export")
        assert [e["turn"] for e in export["orders"]] == [1, 2, 3]
    finally:
        server.stop()


def test_start_up_errors_are_one_line(data_dir, tmp_path):
    with socket.socket() as other:           # another program holds the port
        other.bind(("127.0.0.1", 0))
        other.listen(1)
        port = other.getsockname()[1]
        busy = subprocess.run(wargame("serve", "--port", str(port), "--data-dir", str(data_dir)),
                              capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert busy.returncode == 2
    assert busy.stderr.strip().count("\n") == 0 and "already in use" in busy.stderr and "Traceback" not in busy.stderr
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    bad = subprocess.run(wargame("serve", "--port", str(free_port()), "--data-dir", str(blocker / "sub")),
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert bad.returncode == 2 and "data dir is not writable" in bad.stderr
    assert bad.stderr.strip().count("\n") == 0 and "Traceback" not in bad.stderr


def test_the_data_dir_check_holds_when_the_workers_make_it_at_once(tmp_path):
    """Every worker of `wargame serve --workers N` checks the data dir as it starts; with one shared probe file, one
    worker's clean-up made another's check fail ("not writable (No such file or directory)")."""
    from concurrent.futures import ProcessPoolExecutor

    from server import data_dir_of
    with ProcessPoolExecutor(4) as pool:
        checked = list(pool.map(data_dir_of, [tmp_path / "data"] * 400, chunksize=1))
    assert checked == [(tmp_path / "data").resolve()] * 400
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["scenarios"]     # no probe left behind
