from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import account, auth, home, pages, two_factor
from casework.views import offence_codes
from config.health import healthz

from . import api_urls

password_reset_urls = [
    path("password-reset/", auth.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", auth.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path("password-reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("password-reset/complete/", auth.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
]

accounts_urls = (
    [
        path("sign-in/", auth.sign_in, name="sign-in"),
        path("sign-out/", auth.sign_out, name="sign-out"),
        path("two-factor/setup/", two_factor.setup, name="two-factor-setup"),
        path("two-factor/verify/", two_factor.verify, name="two-factor-verify"),
        path("two-factor/backup-codes/", two_factor.backup_codes, name="backup-codes"),
        path("account/", account.account, name="account"),
        path("account/password/", auth.PasswordChangeView.as_view(), name="password-change"),
        *password_reset_urls,
    ],
    "accounts",
)

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/", include(accounts_urls)),
    path("cases/<uuid:case_id>/material/", include("files.urls")),
    path("", include("charging.urls")),
    path("notifications/", include("accounts.urls_notifications")),
    path("alerts/", include("alerts.urls")),
    path("alerts/admin/", include("alerts.urls_admin")),
    path("metrics/", include("metrics.urls")),
    path("cases/", include("casework.urls")),
    path("offence-codes/", offence_codes.offence_code_search_page, name="offence-code-search"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include((api_urls.urlpatterns, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler403 = "accounts.views.pages.error_403"
handler404 = "accounts.views.pages.error_404"
handler500 = "accounts.views.pages.error_500"
