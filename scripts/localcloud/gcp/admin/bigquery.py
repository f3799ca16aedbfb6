"""BigQuery v2 (datasets, tables, copy jobs for table snapshots and clones) and the BigQuery Data
Transfer API v1 (transfer configs, e.g. `cross_region_copy` dataset copies), as google-cloud-bigquery
and DataTransferServiceClient (transport="rest") call them.

A copy job with `operationType` SNAPSHOT or CLONE creates the destination table at once (the job
answers DONE) with its `snapshotDefinition` / `cloneDefinition`; like BigQuery, it must stay in
the source's location. A transfer config lives in its destination dataset's location.
"""

from __future__ import annotations

import time

from scripts.localcloud.gcp.admin.http import ApiError, JsonDict, Request, Route, enum, page, route
from scripts.localcloud.gcp.admin.store import next_id, now

API, DTS = "bigquery", "datatransfer"
TRANSFER_STATES = {"TRANSFER_STATE_UNSPECIFIED": 0, "PENDING": 2, "RUNNING": 3, "SUCCEEDED": 4, "FAILED": 5,
                   "CANCELLED": 6}
_P = "/bigquery/v2/projects/{project}"
_D = _P + "/datasets/{dataset}"


def _millis() -> str:
    return str(int(time.time() * 1000))


def _dataset_key(project: str, dataset: str) -> str:
    return f"{project}:{dataset}"


def insert_dataset(req: Request) -> JsonDict:
    project, body = req.arg("project"), req.json()
    req.service.check(API, project, "bigquery.datasets.create")
    dataset_id = str((body.get("datasetReference") or {}).get("datasetId", ""))
    if not dataset_id:
        raise ApiError(400, "Required parameter is missing: datasetReference.datasetId")
    dataset: JsonDict = {
        "kind": "bigquery#dataset", "id": _dataset_key(project, dataset_id), "etag": next_id(),
        "datasetReference": {"projectId": project, "datasetId": dataset_id},
        "location": body.get("location") or "US", "labels": body.get("labels") or {},
        "creationTime": _millis(), "lastModifiedTime": _millis(), "type": "DEFAULT",
        "selfLink": f"{req.base_url}/bigquery/v2/projects/{project}/datasets/{dataset_id}",
    }
    return req.service.add(API, _dataset_key(project, dataset_id), dataset)


def list_datasets(req: Request) -> JsonDict:
    project = req.arg("project")
    req.service.check(API, project, "bigquery.datasets.get")
    found = [d for d in req.service.under(API, f"{project}:") if "." not in d["id"].split(":", 1)[1]]
    entries = [{k: d[k] for k in ("kind", "id", "datasetReference", "labels", "location", "type")} for d in found]
    items, token = page(entries, req.params, "maxResults", default_size=50)
    return {"kind": "bigquery#datasetList", "etag": next_id(), "datasets": items,
            **({"nextPageToken": token} if token else {})}


def get_dataset(req: Request) -> JsonDict:
    project = req.arg("project")
    req.service.check(API, project, "bigquery.datasets.get")
    return req.service.get(API, _dataset_key(project, req.arg("dataset")))


def _table(project: str, dataset: str, table: str, location: str, kind: str, base_url: str) -> JsonDict:
    return {"kind": "bigquery#table", "id": f"{project}:{dataset}.{table}", "etag": next_id(),
            "tableReference": {"projectId": project, "datasetId": dataset, "tableId": table},
            "type": kind, "location": location, "creationTime": _millis(), "lastModifiedTime": _millis(),
            "numRows": "0", "numBytes": "0",
            "selfLink": f"{base_url}/bigquery/v2/projects/{project}/datasets/{dataset}/tables/{table}"}


def insert_table(req: Request) -> JsonDict:
    project, dataset_id, body = req.arg("project"), req.arg("dataset"), req.json()
    req.service.check(API, project, "bigquery.tables.create")
    dataset = req.service.get(API, _dataset_key(project, dataset_id))
    table_id = str((body.get("tableReference") or {}).get("tableId", ""))
    table = _table(project, dataset_id, table_id, dataset["location"], "TABLE", req.base_url)
    table["labels"] = body.get("labels") or {}
    if body.get("schema"):
        table["schema"] = body["schema"]
    return req.service.add(API, f"{project}:{dataset_id}.{table_id}", table)


def list_tables(req: Request) -> JsonDict:
    project, dataset_id = req.arg("project"), req.arg("dataset")
    req.service.check(API, project, "bigquery.tables.list")
    req.service.get(API, _dataset_key(project, dataset_id))
    found = req.service.under(API, f"{project}:{dataset_id}.")
    entries = [{k: t[k] for k in ("kind", "id", "tableReference", "type", "creationTime") if k in t}
               | {"labels": t.get("labels") or {}} for t in found]
    items, token = page(entries, req.params, "maxResults", default_size=50)
    return {"kind": "bigquery#tableList", "etag": next_id(), "tables": items, "totalItems": len(found),
            **({"nextPageToken": token} if token else {})}


def get_table(req: Request) -> JsonDict:
    project = req.arg("project")
    req.service.check(API, project, "bigquery.tables.get")
    return req.service.get(API, f"{project}:{req.arg('dataset')}.{req.arg('table')}")


