"""API tokens are not shown in the admin: a token acts as its person, and an administrator
could otherwise issue one and act as anyone through the API. People get theirs with
``python manage.py api_token`` (docs/api.md); only its hash is stored.

Two-factor devices (apps, passkeys) are not shown either (django-otp's admin shows an app's secret, with
which anyone could make its codes): an administrator resets a person's two-factor sign-in
with the action on the people list, recorded in the person's history (docs/two-factor.md)."""

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from .two_factor import two_factor_reset

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)

User = get_user_model()


@admin.action(description="Reset two-factor sign-in (a lost phone)", permissions=["change"])
def reset_two_factor(modeladmin, request, queryset):
    for person in queryset:
        two_factor_reset(user=person, by=request.user)
    modeladmin.message_user(request, f"Two-factor sign-in reset for {len(queryset)} "
                            f"{'person' if len(queryset) == 1 else 'people'}: they set it up again at their "
                            "next sign-in.", messages.SUCCESS)


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    actions = [reset_two_factor]
