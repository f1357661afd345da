"""Browser tests: the real `wargame serve` in a subprocess, driven by Playwright with Debian's chromium.

Each xdist worker starts its own server (fresh data dir) and browser. Every page a test opens records the URLs it
requests and the errors it logs; a test fails if a page asked anything of a host other than the server, or raised
a script error. Screenshots go to test-artifacts/ (gitignored) for a person to look at.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "scenarios" / "mini.yaml"
BASELINE = ROOT / "configs" / "scenarios" / "baseline-2025.yaml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
START_TIMEOUT = 180.0     # s: the server's imports alone took over 30 s on the loaded shared 2-core machine; a server
                          # that exits is reported at once, so this bounds only a hung start
VIEWPORT = {"width": 1440, "height": 900}


SERVING = re.compile(r"Serving the Syria 2025 wargame at http://127\.0\.0\.1:(\d+)/")


def _announced_port(proc: subprocess.Popen, log_path: Path, deadline: float) -> int:
    """The port `wargame serve --port 0` listens on, from the line it prints once bound: the system picks a free one
    as it binds, so no other process (another worker's or another checkout's server) can take it in between."""
    while True:
        found = SERVING.search(log_path.read_text())
        if found:
            return int(found[1])
        if proc.poll() is not None:
            raise AssertionError(f"wargame serve exited early:\n{log_path.read_text()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"wargame serve did not start:\n{log_path.read_text()}")
        time.sleep(0.1)


@dataclass
class Server:
    """A running `wargame serve` and the scenario the tests play (the baseline when present, else mini)."""
    url: str
    proc: subprocess.Popen
    log_path: Path
    scenario: str = "mini"
    seat: str = "SYR"

    def api(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        """Call the JSON API directly (test set-up and forged requests)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if token is not None:
            req.add_header("X-Seat-Token", token)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def new_game(self, human: list[str], turns: int = 6, seed: int = 3) -> dict:
        status, game = self.api("POST", "/api/games", {"scenario": self.scenario, "seed": seed, "turns": turns,
                                                       "human": human})
        assert status == 201, game
        return game


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("e2e-data")
    log_path = data / "serve.log"
    out = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "model.cli", "serve", "--port", "0", "--data-dir", str(data)],
                            stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + START_TIMEOUT
    srv = Server(f"http://127.0.0.1:{_announced_port(proc, log_path, deadline)}", proc, log_path)
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"wargame serve exited early:\n{log_path.read_text()}")
        try:
            urllib.request.urlopen(srv.url + "/api/scenarios", timeout=2).read()
            break
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:   # a slow first answer: retry
            if time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"wargame serve did not start:\n{log_path.read_text()}") from exc
            time.sleep(0.1)
    _, scenarios = srv.api("GET", "/api/scenarios")
    if any(s["id"] == "baseline-2025" for s in scenarios):
        srv.scenario = "baseline-2025"
    else:
        status, body = srv.api("POST", "/api/scenarios", {"id": "mini", "yaml": MINI.read_text()})
        assert status == 201, body
    yield srv
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    out.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), (f"{CHROMIUM} is missing: install Debian's chromium "
                                     "(apt-get install -y chromium; .ci/run does this)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Watch:
    """A browser context and what its pages requested and complained about."""
    ctx: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    allowed_errors: tuple[str, ...] = ()

    def page(self) -> Page:
        """A new watched page in this context."""
        return self.attach(self.ctx.new_page())

    def attach(self, page: Page) -> Page:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.set_default_timeout(15_000)
        return page

    def foreign(self, server: Server) -> list[str]:
        host = urlsplit(server.url).netloc
        return [u for u in self.requests if not u.startswith("data:") and urlsplit(u).netloc != host]

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.errors if not any(a in e for a in self.allowed_errors)]


@pytest.fixture
def open_context(browser: Browser, server: Server):
    """Factory of browser contexts (separate storage, like separate people); after the test, checks that their
    pages requested nothing outside the server and logged no errors."""
    made: list[Watch] = []

    def make(allowed_errors: tuple[str, ...] = (), viewport: dict[str, int] | None = None,
             new_player: bool = False) -> Watch:
        """new_player: a browser that has never seen the game page (the first-game walkthrough opens by itself);
        by default the walkthrough counts as seen, so it covers nothing a test clicks."""
        w = Watch(browser.new_context(viewport=viewport or VIEWPORT), allowed_errors=allowed_errors)
        if not new_player:
            w.ctx.add_init_script("try { localStorage.setItem('wargame.tourDone', '1'); } catch (e) {}")
        made.append(w)
        return w

    yield make
    for w in made:
        w.ctx.close()
    for w in made:
        assert w.requests, "the pages made no requests at all"
        assert w.foreign(server) == [], f"requests outside the server: {w.foreign(server)}"
        assert w.unexpected_errors() == [], "\n".join(w.unexpected_errors())
