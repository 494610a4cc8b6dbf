"""The case list's rows are written in Python (``casework.views.cases.case_rows_html``) for speed: they must be
exactly what the template loop they replaced wrote, escaping included, whatever the values hold."""

from __future__ import annotations

from django.template import Context, Template

from casework.views.cases import CaseRow, case_rows_html

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
