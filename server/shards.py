"""Serving from several processes (`wargame serve --workers N`): the games are sharded by id across N workers.

One process holds the GIL, so one server process resolves one turn at a time however many cores there are. With N
workers, each worker owns the games whose id hashes to it (shard_of) and keeps their live models, locks and autoplay
streams; the SQLite store is shared (WAL; writers of all the workers queue on one lock file, Store(shared=True)).
All the workers accept connections on the one listening socket. A request about a game (anything under
/api/games/<id>) or a futures job (/api/futures/<id>) that reaches a worker not owning it is forwarded, as it came,
to the owner on the owner's private port on 127.0.0.1 (ShardRouter), and so is every experiment request to worker 0
(experiments keep their running processes in memory). A worker makes the ids of the games and jobs it creates hash
to itself, so a client that keeps its connection (keep-alive) talks to the owner of what it created. Forwarded
requests carry a per-run secret header, which is how the owner knows them (and the client's address); without it a
request to a private port is routed like any other, so those ports give nothing the public one does not.
"""
from __future__ import annotations

import hmac
import json
import mmap
import os
import re
import secrets
import socket
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from server.schemas import ApiError

SECRET_HEADER = "X-Wargame-Shard"          # set by a forwarding worker: the run's secret
REMOTE_HEADER = "X-Wargame-Remote"         # the client's address, as the forwarding worker saw it
SECRET_ENV = "WARGAME_SHARD_SECRET"        # how the master hands the secret to its workers
PRIVATE_HOST = "127.0.0.1"                 # the workers' private ports
FORWARD_WAIT = 900.0     # seconds a forwarded request may wait for its answer to start (an import replays a game)
FORWARD_IDLE = 120.0     # seconds a forwarded stream may stay silent (streams write every 15 s: server.streams)
POLL = 1.0               # seconds between checks that the client is still there, while waiting on the owner
RELAY_POLL = 0.05        # the same while relaying an answer: a paused stream's client gone is passed on to the
                         # owner before its next month (autoplay sleeps `interval` between months)
CHUNK = 65536
# not passed on by a proxy (RFC 9110 7.6.1), plus what waitress sets itself and the body's framing (dechunked here)
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
                        "transfer-encoding", "upgrade", "expect", "date", "server"})
_GAME = re.compile(r"^/api/games/([^/]+)")
_JOB = re.compile(r"^/api/futures/([^/]+)")
NOT_GAMES = frozenset({"import", "from-yaml"})     # POST /api/games/import and /from-yaml make new games anywhere


def shard_of(key: str, count: int) -> int:
    """The worker owning a game or job id: the same in every process and every run with `count` workers."""
    return zlib.crc32(key.encode("utf-8")) % count


@dataclass(frozen=True)
class Shards:
    """This worker's place among the workers of one server: index, count, the run's secret, each worker's private
    port on 127.0.0.1."""
    index: int
    count: int
    secret: str
    ports: tuple[int, ...]

    def owns(self, key: str) -> bool:
        return shard_of(key, self.count) == self.index

    def new_id(self, make: Callable[[], str]) -> str:
        """A fresh id (from `make`, random) that this worker owns: about `count` draws."""
        while True:
            key = make()
            if self.owns(key):
                return key

    def target(self, path: str) -> int | None:
        """The worker that must answer a request for `path` (PATH_INFO); None: any worker, this one."""
        m = _GAME.match(path)
        if m and m.group(1) not in NOT_GAMES:
            return shard_of(m.group(1), self.count)
        m = _JOB.match(path)
        if m:
            return shard_of(m.group(1), self.count)
        if path.startswith(("/api/experiments", "/experiments", "/api/forecast")):
            return 0        # one worker keeps these jobs' books (a finished forecast reused, one forecast at a time)
        return None


def new_id(shards: Shards | None, make: Callable[[], str]) -> str:
    """`make()`, or with shards an id this worker owns."""
    return make() if shards is None else shards.new_id(make)


def request_headers(environ: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """The request's end-to-end headers, as a proxy passes them on."""
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:].replace("_", "-").title()
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = key.replace("_", "-").title()
        else:
            continue
        if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
            yield name, value


