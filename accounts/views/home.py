"""The home page, one per kind of user."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from casework.selectors import case_list_visible_to

from ..models import User


def home_kind(user: User) -> str:
    if user.is_manager and (user.is_police or user.is_cps):
        return "manager"
    if user.is_police:
        return "police"
    if user.is_cps:
        return "cps"
    if user.is_system_administrator:
        return "admin"
    return "no_role"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    kind = home_kind(user)
    context: dict[str, object] = {"kind": kind}
    if kind in {"police", "cps", "manager"}:
        context["recent_cases"] = case_list_visible_to(user=user).order_by("-updated_at")[:10]
    return render(request, f"home/{kind}.html", context)
