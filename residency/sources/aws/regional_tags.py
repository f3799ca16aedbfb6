"""Tags of regional resources whose listing has none (DynamoDB tables, ElastiCache replication
groups, log groups, Firehose streams), in bulk: one Tagging API listing per region.

The Tagging API lists tagged (or once-tagged) resources only, so a resource of a region whose
answer came back complete and does not list it is untagged. When a region's answer failed, its
resources' tags are unknown (a gap on the tags facet), never assumed empty.
"""

from __future__ import annotations

from residency.inventory.model import Tags, sorted_tags
from residency.sources.aws.estate import Estate
from residency.sources.aws.regional import list_all
from residency.sources.aws.tags import RESOURCES_PER_PAGE

_WHAT = "tags (Tagging API GetResources)"


def list_region(estate: Estate, region: str, services: tuple[str, ...]) -> None:
    """Remember the tags of every tagged resource of these services in the region."""
    def read() -> None:
        tagging = estate.client("resourcegroupstaggingapi", region)
        found: dict[str, Tags] = {}
        for mapping in list_all(tagging.get_resources, "ResourceTagMappingList", "tagged resources",
                                "PaginationToken", ResourceTypeFilters=list(services),
                                ResourcesPerPage=RESOURCES_PER_PAGE):
            tags = {str(t.get("Key", "")): str(t.get("Value", "")) for t in mapping.get("Tags", [])}
            found[str(mapping.get("ResourceARN", ""))] = sorted_tags(tags)
        estate.keep("tags", (region, found))

    estate.failures.guard(_WHAT, region, read)


def apply(estate: Estate, kinds: tuple[str, ...]) -> None:
    """Give every resource of these kinds its tags, () when its region answered without it."""
    answered: dict[str, dict[str, Tags]] = dict(estate.kept("tags"))
    failed = dict(estate.failures.by_what.get(_WHAT, []))
    tags = {arn: found for answer in answered.values() for arn, found in answer.items()}
    for draft in estate.of_kind(*kinds):
        region = draft.region or ""
        if draft.id in tags:
            draft.set_tags(dict(tags[draft.id]))
        elif region in answered:
            draft.set_tags({})
        else:
            draft.tags_unreadable("tags", f"tag:GetResources in {region}: {failed.get(region, 'not answered')}")
