"""Package data of the region catalog: YAML tables with their sources cited inside."""
