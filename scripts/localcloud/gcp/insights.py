"""Storage Insights inventory report configurations for the local GCS server (v1 REST shapes).

- `POST /v1/projects/P/locations/L/reportConfigs` creates a ReportConfig (it gets a UUID name),
- `GET  /v1/projects/P/locations/L/reportConfigs` lists them,
- `GET  /v1/projects/P/locations/L/reportConfigs/ID/reportDetails` lists the reports: like the
  service, one per `ID_SNAPSHOT_manifest.json` present in the destination, read from it.

The server never writes reports itself; scripts/localcloud/inventory_reports.py does, as the
service would.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from scripts.localcloud.gcp.model import ApiError, Store, project_number

JsonDict = dict[str, Any]
_MANIFEST = re.compile(r"^(?P<prefix>.*?(?P<id>[0-9a-f-]{36})_(?P<snapshot>[^/_]+)_)manifest\.json$")


def _matches(config: JsonDict, project: str, location: str) -> bool:
    owner, _, rest = config["name"].removeprefix("projects/").partition("/locations/")
    return rest.split("/", 1)[0] == location.lower() and project in (owner, project_number(owner))


def create_config(store: Store, project: str, location: str, body: JsonDict) -> JsonDict:
    config = dict(body)
    config["name"] = f"projects/{project}/locations/{location.lower()}/reportConfigs/{uuid.uuid4()}"
    with store.lock:
        store.report_configs[config["name"]] = config
    return config


def list_configs(store: Store, project: str, location: str) -> JsonDict:
    with store.lock:
        found = [c for c in store.report_configs.values() if _matches(c, project, location)]
    return {"reportConfigs": found}


def list_details(store: Store, project: str, location: str, config_id: str) -> JsonDict:
    with store.lock:
        configs = [c for c in store.report_configs.values()
                   if _matches(c, project, location) and c["name"].endswith(f"/{config_id}")]
        if not configs:
            raise ApiError(404, "notFound", f"ReportConfig {config_id} not found.")
        destination = configs[0].get("objectMetadataReportOptions", {}).get("storageDestinationOptions", {})
        bucket = store.bucket(str(destination.get("bucket", "")))
        details = []
        for obj in bucket.visible_objects():
            match = _MANIFEST.match(obj.name)
            if not obj.is_live or match is None or match.group("id") != config_id:
                continue
            manifest = json.loads(obj.data)
            details.append({
                "name": f"{configs[0]['name']}/reportDetails/{uuid.uuid5(uuid.NAMESPACE_URL, obj.name)}",
                "snapshotTime": manifest.get("snapshot_time"),
                "reportPathPrefix": f"gs://{bucket.name}/{match.group('prefix')}",
                "shardsCount": manifest.get("shard_count"),
                "status": {"code": 0},
                "reportMetrics": {"processedRecordsCount": manifest.get("records_processed")},
            })
    return {"reportDetails": details}
