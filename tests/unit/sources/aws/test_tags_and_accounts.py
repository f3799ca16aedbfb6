"""Tag inference across regional answers, and which accounts a run scans."""

from __future__ import annotations

from pathlib import Path

import pytest

from residency.sources.aws.accounts import (
    AccountTarget,
    account_of_role,
    organization_targets,
    partition_of_arn,
    read_accounts_file,
)
from residency.sources.aws.tags import TagIndex
from residency.sources.contract import SourceError

US = (("data-class", "us-user-data"),)


def test_a_bucket_missing_from_its_own_regions_answer_is_untagged() -> None:
    index = TagIndex("aws")
    index.learn_region("a", "us-east-1")
    index.learn_region("b", "eu-west-1")
    index.record_answer("us-east-1", {})
    assert index.tags_of("a") == ()
    assert index.tags_of("b") is None  # eu-west-1 not asked yet
    assert index.regions_to_ask() == ["eu-west-1"]
    index.record_answer("eu-west-1", {"b": US})
    assert index.tags_of("b") == US
    assert not index.answers_globally


def test_a_bucket_reported_by_another_regions_answer_proves_a_global_answer() -> None:
    index = TagIndex("aws")
    index.record_answer("us-east-1", {"eu-bucket": US})
    assert index.tags_of("unseen") is None
    index.learn_region("eu-bucket", "eu-west-1")  # located later: not where the answer came from
    assert index.answers_globally
    assert index.tags_of("unseen") == ()


def test_a_failed_region_leaves_its_buckets_unknown() -> None:
    index = TagIndex("aws")
    index.learn_region("a", "ap-south-1")
    index.failed["ap-south-1"] = "tag:GetResources in ap-south-1: AccessDenied"
    assert index.tags_of("a") is None
    assert index.regions_to_ask() == []


def test_accounts_file_ids_role_arns_comments_and_the_caller(tmp_path: Path) -> None:
    path = tmp_path / "accounts.txt"
    path.write_text(
        "# production\n111111111111\n\narn:aws:iam::222222222222:role/Audit  # audit role\n"
        "123456789012\n111111111111\n"
    )
    targets = read_accounts_file(str(path), "Scanner", "aws", caller="123456789012")
    assert targets == [
        AccountTarget("111111111111", "arn:aws:iam::111111111111:role/Scanner"),
        AccountTarget("222222222222", "arn:aws:iam::222222222222:role/Audit"),
        AccountTarget("123456789012", None),  # the caller's own account: no role to assume
    ]


def test_accounts_file_errors_name_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "accounts.txt"
    path.write_text("111111111111\nprod-account\n")
    with pytest.raises(SourceError, match=r"accounts.txt:2: 'prod-account' is neither"):
        read_accounts_file(str(path), "Scanner", "aws", caller="1")
    with pytest.raises(SourceError, match="cannot read the accounts file"):
        read_accounts_file(str(tmp_path / "missing.txt"), "Scanner", "aws", caller="1")


@pytest.mark.parametrize("entry", [
    "١٢٣٤٥٦٧٨٩٠١٢",  # Arabic-Indic digits: str.isdigit() and \\d accept them
    "１２３４５６７８９０１２",  # full-width digits
    "arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:role/Audit",
    "arn:aws:iam::123456789012:role/Aüdit",  # IAM role names are ASCII
])
def test_accounts_file_entries_are_ascii(tmp_path: Path, entry: str) -> None:
    path = tmp_path / "accounts.txt"
    path.write_text(f"111111111111\n{entry}\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"accounts.txt:2: .* is neither a 12-digit account id nor an IAM role"):
        read_accounts_file(str(path), "Scanner", "aws", caller="1")


def test_organization_targets_use_the_partition_and_skip_the_role_for_the_caller() -> None:
    targets = organization_targets(["123456789012", "333333333333"], "OrgRole", "aws-us-gov", "123456789012")
    assert targets == [
        AccountTarget("123456789012", None),
        AccountTarget("333333333333", "arn:aws-us-gov:iam::333333333333:role/OrgRole"),
    ]


def test_role_arns_and_partitions() -> None:
    assert account_of_role("arn:aws:iam::444444444444:role/path/Reader") == "444444444444"
    with pytest.raises(SourceError, match="not an IAM role ARN"):
        account_of_role("arn:aws:iam::444444444444:user/bob")
    assert partition_of_arn("arn:aws-cn:sts::1:assumed-role/x") == "aws-cn"
