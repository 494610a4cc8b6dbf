"""The API's case list reads its cases as rows of values (``casework.api.cases.listed_rows``) and writes them field by
field (``listed_cases``) rather than through ``CaseOutput``, for speed: each case must come out exactly as
``CaseOutput`` writes it, keys in the same order, whether its optional parts are there or not, so the two cannot
drift apart."""

from __future__ import annotations

from datetime import UTC, date, datetime

from accounts.models import Organisation, Unit, User
from casework.api.cases import listed_cases, listed_rows
from casework.api.serializers import CaseOutput
from casework.choices import CaseFlag, CaseStatus
from casework.models import Case
from tests.factories.casework import CaseFactory


def test_each_listed_case_is_what_the_case_serializer_writes(
    force_a: Organisation, unit_a1: Unit, officer_a: User, supervisor_a: User
) -> None:
    full = CaseFactory(
        force=force_a,
        unit=unit_a1,
        officer_in_case=officer_a,
        supervisor=supervisor_a,
        status=CaseStatus.AWAITING_CHARGING_DECISION,
        flags=[CaseFlag.DOMESTIC_ABUSE],
        summary="Assault <b>&</b> “quoted”",
        reported_on=date(2026, 3, 29),
        # A summer time (written with its offset) as well as winter ones (UTC, written with a Z).
        sent_to_cps_at=datetime(2026, 7, 1, 11, 30, 15, 123456, tzinfo=UTC),
    )
    bare = CaseFactory(force=force_a, cps_area=None, summary="")
    both = Case.objects.filter(pk__in=[full.pk, bare.pk])
    cases = list(both.select_related("force", "unit", "cps_area", "officer_in_case", "supervisor").order_by("id"))

    written = listed_cases(list(listed_rows(both.order_by("id"), ("id",))))
    expected = CaseOutput(cases, many=True).data

    assert [list(case.items()) for case in written] == [list(dict(case).items()) for case in expected]
    # The empty parts were tried too.
    assert written[1]["unit"] is None
    assert written[1]["supervisor"] is None
