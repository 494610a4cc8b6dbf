"""Benchmarks of the hot paths. Each prints its figures with ratios against a baseline measured in the same
run, in its own database. ``make bench`` runs them all (``python -m benchmarks``)."""
