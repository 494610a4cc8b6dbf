"""The case list's rows are written in Python (``casework.views.cases.case_rows_html``) for speed: they must be
exactly what the template loop they replaced wrote, escaping included, whatever the values hold."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone
from django.utils.text import Truncator

from accounts.models import Organisation, User
from casework.models import Case
from casework.selectors import SORTS
from casework.views.cases import SUMMARY_CHARS, CaseRow, _as_listed, case_rows, case_rows_html
from tests.factories.accounts import UserFactory
from tests.factories.casework import CaseFactory

# The loop as it stood in templates/casework/case_list.html.
TEMPLATE_LOOP = Template(
    """{% for row in rows %}
          <tr class="govuk-table__row">
            <td class="govuk-table__cell"><a class="govuk-link" href="{{ row.url }}">{{ row.urn }}</a><br><span class="govuk-body-s">{{ row.summary }}</span></td>
            <td class="govuk-table__cell"><strong class="govuk-tag {{ row.status_tag_class }} cb-tag-list__tag">{{ row.status }}</strong>{% for flag in row.flag_labels %} <strong class="govuk-tag govuk-tag--grey cb-tag-list__tag">{{ flag }}</strong>{% endfor %}</td>
            <td class="govuk-table__cell">{{ row.officer }}</td>
            <td class="govuk-table__cell"><time datetime="{{ row.updated_iso }}">{{ row.updated }}</time></td>
          </tr>{% endfor %}"""  # noqa: E501
)


def _row(**changes: object) -> CaseRow:
    values: dict[str, object] = {
        "url": "/cases/00000000-0000-0000-0000-000000000001/",
        "urn": "01YP1000734/26",
        "summary": "Assault at the victim's home address",
        "status": "Under investigation",
        "status_tag_class": "govuk-tag--blue",
        "flag_labels": [],
        "officer": "Jane SMITH",
        "updated_iso": "2026-11-26T10:00:00+00:00",
        "updated": "26 Nov 2026",
    }
    values.update(changes)
    return CaseRow(**values)  # type: ignore[arg-type]


def test_rows_are_the_markup_the_template_wrote_for_ordinary_and_hostile_values() -> None:
    rows = [
        _row(),
        _row(flag_labels=["Domestic abuse", "Hate crime"], summary=""),
        _row(
            url='/cases/x/?a=1&b="2"',
            urn="<script>alert(1)</script>",
            summary='O\'Brien & Sons <b>"quoted"</b> — café, 東京',
            status="Charged & bailed",
            status_tag_class='govuk-tag--red" onclick="x',
            flag_labels=["<i>flag</i>", "a & b"],
            officer="Siobhán O'NEILL <PC 123>",
            updated_iso="2026-03-29T01:30:00+01:00",
            updated="29 Mar 2026",
        ),
    ]
    assert case_rows_html(rows) == TEMPLATE_LOOP.render(Context({"rows": rows}))


def test_no_rows_write_nothing() -> None:
    assert case_rows_html([]) == TEMPLATE_LOOP.render(Context({"rows": []})) == ""


@pytest.mark.django_db
def test_rows_read_from_the_listed_columns_are_what_the_cases_gave(force_a: Organisation, officer_a: User) -> None:
    """``case_rows`` reads named tuples of the listed columns and the officer's names (``_as_listed``): each row must
    say what the model instances said through the template filters it replaced (``str(user)``, ``|date``,
    ``Truncator``)."""
    nameless = UserFactory(username="pc_nameless", first_name="", last_name="", organisation=force_a)
    long_ascii = "Theft of a pedal cycle from outside the library, " * 3
    accented = "Assault on Siobhán O’Neill at the café — " * 3
    made = [
        CaseFactory(force=force_a, officer_in_case=officer_a, summary=long_ascii),
        CaseFactory(force=force_a, officer_in_case=nameless, summary=accented),
        CaseFactory(force=force_a, officer_in_case=None, summary=""),
        CaseFactory(force=force_a, officer_in_case=officer_a, summary="Short & <sweet>"),
    ]
    # One in British Summer Time, one in winter.
    Case.objects.filter(pk=made[0].pk).update(updated_at=datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    Case.objects.filter(pk=made[1].pk).update(updated_at=datetime(2026, 1, 5, 0, 5, tzinfo=UTC))
    ordering = SORTS["urn"]
    cases = Case.objects.filter(pk__in=[case.pk for case in made])

    rows = case_rows(list(_as_listed(cases, ordering).order_by(*ordering)))

    expected = []
    for case in cases.select_related("officer_in_case").order_by(*ordering):
        updated = timezone.localtime(case.updated_at)
        expected.append(
            (
                case.urn_display,
                Truncator(case.summary).chars(SUMMARY_CHARS) if case.summary else "No summary",
                str(case.officer_in_case) if case.officer_in_case else "Not allocated",
                dateformat.format(updated, "c"),
                dateformat.format(updated, "j M Y"),
            )
        )
    assert [(row.urn, row.summary, row.officer, row.updated_iso, row.updated) for row in rows] == expected
    assert {row.officer for row in rows} >= {"pc_nameless", "Not allocated"}


@pytest.mark.django_db
def test_the_page_and_the_api_read_a_page_of_cases_and_their_people_in_one_query(
    force_a: Organisation, supervisor_a: User, as_user: Callable[[User], Client]
) -> None:
    """The officer in case (and, in the API, the unit and supervisor) are read in the list's own query, not by a
    query of their own for the page's people, and no query more for a page of cases with many different officers
    than for a page of one case."""

    def queries(url: str) -> list[str]:
        client = as_user(supervisor_a)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return [query["sql"] for query in captured]

    CaseFactory(force=force_a, officer_in_case=UserFactory(organisation=force_a), supervisor=supervisor_a)
    one = {url: len(queries(url)) for url in ("/cases/", "/api/v1/cases/")}
    for _ in range(20):
        CaseFactory(force=force_a, officer_in_case=UserFactory(organisation=force_a), supervisor=supervisor_a)
    for url, count in one.items():
        made = queries(url)
        assert len(made) == count
        assert not [sql for sql in made if PEOPLE_OF_THE_PAGE.search(sql)]


# A query for the people of a page of cases (``prefetch_related``): ``... FROM "accounts_user" WHERE "id" IN (...)``.
PEOPLE_OF_THE_PAGE = re.compile(r'FROM "accounts_(?:user|unit)" WHERE \(?"accounts_(?:user|unit)"\."id"\)? IN')