def insert_job(req: Request) -> JsonDict:
    project, body = req.arg("project"), req.json()
    req.service.check(API, project, "bigquery.jobs.create")
    copy = (body.get("configuration") or {}).get("copy")
    if not isinstance(copy, dict):
        raise ApiError(400, "This local BigQuery serves copy jobs (table snapshots and clones) only.")
    sources = copy.get("sourceTables") or [copy.get("sourceTable")]
    source_ref, dest_ref = sources[0], copy.get("destinationTable") or {}
    source = req.service.get(API, f"{source_ref['projectId']}:{source_ref['datasetId']}.{source_ref['tableId']}")
    dest_dataset = req.service.get(API, _dataset_key(dest_ref["projectId"], dest_ref["datasetId"]))
    if dest_dataset["location"].lower() != source["location"].lower():
        raise ApiError(400, f"Cannot copy across locations: source in {source['location']}, "
                            f"destination dataset in {dest_dataset['location']}.")
    operation = str(copy.get("operationType") or "COPY")
    table = _table(dest_ref["projectId"], dest_ref["datasetId"], dest_ref["tableId"], dest_dataset["location"],
                   "SNAPSHOT" if operation == "SNAPSHOT" else "TABLE", req.base_url)
    base = {"projectId": source_ref["projectId"], "datasetId": source_ref["datasetId"],
            "tableId": source_ref["tableId"]}
    if operation == "SNAPSHOT":
        table["snapshotDefinition"] = {"baseTableReference": base, "snapshotTime": now()}
    elif operation == "CLONE":
        table["cloneDefinition"] = {"baseTableReference": base, "cloneTime": now()}
    req.service.add(API, f"{dest_ref['projectId']}:{dest_ref['datasetId']}.{dest_ref['tableId']}", table)
    job_id = str((body.get("jobReference") or {}).get("jobId") or next_id())
    job = {"kind": "bigquery#job", "id": f"{project}:{source['location']}.{job_id}",
           "configuration": body["configuration"],
           "jobReference": {"projectId": project, "jobId": job_id, "location": source["location"]},
           "status": {"state": "DONE"}, "statistics": {"creationTime": _millis(), "startTime": _millis(),
                                                         "endTime": _millis()}}
    return req.service.add(f"{API}:jobs", f"{project}/{job_id}", job)


def get_job(req: Request) -> JsonDict:
    project = req.arg("project")
    req.service.check(API, project, "bigquery.jobs.get")
    return req.service.get(f"{API}:jobs", f"{project}/{req.arg('job')}")


def create_transfer_config(req: Request) -> JsonDict:
    project, body = req.arg("project"), req.json()
    location = req.match.groupdict().get("location") or "us"
    req.service.check(DTS, project, "bigquery.transfers.update")
    destination = req.service.get(API, _dataset_key(project, str(body.get("destinationDatasetId", ""))))
    if destination["location"].lower() != location.lower():
        raise ApiError(400, f"The transfer config must be in its destination dataset's location "
                            f"({destination['location']}), not {location}.")
    name = f"projects/{project}/locations/{location.lower()}/transferConfigs/{next_id()}"
    config: JsonDict = {
        "name": name, "displayName": body.get("displayName", ""), "dataSourceId": body.get("dataSourceId", ""),
        "destinationDatasetId": body["destinationDatasetId"], "params": body.get("params") or {},
        "schedule": body.get("schedule", "every 24 hours"), "disabled": bool(body.get("disabled")),
        "updateTime": now(), "nextRunTime": now(), "userId": "0", "datasetRegion": destination["location"].lower(),
        "state": enum(TRANSFER_STATES, body.get("state") or "PENDING", "state"),
        "ownerInfo": {"email": "seed@example.com"},
    }
    return req.service.add(DTS, name, config)


def list_transfer_configs(req: Request) -> JsonDict:
    project, location = req.arg("project"), req.arg("location")
    req.service.check(DTS, project, "bigquery.transfers.get")
    found = req.service.under(DTS, f"projects/{project}/locations/{location.lower()}/")
    items, token = page(found, req.params)
    return {"transferConfigs": items, **({"nextPageToken": token} if token else {})}


ROUTES: list[Route] = [
    route("GET", f"{_P}/datasets", "bigquery.datasets.list", list_datasets),
    route("POST", f"{_P}/datasets", "bigquery.datasets.insert", insert_dataset),
    route("GET", _D, "bigquery.datasets.get", get_dataset),
    route("GET", f"{_D}/tables", "bigquery.tables.list", list_tables),
    route("POST", f"{_D}/tables", "bigquery.tables.insert", insert_table),
    route("GET", f"{_D}/tables/{{table}}", "bigquery.tables.get", get_table),
    route("POST", f"{_P}/jobs", "bigquery.jobs.insert", insert_job),
    route("GET", f"{_P}/jobs/{{job}}", "bigquery.jobs.get", get_job),
]
TRANSFER_ROUTES: list[Route] = [
    route("GET", "/v1/projects/{project}/locations/{location}/transferConfigs",
          "bigquerydatatransfer.projects.locations.transferConfigs.list", list_transfer_configs),
    route("POST", "/v1/projects/{project}/locations/{location}/transferConfigs",
          "bigquerydatatransfer.projects.locations.transferConfigs.create", create_transfer_config),
    route("POST", "/v1/projects/{project}/transferConfigs", "bigquerydatatransfer.projects.transferConfigs.create",
          create_transfer_config),
]
