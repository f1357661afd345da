"""Files written for others to read (model.config.files): whole or not at all, each writer with its own temporary
file, and one lock holder at a time, named by its pid."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pyarrow as pa
import pytest

from model.config.files import LockHeld, hold_lock, write_atomic


def test_a_write_replaces_the_file_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "export.json"
    target.write_text("old")
    write_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    write_atomic(target, b"\x00bytes", durable=False)
    assert target.read_bytes() == b"\x00bytes"
    buf = pa.BufferOutputStream()
    buf.write(b"arrow")
    write_atomic(target, buf.getvalue())                   # a pyarrow Buffer, written without a copy to bytes
    assert target.read_bytes() == b"arrow"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json"]


def test_a_failed_write_keeps_the_old_file_and_removes_its_temporary_file(tmp_path):
    target = tmp_path / "spec.yaml"
    target.mkdir()                                         # renaming a file over a folder fails
    with pytest.raises(OSError):
        write_atomic(target, "text")
    assert target.is_dir() and list(tmp_path.iterdir()) == [target]
    with pytest.raises(FileNotFoundError):                 # no such folder: nothing is created anywhere
        write_atomic(tmp_path / "missing" / "x.json", "text")
    assert list(tmp_path.iterdir()) == [target]


def test_writers_of_one_file_at_once_never_meet(tmp_path):
    """Eight threads write one file 40 times each: every write succeeds and the file is always one whole text
    (a shared temporary name made one writer rename the other's half-written file and then fail)."""
    target = tmp_path / "shared.yaml"
    texts = [f"writer {i}\n" * 2000 for i in range(8)]
    errors: list[BaseException] = []
    seen: set[str] = set()

    def write(text: str) -> None:
        try:
            for _ in range(40):
                write_atomic(target, text, durable=False)
                seen.add(target.read_text())
        except BaseException as exc:      # (collected for the assertion below)
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert seen <= set(texts) and target.read_text() in texts
    assert [p.name for p in tmp_path.iterdir()] == ["shared.yaml"]


HOLD = """
import sys, time
from pathlib import Path
from model.config.files import hold_lock
fh = hold_lock(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(60)
"""


def test_a_lock_is_refused_with_its_holders_pid_and_free_once_the_holder_dies(tmp_path):
    path = tmp_path / ".lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[2])
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockHeld) as refused:
            hold_lock(path)
        assert refused.value.pid == str(holder.pid) and refused.value.path == path
    finally:
        holder.kill()
        holder.wait()
    fh = hold_lock(path)                                   # the kernel dropped the dead holder's lock
    try:
        assert path.read_text().strip() == str(os.getpid())
    finally:
        fh.close()
