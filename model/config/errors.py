"""One error type for everything a user can get wrong, so every front end reports it the same way."""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path


class UserError(Exception):
    """A mistake in the user's input: a file, a config value, a command-line argument.

    Rendered as one line ``file:line: field: message`` (parts that are unknown are left out),
    which the CLI prints to stderr with exit code 2 and the server returns as ``{"error": ...}``.
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class NameNotFound(UserError):
    """A config name that no folder holds: "no scenario file or name 'x'; known scenarios: a, b". The known names
    are kept (`known`, `label`), so a command that tries several kinds of name can list them all."""

    def __init__(self, what: str, name: str, label: str, known: list[str]) -> None:
        super().__init__(f"no {what} file or name {name!r}; known {label}: {', '.join(known)}")
        self.label, self.known = label, known


def yaml_names(folders: Sequence[str | os.PathLike]) -> list[str]:
    """The names (file stems) of the YAML files in these folders, sorted, each once."""
    return sorted({x.stem for d in folders for x in Path(d).glob("*.yaml")})


class UserErrors(UserError):
    """Several input errors found at once (a validator reports all it finds, not just the first)."""

    def __init__(self, errors: list[UserError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors) or "invalid input")

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
