"""The sign-in forms (the product's and the admin's), the code step and setting up an
authenticator app, and the password forms (change, reset, set a new one)."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

PASSWORD_LIMIT = 4096  # hashing a longer one is work an attacker could make us do


class LengthLimits:
    """Django's sign-in form sets the username's length limit on the widget only; here it
    is enforced, so an over-long name never reaches authentication (or the login-attempt
    log, whose column is shorter)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
        self.fields["password"].validators.append(MaxLengthValidator(PASSWORD_LIMIT))


class LoginForm(LengthLimits, AuthenticationForm):
    pass


class AdminLoginForm(LengthLimits, AdminAuthenticationForm):
    pass


def password_rules() -> str:
    """What ``AUTH_PASSWORD_VALIDATORS`` ask of a new password, as one hint (Django gives
    them as an HTML list, which a hint paragraph cannot hold)."""
    return " ".join(password_validation.password_validators_help_texts())


class NewPassword:
    """The two new-password fields: labelled plainly, the rules as their hint, and no
    longer than a password may be."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = password_rules()
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password2"].help_text = ""
        for name in ("new_password1", "new_password2"):
            self.fields[name].validators.append(MaxLengthValidator(PASSWORD_LIMIT))


class PasswordChangeForm(NewPassword, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "That is not your current password. Enter the password you sign in with.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].validators.append(MaxLengthValidator(PASSWORD_LIMIT))


class SetPasswordForm(NewPassword, auth_forms.SetPasswordForm):
    pass


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's: it emails only active accounts with a usable password whose address
    matches (ignoring case), and says nothing about which those are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "The email address of your iia account."


class CodeForm(forms.Form):
    """The code step: a code from the authenticator app, or a backup code."""

    code = forms.CharField(
        label="Code", max_length=40, strip=True,
        help_text="The 6-digit code your authenticator app shows now, or one of your backup codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none",
                                      "spellcheck": "false"}))


class AppCodeForm(forms.Form):
    """Setting up an authenticator app: the first code it shows."""

    code = forms.CharField(
        label="Code from your app", max_length=12, strip=True,
        help_text="The 6 digits your app shows for iia after you have added it.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))
