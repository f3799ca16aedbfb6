"""Every rule and every status of the engine, on a hand-built catalog."""

from __future__ import annotations

import datetime as dt

from residency.engine.evaluate import evaluate
from residency.findings.model import Status
from residency.inventory.model import (
    AccountGap,
    DeletionEvidence,
    Facet,
    Gap,
    Inventory,
    Placement,
    PlacementKind,
    Provider,
    ResourceState,
    RetentionLock,
)
from residency.policy.model import Exemption, LocationSet

from .factories import TODAY, bucket, policy, primary, small_catalog

CATALOG = small_catalog()


def run(*resources, policies=None, gaps=(), today=TODAY):
    inventory = Inventory(tuple(resources), tuple(gaps))
    return evaluate(policies or [policy()], inventory, CATALOG, today)


def summary(findings):
    return [(f.rule_id, f.status.value, f.resource.name) for f in findings]


def test_primary_in_allowed_country_is_compliant():
    findings = run(bucket("media-us", primary("us-east-1")))
    assert summary(findings) == [("locations-allowed", "compliant", "media-us")]
    assert findings[0].locations[0].countries == ("US",)


def test_primary_outside_is_a_violation_with_country_and_reason():
    findings = run(bucket("media-eu", primary("eu-west-1")))
    assert summary(findings) == [("primary-outside", "violation", "media-eu")]
    location = findings[0].locations[0]
    assert (location.region, location.country, location.kind) == ("eu-west-1", "IE", PlacementKind.PRIMARY)
    assert "eu-west-1 (IE) is not an allowed location" in findings[0].message
    assert findings[0].remediation


def test_out_of_scope_resource_yields_nothing():
    assert run(bucket("public", primary("eu-west-1"), tags={"data-class": "public"})) == ()


def test_replica_outside_groups_every_offending_destination():
    resource = bucket(
        "media-us",
        primary("us-east-1"),
        Placement(PlacementKind.REPLICA, "ap-southeast-1", "replication rule r1", target="arn:aws:s3:::sg"),
        Placement(PlacementKind.REPLICA, "eu-west-1", "replication rule r2", target="arn:aws:s3:::ie"),
        Placement(PlacementKind.REPLICA, "us-west-2", "replication rule r3", target="arn:aws:s3:::us"),
    )
    findings = run(resource)
    assert summary(findings) == [("replica-outside", "violation", "media-us")]
    assert [loc.region for loc in findings[0].locations] == ["ap-southeast-1", "eu-west-1"]


def test_secondary_outside_for_brazil_only_policy():
    resource = bucket(
        "brstore", Placement(PlacementKind.PRIMARY, "brazilsouth", "account primary"),
        Placement(PlacementKind.SECONDARY, "southcentralus", "GRS secondary"),
        provider=Provider.AZURE, tags={"data-class": "br"},
    )
    brazil = policy(LocationSet(countries=frozenset({"BR"})), tags=(("data-class", ("br",)),), policy_id="br")
    us = policy(LocationSet(countries=frozenset({"US"})), tags=(("data-class", ("br",)),), policy_id="us")
    findings = run(resource, policies=[brazil, us])
    assert summary(findings) == [
        ("secondary-outside", "violation", "brstore"),
        ("primary-outside", "violation", "brstore"),
    ]
    assert [f.policy_id for f in findings] == ["br", "us"]


def test_member_outside_for_dual_region_with_member_abroad():
    resource = bucket(
        "dual", Placement(PlacementKind.MEMBER, "us-central1", "dual-region member"),
        Placement(PlacementKind.MEMBER, "europe-north1", "dual-region member"), provider=Provider.GCP,
    )
    findings = run(resource)
    assert summary(findings) == [("member-outside", "violation", "dual")]
    assert [loc.region for loc in findings[0].locations] == ["europe-north1"]


def test_eu_multi_region_satisfies_group_eu_but_not_a_country_policy():
    resource = bucket("eu-multi", Placement(PlacementKind.MEMBER, "eu", "multi-region"),
                      provider=Provider.GCP, tags={"data-class": "eu"})
    tags = (("data-class", ("eu",)),)
    by_group = policy(LocationSet(groups=frozenset({"eu"})), tags=tags, policy_id="a-eu")
    by_country = policy(LocationSet(countries=frozenset({"DE"})), tags=tags, policy_id="b-de")
    us_only = policy(LocationSet(countries=frozenset({"US"})), tags=tags, policy_id="c-us")
    findings = run(resource, policies=[by_group, by_country, us_only])
    assert sorted((f.policy_id, f.rule_id, f.status.value) for f in findings) == [
        ("a-eu", "locations-allowed", "compliant"),
        ("b-de", "location-unverifiable", "unverifiable"),
        ("c-us", "member-outside", "violation"),
    ]


