"""Load policy files: read safely, parse YAML with lines, check structure, text and meaning, build.

`load_policies(paths, catalog)` is the one entry point; every problem is a one-line
`PolicyError` naming the file, the line, the JSON path and the fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from residency.catalog.types import Catalog
from residency.errors import PolicyError
from residency.policy.build import build_policy
from residency.policy.files import PolicyFile, find_policy_files, read_policy_file
from residency.policy.model import Policy, PolicySet
from residency.policy.plaintext import check_text
from residency.policy.positions import PolicyLines
from residency.policy.semantic import check_policy
from residency.policy.structure import check_structure
from residency.policy.yamltree import parse_yaml

__all__ = ["load_policies"]


def load_policies(paths: Sequence[str | Path], catalog: Catalog) -> PolicySet:
    """Every policy of the given files and directories (see files.find_policy_files), in order."""
    policies: list[Policy] = []
    digests: list[tuple[str, str]] = []
    first_seen: dict[str, Policy] = {}
    for shown, path in find_policy_files(paths):
        policy_file = read_policy_file(shown, path)
        digests.append((policy_file.name, policy_file.sha256))
        for index, policy in _parse_file(policy_file, catalog):
            earlier = first_seen.setdefault(policy.id, policy)
            if earlier is not policy:
                raise PolicyError(
                    f"{policy.source.file}:{policy.source.line} at policies[{index}].id: duplicate "
                    f"policy id '{policy.id}' (also at {earlier.source.file}:{earlier.source.line}); "
                    "ids must be unique across all policy files, rename one"
                )
            policies.append(policy)
    return PolicySet(tuple(policies), tuple(digests))


def _parse_file(policy_file: PolicyFile, catalog: Catalog) -> list[tuple[int, Policy]]:
    """(index in the file, policy) for every policy of one file, fully checked."""
    document = parse_yaml(policy_file.text, policy_file.name)
    if document.data is None:
        raise PolicyError(f"{policy_file.name}: is empty, so it holds no policy; "
                          "add a 'policies:' list (see 'residency schema')")
    where = PolicyLines(policy_file.name, document.lines)
    check_structure(document.data, where)
    check_text(document.data, where)
    built = []
    for index, raw in enumerate(document.data["policies"]):
        path = ("policies", index)
        check_policy(raw, path, where, catalog)
        built.append((index, build_policy(raw, path, where)))
    return built
