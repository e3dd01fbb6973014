"""Settings for the test suite: fast hashing, no demo logins unless a test asks."""

import os
import tempfile

from .base import *  # noqa: F401,F403
from .known import TEST_SIGNING_PASSPHRASE

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
IIA_SHOW_DEMO_LOGINS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # tests/conftest.py puts the file system's under the session's temporary directory
    "evidence": evidence_storage(IIA_STORAGE),  # noqa: F405
}
LOGGING["loggers"]["iia"]["level"] = "WARNING"  # noqa: F405

IIA_SIGNING_DIR = os.environ.get("IIA_TEST_SIGNING_DIR", os.path.join(tempfile.gettempdir(), "iia-test-signing"))  # noqa: F405
IIA_SIGNING_PASSPHRASE = TEST_SIGNING_PASSPHRASE
IIA_SITE_URL = "http://testserver"
# The suite signs people in with force_login and a password; the tests of two-factor sign-in
# turn the requirement on (tests/iia/test_two_factor.py). Whoever has set it up is asked anyway.
IIA_REQUIRE_TWO_FACTOR = False
# Passkeys belong to localhost (WebAuthn refuses "testserver" over plain HTTP): the passkey tests
# ask as localhost, and the browser test adds its live server's origin (tests/browser/test_passkeys.py).
OTP_WEBAUTHN_RP_ID = "localhost"
OTP_WEBAUTHN_ALLOWED_ORIGINS = ["http://localhost"]
