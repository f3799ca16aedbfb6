"""Snapshots: every field round-trips; old and bad files are read fail-closed or refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from residency.errors import InputError
from residency.inventory.model import (
    DeletionEvidence,
    Facet,
    Gap,
    Inventory,
    Lineage,
    Placement,
    PlacementKind,
    Provider,
    ResourceKey,
    RetentionLock,
    StorageResource,
)
from residency.inventory.snapshot import dumps, load_snapshot

SOURCE = ResourceKey(Provider.AWS, "111122223333", "s3-bucket", "arn:aws:s3:::src", "src", (("data-class", "x"),))


def _resource(**changes: object) -> StorageResource:
    base = StorageResource(
        Provider.AWS, "111122223333", "arn:aws:s3:::b", "b", "s3-bucket",
        (Placement(PlacementKind.DERIVED, "eu-west-1", "copy", Provider.AWS, "arn:aws:s3:::c"),),
        frozenset({Facet.LOCATION, Facet.COPIES}), tags=(("k", "v"),),
        deletion_evidence=DeletionEvidence(1, None, 0, None, 5, False, (RetentionLock("legal-hold", "held"),), ("n",)),
        gaps=(Gap("replication configuration", "AccessDenied", Facet.REPLICAS),),
        lineage=Lineage(SOURCE, "SourceImageId"),
    )
    return base if not changes else StorageResource(**{**{f: getattr(base, f) for f in base.__slots__}, **changes})


def _write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "inv.json"
    path.write_text(json.dumps(document))
    return path


def test_every_field_round_trips(tmp_path: Path) -> None:
    original = Inventory((_resource(), _resource(id="x", lineage=Lineage(None, "unknown"))), scanned=(("aws", "1"),),
                         policy_files=(("policies/us.yaml", "0" * 64),))
    path = tmp_path / "inv.json"
    path.write_text(dumps(original))
    loaded = load_snapshot(path)
    assert loaded.resources == original.resources
    assert (loaded.scanned, loaded.policy_files) == (original.scanned, original.policy_files)


def test_a_version_1_snapshot_is_read_fail_closed(tmp_path: Path) -> None:
    located = {"provider": "aws", "account": "1", "id": "a", "name": "a", "kind": "s3-bucket", "tags": {},
               "placements": [{"kind": "primary", "region": "us-east-1", "reason": "r"}],
               "gaps": [{"what": "tags", "reason": "denied"}, {"what": "object versions", "reason": "x"}]}
    listed = {**located, "id": "b", "name": "b", "placements": [], "gaps": []}
    path = _write(tmp_path, {"snapshot_version": "1", "resources": [located, listed]})
    first, second = load_snapshot(path).resources
    assert first.collected == frozenset({Facet.LOCATION, Facet.TAGS})
    assert [g.facet for g in first.gaps] == [Facet.TAGS, Facet.LOCATION]
    assert second.collected == frozenset({Facet.TAGS})


@pytest.mark.parametrize(("change", "message"), [
    ({"collected": ["location", "everything"]}, "$.resources[0].collected: 'everything' is not one of"),
    ({"kind": "s3-bukkit"}, "$.resources[0].kind: 's3-bukkit' is not a resource kind"),
    ({"deletion_evidence": {"exact": "yes"}}, "$.resources[0].deletion_evidence.exact: expected true or false"),
    ({"lineage": {"how": "x", "source": {"provider": "aws"}}}, "$.resources[0].lineage.source.account"),
])
def test_bad_fields_are_one_line_errors_naming_the_path(
    tmp_path: Path, change: dict[str, object], message: str,
) -> None:
    document = json.loads(dumps(Inventory((_resource(),))))
    document["resources"][0].update(change)
    with pytest.raises(InputError) as caught:
        load_snapshot(_write(tmp_path, document))
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_an_unknown_version_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unsupported snapshot version '9'"):
        load_snapshot(_write(tmp_path, {"snapshot_version": "9", "resources": []}))
