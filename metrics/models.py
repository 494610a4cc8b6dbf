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


class BuiltDay(models.Model):
    """A metric's day that ``metrics.compute.recompute_day`` has built. A built day with no snapshot rows for a
    force means nothing to count there (0), not "not built yet"; a stock metric's position for a period is
    its last built day in it."""

    metric = models.CharField(max_length=60)
    day = models.DateField()
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["metric", "day"], name="metric_built_day_once")]

    def __str__(self) -> str:
        return f"{self.metric} {self.day}"


class RollupGrain(models.TextChoices):
    MONTH = "month", "Month"
    DAY = "day", "Day"


# ``MetricRollup.category`` of the rows that add up every category.
ALL_CATEGORIES = "*"


class MetricRollup(models.Model):
    """The snapshots added up per force, so a dashboard reads a few rows per metric and month whatever the
    number of cases (``metrics.rollup``).

    - ``grain=month``: per (metric, month, force) the totals (``dimension=''``) and the totals per value of
      one dimension (``dimension`` = unit, cps_area or offence_group, ``value`` its key as text, '' for none),
      each for every category together (``category='*'``) and for each category. A flow metric's month is
      the sum of its built days; a stock metric's month is its position on the month's last built day
      (``last_day``).
    - ``grain=day``: per (metric, day, force) the totals only, for every category together and per category:
      what a period that starts or ends inside a month reads for its part-months.
    """

    metric = models.CharField(max_length=60)
    grain = models.CharField(max_length=5, choices=RollupGrain.choices)
    period = models.DateField()  # the month's first day, or the day
    # Indexed by metric_rollup_read_idx (force, grain, dimension, category, period).
    force = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    category = models.CharField(max_length=20)
    dimension = models.CharField(max_length=20, blank=True, default="")
    value = models.CharField(max_length=40, blank=True, default="")
    numerator = models.FloatField(default=0)
    denominator = models.FloatField(default=0)
    histogram = ArrayField(models.IntegerField(), null=True, blank=True)
    last_day = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "grain", "period", "force", "category", "dimension", "value"],
                name="metric_rollup_one_per_cell",
                nulls_distinct=False,
            )
        ]
        indexes = [
            models.Index(fields=["force", "grain", "dimension", "category", "period"], name="metric_rollup_read_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.grain} {self.period}: {self.numerator}/{self.denominator}"
