"""The shared case record, keyed by URN (Unique Reference Number), owned by a police force.

``cps_area`` is the CPS Area that serves the owning force (for British Transport Police, the Area
where the offence happened). The CPS sees a case once it has been sent (``sent_to_cps_at``); a
custody referral out of hours goes to CPS Direct (``sent_to_cps_direct``).
"""

from __future__ import annotations

import uuid

import pghistory
from django.conf import settings
from django.db import models

from accounts.models import Organisation, Unit

from .choices import CaseStatus


@pghistory.track()
class Case(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    urn = models.CharField("URN", max_length=20, unique=True)
    force = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    cps_area = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="cps_cases"
    )
    status = models.CharField(max_length=40, choices=CaseStatus.choices, default=CaseStatus.INVESTIGATION)
    officer_in_case = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="cases_as_oic"
    )
    sent_to_cps_at = models.DateTimeField(null=True, blank=True)
    sent_to_cps_direct = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["force", "unit", "-updated_at"], name="case_force_unit_idx"),
            models.Index(
                fields=["cps_area", "-updated_at"],
                name="case_area_idx",
                condition=models.Q(sent_to_cps_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.urn
