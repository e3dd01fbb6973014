"""Backup and restore into an empty database: every assessment, signature and audit
event comes back intact."""

import datetime
import io
import json
import os
import stat
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from iia.backup import _tables, open_database
from iia.tokens import token_digest
from reports.models import SignedDocument
from reports.services.documents import _signature_intact
from tests import factories as f
from tests.reports.helpers import signed_off

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _rows(cursor) -> dict:
    """Every row of every table (binary values as bytes), read with a DB-API cursor."""
    everything = {}
    for table, pk, _ in _tables():
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY "{pk}"')
        everything[table] = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                             for row in cursor.fetchall()]
    return everything


def _world(committed):
    cast = f.Cast()
    signed = committed(signed_off, cast)
    f.to_submitted(cast, "Still under review")
    document = SignedDocument.objects.get(assessment=signed)
    assert document.status == "ready"
    return document


def _check_restored(url, document, capsys, label):
    with connection.cursor() as cursor:
        original = _rows(cursor)
    restored_db = open_database(url)
    try:
        restored = _rows(restored_db.cursor())
        cursor = restored_db.cursor()
        cursor.execute("SELECT pdf, certificate FROM reports_signeddocument WHERE id = %s"
                       .replace("%s", str(document.pk)))
        pdf, certificate = cursor.fetchone()
    finally:
        restored_db.close()
    # the two drivers decode some types differently (JSON as text or as a dict, the UTC zone's class)
    original, restored = ({t: [tuple(map(_plain, r)) for r in rows] for t, rows in d.items()}
                          for d in (original, restored))
    for table in original:
        assert restored[table] == original[table], table
    copy = SignedDocument(pk=document.pk, certificate=bytes(certificate))
    assert bytes(pdf) == bytes(document.pdf) and _signature_intact(bytes(pdf), copy) == (True, "")
    count = {table: len(rows) for table, rows in restored.items()}
    with capsys.disabled():
        print(f"\nD1 backup and restore ({label}): {sum(count.values())} rows in {len(count)} tables identical; "
              f"{count['assessments_assessment']} assessments, {count['reports_signeddocument']} signed documents "
              f"(signature valid after restore), {count['assessments_auditevent']} audit events intact")


def _plain(value):
    if isinstance(value, (memoryview, bytes)):
        return bytes(value)
    if isinstance(value, bool):  # SQLite keeps booleans as 0 and 1
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return (value.astimezone(datetime.UTC) if value.tzinfo else value).isoformat(sep=" ")
    if isinstance(value, str) and value[:1] in "[{":
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return None if value is None else str(value)


def test_sqlite_backup_restores_into_an_empty_database(committed, tmp_path, capsys):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path; the PostgreSQL one has its own test")
    document = _world(committed)
    call_command("backup", str(tmp_path / "backup"))
    url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    call_command("restore", str(tmp_path / "backup"), database_url=url)
    _check_restored(url, document, capsys, "SQLite")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "backup"), database_url=url)


@pytest.mark.postgres
def test_postgresql_backup_restores_into_an_empty_database_with_its_trigger(committed, tmp_path, capsys):
    document = _world(committed)
    call_command("backup", str(tmp_path / "backup"))
    settings_dict = connection.settings_dict
    name = f"iia_restore_{uuid.uuid4().hex[:8]}"
    server = dict(host=settings_dict["HOST"], port=settings_dict["PORT"], user=settings_dict["USER"],
                  dbname="postgres", autocommit=True)
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/{name}"
    try:
        with pytest.raises(CommandError, match="not empty"):
            call_command("restore", str(tmp_path / "backup"))  # never over the live database
        call_command("restore", str(tmp_path / "backup"), database_url=url)
        _check_restored(url, document, capsys, "PostgreSQL")
        with open_database(url) as restored, pytest.raises(psycopg.Error, match="append-only"):
            restored.execute("DELETE FROM assessments_auditevent")
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _credentials():
    """Three people with an API token each, two of them signed in: their tokens and session keys."""
    from django.test import Client

    from iia.tokens import api_token_issue

    people = [f.user("officer"), f.user("equality_lead"), f.user("senior_officer")]
    keys = [api_token_issue(user=person) for person in people]
    sessions = []
    for person in people[:2]:
        client = Client()
        client.force_login(person)
        sessions.append(client.cookies["sessionid"].value)
    return keys, sessions


def _backup_under_umask_022(directory) -> tuple[dict, bytes]:
    previous = os.umask(0o022)
    try:
        call_command("backup", str(directory), stdout=io.StringIO())
    finally:
        os.umask(previous)
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in [directory, *directory.iterdir()]}
    return modes, b"".join(path.read_bytes() for path in directory.iterdir())


def _holds_no_credential(tmp_path, url):
    keys, sessions = _credentials()
    modes, content = _backup_under_umask_022(tmp_path / "backup")
    files = sorted(name for name in modes if name != "backup")
    assert modes == {"backup": 0o700, **{name: 0o600 for name in files}} and len(files) == 2
    assert not [key for key in keys + sessions if key.encode() in content]
    call_command("restore", str(tmp_path / "backup"), database_url=url)
    restored = open_database(url)
    try:
        cursor = restored.cursor()
        cursor.execute("SELECT count(*) FROM django_session")
        assert cursor.fetchone()[0] == 0  # a restore signs everyone out
        cursor.execute("SELECT digest FROM iia_apitoken")
        assert {row[0] for row in cursor.fetchall()} == {token_digest(key) for key in keys}  # the holders' still work
    finally:
        restored.close()
    return keys, sessions


def test_a_backup_is_its_owners_only_and_holds_no_credential_that_works(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path; the PostgreSQL one has its own test")
    keys, sessions = _holds_no_credential(tmp_path, f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    print(f"\nD3 backup under umask 022: directory 0700, files 0600; {len(keys)} API tokens and "
          f"{len(sessions)} session keys live, none of them in the backup")


@pytest.mark.postgres
def test_a_postgresql_backup_is_its_owners_only_and_holds_no_credential_that_works(tmp_path):
    settings_dict = connection.settings_dict
    name = f"iia_restore_{uuid.uuid4().hex[:8]}"
    server = dict(host=settings_dict["HOST"], port=settings_dict["PORT"], user=settings_dict["USER"],
                  dbname="postgres", autocommit=True)
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        _holds_no_credential(tmp_path, f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
                                       f"{settings_dict['PORT']}/{name}")
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
