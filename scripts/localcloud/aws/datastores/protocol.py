"""Reading an AWS API request the way the service would: which operation, with which parameters.

The operation and its parameters are decoded with botocore's own service models (the same files
the SDKs serialise from), for the four protocols of the services served here: `json`
(DynamoDB, CloudWatch Logs), `query` (RDS, ElastiCache), `ec2`, and `rest-json` (AWS Backup,
Data Lifecycle Manager). Nothing here knows any operation by name.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape

# The botocore services this server decodes, by the signing name in a request's credential scope.
SERVICES = {"dynamodb": "dynamodb", "rds": "rds", "ec2": "ec2", "backup": "backup", "dlm": "dlm",
            "elasticache": "elasticache", "logs": "logs"}
_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request")


@functools.cache
def service_model(name: str) -> ServiceModel:
    return botocore.session.get_session().get_service_model(name)


class ApiError(Exception):
    """An error answer in the service's own shape: code, message, HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.status = code, message, status


@dataclass(frozen=True)
class Call:
    service: str  # botocore service name
    operation: OperationModel
    params: dict[str, Any]
    region: str
    account: str

    @property
    def name(self) -> str:
        return str(self.operation.name)

    @property
    def protocol(self) -> str:
        return str(self.operation.metadata["protocol"])


def signing_scope(authorization: str | None) -> tuple[str, str] | None:
    """(region, signing service) of a SigV4 Authorization header."""
    match = _SCOPE.search(authorization or "")
    return (match.group(1), match.group(2)) if match else None


def decode(method: str, target: str, headers: dict[str, str], body: bytes, account: str) -> Call | None:
    """The call a request makes, or None when it is not one of the services decoded here."""
    scope = signing_scope(headers.get("authorization"))
    if scope is None or scope[1] not in SERVICES:
        return None
    region, signing = scope
    model = service_model(SERVICES[signing])
    url = urllib.parse.urlsplit(target)
    protocol = model.metadata["protocol"]
    if protocol == "json":
        operation = model.operation_model(headers.get("x-amz-target", "").rpartition(".")[2])
        params = json.loads(body or b"{}")
    elif protocol in ("query", "ec2"):
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items()}
        operation = model.operation_model(form.get("Action", ""))
        params = _query_structure(operation.input_shape, form, "", protocol == "ec2")
    else:
        operation, params = _rest_json(model, method, url.path, url.query, headers, body)
    return Call(SERVICES[signing], operation, params, region, account)


# --- query and ec2: the reverse of botocore's QuerySerializer / EC2Serializer -------------------

def _member_key(shape: Shape, default: str, ec2: bool) -> str:
    if ec2:
        if "queryName" in shape.serialization:
            return str(shape.serialization["queryName"])
        name = shape.serialization.get("name")
        return str(name[0].upper() + name[1:]) if name else default
    return str(shape.serialization.get("name", default))


def _query_structure(shape: Shape | None, form: dict[str, str], prefix: str, ec2: bool) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if shape is None:
        return result
    for name, member in shape.members.items():
        key = _member_key(member, name, ec2)
        key = f"{prefix}.{key}" if prefix else key
        value = _query_value(member, form, key, ec2)
        if value is not None:
            result[name] = value
    return result


def _query_value(shape: Shape, form: dict[str, str], key: str, ec2: bool) -> Any:
    if shape.type_name == "structure":
        return _query_structure(shape, form, key, ec2) if _has_prefix(form, key) else None
    if shape.type_name == "list":
        return _query_list(shape, form, key, ec2)
    if shape.type_name == "map":
        entries = {}
        for index in range(1, 1 + _count(form, f"{key}.entry")):
            entry_key = form.get(f"{key}.entry.{index}.key")
            if entry_key is not None:
                entries[entry_key] = _query_value(shape.value, form, f"{key}.entry.{index}.value", ec2)
        return entries if _has_prefix(form, key) else None
    return _scalar(shape, form[key]) if key in form else None


def _query_list(shape: Shape, form: dict[str, str], key: str, ec2: bool) -> list[Any] | None:
    if key in form and form[key] == "":
        return []
    if ec2:
        base = key
    elif shape.serialization.get("flattened"):
        name = shape.member.serialization.get("name")
        base = ".".join([*key.split(".")[:-1], name]) if name else key
    else:
        base = f"{key}.{shape.member.serialization.get('name', 'member')}"
    count = _count(form, base)
    if not count:
        return None
    return [_query_value(shape.member, form, f"{base}.{i}", ec2) for i in range(1, count + 1)]


def _has_prefix(form: dict[str, str], key: str) -> bool:
    return any(k == key or k.startswith(key + ".") for k in form)


def _count(form: dict[str, str], base: str) -> int:
    indexes = [k[len(base) + 1:].split(".", 1)[0] for k in form if k.startswith(base + ".")]
    return max((int(i) for i in indexes if i.isdigit()), default=0)


def _scalar(shape: Shape, text: str) -> Any:
    kind = shape.type_name
    if kind in ("integer", "long"):
        return int(text)
    if kind in ("float", "double"):
        return float(text)
    if kind == "boolean":
        return text.lower() == "true"
    if kind == "timestamp":
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return text


# --- rest-json: route by the model's requestUri ------------------------------------------------

@functools.cache
def _routes(service: str) -> list[tuple[str, re.Pattern[str], str, int]]:
    """(method, path pattern, operation, literal length), most specific first."""
    model = service_model(service)
    routes = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        uri = http["requestUri"].split("?", 1)[0]
        pattern = re.sub(r"\{([A-Za-z0-9_]+)(\+?)\}",
                         lambda m: f"(?P<{m.group(1)}>{'.+' if m.group(2) else '[^/]+'})", uri)
        literal = len(re.sub(r"\{[^}]+\}", "", uri))
        routes.append((http["method"], re.compile(f"^{pattern}$"), name, literal))
    return sorted(routes, key=lambda r: -r[3])


def _rest_json(
    model: ServiceModel, method: str, path: str, query: str, headers: dict[str, str], body: bytes,
) -> tuple[OperationModel, dict[str, Any]]:
    for route_method, pattern, name, _ in _routes(model.service_name):
        match = pattern.match(path)
        if route_method == method and match:
            operation = model.operation_model(name)
            return operation, _rest_params(operation, match.groupdict(), query, headers, body)
    raise ApiError("UnknownOperationException", f"no operation for {method} {path}", 404)


def _rest_params(
    operation: OperationModel, labels: dict[str, str], query: str, headers: dict[str, str], body: bytes,
) -> dict[str, Any]:
    shape = operation.input_shape
    params: dict[str, Any] = {}
    if shape is None:
        return params
    queries = urllib.parse.parse_qs(query, keep_blank_values=True)
    document = json.loads(body) if body else {}
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location == "uri" and wire in labels:
            params[name] = urllib.parse.unquote(labels[wire])
        elif location == "querystring" and wire in queries:
            values = queries[wire]
            params[name] = values if member.type_name == "list" else _scalar(member, values[0])
        elif location == "header" and wire.lower() in headers:
            params[name] = _scalar(member, headers[wire.lower()])
        elif location is None and wire in document:
            params[name] = document[wire]
    return params
