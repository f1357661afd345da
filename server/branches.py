"""A game's family (the game it was forked from, the forks made of it) and what differs between two branches.

Both read the store alone (the stored records of every played month), so they cost no replay. Two games are
compared month by month on the indicator columns they share: the first month where any of them differs is where
the branches diverged (a fork is identical to its parent up to its fork month), and at the chosen month every
column that differs is listed, text columns (controllers, statuses) first, then numbers by the size of the
difference; numbers closer than BRANCH_DIFF_MIN count as the same.
"""
from __future__ import annotations

import json
from typing import Any

from server.schemas import ApiError
from server.store import GameRow, Store

MAX_FORKS_LISTED = 100     # forks of one game listed by the family (the total is given too)
MAX_ANCESTORS = 32         # parents followed up the family tree
BRANCH_DIFF_MIN = 0.005    # numbers closer than this are the same in a comparison of two branches
MAX_DIFFERENCES = 300      # differences listed at one month (the total is given too)
SKIPPED = ("turn", "date")


def _row(store: Store, game_id: str, field: str = "game_id") -> GameRow:
    row = store.game(game_id)
    if row is None:
        raise ApiError(404, f"unknown game {game_id!r}" + ("" if field == "game_id" else f" ({field})"))
    return row


def _brief(row: GameRow) -> dict[str, Any]:
    return {"id": row.id, "turn": row.turn, "max_turns": row.turns, "status": row.status, "human": row.human,
            "parent": row.parent or None, "parent_turn": row.parent_turn, "created": row.created}


def family(store: Store, game_id: str) -> dict[str, Any]:
    """The game, the chain of games it was forked from (nearest first; a deleted one has exists: false), and the
    forks made of it (oldest first)."""
    row = _row(store, game_id)
    ancestors: list[dict[str, Any]] = []
    child, seen = row, {row.id}
    while child.parent and len(ancestors) < MAX_ANCESTORS and child.parent not in seen:
        seen.add(child.parent)
        parent = store.game(child.parent)
        if parent is None:
            ancestors.append({"id": child.parent, "exists": False, "forked_at": child.parent_turn})
            break
        ancestors.append({**_brief(parent), "exists": True, "forked_at": child.parent_turn})
        child = parent
    forks, total = store.forks_of(game_id, MAX_FORKS_LISTED)
    return {"game": _brief(row), "parent": ancestors[0] if ancestors else None, "ancestors": ancestors,
            "forks": forks, "forks_total": total, "forks_made": row.forks_made}


def _records(store: Store, game_id: str) -> list[dict[str, Any]]:
    return [json.loads(text) for text in store.history(game_id)]


def _same(x: Any, y: Any) -> bool:
    if isinstance(x, (int, float)) and isinstance(y, (int, float)) and not isinstance(x, bool):
        return abs(float(x) - float(y)) < BRANCH_DIFF_MIN
    return x == y


def compare(store: Store, game_id: str, other_id: str, turn: int | None) -> dict[str, Any]:
    """What differs between two games at month `turn` (default: the last month both have played), and the first
    month where they differ at all."""
    a, b = _row(store, game_id), _row(store, other_id, "other_id")
    common = min(a.turn, b.turn)
    at = common if turn is None else turn
    if at > common:
        raise ApiError(400, f"turn: month {at} has not been played by both games (game {a.id} is at month {a.turn}, "
                            f"game {b.id} at month {b.turn})")
    ra, rb = _records(store, a.id), _records(store, b.id)
    columns = [c for c in ra[0] if c in rb[0] and c not in SKIPPED]
    diverged = next((t for t in range(common + 1)
                     if any(not _same(ra[t].get(c), rb[t].get(c)) for c in columns)), None)
    x, y = ra[at], rb[at]
    rows: list[dict[str, Any]] = []
    for c in columns:
        va, vb = x.get(c), y.get(c)
        if _same(va, vb):
            continue
        if isinstance(va, (int, float)) and isinstance(vb, (int, float)) and not isinstance(va, bool) \
                and not isinstance(vb, bool):
            rows.append({"column": c, "kind": "number", "a": va, "b": vb, "difference": float(va) - float(vb)})
        else:
            rows.append({"column": c, "kind": "text", "a": va, "b": vb, "difference": None})
    rows.sort(key=lambda r: (r["kind"] == "number", -abs(float(r["difference"] or 0.0)), r["column"]))
    return {"a": _brief(a), "b": _brief(b), "turn": at, "date": x.get("date"),
            "same_scenario": a.scenario_hash == b.scenario_hash, "diverged": diverged,
            "diverged_date": ra[diverged].get("date") if diverged is not None else None,
            "differences": rows[:MAX_DIFFERENCES], "total": len(rows), "min_difference": BRANCH_DIFF_MIN}
