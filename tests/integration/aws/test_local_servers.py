"""The proxy's answers, read by plain boto3: the shapes moto lacks are the real API's shapes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from residency.sources.aws.session import strip_account_host_on_custom_endpoint
from tests.integration.aws import estate
from tests.integration.aws.conftest import AwsCloud

ONE_ATTEMPT = Config(retries={"mode": "standard", "total_max_attempts": 1})


def client(cloud: AwsCloud, service: str, endpoint: str, region: str = "us-east-1") -> Any:
    session = boto3.Session(aws_access_key_id=cloud.admin["AWS_ACCESS_KEY_ID"],
                            aws_secret_access_key=cloud.admin["AWS_SECRET_ACCESS_KEY"], region_name=region)
    made = session.client(service, endpoint_url=endpoint, config=ONE_ATTEMPT)
    if service == "s3control":
        strip_account_host_on_custom_endpoint(made)
    return made


def test_list_buckets_gains_bucket_region_and_real_pagination(aws_cloud: AwsCloud) -> None:
    s3 = client(aws_cloud, "s3", aws_cloud.bucket_region)
    first = s3.list_buckets(MaxBuckets=100)
    assert len(first["Buckets"]) == 4 and first["ContinuationToken"]
    names, token = [], None
    while True:
        page = s3.list_buckets(MaxBuckets=100, **({"ContinuationToken": token} if token else {}))
        names += [(b["Name"], b["BucketRegion"]) for b in page["Buckets"]]
        token = page.get("ContinuationToken")
        if not token:
            break
    assert ("us-east-plain", "us-east-1") in names and ("emptied-eu", "eu-north-1") in names
    assert len(names) == len(set(names))
    plain = client(aws_cloud, "s3", aws_cloud.moto_shapes).list_buckets(MaxBuckets=100)
    assert "ContinuationToken" not in plain and all("BucketRegion" not in b for b in plain["Buckets"])


def test_directory_buckets_are_listed_per_region(aws_cloud: AwsCloud) -> None:
    west = client(aws_cloud, "s3", aws_cloud.moto_shapes, "us-west-2").list_directory_buckets(MaxDirectoryBuckets=10)
    assert [(b["Name"], b["BucketRegion"]) for b in west["Buckets"]] == [("lab--usw2-lax9-az1--x-s3", "us-west-2")]


def test_directory_bucket_tags_are_served_by_s3_control(aws_cloud: AwsCloud) -> None:
    arn = "arn:aws:s3express:us-east-1:123456789012:bucket/edge--use1-qro1-az1--x-s3"
    s3control = client(aws_cloud, "s3control", aws_cloud.moto_shapes)
    tags = s3control.list_tags_for_resource(AccountId="123456789012", ResourceArn=arn)["Tags"]
    assert tags == [{"Key": "data-class", "Value": "us-user-data"}]
    untagged = arn.replace("edge--use1-qro1-az1", "std--use1-az1")
    assert s3control.list_tags_for_resource(AccountId="123456789012", ResourceArn=untagged)["Tags"] == []
    denied = client(aws_cloud, "s3control", aws_cloud.no_tagging_api)
    with pytest.raises(ClientError, match="AccessDenied"):
        denied.list_tags_for_resource(AccountId="123456789012", ResourceArn=arn)


def test_local_zones_are_described_and_ordinary_zones_still_come_from_moto(aws_cloud: AwsCloud) -> None:
    ec2 = client(aws_cloud, "ec2", aws_cloud.moto_shapes, "us-west-2")
    [zone] = ec2.describe_availability_zones(ZoneIds=["usw2-lax9-az1"], AllAvailabilityZones=True)["AvailabilityZones"]
    assert (zone["ZoneType"], zone["RegionName"], zone["GroupName"]) == ("local-zone", "us-west-2", "us-west-2-lax-9")
    east = client(aws_cloud, "ec2", aws_cloud.moto_shapes)
    [az] = east.describe_availability_zones(ZoneIds=["use1-az1"])["AvailabilityZones"]
    assert (az["ZoneType"], az["RegionName"]) == ("availability-zone", "us-east-1")


def test_mrap_members_carry_their_own_regions(aws_cloud: AwsCloud) -> None:
    control = client(aws_cloud, "s3control", aws_cloud.moto_shapes, "us-west-2")
    [point] = control.list_multi_region_access_points(AccountId="123456789012")["AccessPoints"]
    assert sorted((r["Bucket"], r["Region"]) for r in point["Regions"]) == [
        ("mrap-eu", "eu-west-1"), ("mrap-us", "us-east-1")]


def test_object_retention_has_the_real_shape(aws_cloud: AwsCloud) -> None:
    s3 = client(aws_cloud, "s3", aws_cloud.moto_shapes)
    [version] = s3.list_object_versions(Bucket="eu-locked")["Versions"]
    retention = s3.get_object_retention(Bucket="eu-locked", Key="evidence.mp4", VersionId=version["VersionId"])
    assert retention["Retention"]["Mode"] == "COMPLIANCE"
    assert retention["Retention"]["RetainUntilDate"] > dt.datetime.now(dt.UTC) + dt.timedelta(days=300)
    with pytest.raises(ClientError) as raised:
        s3.get_object_retention(Bucket="legacy-archive", Key="clip.mp4")
    assert raised.value.response["Error"]["Code"] == "NoSuchObjectLockConfiguration"


def test_throttled_bucket_answers_slow_down_to_reads_only(aws_cloud: AwsCloud) -> None:
    s3 = client(aws_cloud, "s3", aws_cloud.moto_shapes)
    with pytest.raises(ClientError) as raised:
        s3.get_bucket_tagging(Bucket=estate.THROTTLED)
    assert raised.value.response["Error"]["Code"] == "SlowDown"
