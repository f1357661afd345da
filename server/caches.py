"""A small least-recently-used cache whose entries carry a stamp (files' mtimes and sizes): a stale entry is
replaced, never kept beside the fresh one, and the cache never holds more than `size` entries."""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable


def file_stamp(paths: Iterable[str | os.PathLike]) -> tuple:
    """(path, mtime_ns, size) of each file or folder (a missing one as None): what an entry built from them is
    valid for. A folder's mtime changes when a file is added or removed in it."""
    out = []
    for p in paths:
        try:
            st = os.stat(p)
            out.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(p), -1, -1))      # absent: a stamp no file has
    return tuple(out)


class StampedLRU[V]:
    """key -> (stamp, value), at most `size` entries, least recently used dropped first; thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._items: OrderedDict[Hashable, tuple[Hashable, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, stamp: Hashable) -> V | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None or hit[0] != stamp:
                return None
            self._items.move_to_end(key)
            return hit[1]

    def put(self, key: Hashable, stamp: Hashable, value: V) -> V:
        with self._lock:
            self._items[key] = (stamp, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def get_fresh(self, key: Hashable, stamp_of: Callable[[V], Hashable]) -> V | None:
        """The value under `key` if `stamp_of(value)` still equals the stamp it was stored with (for values that
        know which files they were built from)."""
        with self._lock:
            hit = self._items.get(key)
        if hit is None or stamp_of(hit[1]) != hit[0]:
            return None
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
        return hit[1]

    def get_or_make(self, key: Hashable, stamp: Hashable, make: Callable[[], V]) -> V:
        """The cached value for (key, stamp), or make() stored under them (made outside the lock)."""
        hit = self.get(key, stamp)
        return hit if hit is not None else self.put(key, stamp, make())

    def __len__(self) -> int:
        return len(self._items)

