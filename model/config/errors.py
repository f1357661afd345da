"""One error type for everything a user can get wrong, so every front end reports it the same way."""
from __future__ import annotations


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


class UserErrors(UserError):
    """Several input errors found at once (a validator reports all it finds, not just the first)."""

    def __init__(self, errors: list[UserError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors) or "invalid input")

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
