"""Case material: documents and versions, exhibits, unused material, submissions and quality checks."""
