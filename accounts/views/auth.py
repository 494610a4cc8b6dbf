"""Sign-in, sign-out and the lockout page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from ..audit import audit_record
from ..choices import AuditEventType
from ..forms import LOCKED_OUT, SignInForm


def safe_next(request: HttpRequest, default: str = "home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request))
    form = SignInForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        assert form.user is not None
        login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        next_url = safe_next(request)
        if settings.TWO_FACTOR_REQUIRED:
            step = "accounts:two-factor-verify" if user_has_device(form.user) else "accounts:two-factor-setup"
            return HttpResponseRedirect(f"{reverse(step)}?next={next_url}")
        return HttpResponseRedirect(next_url)
    status = 429 if getattr(request, "axes_locked_out", False) else (400 if form.errors else 200)
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": request.GET.get("next", ""), "oidc_enabled": settings.OIDC_ENABLED},
        status=status,
    )


def locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this when a locked-out username tries again (AXES_LOCKOUT_CALLABLE)."""
    # Re-render the sign-in page with the lockout as its error, without authenticating again.
    form = SignInForm(request.POST or None, request=request)
    form.cleaned_data = {}
    form._errors = ErrorDict()  # type: ignore[attr-defined]
    form.add_error(None, LOCKED_OUT)
    return render(request, "accounts/sign_in.html", {"form": form, "next": ""}, status=429)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


# Password reset by e-mail and password change: Django's views with GOV.UK templates.
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form: Any) -> HttpResponse:
        # The response is the same whether or not the address has an account, so it reveals nothing.
        audit_record(by=None, event_type=AuditEventType.PASSWORD_RESET_REQUESTED)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(by=form.user, event_type=AuditEventType.PASSWORD_CHANGED, obj=form.user, data={"via": "reset"})
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(by=form.user, event_type=AuditEventType.PASSWORD_CHANGED, obj=form.user, data={"via": "change"})
        messages.success(self.request, "Your password has been changed.")
        return response
