"""Administrators manage users, organisations and API tokens here, and search the audit log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from .audit import audit_record
from .choices import AuditEventType, Role
from .models import ApiToken, AuditEvent, Court, Organisation, Unit, User, WorkerHeartbeat
from .services import api_token_revoke

admin.site.site_header = "Casebridge administration"
admin.site.site_title = "Casebridge administration"


class UserAdminForm(UserChangeForm):  # type: ignore[type-arg]
    roles = forms.MultipleChoiceField(choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False)

    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    form = UserAdminForm
    list_display = ("username", "first_name", "last_name", "organisation", "unit", "is_active")
    list_filter = ("organisation__kind", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email")
    list_select_related = ("organisation", "unit")
    autocomplete_fields = ("organisation", "unit")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("Casebridge", {"fields": ("organisation", "unit", "roles", "job_title", "shoulder_number")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "code", "served_by", "restrict_police_to_unit", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    list_select_related = ("served_by",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "organisation", "is_active")
    list_filter = ("organisation__kind",)
    search_fields = ("name", "code", "organisation__name")
    list_select_related = ("organisation",)


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the audit log is append-only and nobody edits it, not even an administrator."""

    list_display = (
        "occurred_at",
        "event_type",
        "actor_username",
        "actor_organisation",
        "object_type",
        "object_id",
        "ip_address",
    )
    list_filter = ("event_type", "actor_organisation", ("occurred_at", admin.DateFieldListFilter))
    search_fields = ("actor_username", "object_id", "case_id", "request_id", "summary")
    date_hierarchy = "occurred_at"
    list_select_related = ("actor_organisation",)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.GET.get("q"):
            audit_record(
                by=request.user,  # type: ignore[arg-type]
                event_type=AuditEventType.AUDIT_SEARCHED,
                data={"query": request.GET.get("q", "")[:200]},
            )
        return super().changelist_view(request, extra_context)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    exclude = ("key_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are issued by manage.py issue_api_token, which shows the key once

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            api_token_revoke(token=token, by=request.user)  # type: ignore[arg-type]
        messages.success(request, f"Revoked {queryset.count()} token(s).")


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("hostname", "seen_at")


def _admin_sign_in(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The admin has no sign-in page of its own: everyone signs in (with lockout and two-factor)
    through the service's one sign-in page. A signed-in person without admin access is refused."""
    if request.user.is_authenticated:
        from .views.pages import error_403

        return error_403(request)
    return redirect_to_login(request.get_full_path(), login_url=reverse("accounts:sign-in"))


admin.site.login = _admin_sign_in  # type: ignore[method-assign]
