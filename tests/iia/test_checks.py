"""The production settings refuse to start with a secret anyone could know or demo accounts
anyone could sign in to; the demo loads there only when asked for by name."""

import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from fixtures import demo_data
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = dict(IIA_PRODUCTION=True, IIA_DEMO=False, IIA_SHOW_DEMO_LOGINS=False, IIA_ALLOW_DEMO_ACCOUNTS=False,
                  IIA_REQUIRE_TWO_FACTOR=True,
                  SECRET_KEY=secrets.token_urlsafe(50), IIA_SIGNING_PASSPHRASE=secrets.token_urlsafe(24))


def _production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IIA_SIGNING_PASSPHRASE", "DJANGO_ALLOW_ASYNC"))}
    return {**env, "DJANGO_SETTINGS_MODULE": "iia.settings.production", "DJANGO_ALLOWED_HOSTS": "iia.example.org",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DATABASE_URL": "sqlite:///:memory:", **extra}


def _manage(*args, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=_production_env(**env),
                          capture_output=True, text=True)


@pytest.mark.parametrize("key", ["x", "dev-only-insecure-key-do-not-use-in-production",
                                 "django-insecure-" + secrets.token_urlsafe(50), "ab" * 40])
def test_manage_py_check_refuses_a_short_or_known_secret_key(key):
    result = _manage("check", DJANGO_SECRET_KEY=key)
    assert result.returncode == 1 and "iia.E001" in result.stderr and "DJANGO_SECRET_KEY is not a secret" in result.stderr


@pytest.mark.parametrize("name", ["IIA_SIGNING_PASSPHRASE", "IIA_SIGNING_PASSPHRASE_DUNDEE"])
def test_manage_py_check_refuses_the_demo_signing_passphrase(name):
    result = _manage("check", **{name: "demo-signing-passphrase"})
    assert result.returncode == 1 and f"iia.E002) {name} is the demo's published passphrase" in result.stderr
    assert _manage("check", **{name: secrets.token_urlsafe(24)}).returncode == 0


@pytest.mark.django_db
def test_demo_accounts_with_the_demo_password_fail_the_database_check():
    chief = f.user("senior_officer", username="chief")
    chief.set_password(demo_data.PASSWORD)
    chief.save()
    with override_settings(**PRODUCTION):
        assert [e.id for e in checks.run_checks(tags=["production"])] == []  # manage.py check: no database
        errors = checks.run_checks(tags=["production"], databases=["default"])
        assert [e.id for e in errors] == ["iia.E004"] and "chief" in errors[0].msg
    with override_settings(**{**PRODUCTION, "IIA_ALLOW_DEMO_ACCOUNTS": True}):  # the loopback stack
        assert checks.run_checks(tags=["production"], databases=["default"]) == []
    with override_settings(IIA_PRODUCTION=False):
        assert checks.run_checks(tags=["production"], databases=["default"]) == []
    chief.set_password("a-password-of-their-own-42")
    chief.save()
    with override_settings(**PRODUCTION):
        assert checks.run_checks(tags=["production"], databases=["default"]) == []


@pytest.mark.django_db(transaction=True)
def test_gunicorn_and_migrate_refuse_to_start_with_demo_accounts(reference_data, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the processes started read a SQLite copy of the test database")
    officer = f.user("officer", username="officer")
    # as load_demo stores it (the test settings' hasher is one production does not know)
    officer.password = PBKDF2PasswordHasher().encode(demo_data.PASSWORD, PBKDF2PasswordHasher().salt())
    officer.save()
    database = tmp_path / "db.sqlite3"
    copy = sqlite3.connect(database)
    connection.ensure_connection()
    connection.connection.backup(copy)
    copy.close()
    env = _production_env(DATABASE_URL=f"sqlite:///{database}", IIA_HTTPS="0")
    gunicorn = subprocess.run([str(ROOT / ".venv" / "bin" / "gunicorn"), "iia.wsgi", "-w", "1", "-b", "127.0.0.1:0"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert gunicorn.returncode != 0 and "iia.E004" in gunicorn.stderr and "officer" in gunicorn.stderr
    migrate = subprocess.run([sys.executable, "manage.py", "migrate"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert migrate.returncode == 1 and "iia.E004" in migrate.stderr
    env["IIA_ALLOW_DEMO_ACCOUNTS"] = "1"
    assert subprocess.run([sys.executable, "manage.py", "migrate"], cwd=ROOT, env=env, capture_output=True).returncode == 0


def test_load_demo_refuses_under_the_production_settings_unless_told_demo():
    with override_settings(IIA_PRODUCTION=True), mock.patch("fixtures.demo.load") as load:
        with pytest.raises(CommandError, match="production settings"):
            call_command("load_demo")
        with pytest.raises(CommandError, match="production settings"):
            call_command("seed_large", "--plan-changes", "1")
        assert not load.called
        call_command("load_demo", "--demo")
        assert load.called


@pytest.mark.parametrize(("sign_on", "error"), [
    ({"IIA_OIDC_ISSUER": "https://sso.example.scot", "OIDC_RP_CLIENT_ID": "iia", "OIDC_RP_CLIENT_SECRET": ""},
     "iia.E005"),
    ({"IIA_OIDC_ISSUER": "http://sso.example.scot", "OIDC_RP_CLIENT_ID": "iia", "OIDC_RP_CLIENT_SECRET": "s"},
     "iia.E006"),
    ({"IIA_OIDC_ISSUER": "https://sso.example.scot", "OIDC_RP_CLIENT_ID": "iia", "OIDC_RP_CLIENT_SECRET": "s",
      "OIDC_OP_TOKEN_ENDPOINT": "http://sso.example.scot/token"}, "iia.E006"),
    ({"IIA_OIDC_ISSUER": "https://sso.example.scot", "OIDC_RP_CLIENT_ID": "iia", "OIDC_RP_CLIENT_SECRET": "s"}, None),
    ({"IIA_OIDC_ISSUER": "", "OIDC_RP_CLIENT_ID": "", "OIDC_RP_CLIENT_SECRET": ""}, None),
])
def test_single_sign_on_half_set_or_over_plain_http_is_refused_in_production(sign_on, error):
    from iia.checks import sign_on_check

    with override_settings(**PRODUCTION, **sign_on):
        found = [e.id for e in sign_on_check(None)]
    assert found == ([error] if error else [])


def test_the_evidence_storage_chosen_must_be_reachable(settings, monkeypatch):
    from iia.checks import evidence_storage_check

    settings.IIA_STORAGE = "filesystem"
    assert evidence_storage_check(None) == []
    settings.IIA_STORAGE = "azure"
    monkeypatch.delenv("IIA_AZURE_CONNECTION_STRING", raising=False)
    assert [e.id for e in evidence_storage_check(None)] == ["iia.E010"]
    monkeypatch.setenv("IIA_AZURE_CONNECTION_STRING", "UseDevelopmentStorage=true")
    assert evidence_storage_check(None) == []
    settings.IIA_STORAGE = "s3"
    monkeypatch.delenv("IIA_S3_BUCKET", raising=False)
    assert "IIA_S3_BUCKET" in evidence_storage_check(None)[0].msg
