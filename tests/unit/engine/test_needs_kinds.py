"""`PolicyNeeds.wants_kind`: a service is called when some policy's providers, accounts and kinds
could select its resources; names, ids and tags are judged per resource, so they never rule a
whole kind out."""

from __future__ import annotations

from residency.engine.needs import PolicyNeeds
from residency.inventory.model import Provider
from residency.policy.model import LocationSet, Policy, Scope, Severity
from residency.sources.contract import CollectEverything
from tests.unit.engine.factories import small_catalog

AWS = frozenset({Provider.AWS})


def needs(*scopes: Scope) -> PolicyNeeds:
    policies = [Policy(f"p{i}", "t", "d", Severity.HIGH, scope, LocationSet(countries=frozenset({"US"})), None)
                for i, scope in enumerate(scopes)]
    return PolicyNeeds(policies, small_catalog())


def test_a_policy_without_kinds_wants_every_kind_of_its_providers_and_accounts() -> None:
    plan = needs(Scope(AWS, accounts=("111*",), names=("orders*",), tags=(("data-class", ("x",)),)))
    assert plan.wants_kind(Provider.AWS, "111122223333", "dynamodb-table")
    assert not plan.wants_kind(Provider.AWS, "999922223333", "dynamodb-table")  # another account
    assert not plan.wants_kind(Provider.GCP, "111122223333", "gcs-bucket")


def test_kinds_select_by_id_or_glob() -> None:
    plan = needs(Scope(AWS, kinds=("rds-*",)), Scope(AWS, kinds=("dynamodb-table",)))
    assert plan.wants_kind(Provider.AWS, "1", "rds-db-snapshot")
    assert plan.wants_kind(Provider.AWS, "1", "dynamodb-table")
    assert not plan.wants_kind(Provider.AWS, "1", "dynamodb-backup")
    assert not plan.wants_kind(Provider.AWS, "1", "ebs-volume")


def test_collect_everything_wants_every_kind() -> None:
    assert CollectEverything().wants_kind(Provider.AZURE, "x", "anything")
