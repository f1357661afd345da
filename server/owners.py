"""Owner tokens: who may change or remove what they created (a game, an experiment).

Creating a game (or importing one, or any later way of making one) or launching an experiment returns a secret owner
token once; only its SHA-256 hash is kept. Requests that step, run, autoplay or delete a game, or cancel or delete an
experiment, send it back in the X-Owner-Token header (an EventSource cannot send headers, so the autoplay stream
also takes it as the `owner_token` query parameter, which the access log redacts). Watchers need nothing: they
watch. Things created before owners existed have no owner hash and keep the old open rules.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from server.schemas import ApiError

OWNER_HEADER = "X-Owner-Token"
OWNER_QUERY = "owner_token"
TOKEN_BYTES = 24           # 32 url-safe characters, 192 bits, like a seat token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_owner() -> tuple[str, str]:
    """A fresh owner token and its hash: the token goes to the creator once, the hash to storage."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def is_owner(owner_hash: str, token: str | None) -> bool:
    """True when `token` is the owner's (or the thing has no owner); compared as hashes in constant time."""
    if not owner_hash:
        return True
    return bool(token) and hmac.compare_digest(token_hash(token or ""), owner_hash)


def check_owner(owner_hash: str, token: str | None, what: str, action: str) -> None:
    """403 unless `token` is the owner token of `what` (e.g. "this game"), for `action` (e.g. "step it")."""
    if is_owner(owner_hash, token):
        return
    if not token:
        raise ApiError(403, f"only the owner of {what} can {action}: the {OWNER_HEADER} header is missing (the page "
                            "that created it keeps the owner token); watchers can only watch")
    raise ApiError(403, f"the {OWNER_HEADER} is not the owner token of {what}, so it cannot {action}")
