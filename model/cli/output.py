"""What several commands write: JSON on stdout, and one text file whose failure is a one-line error."""
from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from model.config.errors import UserError
from model.config.files import write_atomic


def print_json(data: Any) -> None:
    """`--json`: the result on stdout as strict JSON (no NaN), one document and a newline."""
    json.dump(data, sys.stdout, ensure_ascii=False, allow_nan=False)
    print()


def first_non_finite(data: Any, path: str = "") -> str | None:
    """The path (a.b.0) of the first NaN or infinite number in a JSON-like result, None if all are finite."""
    if isinstance(data, float):
        return None if math.isfinite(data) else path or "(the result)"
    if isinstance(data, dict):
        items: Any = data.items()
    elif isinstance(data, (list, tuple)):
        items = enumerate(data)
    else:
        return None
    for k, v in items:
        found = first_non_finite(v, f"{path}.{k}" if path else str(k))
        if found is not None:
            return found
    return None


def check_finite(data: Any, file: str) -> None:
    """Refuse a result that overflowed (numbers near the float limit, 1e308): strict JSON has no NaN, and a table of
    nan is no answer either."""
    where = first_non_finite(data)
    if where is not None:
        raise UserError(f"the numbers are too large to compute with: {where} came out as NaN or infinite; use "
                        "smaller numbers (values near the float limit, 1e308, overflow)", file=file)


def print_result(data: Any, table: Callable[[], str], as_json: bool, file: str) -> None:
    """A theory command's answer: `data` as JSON, or the text `table()` makes, once check_finite passed."""
    check_finite(data, file)
    print(json.dumps(data) if as_json else table())


def write_text(path: Path, text: str, what: str) -> None:
    """Write `text` to `path` in one step; a failure (no such folder, no permission, a full disk) is one error naming
    the file, and leaves a file that was there as it was."""
    try:
        write_atomic(path, text)          # (an old file of that name is replaced whole or kept)
    except OSError as exc:
        raise UserError(f"cannot write the {what}: {exc.strerror or exc}", file=str(path)) from None
