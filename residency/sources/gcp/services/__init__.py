"""Google Cloud services beyond Cloud Storage: Cloud SQL, Spanner, BigQuery, Firestore, Bigtable
and Compute Engine disks, snapshots and images. `scan.collect` runs them for each project; each
service module imports its client library only when it runs."""
