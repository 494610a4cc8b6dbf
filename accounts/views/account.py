"""The signed-in user's own account page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken

from ..models import User


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "accounts/account.html",
        {
            "has_two_factor": user_has_device(user, confirmed=True),
            "backup_codes_left": StaticToken.objects.filter(device__user=user).count(),
            "api_tokens": user.api_tokens.filter(revoked_at__isnull=True),
        },
    )
