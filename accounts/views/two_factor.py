"""Two-factor authentication: enrolment by QR code with backup codes, and the code prompt."""

from __future__ import annotations

import base64
import io
import secrets

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..audit import audit_record
from ..choices import AuditEventType
from ..forms import CODE_THROTTLED, CODE_WRONG, SETUP_CODE_WRONG, OtpCodeForm
from ..models import User
from .auth import safe_next

BACKUP_CODES_SESSION_KEY = "casebridge_new_backup_codes"
BACKUP_DEVICE_NAME = "backup"


def _qr_data_uri(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _manual_key(device: TOTPDevice) -> str:
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def issue_backup_codes(*, user: User, count: int = 10) -> list[str]:
    """Replace the user's backup codes. Each code works once; only the new ones are valid."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    audit_record(by=user, event_type=AuditEventType.BACKUP_CODES_ISSUED, obj=user, data={"count": count})
    return codes


@sensitive_post_parameters("code")
@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user_has_device(user, confirmed=True):
        return redirect("accounts:two-factor-verify")
    # One unconfirmed device per user while they enrol; it becomes real only when a code matches.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", CODE_THROTTLED)
        elif device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit_record(by=user, event_type=AuditEventType.TWO_FACTOR_ENROLLED, obj=user)
                codes = issue_backup_codes(user=user)
            otp_login(request, device)
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            return HttpResponseRedirect(f"{redirect('accounts:backup-codes').url}?next={safe_next(request)}")
        else:
            form.add_error("code", SETUP_CODE_WRONG)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_data_uri": _qr_data_uri(device),
            "manual_key": _manual_key(device),
            "next": request.GET.get("next", ""),
        },
        status=400 if form.errors else 200,
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user_has_device(user, confirmed=True):
        return redirect("accounts:two-factor-setup")
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            audit_record(
                by=user,
                event_type=AuditEventType.TWO_FACTOR_VERIFIED,
                obj=user,
                data={"method": "backup_code" if isinstance(device, StaticDevice) else "totp"},
            )
            return HttpResponseRedirect(safe_next(request))
        audit_record(by=user, event_type=AuditEventType.TWO_FACTOR_FAILED, obj=user)
        form.add_error("code", CODE_WRONG)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Shows newly issued backup codes once; a POST issues a fresh set (replacing the old)."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        if not user.is_verified():  # type: ignore[attr-defined]
            return redirect("accounts:two-factor-verify")
        request.session[BACKUP_CODES_SESSION_KEY] = issue_backup_codes(user=user)
        return redirect("accounts:backup-codes")
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("accounts:account")
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": safe_next(request)})
