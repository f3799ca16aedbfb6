"""EBS volumes, the account's snapshots and machine images, and where each copy came from.

Per region: DescribeVolumes, DescribeSnapshots(OwnerIds=self) and DescribeImages(Owners=self),
tags included. A snapshot's source, in this order: the default description a copy keeps,
`[Copied snap-... from REGION]`; the copied image it backs (an image copy's snapshots have the
arbitrary volume id `vol-ffffffff`); its `VolumeId`; the image it backs. An image's source: the
image it was copied from (`SourceImageId`, `SourceImageRegion`), else its root snapshot.
"""

from __future__ import annotations

import re
from typing import Any

from residency.inventory.kinds.aws_datastores import EBS_SNAPSHOT, EBS_VOLUME, EC2_IMAGE
from residency.sources.aws.estate import Estate
from residency.sources.aws.regional import Draft, Origin, list_all

FAMILY = "ec2"
KINDS = (EBS_VOLUME.id, EBS_SNAPSHOT.id, EC2_IMAGE.id)
COPY_VOLUME_ID = "vol-ffffffff"  # "Snapshots created by CopySnapshot have an arbitrary volume ID"
_COPIED = re.compile(r"\[Copied (snap-[0-9a-f]+) from ([a-z0-9-]+)\]")
_SNAPSHOTS = "ebs-snapshots"  # (draft id, description, volume id, region)
_IMAGES = "ebs-images"  # (draft id, snapshot ids, copied)
ATTACHMENTS = "ebs-attachments"  # (volume draft id, region, instance ids)


def snapshot_arn(estate: Estate, region: str, snapshot_id: str) -> str:
    return estate.arn("ec2", region, f"snapshot/{snapshot_id}", account="")


def list_region(estate: Estate, region: str) -> None:
    ec2 = estate.client("ec2", region)
    guard = estate.failures.guard
    guard("EBS volumes (DescribeVolumes)", region, lambda: _volumes(estate, ec2, region))
    guard("EBS snapshots (DescribeSnapshots)", region, lambda: _snapshots(estate, ec2, region))
    guard("machine images (DescribeImages)", region, lambda: _images(estate, ec2, region))


def _volumes(estate: Estate, ec2: Any, region: str) -> None:
    for item in list_all(ec2.describe_volumes, "Volumes", "EBS volumes", MaxResults=500):
        with estate.reading(EBS_VOLUME.id, region, item, "VolumeId"):
            volume_id = str(item["VolumeId"])
            zone = item.get("AvailabilityZone")
            draft = Draft(EBS_VOLUME.id, estate.arn("ec2", region, f"volume/{volume_id}"), _named(item, volume_id),
                          estate.account, region, f"volume in {zone}" if zone else "volume region")
            draft.set_tags(item.get("Tags"))
            instances = tuple(str(a["InstanceId"]) for a in item.get("Attachments") or [] if a.get("InstanceId"))
            estate.keep(ATTACHMENTS, (draft.id, region, instances))
            estate.found(draft)


def _snapshots(estate: Estate, ec2: Any, region: str) -> None:
    for item in list_all(ec2.describe_snapshots, "Snapshots", "EBS snapshots", OwnerIds=["self"], MaxResults=1000):
        with estate.reading(EBS_SNAPSHOT.id, region, item, "SnapshotId"):
            snapshot_id = str(item["SnapshotId"])
            if item.get("OwnerId") not in (None, estate.account):
                continue  # another owner's public snapshot is not the account's copy
            draft = Draft(EBS_SNAPSHOT.id, snapshot_arn(estate, region, snapshot_id), _named(item, snapshot_id),
                          estate.account, region, "snapshot region")
            draft.attributes.append(("snapshot-id", snapshot_id))
            draft.set_tags(item.get("Tags"))
            description = str(item.get("Description") or "")
            if description:
                draft.attributes.append(("description", description[:200]))
            estate.keep(_SNAPSHOTS, (draft.id, description, str(item.get("VolumeId") or ""), region))
            estate.found(draft)