class ShardRouter:
    """WSGI middleware of a worker: answer what this worker owns (or anyone may answer), forward the rest."""

    def __init__(self, app: Callable[..., Any], shards: Shards, streams: Any = None) -> None:
        self.app = app
        self.shards = shards
        self.streams = streams      # server.streams.StreamSlots: a stream forwarded holds a thread here too

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        given = environ.pop("HTTP_" + SECRET_HEADER.upper().replace("-", "_"), None)
        remote = environ.pop("HTTP_" + REMOTE_HEADER.upper().replace("-", "_"), None)
        if given is not None and hmac.compare_digest(given.encode(), self.shards.secret.encode()):
            if remote:
                environ["REMOTE_ADDR"] = remote
            return self.app(environ, start_response)       # forwarded here by another worker: ours
        target = self.shards.target(environ.get("PATH_INFO", ""))
        if target is None or target == self.shards.index:
            return self.app(environ, start_response)
        return self.forward(target, environ, start_response)

    def forward(self, target: int, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Pass the request to worker `target` (HTTP/1.0, so its answer ends when it closes) and relay the answer,
        streams included; a client that leaves closes the upstream connection, which the owner notices."""
        body = environ["wsgi.input"].read()
        uri = environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")
        if environ.get("QUERY_STRING") and "?" not in uri:
            uri += "?" + environ["QUERY_STRING"]
        lines = [f"{environ.get('REQUEST_METHOD', 'GET')} {uri} HTTP/1.0",
                 *(f"{k}: {v}" for k, v in request_headers(environ)),
                 f"Content-Length: {len(body)}", f"{SECRET_HEADER}: {self.shards.secret}",
                 f"{REMOTE_HEADER}: {environ.get('REMOTE_ADDR', '')}", "", ""]
        gone = environ.get("waitress.client_disconnected") or (lambda: False)
        try:
            sock = socket.create_connection((PRIVATE_HOST, self.shards.ports[target]), timeout=POLL)
        except OSError as exc:
            return _unavailable(start_response, target, exc)
        try:
            sock.sendall("\r\n".join(lines).encode("latin-1") + body)
            head, rest = _read_head(sock, gone)
        except (OSError, ValueError) as exc:
            sock.close()
            return _unavailable(start_response, target, exc)
        status, headers = _parse_head(head)
        done: Callable[[], None] | None = None
        if self.streams is not None and any(k.lower() == "content-type" and v.startswith("text/event-stream")
                                            for k, v in headers):
            try:
                self.streams.take()
            except ApiError as exc:
                sock.close()
                return _error(start_response, exc.status, exc.message)
            done = self.streams.give_back
        start_response(status, headers)
        return _relay(sock, rest, gone, done)


def _read_head(sock: socket.socket, gone: Callable[[], bool]) -> tuple[bytes, bytes]:
    buf = b""
    deadline = time.monotonic() + FORWARD_WAIT
    while b"\r\n\r\n" not in buf:
        try:
            data = sock.recv(CHUNK)
        except TimeoutError:
            if gone() or time.monotonic() > deadline:
                raise
            continue
        if not data:
            raise ValueError("the worker closed the connection before answering")
        buf += data
    head, rest = buf.split(b"\r\n\r\n", 1)
    return head, rest


def _parse_head(head: bytes) -> tuple[str, list[tuple[str, str]]]:
    lines = head.decode("latin-1").split("\r\n")
    status = lines[0].split(" ", 1)[1]
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() not in HOP_BY_HOP:
            headers.append((name.strip(), value.strip()))
    return status, headers


def _relay(sock: socket.socket, rest: bytes, gone: Callable[[], bool],
           done: Callable[[], None] | None = None) -> Iterator[bytes]:
    try:
        sock.settimeout(RELAY_POLL)
        if rest:
            yield rest
        quiet = time.monotonic()
        while True:
            try:
                data = sock.recv(CHUNK)
            except TimeoutError:
                if gone() or time.monotonic() - quiet > FORWARD_IDLE:
                    return
                continue
            if not data or gone():      # a client that left while months flow: close the owner's stream now
                return
            quiet = time.monotonic()
            yield data
    finally:
        sock.close()
        if done is not None:
            done()


def _unavailable(start_response: Callable[..., Any], target: int, exc: BaseException) -> list[bytes]:
    return _error(start_response, 503, f"the server's worker {target} that keeps this game is not answering "
                                       f"({exc}); retry in a moment")


def _error(start_response: Callable[..., Any], status: int, message: str) -> list[bytes]:
    body = json.dumps({"error": message}).encode()
    start_response(f"{status} {HTTPStatus(status).phrase}", [
        ("Content-Type", "application/json"), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")])
    return [body]


class Balance:
    """The connections each worker has open, in memory shared by the workers (a file the master made): a worker takes
    new connections only while no worker with fewer connections is listening, so the clients (and the games they
    create, which their worker owns) are shared out evenly rather than by the luck of which worker wakes first.

    Each slot holds a worker's count and whether its last decision was to listen (its accepting socket is then in
    the set its event loop waits on, so it wakes for a new connection). A worker that declined sleeps until its loop
    wakes for something else (up to waitress's loop timeout, 1 s), so a worker with more connections declines only
    for one that is listening, never for one asleep: it listens itself and wakes the other (each worker has an
    eventfd in its event loop, `wake_fd`). Without that, a burst of connections (200 half-sent requests) was taken
    one worker at a time, often a second apart, and held every other request for 12 s."""

    SLOT = 8    # bytes per worker: one aligned int64 each (count << 1 | listening), written only by its worker
    ABSENT = 1 << 61   # the count of a worker not running yet: "full", and not listening

    def __init__(self, fds: list[int], index: int, count: int) -> None:
        self.index = index
        self._map = mmap.mmap(fds[0], self.SLOT * count)
        self._slots = memoryview(self._map).cast("q")
        self._wakes = fds[1:]
        self.wake_fd = self._wakes[index]

    def may_accept(self, connections: int, able: bool = True) -> bool:
        """Whether to listen now: `able` (waitress would) and no other worker with fewer connections is listening.
        Published with the count; a worker with fewer that sleeps is woken, so it listens for the next ones."""
        me, listen, asleep = self.index, able, []
        for i, value in enumerate(self._slots):
            if i != me and value >> 1 < connections:
                if value & 1:
                    listen = False
                else:
                    asleep.append(i)
        self._slots[me] = connections << 1 | listen
        if listen:
            for i in asleep:
                os.eventfd_write(self._wakes[i], 1)
        return listen

    @staticmethod
    def create(count: int) -> list[int]:
        """The shared memory for `count` workers and their wake-up eventfds (file descriptors the master passes to
        each: Balance.text)."""
        fd = os.memfd_create("wargame-balance")
        os.write(fd, (Balance.ABSENT << 1).to_bytes(Balance.SLOT, sys.byteorder) * count)
        return [fd, *(os.eventfd(0, os.EFD_NONBLOCK | os.EFD_CLOEXEC) for _ in range(count))]

    @staticmethod
    def text(fds: list[int]) -> str:
        return ",".join(map(str, fds))

    @staticmethod
    def parse(text: str) -> list[int]:
        return [int(fd) for fd in text.split(",")]


def make_secret() -> str:
    return secrets.token_urlsafe(24)
