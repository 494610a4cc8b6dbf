"""The charging REST API under ``/api/v1/``: ``requests`` (the MG3 and its moves), ``decisions`` (decisions,
corrections, action plans and MG3A) and ``overview`` (the CPS queue, DG6 routing, police charges)."""
