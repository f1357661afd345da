"""The scenario library of the server: built-in scenarios (configs/scenarios/) and the user's own (DATA_DIR/scenarios/).

Folders given with `wargame serve --config-dir` are read-only libraries, listed after the shipped ones. Ids are
checked against a strict pattern and looked up only inside these folders, so no name can reach another file.
Built-in (read-only) scenarios are never written. A game keeps the *resolved* scenario (its `extends:` chain merged,
every default filled in) as YAML text, so a later edit of a file never changes a game already started.
"""
from __future__ import annotations

import builtins
import difflib
import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from model import (
    Scenario,
    UserError,
    UserErrors,
    inside_folder,
    load_scenario,
    load_with_extends,
    read_yaml,
    read_yaml_text,
    shipped_dir,
    validate_scenario,
    write_atomic,
)
from server.caches import StampedLRU, file_stamp
from server.schemas import SCENARIO_ID_HINT, SCENARIO_ID_RE, ApiError, ErrorItem, error_text

SUFFIX = ".yaml"
SUMMARY_CACHE = 256          # scenario summaries kept (least recently used dropped)
RESOLVED_CACHE = 32          # resolved scenarios kept, each valid while its files (and folders) are unchanged
STORED_CACHE = 16            # scenarios rebuilt from stored games' text, by the text's hash
NAME_CHARS = 120             # a scenario's name as lists show it (the file keeps it whole)
DESCRIPTION_CHARS = 2_000
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)       # libyaml where it is installed: ~10x faster


@dataclass(frozen=True)
class Resolved:
    """A scenario ready for a game: the validated model, its resolved YAML text and that text's hash."""
    id: str
    name: str
    scenario: Scenario
    text: str
    sha256: str
    files: tuple[str, ...] = field(default=(), compare=False)   # what it was built from (for the cache)


def resolved_text(sc: Scenario) -> str:
    """The scenario as self-contained YAML (merged, defaults filled in); loading it gives the same Scenario."""
    return yaml.dump(sc.model_dump(mode="json", by_alias=True), Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=120)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scenario_from_resolved(text: str, file: str = "<stored scenario>") -> Scenario:
    """Rebuild a Scenario from resolved text (no `extends:`), as a game does on every restart."""
    data, lines = read_yaml_text(text, file)
    if "extends" in data:
        raise UserError("a resolved scenario cannot use extends", file=file, field="extends")
    return validate_scenario(data, file=file, lines=lines)


def error_items(exc: UserError, file: str | None, shown: str = "the scenario") -> list[ErrorItem]:
    """UserError(s) as {line, field, message}; a line counts only when it is in `file` (the text being checked)."""
    items = []
    for e in (exc.errors if isinstance(exc, UserErrors) else [exc]):
        message = e.message.replace(file, shown) if file else e.message
        line = e.line if (e.file == file or e.file is None) else None
        if e.file and e.file != file:        # e.g. an error in the file this one extends
            message = f"in {Path(e.file).name}" + (f" line {e.line}" if e.line else "") + f": {message}"
        items.append(ErrorItem(line=line, field=e.field, message=message))
    return items