def _images(estate: Estate, ec2: Any, region: str) -> None:
    for item in list_all(ec2.describe_images, "Images", "machine images", Owners=["self"], MaxResults=1000):
        with estate.reading(EC2_IMAGE.id, region, item, "ImageId"):
            image_id = str(item["ImageId"])
            draft = Draft(EC2_IMAGE.id, estate.arn("ec2", region, f"image/{image_id}", account=""),
                          str(item.get("Name") or image_id), estate.account, region, "image region")
            draft.set_tags(item.get("Tags"))
            draft.attributes.append(("image-id", image_id))
            snapshots = _image_snapshots(item)
            source = item.get("SourceImageId")
            if source:
                source_region = str(item.get("SourceImageRegion") or region)
                draft.origin = Origin(estate.arn("ec2", source_region, f"image/{source}", account=""),
                                      f"copied from {source} in {source_region} (SourceImageId, SourceImageRegion)",
                                      EC2_IMAGE.id, str(source))
            elif snapshots:
                draft.origin = Origin(snapshot_arn(estate, region, snapshots[0]),
                                      f"image of snapshot {snapshots[0]} (BlockDeviceMappings)", EBS_SNAPSHOT.id,
                                      snapshots[0])
            else:
                draft.origin = Origin(None, "the image names no EBS snapshot and no source image")
            estate.keep(_IMAGES, (draft.id, tuple(snapshot_arn(estate, region, s) for s in snapshots), bool(source)))
            estate.found(draft)


def _named(item: dict[str, Any], resource_id: str) -> str:
    """Its `Name` tag, as the console shows it; else its id."""
    names = [str(t["Value"]) for t in item.get("Tags") or [] if t.get("Key") == "Name" and t.get("Value")]
    return names[0] if names else resource_id


def _image_snapshots(item: dict[str, Any]) -> list[str]:
    """The image's EBS snapshots, the root device's first."""
    root = item.get("RootDeviceName")
    mappings = sorted(item.get("BlockDeviceMappings") or [], key=lambda m: m.get("DeviceName") != root)
    return [str(m["Ebs"]["SnapshotId"]) for m in mappings if (m.get("Ebs") or {}).get("SnapshotId")]


def complete(estate: Estate) -> None:
    """Every snapshot's source, now that every region's images are known."""
    backing: dict[str, tuple[str, bool]] = {}
    for image_id, snapshots, copied in estate.kept(_IMAGES):
        for snapshot in snapshots:
            backing.setdefault(snapshot, (image_id, copied))
    for draft_id, description, volume_id, region in estate.kept(_SNAPSHOTS):
        draft = estate.drafts[draft_id]
        draft.origin = snapshot_origin(estate, description, volume_id, region, backing.get(draft_id))


def snapshot_origin(
    estate: Estate, description: str, volume_id: str, region: str, backs: tuple[str, bool] | None,
) -> Origin:
    copied = _COPIED.search(description)
    if copied:
        source, source_region = copied.groups()
        return Origin(snapshot_arn(estate, source_region, source),
                      f"copied from {source} in {source_region} (its description {copied.group(0)})",
                      EBS_SNAPSHOT.id, source)
    if backs is not None and (backs[1] or volume_id in ("", COPY_VOLUME_ID)):
        return Origin(backs[0], f"snapshot behind image {backs[0].rpartition('/')[2]} (BlockDeviceMappings)",
                      EC2_IMAGE.id)
    if volume_id and volume_id != COPY_VOLUME_ID:
        return Origin(estate.arn("ec2", region, f"volume/{volume_id}"), f"snapshot of volume {volume_id} (VolumeId)",
                      EBS_VOLUME.id, volume_id)
    why = ("a copy whose description no longer names its source (VolumeId vol-ffffffff)" if volume_id
           else "the snapshot names no volume and no source")
    return Origin(None, why)
