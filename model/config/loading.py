"""Config file I/O shared by every YAML config of the project (scenarios, experiment specs).

Users edit these files by hand to test hypotheses, so every mistake must come back as one readable
``file:line: field: message`` (a UserError), never a traceback, and a hostile file must not run code, exhaust
memory or hang. Parsing therefore uses PyYAML's safe *event* parser and a small composer of our own that
whitelists the standard tags, rejects duplicate keys, and bounds nesting depth and alias expansion.
"""
from __future__ import annotations

import collections.abc
import difflib
import gc
import math
import re
import stat
import sys
import types
import typing
from collections.abc import Container, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, ValidationError
from yaml import events as ev
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from model.config.errors import UserError, UserErrors

if typing.TYPE_CHECKING:
    from pydantic_core import ErrorDetails  # what ValidationError.errors() gives

LineMap = dict[tuple[str | int, ...], tuple[str, int]]

MAX_BYTES = 5_000_000
MAX_DEPTH = 100             # nesting levels; real configs use < 15
MAX_NODES = 100_000         # values written out: ~4 us each, so a refusal takes < 1 s (the baseline has 4,406)
MAX_ALIAS_NODES = 100_000   # values that aliases may add on top of those written out ("billion laughs")
MAX_EXTENDS = 16
_BARE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}(\.ya?ml)?")   # `extends:` of a confined config
_Y = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_Y + t for t in ("null", "bool", "int", "float", "str", "timestamp")}
_MERGE = _Y + "merge"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _dotted(path: Sequence[Any]) -> str:
    return ".".join(str(s) for s in path)


