"""Managed disks, snapshots and Compute Gallery images (Microsoft.Compute) on the local ARM server,
in the shapes of the Compute REST reference (`compute/disks/get`, `compute/snapshots/get`,
`compute/gallery-image-versions/get`), as azure-mgmt-compute 39 reads them.

Creates are long-running: disks and snapshots answer 202 (Azure-AsyncOperation), galleries,
image definitions and versions 201. As on Azure: a `Copy` snapshot stays in its source's region,
a copy to another region is `CopyStart` of an incremental snapshot; an image version lives in its
gallery's region, which must be one of its target regions, and its source must exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from scripts.localcloud.azure.arm_resources import (
    GROUP,
    envelope,
    find,
    item_routes,
    location_code,
    must_find,
    one_of,
    require,
    stamp,
)
from scripts.localcloud.azure.request import Handler, Request
from scripts.localcloud.azure.store import Store

COMPUTE = GROUP + r"/providers/Microsoft\.Compute"
GALLERY = COMPUTE + r"/galleries/(?P<gallery>[^/]+)"
IMAGE = GALLERY + r"/images/(?P<image>[^/]+)"
DISK_SKUS = ("Standard_LRS", "Premium_LRS", "StandardSSD_LRS", "UltraSSD_LRS", "Premium_ZRS", "StandardSSD_ZRS",
             "PremiumV2_LRS")
SNAPSHOT_SKUS = ("Standard_LRS", "Premium_LRS", "Standard_ZRS")
SOURCES = ("microsoft.compute/disks", "microsoft.compute/snapshots")


def _kind(resource: dict[str, Any]) -> str:
    return str(resource["type"]).lower()


def _creation(store: Store, data: dict[str, Any], location: str, what: str) -> dict[str, Any]:
    option = one_of(data.get("createOption"), ("Empty", "Copy", "CopyStart", "Import", "Upload"),
                    "creationData.createOption")
    created = {**data, "createOption": option}
    if option in ("Copy", "CopyStart"):
        source = must_find(store, str(data.get("sourceResourceId")), "source disk or snapshot")
        require(_kind(source) in SOURCES, "InvalidParameter", "sourceResourceId must be a disk or a snapshot.")
        created["sourceUniqueId"] = source["properties"].get("uniqueId")
        if option == "Copy":
            require(source["location"] == location, "BadRequest",
                    f"A {what} copied with createOption Copy must be in its source's region ({source['location']}); "
                    "copy snapshots to other regions with CopyStart.")
        else:
            require(_kind(source) == "microsoft.compute/snapshots" and bool(source["properties"].get("incremental")),
                    "BadRequest", "CopyStart copies an incremental snapshot.")
            require(source["location"] != location, "BadRequest", "CopyStart copies a snapshot to another region.")
    if option == "Import":
        require(bool(data.get("sourceUri")) and bool(data.get("storageAccountId")), "InvalidParameter",
                "createOption Import needs sourceUri and storageAccountId.")
    return created


def _disk_like(store: Store, request: Request, rid: str, skus: tuple[str, ...], what: str) -> dict[str, Any]:
    body = request.body
    props = dict(body.get("properties") or {})
    location = location_code(body.get("location"), f"Microsoft.Compute/{what}s")
    existing = find(store, rid)
    if existing is not None:  # updates keep what was created (tags and size may change)
        existing["tags"] = dict(body.get("tags") or {})
        return existing
    sku = one_of((body.get("sku") or {}).get("name"), skus, "sku.name", "Standard_LRS")
    creation = _creation(store, dict(props.get("creationData") or {}), location, what)
    size = props.get("diskSizeGB")
    if creation["createOption"] == "Empty":
        require(isinstance(size, int) and size > 0, "InvalidParameter", "An empty disk needs diskSizeGB.")
    elif size is None:
        size = must_find(store, creation["sourceResourceId"], "source")["properties"].get("diskSizeGB") \
            if creation.get("sourceResourceId") else 32
    return envelope(rid, body, location, sku={"name": sku, "tier": sku.split("_")[0]}, properties={
        "creationData": creation, "diskSizeGB": size, "diskSizeBytes": int(size or 0) * 2**30,
        "uniqueId": str(uuid.uuid4()), "timeCreated": stamp(), "networkAccessPolicy": "AllowAll",
        "encryption": {"type": "EncryptionAtRestWithPlatformKey"},
        **({"diskState": "Unattached"} if what == "disk" else
           {"incremental": bool(props.get("incremental")), "diskState": "Unattached"}),
        **({"completionPercent": 100.0} if creation["createOption"] == "CopyStart" else {})})


def build_disk(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    return _disk_like(store, request, rid, DISK_SKUS, "disk")


def build_snapshot(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    return _disk_like(store, request, rid, SNAPSHOT_SKUS, "snapshot")


def build_gallery(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    location = location_code(request.body.get("location"), "Microsoft.Compute/galleries")
    return envelope(rid, request.body, location, properties={
        "identifier": {"uniqueName": f"{match['sub']}-{match['gallery'].upper()}"},
        "description": (request.body.get("properties") or {}).get("description")})


def build_image(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    gallery = must_find(store, rid.split("/images/")[0], "gallery")
    props = dict(request.body.get("properties") or {})
    one_of(props.get("osType"), ("Windows", "Linux"), "properties.osType")
    one_of(props.get("osState"), ("Generalized", "Specialized"), "properties.osState")
    identifier = props.get("identifier") or {}
    require(all(identifier.get(k) for k in ("publisher", "offer", "sku")), "InvalidParameter",
            "An image definition needs identifier.publisher, offer and sku.")
    return envelope(rid, request.body, gallery["location"], properties={
        **props, "hyperVGeneration": props.get("hyperVGeneration") or "V1"})


def build_version(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    image = must_find(store, rid.split("/versions/")[0], "image definition")
    location = location_code(request.body.get("location"), "Microsoft.Compute/galleries/images/versions")
    require(location == image["location"], "InvalidParameter",
            f"An image version must be in its gallery's region ({image['location']}).")
    props = dict(request.body.get("properties") or {})
    profile = dict(props.get("publishingProfile") or {})
    targets = []
    for target in profile.get("targetRegions") or [{"name": location}]:
        code = location_code(target.get("name"), "Microsoft.Compute/galleries/images/versions", "targetRegions.name")
        targets.append({"regionalReplicaCount": 1, "storageAccountType": "Standard_LRS", **target,
                        "name": code})
    require(location in [t["name"] for t in targets], "InvalidParameter",
            "The image version's own region must be one of its target regions.")
    source = (props.get("storageProfile") or {}).get("source") or {}
    must_find(store, str(source.get("id") or source.get("virtualMachineId")), "image version source")
    return envelope(rid, request.body, location, properties={
        "publishingProfile": {**profile, "targetRegions": targets, "publishedDate": stamp(),
                              "replicaCount": 1, "storageAccountType": "Standard_LRS"},
        "storageProfile": props.get("storageProfile"),
        "replicationStatus": {"aggregatedState": "Completed",
                              "summary": [{"region": t["name"], "state": "Completed", "progress": 100}
                                          for t in targets]}})


ROUTES: list[tuple[str, str, Handler]] = [
    *item_routes(COMPUTE + r"/disks/(?P<name>[^/]+)", "Microsoft.Compute/disks", build_disk, 202),
    *item_routes(COMPUTE + r"/snapshots/(?P<name>[^/]+)", "Microsoft.Compute/snapshots", build_snapshot, 202),
    *item_routes(GALLERY, "Microsoft.Compute/galleries", build_gallery, 201),
    *item_routes(IMAGE, "Microsoft.Compute/galleries/images", build_image, 201),
    *item_routes(IMAGE + r"/versions/(?P<version>[^/]+)", "Microsoft.Compute/galleries/images/versions",
                 build_version, 201),
]
