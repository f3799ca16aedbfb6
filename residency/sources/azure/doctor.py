"""`residency doctor` for Azure: whether the credential works, which subscriptions, one account listing."""

from __future__ import annotations

from azure.core.exceptions import AzureError

from residency.inventory.model import Provider
from residency.sources.azure.clients import AzureClients
from residency.sources.azure.errors import describe_error
from residency.sources.azure.options import AzureOptions
from residency.sources.contract import Check, CommonOptions, Diagnosis, ProviderOptions, SourceError
from residency.sources.endpoints import overridden_endpoints


def diagnose(common: CommonOptions, options: ProviderOptions) -> Diagnosis:
    del common
    if not isinstance(options, AzureOptions):
        raise SourceError(f"Azure options expected, got {type(options).__name__}")
    endpoints = overridden_endpoints(Provider.AZURE)
    clients = AzureClients.from_env()
    try:
        try:
            subscriptions = list(options.subscriptions) or [
                str(s.subscription_id) for s in clients.subscriptions().subscriptions.list()]
        except AzureError as error:
            check = Check("credential and subscriptions (Microsoft.Resources/subscriptions/read)", False,
                          describe_error(error))
            return Diagnosis(Provider.AZURE, None, endpoints, (check,))
        identity = "static local token" if clients.management_endpoint else "DefaultAzureCredential"
        checks = [Check("subscriptions (Microsoft.Resources/subscriptions/read)", bool(subscriptions),
                        f"{len(subscriptions)} subscription(s)" if subscriptions else "none can be listed")]
        for subscription in subscriptions[:3]:
            what = f"storage accounts in {subscription} (Microsoft.Storage/storageAccounts/read)"
            try:
                next(iter(clients.storage(subscription).storage_accounts.list()), None)
                checks.append(Check(what, True, "allowed"))
            except AzureError as error:
                checks.append(Check(what, False, describe_error(error)))
        return Diagnosis(Provider.AZURE, identity, endpoints, tuple(checks))
    finally:
        clients.close()