class ScenarioLibrary:
    """Find, list, validate, save and diff scenarios by id."""

    def __init__(self, user_dir: str | Path, builtin_dir: str | Path | None = None, *,
                 library_dirs: Sequence[str | Path] = ()) -> None:
        self.user_dir = Path(user_dir)
        self.builtin_dir = Path(builtin_dir) if builtin_dir is not None else shipped_dir("scenarios")
        # read-only folders, the shipped one first: an id found there is never looked up further
        self.read_only = [self.builtin_dir, *map(Path, library_dirs)]
        self.search_dirs = [self.user_dir, *self.read_only]
        self._summaries: StampedLRU[dict] = StampedLRU(SUMMARY_CACHE)
        self._resolved: StampedLRU[Resolved] = StampedLRU(RESOLVED_CACHE)
        self._stored: StampedLRU[Scenario] = StampedLRU(STORED_CACHE)
        self._lock = threading.Lock()

    # ----------------------------------------------------------------------------------------- lookup
    @staticmethod
    def valid_id(sid: str) -> bool:
        return bool(SCENARIO_ID_RE.match(sid))

    def is_builtin(self, sid: str) -> bool:
        return self.valid_id(sid) and any((d / f"{sid}{SUFFIX}").is_file() for d in self.read_only)

    def path(self, sid: str) -> tuple[Path, bool]:
        """(file, builtin) for an id; a built-in wins over a user file of the same name; 404 otherwise.

        A symlink leading out of its folder is ignored, like a missing file."""
        if self.valid_id(sid):
            for folder, builtin in self._folders():
                p = folder / f"{sid}{SUFFIX}"
                if p.is_file() and inside_folder(p, folder):
                    return p, builtin
        raise ApiError(404, f"unknown scenario {sid!r}; GET /api/scenarios lists them")

    def _folders(self) -> list[tuple[Path, bool]]:
        """(folder, read-only) in lookup order: shipped, --config-dir folders, the user's own."""
        return [(d, True) for d in self.read_only] + [(self.user_dir, False)]

    def ids(self) -> list[tuple[str, Path, bool]]:
        seen: dict[str, tuple[str, Path, bool]] = {}
        for folder, builtin in self._folders():
            if folder.is_dir():
                for p in sorted(folder.glob(f"*{SUFFIX}")):
                    if (self.valid_id(p.stem) and p.stem not in seen and p.is_file()
                            and inside_folder(p, folder)):
                        seen[p.stem] = (p.stem, p, builtin)
        return list(seen.values())

    # ------------------------------------------------------------------------------------------ read
    def summary(self, sid: str, p: Path, builtin: bool) -> dict:
        """{id, name, description, builtin, extends}; cached by file (and its mtime and size: an edit replaces the
        entry), the name and description cut to a bounded length."""
        stamp = file_stamp([p])
        hit = self._summaries.get(str(p), stamp)
        if hit is not None:
            return hit
        try:
            own, _ = read_yaml(p)
            extends = own.get("extends")
            data, _ = load_with_extends(p, search_dirs=self.search_dirs, confine=True)
            name, description = str(data.get("name") or sid), str(data.get("description") or "")
        except UserError as exc:
            extends, name, description = None, sid, f"(this file has errors: {error_text(exc, first=True)})"
        out = {"id": sid, "name": _cut(name, NAME_CHARS), "description": _cut(description.strip(), DESCRIPTION_CHARS),
               "builtin": builtin, "extends": self._id_of(extends)}
        return self._summaries.put(str(p), stamp, out)

    @staticmethod
    def _id_of(ref: object) -> str | None:
        if not isinstance(ref, str) or not ref.strip():
            return None
        name = Path(ref.strip()).name
        for suffix in (".yaml", ".yml"):
            name = name.removesuffix(suffix)
        return name

    def list(self) -> list[dict]:
        return [self.summary(*entry) for entry in self.ids()]

    def detail(self, sid: str) -> dict:
        p, builtin = self.path(sid)
        return {**self.summary(sid, p, builtin), "yaml": p.read_text(encoding="utf-8", errors="replace")}

    def resolve(self, sid: str) -> Resolved:
        """Load and validate a scenario by id and resolve it for a game (400 if the file is invalid).

        Cached while the files it was built from (its `extends:` chain) and the scenario folders are unchanged, so
        creating a game costs no YAML parsing, validation or dumping. The Scenario is shared: a model never
        changes its scenario (tests/server/test_quick_creation.py checks it)."""
        p, _ = self.path(sid)
        key = (sid, str(p))
        hit = self._resolved.get_fresh(key, lambda r: file_stamp(r.files))
        if hit is not None:
            return hit
        folders = [*self.search_dirs, shipped_dir("scenarios")]
        try:
            data, lines = load_with_extends(p, search_dirs=folders, confine=True)
            sc = validate_scenario(data, file=str(p), lines=lines)
        except UserError as exc:
            raise ApiError(400, f"scenario {sid!r} is not valid: {error_text(exc, first=True)}",
                           errors=[e.model_dump() for e in error_items(exc, str(p))]) from None
        files = tuple(sorted({str(p), *(f for f, _ in lines.values() if f)})) + tuple(map(str, folders))
        text = resolved_text(sc)
        res = Resolved(sid, sc.name, sc, text, sha256(text), files)
        return self._resolved.put(key, file_stamp(files), res)

    def stored(self, text: str, digest: str) -> Scenario:
        """The Scenario of a stored game's resolved text (cached by its hash: many games share one text)."""
        return self._stored.get_or_make(digest, digest, lambda: scenario_from_resolved(text))

    # ------------------------------------------------------------------------------------- validate
    def check_text(self, text: str) -> tuple[Scenario | None, builtins.list[ErrorItem]]:
        """Validate YAML text as a scenario; `extends:` finds user and built-in scenarios. Every error, with lines.

        The text is written to a hidden temporary file in the user folder so that `extends:` resolves exactly as it
        will once saved (the loader looks next to the file first)."""
        self.user_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.user_dir, prefix=".check-", suffix=SUFFIX)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            try:
                return load_scenario(tmp, search_dirs=self.search_dirs, confine=True), []
            except UserError as exc:
                return None, self._hinted(error_items(exc, tmp), text)
        finally:
            os.unlink(tmp)

    def _hinted(self, items: builtins.list[ErrorItem], text: str) -> builtins.list[ErrorItem]:
        """Errors with a "did you mean" where a name was mistyped: a goal a variant means to change but misspells
        (which reads as a new goal without a `kind`), or a reference to an actor, base, region, issue or goal that
        does not exist. Candidates come from the text merged with what it extends. The text is parsed again only
        when an error could get a hint: a file refused while parsing (a flood of 450,000 values) is parsed once."""
        if not any(_may_hint(e) for e in items):
            return items
        try:
            data, _ = read_yaml_text(text)
        except UserError:
            return items
        parent = self._parent_data(data.get("extends"))
        merged = _merged(parent, data)
        out = []
        for e in items:
            hint = _hint_for(e, merged, parent, self._id_of(data.get("extends")))
            out.append(ErrorItem(line=e.line, field=e.field, message=hint or e.message))
        return out

    def _parent_data(self, ref: object) -> dict:
        """The raw (merged) data of the scenario a text extends, or {} when it extends none or it cannot be read."""
        pid = self._id_of(ref)
        if pid is None:
            return {}
        try:
            p, _ = self.path(pid)
            data, _ = load_with_extends(p, search_dirs=self.search_dirs, confine=True)
        except (ApiError, UserError):
            return {}
        return data if isinstance(data, dict) else {}

    # ----------------------------------------------------------------------------------------- save
    def save(self, sid: str, text: str) -> None:
        """Write a user scenario after validating it; built-in ids are refused (409), invalid text is 400.

        A save that would make a saved user scenario extending this one (directly or through others) invalid is
        refused (409, naming each and its first error) and the old file is kept: such breakage would otherwise
        show only when a game is started from that scenario."""
        if not self.valid_id(sid):
            raise ApiError(400, f"id: expected {SCENARIO_ID_HINT}, got {sid!r}")
        if self.is_builtin(sid):
            raise ApiError(409, f"id: {sid!r} is a built-in scenario and is never overwritten; save it under "
                                "another id")
        _, errors = self.check_text(text)
        if not errors:
            data, _ = read_yaml_text(text)
            if self._id_of(data.get("extends")) == sid:
                errors = [ErrorItem(line=None, field="extends", message="a scenario cannot extend itself")]
        if errors:
            raise ApiError(400, _invalid(errors), errors=[e.model_dump() for e in errors])
        target = self.user_dir / f"{sid}{SUFFIX}"
        with self._lock:                        # one save at a time: each checks the files the others write
            dependants = [(d, p) for d, p in self._dependants(sid) if self._error(p) is None]
            old = target.read_text(encoding="utf-8") if target.is_file() else None
            _atomic_write(target, text)
            try:                                # saving may close an extends cycle with another user file
                load_scenario(target, search_dirs=self.search_dirs, confine=True)
            except UserError as exc:
                self._restore(target, old)
                errors = error_items(exc, str(target))
                raise ApiError(400, _invalid(errors), errors=[e.model_dump() for e in errors]) from None
            broken = [(d, err) for d, p in dependants if (err := self._error(p)) is not None]
            if broken:                          # a saved scenario that extends this one would stop working
                self._restore(target, old)
                names = ", ".join(f"{d} ({err})" for d, err in broken)
                raise ApiError(409, f"saving {sid!r} would break the saved scenario{'s' if len(broken) > 1 else ''}"
                                    f" that extend{'' if len(broken) > 1 else 's'} it: {names}; nothing was saved",
                               errors=[ErrorItem(line=None, field=None, message=f"{d}: {err}").model_dump()
                                       for d, err in broken])

    def _dependants(self, sid: str) -> builtins.list[tuple[str, Path]]:
        """The user scenarios that extend `sid`, directly or through others (id and file), nearest first."""
        children: dict[str, builtins.list[tuple[str, Path]]] = {}
        for uid, p, builtin in self.ids():
            if not builtin:
                try:
                    parent = self._id_of(read_yaml(p)[0].get("extends"))
                except (UserError, AttributeError):      # unreadable, or not a mapping: it extends nothing
                    continue
                if parent is not None:
                    children.setdefault(parent, []).append((uid, p))
        out: builtins.list[tuple[str, Path]] = []
        seen, todo = {sid}, [sid]
        while todo:
            for uid, p in children.get(todo.pop(0), []):
                if uid not in seen:
                    seen.add(uid)
                    out.append((uid, p))
                    todo.append(uid)
        return out

    def _error(self, p: Path) -> str | None:
        """The first error of a scenario file as it loads now (named by file, not path), or None if it is valid."""
        try:
            load_scenario(p, search_dirs=self.search_dirs, confine=True)
        except UserError as exc:
            return error_text(exc, first=True)
        return None

    @staticmethod
    def _restore(target: Path, old: str | None) -> None:
        """Put back the file a refused save replaced (or remove the new one)."""
        if old is None:
            target.unlink()
        else:
            _atomic_write(target, old)

    # ----------------------------------------------------------------------------------------- diff
    def diff(self, sid: str, against: str | None = None) -> dict:
        """Unified diff of the resolved parent (the scenario extended, or `against`) vs the resolved scenario."""
        p, builtin = self.path(sid)
        parent = against if against is not None else self.summary(sid, p, builtin)["extends"]
        if parent is None:
            return {"parent": None, "diff": ""}
        old = self.resolve(parent).text.splitlines()
        new = self.resolve(sid).text.splitlines()
        lines = difflib.unified_diff(old, new, fromfile=parent, tofile=sid, lineterm="", n=3)
        return {"parent": parent, "diff": "\n".join(lines)}


