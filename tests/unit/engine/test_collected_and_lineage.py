"""What an inventory did not collect is never judged fine; copies inherit their source's data class."""

from __future__ import annotations

from residency.engine.evaluate import evaluate
from residency.findings.model import Status
from residency.inventory.model import (
    Facet,
    Inventory,
    Lineage,
    Placement,
    PlacementKind,
    Provider,
    ResourceKey,
    StorageResource,
    sorted_tags,
)
from residency.policy.model import LocationSet, Policy, Scope

from .factories import TODAY, bucket, policy, primary, small_catalog

CATALOG = small_catalog()
US = {"data-class": "us-user-data"}


def run(*resources: StorageResource, policies: list[Policy] | None = None) -> list[tuple[str, str, str]]:
    findings = evaluate(policies or [policy()], Inventory(tuple(resources)), CATALOG, TODAY)
    return [(f.rule_id, f.status.value, f.resource.name) for f in findings]


def test_location_not_collected_is_unverifiable_never_compliant():
    """scan --policy A saved a bucket A does not cover without its location; check --policy B must not pass it."""
    listed_only = bucket("eu-bucket", collected=frozenset({Facet.TAGS}))
    assert run(listed_only) == [("location-unverifiable", "unverifiable", "eu-bucket")]
    findings = evaluate([policy()], Inventory((listed_only,)), CATALOG, TODAY)
    assert "was not collected by the scan" in findings[0].message


def test_replicas_not_collected_are_unverifiable_only_for_policies_that_count_them():
    located = bucket("us-bucket", primary("us-east-1"), collected=frozenset({Facet.TAGS, Facet.LOCATION}))
    assert run(located) == [("location-unverifiable", "unverifiable", "us-bucket")]
    only_primary = policy(counts=frozenset({PlacementKind.PRIMARY}))
    assert run(located, policies=[only_primary]) == [("locations-allowed", "compliant", "us-bucket")]


def test_deletion_evidence_not_collected_never_hides_a_violation():
    facets = frozenset({Facet.TAGS, Facet.LOCATION, Facet.REPLICAS})
    located = bucket("eu-bucket", primary("eu-west-1"), collected=facets)
    assert run(located) == [("primary-outside", "violation", "eu-bucket")]


def test_no_location_at_all_is_never_compliant():
    nowhere = bucket("nowhere")  # every facet collected, yet no placement
    assert run(nowhere) == [("location-unverifiable", "unverifiable", "nowhere")]


def _snapshot(name: str, region: str, lineage: Lineage | None, tags: dict[str, str] | None = None) -> StorageResource:
    return StorageResource(
        provider=Provider.AWS, account="111122223333", id=f"arn:aws:ec2:{region}::snapshot/{name}", name=name,
        kind="s3-bucket", placements=(Placement(PlacementKind.PRIMARY, region, "snapshot region"),),
        collected=frozenset(Facet), tags=sorted_tags(tags or {}), lineage=lineage,
    )


def test_an_untagged_copy_inherits_its_tagged_sources_data_class():
    volume = bucket("vol-1", primary("us-east-1"), tags=US)
    copy = _snapshot("snap-copy", "ap-southeast-1", Lineage(volume.key, "description [Copied snap-1 from us-east-1]"))
    findings = evaluate([policy()], Inventory((volume, copy)), CATALOG, TODAY)
    assert [(f.rule_id, f.status.value, f.resource.name) for f in findings] == [
        ("primary-outside", "violation", "snap-copy"),
        ("locations-allowed", "compliant", "vol-1"),
    ]
    assert "inherits the data class of its source" in findings[0].message and "vol-1" in findings[0].message


def test_a_copy_of_a_source_outside_the_inventory_uses_the_recorded_source_key():
    source = ResourceKey(Provider.AWS, "111122223333", "s3-bucket", "arn:aws:s3:::gone", "gone",
                         (("data-class", "us-user-data"),))
    copy = _snapshot("snap-orphan", "eu-west-1", Lineage(source, "SourceDBSnapshotIdentifier"))
    assert run(copy) == [("primary-outside", "violation", "snap-orphan")]


def test_a_copy_of_unknown_lineage_is_reported_not_assumed_out_of_scope():
    copy = _snapshot("snap-unknown", "eu-west-1", Lineage(None, "the copy kept no description"))
    findings = evaluate([policy()], Inventory((copy,)), CATALOG, TODAY)
    assert [(f.rule_id, f.status) for f in findings] == [("scope-unverifiable", Status.UNVERIFIABLE)]
    assert "source is unknown" in findings[0].message


def test_a_derived_copy_placement_outside_is_copy_outside():
    table = bucket("table", primary("us-east-1"),
                   Placement(PlacementKind.DERIVED, "eu-west-1", "backup plan copies to vault in eu-west-1"))
    assert run(table) == [("copy-outside", "violation", "table")]


def test_kinds_selector_scopes_by_resource_kind():
    only_accounts = Policy("acct", "t", "d", policy().severity,
                           Scope(frozenset(Provider), kinds=("azure-*",)), LocationSet(countries=frozenset({"US"})),
                           None)
    assert run(bucket("eu-bucket", primary("eu-west-1"), tags={}), policies=[only_accounts]) == []
