"""The pages of generated cases render for the people who work on them: the force's officer sees every tab of a
case (and can download its material), the Area's lawyer sees the CPS queue and the workspace of a referral."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.choices import Role
from casework.choices import CaseStatus
from casework.models import Case
from casework.synthetic import staff
from charging.models import ChargingRequest
from charging.selectors import QUEUE_STATUSES
from files.models import DocumentVersion, FileSubmission

from .conftest import Generated

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _case_pages(case: Case) -> list[str]:
    args = [case.public_id]
    return [
        reverse("casework:case-detail", args=args),
        reverse("casework:case-people", args=args),
        reverse("casework:case-offences", args=args),
        reverse("files:material", args=args),
        reverse("casework:case-deadlines", args=args),
        reverse("casework:case-timeline", args=args),
        reverse("charging:case-charging", args=args),
        reverse("files:submission-list", args=args),
    ]


@pytest.mark.parametrize(
    "status",
    [CaseStatus.INVESTIGATION, CaseStatus.AWAITING_CHARGING_DECISION, CaseStatus.PRE_TRIAL, CaseStatus.CONCLUDED],
)
def test_the_forces_officer_sees_every_tab_of_a_generated_case(generated: Generated, status: str) -> None:
    case = Case.objects.filter(status=status).select_related("force").order_by("id").first()
    assert case is not None
    client = _client(staff(case.force.code, Role.POLICE_INVESTIGATOR))
    for url in _case_pages(case):
        response = client.get(url)
        assert response.status_code == 200, url
    assert case.urn[:2] in client.get(_case_pages(case)[0]).content.decode()


def test_the_officer_opens_a_submitted_file_and_downloads_its_material(generated: Generated) -> None:
    submission = FileSubmission.objects.filter(status="submitted").select_related("case__force").order_by("id").first()
    assert submission is not None
    case = submission.case
    client = _client(staff(case.force.code, Role.POLICE_INVESTIGATOR))
    page = client.get(reverse("files:submission-detail", args=[case.public_id, submission.public_id]))
    assert page.status_code == 200
    version = DocumentVersion.objects.filter(document__case=case, scan_status="clean").first()
    assert version is not None
    document = version.document
    assert client.get(reverse("files:document-detail", args=[case.public_id, document.public_id])).status_code == 200
    download = client.get(reverse("files:document-download", args=[case.public_id, document.public_id, version.number]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == (generated.media / str(version.file.name)).read_bytes()  # type: ignore[attr-defined]


def test_the_areas_lawyer_sees_the_queue_and_the_workspace_of_a_referral(generated: Generated) -> None:
    request = (
        ChargingRequest.objects.filter(status__in=QUEUE_STATUSES, to_cps_direct=False)
        .select_related("case", "cps_area", "allocated_lawyer")
        .order_by("received_by_cps_at")
        .first()
    )
    assert request is not None
    assert request.cps_area is not None
    lawyer = request.allocated_lawyer or staff(request.cps_area.code, Role.CPS_LAWYER)
    client = _client(lawyer)
    queue = client.get(reverse("charging:queue"))
    assert queue.status_code == 200
    assert request.case.urn[4:-2] in queue.content.decode()
    workspace = client.get(reverse("charging:workspace", args=[request.case.public_id, request.public_id]))
    assert workspace.status_code == 200
    for url in _case_pages(request.case)[:5]:
        assert client.get(url).status_code == 200, url


def test_a_decided_referral_shows_on_the_charging_tab_for_both_sides(generated: Generated) -> None:
    request = (
        ChargingRequest.objects.filter(status="decided", allocated_lawyer__isnull=False, to_cps_direct=False)
        .select_related("case__force", "allocated_lawyer")
        .order_by("id")
        .first()
    )
    assert request is not None
    for user in (staff(request.case.force.code, Role.POLICE_SUPERVISOR), request.allocated_lawyer):
        client = _client(user)
        page = client.get(reverse("charging:case-charging", args=[request.case.public_id]))
        assert page.status_code == 200
        detail = client.get(reverse("charging:request-detail", args=[request.case.public_id, request.public_id]))
        assert detail.status_code in (200, 302)
