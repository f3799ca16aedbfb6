"""Checking an answer's raw body against botocore's service model, independently of the server.

botocore's parsers skip what the model does not know, so a misspelt member (`Replica` for
`Replicas`) would pass unseen through the SDK; this walks the wire document itself: every key or
element must be a member of the output shape (by its wire name), every value of the member's
type, every enum value one of the model's.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from typing import Any

from botocore.model import OperationModel, Shape


def problems(operation: OperationModel, body: bytes) -> list[str]:
    """What in the answer does not fit the operation's output shape (empty when it fits)."""
    shape = operation.output_shape
    protocol = operation.metadata["protocol"]
    if protocol in ("json", "rest-json"):
        document = json.loads(body or b"{}")
        return _json(shape, document, operation.name) if shape is not None else []
    root = ET.fromstring(body)
    if _local(root.tag) != f"{operation.name}Response":
        return [f"{operation.name}: root element {_local(root.tag)}"]
    children = list(root)
    if protocol == "ec2":
        members = [c for c in children if _local(c.tag) != "requestId"]
    else:
        wrapper = shape.serialization.get("resultWrapper") if shape is not None else None
        results = [c for c in children if _local(c.tag) == wrapper]
        if shape is not None and len(results) != 1:
            return [f"{operation.name}: no single {wrapper} element"]
        members = list(results[0]) if results else []
    return _xml_members(shape, members, operation.name) if shape is not None else []


def _json(shape: Shape, value: Any, where: str) -> list[str]:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{where}: an object expected"]
        names = {m.serialization.get("name", n): m for n, m in shape.members.items()}
        found = []
        for key, item in value.items():
            if key not in names:
                found.append(f"{where}: {key!r} is not a member of {shape.name}")
            else:
                found += _json(names[key], item, f"{where}.{key}")
        return found
    if kind == "list":
        if not isinstance(value, list):
            return [f"{where}: a list expected"]
        return [p for index, item in enumerate(value) for p in _json(shape.member, item, f"{where}[{index}]")]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{where}: a map expected"]
        return [p for key, item in value.items() for p in _json(shape.value, item, f"{where}.{key}")]
    return _scalar(shape, value, where)


def _scalar(shape: Shape, value: Any, where: str) -> list[str]:
    kind = shape.type_name
    if kind == "timestamp":
        if isinstance(value, str):
            try:
                dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return [f"{where}: {value!r} is not a timestamp"]
            return []
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif kind in ("integer", "long"):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind in ("double", "float"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif kind == "boolean":
        ok = isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    if not ok:
        return [f"{where}: {value!r} is not a {kind}"]
    if kind == "string" and shape.enum and value not in shape.enum:
        return [f"{where}: {value!r} is not one of {shape.enum}"]
    return []


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _xml_members(shape: Shape, elements: list[ET.Element], where: str) -> list[str]:
    names: dict[str, Shape] = {}
    for name, member in shape.members.items():
        wire = member.serialization.get("name", name)
        if member.type_name == "list" and member.serialization.get("flattened"):
            wire = member.member.serialization.get("name", wire)
        names[wire] = member
    found = []
    for element in elements:
        tag = _local(element.tag)
        member = names.get(tag)
        if member is None:
            found.append(f"{where}: <{tag}> is not a member of {shape.name}")
        elif member.type_name == "list" and member.serialization.get("flattened"):
            found += _xml(member.member, element, f"{where}.{tag}")
        else:
            found += _xml(member, element, f"{where}.{tag}")
    return found


def _xml(shape: Shape, element: ET.Element, where: str) -> list[str]:
    kind = shape.type_name
    if kind == "structure":
        return _xml_members(shape, list(element), where)
    if kind == "list":
        item = shape.member.serialization.get("name", "member")
        wrong = [f"{where}: <{_local(c.tag)}> where <{item}> belongs" for c in element if _local(c.tag) != item]
        return wrong + [p for index, c in enumerate(element) for p in _xml(shape.member, c, f"{where}[{index}]")]
    if kind == "map":
        return [p for entry in element for p in _xml(shape.value, entry.find("value") or ET.Element("value"),
                                                     f"{where}.{entry.findtext('key')}")]
    text = element.text or ""
    if kind in ("integer", "long"):
        return [] if text.lstrip("-").isdigit() else [f"{where}: {text!r} is not a {kind}"]
    if kind in ("double", "float"):
        try:
            float(text)
        except ValueError:
            return [f"{where}: {text!r} is not a {kind}"]
        return []
    if kind == "boolean":
        return [] if text in ("true", "false") else [f"{where}: {text!r} is not a boolean"]
    return _scalar(shape, text, where)
