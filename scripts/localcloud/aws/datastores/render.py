"""Writing answers in the exact shape of botocore's service models, and reading moto's.

`encode` walks the operation's output shape: a key the model does not have, or a value of the
wrong type, raises `ShapeError` (a bug here, never a silently odd answer). `parse_upstream`
reads an answer of moto's server with botocore's own parser, so a patched answer starts from
exactly what the SDK would see.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from typing import Any

from botocore.model import OperationModel, Shape
from botocore.parsers import create_parser

from scripts.localcloud.aws.datastores.protocol import ApiError, Call

REQUEST_ID = "residency-local-datastores"
Answer = tuple[int, list[tuple[str, str]], bytes]


class ShapeError(Exception):
    """What a handler returned does not fit the output shape."""


def encode(call: Call, output: dict[str, Any]) -> Answer:
    shape = call.operation.output_shape
    protocol = call.protocol
    if protocol in ("json", "rest-json"):
        document = _json_value(shape, output, call.name) if shape is not None else {}
        content = "application/x-amz-json-1.0" if protocol == "json" else "application/json"
        if protocol == "json" and call.operation.metadata.get("jsonVersion") == "1.1":
            content = "application/x-amz-json-1.1"
        return 200, [("Content-Type", content)], json.dumps(document).encode()
    return 200, [("Content-Type", "text/xml")], _xml_document(call, shape, output)


def encode_error(call: Call, error: ApiError) -> Answer:
    protocol = call.protocol
    if protocol == "json":
        body = json.dumps({"__type": error.code, "message": error.message}).encode()
        return error.status, [("Content-Type", "application/x-amz-json-1.0")], body
    if protocol == "rest-json":
        headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", error.code)]
        return error.status, headers, json.dumps({"message": error.message}).encode()
    if protocol == "ec2":
        root = ET.Element("Response")
        item = ET.SubElement(ET.SubElement(root, "Errors"), "Error")
        ET.SubElement(item, "Code").text = error.code
        ET.SubElement(item, "Message").text = error.message
        ET.SubElement(root, "RequestID").text = REQUEST_ID
    else:
        root = ET.Element("ErrorResponse")
        item = ET.SubElement(root, "Error")
        ET.SubElement(item, "Type").text = "Sender"
        ET.SubElement(item, "Code").text = error.code
        ET.SubElement(item, "Message").text = error.message
        ET.SubElement(root, "RequestId").text = REQUEST_ID
    return error.status, [("Content-Type", "text/xml")], ET.tostring(root)


def parse_upstream(operation: OperationModel, status: int, headers: list[tuple[str, str]], body: bytes) -> Any:
    """moto's successful answer as the SDK parses it (without ResponseMetadata)."""
    parser = create_parser(operation.metadata["protocol"])
    response = {"status_code": status, "headers": dict(headers), "body": body}
    parsed = parser.parse(response, operation.output_shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


# --- JSON ---------------------------------------------------------------------------------------

def _json_value(shape: Shape, value: Any, where: str) -> Any:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            raise ShapeError(f"{where}: a structure ({shape.name}) expected, got {type(value).__name__}")
        document = {}
        for key, item in value.items():
            member = shape.members.get(key)
            if member is None:
                raise ShapeError(f"{where}: {shape.name} has no member {key!r}")
            if member.serialization.get("location") or item is None:
                continue
            document[member.serialization.get("name", key)] = _json_value(member, item, f"{where}.{key}")
        return document
    if kind == "list":
        if not isinstance(value, list):
            raise ShapeError(f"{where}: a list expected, got {type(value).__name__}")
        return [_json_value(shape.member, item, f"{where}[]") for item in value]
    if kind == "map":
        if not isinstance(value, dict):
            raise ShapeError(f"{where}: a map expected")
        return {str(k): _json_value(shape.value, v, f"{where}.{k}") for k, v in value.items()}
    return _json_scalar(shape, value, where)


def _json_scalar(shape: Shape, value: Any, where: str) -> Any:
    kind = shape.type_name
    if kind == "timestamp":
        if not isinstance(value, dt.datetime):
            raise ShapeError(f"{where}: a datetime expected")
        if shape.serialization.get("timestampFormat") == "iso8601":
            return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        return value.timestamp()
    expected: dict[str, tuple[type, ...]] = {
        "string": (str,), "boolean": (bool,), "integer": (int,), "long": (int,), "double": (float, int),
        "float": (float, int),
    }
    types = expected.get(kind)
    if types is None or not isinstance(value, types) or (kind != "boolean" and isinstance(value, bool)):
        raise ShapeError(f"{where}: {kind} expected, got {value!r}")
    enum = shape.enum if kind == "string" else []
    if enum and value not in enum:
        raise ShapeError(f"{where}: {value!r} is not one of {enum}")
    return value


# --- XML (query and ec2) ------------------------------------------------------------------------

def _xml_document(call: Call, shape: Shape | None, output: dict[str, Any]) -> bytes:
    namespace = str(call.operation.metadata.get("xmlNamespace", "")).rstrip("/") + "/"
    root = ET.Element(f"{call.name}Response", xmlns=namespace)
    if call.protocol == "ec2":
        ET.SubElement(root, "requestId").text = REQUEST_ID
        container = root
    else:
        wrapper = shape.serialization.get("resultWrapper") if shape is not None else None
        container = ET.SubElement(root, wrapper) if wrapper else root
    if shape is not None:
        _xml_members(container, shape, output, call.name)
    if call.protocol != "ec2":
        ET.SubElement(ET.SubElement(root, "ResponseMetadata"), "RequestId").text = REQUEST_ID
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root)


def _xml_members(parent: ET.Element, shape: Shape, value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise ShapeError(f"{where}: a structure ({shape.name}) expected, got {type(value).__name__}")
    for key, item in value.items():
        member = shape.members.get(key)
        if member is None:
            raise ShapeError(f"{where}: {shape.name} has no member {key!r}")
        if item is None:
            continue
        name = member.serialization.get("name", key)
        if member.type_name == "list" and member.serialization.get("flattened"):
            for element in item:
                _xml_value(ET.SubElement(parent, member.member.serialization.get("name", name)), member.member,
                           element, f"{where}.{key}[]")
            continue
        _xml_value(ET.SubElement(parent, name), member, item, f"{where}.{key}")


def _xml_value(element: ET.Element, shape: Shape, value: Any, where: str) -> None:
    kind = shape.type_name
    if kind == "structure":
        _xml_members(element, shape, value, where)
    elif kind == "list":
        if not isinstance(value, list):
            raise ShapeError(f"{where}: a list expected, got {type(value).__name__}")
        for item in value:
            child = ET.SubElement(element, shape.member.serialization.get("name", "member"))
            _xml_value(child, shape.member, item, f"{where}[]")
    elif kind == "map":
        for key, item in value.items():
            entry = ET.SubElement(element, "entry")
            ET.SubElement(entry, "key").text = str(key)
            _xml_value(ET.SubElement(entry, "value"), shape.value, item, f"{where}.{key}")
    elif kind == "timestamp":
        _json_scalar(shape, value, where)  # checks it is a datetime
        element.text = value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    elif kind == "boolean":
        element.text = "true" if _json_scalar(shape, value, where) else "false"
    else:
        element.text = str(_json_scalar(shape, value, where))
