"""`residency doctor` for AWS: who the credentials are, and whether the first reads of a scan work.

Read-only probes only: STS GetCallerIdentity, one page of ListBuckets, one page of the Tagging API
in the home region, and (with --aws-organization) one page of Organizations ListAccounts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from residency.inventory.kinds import reads_of
from residency.inventory.model import Provider
from residency.sources.aws.adapter import DEFAULT_HOME_REGION
from residency.sources.aws.errors import AWS_ERRORS, describe_error
from residency.sources.aws.options import AwsOptions
from residency.sources.aws.session import Clients, client_config, open_session
from residency.sources.contract import Check, CommonOptions, Diagnosis, ProviderOptions, SourceError
from residency.sources.endpoints import overridden_endpoints

_PERMISSION = {call.operation: call.permission for call in reads_of(Provider.AWS)}


def diagnose(common: CommonOptions, options: ProviderOptions) -> Diagnosis:
    if not isinstance(options, AwsOptions):
        raise SourceError(f"AWS options expected, got {type(options).__name__}")
    endpoints = overridden_endpoints(Provider.AWS)
    try:
        session = open_session(options.profile, options.region, ())
        clients = Clients(session, options.region or session.region_name or DEFAULT_HOME_REGION,
                          client_config(common.max_workers))
        identity = clients.get("sts").get_caller_identity()
    except SourceError as error:
        return Diagnosis(Provider.AWS, None, endpoints, (Check("credentials", False, str(error)),))
    except AWS_ERRORS as error:
        return Diagnosis(Provider.AWS, None, endpoints,
                         (Check("credentials (sts:GetCallerIdentity)", False, describe_error(error)),))
    probes: list[tuple[str, Callable[[], Any]]] = [
        ("s3:ListBuckets", lambda: clients.get("s3").list_buckets(MaxBuckets=1)),
        ("resourcegroupstaggingapi:GetResources",
         lambda: clients.get("resourcegroupstaggingapi").get_resources(ResourcesPerPage=1)),
    ]
    if options.organization:
        probes.append(("organizations:ListAccounts", lambda: clients.get("organizations").list_accounts()))
    checks = [Check("credentials (sts:GetCallerIdentity)", True, str(identity.get("Arn")))]
    checks += [_probe(operation, call) for operation, call in probes]
    return Diagnosis(Provider.AWS, str(identity.get("Arn")), endpoints, tuple(checks))


def _probe(operation: str, call: Callable[[], Any]) -> Check:
    what = f"{operation} (needs {_PERMISSION.get(operation) or 'no permission'})"
    try:
        call()
    except AWS_ERRORS as error:
        return Check(what, False, describe_error(error))
    return Check(what, True, "allowed")
