"""The project's local AWS endpoint for the databases, backups and copies moto 5.2.5 lacks (`server.py`)."""

HEALTH_PATH = "/__datastores__/health"
AGE_PATH = "/__datastores__/age"  # POST ?days=N: N days pass for AWS Backup's dates
