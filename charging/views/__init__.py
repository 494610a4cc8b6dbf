"""Charging pages: ``police`` (the MG3, supervisor review, action plan answers, police charges) and ``cps``
(queue, triage, allocation, the lawyer's workspace, decisions)."""
