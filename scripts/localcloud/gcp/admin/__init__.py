"""The project's own local servers for the Google Cloud admin APIs beyond Cloud Storage.

One process serves seven APIs, each on its own loopback port (their REST paths collide: sqladmin
v1 and Spanner v1 both serve `/v1/projects/{p}/instances`): Cloud SQL Admin v1, Spanner v1,
BigQuery v2, BigQuery Data Transfer v1, Firestore Admin v1, Bigtable Admin v2 and Compute Engine
v1. The real client libraries create the state over HTTP (`instances.insert`, `create_instance`,
`create_dataset`, `create_backup`, `copy_backup`, `snapshots.insert` ...) and read it back in the
JSON shapes of the discovery documents; see `server.py`.
"""
