"""The local datastore server's protocol layer: requests decoded and answers written with botocore's
service models, as the real services do."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse

import pytest
from botocore.awsrequest import AWSRequest
from botocore.model import ServiceModel

from scripts.localcloud.aws.datastores.protocol import ApiError, Call, decode, service_model
from scripts.localcloud.aws.datastores.render import ShapeError, encode, encode_error

AUTH = "AWS4-HMAC-SHA256 Credential=AKIA/20260101/{region}/{service}/aws4_request, SignedHeaders=host, Signature=x"


def request(service: str, operation: str, params: dict[str, object], region: str = "eu-west-1") -> Call:
    """Serialise the call exactly as botocore does, then decode it as the server does."""
    from botocore.serialize import create_serializer

    model: ServiceModel = service_model(service)
    operation_model = model.operation_model(operation)
    serialized = create_serializer(model.metadata["protocol"]).serialize_to_request(params, operation_model)
    body = serialized["body"]
    if isinstance(body, dict):
        body = urllib.parse.urlencode(body).encode()
    prepared = AWSRequest(method=serialized["method"], url=f"http://x{serialized['url_path']}", data=body,
                          headers=serialized["headers"], params=serialized.get("query_string") or {}).prepare()
    url = urllib.parse.urlsplit(prepared.url)
    headers = {k.lower(): v for k, v in prepared.headers.items()}
    headers["authorization"] = AUTH.format(region=region, service=model.metadata.get("signingName") or service)
    target = url.path + (f"?{url.query}" if url.query else "")
    call = decode(prepared.method, target, headers, prepared.body or b"", "123456789012")
    assert call is not None
    return call


def test_a_query_request_with_nested_lists_is_decoded_as_it_was_written() -> None:
    params = {"SourceDBInstanceArn": "arn:aws:rds:us-east-1:1:db:x", "BackupRetentionPeriod": 7,
              "Tags": [{"Key": "data-class", "Value": "us"}, {"Key": "team", "Value": "video"}]}
    call = request("rds", "StartDBInstanceAutomatedBackupsReplication", params)
    assert (call.name, call.params, call.region) == ("StartDBInstanceAutomatedBackupsReplication", params, "eu-west-1")


def test_an_ec2_request_is_decoded_with_its_own_list_convention() -> None:
    call = request("ec2", "CopySnapshot", {"SourceSnapshotId": "snap-1", "SourceRegion": "us-east-1",
                                           "TagSpecifications": [{"ResourceType": "snapshot",
                                                                  "Tags": [{"Key": "Name", "Value": "n"}]}]})
    assert call.params["TagSpecifications"][0]["Tags"] == [{"Key": "Name", "Value": "n"}]


def test_a_rest_json_request_is_routed_by_its_path() -> None:
    call = request("backup", "GetBackupSelection", {"BackupPlanId": "plan-1", "SelectionId": "sel-1"})
    assert (call.name, call.params) == ("GetBackupSelection", {"BackupPlanId": "plan-1", "SelectionId": "sel-1"})
    listed = request("backup", "ListRecoveryPointsByBackupVault", {"BackupVaultName": "london", "MaxResults": 5})
    assert listed.params == {"BackupVaultName": "london", "MaxResults": 5}


def test_an_answer_with_a_member_the_model_does_not_have_is_refused() -> None:
    call = request("dynamodb", "DescribeTable", {"TableName": "t"})
    with pytest.raises(ShapeError, match="no member 'Replica'"):
        encode(call, {"Table": {"TableName": "t", "Replica": []}})
    with pytest.raises(ShapeError, match="is not one of"):
        encode(call, {"Table": {"TableName": "t", "TableStatus": "SLEEPING"}})


def test_answers_and_errors_in_each_protocol() -> None:
    described = encode(request("dynamodb", "DescribeTable", {"TableName": "t"}),
                       {"Table": {"TableName": "t", "CreationDateTime": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}})
    assert json.loads(described[2]) == {"Table": {"TableName": "t", "CreationDateTime": 1767225600.0}}
    xml = encode(request("rds", "DescribeDBSnapshots", {}), {"DBSnapshots": [{"DBSnapshotIdentifier": "s",
                                                                               "SourceRegion": "us-east-1"}]})[2]
    assert b"<DBSnapshots><DBSnapshot><DBSnapshotIdentifier>s</DBSnapshotIdentifier>" in xml
    assert b"<DescribeDBSnapshotsResult>" in xml
    regions = encode(request("ec2", "DescribeRegions", {}), {"Regions": [{"RegionName": "us-east-1"}]})[2]
    assert b"<regionInfo><item><regionName>us-east-1</regionName></item></regionInfo>" in regions
    status, headers, body = encode_error(request("backup", "ListBackupVaults", {}), ApiError("X", "no", 404))
    assert status == 404 and ("x-amzn-ErrorType", "X") in headers and json.loads(body) == {"message": "no"}


def test_a_request_of_another_service_is_not_decoded() -> None:
    headers = {"authorization": AUTH.format(region="us-east-1", service="s3")}
    assert decode("GET", "/", headers, b"", "1") is None


def test_owned_snapshots_only_and_the_copy_description_aws_writes() -> None:
    from scripts.localcloud.aws.datastores import ec2
    from scripts.localcloud.aws.datastores.state import Store

    store = Store()
    copy = request("ec2", "CopySnapshot", {"SourceSnapshotId": "snap-1", "SourceRegion": "us-east-1"})
    ec2.snapshot_copied(store, copy, {"SnapshotId": "snap-2"})
    listing = request("ec2", "DescribeSnapshots", {"OwnerIds": ["self"]})
    answer = ec2.describe_snapshots(store, listing, {"Snapshots": [
        {"SnapshotId": "snap-2", "OwnerId": "123456789012", "VolumeId": "vol-1", "Description": ""},
        {"SnapshotId": "snap-9", "OwnerId": "801119661308", "Description": "an Amazon image's public snapshot"}]})
    assert answer["Snapshots"] == [{"SnapshotId": "snap-2", "OwnerId": "123456789012", "VolumeId": "vol-ffffffff",
                                    "Description": "[Copied snap-1 from us-east-1]"}]
