"""The AWS adapter: resolve which accounts to scan, then scan each one; failures become data."""

from __future__ import annotations

from collections.abc import Sequence

import boto3
from botocore.exceptions import ClientError, InvalidRegionError, NoCredentialsError, NoRegionError

from residency.catalog import load_catalog
from residency.inventory.model import AccountGap, Inventory, Provider, StorageResource
from residency.sources.aws.accounts import (
    AccountTarget,
    account_of_role,
    organization_accounts,
    organization_targets,
    partition_of_arn,
    read_accounts_file,
)
from residency.sources.aws.errors import AWS_ERRORS, describe_error
from residency.sources.aws.options import AwsOptions
from residency.sources.aws.scan import AccountScan
from residency.sources.aws.session import Clients, Hook, assumed_session, client_config, open_session
from residency.sources.contract import (
    CollectionPlan,
    CommonOptions,
    InventorySource,
    Progress,
    ProviderOptions,
    SourceError,
)

AWS = Provider.AWS
DEFAULT_HOME_REGION = "us-east-1"


class AwsAdapter:
    provider = AWS

    def __init__(self, common: CommonOptions, options: AwsOptions, hooks: Sequence[Hook] = ()) -> None:
        self.common = common
        self.options = options
        self.hooks: list[Hook] = list(hooks)  # botocore event hooks for every session (tests, benchmarks)
        self._config = client_config(common.max_workers)
        self.home = options.region or DEFAULT_HOME_REGION

    def collect(self, plan: CollectionPlan, progress: Progress) -> Inventory:
        if not plan.wants_provider(AWS):
            return Inventory(())
        base = open_session(self.options.profile, self.options.region, self.hooks)
        self.home = self.options.region or base.region_name or DEFAULT_HOME_REGION
        caller, partition = self._identity(base, "the configured AWS credentials")
        hub = base
        if self.options.assume_role:
            role = self.options.assume_role
            target = AccountTarget(account_of_role(role), role)
            try:
                hub = assumed_session(base, role, self.home, self.hooks)
                caller, partition = self._identity(hub, role, fatal=False)
            except AWS_ERRORS as error:
                return Inventory((), (AccountGap(AWS, target.account, _assume_failed(role, error)),))
        targets, gaps = self._targets(hub, caller, partition)
        resources: list[StorageResource] = []
        scanned: list[tuple[str, str]] = []
        for target in targets:
            if not plan.wants_account(AWS, target.account):
                continue
            found, account_gaps, entered = self._scan_account(hub, target, partition, plan, progress)
            resources += found
            gaps += account_gaps
            if entered:
                scanned.append((AWS.value, target.account))
        return Inventory(tuple(resources), tuple(gaps), tuple(scanned), "scan")

    def _identity(self, session: boto3.Session, what: str, fatal: bool = True) -> tuple[str, str]:
        """(account id, partition) of the session's credentials."""
        try:
            identity = Clients(session, self.home, self._config).get("sts").get_caller_identity()
        except (NoCredentialsError, NoRegionError) as error:
            raise SourceError(
                f"no usable AWS credentials ({error}); configure the standard AWS chain "
                "(AWS_PROFILE, environment variables, SSO, instance role) or pass --aws-profile"
            ) from None
        except InvalidRegionError as error:
            raise SourceError(f"{error}; fix --aws-region, AWS_REGION or the profile's region") from None
        except AWS_ERRORS as error:
            if not fatal:
                raise
            verb = "were rejected by" if isinstance(error, ClientError) else "could not be checked with"
            raise SourceError(f"{what} {verb} STS GetCallerIdentity ({describe_error(error)})") from None
        return str(identity["Account"]), partition_of_arn(str(identity["Arn"]))

    def _targets(
        self, hub: boto3.Session, caller: str, partition: str
    ) -> tuple[list[AccountTarget], list[AccountGap]]:
        options = self.options
        targets: list[AccountTarget] = []
        gaps: list[AccountGap] = []
        if options.accounts_file:
            targets += read_accounts_file(options.accounts_file, options.org_role, partition, caller)
        if options.organization:
            try:
                accounts, problems = organization_accounts(Clients(hub, self.home, self._config).get("organizations"))
            except AWS_ERRORS as error:
                reason = f"Organization accounts could not be listed (ListAccounts: {describe_error(error)})"
                accounts, problems = [caller], [reason]
            gaps += [AccountGap(AWS, caller, problem) for problem in problems]
            targets += organization_targets(accounts, options.org_role, partition, caller)
        if not targets:
            targets = [AccountTarget(caller, None)]
        unique = {t.account: t for t in reversed(targets)}
        return [unique[a] for a in dict.fromkeys(t.account for t in targets)], gaps

    def _scan_account(
        self, hub: boto3.Session, target: AccountTarget, partition: str, plan: CollectionPlan, progress: Progress,
    ) -> tuple[list[StorageResource], list[AccountGap], bool]:
        """(resources, gaps, whether the account could be entered at all)."""
        session = hub
        if target.role_arn is not None:
            try:
                session = assumed_session(hub, target.role_arn, self.home, self.hooks)
                self._identity(session, target.role_arn, fatal=False)
            except AWS_ERRORS as error:
                return [], [AccountGap(AWS, target.account, _assume_failed(target.role_arn, error))], False
        clients = Clients(session, self.home, self._config)
        scan = AccountScan(clients, target.account, partition, plan, self.common, load_catalog(), progress)
        resources, gaps = scan.run()
        return resources, gaps, True


def _assume_failed(role: str, error: Exception) -> str:
    return f"could not assume {role} ({describe_error(error)})"


def create(common: CommonOptions, options: ProviderOptions) -> InventorySource:
    if not isinstance(options, AwsOptions):
        raise SourceError(f"AWS options expected, got {type(options).__name__}")
    return AwsAdapter(common, options)
