"""Prove a transfer object by object, from the clouds' own inventory reports.

The flow: `locate` parses FROM/TO (a manifest path or URL, or a container), `inventories`
fetches and checks each report (manifest checksums, every shard, row counts) into local
files, `plan` builds the SQL of ONE definition of the classes (`classes.sql`), a runner
(`duckdb_runner` embedded by default, `spark_runner` distributed) executes it, `verify`
turns the counts into a `TransferResult` and `findings` into ordinary Findings.

This package reads; it never writes to a cloud. It does not import the scan engine or the
inventory sources: an inventory report is its own kind of evidence.
"""
