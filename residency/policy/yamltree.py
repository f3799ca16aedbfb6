"""YAML text -> plain data plus the line of every value, built from parser events.

Building from events (not `yaml.compose`) keeps nesting depth under our control without
recursion, notices duplicate keys (PyYAML silently keeps the last), and refuses aliases: a
policy never needs them, and refusing them rules out "billion laughs" alias bombs outright.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import yaml

from residency.errors import PolicyError
from residency.policy.positions import JsonPath, LineMap, at

MAX_DEPTH = 32  # a policy file needs 6 levels; this only stops pathological nesting
MAX_NUMBER_CHARS = 100

# libyaml's parser when PyYAML was built with it (~6x faster on a 1 MiB file), else pure Python.
# Same interface; getattr because yaml.CSafeLoader does not exist without libyaml.
_LOADER_CLASS: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_SCALAR_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_SCALAR_TAG + t for t in ("str", "int", "float", "bool", "null")}
_NUMBER_TAGS = {_SCALAR_TAG + "int", _SCALAR_TAG + "float"}
_TIMESTAMP = _SCALAR_TAG + "timestamp"
_SEQ_TAG = _SCALAR_TAG + "seq"
_MAP_TAG = _SCALAR_TAG + "map"


@dataclass
class Document:
    data: Any  # None for a stream without a document (empty file, only comments)
    lines: LineMap


@dataclass
class _Frame:
    container: list[Any] | dict[str, Any]
    path: JsonPath
    key: str | None = None  # mapping: key waiting for its value
    key_line: int = 0
    key_lines: dict[str, int] = field(default_factory=dict)


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, source: str) -> None:
        self.loader = loader
        self.source = source
        self.lines = LineMap()
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0

    def fail(self, line: int, message: str) -> PolicyError:
        return PolicyError(at(self.source, line, (), message))

    def feed(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.fail(line, "holds more than one YAML document ('---'); put every policy "
                                      "in one 'policies:' list")
        elif isinstance(event, yaml.AliasEvent):
            raise self.fail(line, f"YAML aliases ('*{event.anchor}') are not supported in policy files; "
                                  "write the value out in full")
        elif isinstance(event, yaml.ScalarEvent):
            self._scalar(event, line)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            self._start(event, line)
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            frame = self.stack.pop()
            if not self.stack:
                self.root = frame.container

    def _start(self, event: yaml.SequenceStartEvent | yaml.MappingStartEvent, line: int) -> None:
        is_map = isinstance(event, yaml.MappingStartEvent)
        expected = _MAP_TAG if is_map else _SEQ_TAG
        if event.tag not in (None, "!", expected):
            raise self.fail(line, _unsupported_tag(event.tag))
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(line, f"nesting is deeper than {MAX_DEPTH} levels; a policy file needs far fewer")
        container: list[Any] | dict[str, Any] = {} if is_map else []
        path = self._attach(container, line)
        self.stack.append(_Frame(container, path))

    def _scalar(self, event: yaml.ScalarEvent, line: int) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.container, dict) and top.key is None:
            if event.value == "<<" and not event.style:  # plain style: None (Python) or "" (libyaml)
                raise self.fail(line, "YAML merge keys ('<<') are not supported in policy files; "
                                      "write the keys out in full")
            self._key(top, event.value, line)
            return
        self._attach(self._construct(event, line), line)

    def _key(self, frame: _Frame, text: str, line: int) -> None:
        # Keys are always read as written: `on:` or `2024:` are the strings 'on' and '2024'.
        first = frame.key_lines.get(text)
        if first is not None:
            where = (*frame.path, text)
            raise PolicyError(at(self.source, line, where,
                                 f"duplicate key '{text}' (first at line {first}); keep only one"))
        frame.key, frame.key_line = text, line
        frame.key_lines[text] = line

    def _attach(self, value: Any, line: int) -> JsonPath:
        """Place a finished scalar or a new collection in its parent; returns its path."""
        if not self.stack:
            self.root = value
            self.lines.values[()] = line
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            path = (*top.path, len(top.container))
            top.container.append(value)
        else:
            if top.key is None:
                raise self.fail(line, "a mapping key must be a plain string, not a list or mapping")
            path = (*top.path, top.key)
            top.container[top.key] = value
            self.lines.keys[path] = top.key_line
            top.key = None
        self.lines.values[path] = line
        return path

    def _construct(self, event: yaml.ScalarEvent, line: int) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            resolve = cast("Callable[..., str]", self.loader.resolve)  # untyped in types-PyYAML
            tag = resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _TIMESTAMP:
            return event.value  # dates stay text; the semantic pass checks them
        if tag not in _PLAIN_TAGS:
            raise self.fail(line, _unsupported_tag(tag))
        if tag in _NUMBER_TAGS and len(event.value) > MAX_NUMBER_CHARS:
            # Python refuses to convert integers over 4,300 digits; no policy value needs 100.
            raise self.fail(line, f"a number of {len(event.value):,} characters is longer than any policy value "
                                  f"({MAX_NUMBER_CHARS}); quote it if it is text")
        node = yaml.ScalarNode(tag, event.value, style=event.style)
        return self.loader.construct_object(node)


def _unsupported_tag(tag: str | None) -> str:
    shown = str(tag).replace(_SCALAR_TAG, "!!", 1)
    return f"unsupported YAML tag '{shown}'; policy files hold only plain strings, numbers, lists and mappings"


def parse_yaml(text: str, source: str) -> Document:
    """Parse one policy file's text. Raises PolicyError (one line, with the line number)."""
    loader: yaml.SafeLoader | None = None
    try:
        loader = _LOADER_CLASS(text)
        builder = _Builder(loader, source)
        next_event = cast("Callable[[], yaml.Event]", loader.get_event)  # untyped in types-PyYAML
        while loader.check_event():
            builder.feed(next_event())
    except yaml.MarkedYAMLError as error:
        raise PolicyError(_describe_marked(error, source, text)) from None
    except yaml.reader.ReaderError as error:
        # libyaml counts bytes of the UTF-8 text, the pure-Python reader counts characters.
        if _LOADER_CLASS is yaml.SafeLoader:
            line = text.count("\n", 0, error.position) + 1
        else:
            line = text.encode().count(b"\n", 0, error.position) + 1
        code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
        raise PolicyError(at(source, line, (), f"invalid YAML: control character U+{code:04X} is not "
                                               "allowed; remove it")) from None
    except yaml.YAMLError as error:  # any other parser complaint, still one line
        raise PolicyError(f"{source}: invalid YAML: {' '.join(str(error).split())}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return Document(builder.root, builder.lines)


def _describe_marked(error: yaml.MarkedYAMLError, source: str, text: str) -> str:
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return f"{source}: invalid YAML: {' '.join(str(error).split())}"
    problem = " ".join((error.problem or error.context or "cannot be parsed").split())
    lines = text.splitlines()
    row = lines[mark.line] if mark.line < len(lines) else ""
    if "cannot start any token" in problem and row[mark.column:mark.column + 1] == "\t":
        return at(source, mark.line + 1, (), f"invalid YAML: a tab (column {mark.column + 1}) cannot indent "
                                             "or start a value; use spaces")
    return at(source, mark.line + 1, (), f"invalid YAML: {problem} (column {mark.column + 1}); "
                                         "check the indentation and quoting")
