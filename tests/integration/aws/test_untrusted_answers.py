"""Answers the scanner cannot trust, from the project's proxy's fault injection, over real boto3.

A small estate on a moto server of its own (IAM not enforced), with an Organization and an
MRAP. Each test puts a proxy with one set of faults in front of it and scans through it:
looping page tokens end every listing with a gap naming it; one malformed entry is that entry's
gap and nothing else's; retries are capped whatever AWS_MAX_ATTEMPTS asks.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from residency.inventory.model import Facet, Inventory, PlacementKind, Provider, StorageResource
from residency.sources.aws.adapter import AwsAdapter
from residency.sources.aws.options import AwsOptions
from residency.sources.contract import CollectEverything, CommonOptions, NullProgress
from scripts.localcloud.aws.moto_server import FAKE_CREDENTIALS, ProxyOptions, client_env, start_moto, start_proxy
from scripts.localcloud.aws.proxy import STATS_PATH
from scripts.localcloud.aws.seed import Seeder
from scripts.localcloud.services import Service, ServiceGroup
from tests.integration.aws.conftest import environment

pytestmark = pytest.mark.integration

US = {"data-class": "us-user-data"}
THROTTLED = "fa-throttled"


@dataclass(frozen=True)
class FaultCloud:
    group: ServiceGroup
    upstream: Service  # the proxy that gives ListBuckets its BucketRegion, in 2-bucket pages

    def proxy(self, options: ProxyOptions) -> Service:
        return start_proxy(self.group, self.upstream, options, name=f"aws-faults-{len(self.group.services)}")


@pytest.fixture(scope="module")
def fault_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultCloud]:
    with ServiceGroup(tmp_path_factory.mktemp("aws-fault-logs")) as group:
        moto = start_moto(group, name="moto-faults")
        upstream = start_proxy(group, moto, ProxyOptions(bucket_region=True, list_page_size=2), name="aws-faults-up")
        seeder = Seeder(upstream.url, dict(FAKE_CREDENTIALS))
        seeder.client("organizations").create_organization(FeatureSet="ALL")
        seeder.bucket("fa-us", "us-east-1", US, versioned=True)
        seeder.bucket("fa-eu", "eu-west-1", None, versioned=True)
        seeder.bucket("fa-tagged", "us-west-2", US)
        seeder.bucket(THROTTLED, "us-east-2", US)
        seeder.replicate("fa-us", [("fa-eu", None)])
        seeder.mrap("fa-media", ["fa-us", "fa-eu"])
        yield FaultCloud(group, upstream)


class BucketsOnly(CollectEverything):
    """Everything about S3, nothing of the datastore services: these faults are S3's and the account's."""

    def wants_kind(self, provider: Provider, account: str, kind: str) -> bool:
        return kind.startswith("s3-")


def scan(endpoint: str, options: AwsOptions | None = None, env: dict[str, str] | None = None) -> Inventory:
    with environment({**client_env(endpoint), "AWS_MAX_ATTEMPTS": "2", **(env or {})}):
        adapter = AwsAdapter(CommonOptions(max_workers=4), options or AwsOptions())
        return adapter.collect(BucketsOnly(), NullProgress())


def by_name(inventory: Inventory) -> dict[str, StorageResource]:
    return {resource.name: resource for resource in inventory.resources}


def stats(proxy: Service) -> dict[str, object]:
    with urllib.request.urlopen(f"{proxy.url}{STATS_PATH}") as response:
        loaded: dict[str, object] = json.load(response)
        return loaded


def test_a_repeated_page_token_ends_every_listing_with_a_gap_naming_it(fault_cloud: FaultCloud) -> None:
    operations = ("ListBuckets", "ListDirectoryBuckets", "GetResources", "ListAccounts", "ListMultiRegionAccessPoints")
    proxy = fault_cloud.proxy(ProxyOptions(loop_pages=operations))
    inventory = scan(proxy.url, AwsOptions(organization=True))
    reasons = "\n".join(gap.reason for gap in inventory.account_gaps)
    for call in ("ListBuckets", "ListDirectoryBuckets in us-east-1", "Organizations ListAccounts",
                 "ListMultiRegionAccessPoints"):
        assert f"{call} answered a page token it had already given" in reasons, call
    looped = stats(proxy)["looped"]
    assert isinstance(looped, dict) and set(looped) <= set(operations)
    assert all(count <= 4 for count in looped.values()), looped  # asked again once per listing, then stopped
    found = by_name(inventory)
    assert {"fa-us", "fa-eu"} <= set(found)  # what the first page listed is scanned
    mrap_gaps = [g for g in found["fa-us"].gaps if g.what == "multi-region access points"]
    assert mrap_gaps and all(g.facet is Facet.REPLICAS for g in mrap_gaps)


def test_a_repeated_tagging_token_leaves_the_unlisted_buckets_to_get_bucket_tagging(fault_cloud: FaultCloud) -> None:
    proxy = fault_cloud.proxy(ProxyOptions(loop_pages=("GetResources",)))
    found = by_name(scan(proxy.url))
    assert found["fa-tagged"].tags == (("data-class", "us-user-data"),)
    assert found["fa-eu"].tags == () and not found["fa-eu"].tags_unknown  # read one by one, not assumed


def test_one_malformed_entry_is_that_entrys_gap_only(fault_cloud: FaultCloud) -> None:
    proxy = fault_cloud.proxy(ProxyOptions(malform=("list-buckets", "accounts", "tags=fa-tagged",
                                                    "replication=fa-us", "mrap=fa-us")))
    inventory = scan(proxy.url, AwsOptions(organization=True))
    reasons = [gap.reason for gap in inventory.account_gaps]
    assert any("ListBuckets answered an entry without a bucket name" in r for r in reasons)
    assert any("ListAccounts answered an account entry without a 12-digit Id" in r for r in reasons)
    found = by_name(inventory)
    # A tag without a value: that bucket's tags are read with GetBucketTagging instead.
    assert found["fa-tagged"].tags == (("data-class", "us-user-data"),) and not found["fa-tagged"].gaps
    replicas = [p for p in found["fa-us"].placements if p.kind is PlacementKind.REPLICA]
    no_destination = [p for p in replicas if "names no destination bucket" in p.reason]
    assert len(no_destination) == 1 and no_destination[0].region is None
    assert any(p.region == "ap-southeast-1" and "malformed-mrap" in p.reason for p in replicas)
    assert found["fa-us"].placements[0].region == "us-east-1"  # its own location is unaffected
    assert found["fa-eu"].placements[0].region == "eu-west-1" and not found["fa-eu"].gaps


def test_the_retry_settings_reach_every_call(fault_cloud: FaultCloud) -> None:
    """The cap itself is a unit test (botocore's backoff makes ten attempts take a minute)."""
    proxy = fault_cloud.proxy(ProxyOptions(throttle_buckets=(THROTTLED,)))
    found = by_name(scan(proxy.url, env={"AWS_MAX_ATTEMPTS": "3", "AWS_RETRY_MODE": "standard"}))
    throttled = stats(proxy)["throttled"]
    assert isinstance(throttled, dict)
    assert throttled[THROTTLED] == 3  # one call, three attempts, then nothing more is asked of it
    assert any("SlowDown" in gap.reason for gap in found[THROTTLED].gaps)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("AWS_RETRY_MODE", "bogus", "AWS_RETRY_MODE is 'bogus': set it to legacy, standard or adaptive"),
    ("AWS_MAX_ATTEMPTS", "many", "AWS_MAX_ATTEMPTS is 'many': set it to a whole number from 1 to 10"),
    ("AWS_MAX_ATTEMPTS", "٣", "AWS_MAX_ATTEMPTS is '٣'"),
    ("AWS_ENDPOINT_URL_S3", "not a url", "AWS_ENDPOINT_URL_S3 is 'not a url', not an http(s) URL"),
])
def test_a_bad_aws_setting_is_a_configuration_error(
    fault_cloud: FaultCloud, tmp_path: Path, name: str, value: str, message: str,
) -> None:
    from residency.sources.contract import SourceError

    with pytest.raises(SourceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        scan(fault_cloud.upstream.url, env={name: value})


def test_a_configuration_error_is_one_redacted_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    from residency.cli import main
    from scripts.localcloud.services import free_port

    policy = tmp_path / "policy.yaml"
    policy.write_text("policies:\n  - id: p\n    title: p\n    description: p\n    severity: high\n"
                      "    scope:\n      providers: [aws]\n    allowed: {countries: [US]}\n")
    endpoint = f"http://scanner:FAKE-PASS-stderr1@127.0.0.1:{free_port()}"  # nothing listens: STS fails
    for name, value in {**client_env(endpoint), "AWS_MAX_ATTEMPTS": "1"}.items():
        monkeypatch.setenv(name, value)
    code = main(["scan", "--policy", str(policy), "--provider", "aws", "--allow-incomplete",
                 "--format", "json", "--output", str(tmp_path / "out.json")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith("residency: error: aws: ") and "EndpointConnectionError" in err
    assert "FAKE-PASS-stderr1" not in err and "http://***@127.0.0.1:" in err


def test_a_denied_replication_read_is_reported_as_an_unknown_replica_not_an_unknown_primary(
    fault_cloud: FaultCloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The gap is on the replicas facet: text, Markdown and CSV say the replica is unknown and never the
    primary, whose region the snapshot keeps. (Showing the known primary region in the unverifiable
    finding itself is the engine's choice of locations: see the report to the lead.)"""
    from residency.cli import main

    proxy = fault_cloud.proxy(ProxyOptions(deny_subresources=("replication",)))
    policy = tmp_path / "policy.yaml"
    policy.write_text("policies:\n  - id: us-data\n    title: us\n    description: us\n    severity: high\n"
                      "    scope:\n      providers: [aws]\n      names: [fa-tagged]\n    allowed: {countries: [US]}\n")
    for name, value in {**client_env(proxy.url), "AWS_MAX_ATTEMPTS": "1"}.items():
        monkeypatch.setenv(name, value)
    outputs = {fmt: tmp_path / f"report.{fmt}" for fmt in ("text", "markdown", "csv")}
    arguments = [arg for fmt, path in outputs.items() for arg in ("--format", fmt, "--output", str(path))]
    snapshot = tmp_path / "inventory.json"
    assert main(["scan", "--policy", str(policy), "--provider", "aws", "--inventory-out", str(snapshot),
                 *arguments]) == 3  # unverifiable
    lines = {fmt: [line for line in path.read_text().splitlines() if "fa-tagged" in line]
             for fmt, path in outputs.items()}
    assert [" ".join(line.split()) for line in lines["text"]] == [
        "unverifiable high us-data location-unverifiable aws:fa-tagged ? (?) replica"]
    assert "| replica unknown region (unknown) |" in lines["markdown"][0]
    assert ",s3-bucket,replica,unknown,unknown,replication configuration: GetBucketReplication: AccessDenied" in \
        lines["csv"][0]
    assert not [line for fmt in lines for line in lines[fmt] if "primary" in line.lower()]
    (resource,) = [r for r in json.loads(snapshot.read_text())["resources"] if r["name"] == "fa-tagged"]
    assert resource["placements"][0]["kind"] == "primary" and resource["placements"][0]["region"] == "us-west-2"
    assert [gap["facet"] for gap in resource["gaps"]] == ["replicas"]
