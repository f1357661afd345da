"""Files the wargame writes for someone else to read: whole or not at all, and one writer at a time.

- `write_atomic`: a reader (a server worker, a resumed batch, the user's editor) or the disk after a crash sees the
  old content or the new, never a part: the data goes to a temporary file of its own in the same folder, is
  flushed to disk, and is renamed over the target. Each call has its own temporary file, so two writers of one
  file (two server workers saving the same spec) never write into each other's.
- `hold_lock`: an exclusive lock on a file with the holder's pid inside, for a folder that one process at a time
  may write (a batch's --out, a server's data dir). The kernel drops it when the process ends, even when killed.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
from collections.abc import Buffer
from pathlib import Path
from typing import TextIO


def write_atomic(path: Path | str, data: str | Buffer, *, durable: bool = True) -> None:
    """Replace `path` with `data` in one step: text as UTF-8, bytes or any buffer (a pyarrow Buffer) as they are.
    `durable=False` skips the fsync, for a file rewritten every few seconds and worth nothing after a crash (the
    batch's progress file)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    blob = data.encode("utf-8") if isinstance(data, str) else memoryview(data)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)   # (the umask applies, as for any new file)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class LockHeld(Exception):
    """Another process holds the lock; `pid` is what it wrote in the file ("unknown" if nothing)."""

    def __init__(self, path: Path, pid: str) -> None:
        super().__init__(f"{path} is locked by pid {pid}")
        self.path, self.pid = path, pid


def hold_lock(path: Path) -> TextIO:
    """Take the exclusive lock on `path` (created if missing) and write this process's pid in it. The lock is held
    until the returned file is closed or the process ends. Raises LockHeld when another process holds it, and
    OSError when the file cannot be opened."""
    fh = open(path, "a+", encoding="ascii")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.seek(0)
        pid = fh.read().strip() or "unknown"
        fh.close()
        raise LockHeld(path, pid) from None
    fh.seek(0)
    fh.truncate()
    fh.write(f"{os.getpid()}\n")
    fh.flush()
    return fh
