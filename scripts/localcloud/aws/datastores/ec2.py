"""EC2 where moto 5.2.5 differs from AWS: enabled regions, owned snapshots, copies' lineage.

- `DescribeRegions` answers the regions enabled for the account (the 17 that need no opt-in, or
  the server's `--enabled-regions`; with `AllRegions=True`, every commercial region with its
  `OptInStatus`), not all 38 moto knows;
- `DescribeSnapshots(OwnerIds=['self'])` returns the caller's snapshots only (moto adds other
  owners' public ones);
- a `CopySnapshot` copy has the default description `[Copied snap-... from REGION]` unless the
  caller gave one, and the arbitrary volume id `vol-ffffffff` AWS documents for copies;
- a `CopyImage` copy has `SourceImageId` and `SourceImageRegion`;
- an image's `RootDeviceType` is one of the model's values (moto answers "standard");
- an image registered from snapshots names those snapshots (moto makes a stand-in snapshot of a
  volume that never existed, which AWS does not); an image copy's snapshots carry AWS's description
  "Copied for DestinationAmi ... from SourceAmi ..." and the arbitrary volume id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import botocore.session

from scripts.localcloud.aws.datastores.protocol import Call
from scripts.localcloud.aws.datastores.state import Store

ENABLED_BY_DEFAULT = frozenset({
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ap-south-1", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "eu-north-1", "sa-east-1",
})
COPY_VOLUME_ID = "vol-ffffffff"


_AUTO_CREATED = re.compile(r"^Auto-created snapshot for AMI (ami-[0-9a-f]+)$")


@dataclass
class Ec2:
    snapshot_copies: dict[str, tuple[str, str]] = field(default_factory=dict)  # copy id -> (description, region)
    image_copies: dict[str, tuple[str, str]] = field(default_factory=dict)  # copy id -> (source id, source region)
    registered: dict[str, dict[str, str]] = field(default_factory=dict)  # image id -> device -> its snapshot id


def describe_regions(store: Store, call: Call) -> dict[str, Any]:
    every = botocore.session.get_session().get_available_regions("ec2")
    wanted = set(call.params.get("RegionNames") or every)
    regions = []
    for name in sorted(every):
        enabled = name in (store.enabled_regions or ENABLED_BY_DEFAULT)
        if name not in wanted or not (enabled or call.params.get("AllRegions")):
            continue
        regions.append({"RegionName": name, "Endpoint": f"ec2.{name}.amazonaws.com",
                        "OptInStatus": "opt-in-not-required" if enabled else "not-opted-in"})
    return {"Regions": regions}


def snapshot_copied(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    params = call.params
    description = params.get("Description") or f"[Copied {params['SourceSnapshotId']} from {params['SourceRegion']}]"
    store.of(call.account, Ec2).snapshot_copies[upstream["SnapshotId"]] = (description, call.region)
    return upstream


def describe_snapshots(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    state = store.of(call.account, Ec2)
    owners = set(call.params.get("OwnerIds") or [])
    kept = []
    for snapshot in upstream.get("Snapshots", []):
        if "self" in owners and snapshot.get("OwnerId") != call.account:
            continue
        made_for = _AUTO_CREATED.match(str(snapshot.get("Description") or ""))
        if made_for and made_for.group(1) in state.registered:
            continue  # moto's stand-in for the snapshot RegisterImage named: AWS makes none
        copied = state.snapshot_copies.get(snapshot.get("SnapshotId", ""))
        if copied is not None:
            snapshot["Description"] = copied[0]
            snapshot["VolumeId"] = COPY_VOLUME_ID
        elif made_for and made_for.group(1) in state.image_copies:
            source, source_region = state.image_copies[made_for.group(1)]
            snapshot["Description"] = (f"Copied for DestinationAmi {made_for.group(1)} from SourceAmi {source} "
                                       f"({source_region}). Task created on {snapshot.get('StartTime', '?')}.")
            snapshot["VolumeId"] = COPY_VOLUME_ID
        kept.append(snapshot)
    upstream["Snapshots"] = kept
    return upstream


def image_registered(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    devices = {str(m["DeviceName"]): str(m["Ebs"]["SnapshotId"]) for m in call.params.get("BlockDeviceMappings") or []
               if (m.get("Ebs") or {}).get("SnapshotId") and m.get("DeviceName")}
    if devices:
        store.of(call.account, Ec2).registered[upstream["ImageId"]] = devices
    return upstream


def image_copied(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    source = (call.params["SourceImageId"], call.params["SourceRegion"])
    store.of(call.account, Ec2).image_copies[upstream["ImageId"]] = source
    return upstream


def describe_images(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    copies = store.of(call.account, Ec2).image_copies
    for image in upstream.get("Images", []):
        if image.get("RootDeviceType") not in (None, "ebs", "instance-store"):  # moto says "standard"
            mappings = image.get("BlockDeviceMappings") or []
            image["RootDeviceType"] = "ebs" if any("Ebs" in m for m in mappings) else "instance-store"
        copied = copies.get(image.get("ImageId", ""))
        if copied is not None:
            image["SourceImageId"], image["SourceImageRegion"] = copied
        devices = store.of(call.account, Ec2).registered.get(image.get("ImageId", ""), {})
        for mapping in image.get("BlockDeviceMappings") or []:
            if mapping.get("DeviceName") in devices and mapping.get("Ebs"):
                mapping["Ebs"]["SnapshotId"] = devices[mapping["DeviceName"]]
    return upstream


OWNED = {"DescribeRegions": describe_regions}
AFTER_UPSTREAM = {"CopySnapshot": snapshot_copied, "DescribeSnapshots": describe_snapshots,
                  "CopyImage": image_copied, "DescribeImages": describe_images, "RegisterImage": image_registered}
