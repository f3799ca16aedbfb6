"""CloudWatch Logs subscriptions and Firehose delivery streams, followed to where the data lands.

Log groups and delivery streams are listed per region (DescribeLogGroups, ListDeliveryStreams);
their tags come from the Tagging API in bulk. For a log group whose copies a policy counts,
DescribeSubscriptionFilters names each destination: a Kinesis stream or a Lambda function (the
region in its ARN), a Firehose stream (its region, and the bucket or service it delivers to,
from DescribeDeliveryStream), or a Logs destination, which sits in the log group's region but
forwards to a stream that may be elsewhere (DescribeDestinations, once per region).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from residency.inventory.kinds.aws_datastores import FIREHOSE_STREAM, LOG_GROUP
from residency.inventory.model import Facet, Gap, PlacementKind
from residency.sources.aws.errors import AWS_ERRORS, describe_error
from residency.sources.aws.estate import Estate
from residency.sources.aws.regional import Arn, Draft, list_all
from residency.sources.paging import PagingCut, pages

_READ_ERRORS: tuple[type[Exception], ...] = (PagingCut, *AWS_ERRORS)

LOGS, FIREHOSE = "logs", "firehose"
Landing = tuple[str | None, str, str]  # (region, why, target id)
_MAX_HOPS = 4


def list_log_groups(estate: Estate, region: str) -> None:
    def read() -> None:
        for item in list_all(estate.client("logs", region).describe_log_groups, "logGroups", "log groups",
                             "nextToken"):
            with estate.reading(LOG_GROUP.id, region, item, "logGroupArn"):
                name = str(item.get("logGroupName", "?"))
                arn = str(item.get("logGroupArn") or str(item.get("arn", "")).removesuffix(":*")
                          or estate.arn("logs", region, f"log-group:{name}"))
                estate.found(Draft(LOG_GROUP.id, arn, name, estate.account, region, "log group region"))

    estate.failures.guard("log groups (DescribeLogGroups)", region, read)


def list_delivery_streams(estate: Estate, region: str) -> None:
    client = estate.client("firehose", region)

    def fetch(start: str | None) -> tuple[list[str], str | None]:
        answer = client.list_delivery_streams(Limit=100, **({"ExclusiveStartDeliveryStreamName": start} if start
                                                          else {}))
        names = [str(n) for n in answer.get("DeliveryStreamNames") or []]
        return names, names[-1] if answer.get("HasMoreDeliveryStreams") and names else None

    def read() -> None:
        for names in pages(fetch, "delivery streams"):
            for name in names:
                arn = estate.arn("firehose", region, f"deliverystream/{name}")
                estate.found(Draft(FIREHOSE_STREAM.id, arn, name, estate.account, region, "delivery stream region"))

    estate.failures.guard("Firehose delivery streams (ListDeliveryStreams)", region, read)


def complete(estate: Estate, pool: ThreadPoolExecutor) -> None:
    groups = [d for d in estate.of_kind(LOG_GROUP.id) if estate.wants(PlacementKind.DERIVED, d)]
    streams = [d for d in estate.of_kind(FIREHOSE_STREAM.id) if estate.wants(PlacementKind.DERIVED, d)]
    list(pool.map(lambda group: _subscriptions(estate, group), groups))
    list(pool.map(lambda stream: _delivers(estate, stream), streams))


def _subscriptions(estate: Estate, group: Draft) -> None:
    group.collected.add(Facet.COPIES)
    try:
        filters = list(list_all(estate.client("logs", group.region or "").describe_subscription_filters,
                                "subscriptionFilters", "subscription filters", "nextToken", logGroupName=group.name))
    except _READ_ERRORS as error:
        reason = error.reason if isinstance(error, PagingCut) else describe_error(error)
        group.gaps.append(Gap("subscription filters (DescribeSubscriptionFilters)", reason, Facet.COPIES))
        return
    for item in filters:
        name = f"subscription filter '{item.get('filterName', '?')}'"
        for region, why, target in follow(estate, str(item.get("destinationArn", "")), 0):
            group.add(PlacementKind.DERIVED, region, f"{name} sends its events to {why}", target)


def follow(estate: Estate, arn: str, hops: int) -> list[Landing]:
    """Every place the data sent to `arn` lands (a destination forwards; a Firehose delivers)."""
    parsed = Arn.parse(arn)
    if parsed is None:
        return [(None, f"{arn!r}, which is not an ARN", arn)]
    region = parsed.region or None
    if parsed.service == "kinesis":
        return [(region, f"Kinesis stream {parsed.resource.rpartition('/')[2]} in {region}", arn)]
    if parsed.service == "lambda":
        return [(region, f"Lambda function {parsed.resource.rpartition(':')[2]} in {region}", arn)]
    if parsed.service == "firehose":
        return [(region, f"Firehose stream {parsed.resource.rpartition('/')[2]} in {region}", arn),
                *_deliveries(estate, arn, parsed)]
    if parsed.service == "logs" and parsed.resource.startswith("destination:") and hops < _MAX_HOPS:
        return _destination(estate, arn, parsed, hops)
    return [(None, f"{arn}, a destination whose location is not known", arn)]


def _destination(estate: Estate, arn: str, parsed: Arn, hops: int) -> list[Landing]:
    name = parsed.resource.partition(":")[2]
    if parsed.account != estate.account:
        return [(None, f"Logs destination {name} of account {parsed.account}: where it forwards is not readable "
                 "from this account", arn)]
    targets = estate.once(("logs-destinations", parsed.region), lambda: _destinations(estate, parsed.region))
    if isinstance(targets, str):
        return [(None, f"Logs destination {name} in {parsed.region}: DescribeDestinations: {targets}", arn)]
    target = targets.get(name)
    if target is None:
        return [(None, f"Logs destination {name} in {parsed.region}, which DescribeDestinations does not list", arn)]
    return [(region, f"Logs destination {name} in {parsed.region}, which forwards to {why}", where)
            for region, why, where in follow(estate, target, hops + 1)]


def _destinations(estate: Estate, region: str) -> dict[str, str] | str:
    try:
        return {str(d.get("destinationName")): str(d.get("targetArn", ""))
                for d in list_all(estate.client("logs", region).describe_destinations, "destinations",
                                  "Logs destinations", "nextToken")}
    except _READ_ERRORS as error:
        return error.reason if isinstance(error, PagingCut) else describe_error(error)


def _deliveries(estate: Estate, arn: str, parsed: Arn) -> list[Landing]:
    name = parsed.resource.rpartition("/")[2]
    described = estate.once(("firehose", arn), lambda: _describe(estate, parsed.region, name))
    if isinstance(described, str):
        return [(None, f"what Firehose stream {name} delivers to (DescribeDeliveryStream: {described})", arn)]
    return [landing for destination in described for landing in _delivery(estate, name, destination)]


def _describe(estate: Estate, region: str, name: str) -> list[dict[str, Any]] | str:
    try:
        answer = estate.client("firehose", region).describe_delivery_stream(DeliveryStreamName=name)
    except AWS_ERRORS as error:
        return describe_error(error)
    return list((answer.get("DeliveryStreamDescription") or {}).get("Destinations") or [])


def _delivery(estate: Estate, stream: str, destination: dict[str, Any]) -> list[Landing]:
    s3 = destination.get("ExtendedS3DestinationDescription") or destination.get("S3DestinationDescription")
    if s3 and s3.get("BucketARN"):
        bucket = str(s3["BucketARN"]).rpartition(":")[2]
        located = estate.locate_bucket(bucket)
        where = f"in {located.region}" if located.region else f"({located.reason})"
        return [(located.region, f"bucket {bucket} {where}, delivered by Firehose stream {stream}",
                 str(s3["BucketARN"]))]
    for key in ("AmazonopensearchserviceDestinationDescription", "ElasticsearchDestinationDescription"):
        domain = (destination.get(key) or {}).get("DomainARN")
        parsed = Arn.parse(str(domain)) if domain else None
        if parsed is not None:
            return [(parsed.region or None, f"search domain {domain}, delivered by Firehose stream {stream}",
                     str(domain))]
    kinds = ", ".join(k.removesuffix("DestinationDescription") for k in destination if k.endswith("Description"))
    return [(None, f"a {kinds or 'destination'} whose location the API does not give, delivered by Firehose "
             f"stream {stream}", stream)]


def _delivers(estate: Estate, stream: Draft) -> None:
    stream.collected.add(Facet.COPIES)
    arn = Arn.parse(stream.id)
    if arn is None:
        return
    for region, why, target in _deliveries(estate, stream.id, arn):
        stream.add(PlacementKind.DERIVED, region, f"delivers to {why}", target)
