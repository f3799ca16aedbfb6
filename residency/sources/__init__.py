"""Inventory sources: cloud adapters (aws/, gcp/, azure/), Terraform plans (terraform/) and saved
snapshots, all behind one contract (`contract.py`); `registry.py` finds the cloud adapters."""
