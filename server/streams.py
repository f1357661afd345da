"""Server-Sent Event streams within bounds: each open stream holds one of the WSGI server's threads, so their number
is capped (STREAMS_MAX, 503 beyond it) and every stream writes at least every KEEPALIVE seconds, which is how a
client that has gone is noticed and its thread freed."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

from flask import Response, current_app

from server.schemas import ApiError

KEEPALIVE = 15.0          # seconds between writes of a quiet stream (an SSE comment)
DEFAULT_MAX = 8           # streams open at once; keep it below the server's threads (`wargame serve --threads`)


class StreamSlots:
    """A counter of open streams with a ceiling."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.open = 0
        self._lock = threading.Lock()

    def take(self) -> None:
        with self._lock:
            if self.open >= self.limit:
                raise ApiError(503, f"{self.open} live streams are open, the most this server keeps at once; close "
                                    "a game or experiment tab, or retry in a moment")
            self.open += 1

    def give_back(self) -> None:
        with self._lock:
            self.open = max(0, self.open - 1)


def slots() -> StreamSlots:
    return slots_of(current_app)


def slots_of(app: Any) -> StreamSlots:
    """The app's stream slots (made on first use); a worker's router counts the streams it forwards in them too."""
    with _MAKING:
        ext = app.extensions.get("wargame.streams")
        if ext is None:
            ext = app.extensions["wargame.streams"] = StreamSlots(int(app.config.get("STREAMS_MAX", DEFAULT_MAX)))
        return ext


_MAKING = threading.Lock()


def sse(event: str, data: str) -> str:
    return f"event: {event}\ndata: {data}\n\n"


def event_stream(events: Iterator[str], on_close: Callable[[], None] | None = None) -> Response:
    """A text/event-stream response of `events` run inside the app context, holding a stream slot until the WSGI
    server closes it (the client went, or the stream ended); `on_close` runs then too."""
    bounded = slots()
    bounded.take()
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def with_app() -> Iterator[str]:
        with app.app_context():
            yield from events

    resp = Response(with_app(), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
    resp.call_on_close(bounded.give_back)
    if on_close is not None:
        resp.call_on_close(on_close)
    return resp
