"""Synthetic national data for benchmarks and load tests: ``generate(cases, seed=...)`` fills the current
database with a realistic England and Wales distribution of cases and everything that hangs off them, and
``staff(organisation_code, role)`` returns one of the staff it created, to sign in as.

Modules: ``distributions`` (the shape of the data, as data), ``organisations`` (reference data and staff),
``cases`` (one case as a story in time), ``charging`` (referrals to the CPS), ``material`` (documents, stored
files, exhibits, MG5, unused material, file submissions and their quality reports), ``deadlines`` (the stored
deadlines, by the application's own engine, and the alerts raised on them), ``rows`` (COPY text), ``copy`` (the
bulk load: COPY, triggers, indexes, history, integrity), ``chunk`` (a chunk of cases, for worker processes),
``generate`` (the run) and ``reset``.

Reproducible: the same seed, number of cases and as-of day give the same rows (identifiers included) and the
same files.
"""

from .generate import SyntheticDataExists, SyntheticSummary, default_as_of, generate
from .organisations import staff
from .reset import ResetRefused

__all__ = ["ResetRefused", "SyntheticDataExists", "SyntheticSummary", "default_as_of", "generate", "staff"]
