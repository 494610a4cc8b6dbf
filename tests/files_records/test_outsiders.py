"""Every page and API endpoint of the case material records answers an outsider (another force,
another CPS area, the CPS before the case is sent, a system administrator) exactly as it answers
for a case that does not exist: 404, the same body, nothing written, nothing leaked."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from casework import services as cs

from .conftest import Records, db_state, strip_nonce

pytestmark = pytest.mark.django_db

OUTSIDERS = ["officer_b", "lawyer_south", "lawyer_north", "admin_user"]
LEAKS = ("12345", "Black leather wallet", "Incident log 4471", "Intelligence report Zulu", "took the wallet", "JONES")

# Paths under /cases/<case>/material/, with the records' ids filled in.
PAGES = [
    "exhibits/",
    "exhibits/new/",
    "exhibits/{exhibit}/",
    "exhibits/{exhibit}/change/",
    "exhibits/{exhibit}/moves/new/",
    "unused/",
    "unused/mg6c/new/",
    "unused/mg6d/new/",
    "unused/{mg6c}/",
    "unused/{mg6d}/",
    "unused/{mg6c}/change/",
    "unused/{mg6c}/decision/",
    "unused/{mg6d}/decision/",
    "mg5/",
    "mg5/change/",
    "mg5/certify/",
    "mg5/offences/{offence}/points/new/",
    "mg5/points/{point}/change/",
    "print/mg5/",
    "print/mg9/",
    "print/mg12/",
    "print/mg6c/",
    "print/mg6d/",
]

# API paths under /api/v1/cases/<case>/ and the methods each answers.
ENDPOINTS: list[tuple[str, str]] = [
    ("get", "exhibits/"),
    ("post", "exhibits/"),
    ("get", "exhibits/{exhibit}/"),
    ("patch", "exhibits/{exhibit}/"),
    ("get", "exhibits/{exhibit}/movements/"),
    ("post", "exhibits/{exhibit}/movements/"),
    ("get", "unused-items/"),
    ("post", "unused-items/"),
    ("get", "unused-items/{mg6c}/"),
    ("patch", "unused-items/{mg6c}/"),
    ("get", "unused-items/{mg6d}/"),
    ("post", "unused-items/{mg6c}/decision/"),
    ("post", "unused-items/{mg6d}/decision/"),
    ("get", "case-summary/"),
    ("patch", "case-summary/"),
    ("post", "case-summary/certify/"),
    ("get", "case-summary/points-to-prove/"),
    ("post", "case-summary/points-to-prove/"),
    ("get", "case-summary/points-to-prove/{point}/"),
    ("patch", "case-summary/points-to-prove/{point}/"),
]

# Enough for a request to be acted on if the scope check were missing.
PAGE_DATA = {
    "description": "Outsider was here",
    "producer_name": "Out Sider",
    "location": "Nowhere",
    "summary": "Outsider was here",
    "text": "Outsider was here",
    "decision": "disclose",
}
API_DATA = {**PAGE_DATA, "schedule": "mg6c", "offence": str(uuid.uuid4())}


def ids(records: Records) -> dict[str, str]:
    return {
        "exhibit": str(records.exhibit.public_id),
        "mg6c": str(records.mg6c.public_id),
        "mg6d": str(records.mg6d.public_id),
        "offence": str(records.world.theft.public_id),
        "point": str(records.point.public_id),
    }


def assert_nothing_leaked(body: str) -> None:
    for text in LEAKS:
        assert text not in body


@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_answers_an_outsider_as_for_a_missing_case(
    records: Records, outsider: str, page: str, request: pytest.FixtureRequest, as_user: Callable[[User], Client]
) -> None:
    client = as_user(request.getfixturevalue(outsider))
    before = db_state()
    path = page.format(**ids(records))
    for method in ("get", "post"):
        outside = getattr(client, method)(f"/cases/{records.case.public_id}/material/{path}", PAGE_DATA)
        missing = getattr(client, method)(f"/cases/{uuid.uuid4()}/material/{path}", PAGE_DATA)
        assert outside.status_code == missing.status_code == 404, (method, outside.status_code)
        assert strip_nonce(outside.content) == strip_nonce(missing.content)
        assert_nothing_leaked(outside.content.decode())
    assert db_state() == before
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED).exists()


@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize(("method", "endpoint"), ENDPOINTS)
def test_every_endpoint_answers_an_outsider_as_for_a_missing_case(
    records: Records,
    outsider: str,
    method: str,
    endpoint: str,
    request: pytest.FixtureRequest,
    as_user: Callable[[User], Client],
) -> None:
    client = as_user(request.getfixturevalue(outsider))
    before = db_state()
    path = endpoint.format(**ids(records))
    send = getattr(client, method)
    outside = send(f"/api/v1/cases/{records.case.public_id}/{path}", API_DATA, content_type="application/json")
    missing = send(f"/api/v1/cases/{uuid.uuid4()}/{path}", API_DATA, content_type="application/json")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json() == {"error": {"status": 404, "code": "not_found", "message": "Not found."}}
    assert_nothing_leaked(outside.content.decode())
    assert db_state() == before
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED).exists()


def test_a_record_of_another_case_answers_404_inside_a_visible_case(
    records: Records, officer_a: User, as_user: Callable[[User], Client]
) -> None:
    """Ids of one case's records do not work through another case the user may see."""
    other = cs.case_create(urn="10/AA/54321/26", details=cs.CaseDetails(), by=officer_a)
    client = as_user(officer_a)
    for page in PAGES:
        if "{" not in page:
            continue
        path = page.format(**ids(records))
        assert client.get(f"/cases/{other.public_id}/material/{path}").status_code == 404, page
    for method, endpoint in ENDPOINTS:
        if "{" not in endpoint:
            continue
        path = endpoint.format(**ids(records))
        response = getattr(client, method)(
            f"/api/v1/cases/{other.public_id}/{path}", {}, content_type="application/json"
        )
        assert response.status_code == 404, endpoint
