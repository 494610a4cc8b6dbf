"""HTML pages of case material, one module per part of the Material area."""
