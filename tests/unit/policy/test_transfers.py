"""`transfers:` in a policy: parsed, paths made relative to the policy file, map kept in order."""

from __future__ import annotations

from residency.policy.loader import load_policies
from residency.policy.model import Transfer

POLICY = """\
policies:
  - id: us-user-data
    title: US users' data stays in the United States
    description: Private data of US users is stored only in the US.
    severity: high
    scope: {providers: [aws, azure]}
    allowed: {countries: [US]}
    transfers:
      - from: [reports/eu-old/manifest.json, s3://eu-bucket]
        to: azure://usaccount/uploads
        map: {"eu/users/": "users/", "eu/": ""}
      - from: gs://eu-bucket/inventory_reports/x_manifest.json
        to: https://usaccount.blob.core.windows.net/inventory/2026/01/06/03-00-00/r/r-manifest.json#uploads
"""


def test_transfers_are_parsed_with_paths_relative_to_the_policy_file(tmp_path, catalog) -> None:
    path = tmp_path / "policies" / "us.yaml"
    path.parent.mkdir()
    path.write_text(POLICY)
    (policy,) = load_policies([path], catalog).policies
    first, second = policy.transfers
    assert first == Transfer(
        sources=(str(path.parent / "reports/eu-old/manifest.json"), "s3://eu-bucket"),
        destination="azure://usaccount/uploads", prefix_map=(("eu/users/", "users/"), ("eu/", "")),
        source=first.source)
    assert first.source.line == 9 and second.source.line == 12
    assert second.sources == ("gs://eu-bucket/inventory_reports/x_manifest.json",)


def test_a_policy_without_transfers_has_none(tmp_path, catalog) -> None:
    path = tmp_path / "us.yaml"
    path.write_text(POLICY.split("    transfers:")[0])
    assert load_policies([path], catalog).policies[0].transfers == ()
