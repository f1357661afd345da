"""Checks of command-line values that several commands share: a seed's range and an output folder.

Each failure is a UserError, so `wargame` prints it as one line and exits with 2. Imports nothing heavy.
"""
from __future__ import annotations

from pathlib import Path

from model.config.errors import UserError
from model.config.vocabulary import MAX_SEED

SHOWN_ENTRIES = 3      # names of a folder's entries an error lists


def check_seed(seed: int, option: str = "--seed") -> int:
    """The same range as the web API and game import (0..2**63 - 1), so every CLI run can be replayed there."""
    if not 0 <= seed <= MAX_SEED:
        raise UserError(f"must be between 0 and {MAX_SEED} (2**63 - 1), got {seed}", field=option)
    return seed


def _entries(folder: Path) -> str:
    names = sorted(p.name for p in folder.iterdir())
    more = f" and {len(names) - SHOWN_ENTRIES} more" if len(names) > SHOWN_ENTRIES else ""
    return ", ".join(names[:SHOWN_ENTRIES]) + more


def check_out_file(path: Path, option: str, example: str, *, force: bool) -> None:
    """A file a command writes must not be a folder, and an existing one is written over only with --force, so a
    user's file is never replaced silently."""
    if path.is_dir():
        raise UserError(f"is a folder; give the file's name, e.g. {example}", field=option)
    if path.exists() and not force:
        raise UserError(f"{path} exists; choose a new file, or add --force to write over it", field=option)


def check_out_dir(out: Path, *, force: bool, resume: bool = False, batch_markers: tuple[str, ...] = ()) -> None:
    """An output folder must be new or empty, so results are never mixed with or written over others silently.

    force: write into a non-empty folder anyway. resume (batch): continue the batch in the folder, which must then
    be a batch's folder (it holds one of `batch_markers`); the runner checks that it is the same batch."""
    if resume and force:
        raise UserError("--resume continues the batch in the folder and --force starts it afresh; give one of them",
                        field="--force")
    if not out.exists():
        # the folder is made once the work is done: a file where a parent folder should be is told now, not after
        # every month has been played
        parent = next((p for p in out.parents if p.exists()), None)
        if parent is not None and not parent.is_dir():
            raise UserError(f"{parent} is a file, so the folder {out} cannot be made there", field="--out")
        return
    if not out.is_dir():
        raise UserError(f"{out} exists and is not a folder", field="--out")
    if force or not any(out.iterdir()):
        return
    is_batch = any((out / name).exists() for name in batch_markers)
    if resume:
        if is_batch:
            return
        raise UserError(f"{out} holds no batch to resume (it holds {_entries(out)}); choose the folder of the batch "
                        "to continue", field="--out")
    hint = ", add --resume to continue the batch in it" if is_batch else ""
    raise UserError(f"{out} is not empty (it holds {_entries(out)}); choose a new folder{hint}, or add --force to "
                    "write over its results", field="--out")
