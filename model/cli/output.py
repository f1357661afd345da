"""What several commands write: JSON on stdout, and one text file whose failure is a one-line error."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from model.config.errors import UserError
from model.config.files import write_atomic


def print_json(data: Any) -> None:
    """`--json`: the result on stdout as strict JSON (no NaN), one document and a newline."""
    json.dump(data, sys.stdout, ensure_ascii=False, allow_nan=False)
    print()


def write_text(path: Path, text: str, what: str) -> None:
    """Write `text` to `path` in one step; a failure (no such folder, no permission, a full disk) is one error naming
    the file, and leaves a file that was there as it was."""
    try:
        write_atomic(path, text)          # (an old file of that name is replaced whole or kept)
    except OSError as exc:
        raise UserError(f"cannot write the {what}: {exc.strerror or exc}", file=str(path)) from None
