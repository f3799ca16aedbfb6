"""Compute Engine v1: disks, snapshots, machine images, instances (their source) and snapshot
schedules (resource policies), as google-cloud-compute's REST clients call them.

Every insert answers an Operation whose status is already DONE: the client's `.result()` polls
the real compute host whatever the endpoint, so a local operation must be finished at once.
A snapshot or machine image without `storageLocations` is stored, as on Compute Engine, in the
multi-region nearest its source (us-* -> us, europe-* -> eu, asia-* -> asia).
"""

from __future__ import annotations

from scripts.localcloud.gcp.admin.http import ApiError, Enum, Handler, JsonDict, Request, Route, page, route
from scripts.localcloud.gcp.admin.store import next_id, now

API = "compute"
DONE = Enum("DONE", 2104194)  # compute_v1.Operation.Status.DONE
NEAREST = {"us": "us", "europe": "eu", "asia": "asia"}
_P = "/compute/v1/projects/{project}"


def _link(req: Request, path: str) -> str:
    return f"{req.base_url}/compute/v1/{path}"


def _operation(req: Request, project: str, target: str, kind: str, scope: str) -> JsonDict:
    op = f"operation-{next_id()}"
    result: JsonDict = {"kind": "compute#operation", "id": next_id(), "name": op, "operationType": kind,
                        "status": DONE, "progress": 100, "targetLink": target, "insertTime": now(),
                        "startTime": now(), "endTime": now(), "user": "seed@example.com",
                        "selfLink": _link(req, f"projects/{project}/{scope}/operations/{op}")}
    if scope.startswith("zones/"):
        result["zone"] = _link(req, f"projects/{project}/{scope}")
    elif scope.startswith("regions/"):
        result["region"] = _link(req, f"projects/{project}/{scope}")
    return result


def _path_of(url: str) -> str:
    """`projects/p/zones/z/disks/d` from a full or partial resource URL."""
    at = url.find("projects/")
    if at < 0:
        raise ApiError(400, f"Invalid resource reference: {url}")
    return url[at:]


def _nearest(region: str) -> str:
    return NEAREST.get(region.split("-")[0], "us")


def insert_disk(req: Request) -> JsonDict:
    project, zone, body = req.arg("project"), req.arg("zone"), req.json()
    req.service.check(API, project, "compute.disks.create")
    path = f"projects/{project}/zones/{zone}/disks/{body.get('name', '')}"
    disk: JsonDict = {"kind": "compute#disk", "id": next_id(), "name": body.get("name"),
                      "zone": _link(req, f"projects/{project}/zones/{zone}"),
                      "sizeGb": str(body.get("sizeGb") or "10"), "status": "READY", "labels": body.get("labels") or {},
                      "creationTimestamp": now(), "selfLink": _link(req, path), "resourcePolicies": []}
    req.service.add(API, path, disk)
    return _operation(req, project, disk["selfLink"], "insert", f"zones/{zone}")


def add_resource_policies(req: Request) -> JsonDict:
    project, zone = req.arg("project"), req.arg("zone")
    req.service.check(API, project, "compute.disks.addResourcePolicies")
    disk = req.service.get(API, f"projects/{project}/zones/{zone}/disks/{req.arg('disk')}")
    for policy in req.json().get("resourcePolicies") or []:
        disk["resourcePolicies"].append(_link(req, _path_of(str(policy))))
    return _operation(req, project, disk["selfLink"], "addResourcePolicies", f"zones/{zone}")


def _aggregated(req: Request, kind: str, scope_word: str, field: str, permission: str) -> JsonDict:
    project = req.arg("project")
    req.service.check(API, project, permission)
    found = [r for r in req.service.under(API, f"projects/{project}/{scope_word}/") if f"/{field}/" in r["selfLink"]]
    chunk, token = page(found, req.params, "maxResults", default_size=500)
    items: dict[str, JsonDict] = {}
    for resource in chunk:
        scope = resource["selfLink"].split(f"projects/{project}/")[1].rsplit(f"/{field}/", 1)[0]
        items.setdefault(scope, {field: []})[field].append(resource)
    return {"kind": f"compute#{kind}AggregatedList", "id": f"projects/{project}/aggregated/{field}", "items": items,
            "selfLink": _link(req, f"projects/{project}/aggregated/{field}"),
            **({"nextPageToken": token} if token else {})}


def insert_snapshot(req: Request) -> JsonDict:
    project, body = req.arg("project"), req.json()
    req.service.check(API, project, "compute.snapshots.create")
    disk = req.service.get(API, _path_of(str(body.get("sourceDisk", ""))))
    zone = disk["zone"].rsplit("/", 1)[-1]
    path = f"projects/{project}/global/snapshots/{body.get('name', '')}"
    snapshot: JsonDict = {"kind": "compute#snapshot", "id": next_id(), "name": body.get("name"), "status": "READY",
                          "sourceDisk": disk["selfLink"], "sourceDiskId": disk["id"], "diskSizeGb": disk["sizeGb"],
                          "storageLocations": body.get("storageLocations") or [_nearest(zone.rsplit("-", 1)[0])],
                          "labels": body.get("labels") or {}, "creationTimestamp": now(), "selfLink": _link(req, path)}
    req.service.add(API, path, snapshot)
    return _operation(req, project, snapshot["selfLink"], "insert", "global")


