"""Compute Engine: persistent disks, their snapshots, machine images and snapshot schedules.

Per project: disks.aggregatedList (zones, labels, attached resource policies),
resourcePolicies.aggregatedList (snapshot schedules and their storage locations), snapshots.list
and machineImages.list (`storageLocations`). A snapshot or image is a copy where it is stored,
with the lineage of its source disk; the disk gets a DERIVED placement there. A snapshot schedule
attached to a disk is a DERIVED placement on that disk before any snapshot exists: its storage
location, or, when it names none, the multi-region closest to the disk (unknown where Google does
not name it).
"""

from __future__ import annotations

import contextlib
from typing import Any

from residency.inventory.kinds.gcp_services import COMPUTE_DISK, COMPUTE_MACHINE_IMAGE, COMPUTE_SNAPSHOT
from residency.inventory.model import Facet, Lineage, Placement, PlacementKind, ResourceKey, StorageResource
from residency.sources.gcp.services.context import (
    Found,
    ServiceContext,
    as_dict,
    closing,
    key,
    labels_of,
    link_copies,
    list_gap,
    pager_items,
    resource,
    text,
)
from residency.sources.gcp.services.locations import as_derived, closest_multi_region, placements, region_of

SERVICE = "Compute Engine"
COPY_KINDS = frozenset({COMPUTE_SNAPSHOT.id, COMPUTE_MACHINE_IMAGE.id})
P = PlacementKind


def path_of(url: str) -> str:
    """`projects/p/zones/z/disks/d` from a resource URL."""
    at = url.find("projects/")
    return url[at:] if at >= 0 else url


def resource_id(url: str) -> str:
    return f"//compute.googleapis.com/{path_of(url)}"


def scan(ctx: ServiceContext, project: str) -> Found:
    found = Found()
    if not any(ctx.wants_kind(project, kind) for kind in (COMPUTE_DISK.id, *COPY_KINDS)):
        return found
    from google.cloud import compute_v1

    options = {"credentials": ctx.credentials_for("compute"), "client_options": ctx.client_options("compute")}
    listings: dict[str, list[dict[str, Any]]] = {}
    for field, client, what in (("disks", compute_v1.DisksClient, "disks"),
                                ("resource_policies", compute_v1.ResourcePoliciesClient, "snapshot schedules"),
                                ("snapshots", compute_v1.SnapshotsClient, "snapshots"),
                                ("machine_images", compute_v1.MachineImagesClient, "machine images")):
        try:
            with contextlib.ExitStack() as stack:
                listings[field] = _list(closing(stack, client(**options)), project, field)
        except Exception as error:  # this listing only; the others go on
            found.gaps.append(list_gap(project, SERVICE, what, error))
    disks = {path_of(str(d.get("self_link", ""))): d for d in listings.get("disks", []) if text(d, "self_link")}
    keys = {path: key(project, COMPUTE_DISK.id, resource_id(path), str(d.get("name", path)), labels_of(d.get("labels")))
            for path, d in disks.items()}
    schedules = {path_of(str(p.get("self_link", ""))): p for p in listings.get("resource_policies", [])}
    copies = [_copy(ctx, project, s, COMPUTE_SNAPSHOT.id, [text(s, "source_disk") or ""], keys)
              for s in listings.get("snapshots", []) if text(s, "self_link")]
    copies += [_copy(ctx, project, m, COMPUTE_MACHINE_IMAGE.id,
                     [str(d.get("source_disk", "")) for d in m.get("saved_disks") or [] if isinstance(d, dict)], keys)
               for m in listings.get("machine_images", []) if text(m, "self_link")]
    copies_listed = "snapshots" in listings and "machine_images" in listings
    for path, disk in disks.items():
        found.resources.append(_disk(ctx, keys[path], disk, schedules, "resource_policies" in listings,
                                     copies_listed))
    found.resources = link_copies(found.resources + copies, COPY_KINDS, "copy")
    return found


