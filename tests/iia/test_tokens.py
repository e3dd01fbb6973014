"""API tokens are kept as hashes: the tokens made before keep working, and nothing in the
database is a token that works."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from iia.models import ApiToken
from iia.tokens import api_token_find, api_token_issue, api_token_revoke, token_digest
from tests import factories as f

migration = importlib.import_module("iia.migrations.0002_hash_plaintext_tokens")


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_plaintext_tokens_which_keep_working_and_drops_their_table(reference_data):
    officer = f.user("officer")
    old_key = "0123456789abcdef0123456789abcdef01234567"  # rest_framework.authtoken's shape
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp with time zone NOT NULL, "
                       "user_id integer NOT NULL UNIQUE)")
        cursor.execute("INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
                       [old_key, timezone.now(), officer.pk])
    with connection.schema_editor() as editor:
        migration.hash_plaintext_tokens(apps, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    stored = ApiToken.objects.get(user=officer)
    assert (stored.prefix, stored.digest) == (old_key[:8], token_digest(old_key))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old_key}")
    assert client.get("/api/boards/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {old_key[:-1]}8")  # same prefix, another token
    assert client.get("/api/boards/").status_code == 401


@pytest.mark.django_db
def test_a_token_is_found_by_its_hash_only():
    officer, lead = f.user("officer"), f.user("equality_lead")
    key = api_token_issue(user=officer)
    other = api_token_issue(user=lead)
    assert api_token_find(key).user == officer and api_token_find(other).user == lead
    ApiToken.objects.filter(user=lead).update(prefix=key[:8])  # two tokens under one prefix: the hash decides
    assert api_token_find(key).user == officer and api_token_find(key[:8] + other[8:]) is None
    assert api_token_find(key[:8]) is None and api_token_find("") is None
    assert not any(key in str(row) or other in str(row) for row in ApiToken.objects.values_list())
    assert api_token_revoke(user=officer) and api_token_find(key) is None
