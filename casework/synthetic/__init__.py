"""Synthetic national data for benchmarks and load tests: ``generate(cases, seed=...)`` fills the current
database with a realistic England and Wales distribution of cases and everything that hangs off them, and
``staff(organisation_code, role)`` returns one of the staff it created, to sign in as.

Modules: ``distributions`` and ``offences`` (the shape of the data, as data), ``organisations`` (reference data
and staff), ``records`` (one case's records in memory), ``cases`` (one case as a story in time, with its steps in
``story``, ``people``, ``custody`` and ``court``), ``charging`` and ``decisions`` (referrals to the CPS and their
decisions), ``documents``, ``material``, ``filefacts``, ``digest`` and ``tinyfiles`` (documents and stored files,
exhibits, MG5, unused material, file submissions with their quality reports and snapshots), ``deadlines`` (the stored
deadlines, by the application's own engine, and the alerts raised on them), ``tables``, ``rows`` and
``rows_files`` (COPY text), ``copy`` (the bulk load: COPY, triggers, indexes, history, integrity), ``chunk`` (a
chunk of cases, for worker processes), ``generate`` (the run) and ``reset``.

Reproducible: the same seed, number of cases and as-of day give the same rows (identifiers included) and the
same files, however many worker processes build them.

Decisions (each explained where it is made):

- Row history (django-pghistory) is written, not skipped: ``metrics.compute`` reads a case's history to see
  whether its force, unit or Area changed. The row triggers are switched off for the load (``copy``) and one
  ``insert`` snapshot per tracked row is written in bulk; foreign keys are checked before committing.
- A database that already holds synthetic data is refused; ``reset`` (``--reset``) replaces it, and refuses a
  database holding cases the generator did not make.
- Stored files are shared, content-addressed specimens by default (``documents.shared_blob``); one file per
  version on request (``shared_files=False``, ``--unique-files``).
- Not generated: notifications (``accounts.Notification``), metric snapshots (run ``manage.py
  recompute_metrics`` for the period), and the alerts of deadlines already met.
"""

from .generate import SyntheticDataExists, SyntheticSummary, default_as_of, generate
from .organisations import staff
from .reset import ResetRefused

__all__ = ["ResetRefused", "SyntheticDataExists", "SyntheticSummary", "default_as_of", "generate", "staff"]