def _list(client: Any, project: str, field: str) -> list[dict[str, Any]]:
    if field in ("disks", "resource_policies"):
        pager = client.aggregated_list(request={"project": project})
        return [as_dict(item) for _, scoped in pager_items(pager, field, lambda page: page.items.items())
                for item in getattr(scoped, field)]
    pager = client.list(project=project)
    return [as_dict(item) for item in pager_items(pager, field, lambda page: page.items)]


def _disk(ctx: ServiceContext, own: ResourceKey, disk: dict[str, Any], schedules: dict[str, dict[str, Any]],
          schedules_listed: bool, copies_listed: bool) -> StorageResource:
    zones = [str(z) for z in disk.get("replica_zones") or []] or [str(disk.get("zone", ""))]
    where = tuple(p for zone in zones for p in placements(zone.rsplit("/", 1)[-1] or None, ctx.catalog, "disk in zone"))
    collected = {Facet.LOCATION, Facet.TAGS}
    if ctx.plan.wants_placements(P.DERIVED, own) or ctx.wants_copies(own, COMPUTE_SNAPSHOT.id):
        if copies_listed:  # else the project's gap says which listing failed: its copies stay uncollected
            collected.add(Facet.COPIES)
        region = region_of(zones[0].rsplit("/", 1)[-1])
        for url in disk.get("resource_policies") or []:
            where += _schedule(ctx, str(url), schedules, schedules_listed, region)
    return resource(own, where, collected, attributes={"zone": zones[0].rsplit("/", 1)[-1]})


def _schedule(ctx: ServiceContext, url: str, schedules: dict[str, dict[str, Any]], listed: bool,
              region: str) -> tuple[Placement, ...]:
    target = resource_id(url)
    policy = schedules.get(path_of(url))
    if policy is None:
        why = "resource policy not in the listing" if listed else "resource policies could not be listed"
        return (Placement(P.DERIVED, None, f"snapshot schedule {url.rsplit('/', 1)[-1]}: {why}", target=target),)
    schedule = policy.get("snapshot_schedule_policy")
    if not isinstance(schedule, dict):
        return ()  # another kind of resource policy (instance schedule, placement): it copies nothing
    locations = [str(x) for x in (schedule.get("snapshot_properties") or {}).get("storage_locations") or []]
    name = str(policy.get("name", ""))
    if not locations:
        closest = closest_multi_region(region)
        if closest is None:
            return (Placement(P.DERIVED, None, f"snapshot schedule {name} names no storage location; the multi-region "
                                               f"closest to {region} is not published", target=target),)
        locations = [closest]
    return tuple(p for loc in locations
                 for p in as_derived(placements(loc, ctx.catalog, "stored in"), f"snapshot schedule {name}", target))


def _copy(ctx: ServiceContext, project: str, item: dict[str, Any], kind: str, sources: list[str],
          keys: dict[str, ResourceKey]) -> StorageResource:
    source_paths = [path_of(s) for s in sources if s]
    if source_paths:
        first = source_paths[0]
        source = keys.get(first) or key(first.split("/")[1], COMPUTE_DISK.id, resource_id(first),
                                        first.rsplit("/", 1)[-1], None)
        more = f" (and {len(source_paths) - 1} more disk(s))" if len(source_paths) > 1 else ""
        lineage = Lineage(source, f"made from disk {first}{more}")
    else:
        lineage = Lineage(None, "it names no source disk")
    locations = [str(x) for x in item.get("storage_locations") or []]
    where = tuple(p for loc in locations for p in placements(loc, ctx.catalog, "stored in")) or (
        Placement(P.PRIMARY, None, "storageLocations is empty"),)
    own = key(project, kind, resource_id(str(item["self_link"])), str(item.get("name", "")),
              labels_of(item.get("labels")))
    return resource(own, where, {Facet.LOCATION, Facet.TAGS}, lineage=lineage,
                    attributes={"source-disks": ", ".join(source_paths) or "none"})
