"""Managed disks, their snapshots (copies included) and Compute Gallery image versions.

A snapshot is a copy of the disk (or snapshot) named in `creationData.sourceResourceId`; a
snapshot copied to another region (`CopyStart`) is a copy of that snapshot. Chains are followed
to the disk, so every copy inherits the disk's data class. An image version lives in its
gallery's region and is replicated to each of `publishingProfile.targetRegions`; its source is
`storageProfile.source.id` (a disk, a snapshot, a managed image or a virtual machine).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from azure.mgmt.compute import ComputeManagementClient

from residency.inventory.kinds.azure import DISK_SNAPSHOT, GALLERY_IMAGE_VERSION, MANAGED_DISK
from residency.inventory.model import Facet, Lineage, Placement, PlacementKind, ResourceKey, StorageResource
from residency.sources.azure import stores
from residency.sources.azure.errors import text

MAX_CHAIN = 16  # copies of copies followed back at most this far


class Sources:
    """Disk and snapshot keys by id, and what each snapshot was copied from."""

    def __init__(self, disks: dict[str, ResourceKey], snapshots: dict[str, tuple[ResourceKey, str | None]]) -> None:
        self.disks = disks
        self.snapshots = snapshots

    def root(self, source_id: str | None, how: str) -> Lineage:
        """Follow snapshot-of-snapshot links back to the disk."""
        steps = [how]
        current = source_id
        for _ in range(MAX_CHAIN):
            if not current:
                break
            found = self.snapshots.get(current.lower())
            if found is None:
                break
            key, parent = found
            if not parent:
                return Lineage(key, "; ".join(steps))
            steps.append(f"copied from {key.name}")
            current = parent
        return stores.lineage_to(current, self.disks, "; ".join(steps))


def _source_id(item: Any) -> str | None:
    data = item.creation_data
    return str(data.source_resource_id) if data is not None and data.source_resource_id else None


def disk_resource(key: ResourceKey, disk: Any) -> StorageResource:
    return StorageResource(
        provider=stores.AZURE, account=key.account, id=key.id, name=key.name, kind=key.kind,
        placements=(stores.own_location(disk, "disk"),), collected=stores.LISTED | {Facet.COPIES}, tags=key.tags or (),
        attributes=stores.attributes({"sku": disk.sku.name if disk.sku else None, "disk_state": disk.disk_state}),
    )


def snapshot_resource(key: ResourceKey, snapshot: Any, sources: Sources) -> StorageResource:
    data = snapshot.creation_data
    option = text(data.create_option) if data is not None else "unknown"
    source = _source_id(snapshot)
    if source is None:
        uri = " from a VHD (sourceUri)" if data is not None and data.source_uri else ""
        lineage = Lineage(None, f"snapshot created with {option}{uri}: no Azure source resource")
    else:
        lineage = sources.root(source, f"snapshot ({option}) of {stores.name_of(source)}")
    return StorageResource(
        provider=stores.AZURE, account=key.account, id=key.id, name=key.name, kind=key.kind,
        placements=(stores.own_location(snapshot, "snapshot"),), collected=stores.LISTED | {Facet.COPIES},
        tags=key.tags or (), lineage=lineage,
        attributes=stores.attributes({"create_option": option, "source": source, "incremental": snapshot.incremental}),
    )


def version_resource(key: ResourceKey, version: Any, sources: Sources) -> StorageResource:
    primary = stores.own_location(version, "image version")
    placements = [primary]
    profile = version.publishing_profile
    for target in (profile.target_regions or []) if profile is not None else []:
        code = stores.region(target.name)
        if code != primary.region:
            placements.append(Placement(PlacementKind.REPLICA, code, "gallery image version target region"
                                        if code else "a target region without a name", target=key.id))
    storage = version.storage_profile
    origin = storage.source if storage is not None else None
    source_id = (origin.id or origin.virtual_machine_id) if origin is not None else None
    lineage = sources.root(str(source_id) if source_id else None, f"image version made from {source_id or '?'}")
    return StorageResource(
        provider=stores.AZURE, account=key.account, id=key.id, name=key.name, kind=key.kind,
        placements=tuple(placements), collected=stores.LISTED | {Facet.REPLICAS}, tags=key.tags or (),
        lineage=lineage,
    )


def scan_compute(client: ComputeManagementClient, listing: stores.Listing) -> None:
    sub = listing.subscription
    disks = stores.listed(listing, "managed disks", client.disks.list)
    snapshots = stores.listed(listing, "disk snapshots", client.snapshots.list)
    disk_keys = {str(d.id).lower(): stores.key_of(sub, MANAGED_DISK.id, d) for d in disks}
    snapshot_keys = {str(s.id).lower(): (stores.key_of(sub, DISK_SNAPSHOT.id, s), _source_id(s)) for s in snapshots}
    sources = Sources(disk_keys, snapshot_keys)
    listing.resources += [disk_resource(disk_keys[str(d.id).lower()], d) for d in disks]
    listing.resources += [snapshot_resource(snapshot_keys[str(s.id).lower()][0], s, sources) for s in snapshots]
    for gallery in stores.listed(listing, "Compute Galleries", client.galleries.list):
        rg, name = stores.group_of(str(gallery.id)), str(gallery.name)
        images = stores.listed(listing, f"image definitions of gallery {name}",
                            partial(client.gallery_images.list_by_gallery, rg, name))
        for image in images:
            list_versions = partial(client.gallery_image_versions.list_by_gallery_image, rg, name, str(image.name))
            versions = stores.listed(listing, f"image versions of {name}/{image.name}", list_versions)
            for version in versions:
                key = stores.key_of(sub, GALLERY_IMAGE_VERSION.id, version, f"{name}/{image.name}/{version.name}")
                listing.resources.append(version_resource(key, version, sources))