GOAL_KINDS = ("hold_base", "deny_base", "relation", "influence", "issue", "economy", "stability")
_UNKNOWN_REF = re.compile(r"^(unknown (actor|base|region|issue) '([^']*)')(?:; (expected one of .*))?$")
_NO_GOAL = re.compile(r"^actor (\S+) has no goal '([^']*)'$")
REF_TABLES = {"actor": "actors", "base": "bases", "region": "regions", "issue": "issues"}
_NO_KIND = "missing required field 'kind'"    # (the loader may add its own guess at a typo: this one is better)


def _merged(parent: dict, child: dict) -> dict:
    """The child's mappings laid over the parent's (enough to know which names exist; lists replace)."""
    out = dict(parent)
    for k, v in child.items():
        out[k] = _merged(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _close(name: str, known: object) -> str | None:
    names = [str(k) for k in known] if isinstance(known, (dict, list, tuple, set)) else []
    hit = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return hit[0] if hit else None


def _may_hint(e: ErrorItem) -> bool:
    """Whether _hint_for could improve this error (the cheap test of its three message shapes)."""
    return e.message.startswith(_NO_KIND) or bool(_UNKNOWN_REF.match(e.message) or
                                                                _NO_GOAL.match(e.message))


def _hint_for(e: ErrorItem, merged: dict, parent: dict, parent_id: str | None) -> str | None:
    """A better message for a mistyped name, or None to keep the error as it is."""
    msg, parts = e.message, (e.field or "").split(".")
    if msg.startswith(_NO_KIND) and len(parts) == 5 and parts[0] == "actors" and parts[2] == "goals":
        actor, goal = parts[1], parts[3]
        theirs = ((parent.get("actors") or {}).get(actor) or {}).get("goals") or {}
        near = _close(goal, theirs)
        if near:
            return (f"{actor} has no goal {goal!r} in {parent_id}, so this would be a new goal, which needs a 'kind'; "
                    f"did you mean {near!r}?")
        return f"missing required field 'kind': a new goal needs one of {', '.join(GOAL_KINDS)}"
    m = _UNKNOWN_REF.match(msg)
    if m:
        near = _close(m.group(3), merged.get(REF_TABLES[m.group(2)]) or {})
        if not near or near == m.group(3):
            return None
        return f"{m.group(1)}; did you mean {near!r}?" + (f" ({m.group(4)})" if m.group(4) else "")
    m = _NO_GOAL.match(msg)
    if m:
        goals = ((merged.get("actors") or {}).get(m.group(1)) or {}).get("goals") or {}
        near = _close(m.group(2), goals)
        return f"{msg}; did you mean {near!r}?" if near and near != m.group(2) else None
    return None


def _invalid(errors: list[ErrorItem]) -> str:
    first = errors[0]
    where = f"line {first.line}: " if first.line else ""
    field = f"{first.field}: " if first.field else ""
    more = f" ({len(errors) - 1} more error{'s' if len(errors) > 2 else ''} listed)" if len(errors) > 1 else ""
    return f"the scenario is not valid: {where}{field}{first.message}{more}"


def _atomic_write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text)