def test_asia_multi_region_without_published_countries_is_unverifiable():
    resource = bucket("asia", Placement(PlacementKind.MEMBER, "asia", "multi-region"), provider=Provider.GCP)
    assert summary(run(resource)) == [("location-unverifiable", "unverifiable", "asia")]


def test_unknown_region_code_is_unverifiable_never_guessed():
    findings = run(bucket("new-region", primary("us-north-9")))
    assert summary(findings) == [("location-unverifiable", "unverifiable", "new-region")]
    assert "'us-north-9' is not in the catalog" in findings[0].message


def test_unresolvable_replica_destination_is_unverifiable():
    resource = bucket("media-us", primary("us-east-1"),
                      Placement(PlacementKind.REPLICA, None, "destination arn:aws:s3:::x: HeadBucket 403"))
    findings = run(resource)
    assert summary(findings) == [("location-unverifiable", "unverifiable", "media-us")]
    assert "HeadBucket 403" in findings[0].message


def test_gap_makes_resource_unverifiable_and_violation_still_reported():
    resource = bucket("media-eu", primary("eu-west-1"),
                      gaps=(Gap("replication configuration", "AccessDenied", Facet.REPLICAS),))
    findings = run(resource)
    assert summary(findings) == [
        ("primary-outside", "violation", "media-eu"),
        ("location-unverifiable", "unverifiable", "media-eu"),
    ]
    # A denied replication read is about replicas: the primary's region stays known.
    assert [(loc.kind, loc.region) for loc in findings[1].locations] == [(PlacementKind.REPLICA, None)]
    assert findings[0].locations[0].region == "eu-west-1"


def test_residual_data_outside_when_live_objects_gone_but_versions_remain():
    residue = DeletionEvidence(live_objects=0, noncurrent_versions=3, delete_markers=3, soft_deleted_objects=0)
    findings = run(bucket("eu-staging", primary("eu-west-1"), residue=residue))
    assert summary(findings) == [("primary-outside", "violation", "eu-staging"),
                                 ("residual-outside", "violation", "eu-staging")]
    assert "no live data now" in findings[0].message
    assert "at least 3 noncurrent version(s)" in findings[1].message
    assert findings[1].locations[0].kind is PlacementKind.RESIDUAL


def test_an_empty_container_outside_is_a_violation_to_delete():
    """Empty is one moment's listing: the container is where the next write lands."""
    residue = DeletionEvidence(live_objects=0, noncurrent_versions=0, delete_markers=0, soft_deleted_objects=0)
    findings = run(bucket("eu-empty", primary("eu-west-1"), residue=residue))
    assert summary(findings) == [("primary-outside", "violation", "eu-empty")]
    assert "holds no data now: delete it" in findings[0].message
    assert findings[0].locations[0].countries == ("IE",)


def test_a_stricter_policy_never_reports_less_than_a_laxer_one():
    laxer = policy(counts=frozenset({PlacementKind.PRIMARY}), policy_id="laxer")
    stricter = policy(policy_id="stricter")  # counts residual too: requires deletion
    shapes = [DeletionEvidence(0, 0, 0, 0), DeletionEvidence(0, None), DeletionEvidence(0, 2, 0, 0),
              DeletionEvidence(4, 0, 0, 0), None]
    for evidence in shapes:
        found = run(bucket("eu", primary("eu-west-1"), residue=evidence), policies=[laxer, stricter])
        violations = {p: sum(f.status is Status.VIOLATION and f.policy_id == p for f in found)
                      for p in ("laxer", "stricter")}
        assert violations["stricter"] >= violations["laxer"] >= 1, evidence


def test_emptied_bucket_with_unchecked_deleted_copies_is_still_a_violation():
    residue = DeletionEvidence(live_objects=0, noncurrent_versions=None)
    findings = run(bucket("eu-empty", primary("eu-west-1"), residue=residue))
    assert summary(findings) == [("primary-outside", "violation", "eu-empty")]
    assert "whether deleted copies remain could not be checked" in findings[0].message


