"""What valid policy files load into: fields, aliases, defaults, normalisation, lines, digests."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

from residency.catalog import Catalog
from residency.inventory.model import PlacementKind, Provider
from residency.policy.loader import load_policies
from residency.policy.model import ALL_KINDS, LocationSet, Severity, SourceRef
from tests.unit.policy.conftest import MINIMAL

Write = Callable[[str, str | bytes], Path]


def test_the_documented_minimal_example_loads_exactly_as_written(write: Write, catalog: Catalog) -> None:
    path = write("us.yaml", MINIMAL)
    policy_set = load_policies([path], catalog)
    (policy,) = policy_set.policies
    assert policy.id == "us-user-data"
    assert policy.title == "US users' data stays in the United States"
    assert policy.description == "Private data of US users is stored only in the US, and deleted elsewhere."
    assert policy.severity is Severity.HIGH
    assert policy.scope.providers == frozenset(Provider)
    assert policy.scope.tags == (("data-class", ("us-user-data",)),)
    assert (policy.scope.accounts, policy.scope.names, policy.scope.resources) == ((), (), ())
    assert policy.allowed == LocationSet(countries=frozenset({"US"}))
    assert policy.denied is None
    assert policy.counts == ALL_KINDS and policy.requires_deletion
    (exemption,) = policy.exemptions
    assert exemption.resource == "arn:aws:s3:::legacy-archive-*"
    assert exemption.reason == "Archive being migrated, ticket DATA-142"
    assert exemption.owner == "data-platform@example.com"
    assert exemption.expires == dt.date(2026, 12, 31)
    assert exemption.source == SourceRef(str(path), 12)
    assert policy.source == SourceRef(str(path), 2)
    assert policy.remediation is None
    assert policy_set.digests == ((str(path), hashlib.sha256(MINIMAL.encode()).hexdigest()),)


FULL = """\
policies:
  - id: gcs-analytics
    title: Analytics buckets stay in the EU
    description: >
      Folded text
      on two lines.
    severity: medium
    scope:
      providers: [gcp, aws]
      labels:
        team: [analytics, "data-*"]
        env: prod
      projects: ["analytics-*", "123456789012"]
      names: ["events-*"]
      resources: ["gs://events-*"]
    allowed:
      groups: [eu]
      regions: ["US-East-1", "GCP:US-Central1", nam4]
      countries: [CH]
    denied:
      countries: [RU]
    location_kinds: [primary, member]
    remediation: "  Move it.  "
    exemptions:
      - resource: gs://events-legacy
        reason: quoted date
        owner: someone
        expires: '2027-01-15'
"""


def test_aliases_defaults_and_normalisation(write: Write, catalog: Catalog) -> None:
    (policy,) = load_policies([write("full.yml", FULL)], catalog).policies
    assert policy.description == "Folded text on two lines."
    assert policy.scope.providers == frozenset({Provider.GCP, Provider.AWS})
    assert policy.scope.tags == (("env", ("prod",)), ("team", ("analytics", "data-*")))
    assert policy.scope.accounts == ("analytics-*", "123456789012")
    assert policy.scope.names == ("events-*",)
    assert policy.scope.resources == ("gs://events-*",)
    assert policy.allowed == LocationSet(
        countries=frozenset({"CH"}), regions=frozenset({"us-east-1", "gcp:us-central1", "nam4"}),
        groups=frozenset({"eu"}),
    )
    assert policy.denied == LocationSet(countries=frozenset({"RU"}))
    assert policy.counts == frozenset({PlacementKind.PRIMARY, PlacementKind.MEMBER})
    assert not policy.requires_deletion
    assert policy.remediation == "Move it."
    assert policy.exemptions[0].expires == dt.date(2027, 1, 15)


def test_a_scope_of_only_providers_covers_everything(write: Write, catalog: Catalog) -> None:
    text = MINIMAL.replace("      tags: {data-class: us-user-data}     # S3/Azure tags, GCS labels\n", "")
    (policy,) = load_policies([write("all.yaml", text)], catalog).policies
    assert policy.scope.tags == () and policy.scope.accounts == () and policy.scope.names == ()


def test_denied_only_policy_has_no_allowed_set(write: Write, catalog: Catalog) -> None:
    text = MINIMAL.replace("allowed:", "denied:").replace("[US]", "[CN, RU]")
    (policy,) = load_policies([write("deny.yaml", text)], catalog).policies
    assert policy.allowed is None
    assert policy.denied == LocationSet(countries=frozenset({"CN", "RU"}))


def test_keys_are_read_as_written_and_dates_as_text(write: Write, catalog: Catalog) -> None:
    # YAML 1.1 would read `on`/`2024` keys as a boolean and a number; tag keys stay strings.
    text = MINIMAL.replace("{data-class: us-user-data}", "{on: 'yes', 2024: budget, created: '2024-01-01'}")
    (policy,) = load_policies([write("keys.yaml", text)], catalog).policies
    assert policy.scope.tags == (("2024", ("budget",)), ("created", ("2024-01-01",)), ("on", ("yes",)))


def test_directory_loads_yaml_and_yml_sorted_skipping_hidden_and_other_files(
    tmp_path: Path, write: Write, catalog: Catalog
) -> None:
    write("b.yml", MINIMAL.replace("us-user-data\n", "bbb\n", 1))
    write("a.yaml", MINIMAL.replace("us-user-data\n", "aaa\n", 1))
    write(".editor-backup.yaml", "not: [valid")
    write("README.md", "# policies")
    write("nested/c.yaml", MINIMAL.replace("us-user-data\n", "ccc\n", 1))
    policy_set = load_policies([tmp_path], catalog)
    assert [p.id for p in policy_set.policies] == ["aaa", "bbb"]
    assert [name for name, _ in policy_set.digests] == [str(tmp_path / "a.yaml"), str(tmp_path / "b.yml")]


def test_several_paths_and_policies_keep_their_order_and_lines(write: Write, catalog: Catalog) -> None:
    two = MINIMAL + MINIMAL[len("policies:\n"):].replace("id: us-user-data", "id: second")
    first = write("one.yaml", two)
    second = write("dir/two.yaml", MINIMAL.replace("us-user-data\n", "third\n", 1))
    policy_set = load_policies([str(first), second.parent], catalog)
    assert [(p.id, p.source.file, p.source.line) for p in policy_set.policies] == [
        ("us-user-data", str(first), 2), ("second", str(first), 16), ("third", str(second), 2),
    ]


def test_byte_order_mark_and_windows_line_ends_are_accepted(write: Write, catalog: Catalog) -> None:
    path = write("bom.yaml", b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode())
    (policy,) = load_policies([path], catalog).policies
    assert policy.exemptions[0].source.line == 12
