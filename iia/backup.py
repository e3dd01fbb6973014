"""Backup and restore of the whole database, with a manifest that proves a restore is
complete: every table's row count and the SHA-256 of every binary value (the signed
PDFs among them).

PostgreSQL is dumped with ``pg_dump --format=custom`` and restored with ``pg_restore``
in one transaction (the audit table's append-only trigger comes back with it); SQLite
is copied with its online backup API. Signing keys are not in the database and are not
backed up here: keep them with the other secrets.

A backup holds password hashes and every record, so it is its owner's only: its
directory is 0700 and its files 0600, whatever the umask. It holds no credential that
works as it is: API tokens are stored as hashes (``iia.tokens``), and the sessions'
rows are left out (``WITHOUT_DATA``), so a restore signs everyone out.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.apps import apps
from django.db import connections, models

MANIFEST = "manifest.json"
# tables backed up without their rows: each session key is a sign-in that works
WITHOUT_DATA = frozenset({"django_session"})


class BackupError(Exception):
    pass


def _tables() -> list[tuple[str, str, list[str]]]:
    """(table, primary key column, binary columns) of every model's table."""
    found = []
    for model in sorted(apps.get_models(), key=lambda m: m._meta.db_table):
        if model._meta.proxy or not model._meta.managed:
            continue
        binary = [f.column for f in model._meta.concrete_fields if isinstance(f, models.BinaryField)]
        found.append((model._meta.db_table, model._meta.pk.column, binary))
    return found


def manifest(cursor) -> dict:
    """Row counts of every table and hashes of every binary value, read with a DB-API
    cursor (Django's, or a plain driver's on a database Django does not know)."""
    tables, blobs = {}, {}
    for table, pk, binary in _tables():
        if table in WITHOUT_DATA:
            tables[table] = 0
            continue
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        tables[table] = cursor.fetchone()[0]
        for column in binary:
            cursor.execute(f'SELECT "{pk}", "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL ORDER BY "{pk}"')
            for key, value in cursor.fetchall():
                blobs[f"{table}.{column}.{key}"] = hashlib.sha256(bytes(value)).hexdigest()
    return {"tables": tables, "blobs": blobs}


def open_database(database_url: str):
    """A plain driver connection to ``database_url`` (SQLite or PostgreSQL)."""
    config = dj_database_url.parse(database_url)
    if config["ENGINE"].endswith("sqlite3"):
        return sqlite3.connect(config["NAME"])
    import psycopg

    return psycopg.connect(dbname=config["NAME"], host=config.get("HOST") or None, port=config.get("PORT") or None,
                           user=config.get("USER") or None, password=config.get("PASSWORD") or None)


def _pg_env(settings_dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return str(found)


@contextmanager
def _owner_only():
    """Files and directories made meanwhile, by this process or its children (pg_dump),
    are readable by their owner only, whatever the umask was."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def backup(directory: Path, alias: str = "default") -> dict:
    """Write the database and its manifest into ``directory`` (created, 0700; must not
    exist), each file 0600."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    with _owner_only():
        directory.mkdir(mode=0o700, exist_ok=False)
        directory.chmod(0o700)
        data = _write(directory, connections[alias])
        for path in directory.iterdir():
            path.chmod(0o600)
    return data


def _write(directory: Path, connection) -> dict:
    vendor = connection.vendor
    if vendor == "postgresql":
        target = directory / "database.dump"
        settings_dict = connection.settings_dict
        subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target),
                        *(f"--exclude-table-data={table}" for table in sorted(WITHOUT_DATA)),
                        settings_dict["NAME"]], env=_pg_env(settings_dict), check=True, capture_output=True)
    elif vendor == "sqlite":
        target = directory / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
            for table in sorted(WITHOUT_DATA):
                destination.execute(f'DELETE FROM "{table}"')
            destination.commit()
            destination.execute("VACUUM")  # the deleted rows' pages too
        finally:
            destination.close()
    else:
        raise BackupError(f"No backup for {vendor}.")
    data = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "vendor": vendor,
        "file": target.name,
        "file_sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        **manifest(connection.cursor()),
    }
    (directory / MANIFEST).write_text(json.dumps(data, indent=1, sort_keys=True))
    return data


@dataclass
class Restored:
    tables: int
    rows: int
    blobs: int
    differences: list[str]


def restore(directory: Path, database_url: str | None = None) -> Restored:
    """Restore a backup into an empty database (the configured one, or ``database_url``),
    then compare it with the manifest."""
    directory = Path(directory)
    data = json.loads((directory / MANIFEST).read_text())
    source = directory / data["file"]
    if hashlib.sha256(source.read_bytes()).hexdigest() != data["file_sha256"]:
        raise BackupError(f"{source.name} does not match its manifest: the backup is damaged.")
    target = dict(connections["default"].settings_dict)
    if database_url:
        target.update(dj_database_url.parse(database_url))
    vendor = "sqlite" if target["ENGINE"].endswith("sqlite3") else "postgresql"
    if vendor != data["vendor"]:
        raise BackupError(f"This is a {data['vendor']} backup; the target database is {vendor}.")
    if vendor == "sqlite":
        path = Path(target["NAME"])
        if path.exists() and path.stat().st_size:
            raise BackupError(f"{path} is not empty: restore into a new database.")
        if not database_url:
            connections["default"].close()
        shutil.copyfile(source, path)
        db = sqlite3.connect(path)
    else:
        import psycopg

        params = dict(dbname=target["NAME"], host=target.get("HOST") or None, port=target.get("PORT") or None,
                      user=target.get("USER") or None, password=target.get("PASSWORD") or None)
        with psycopg.connect(**params) as db:
            tables = db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
        if tables:
            raise BackupError(f"Database {target['NAME']} is not empty: restore into a new database.")
        result = subprocess.run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                                 "--single-transaction", "--dbname", target["NAME"], str(source)],
                                env=_pg_env(target), capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[:2000]}")
        db = psycopg.connect(**params)
    try:
        now = manifest(db.cursor())
    finally:
        db.close()
    differences = [f"{table}: {count} rows in the backup, {now['tables'].get(table)} restored"
                   for table, count in data["tables"].items() if now["tables"].get(table) != count]
    differences += [f"{key}: changed" for key, digest in data["blobs"].items() if now["blobs"].get(key) != digest]
    return Restored(tables=len(data["tables"]), rows=sum(data["tables"].values()), blobs=len(data["blobs"]),
                    differences=differences)
