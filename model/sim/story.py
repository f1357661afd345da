"""The story: the game's event log, told so that it is worth reading.

Every mechanism reports what happened as an event (`ev`); the model hands it to `Story.tell`, which stamps the
month and adds what a reader (and the web UI) needs to follow the game:
- `importance`: "major" or "minor" (story.minor_kinds lists the routine kinds; an event may say itself);
- `streak` and `since`: the same event (same kind, actors and topic) in consecutive months is one story that goes
  on, so its sentence says so ("An ISIS cell attacked government forces in the Badia, third month running."), and
  `since` is the month (turn) the run began, so a reader or the UI can merge the entries of one run.
The event dict keeps the format the server and the UI read (turn, date, kind, actors, sentence, numbers, phase);
the story only adds fields. What is not told at all (no-op moves, moves below story.epsilon_*) is left out where
the event is made: a sentence states a change only where the state changed (see model.sim.adjudication).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from model.config.talks import StoryParams

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth")
TOPIC_FIELDS = ("event", "threshold", "base", "issue", "place", "region")


def ev(kind: str, actors: list[str], sentence: str, *, importance: str | None = None, repeat: str | None = None,
       topic: str | None = None, **numbers: Any) -> dict:
    """An event of the game's story (the model stamps turn and date, the story its importance and streak).

    `importance` overrides the story's default for the kind; `repeat` is the short form told when the event recurs
    in consecutive months; `topic` tells apart events of one kind between the same actors (default: the first of
    the numbers event, threshold, base, issue, place, region)."""
    e = {"kind": kind, "actors": actors, "sentence": sentence,
         "numbers": {k: (round(float(v), 4) if isinstance(v, (float, np.floating)) else v)
                     for k, v in numbers.items()}}
    if importance is not None:
        e["importance"] = importance
    if repeat is not None:
        e["repeat"] = repeat
    if topic is not None:
        e["topic"] = topic
    return e


def ordinal(n: int) -> str:
    """'second', 'third', ... '12th' and on in figures."""
    return ORDINALS[n - 1] if n <= len(ORDINALS) else f"{n}th"


def running(sentence: str, repeat: str | None, streak: int) -> str:
    """The sentence of an event in its `streak`-th consecutive month: the short form if there is one, else the
    sentence with the phrase before its closing parenthesis ("X struck Y: hit, third month running (p=0.4).")."""
    phrase = f", {ordinal(streak)} month running"
    if repeat:
        return f"{repeat.rstrip('.')}{phrase}."
    body = sentence[:-1] if sentence.endswith(".") else sentence
    cut = body.rfind(" (")
    if body.endswith(")") and cut > 0 and "(" not in body[cut + 2:] and ")" not in body[cut + 2:-1]:
        return f"{body[:cut]}{phrase}{body[cut:]}."
    return f"{body}{phrase}."


class Story:
    """The log of one game: every told event in order, with repeats recognised across consecutive months."""

    def __init__(self, params: StoryParams) -> None:
        self.events: list[dict] = []
        self._minor = frozenset(params.minor_kinds)
        self._last: dict[tuple, tuple[int, int, int]] = {}   # key -> (turn last told, streak, since)

    def tell(self, turn: int, date: str, e: dict) -> dict:
        """Add one event (from `ev`, with its phase) told in `turn`; returns the event as logged."""
        repeat, topic = e.pop("repeat", None), e.pop("topic", None)
        if topic is None:
            numbers = e["numbers"]
            for f in TOPIC_FIELDS:
                if f in numbers:
                    topic = numbers[f]
                    break
        key = (e["kind"], tuple(e["actors"]), topic)
        last = self._last.get(key)
        if last is not None and last[0] == turn - 1:
            streak, since = last[1] + 1, last[2]
        elif last is not None and last[0] == turn:        # told twice in one month: the same step of the run
            streak, since = last[1], last[2]
        else:
            streak, since = 1, turn
        self._last[key] = (turn, streak, since)
        importance = e.pop("importance", None) or ("minor" if e["kind"] in self._minor else "major")
        out = {"turn": turn, "date": date}
        out.update(e)
        out["importance"], out["streak"], out["since"] = importance, streak, since
        if streak > 1:
            out["sentence"] = running(e["sentence"], repeat, streak)
        self.events.append(out)
        return out