def test_residue_ignored_when_policy_does_not_require_deletion():
    no_residual = policy(counts=frozenset({PlacementKind.PRIMARY, PlacementKind.REPLICA}))
    residue = DeletionEvidence(live_objects=0, noncurrent_versions=0, soft_deleted_objects=0)
    findings = run(bucket("eu-empty", primary("eu-west-1"), residue=residue), policies=[no_residual])
    assert summary(findings) == [("primary-outside", "violation", "eu-empty")]


def test_retention_lock_blocks_required_deletion():
    lock = RetentionLock("object-lock-compliance", "Object Lock COMPLIANCE, 365 days", until="2027-06-01")
    governance = RetentionLock("object-lock-governance", "GOVERNANCE", blocks_deletion=False)
    residue = DeletionEvidence(live_objects=5, noncurrent_versions=0, soft_deleted_objects=0, locks=(lock, governance))
    findings = run(bucket("locked", primary("eu-west-1"), residue=residue))
    assert summary(findings) == [
        ("primary-outside", "violation", "locked"),
        ("retention-blocks-deletion", "violation", "locked"),
    ]
    assert "COMPLIANCE" in findings[1].message and "GOVERNANCE" not in findings[1].message


def test_soft_deleted_container_counts_as_residual():
    resource = bucket("gone", Placement(PlacementKind.PRIMARY, "ap-southeast-1", "bucket region"),
                      state=ResourceState.SOFT_DELETED)
    findings = run(resource)
    assert summary(findings) == [("residual-outside", "violation", "gone")]
    assert "still recoverable" in findings[0].message


def test_soft_deleted_container_skipped_when_residual_not_counted():
    no_residual = policy(counts=frozenset({PlacementKind.PRIMARY}))
    resource = bucket("gone", primary("ap-southeast-1"), state=ResourceState.SOFT_DELETED)
    assert summary(run(resource, policies=[no_residual])) == [("locations-allowed", "compliant", "gone")]


def test_counts_filter_ignores_uncounted_kinds():
    only_primary = policy(counts=frozenset({PlacementKind.PRIMARY}))
    resource = bucket("media-us", primary("us-east-1"), Placement(PlacementKind.REPLICA, "eu-west-1", "rule"))
    assert summary(run(resource, policies=[only_primary])) == [("locations-allowed", "compliant", "media-us")]


def test_valid_exemption_makes_violations_exempt():
    exemption = Exemption("arn:aws:s3:::legacy-archive-*", "migration", "data@example.com", dt.date(2026, 12, 31))
    findings = run(bucket("legacy-archive-2019", primary("eu-central-1")),
                   policies=[policy(exemptions=(exemption,))])
    assert summary(findings) == [("primary-outside", "exempt", "legacy-archive-2019")]
    assert findings[0].exemption == exemption
    assert "Exempt until 2026-12-31" in findings[0].message


def test_expired_exemption_stops_exempting_and_says_so():
    exemption = Exemption("arn:aws:s3:::legacy-uploads-*", "old", "media@example.com", dt.date(2026, 9, 30))
    findings = run(bucket("legacy-uploads-2020", primary("eu-central-1")),
                   policies=[policy(exemptions=(exemption,))])
    assert summary(findings) == [
        ("exemption-expired", "violation", "legacy-uploads-2020"),
        ("primary-outside", "violation", "legacy-uploads-2020"),
    ]
    assert "expired on 2026-09-30" in findings[0].message
    assert "expired on 2026-09-30" in findings[1].message


def test_exemption_valid_on_its_expiry_day():
    exemption = Exemption("legacy-*", "r", "o", dt.date(2026, 11, 25))
    findings = run(bucket("legacy-x", primary("eu-west-1")), policies=[policy(exemptions=(exemption,))])
    assert [f.status for f in findings] == [Status.EXEMPT]


def test_denied_list_only_policy():
    deny = policy(allowed=None, denied=LocationSet(countries=frozenset({"SG"})), tags=())
    findings = run(bucket("a", primary("us-east-1")), bucket("b", primary("ap-southeast-1")), policies=[deny])
    assert summary(findings) == [("primary-outside", "violation", "b"), ("locations-allowed", "compliant", "a")]
    assert "is in denied SG" in findings[0].message


def test_denied_multi_region_with_unknown_countries_is_unverifiable_when_overlapping():
    deny = policy(allowed=None, denied=LocationSet(countries=frozenset({"DE"})), tags=())
    other = policy(allowed=None, denied=LocationSet(countries=frozenset({"US"})), tags=(), policy_id="z")
    resource = bucket("eu", Placement(PlacementKind.MEMBER, "eu", "multi-region"), provider=Provider.GCP)
    findings = run(resource, policies=[deny, other])
    assert sorted((f.policy_id, f.status.value) for f in findings) == [
        ("us-user-data", "unverifiable"), ("z", "compliant")
    ]


