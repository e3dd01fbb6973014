from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from iia.forms import AdminLoginForm, LoginForm
from iia.views import accessibility_statement, statutory_duties
from workflows.flows import IIAFlow

admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("accessibility/", accessibility_statement, name="accessibility"),
    path("duties/", statutory_duties, name="statutory_duties"),
    path("api/", include("iia.api.urls")),
    path("workflow/", IIAFlow.instance.urls),
    path("", include("assessments.urls")),
    path("", include("workflows.urls")),
    path("", include("reports.urls")),
]
