"""The dimensions every metric is broken down by, as query expressions over a case."""

from __future__ import annotations

from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from casework.models import OffenceAllegation

# Dimension names as the pages and the API spell them.
DIMENSIONS = ("force", "unit", "cps_area", "offence_group", "category")


def offence_group_expression(case_path: str = "") -> Coalesce:
    """A case's offence group: the DG6 Annex 1 group of its first offence (for example ``gbh_abh``), else that
    offence's mode of trial (``summary_only``, ``either_way``, ``indictable_only``); '' with no offence.
    ``case_path`` is the path from the queried model to its case ("case__" from a charging request)."""
    first = OffenceAllegation.objects.filter(case_id=OuterRef(f"{case_path}id")).order_by("created_at", "id")
    group = Subquery(first.values("offence_code__dg6_group")[:1], output_field=CharField())
    mode = Subquery(first.values("offence_code__mode_of_trial")[:1], output_field=CharField())
    return Coalesce(NullIf(group, Value("")), mode, Value(""), output_field=CharField())


def case_dimension_values(case_path: str = "") -> dict[str, F | Coalesce]:
    """``.values(**case_dimension_values("case__"))`` groups a queryset by the case's dimensions."""
    return {
        "force_id_": F(f"{case_path}force_id"),
        "unit_id_": F(f"{case_path}unit_id"),
        "cps_area_id_": F(f"{case_path}cps_area_id"),
        "offence_group_": offence_group_expression(case_path),
    }