def test_explicit_region_and_group_locations_allow():
    by_region = policy(LocationSet(regions=frozenset({"aws:eu-west-1"})), policy_id="r")
    by_partition = policy(LocationSet(groups=frozenset({"aws:aws"})), policy_id="p")
    findings = run(bucket("x", primary("eu-west-1")), bucket("y", primary("us-east-1")),
                   policies=[by_region, by_partition])
    assert sorted((f.policy_id, f.resource.name, f.status.value) for f in findings) == [
        ("p", "x", "violation"), ("p", "y", "compliant"), ("r", "x", "compliant"), ("r", "y", "violation"),
    ]


def test_account_gap_is_unverifiable_for_every_covering_policy():
    gap = AccountGap(Provider.GCP, "denied-project", "403 Forbidden")
    aws_only = policy(providers=frozenset({Provider.AWS}), policy_id="aws-only")
    findings = run(gaps=[gap], policies=[policy(), aws_only])
    assert [(f.policy_id, f.rule_id, f.status.value, f.resource.kind) for f in findings] == [
        ("us-user-data", "location-unverifiable", "unverifiable", "account")
    ]


def test_order_is_deterministic_and_by_status_then_severity():
    resources = [bucket(f"b{i}", primary(r)) for i, r in enumerate(["us-east-1", "eu-west-1", "xx-1"])]
    first = run(*resources)
    second = run(*reversed(resources))
    assert first == second
    assert [f.status.value for f in first] == ["violation", "unverifiable", "compliant"]


def test_fingerprint_is_stable_and_distinguishes_rules():
    a = run(bucket("media-eu", primary("eu-west-1")))[0]
    b = run(bucket("media-eu", primary("eu-west-1")))[0]
    assert a.fingerprint == b.fingerprint and len(a.fingerprint) == 32
    c = run(bucket("media-eu", primary("us-east-1")))[0]
    assert c.fingerprint != a.fingerprint


def test_unknown_tags_make_tag_scoped_policies_report_possible_scope():
    deleted = bucket("olddata", primary("ap-southeast-1"), tags={}, state=ResourceState.SOFT_DELETED,
                     gaps=(Gap("tags", "deleted accounts keep no tags", Facet.TAGS),))
    in_us = bucket("oldus", primary("us-east-1"), tags={}, state=ResourceState.SOFT_DELETED,
                   gaps=(Gap("tags", "deleted accounts keep no tags", Facet.TAGS),))
    deny = policy(allowed=None, denied=LocationSet(countries=frozenset({"CN"})), tags=(), policy_id="deny")
    findings = run(deleted, in_us, policies=[policy(), deny])
    assert sorted((f.policy_id, f.rule_id, f.status.value, f.resource.name) for f in findings) == [
        ("deny", "locations-allowed", "compliant", "olddata"),
        ("deny", "locations-allowed", "compliant", "oldus"),
        ("us-user-data", "scope-unverifiable", "unverifiable", "olddata"),
    ]
    possible = next(f for f in findings if f.rule_id == "scope-unverifiable")
    assert "its tags are unknown" in possible.message and possible.locations[0].region == "ap-southeast-1"


def test_unknown_tags_and_unknown_location_is_still_reported():
    lost = bucket("lost", primary(None), tags={}, gaps=(Gap("tags", "tagging API denied", Facet.TAGS),))
    findings = run(lost)
    assert [(f.rule_id, f.status.value) for f in findings] == [("scope-unverifiable", "unverifiable")]


def test_a_policys_remediation_is_added_only_where_it_fits():
    import dataclasses

    with_hint = dataclasses.replace(policy(), remediation="Move it to a US region.")
    findings = run(bucket("eu", primary("eu-west-1")), bucket("lost", primary(None)), policies=[with_hint])
    by_rule = {f.rule_id: f.remediation for f in findings}
    assert by_rule["primary-outside"].endswith("Move it to a US region.")
    assert "Move it to a US region." not in by_rule["location-unverifiable"]


def test_a_provider_not_scanned_is_named_as_such_not_as_a_resource_called_star():
    findings = run(gaps=(AccountGap(Provider.AWS, "*", "no credentials"),))
    (finding,) = findings
    assert (finding.resource.kind, finding.resource.name) == ("account", "every aws account")
    assert finding.message.startswith("every aws account: could not be scanned (no credentials)")
