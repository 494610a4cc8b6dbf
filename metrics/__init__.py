"""Joint performance metrics: definitions, snapshots and dashboards."""