def _global_list(kind: str, field: str, permission: str) -> Handler:
    def handle(req: Request) -> JsonDict:
        project = req.arg("project")
        req.service.check(API, project, permission)
        found = req.service.under(API, f"projects/{project}/global/{field}/")
        items, token = page(found, req.params, "maxResults", default_size=500)
        return {"kind": f"compute#{kind}List", "id": f"projects/{project}/global/{field}", "items": items,
                "selfLink": _link(req, f"projects/{project}/global/{field}"),
                **({"nextPageToken": token} if token else {})}
    return handle


def insert_instance(req: Request) -> JsonDict:
    project, zone, body = req.arg("project"), req.arg("zone"), req.json()
    req.service.check(API, project, "compute.instances.create")
    path = f"projects/{project}/zones/{zone}/instances/{body.get('name', '')}"
    disks = [{"source": req.service.get(API, _path_of(str(d.get("source", ""))))["selfLink"],
              "boot": bool(d.get("boot"))} for d in body.get("disks") or []]
    instance: JsonDict = {"kind": "compute#instance", "id": next_id(), "name": body.get("name"), "status": "RUNNING",
                "zone": _link(req, f"projects/{project}/zones/{zone}"), "disks": disks, "selfLink": _link(req, path)}
    req.service.add(f"{API}:instances", path, instance)
    return _operation(req, project, instance["selfLink"], "insert", f"zones/{zone}")


def insert_machine_image(req: Request) -> JsonDict:
    project, body = req.arg("project"), req.json()
    req.service.check(API, project, "compute.machineImages.create")
    source = req.service.get(f"{API}:instances", _path_of(str(body.get("sourceInstance", ""))))
    zone = source["zone"].rsplit("/", 1)[-1]
    path = f"projects/{project}/global/machineImages/{body.get('name', '')}"
    image = {"kind": "compute#machineImage", "id": next_id(), "name": body.get("name"), "status": "READY",
             "sourceInstance": source["selfLink"],
             "savedDisks": [{"kind": "compute#savedDisk", "sourceDisk": d["source"]} for d in source["disks"]],
             "storageLocations": body.get("storageLocations") or [_nearest(zone.rsplit("-", 1)[0])],
             "creationTimestamp": now(), "selfLink": _link(req, path)}
    req.service.add(API, path, image)
    return _operation(req, project, image["selfLink"], "insert", "global")


def insert_resource_policy(req: Request) -> JsonDict:
    project, region, body = req.arg("project"), req.arg("region"), req.json()
    req.service.check(API, project, "compute.resourcePolicies.create")
    path = f"projects/{project}/regions/{region}/resourcePolicies/{body.get('name', '')}"
    policy: JsonDict = {"kind": "compute#resourcePolicy", "id": next_id(), "name": body.get("name"), "status": "READY",
              "region": _link(req, f"projects/{project}/regions/{region}"), "creationTimestamp": now(),
              "selfLink": _link(req, path)}
    if "snapshotSchedulePolicy" in body:
        policy["snapshotSchedulePolicy"] = body["snapshotSchedulePolicy"]
    req.service.add(API, path, policy)
    return _operation(req, project, policy["selfLink"], "insert", f"regions/{region}")


ROUTES: list[Route] = [
    route("POST", _P + "/zones/{zone}/disks", "compute.disks.insert", insert_disk),
    route("POST", _P + "/zones/{zone}/disks/{disk}/addResourcePolicies", "compute.disks.addResourcePolicies",
          add_resource_policies),
    route("GET", _P + "/aggregated/disks", "compute.disks.aggregatedList",
          lambda r: _aggregated(r, "disk", "zones", "disks", "compute.disks.list")),
    route("POST", _P + "/zones/{zone}/instances", "compute.instances.insert", insert_instance),
    route("POST", _P + "/global/snapshots", "compute.snapshots.insert", insert_snapshot),
    route("GET", _P + "/global/snapshots", "compute.snapshots.list",
          _global_list("snapshot", "snapshots", "compute.snapshots.list")),
    route("POST", _P + "/global/machineImages", "compute.machineImages.insert", insert_machine_image),
    route("GET", _P + "/global/machineImages", "compute.machineImages.list",
          _global_list("machineImage", "machineImages", "compute.machineImages.list")),
    route("POST", _P + "/regions/{region}/resourcePolicies", "compute.resourcePolicies.insert",
          insert_resource_policy),
    route("GET", _P + "/aggregated/resourcePolicies", "compute.resourcePolicies.aggregatedList",
          lambda r: _aggregated(r, "resourcePolicy", "regions", "resourcePolicies", "compute.resourcePolicies.list")),
]
