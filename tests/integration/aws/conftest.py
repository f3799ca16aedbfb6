"""moto's real server plus the project's proxies, one set per xdist worker, and two full scans.

    moto  <-  proxy "moto shapes" (directory buckets, Local Zones, MRAP regions, retention,
                                   SlowDown for one bucket; ListBuckets as moto gives it)
          <-  proxy "bucket region" (adds ListBuckets BucketRegion and 4-bucket pages)
    <-  proxy "no tagging API" (tag:GetResources and directory buckets' ListTagsForResource
                                answer AccessDenied)

The estate is seeded through the outer proxy (both proxies learn bucket regions from it).
Scan A runs through the inner proxy with defaults (O(1) probes); scan B through the outer one
with `--deep` and an accounts file; scan C like A without the Tagging API. Every call of every
scan goes through a botocore hook that refuses anything but Get*/List*/Head*/Describe* (and
AssumeRole) and records what was called.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from residency.catalog import load_catalog
from residency.engine.needs import PolicyNeeds
from residency.inventory.model import Inventory
from residency.sources.aws.adapter import AwsAdapter
from residency.sources.aws.options import AwsOptions
from residency.sources.contract import CommonOptions
from scripts.localcloud.aws.moto_server import ProxyOptions, client_env, start_datastores, start_moto, start_proxy
from scripts.localcloud.aws.proxy import STATS_PATH
from scripts.localcloud.aws.seed import SCAN_ROLE, identity_setup_actions
from scripts.localcloud.services import ServiceGroup
from tests.integration.aws import estate

READ_ONLY = re.compile(r"^(Get|List|Head|Describe)[A-Z]")
CREDENTIAL_ONLY = {("sts", "AssumeRole")}  # returns temporary credentials; changes nothing
MAX_ATTEMPTS = 3  # botocore attempts per call (AWS_MAX_ATTEMPTS), to keep the throttled bucket quick


class WriteAttempted(AssertionError):
    pass


@dataclass
class CallRecorder:
    """A botocore `before-parameter-build` hook: refuses writes, records (service, operation, bucket)."""

    calls: list[tuple[str, str, str | None]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def __call__(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        service, operation = model.service_model.service_name, model.name
        if not READ_ONLY.match(operation) and (service, operation) not in CREDENTIAL_ONLY:
            self.refused.append(f"{service}:{operation}")  # recorded too: the adapter turns errors into gaps
            raise WriteAttempted(f"the scan called {service}:{operation}, which is not a read")
        target = params.get("Bucket")
        if operation == "GetResources":  # which resource types: S3's bulk tags, or a regional kind's
            target = ",".join(params.get("ResourceTypeFilters") or [])
        self.calls.append((service, operation, target))


@dataclass
class CountingProgress:
    totals: dict[str, int] = field(default_factory=dict)  # a second begin() updates the label's total
    steps: dict[str, int] = field(default_factory=dict)

    def begun(self, suffix: str = "") -> int:
        return sum(n for label, n in self.totals.items() if label.endswith(suffix))

    def advanced(self, suffix: str = "") -> int:
        return sum(n for label, n in self.steps.items() if label.endswith(suffix))

    def begin(self, label: str, total: int | None) -> None:
        self.totals[label] = total or 0

    def advance(self, label: str, amount: int = 1) -> None:
        self.steps[label] = self.steps.get(label, 0) + amount


@dataclass(frozen=True)
class Scan:
    inventory: Inventory
    calls: list[tuple[str, str, str | None]]
    refused: list[str]
    throttled_requests: int
    progress: CountingProgress


@dataclass(frozen=True)
class AwsCloud:
    moto_shapes: str  # inner proxy URL
    bucket_region: str  # outer proxy URL
    no_tagging_api: str  # outer proxy URL whose Tagging API answers AccessDenied
    scanner: dict[str, str]
    admin: dict[str, str]
    accounts_file: Path


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def aws_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AwsCloud]:
    log_dir = tmp_path_factory.mktemp("aws-logs")
    with ServiceGroup(log_dir) as group:
        moto = start_moto(group, no_auth_actions=identity_setup_actions(len(estate.EXTRA_ACCOUNTS)))
        datastores = start_datastores(group, moto, enabled_regions=estate.REGIONAL_REGIONS)
        inner = start_proxy(group, moto, estate.proxy_options(datastores.url), name="aws-proxy-moto-shapes")
        outer = start_proxy(group, inner, ProxyOptions(bucket_region=True, list_page_size=4),
                            name="aws-proxy-bucket-region")
        no_tagging = start_proxy(group, inner, ProxyOptions(deny_tagging_api=True, deny_directory_bucket_tags=True),
                                 name="aws-proxy-no-tagging")
        identities = estate.seed(outer.url)
        accounts = log_dir / "accounts.txt"
        accounts.write_text(f"# accounts to scan\n123456789012\n{estate.PARTNER}\n{estate.LOCKED_OUT}  # denied\n")
        yield AwsCloud(inner.url, outer.url, no_tagging.url, identities.scanner, identities.admin, accounts)


def run_scan(cloud: AwsCloud, endpoint: str, options: tuple[CommonOptions, AwsOptions]) -> Scan:
    recorder, progress = CallRecorder(), CountingProgress()
    throttled_before = throttled_requests(cloud)
    env = {**client_env(endpoint, credentials=cloud.scanner), "AWS_MAX_ATTEMPTS": str(MAX_ATTEMPTS)}
    with environment(env):
        adapter = AwsAdapter(options[0], options[1], [("before-parameter-build", recorder)])
        inventory = adapter.collect(PolicyNeeds(estate.policies(), load_catalog()), progress)
    return Scan(inventory, recorder.calls, recorder.refused, throttled_requests(cloud) - throttled_before, progress)


def throttled_requests(cloud: AwsCloud) -> int:
    """How many requests for the throttled bucket the inner proxy answered with SlowDown."""
    with urllib.request.urlopen(f"{cloud.moto_shapes}{STATS_PATH}") as response:
        return int(json.load(response)["throttled"].get(estate.THROTTLED, 0))


@pytest.fixture(scope="session")
def scan_a(aws_cloud: AwsCloud) -> Scan:
    """moto's own ListBuckets (no BucketRegion), default probes, the caller's account only."""
    return run_scan(aws_cloud, aws_cloud.moto_shapes, (CommonOptions(max_workers=8), AwsOptions()))


@pytest.fixture(scope="session")
def scan_b(aws_cloud: AwsCloud) -> Scan:
    """BucketRegion with 4-bucket pages, `--deep`, three accounts from a file (one denied)."""
    options = (CommonOptions(deep=True, max_workers=8), AwsOptions(accounts_file=str(aws_cloud.accounts_file),
                                                                               org_role=SCAN_ROLE))
    return run_scan(aws_cloud, aws_cloud.bucket_region, options)


@pytest.fixture(scope="session")
def scan_c(aws_cloud: AwsCloud) -> Scan:
    """Like scan A, but the Tagging API answers AccessDenied: tags are read bucket by bucket;
    and directory buckets' tags cannot be read at all."""
    return run_scan(aws_cloud, aws_cloud.no_tagging_api, (CommonOptions(max_workers=8), AwsOptions()))