def _show(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    s = "a mapping" if isinstance(v, dict) else repr(v) if isinstance(v, (str, list, tuple)) else str(v)
    return s if len(s) <= 60 else s[:57] + "..."


def _bad_tag(tag: str, file: str, line: int) -> UserError:
    shown = "!!" + tag[len(_Y):] if tag.startswith(_Y) else tag
    return UserError(f"unsupported YAML tag {shown} at line {line}; only plain values, lists and mappings "
                     "are allowed", file=file, line=line)


def _marks(e: ev.Event) -> tuple[Mark | None, Mark | None]:
    """An event's marks for its node. The C loader's marks (yaml._yaml.Mark) carry the same line and column as
    yaml.error.Mark, the only kind the type stubs let a node hold."""
    return typing.cast("tuple[Mark | None, Mark | None]", (e.start_mark, e.end_mark))


def _compose(text: str, file: str) -> tuple[Node | None, int]:
    """Build the node graph from parser events with explicit stacks (no recursion, so no deep-nesting crash)."""
    loader = _Loader(text)
    anchors: dict[str, Node] = {}
    stack: list[list[Any]] = []     # [collection node, pending key node or None, anchor]
    root, count, docs = None, 0, 0
    try:
        while True:
            e = loader.get_event()
            line = e.start_mark.line + 1 if e.start_mark else 1
            if isinstance(e, ev.StreamEndEvent):
                return root, count
            if isinstance(e, ev.DocumentStartEvent):
                docs += 1
                if docs > 1:
                    raise UserError("a second YAML document starts here ('---'); a config file holds exactly one",
                                    file=file, line=line)
                continue
            if isinstance(e, ev.AliasEvent):
                if e.anchor not in anchors:
                    inside = any(f[2] == e.anchor for f in stack)
                    raise UserError(f"alias *{e.anchor} " + ("is used inside its own anchor" if inside else
                                    f"refers to no anchor &{e.anchor} defined above it"), file=file, line=line)
                node = anchors[e.anchor]
            elif isinstance(e, ev.ScalarEvent):
                tag = e.tag if e.tag not in (None, "!") else _resolver.resolve(ScalarNode, e.value, e.implicit)
                if tag not in _SCALAR_TAGS and tag != _MERGE:
                    raise _bad_tag(tag, file, line)
                node = ScalarNode(tag, e.value, *_marks(e), e.style)
            elif isinstance(e, ev.CollectionStartEvent):
                kind = "map" if isinstance(e, ev.MappingStartEvent) else "seq"
                if e.tag not in (None, "!", _Y + kind):
                    raise _bad_tag(e.tag, file, line)
                if len(stack) >= MAX_DEPTH:
                    raise UserError(f"nested more than {MAX_DEPTH} levels deep", file=file, line=line)
                node = (MappingNode if kind == "map" else SequenceNode)(_Y + kind, [], *_marks(e))
            elif isinstance(e, ev.CollectionEndEvent):
                node, _, anchor = stack.pop()
                if anchor:  # registered only when complete, so an alias can never point at its own container
                    anchors[anchor] = node
                continue
            else:
                continue
            count += not isinstance(e, ev.AliasEvent)
            if count > MAX_NODES:
                raise UserError(f"the file holds more than {MAX_NODES:,} values; refusing to load it", file=file,
                                line=line)
            if not stack:
                root = node
            elif isinstance(stack[-1][0], SequenceNode):
                stack[-1][0].value.append(node)
            elif stack[-1][1] is None:
                stack[-1][1] = node
            else:
                stack[-1][0].value.append((stack[-1][1], node))
                stack[-1][1] = None
            if isinstance(e, ev.CollectionStartEvent):
                stack.append([node, None, e.anchor])
            elif isinstance(e, ev.ScalarEvent) and e.anchor:
                anchors[e.anchor] = node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = f"invalid YAML: {exc.problem or exc.context}"
        if exc.context and exc.problem and exc.context_mark:
            msg += f" ({exc.context} at line {exc.context_mark.line + 1})"
        raise UserError(msg + (f", column {mark.column + 1}" if mark else ""), file=file,
                        line=mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:
        line = text.encode("utf-8", "replace")[:exc.position].count(b"\n") + 1
        raise UserError(f"invalid character {exc.character!r} ({exc.reason})", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise UserError(f"invalid YAML: {str(exc).splitlines()[0]}", file=file) from None
    finally:
        loader.dispose()


class _Builder:
    """Turns nodes into plain Python values, recording lines and counting values so aliases cannot explode."""

    def __init__(self, file: str, budget: int) -> None:
        self.file, self.budget = file, budget

    def build(self, node: Node, path: tuple, lm: LineMap, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise UserError(f"aliases expand to more than {MAX_ALIAS_NODES:,} values (an alias bomb?); refusing "
                            "to load", file=self.file, line=_line(node))
        if depth > MAX_DEPTH:
            raise UserError(f"nested more than {MAX_DEPTH} levels deep (through aliases)", file=self.file,
                            line=_line(node))
        if isinstance(node, ScalarNode):
            if node.tag == _MERGE:
                return node.value
            try:
                return _constructor.yaml_constructors[node.tag](_constructor, node)
            except (ValueError, TypeError, yaml.YAMLError):
                raise UserError(f"cannot read {_show(node.value)} as !!{node.tag[len(_Y):]}", file=self.file,
                                line=_line(node), field=_dotted(path) or None) from None
        if isinstance(node, SequenceNode):
            out = []
            for i, item in enumerate(node.value):
                lm[path + (i,)] = (self.file, _line(item))
                out.append(self.build(item, path + (i,), lm, depth + 1))
            return out
        if isinstance(node, MappingNode):
            return self._mapping(node, path, lm, depth)
        raise TypeError(f"unexpected YAML node {type(node).__name__}")   # the composer makes only these three

    def _mapping(self, node: MappingNode, path: tuple, lm: LineMap, depth: int) -> dict:
        out: dict[str, Any] = {}
        first: dict[str, int] = {}
        merges: list[Node] = []
        for knode, vnode in node.value:
            if isinstance(knode, ScalarNode) and knode.tag == _MERGE:
                merges.append(vnode)
                continue
            if not isinstance(knode, ScalarNode):
                kind = "list" if isinstance(knode, SequenceNode) else "mapping"
                raise UserError(f"a {kind} cannot be used as a key; keys must be plain names", file=self.file,
                                line=_line(knode), field=_dotted(path) or None)
            key = knode.value  # the key as written: `1:` -> "1", `on:` -> "on" (not True)
            if key in first:
                raise UserError(f"duplicate key {_show(key)} (first at line {first[key]})", file=self.file,
                                line=_line(knode), field=_dotted(path + (key,)))
            first[key] = _line(knode)
            lm[path + (key,)] = (self.file, _line(knode))
            out[key] = self.build(vnode, path + (key,), lm, depth + 1)
        for m in merges:  # `<<: *defaults`: keys written out win, then earlier merged mappings
            for src in (m.value if isinstance(m, SequenceNode) else [m]):
                if not isinstance(src, MappingNode):
                    raise UserError("'<<' (merge) expects a mapping or a list of mappings", file=self.file,
                                    line=_line(src), field=_dotted(path) or None)
                tmp: LineMap = {}
                taken = set()
                for k, v in self.build(src, path, tmp, depth).items():
                    if k not in out:
                        out[k] = v
                        taken.add(k)
                lm.update({p: w for p, w in tmp.items() if len(p) > len(path) and p[len(path)] in taken})
        return out


def _parse(text: str, file: str, max_bytes: int) -> tuple[Any, LineMap, Node | None]:
    if len(text) > max_bytes or len(text.encode("utf-8", "replace")) > max_bytes:
        raise UserError(f"the file is too large (the limit is {max_bytes:,} bytes)", file=file)
    gc_was_on = gc.isenabled()
    gc.disable()  # only acyclic containers are made here; collections while they grow would double the time
    try:
        root, count = _compose(text, file)
        if root is None:
            return None, {}, None
        lm: LineMap = {(): (file, _line(root))}
        return _Builder(file, count + MAX_ALIAS_NODES).build(root, (), lm, 0), lm, root
    finally:
        if gc_was_on:
            gc.enable()


def read_yaml_text(text: str, file: str = "<text>", *, max_bytes: int = MAX_BYTES,
                   lists: bool = False) -> tuple[Any, LineMap]:
    """Parse YAML text whose top level must be a mapping (as every config's is), with the line of every value.
    lists=True also takes a list at the top level (a file of orders)."""
    data, lm, root = _parse(text, file, max_bytes)
    if root is None or (isinstance(root, ScalarNode) and root.tag == _Y + "null" and not root.value):
        raise UserError("the file is empty; expected a mapping (key: value lines)", file=file, line=1)
    if lists and isinstance(data, list):
        return data, lm
    if not isinstance(data, dict):
        raise UserError(f"expected a mapping (key: value lines) at the top level, got {_show(data)}",
                        file=file, line=_line(root))
    return data, lm


def parse_json(text: str, *, file: str | None = None, field: str | None = None, hint: str = "") -> Any:
    """JSON a user gave (an export, an inline order list): every way json.loads fails is one UserError naming the
    file or option; besides bad syntax it raises RecursionError for deep nesting and ValueError for an integer
    of more than 4,300 digits, which would otherwise be tracebacks."""
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"not valid JSON: {exc.msg} (column {exc.colno}){hint}", file=file,
                        line=exc.lineno if file else None, field=field) from None
    except RecursionError:
        raise UserError(f"not valid JSON here: nested too deeply{hint}", file=file, field=field) from None
    except ValueError:                 # int('9' * 5000): "Exceeds the limit (4300 digits) ..."
        raise UserError(f"not valid JSON here: a number has more than {sys.get_int_max_str_digits():,} digits{hint}",
                        file=file, field=field) from None


def read_yaml(path: str | Path, *, max_bytes: int = MAX_BYTES, lists: bool = False) -> tuple[Any, LineMap]:
    """Safe-load one YAML file, recording the line of every mapping key / sequence item (lists: read_yaml_text)."""
    file, p = str(path), Path(path)
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise UserError("is a directory, not a YAML file", file=file)
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device could block or never end
            raise UserError("is not a regular file", file=file)
        if st.st_size > max_bytes:  # refuse before reading or parsing
            raise UserError(f"the file is too large ({st.st_size:,} bytes; the limit is {max_bytes:,})", file=file)
        with open(p, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise UserError("no such file", file=file) from None
    except PermissionError:
        raise UserError("cannot read the file: permission denied", file=file) from None
    except OSError as exc:
        raise UserError(f"cannot read the file: {exc.strerror or exc}", file=file) from None
    if len(raw) > max_bytes:  # it grew while we read it
        raise UserError(f"the file is too large (the limit is {max_bytes:,} bytes)", file=file)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                        "save it as UTF-8", file=file, line=raw[:exc.start].count(b"\n") + 1) from None
    return read_yaml_text(text, file, max_bytes=max_bytes, lists=lists)


# Mappings a file that extends another writes whole: a condition (a new `condition:` merged key by key kept the
# parent's `any:` beside the child's `indicator:`, which is no condition) and a governorate's control shares (new
# shares kept the parent's other actors, so they no longer summed to 1).
WHOLE_KEYS = frozenset({"condition", "rearm", "closes_when"})
WHOLE_PATHS = (("regions", None, "control"),)     # None: any key at that level


def _matches(path: tuple, patterns: tuple[tuple, ...]) -> bool:
    """True when `path` is one of `patterns` (None in a pattern: any key at that level)."""
    return any(len(path) == len(w) and all(x is None or x == k for x, k in zip(w, path, strict=True))
               for w in patterns)


def written_whole(path: tuple) -> bool:
    """True when a variant's mapping at `path` replaces the parent's instead of merging into it."""
    return bool(path) and path[-1] in WHOLE_KEYS or _matches(path, WHOLE_PATHS)


# Named entries a file that extends another can remove by writing `name: null` (an event it does not want, an actor's
# goal, a relation). Elsewhere null is a value (a base's `controller: null`: no holder), so it replaces as any value.
REMOVABLE_PATHS = (("actors", None), ("bases", None), ("regions", None), ("issues", None), ("events", None),
                   ("relations", None), ("affinity", None), ("actors", None, "goals", None))


def removable(path: tuple) -> bool:
    """True when a variant's `null` at `path` removes the parent's entry instead of setting it to null."""
    return _matches(path, REMOVABLE_PATHS)


def _merge(parent: dict, plm: LineMap, child: dict, clm: LineMap) -> tuple[dict, LineMap]:
    """Child over parent: mappings merge recursively (but those `written_whole`), anything else replaces, and a
    `null` at a `removable` path removes the entry; each path keeps its final line."""
    lm: LineMap = {}

    def take(value: Any, src: LineMap, path: tuple) -> None:
        if path in src:
            lm[path] = src[path]
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for k, v in items:
            take(v, src, path + (k,))

    def merge(p: dict, c: dict, path: tuple) -> dict:
        if path in clm or path in plm:
            lm[path] = clm.get(path) or plm[path]
        out = dict(p)
        for k, v in p.items():
            if k not in c:
                take(v, plm, path + (k,))
        for k, v in c.items():
            if v is None and removable(path + (k,)):
                out.pop(k, None)
            elif isinstance(v, dict) and isinstance(p.get(k), dict) and not written_whole(path + (k,)):
                out[k] = merge(p[k], v, path + (k,))
            else:
                out[k] = v
                take(v, clm, path + (k,))
        return out

    return merge(parent, child, ()), lm


def inside_folder(path: Path, folder: Path) -> bool:
    """True when `path`, symlinks followed, lies inside `folder`."""
    return path.resolve().is_relative_to(folder.resolve())


def load_with_extends(path: str | Path, *, search_dirs: Sequence[Path] = (),
                      key: str = "extends", confine: bool = False) -> tuple[dict, LineMap]:
    """Load a config and the chain of files it extends, so a variant states only what differs from its base.

    confine=True (text from the web): `extends:` must be a bare name, found only inside the search folders
    (symlinks leading out of them are ignored), so a config can never read another file of the server."""
    chain: list[tuple[Path, str]] = []
    p, file = Path(path), str(path)
    layers: list[tuple[dict, LineMap]] = []
    while True:
        data, lm = read_yaml(p)
        chain.append((p.resolve(), file))
        layers.append((data, lm))
        if key not in data:
            break
        ref = data.pop(key)
        where = lm.pop((key,))
        if not isinstance(ref, str) or not ref.strip():
            raise UserError(f"expected the name of a YAML file to extend, got {_show(ref)}", file=file,
                            line=where[1], field=key)
        if confine and not _BARE_NAME.fullmatch(ref):
            raise UserError(f"expected a name such as baseline-2025 (letters, digits, '-' or '_'), got {_show(ref)}; "
                            "paths are not allowed here", file=file, line=where[1], field=key)
        dirs = [p.parent, *map(Path, search_dirs)]
        tries = [ref] if ref.endswith((".yaml", ".yml")) else [ref, ref + ".yaml"]
        parent = next((d / n for d in dirs for n in tries
                       if (d / n).is_file() and (not confine or inside_folder(d / n, d))), None)
        if parent is None and confine:
            raise UserError(f"nothing named {ref!r} to extend", file=file, line=where[1], field=key)
        if parent is None:
            raise UserError(f"cannot find {ref!r} to extend (looked in {', '.join(map(str, dirs))})",
                            file=file, line=where[1], field=key)
        if parent.resolve() in [c[0] for c in chain]:
            names = [Path(c[1]).name for c in chain] + [Path(parent).name]
            raise UserError(f"extends cycle: {' -> '.join(names)}", file=file, line=where[1], field=key)
        if len(chain) >= MAX_EXTENDS:
            raise UserError(f"more than {MAX_EXTENDS} files extend each other", file=file, line=where[1], field=key)
        p, file = parent, str(parent)
    data, lm = layers.pop()
    while layers:
        data, lm = _merge(data, lm, *layers.pop())
    return data, lm


def parse_override(text: str) -> tuple[tuple[str, ...], Any]:
    """Split 'a.b.c=value' (value read as YAML) so one value can be changed without editing the file."""
    path_text, sep, value_text = text.partition("=")
    where = f"--set {text}"
    if not sep:
        raise UserError("expected path=value, e.g. actors.USA.policy.temperature=0.2", field=where)
    path = tuple(s.strip() for s in path_text.split("."))
    if not path_text.strip() or not all(path):
        raise UserError("the path before '=' is empty or has an empty part (like 'a..b')", field=where)
    try:
        value = _parse(value_text, "--set", 100_000)[0]
    except UserError as exc:
        raise UserError(f"cannot read the value: {exc.message}", field=where) from None
    return path, value


def _segment(container: Any, seg: str | int, full: Sequence[Any], i: int, source: str) -> Any:
    here = _dotted(full[:i]) or "the top level"
    if isinstance(container, dict):
        for k in container:
            if str(k) == str(seg):
                return k
        keys = [str(k) for k in container]
        hint = difflib.get_close_matches(str(seg), keys, 1)
        raise UserError(f"{str(seg)!r} does not exist in {here}" + (f"; did you mean {hint[0]!r}?" if hint else "")
                        + f" (valid: {', '.join(keys[:10])}{', ...' if len(keys) > 10 else ''})", field=source)
    if isinstance(container, list):
        if str(seg).isdigit() and int(seg) < len(container):
            return int(seg)
        raise UserError(f"{str(seg)!r} is not an index of the list at {here} (it has {len(container)} items, "
                        "numbered from 0)", field=source)
    raise UserError(f"{here} is a single value ({_show(container)}), so it has no {str(seg)!r}", field=source)


def get_dotted(data: Any, path: Sequence[str | int], *, source: str = "--set") -> Any:
    """The value at a dotted path; a missing segment is a UserError that lists what exists."""
    for i, seg in enumerate(path):
        data = data[_segment(data, seg, path, i, source)]
    return data


def set_dotted(data: dict, path: tuple[str, ...], value: Any, *, source: str = "--set") -> None:
    """Change an existing value; a new key is refused so that a typo in an override is an error, not ignored."""
    if not path:
        raise UserError("empty path", field=source)
    parent = get_dotted(data, path[:-1], source=source)
    parent[_segment(parent, path[-1], path, len(path) - 1, source)] = value


# ------------------------------------------------------------------------------------------ uncertain numbers
RANGE_KEYS = ("value", "low", "high")
_RANGE_SET = frozenset(RANGE_KEYS)


@dataclass(frozen=True)
class Uncertain:
    """A number written as a range, `{value: 0.3, low: 0.1, high: 0.5}`: the model plays `value`; an experiment
    with `uncertainty:` draws it between `low` and `high` (whole numbers when the field takes them)."""
    path: str                   # dotted, as `--set` takes it: issues.russian_basing.thresholds.0.value
    value: float
    low: float
    high: float
    integer: bool = False       # the field takes whole numbers
    file: str | None = None     # where the range was written (a file, or the override that set it)
    line: int | None = None

    def at(self, u: float, distribution: str = "uniform") -> float | int:
        """The value at quantile u in [0, 1] (u = 1 gives high) of the range's distribution: `uniform` between
        low and high, or `triangular` from low to high with its mode at value (the three-point estimate).

        A whole-number field takes the continuous draw over [low, high + 1) (mode value + 1/2) rounded down, so
        every whole number in the range has its share."""
        u = min(max(float(u), 0.0), 1.0)
        lo, hi, mode = float(self.low), float(self.high), float(self.value)
        if self.integer:
            hi, mode = hi + 1.0, mode + 0.5
        if distribution == "triangular":
            c = (mode - lo) / (hi - lo)
            x = (lo + math.sqrt(u * (hi - lo) * (mode - lo)) if u < c
                 else hi - math.sqrt((1.0 - u) * (hi - lo) * (hi - mode)))
        elif distribution == "uniform":
            x = lo + u * (hi - lo)
        else:
            raise ValueError(f"unknown distribution {distribution!r}")
        if self.integer:
            return int(min(math.floor(x), self.high))
        return float(f"{min(max(x, lo), hi):.12g}")


def is_range(v: Any) -> bool:
    """A mapping meant as a range: it has low or high, and value or nothing but range keys."""
    return isinstance(v, dict) and ("low" in v or "high" in v) and ("value" in v or v.keys() <= _RANGE_SET)


def _find_ranges(data: Any) -> list[tuple[tuple, dict]]:
    """(path, mapping) of every range, in the order of the data; scalars are not visited one by one."""
    found: list[tuple[tuple, dict]] = []
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        path, v = stack.pop()
        if is_range(v):
            found.append((path, v))
            continue
        items = list(v.items()) if isinstance(v, dict) else list(enumerate(v))
        stack.extend((path + (k,), x) for k, x in reversed(items) if isinstance(x, (dict, list)))
    return found


_KIND_WORDS = {str: "text", bool: "true or false", list: "a list", tuple: "a list", dict: "a mapping"}


def _number_field(model_cls: Any, path: Sequence[Any]) -> tuple[bool | None, str]:
    """(True: a whole-number field, False: any number, None: the path is not in the schema, for pydantic to
    report), or raises ValueError naming what the field takes instead of a number."""
    if model_cls is None:
        return False, ""
    cands = _expand(model_cls)
    for seg in path:
        nxt: list[Any] = []
        for c in cands:
            origin, args = typing.get_origin(c), typing.get_args(c)
            if c is Any:
                nxt.append(Any)
            elif isinstance(c, type) and issubclass(c, BaseModel):
                f = c.model_fields.get(str(seg)) or next((f for f in c.model_fields.values() if f.alias == seg), None)
                nxt += _expand(f.annotation) if f else []
            elif origin in (dict, collections.abc.Mapping) and len(args) == 2:
                nxt += _expand(args[1])
            elif origin in (list, collections.abc.Sequence) and args and isinstance(seg, int):
                nxt += _expand(args[0])
            elif origin is tuple and args and isinstance(seg, int):
                nxt += _expand(args[0] if args[-1] is Ellipsis else args[min(seg, len(args) - 1)])
        if not nxt:
            return None, ""
        cands = nxt
    if any(c is Any or c is float for c in cands):
        return False, ""
    if int in cands:
        return True, ""
    words = []
    for c in cands:
        origin = typing.get_origin(c)
        if origin is Literal:
            words.append("one of " + ", ".join(map(str, typing.get_args(c))))
        elif isinstance(c, type) and issubclass(c, BaseModel):
            words.append("a mapping")
        else:
            words.append(_KIND_WORDS.get(origin or c, getattr(c, "__name__", str(c))))
    raise ValueError(f"a range {{value, low, high}} is only for numbers; this field takes "
                     f"{' or '.join(dict.fromkeys(words))}")


def make_range(path: Sequence[Any], spec: dict, *, model_cls: Any = None, file: str | None = None,
               line: int | None = None) -> Uncertain | None:
    """Check one range as written; raises ValueError with the problem in words. None: the path is not in the
    schema (the schema check then reports the unknown field)."""
    unknown = [k for k in spec if k not in _RANGE_SET]
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} in a range; a range is {{value, low, high}}")
    missing = [k for k in RANGE_KEYS if k not in spec]
    if missing:
        raise ValueError(f"a range needs value, low and high (missing: {', '.join(missing)})")
    for k in RANGE_KEYS:
        x = spec[k]
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise ValueError(f"the range's {k} must be a number, got {_show(x)}")
        if not math.isfinite(x):
            raise ValueError(f"the range's {k} must be a finite number, got {_show(x)}")
    value, low, high = (spec[k] for k in RANGE_KEYS)
    if not low < high:
        raise ValueError(f"low must be below high, got low={_show(low)} high={_show(high)}")
    if not low <= value <= high:
        raise ValueError(f"expected low <= value <= high, got value={_show(value)} outside "
                         f"[{_show(low)}, {_show(high)}]")
    integer, _ = _number_field(model_cls, path)
    if integer is None:
        return None
    if integer and not all(float(spec[k]).is_integer() for k in RANGE_KEYS):
        raise ValueError("this field takes whole numbers: give a whole-number value, low and high")
    cast = int if integer else (lambda x: x)
    return Uncertain(_dotted(path), cast(value), cast(low), cast(high), integer, file, line)


def split_ranges(data: Any, lines: LineMap | None = None, file: str = "<config>", *,
                 model_cls: Any = None) -> tuple[Any, dict[str, Uncertain]]:
    """The data with every range replaced by its value, and the ranges by dotted path (in the data's order).

    `data` itself is not changed: the containers along each range's path are copied. Every bad range is one
    `file:line: field: message` (all of them at once)."""
    found = _find_ranges(data) if isinstance(data, (dict, list)) else []
    if not found:
        return data, {}
    lines = lines or {}
    ranges: dict[str, Uncertain] = {}
    errors: list[UserError] = []
    for path, spec in found:
        f, ln = lines.get(path, (file, None))
        try:
            r = make_range(path, spec, model_cls=model_cls, file=f, line=ln)
        except ValueError as exc:
            errors.append(UserError(str(exc), file=f, line=ln, field=_dotted(path)))
            continue
        if r is not None:
            ranges[r.path] = r
    if errors:
        raise UserErrors(errors)
    return _replaced(data, [(path, spec.get("value")) for path, spec in found]), ranges


def _replaced(data: Any, items: Sequence[tuple[Sequence[Any], Any]]) -> Any:
    """A copy of `data` with the value at each path replaced; only the containers along the paths are copied."""
    root = dict(data) if isinstance(data, dict) else list(data)
    copied = {id(root)}
    for path, value in items:
        node = root
        for i, seg in enumerate(path):
            if isinstance(node, list):
                seg = int(seg)
            elif seg not in node:       # a key validated to a number (a script's turn) is written as text
                seg = next((k for k in node if str(k) == str(seg)), seg)
            if i == len(path) - 1:
                node[seg] = value
                break
            child = node[seg]
            if id(child) not in copied:
                child = dict(child) if isinstance(child, dict) else list(child)
                copied.add(id(child))
                node[seg] = child
            node = child
    return root


def override_ranges(key: tuple[str, ...], value: Any, source: str, ranges: dict[str, Uncertain], *,
                    model_cls: Any = None) -> tuple[tuple[str, ...] | None, Any, dict[str, Uncertain]]:
    """What an override does to the ranges: (the path and plain value to set, or None; the ranges after it).

    `path=number` fixes the value: a range at that path (or under it) is dropped. `path={value, low, high}`
    sets the value and gives it that range. `path.low=`, `path.high=` change a bound of an existing range and
    `path.value=` its value, keeping the range."""
    dotted = _dotted(key)
    if is_range(value):
        try:
            r = make_range(key, value, model_cls=model_cls, file=source)
        except ValueError as exc:
            raise UserError(str(exc), file=source, field=dotted) from None
        out = {p: x for p, x in ranges.items() if p != dotted and not p.startswith(dotted + ".")}
        if r is not None:
            out[dotted] = r
        return key, value["value"], out
    parent = _dotted(key[:-1])
    if key and key[-1] in _RANGE_SET and parent in ranges:
        old = ranges[parent]
        spec = {"value": old.value, "low": old.low, "high": old.high, key[-1]: value}
        try:
            r = make_range(key[:-1], spec, model_cls=model_cls, file=source)
        except ValueError as exc:
            raise UserError(str(exc), file=source, field=parent) from None
        out = dict(ranges)
        if r is not None:
            out[parent] = r
        return (key[:-1], value, out) if key[-1] == "value" else (None, None, out)
    out = {p: x for p, x in ranges.items() if p != dotted and not p.startswith(dotted + ".")}
    return key, value, out


def at_ends(data: Any, ranges: dict[str, Uncertain], end: str) -> Any:
    """A copy of plain data (every range already split off) with every ranged number at its `low` or `high`."""
    return _replaced(data, [(r.path.split("."), getattr(r, end)) for r in ranges.values()])


def _expand(tp: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    if origin is Annotated:
        return _expand(typing.get_args(tp)[0])
    if origin in (Union, types.UnionType):
        return [x for a in typing.get_args(tp) for x in _expand(a)]
    return [] if tp is type(None) else [tp]


def _types_at(model_cls: Any, loc: Sequence[Any]) -> list[Any]:
    """The candidate types at a pydantic loc; union labels in the loc (not fields) are stepped over."""
    cands = _expand(model_cls)
    for seg in loc:
        nxt: list[Any] = []
        for c in cands:
            origin, args = typing.get_origin(c), typing.get_args(c)
            if isinstance(c, type) and issubclass(c, BaseModel):
                f = c.model_fields.get(str(seg)) or next((f for f in c.model_fields.values() if f.alias == seg), None)
                nxt += _expand(f.annotation) if f else []
            elif origin in (dict, collections.abc.Mapping) and len(args) == 2:
                nxt += _expand(args[1])
            elif origin in (list, tuple, set, frozenset, collections.abc.Sequence) and args and isinstance(seg, int):
                nxt += _expand(args[0])
        named = [c for c in cands if getattr(c, "__name__", None) == seg or seg in _tags(c)]
        cands = nxt or named or cands
    return cands


def _tags(c: Any) -> set[Any]:
    """The Literal values a model's fields accept (a discriminated union's loc names the member by its tag)."""
    if not (isinstance(c, type) and issubclass(c, BaseModel)):
        return set()
    return {v for f in c.model_fields.values() if typing.get_origin(f.annotation) is Literal
            for v in typing.get_args(f.annotation)}


def bools_for_numbers(model_cls: Any, data: Any, path: tuple = ()) -> list[tuple[tuple, bool]]:
    """(path, value) of every true/false written where the schema wants a number: pydantic reads them as 1 and 0
    (`military: true` played a military of 1). Only booleans are looked up, so a file costs one walk."""
    if isinstance(data, bool):
        found = _types_at(model_cls, path)
        return [(path, data)] if bool not in found and ({int, float} & set(found)) else []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    return [hit for k, v in items for hit in bools_for_numbers(model_cls, v, path + (k,))]


def _model_fields_at(model_cls: Any, loc: Sequence[Any]) -> dict[str, Any]:
    return {(f.alias or n): f for c in _types_at(model_cls, loc) if isinstance(c, type) and issubclass(c, BaseModel)
            for n, f in c.model_fields.items()} if model_cls else {}


_EXPECT = {"int": "a whole number", "int_from_float": "a whole number", "float": "a number", "bool": "true or false",
           "string": "text", "dict": "a mapping (key: value lines)", "model": "a mapping (key: value lines)",
           "model_attributes": "a mapping (key: value lines)", "list": "a list", "tuple": "a list", "set": "a list",
           "frozen_set": "a list", "date": "a date like 2025-12-01", "date_from_datetime": "a date like 2025-12-01",
           "datetime": "a date and time like 2025-12-01T00:00",
           "finite_number": "a finite number (not nan or inf)", "none_required": "null",
           "literal_error": "one of {expected}", "enum": "one of {expected}",
           "multiple_of": "a multiple of {multiple_of}",
           "string_too_short": "text of at least {min_length} characters", "too_short": "at least {min_length} item(s)",
           "string_too_long": "text of at most {max_length} characters", "too_long": "at most {max_length} item(s)",
           "string_pattern_mismatch": "text matching {pattern}"}
_NO_GOT = {"union_tag_invalid": "unknown {discriminator} {tag!r}; expected one of {expected_tags}",
           "union_tag_not_found": "missing {discriminator} saying which kind this is"}
_BOUND_WORDS = {"gt": "greater than", "ge": "at least", "lt": "less than", "le": "at most"}


def _message(err: ErrorDetails, model_cls: Any) -> tuple[str, str | None]:
    """Pydantic's error in plain words, as (what was expected or wrong, what was given or None)."""
    t, loc, got = err["type"], tuple(err["loc"]), _show(err.get("input"))
    ctx = collections.defaultdict(str, err.get("ctx") or {})
    if t == "missing" and loc and isinstance(loc[-1], int):    # a list of fixed length (scale: [low, high]) too short
        return f"at least {loc[-1] + 1} items", got
    if t == "missing":
        return (f"missing required field {str(loc[-1])!r}" if loc else "missing required field"), None
    if t == "extra_forbidden":
        valid = list(_model_fields_at(model_cls, loc[:-1]))
        hint = _field_hint(err, model_cls)
        tail = (f"; did you mean {hint[0]!r}?" if hint else
                f"; expected one of: {', '.join(valid[:10])}" if valid else "")
        return f"unknown field {str(loc[-1])!r}{tail}", None
    if t in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        f = _model_fields_at(model_cls, loc[:-1]).get(str(loc[-1])) if loc else None
        b = {k: ctx[k] for k in _BOUND_WORDS if k in ctx}  # and the field's own bounds, as written (1, not 1.0)
        b.update({k: getattr(m, k) for m in (f.metadata if f else ()) for k in _BOUND_WORDS
                  if getattr(m, k, None) is not None})
        if "ge" in b and "le" in b:
            return f"a number between {b['ge']} and {b['le']}", got
        return "a number " + " and ".join(f"{w} {b[k]}" for k, w in _BOUND_WORDS.items() if k in b), got
    if t in ("value_error", "assertion_error"):  # the schema's own message
        return err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, "), None
    base = t.removesuffix("_type").removesuffix("_parsing")
    if t in _NO_GOT or base in _EXPECT:
        return (_NO_GOT.get(t) or _EXPECT[base]).format_map(ctx), None if t in _NO_GOT else got
    msg = err["msg"]
    if msg.startswith("Input should be "):
        return msg.removeprefix("Input should be "), got
    return f"{msg[:1].lower()}{msg[1:]} (got {got})", None


def _field_hint(err: ErrorDetails, model_cls: Any) -> list[str]:
    """The field an unknown field's name is close to (what its "did you mean" names), as a list of 0 or 1."""
    loc = tuple(err["loc"])
    return difflib.get_close_matches(str(loc[-1]), list(_model_fields_at(model_cls, loc[:-1])), 1) if loc else []


def _render(parts: list[tuple[str, str | None]]) -> str:
    """Join the branches of a union into one sentence: 'expected a number or text, got [1]'."""
    whats = list(dict.fromkeys(w for w, _ in parts))
    got = next((g for _, g in parts if g is not None), None)
    if all(g is not None for _, g in parts):
        return f"expected {' or '.join(whats)}, got {got}"
    return "; or ".join(whats)


def _locate(errors: Sequence[ErrorDetails], known: Container[tuple]) -> list[tuple[ErrorDetails, tuple]]:
    """Each error with its path in the data; of a union's failing members only those closest to fitting are kept."""
    located = []
    for err in errors:
        loc, labels = tuple(err["loc"]), []
        matched: tuple[str | int, ...] = ()
        for i, seg in enumerate(loc):  # pydantic names union members in the loc; they are not in the data
            if matched + (seg,) in known:
                matched += (seg,)
            elif not (err["type"] == "missing" and i == len(loc) - 1):
                labels.append((matched, seg))
        located.append((err, matched + (loc[-1],) if err["type"] == "missing" and loc else matched, labels))
    counts = collections.Counter(label for *_, labels in located for label in labels)
    best: dict[tuple, int] = {}
    for (prefix, _), n in counts.items():
        best[prefix] = min(best.get(prefix, n), n)
    return [(err, path) for err, path, labels in located if all(counts[lb] == best[lb[0]] for lb in labels)]


def validation_errors(exc: ValidationError, linemap: LineMap, default_file: str, *,
                      model_cls: type[BaseModel] | None = None) -> UserErrors:
    """Every pydantic error as file:line: field: message, located by the longest part of its loc in the file."""
    groups: dict[tuple[str, int | None, str | None], list[tuple[str, str | None]]] = {}
    located = _locate(exc.errors(include_url=False), linemap)
    misspelt = {(path[:-1], hint) for err, path in located if err["type"] == "extra_forbidden" and path
                for hint in _field_hint(err, model_cls)}
    siblings: dict[tuple, list[tuple[str, str]]] | None = None
    for err, path in located:
        if err["type"] == "missing" and path and (path[:-1], str(path[-1])) in misspelt:
            continue        # the field is there, misspelt: its "did you mean" is the one error to give
        item = err["type"] == "missing" and bool(path) and isinstance(path[-1], int)   # a short list: its field
        at = path[:-1] if err["type"] == "missing" else path   # a missing field points at its parent
        if item:
            path = at
        file, line = linemap.get(at, (default_file, None))
        what, got = _message(err, model_cls)
        if err["type"] == "missing" and not item and len(at) >= 2 and isinstance(at[-1], str) and at in linemap:
            # an entry a variant adds beside entries of the file it extends, close to one of their ids: a typo for
            # that id (USB for USA) made a new, incomplete entry
            if siblings is None:          # the keys beside each key, with the file each is written in, once
                siblings = collections.defaultdict(list)
                for key, (where, _) in linemap.items():
                    if key and isinstance(key[-1], str):
                        siblings[key[:-1]].append((key[-1], where))
            mine = linemap[at][0]
            close = difflib.get_close_matches(at[-1], [k for k, where in siblings.get(at[:-1], ()) if where != mine], 1)
            if close:
                what += f" ({at[-1]!r} is not in the config it extends; did you mean {close[0]!r}?)"
        groups.setdefault((file, line, _dotted(path) or None), []).append((what, got))
    files = {f: i for i, f in enumerate(dict.fromkeys(f for f, _, _ in groups))}
    ordered = sorted(groups.items(), key=lambda kv: (files[kv[0][0]], kv[0][1] is None, kv[0][1] or 0))  # as read
    return UserErrors([UserError(_render(parts), file=f, line=ln, field=fd) for (f, ln, fd), parts in ordered])


def _paths(value: Any, prefix: tuple = ()) -> set[tuple]:
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return {prefix}.union(*(_paths(v, prefix + (k,)) for k, v in items))


def load_model(model_cls: type[BaseModel], path: str | Path, *, overrides: Sequence[str] = (),
               search_dirs: Sequence[Path] = ()) -> BaseModel:
    """Read, follow extends, validate, then apply --set overrides and validate again: all a front end needs."""
    data, lm = load_with_extends(path, search_dirs=search_dirs)
    try:
        obj = model_cls.model_validate(data)
    except ValidationError as exc:
        raise validation_errors(exc, lm, str(path), model_cls=model_cls) from None
    if not overrides:
        return obj
    dumped = obj.model_dump(mode="python", by_alias=True)
    parsed = []
    for text in overrides:
        p, value = parse_override(text)
        set_dotted(dumped, p, value, source=f"--set {text}")
        parsed.append((p, text))
    try:
        return model_cls.model_validate(dumped)
    except ValidationError as exc:
        groups: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
        for err, where in _locate(exc.errors(include_url=False), _paths(dumped)):
            loc = tuple(str(s) for s in where)
            owners = [t for p, t in parsed if loc[:len(p)] == p or p[:len(loc)] == loc] or [t for _, t in parsed]
            inner = "" if any(loc == p for p, _ in parsed) else _dotted(loc)
            groups.setdefault((", ".join(f"--set {t}" for t in owners), inner), []).append(_message(err, model_cls))
        raise UserErrors([UserError((f"{inner}: " if inner else "") + _render(parts), field=who)
                          for (who, inner), parts in groups.items()]) from None
