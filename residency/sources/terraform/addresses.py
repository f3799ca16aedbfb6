"""Terraform addresses: `module.a["x"].module.b[0].aws_s3_bucket.c["k"]` and references.

Instance keys may hold dots and brackets inside quoted strings, so addresses are split
with a small scanner rather than `str.split(".")`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from residency.text import is_ascii_digits

Key = str | int | None


@dataclass(frozen=True, slots=True)
class Segment:
    name: str
    key: Key = None
    has_key: bool = False


def split_segments(address: str) -> list[Segment]:
    """`module.a["x.y"].b` -> [module, a["x.y"], b]. Raises ValueError when malformed."""
    segments: list[Segment] = []
    start, depth, in_string, escaped = 0, 0, False, False
    for position, char in enumerate(address):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "." and depth == 0:
            segments.append(_segment(address[start:position]))
            start = position + 1
    if in_string or depth != 0:
        raise ValueError(f"unbalanced brackets or quotes in {address!r}")
    segments.append(_segment(address[start:]))
    return segments


def _segment(text: str) -> Segment:
    if "[" not in text:
        if not text:
            raise ValueError("empty address step")
        return Segment(text)
    name, _, rest = text.partition("[")
    if not rest.endswith("]"):
        raise ValueError(f"bad instance key in {text!r}")
    raw = rest[:-1]
    key: Key
    if raw.startswith('"'):
        key = str(json.loads(raw))
    elif is_ascii_digits(raw):  # ASCII only: "[١]" is no index
        if len(raw) > 18:
            raise ValueError(f"instance index {raw[:20]}... is too long")
        key = int(raw)
    else:
        key = None  # an expression such as each.key: not a literal instance key
    return Segment(name, key, True)


ModuleSteps = tuple[tuple[str, Key], ...]  # (("a", "x"), ("b", 0)) for module.a["x"].module.b[0]


@dataclass(frozen=True, slots=True)
class ResourceAddress:
    module_steps: ModuleSteps  # () for the root module
    mode: str  # "managed" or "data"
    type: str
    name: str
    key: Key = None

    @property
    def module_path(self) -> tuple[str, ...]:
        """Module call names without instance keys: ("a", "b")."""
        return tuple(name for name, _ in self.module_steps)

    @property
    def config_address(self) -> str:
        """The address inside its module, as the configuration lists it: `aws_s3_bucket.c`."""
        prefix = "data." if self.mode == "data" else ""
        return f"{prefix}{self.type}.{self.name}"


def parse_resource_address(address: str) -> ResourceAddress:
    segments = split_segments(address)
    steps: list[tuple[str, Key]] = []
    position = 0
    while position + 1 < len(segments) and segments[position].name == "module" and not segments[position].has_key:
        call = segments[position + 1]
        steps.append((call.name, call.key))
        position += 2
    rest = segments[position:]
    mode = "managed"
    if rest and rest[0].name == "data" and not rest[0].has_key and len(rest) == 3:
        mode, rest = "data", rest[1:]
    if len(rest) != 2 or rest[0].has_key:
        raise ValueError(f"{address!r} is not a resource instance address")
    if any(segment.has_key and segment.key is None for segment in segments):
        raise ValueError(f"{address!r} has an instance key that is neither a quoted string nor an index")
    return ResourceAddress(tuple(steps), mode, rest[0].name, rest[1].name, rest[1].key)


def parse_module_path(module_address: str) -> tuple[str, ...]:
    """`module.a["x"].module.b` (or the pre-0.13 form `a.b`) -> ("a", "b")."""
    if not module_address:
        return ()
    segments = split_segments(module_address)
    if segments[0].name != "module":
        return tuple(s.name for s in segments)
    return tuple(s.name for s in segments[1::2])


@dataclass(frozen=True, slots=True)
class ResourceReference:
    """A reference such as `aws_s3_bucket.dest["eu"].arn` within one module."""

    type: str
    name: str
    key: Key = None
    has_key: bool = False


@dataclass(frozen=True, slots=True)
class OutputReference:
    """A reference to a child module's output: `module.replica.arn`, `module.r["eu"].arn`."""

    call: str
    key: Key
    output: str


def parse_reference(reference: str) -> ResourceReference | OutputReference | None:
    """What a configuration reference points at: a resource of the same module, a child
    module's output, or None for anything else (var., local., data., each. ...)."""
    try:
        segments = split_segments(reference)
    except (ValueError, json.JSONDecodeError):
        return None
    if len(segments) < 2 or segments[0].has_key:
        return None
    head = segments[0].name
    if head == "module":
        if len(segments) < 3:
            return None
        return OutputReference(segments[1].name, segments[1].key, segments[2].name)
    if head in {"var", "local", "data", "each", "count", "path", "terraform", "self"}:
        return None
    target = segments[1]
    return ResourceReference(head, target.name, target.key, target.has_key)
