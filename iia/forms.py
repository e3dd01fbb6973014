"""The sign-in forms (the product's and the admin's)."""

from django.contrib.admin.forms import AdminAuthenticationForm
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
