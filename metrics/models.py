"""Daily metric snapshots and the days waiting to be recomputed.

A snapshot row is one metric's contribution on one day for one combination of dimensions (force, unit, CPS
Area, offence group, charging category): a numerator and a denominator, and for the day-count metrics a
histogram of whole days, so a period's mean, median and 90th percentile come from adding rows, never from
reading cases. Dashboards and the API read only these rows, so their speed does not depend on how many cases
there are. ``DirtyDay`` rows say which days' data changed since they were last computed.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models

from accounts.models import Organisation, Unit


class MetricSnapshot(models.Model):
    metric = models.CharField(max_length=60)
    version = models.PositiveSmallIntegerField()
    day = models.DateField()
    force = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    cps_area = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    offence_group = models.CharField(max_length=40, blank=True, default="")
    category = models.CharField(max_length=20, blank=True, default="")
    numerator = models.FloatField(default=0)
    denominator = models.FloatField(default=0)
    # Day-count metrics: histogram[i] = how many took i whole days (the last bucket holds everything longer).
    histogram = ArrayField(models.IntegerField(), null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "day", "force", "unit", "cps_area", "offence_group", "category"],
                name="metric_snapshot_one_per_cell",
                nulls_distinct=False,
            )
        ]
        indexes = [
            models.Index(fields=["metric", "day"], name="metric_snapshot_day_idx"),
            models.Index(fields=["metric", "force", "day"], name="metric_snapshot_force_idx"),
            models.Index(fields=["metric", "cps_area", "day"], name="metric_snapshot_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.day}: {self.numerator}/{self.denominator}"


class DirtyDay(models.Model):
    """A day whose source data changed since its snapshots were built (``metrics.compute.mark_dirty``)."""

    day = models.DateField(unique=True)
    marked_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.day)
