"""Case API for case material, one module per part of the Material area."""
