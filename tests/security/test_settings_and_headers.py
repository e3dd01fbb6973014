"""Secure sessions, login throttling, password rules, security headers and the
production deployment check."""

import datetime
import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_security_headers_on_pages(cast):
    client = Client()
    client.force_login(cast.officer)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"  # signed-in pages are never cached
    plan_change = f.start(cast)
    assert client.get(f"/plan-changes/{plan_change.pk}/")["Cache-Control"] == "no-store"
    public = Client().get("/register/")
    assert "Content-Security-Policy" in public and public.get("Cache-Control") != "no-store"


def test_sessions_and_cookies(cast):
    client = Client()
    client.get("/accounts/login/")
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax" and settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_passwords_must_be_strong():
    for weak in ("password1", "12345678901", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("correct-horse-battery-staple-42")


def test_login_is_throttled_after_five_failures(cast):
    client = Client(REMOTE_ADDR="10.0.0.9")
    statuses = [client.post("/accounts/login/", {"username": cast.officer.username, "password": f"wrong-{n}"}).status_code
                 for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks the account on this address
    response = client.post("/accounts/login/", {"username": cast.officer.username, "password": f.PASSWORD})
    assert response.status_code == 429 and "Too many sign-in attempts" in response.content.decode()
    print(f"\nS2 login throttling: failures {statuses}; the right password then: {response.status_code}")
    other = Client(REMOTE_ADDR="10.0.0.9")  # another user on the same address is not locked out
    response = other.post("/accounts/login/", {"username": cast.lead.username, "password": f.PASSWORD})
    assert response.status_code == 302


def test_production_settings_pass_the_deployment_check():
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
           "DJANGO_SETTINGS_MODULE": "iia.settings.production",
           "DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_ALLOWED_HOSTS": "iia.example.org",
           "DATABASE_URL": "sqlite:///:memory:"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    print(f"\nS1 check --deploy --fail-level WARNING with production settings: {result.stdout.strip()}")


def test_no_field_check_depends_on_the_time_of_day():
    """A fixed date or time default warns (fields.W161) when the checks run within 10 s of it: a
    Meeting's 10 am default once failed the deployment check at 10:00. Run each field's checks with the
    clock set to its default."""
    fields = [field for app in ("assessments", "workflows", "reports") for model in apps.get_app_config(app).get_models()
              for field in model._meta.local_fields
              if isinstance(field, (models.DateField, models.TimeField)) and field.has_default()]
    assert any(field.name == "time" and field.model.__name__ == "Meeting" for field in fields)
    for field in fields:
        default = field.default() if callable(field.default) else field.default
        if isinstance(default, datetime.time):
            default = datetime.datetime.combine(datetime.date(2026, 11, 26), default, tzinfo=datetime.UTC)
        elif not isinstance(default, datetime.datetime):
            default = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.UTC)
        with mock.patch.object(timezone, "now", return_value=default + datetime.timedelta(seconds=3)):
            assert [e.id for e in field.check()] == [], field


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "iia.settings.production"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
