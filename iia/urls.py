from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from iia import accounts, oidc, passkey_views, two_factor_views
from iia.forms import AdminLoginForm, LoginForm
from iia.views import accessibility_statement, statutory_duties
from workflows.flows import IIAFlow

admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", accounts.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password_reset/done/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/reset/done/", accounts.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/organisation/", oidc.SignOnStart.as_view(), name="sign_on_start"),
    path("accounts/organisation/callback/", oidc.SignOnCallback.as_view(), name="sign_on_callback"),
    path("accounts/two-factor/", two_factor_views.verify, name="two_factor_verify"),
    path("accounts/two-factor/set-up/", two_factor_views.set_up, name="two_factor_set_up"),
    path("accounts/two-factor/backup-codes/", two_factor_views.backup_codes, name="two_factor_backup_codes"),
    path("accounts/two-factor/passkey-added/", passkey_views.passkey_added, name="two_factor_passkey_added"),
    path("accounts/two-factor/passkeys/<int:pk>/remove/", passkey_views.passkey_remove,
         name="two_factor_passkey_remove"),
    path("accounts/passkeys/", include((passkey_views.urlpatterns, "otp_webauthn"))),
    path("admin/", admin.site.urls),
    path("accessibility/", accessibility_statement, name="accessibility"),
    path("duties/", statutory_duties, name="statutory_duties"),
    path("api/", include("iia.api.urls")),
    path("workflow/", IIAFlow.instance.urls),
    path("", include("assessments.urls")),
    path("", include("workflows.urls")),
    path("", include("reports.urls")),
]
