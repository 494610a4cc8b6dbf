"""File quality: the National File Standard (NFS) stage matrix and the file-quality failure codes
FQ01–FQ20 (domain.md 3.3 and 7.2).

- ``rules``: the versioned rule set — pure functions over ``FileFacts``, no database, no clock.
- ``facts``: gathers one file's ``FileFacts`` from the database in a fixed number of queries.
- ``engine``: runs the rules for a submission and stores a ``QualityReport`` when the inputs changed.
"""
