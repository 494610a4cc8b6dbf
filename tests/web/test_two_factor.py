"""Two-factor authentication: enrolment by QR code, codes, backup codes, and enforcement."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import AuditEventType
from accounts.forms import CODE_THROTTLED, CODE_WRONG, SETUP_CODE_WRONG
from accounts.models import AuditEvent, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_factor_on(settings: object) -> None:
    settings.TWO_FACTOR_REQUIRED = True  # type: ignore[attr-defined]


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client: Client, password: str, username: str = "officer_a") -> str:
    response = client.post("/accounts/sign-in/", {"username": username, "password": password})
    assert response.status_code == 302
    return str(response["Location"])


def test_a_new_user_must_enrol_before_seeing_anything(client: Client, officer_a: User, password: str) -> None:
    location = sign_in(client, password)
    assert location.startswith("/accounts/two-factor/setup/")
    # Password alone does not open the service, in pages or in the API.
    assert client.get("/cases/")["Location"].startswith("/accounts/two-factor/setup/")
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_enrolment_shows_a_qr_code_and_confirms_with_a_code(client: Client, officer_a: User, password: str) -> None:
    sign_in(client, password)
    page = client.get("/accounts/two-factor/setup/")
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'alt="QR code' in html
    device = TOTPDevice.objects.get(user=officer_a, confirmed=False)

    wrong = client.post(
        "/accounts/two-factor/setup/", {"code": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    assert SETUP_CODE_WRONG in wrong.content.decode()

    # A wrong code slows further attempts down (django-otp throttling), as it should.
    throttled = client.post("/accounts/two-factor/setup/", {"code": current_code(device)})
    assert CODE_THROTTLED in throttled.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        confirmed = client.post("/accounts/two-factor/setup/", {"code": current_code(device)})
    assert confirmed.status_code == 302
    codes_page = client.get(confirmed["Location"])
    codes = re.findall(r"<code>(\d{8})</code>", codes_page.content.decode())
    assert len(codes) == 10
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(event_type=AuditEventType.TWO_FACTOR_ENROLLED, actor=officer_a).exists()
    # Backup codes are shown once only.
    assert client.get("/accounts/two-factor/backup-codes/").status_code == 302


def _enrolled(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def test_an_enrolled_user_is_asked_for_the_code_and_a_wrong_one_is_refused(
    client: Client, officer_a: User, password: str
) -> None:
    device = _enrolled(officer_a)
    assert sign_in(client, password).startswith("/accounts/two-factor/verify/")
    wrong = client.post("/accounts/two-factor/verify/", {"code": "12345"})
    assert wrong.status_code == 400
    assert CODE_WRONG in wrong.content.decode()
    assert client.get("/").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        ok = client.post("/accounts/two-factor/verify/?next=/cases/", {"code": current_code(device), "next": "/cases/"})
    assert ok["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200


def test_a_backup_code_works_once(client: Client, officer_a: User, password: str) -> None:
    from accounts.views.two_factor import issue_backup_codes

    _enrolled(officer_a)
    codes = issue_backup_codes(user=officer_a)
    sign_in(client, password)
    assert client.post("/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 302
    assert StaticToken.objects.filter(device__user=officer_a).count() == 9
    client.post("/accounts/sign-out/")
    sign_in(client, password)
    reused = client.post("/accounts/two-factor/verify/", {"code": codes[0]})
    assert reused.status_code == 400


def test_the_admin_site_also_needs_two_factor(client: Client, admin_user: User, password: str) -> None:
    _enrolled(admin_user)
    sign_in(client, password, username="admin")
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/verify/")


def test_two_factor_can_be_turned_off_for_the_demo(
    client: Client, officer_a: User, password: str, settings: object
) -> None:
    settings.TWO_FACTOR_REQUIRED = False  # type: ignore[attr-defined]
    assert sign_in(client, password) == "/"
    assert client.get("/").status_code == 200
