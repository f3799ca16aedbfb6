"""The AWS part of the catalog against the region list botocore ships (endpoints.json, partitions.json).

A region AWS adds reaches botocore first; this test then fails, so the catalog is updated
instead of the new region being reported as unknown at scan time.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.loaders import create_loader

from residency.catalog import LocationType, load_catalog
from residency.inventory.model import Provider

CATALOG = load_catalog()
_LOADER = create_loader()


def _is_real_region(code: str) -> bool:
    return not code.endswith("-global")  # aws-global, aws-cn-global ...: endpoint aliases, not places


def _botocore_regions() -> dict[str, str]:
    """region -> partition id, from both data files botocore ships."""
    regions: dict[str, str] = {}
    partitions: Any = _LOADER.load_data("partitions")
    for partition in partitions["partitions"]:
        regions.update({code: partition["id"] for code in partition["regions"] if _is_real_region(code)})
    endpoints: Any = _LOADER.load_data("endpoints")
    for partition in endpoints["partitions"]:
        regions.update({code: partition["partition"] for code in partition["regions"] if _is_real_region(code)})
    return regions


BOTOCORE_REGIONS = _botocore_regions()


def test_botocore_ships_the_partitions_the_catalog_expects() -> None:
    assert {"aws", "aws-us-gov", "aws-cn", "aws-eusc"} <= set(BOTOCORE_REGIONS.values())


@pytest.mark.parametrize("code", sorted(BOTOCORE_REGIONS))
def test_every_region_botocore_knows_is_in_the_catalog_with_its_partition(code: str) -> None:
    location = CATALOG.lookup(Provider.AWS, code)
    assert location is not None, f"AWS region {code} is in botocore but not in residency/catalog/data/aws.yaml"
    assert location.partition == BOTOCORE_REGIONS[code]
    assert location.type is LocationType.REGION


def test_every_catalog_region_is_one_botocore_knows() -> None:
    regions = {loc.code for loc in CATALOG.select(Provider.AWS) if loc.type is LocationType.REGION}
    assert regions - set(BOTOCORE_REGIONS) == set()


def test_catalog_names_are_botocore_descriptions() -> None:
    partitions: Any = _LOADER.load_data("partitions")
    for partition in partitions["partitions"]:
        for code, meta in partition["regions"].items():
            location = CATALOG.lookup(Provider.AWS, code)
            if location is not None:
                assert location.name.lower() == meta["description"].lower(), code
